"""A user's search index, kept warm between requests and shared by the web process and the worker.

Building a `UserIndex` from the database costs what its lexical part costs (5,000 chunks: a second and
more, bench/README.md "Materials"), so it is kept in two places:

- in this process's memory, bounded (`MEMORY_BYTES`, least recently used first; an index unused for
  `IDLE_SECONDS` goes) and answered without reading a chunk;
- in a file per user (`settings.WARM_INDEX_DIR`, under var/), which the other processes on the host (web
  workers, the task worker) read instead of rebuilding: the chunks' texts and vectors, the n-gram counts
  of each material, and the vocabulary. bench/README.md ("Where the warm index lives") has the
  measurements behind keeping both.

Every use first asks the database one cheap question (`_current_keys`): for each of the user's
materials, its version, kind, title, language, creation time and how many of its chunks are stored,
embedded and embedded by the current model. An index is used only for exactly those keys; a material
whose key changed is read again and only its own n-grams are counted again (`Part`), so editing one CV
of fifty costs that CV. The user's id and sign-up time name the index: an id that a deleted account
leaves behind and a new account receives (SQLite reuses the highest id) finds another sign-up time and
never the old index. Nothing is shared between users, not even the n-gram vocabulary.

On erasure the file and this process's entry go (coach/privacy.py names it as an outside store); another
process's entry can no longer match anything and leaves with its idle time.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Q

from coach import embeddings
from coach.lexical import LexicalIndex, Terms, Vocabulary
from materials.models import Chunk, Material

if TYPE_CHECKING:
    from accounts.models import User

# What the caller (coach.retrieval) makes of the chunks, their vectors and their lexical index.
Make = Callable[[list[Chunk], np.ndarray, LexicalIndex], Any]
# Whether a chunk of a material of this kind, with this text, can be evidence.
Keep = Callable[[str, str], bool]

logger = logging.getLogger(__name__)

# Per process. A 5,000-chunk index holds about 30 MB; most users have a few hundred chunks (1-3 MB).
MEMORY_BYTES = 256 * 1024 * 1024
IDLE_SECONDS = 15 * 60
# Bump when the file's layout changes: older files are then rebuilt, not misread.
FILE_FORMAT = 1
# When the vocabulary holds this many times the n-grams in use (materials removed or rewritten), it is
# rebuilt from the texts the index holds rather than carried on.
VOCABULARY_SLACK = 2

# What a chunk and its material carry in an index: what retrieval, scoring and drafting read of them.
CHUNK_FIELDS = ("id", "ordinal", "kind", "section", "text")
MATERIAL_FIELDS = ("id", "kind", "title", "version", "language")

# A material's key: version, kind, title, language, created_at, chunks stored / embedded / by this model.
PartKey = tuple[Any, ...]


@dataclass
class Part:
    """One material's searchable chunks: their rows, vectors and n-gram counts."""

    material: dict[str, Any]
    chunks: list[list[Any]]
    vectors: np.ndarray
    terms: Terms


@dataclass
class Entry:
    user_id: int
    stamp: str
    keys: dict[int, PartKey]
    parts: dict[int, Part]
    vocabulary: Vocabulary
    index: Any
    by_kinds: dict[tuple[str, ...], Any] = field(default_factory=dict)
    used: float = field(default_factory=time.monotonic)

    @property
    def nbytes(self) -> int:
        held = sum(part.vectors.nbytes + part.terms.ids.nbytes * 2 for part in self.parts.values())
        texts = sum(len(row[4]) + len(row[3]) for part in self.parts.values() for row in part.chunks)
        # The built lexical index holds about as much again as the parts' counts; the vocabulary's
        # strings and dict about 100 bytes an n-gram.
        return 2 * held + 2 * texts + 100 * len(self.vocabulary)


_lock = threading.Lock()
_memory: OrderedDict[int, Entry] = OrderedDict()


def load[Index](
    user: User,
    *,
    make: Callable[[list[Chunk], np.ndarray, LexicalIndex], Index],
    keep: Keep,
    kinds: Sequence[str] | None = None,
) -> Index:
    """The user's index, from memory, from their file or from the database, whichever is current.

    `make` turns the chunks (in material and ordinal order), their vectors and lexical index into the
    index kept; `keep` says which chunks go in. Both come from coach.retrieval and never change."""
    stamp = _stamp(user)
    keys = _current_keys(user.pk)
    with _lock:
        _drop_idle()
        entry = _memory.get(user.pk)
        if entry is not None and (entry.stamp != stamp or entry.user_id != user.pk):
            del _memory[user.pk]
            entry = None
        if entry is not None:
            _memory.move_to_end(user.pk)
            entry.used = time.monotonic()
    if entry is None or entry.keys != keys:
        entry = _refreshed(user, stamp, keys, entry, make, keep)
        _remember(entry)
    if kinds is None:
        return entry.index
    wanted = tuple(sorted(kinds))
    subset = entry.by_kinds.get(wanted)
    if subset is None:
        subset = entry.by_kinds[wanted] = _build_index(
            [part for _, part in sorted(entry.parts.items()) if part.material["kind"] in wanted],
            entry.vocabulary,
            user.pk,
            make,
        )
    return subset


def forget(user_id: int) -> int:
    """Remove the user's index from this process and from disk; returns how many copies went (0-2)."""
    removed = 0
    with _lock:
        if _memory.pop(user_id, None) is not None:
            removed += 1
    try:
        _path(user_id).unlink()
        removed += 1
    except FileNotFoundError:
        pass
    return removed


def clear_memory() -> None:
    """Empty this process's entries (the files stay): a bench measuring a cold start uses it."""
    with _lock:
        _memory.clear()


# --- keys ---------------------------------------------------------------------------------------------


def _stamp(user: User) -> str:
    joined = getattr(user, "date_joined", None)
    return f"{user.pk}:{joined.isoformat() if isinstance(joined, datetime) else ''}"


def _current_keys(user_id: int) -> dict[int, PartKey]:
    embedded = Q(chunks__embedding__isnull=False)
    current = embedded & Q(
        chunks__model_name=embeddings.MODEL_NAME, chunks__model_version=embeddings.MODEL_VERSION
    )
    rows = (
        Material.objects.filter(user_id=user_id)
        .annotate(stored=Count("chunks"), embedded=Count("chunks", filter=embedded))
        .annotate(current=Count("chunks", filter=current))
        .values_list(
            "pk", "version", "kind", "title", "language", "created_at", "stored", "embedded", "current"
        )
    )
    return {
        pk: (version, kind, title, language, created.isoformat(), stored, embedded_count, current_count)
        for pk, version, kind, title, language, created, stored, embedded_count, current_count in rows
    }


# --- building -----------------------------------------------------------------------------------------


def _refreshed(
    user: User, stamp: str, keys: dict[int, PartKey], entry: Entry | None, make: Make, keep: Keep
) -> Entry:
    if entry is not None:
        known, parts, vocabulary = entry.keys, dict(entry.parts), entry.vocabulary.copy()
    else:
        known, parts, vocabulary = _read_file(user.pk, stamp) or ({}, {}, Vocabulary())
        if parts and known == keys:
            ordered = [parts[material_id] for material_id in sorted(parts)]
            index = _build_index(ordered, vocabulary, user.pk, make)
            return Entry(user.pk, stamp, dict(keys), parts, vocabulary, index)
    for material_id in list(parts):
        if material_id not in keys:
            del parts[material_id]
    changed = [material_id for material_id, key in keys.items() if known.get(material_id) != key]
    for material_id in changed:
        parts.pop(material_id, None)
    if parts and _wasteful(vocabulary, parts.values()):
        vocabulary = Vocabulary()
        parts = {material_id: _recount(part, vocabulary) for material_id, part in parts.items()}
    parts.update(_read_parts(user.pk, changed, vocabulary, keep))
    ordered = [parts[material_id] for material_id in sorted(parts)]
    fresh = Entry(
        user_id=user.pk,
        stamp=stamp,
        keys=dict(keys),
        parts=parts,
        vocabulary=vocabulary,
        index=_build_index(ordered, vocabulary, user.pk, make),
    )
    _write_file(fresh)
    return fresh


def _read_parts(user_id: int, material_ids: list[int], vocabulary: Vocabulary, keep: Keep) -> dict[int, Part]:
    if not material_ids:
        return {}
    materials = {
        row["id"]: row
        for row in Material.objects.filter(user_id=user_id, pk__in=material_ids).values(*MATERIAL_FIELDS)
    }
    rows: dict[int, list[list[Any]]] = {material_id: [] for material_id in materials}
    vectors: dict[int, list[bytes]] = {material_id: [] for material_id in materials}
    chunks = (
        Chunk.objects.filter(user_id=user_id, material_id__in=list(materials), embedding__isnull=False)
        .order_by("material_id", "ordinal")
        .values_list("material_id", *CHUNK_FIELDS, "embedding")
    )
    for material_id, *values, vector in chunks:
        if keep(materials[material_id]["kind"], values[4]):
            rows[material_id].append(values)
            vectors[material_id].append(bytes(vector))
    return {
        material_id: Part(
            material=material,
            chunks=rows[material_id],
            vectors=embeddings.matrix_from_bytes(vectors[material_id]),
            terms=vocabulary.terms_of([row[4] for row in rows[material_id]]),
        )
        for material_id, material in materials.items()
    }


def _recount(part: Part, vocabulary: Vocabulary) -> Part:
    return Part(
        part.material, part.chunks, part.vectors, vocabulary.terms_of([row[4] for row in part.chunks])
    )


def _wasteful(vocabulary: Vocabulary, parts: Any) -> bool:
    in_use = np.unique(np.concatenate([part.terms.ids for part in parts] or [np.zeros(0, dtype=np.int64)]))
    return len(vocabulary) > VOCABULARY_SLACK * len(in_use) + 10_000


def _instance[M: (Material, Chunk)](model: type[M], values: dict[str, Any]) -> M:
    """A model instance as the database would give it with .only(values): the fields left out (a
    material's texts, a chunk's embedding) are deferred, and reading one asks the database."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", names, [values[name] for name in names])


def _build_index(parts: list[Part], vocabulary: Vocabulary, user_id: int, make: Make) -> Any:
    chunks: list[Chunk] = []
    for part in parts:
        material = _instance(Material, {**part.material, "user_id": user_id})
        for values in part.chunks:
            chunk = _instance(
                Chunk,
                {
                    **dict(zip(CHUNK_FIELDS, values, strict=True)),
                    "material_id": material.pk,
                    "user_id": user_id,
                },
            )
            chunk.material = material
            chunks.append(chunk)
    matrix = (
        np.concatenate([part.vectors for part in parts])
        if parts
        else np.zeros((0, embeddings.dimension()), dtype=np.float32)
    )
    lexical = LexicalIndex.from_terms(Terms.join([part.terms for part in parts]), vocabulary)
    return make(chunks, matrix, lexical)


# --- memory -------------------------------------------------------------------------------------------


def _remember(entry: Entry) -> None:
    with _lock:
        _memory[entry.user_id] = entry
        _memory.move_to_end(entry.user_id)
        total = sum(held.nbytes for held in _memory.values())
        while total > MEMORY_BYTES and len(_memory) > 1:
            _, oldest = _memory.popitem(last=False)
            total -= oldest.nbytes


def _drop_idle() -> None:
    now = time.monotonic()
    for user_id in [user_id for user_id, entry in _memory.items() if now - entry.used > IDLE_SECONDS]:
        del _memory[user_id]


# --- file ---------------------------------------------------------------------------------------------


def _path(user_id: int) -> Path:
    return Path(settings.WARM_INDEX_DIR) / f"{int(user_id)}.npz"


def _write_file(entry: Entry) -> None:
    path = _path(entry.user_id)
    if not entry.parts:
        # Nothing to keep (no materials, or an account being erased): no file is left behind.
        path.unlink(missing_ok=True)
        return
    ordered = sorted(entry.parts.items())
    meta = {
        "format": FILE_FORMAT,
        "model_version": embeddings.MODEL_VERSION,
        "user_id": entry.user_id,
        "stamp": entry.stamp,
        "parts": [
            {"key": list(entry.keys[material_id]), "material": part.material, "chunks": part.chunks}
            for material_id, part in ordered
        ],
    }
    terms = Terms.join([part.terms for _, part in ordered])
    arrays = {
        "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        "vectors": np.concatenate([part.vectors for _, part in ordered]),
        "offsets": terms.offsets,
        "ids": terms.ids.astype(np.int32),
        "tf": terms.tf,
        "grams": np.frombuffer("\n".join(entry.vocabulary.grams).encode(), dtype=np.uint8),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, allow_pickle=False, **arrays)
        # Another process reading the file sees the old one or the new one, never half of one.
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_file(user_id: int, stamp: str) -> tuple[dict[int, PartKey], dict[int, Part], Vocabulary] | None:
    path = _path(user_id)
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode())
            if (
                meta.get("format") != FILE_FORMAT
                or meta.get("model_version") != embeddings.MODEL_VERSION
                or meta.get("user_id") != user_id
                or meta.get("stamp") != stamp
            ):
                return None
            vectors, offsets, ids, tf = data["vectors"], data["offsets"], data["ids"], data["tf"]
            grams = data["grams"].tobytes().decode()
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as error:
        # A damaged or foreign file is rebuilt from the database, never trusted.
        logger.warning(
            "Warm index file of user %d unreadable (%s); rebuilding it", user_id, type(error).__name__
        )
        return None
    vocabulary = Vocabulary(grams.split("\n") if grams else [])
    parts: dict[int, Part] = {}
    keys: dict[int, PartKey] = {}
    row = 0
    for stored in meta["parts"]:
        count = len(stored["chunks"])
        start, end = int(offsets[row]), int(offsets[row + count])
        part_offsets = offsets[row : row + count + 1] - start
        material_id = int(stored["material"]["id"])
        parts[material_id] = Part(
            material=stored["material"],
            chunks=stored["chunks"],
            vectors=np.ascontiguousarray(vectors[row : row + count]),
            terms=Terms(part_offsets.astype(np.int64), ids[start:end].astype(np.int64), tf[start:end]),
        )
        keys[material_id] = tuple(stored["key"])
        row += count
    return keys, parts, vocabulary
