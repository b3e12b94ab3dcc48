"""Storages that fail like a real one can (a full disk, a lost connection), for the fault tests. Each is a
real FileSystemStorage otherwise, configured through STORAGES like any other backend."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.files.storage import FileSystemStorage


class FlakyDeleteStorage(FileSystemStorage):
    """Deletes `succeed` files, then fails the next `fail` deletes, then works again."""

    succeed: ClassVar[int] = 0
    fail: ClassVar[int] = 0
    calls: ClassVar[int] = 0

    def delete(self, name: str) -> None:
        cls = type(self)
        cls.calls += 1
        if cls.succeed < cls.calls <= cls.succeed + cls.fail:
            raise OSError("Connection to object storage lost")
        super().delete(name)


class FlakySaveStorage(FileSystemStorage):
    """Fails the first `fail` saves, halfway through writing, then works."""

    fail: ClassVar[int] = 0
    calls: ClassVar[int] = 0

    def _save(self, name: str, content: Any) -> str:
        cls = type(self)
        cls.calls += 1
        if cls.calls <= cls.fail:
            with self.open(name, "wb") as partial:
                partial.write(b"PK\x03\x04 half a zip")
            raise OSError("No space left on device")
        return str(super()._save(name, content))  # type: ignore[misc]
