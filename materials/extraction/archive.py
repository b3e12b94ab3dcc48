"""ZIP containers (DOCX, ODT) checked before any parser sees them.

The checks read the central directory only, so a zip bomb is refused before a byte of it is inflated.
Declared sizes can lie, so every entry is then inflated through a reader that stops at the limit: a
parser that reads the same bytes later cannot get more than was counted here.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import PurePosixPath

from materials.extraction.core import (
    ZIP_MAX_ENTRIES,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL_BYTES,
    ZIP_RATIO_APPLIES_ABOVE,
    ExtractionError,
)

_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
_READ_SIZE = 64 * 1024
# XML with a document type declaration can define entities (the "billion laughs"); no part of a DOCX or
# an ODT ever has one, so its presence alone is reason enough to stop.
_DOCTYPE_MARKERS = (
    b"<!doctype",
    b"<!entity",
    "<!doctype".encode("utf-16-le"),
    "<!doctype".encode("utf-16-be"),
)


def _declared_entry_count(data: bytes) -> int:
    """Entries announced by the end-of-central-directory record, read before zipfile builds its index."""
    # The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
    position = data.rfind(_END_OF_CENTRAL_DIRECTORY, max(0, len(data) - 22 - 65535))
    if position < 0 or position + 22 > len(data):
        raise ExtractionError("corrupt")
    (total_entries,) = struct.unpack_from("<H", data, position + 10)
    if total_entries == 0xFFFF:
        # ZIP64: only needed past 65535 entries or 4 GB, which no document comes near.
        raise ExtractionError("archive_limits")
    return int(total_entries)


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, once its central directory shows nothing a document would not have."""
    if _declared_entry_count(data) > ZIP_MAX_ENTRIES:
        raise ExtractionError("archive_limits")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise ExtractionError("corrupt") from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ExtractionError("archive_limits")
    total = 0
    for info in infos:
        if not _is_safe_name(info.filename) or info.flag_bits & 0x1:
            raise ExtractionError("archive_limits")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ExtractionError("archive_limits")
        total += info.file_size
        if info.file_size > ZIP_RATIO_APPLIES_ABOVE and info.file_size > ZIP_MAX_RATIO * max(
            1, info.compress_size
        ):
            raise ExtractionError("archive_limits")
    if total > ZIP_MAX_TOTAL_BYTES:
        raise ExtractionError("archive_limits")
    return archive


def _is_safe_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    path = PurePosixPath(normalised)
    return bool(name) and not normalised.startswith("/") and ".." not in path.parts and ":" not in name


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The inflated entry, never more than `limit` bytes of it, whatever its header says."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(_READ_SIZE):
                size += len(chunk)
                if size > limit:
                    raise ExtractionError("archive_limits")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError):
        # Includes a CRC mismatch: what happens when a header declares fewer bytes than the entry holds.
        raise ExtractionError("corrupt") from None
    return b"".join(chunks)


def check_entries(archive: zipfile.ZipFile, keep: Callable[[str], bool]) -> dict[str, bytes]:
    """Inflate every entry within the total budget; return the ones `keep` asks for."""
    kept: dict[str, bytes] = {}
    budget = ZIP_MAX_TOTAL_BYTES
    for info in archive.infolist():
        if info.is_dir():
            continue
        content = read_entry(archive, info, min(budget, max(info.file_size, 0)))
        budget -= len(content)
        if info.filename.lower().endswith((".xml", ".rels")) and _has_doctype(content):
            raise ExtractionError("corrupt")
        if keep(info.filename):
            kept[info.filename] = content
    return kept


def _has_doctype(content: bytes) -> bool:
    # A declaration can only come before the root element: the head of the part is enough to look at.
    head = content[:4096].lower()
    return any(marker in head for marker in _DOCTYPE_MARKERS)


def read_small_entry(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """One entry by name, if present and no larger than `limit`; used by sniffing."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    return read_entry(archive, info, limit)
