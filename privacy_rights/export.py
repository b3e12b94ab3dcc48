"""The export: one zip of everything we hold about a user, laid out by the personal-data registry.

Each Personal declaration's `export` names where its rows go, with the typed places of
privacy_kernel/exports.py (JsonFile("applications/{slug}/scores.json"), ...). The layout follows them:

- A path without placeholders is a member at the top of the zip: `account.json`, `activity.jsonl`,
  `diary.json`, `diary.md`, or a folder (`documents/`) with one JSON file per row.
- A path with placeholders ("materials/{id}-{slug}/…") is a folder per owning object. The owning model
  (the "anchor") is the one of that folder's models that all the others reach along foreign keys: the
  Material for its chunks, the Application for its scores, replies, drafts and sent versions. `{id}` is the
  anchor's id, `{slug}` its `slug` attribute or else a slug of its name.
- The kind of place says how: JsonFile one JSON object (the anchor's row, and a list per other model),
  JsonLines one row per line, Markdown readable text, ICalendar one .ics file of events, JsonPerRow one JSON
  file per row, and OwnFolder (the folder itself) the anchor's own `<model>.json` (plus `text.md` when it
  has a text field).
- Files named in `files` go into the row's folder, streamed from object storage in chunks.
- Declarations that say NotExported(why) are skipped (sessions, keys, queue bookkeeping).

Memory stays flat however large the account: rows are read with .iterator(), files in 1 MiB chunks, and the
zip is produced by stream-zip as a stream of chunks that storage reads as they are made (see write_export).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import stat
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from stream_zip import NO_COMPRESSION_64, ZIP_64, ZIP_AUTO, MemberFile, stream_zip

from privacy_kernel.exports import (
    ICalendar,
    JsonFile,
    JsonLines,
    JsonPerRow,
    Markdown,
    OwnFolder,
    Place,
    describe,
    places_of,
    split_path,
)
from privacy_kernel.registry import Personal, personal_models
from privacy_kernel.stores import outside_stores

if TYPE_CHECKING:
    from accounts.models import User

EXPORT_SCHEMA_VERSION = 1
CHUNK_BYTES = 64 * 1024
# Folders (applications, materials) whose rows are read together, and the name their anchor's id is read as.
FOLDER_BATCH = 100
_ANCHOR = "_export_anchor_id"
# Files are read in larger pieces: fewer calls into storage (a request each on S3) for the same memory bound.
FILE_CHUNK_BYTES = 1024 * 1024
# Level 6: most of the size gain of 9 at a third of its time, for the rows (JSON, Markdown).
COMPRESSION_LEVEL = 6
# Uploads of other formats: the fastest level, which is nearly as small.
FILE_COMPRESSION_LEVEL = 1
# Formats that are compressed already (a PDF's streams, the zip inside DOCX and ODT, images): deflating them
# again was most of a large export's time and saved nothing, so they are stored as they are.
STORED_SUFFIXES = frozenset(
    {
        ".pdf",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".epub",
        ".zip",
        ".gz",
        ".png",
        ".jpg",
        ".jpeg",
    }
)
_MODE = stat.S_IFREG | 0o600

# Fields no export contains, with why: credentials, which a zip sent around by email must never carry.
SECRET_FIELDS: dict[str, str] = {
    "accounts.User.password": "the password hash",
    "mfa.Authenticator.data": "two-factor secrets, recovery codes and passkey credentials",
    "usersessions.UserSession.session_key": "the session key, which signs in whoever holds it",
    "calendars.CalendarConnection.secret": "the calendar's app password (encrypted)",
    "calendars.CalendarFeed.token_hash": "the hash of the private feed's secret address",
    "calendars.CalendarFeed.token_encrypted": "the private feed's secret address (encrypted)",
}


def location_of(entry: Personal) -> str | None:
    """The path of the first place the entry's rows go, or None for a declaration that is not exported."""
    places = places_of(entry.export)
    return places[0].path if places else None


@dataclass(frozen=True)
class Placement:
    entry: Personal
    # One of the places the entry declares.
    place: Place
    # ORM path from the entry's model to the folder's anchor ("application"); "" for the anchor itself.
    to_anchor: str = ""

    @property
    def folder(self) -> str:
        """The folder template ("applications/{slug}/"), "" for the top of the zip."""
        return split_path(self.place.path)[0]

    @property
    def name(self) -> str:
        """The rest of the path: "scores.json", "replies/", or "" for the folder itself (OwnFolder)."""
        return split_path(self.place.path)[1]

    @property
    def label(self) -> str:
        return self.entry.model._meta.label

    @property
    def key(self) -> str:
        return self.entry.model._meta.model_name or self.label


def _path_between(model: type[models.Model], target: type[models.Model], depth: int = 4) -> str | None:
    """The shortest ORM path of forward foreign keys from `model` to `target`, or None."""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(depth):
        following: list[tuple[type[models.Model], str]] = []
        for current, path in frontier:
            for field in current._meta.concrete_fields:
                related = field.related_model
                if not field.many_to_one and not field.one_to_one:
                    continue
                if not isinstance(related, type):
                    continue
                step = f"{path}__{field.name}" if path else field.name
                if related is target:
                    return step
                following.append((related, step))
        frontier = following
    return None


@dataclass(frozen=True)
class Layout:
    top: dict[str, list[Placement]]
    # Folder template → (anchor placement first, then the others with their path to it).
    folders: dict[str, list[Placement]]


def layout() -> Layout:
    """Where every exported declaration goes. Raises for a folder whose models share no anchor."""
    top: dict[str, list[Placement]] = defaultdict(list)
    grouped: dict[str, list[Personal]] = defaultdict(list)
    places: dict[type[models.Model], Place] = {}
    # The account itself first in account.json, then the rest by name.
    for entry in sorted(personal_models(), key=lambda e: (e.owner != "", e.model._meta.label)):
        for place in places_of(entry.export):
            folder, name = split_path(place.path)
            if not folder:
                top[name].append(Placement(entry, place))
            elif entry.model not in places:
                grouped[folder].append(entry)
                places[entry.model] = place
    folders: dict[str, list[Placement]] = {}
    for folder, entries in grouped.items():
        anchor = next(
            (
                candidate
                for candidate in entries
                if all(
                    other is candidate or _path_between(other.model, candidate.model) is not None
                    for other in entries
                )
            ),
            None,
        )
        if anchor is None:
            labels = ", ".join(e.model._meta.label for e in entries)
            raise LookupError(f"The export folder {folder} has no model that {labels} all belong to.")
        placements = [Placement(anchor, places[anchor.model])]
        for other in entries:
            if other is not anchor:
                path = _path_between(other.model, anchor.model)
                placements.append(Placement(other, places[other.model], str(path)))
        folders[folder] = placements
    return Layout(dict(top), folders)


# --- Rows as JSON ---------------------------------------------------------------------------------------


def row_data(obj: models.Model) -> dict[str, Any]:
    """Every column of the row, as JSON-friendly values; no credentials, no embedding vectors."""
    label = obj._meta.label
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if f"{label}.{field.name}" in SECRET_FIELDS or isinstance(field, models.BinaryField):
            continue
        if isinstance(field, models.FileField):
            data[field.name] = getattr(obj, field.name).name or ""
        else:
            data[field.attname] = getattr(obj, field.attname)
    return data


def dumps(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def _json_document(sections: Iterable[tuple[str, Any]]) -> Iterator[bytes]:
    """A JSON object written section by section; a section that is an iterable of rows becomes a list."""
    yield b'{"schema_version": ' + str(EXPORT_SCHEMA_VERSION).encode()
    for key, value in sections:
        yield b",\n" + dumps(key) + b": "
        if isinstance(value, dict):
            yield dumps(value)
            continue
        yield b"["
        for index, row in enumerate(value):
            yield (b",\n  " if index else b"\n  ") + dumps(row)
        yield b"\n]"
    yield b"\n}\n"


def _readable(value: Any) -> str:
    """A value as a person reads it: dates in the export's language (Django's formats), not JSON strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return formats.date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT"
        )
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return dumps(value).decode()


def _markdown(rows: Iterable[models.Model]) -> Iterator[bytes]:
    for obj in rows:
        yield f"## {obj}\n\n".encode()
        for field in obj._meta.concrete_fields:
            if isinstance(field, models.BinaryField | models.ForeignKey) or field.primary_key:
                continue
            value = getattr(obj, field.attname)
            if value in (None, "", [], {}):
                continue
            text = _readable(value)
            title = str(field.verbose_name).capitalize()
            if isinstance(field, models.TextField):
                yield f"**{title}:**\n\n{text}\n\n".encode()
            else:
                yield f"- **{title}:** {text}\n".encode()
        yield b"\n"


def _icalendar(rows: Iterable[models.Model], stamp: dt.datetime) -> Iterator[bytes]:
    """One VCALENDAR, written event by event: the models placed in an ICalendar give `as_ical_event()`."""
    yield b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Omoikane//Export//EN\r\n"
    for obj in rows:
        event = obj.as_ical_event()  # type: ignore[attr-defined]
        if "DTSTAMP" not in event:
            event.add("dtstamp", stamp)
        yield event.to_ical()
    yield b"END:VCALENDAR\r\n"


# --- Members --------------------------------------------------------------------------------------------


class Builder:
    """Produces the zip members for one user; notes the files storage did not have."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.now = timezone.now()
        self.missing: list[str] = []
        self.layout = layout()
        # The rows of the folders being written, by model label and then by anchor id (see _prefetch).
        self._batch: dict[str, dict[Any, list[models.Model]]] = {}

    def _prefetch(self, placements: list[Placement], anchors: list[models.Model]) -> None:
        """Read the rows of a batch of folders: one query per model for the batch, where one per model and
        folder made a large account's export mostly query building (2,500 applications, 15,000 queries)."""
        self._batch = {}
        for placement in placements:
            if not placement.to_anchor:
                continue
            rows = (
                placement.entry.rows_of(self.user)
                .filter(**{f"{placement.to_anchor}__in": [anchor.pk for anchor in anchors]})
                .annotate(**{_ANCHOR: F(placement.to_anchor)})
                .order_by("pk")
            )
            grouped: dict[Any, list[models.Model]] = defaultdict(list)
            for row in rows.iterator(chunk_size=500):
                grouped[getattr(row, _ANCHOR)].append(row)
            self._batch[placement.label] = grouped

    def _member(self, name: str, chunks: Iterable[bytes]) -> MemberFile:
        return (name, self.now, _MODE, ZIP_64, chunks)

    def _rows(self, placement: Placement, anchor: models.Model | None = None) -> Iterator[models.Model]:
        if anchor is not None and not placement.to_anchor:
            yield anchor
            return
        if anchor is not None and placement.label in self._batch:
            yield from self._batch[placement.label].get(anchor.pk, [])
            return
        rows = placement.entry.rows_of(self.user)
        if anchor is not None:
            rows = rows.filter(**{placement.to_anchor: anchor})
        yield from rows.order_by("pk").iterator(chunk_size=500)

    def _file_members(self, placement: Placement, obj: models.Model, base: str) -> Iterator[MemberFile]:
        for field_name in placement.entry.files:
            stored = getattr(obj, field_name)
            if not stored or not stored.name:
                continue
            suffix = PurePosixPath(stored.name).suffix
            try:
                size = stored.storage.size(stored.name)
            except (OSError, ValueError):
                self.missing.append(f"{base}{field_name}{suffix}")
                continue
            if suffix.lower() in STORED_SUFFIXES:
                # A stored member's header carries its CRC, so the file is read twice: once for the CRC (a
                # small fraction of what deflating it cost), then into the zip. Neither read holds it whole.
                method = NO_COMPRESSION_64(size, _crc32(stored.storage, stored.name))
            else:
                method = ZIP_AUTO(size, level=FILE_COMPRESSION_LEVEL)
            yield (
                f"{base}{field_name}{suffix}",
                self.now,
                _MODE,
                method,
                _file_chunks(stored.storage, stored.name),
            )

    def _place(
        self, folder: str, name: str, placements: list[Placement], anchor: models.Model | None
    ) -> Iterator[MemberFile]:
        """The members of the placements sharing one location (`folder` + `name`), written as their kind of
        place says. Placements sharing a location share its kind: the path's ending decides it."""
        path = folder + name
        place = placements[0].place
        if isinstance(place, OwnFolder | JsonPerRow):
            yield from self._row_members(path, placements, anchor)
            return
        file_rows: list[tuple[Placement, int]] = []

        def remember(placement: Placement, rows: Iterable[models.Model]) -> Iterator[models.Model]:
            for obj in rows:
                if placement.entry.files:
                    file_rows.append((placement, obj.pk))
                yield obj

        match place:
            case JsonFile():
                sections: list[tuple[str, Any]] = []
                for placement in placements:
                    rows = remember(placement, self._rows(placement, anchor))
                    single = (anchor is not None and not placement.to_anchor) or placement.entry.owner == ""
                    if single:
                        sections.append((placement.key, next((row_data(o) for o in rows), {})))
                    else:
                        sections.append((placement.key, (row_data(o) for o in rows)))
                yield self._member(path, _json_document(sections))
            case JsonLines():
                yield self._member(path, self._lines(path, placements, anchor, remember))
            case Markdown():
                yield self._member(
                    path, (c for p in placements for c in _markdown(remember(p, self._rows(p, anchor))))
                )
            case ICalendar():
                rows = (row for p in placements for row in remember(p, self._rows(p, anchor)))
                yield self._member(path, _icalendar(rows, self.now))
        # Files of rows written into a shared document: each under files/, named by its row.
        for placement, pk in file_rows:
            obj = placement.entry.model._default_manager.get(pk=pk)
            yield from self._file_members(placement, obj, f"{folder}files/{placement.key}-{pk}-")

    def _row_members(
        self, path: str, placements: list[Placement], anchor: models.Model | None
    ) -> Iterator[MemberFile]:
        """A member per row: the anchor's own <model>.json, text.md and files in its OwnFolder; one <id>.json
        per row (and its files beside it) in a JsonPerRow folder."""
        for placement in placements:
            own_folder = isinstance(placement.place, OwnFolder)
            for obj in self._rows(placement, anchor):
                if own_folder and not placement.to_anchor:
                    yield self._member(f"{path}{placement.key}.json", [dumps(row_data(obj)) + b"\n"])
                    text = getattr(obj, "text", None)
                    if isinstance(text, str) and text:
                        yield self._member(f"{path}text.md", [text.encode("utf-8")])
                    yield from self._file_members(placement, obj, path)
                else:
                    base = f"{path}{placement.key}-{obj.pk}" if own_folder else f"{path}{obj.pk}"
                    yield self._member(f"{base}.json", [dumps(row_data(obj)) + b"\n"])
                    yield from self._file_members(placement, obj, f"{base}-")

    def _lines(
        self,
        path: str,
        placements: list[Placement],
        anchor: models.Model | None,
        remember: Callable[[Placement, Iterable[models.Model]], Iterator[models.Model]],
    ) -> Iterator[bytes]:
        if anchor is None:
            for store in outside_stores().values():
                if store.export_rows is not None and store.export_to == path:
                    for record in store.export_rows(self.user):
                        yield dumps({"model": store.name, **record}) + b"\n"
        for placement in placements:
            for obj in remember(placement, self._rows(placement, anchor)):
                yield dumps({"model": placement.label, **row_data(obj)}) + b"\n"

    def members(self) -> Iterator[MemberFile]:
        yield self._member("README.md", [self.readme().encode("utf-8")])
        for name, placements in sorted(self.layout.top.items()):
            yield from self._place("", name, placements, None)
        # An outside store whose member no declaration shares still gets its own member.
        for store in outside_stores().values():
            if store.export_rows is not None and store.export_to not in self.layout.top:
                yield self._member(
                    store.export_to, self._lines(store.export_to, [], None, lambda p, r: iter(r))
                )
        for template, placements in sorted(self.layout.folders.items()):
            anchor_placement = placements[0]
            anchors = (
                anchor_placement.entry.rows_of(self.user).order_by("pk").iterator(chunk_size=FOLDER_BATCH)
            )
            by_name: dict[str, list[Placement]] = defaultdict(list)
            for placement in placements:
                by_name[placement.name].append(placement)
            for batch in itertools.batched(anchors, FOLDER_BATCH, strict=False):
                # stream-zip reads each member to its end before it asks for the next, so the batch's rows
                # are all written before the next batch replaces them.
                self._prefetch(placements, list(batch))
                for anchor in batch:
                    folder = fill(template, anchor)
                    for name, group in by_name.items():
                        yield from self._place(folder, name, group, anchor)
            self._batch = {}
        if self.missing:
            listing = "\n".join(self.missing) + "\n"
            yield self._member("MISSING_FILES.txt", [listing.encode("utf-8")])

    def readme(self) -> str:
        entries = []
        for name, placements in sorted(self.layout.top.items()):
            entries.append((name, placements))
        for template, placements in sorted(self.layout.folders.items()):
            entries.append((template, placements))
        with translation.override(self.user.language):
            return render_to_string(
                "privacy_rights/export/README.md",
                {
                    "user": self.user,
                    "schema_version": EXPORT_SCHEMA_VERSION,
                    "generated_at": self.now,
                    "entries": [
                        (
                            location,
                            [
                                (p.entry.model._meta.verbose_name_plural, describe(p.entry.export))
                                for p in group
                            ],
                        )
                        for location, group in entries
                    ],
                    "stores": [s for s in outside_stores().values() if s.export_rows is not None],
                },
            )


def fill(template: str, anchor: models.Model) -> str:
    slug = getattr(anchor, "slug", None)
    if not isinstance(slug, str) or not slug:
        slug = slugify(str(anchor))[:60].strip("-") or "item"
    return template.replace("{id}", str(anchor.pk)).replace("{slug}", slug)


def _file_chunks(storage: Storage, name: str) -> Iterator[bytes]:
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(FILE_CHUNK_BYTES):
            yield chunk


def _crc32(storage: Storage, name: str) -> int:
    crc = 0
    for chunk in _file_chunks(storage, name):
        crc = zlib.crc32(chunk, crc)
    return crc


def zip_chunks(user: User) -> Iterator[bytes]:
    """The export zip of `user`, as a stream of byte chunks."""
    return iter(
        stream_zip(
            Builder(user).members(),
            chunk_size=CHUNK_BYTES,
            get_compressobj=lambda: zlib.compressobj(level=COMPRESSION_LEVEL, wbits=-zlib.MAX_WBITS),
        )
    )


class _ZipReader(io.RawIOBase):
    """The zip's chunks as a stream that storage reads from while the zip is being made."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._pending = memoryview(b"")
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        self.size += count
        return count


def write_export(user: User, storage: Storage, name: str) -> tuple[str, int]:
    """Save the zip of `user` to `storage` as `name`; (saved name, size).

    On the filesystem, straight into storage while it is made: a temporary file first copied a large export
    twice more (onto the local disk and back). Storage copies the stream in this thread, which is where
    making the zip reads the database. S3's uploader reads in threads of its own, whose database connection
    would be another one (outside this job's transaction, and on SQLite locked out of it), so there the zip
    is still made into a temporary file first. If making it fails, the caller deletes what was stored.
    """
    if isinstance(storage, FileSystemStorage):
        reader = _ZipReader(zip_chunks(user))
        saved = storage.save(name, File(io.BufferedReader(reader), name=PurePosixPath(name).name))
        return saved, reader.size
    with tempfile.TemporaryFile(prefix="omoikane-export-") as spool:
        for chunk in zip_chunks(user):
            spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        saved = storage.save(name, File(spool, name=PurePosixPath(name).name))
    return saved, size
