"""Where a personal model's rows go in the export zip: one small type per kind of member.

A Personal declaration (registry.py) names its place in the export with one of these, or with a tuple of them
when the rows go to two places (the diary, as data and as readable text), or with NotExported and the reason.
privacy_rights/export.py writes each kind; a path that does not fit its kind is refused here, when the app's
privacy module is imported, rather than written somewhere unexpected.

Paths are POSIX paths inside the zip. A path with placeholders ("applications/{slug}/scores.json") means one
folder per owning object: `{id}` is that object's id, `{slug}` its slug (see privacy_rights/export.py). The
`note` says what the member holds, for the reader of the export's README.

They are kept apart from registry.py because they describe the zip, not how rows are found: the registry only
stores them, the export reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class _Place:
    path: str
    note: str = ""

    # The ending the path must have, so the member's name says how to read it.
    suffix: ClassVar[str] = ""

    def __post_init__(self) -> None:
        if not self.path.endswith(self.suffix) or self.path.startswith("/"):
            raise ValueError(f"{type(self).__name__}({self.path!r}): the path must end with {self.suffix!r}.")
        if "{" in self.path and "/" not in self.path[self.path.rindex("}") :]:
            raise ValueError(f"{type(self).__name__}({self.path!r}): placeholders name a folder, not a file.")


@dataclass(frozen=True)
class JsonFile(_Place):
    """One JSON object with a section per model placed there: "account.json", ".../scores.json"."""

    suffix: ClassVar[str] = ".json"


@dataclass(frozen=True)
class JsonLines(_Place):
    """One JSON object per row, a line each: "activity.jsonl"."""

    suffix: ClassVar[str] = ".jsonl"


@dataclass(frozen=True)
class Markdown(_Place):
    """The rows as readable Markdown text: "diary.md"."""

    suffix: ClassVar[str] = ".md"


@dataclass(frozen=True)
class ICalendar(_Place):
    """The rows as one iCalendar file ("calendar.ics"), one VEVENT per row, for any calendar app to open.
    The model gives each row's event through a method `as_ical_event()` returning an icalendar.Event."""

    suffix: ClassVar[str] = ".ics"


@dataclass(frozen=True)
class JsonPerRow(_Place):
    """A folder with one JSON file per row, named by its id, with the row's files beside it:
    "applications/{slug}/replies/"."""

    suffix: ClassVar[str] = "/"

    def __post_init__(self) -> None:
        super().__post_init__()
        if is_object_folder(self.path):
            raise ValueError(f"JsonPerRow({self.path!r}): that is the object's own folder; use OwnFolder.")


@dataclass(frozen=True)
class OwnFolder(_Place):
    """The folder of each owning object itself ("materials/{id}-{slug}/"): the object's row as <model>.json,
    its text as text.md when it has one, and its files. The other models placed in that folder belong to
    it."""

    suffix: ClassVar[str] = "/"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not is_object_folder(self.path):
            raise ValueError(
                f"OwnFolder({self.path!r}): name the folder per object itself, ending at its placeholder."
            )


Place = JsonFile | JsonLines | Markdown | ICalendar | JsonPerRow | OwnFolder


@dataclass(frozen=True)
class NotExported:
    """Rows the export leaves out on purpose; `why` is said to whoever reads the registry."""

    why: str

    def __post_init__(self) -> None:
        if not self.why.strip():
            raise ValueError("Say why these rows are not exported.")


Export = Place | tuple[Place, ...] | NotExported


def split_path(path: str) -> tuple[str, str]:
    """(the folder per object, the rest): "applications/{slug}/letter/versions.json" gives
    ("applications/{slug}/", "letter/versions.json"); a path without placeholders gives ("", path)."""
    if "{" not in path:
        return "", path
    end = path.index("/", path.rindex("}")) + 1
    return path[:end], path[end:]


def is_object_folder(path: str) -> bool:
    """Whether the path is a folder per object itself ("materials/{id}-{slug}/"), nothing after it."""
    return "{" in path and split_path(path)[1] == ""


def places_of(export: Export) -> tuple[Place, ...]:
    """Every place the rows go, in the order declared; none when they are not exported."""
    if isinstance(export, NotExported):
        return ()
    if isinstance(export, tuple):
        return export
    return (export,)


def describe(export: Export) -> str:
    """The declaration in words, as the export's README lists it: "diary.json and diary.md (every entry…)"."""
    if isinstance(export, NotExported):
        return f"not exported: {export.why}"
    places = places_of(export)
    text = " and ".join(place.path for place in places)
    notes = "; ".join(place.note for place in places if place.note)
    return f"{text} ({notes})" if notes else text
