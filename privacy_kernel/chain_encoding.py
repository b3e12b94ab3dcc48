"""The canonical encoding of an audit chain entry: the bytes its hashes are taken of, per chain_version.

Kept apart from appending (chain.py) and verifying (chain_verify.py), which both use it, because it is a
format rather than behaviour: rows keep the version they were written with and are verified with it, so
this changes only by adding a version, and an auditor can read it on its own. ChainHead (a sequence and
an entry hash) is here too: it is what each entry's prev_hash links to, for the appender and the verifier
alike.

Canonical encoding, version 1 (`chain_version` = 1). Changing anything below needs a new version: rows keep
the version they were written with and are verified with it.

- payload_hash = SHA-256(b"omoikane.audit.payload.v1\\x00" || salt || canonical JSON of the metadata), hex.
  `salt` is 16 random bytes per entry (stored hex in `payload_salt`). Without it an erased payload's hash
  would still confirm a guess ("was the old address alice@example.org?"); erasure clears the salt with
  the metadata, and 128 random bits make the kept hash useless for guessing.
- Canonical JSON: objects with their keys sorted by code point, no whitespace, UTF-8 (no \\u escapes
  except for control characters), numbers that are whole written as integers (1.0 and 1e16 as 1 and
  10000000000000000, since PostgreSQL's jsonb rewrites them so), other numbers in Python's shortest
  round-trip form; NaN and infinities are refused.
- entry_hash = SHA-256(b"omoikane.audit.entry.v1\\x00" || the fields below, each length-prefixed), hex.
  A field is b"\\x00" when null, else b"\\x01", its length as 4-byte big-endian, and its bytes; so no two
  different rows encode alike however their text is split between fields. In this order:
  sequence (decimal), subject id (decimal or null), prev_hash (hex), created_at (integer microseconds
  since 1970-01-01 UTC, decimal), event, actor kind, actor id (`actor_ref`, decimal or null), actor label,
  target type, target id, ip (b"4" or b"6" and the 4 or 16 address bytes; b"t" and the text if it is not
  an address; null if none), user agent, payload_hash (hex). Text is UTF-8.
- The first entry of a chain has sequence 1 and prev_hash GENESIS_HASH (64 zeros).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import secrets
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

CHAIN_VERSION = 1
GENESIS_HASH = "0" * 64
PAYLOAD_DOMAIN = b"omoikane.audit.payload.v1\x00"
ENTRY_DOMAIN = b"omoikane.audit.entry.v1\x00"
SALT_BYTES = 16
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LENGTH = struct.Struct(">I")  # a present field's length: 4 bytes, big-endian
_MICROSECOND = timedelta(microseconds=1)


class ChainEntry(Protocol):
    """What verification reads of an entry: an AuditEvent, or a row of an archive object."""

    @property
    def id(self) -> int: ...
    @property
    def subject_id(self) -> int | None: ...
    @property
    def sequence(self) -> int: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def payload_hash(self) -> str: ...
    @property
    def payload_salt(self) -> str: ...
    @property
    def entry_hash(self) -> str: ...
    @property
    def chain_version(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def event(self) -> str: ...
    @property
    def actor_kind(self) -> str: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_ref(self) -> int | None: ...
    @property
    def actor_label(self) -> str: ...
    @property
    def target_type(self) -> str: ...
    @property
    def target_id(self) -> str: ...
    @property
    def ip(self) -> str | None: ...
    @property
    def user_agent(self) -> str: ...
    @property
    def metadata(self) -> Any: ...


@dataclass(frozen=True)
class ChainHead:
    """Where a chain ends so far: what the next entry must continue from."""

    sequence: int
    entry_hash: str


GENESIS = ChainHead(sequence=0, entry_hash=GENESIS_HASH)


def _canonical_value(value: Any) -> Any:
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("Audit metadata keys must be strings.")
        return {key: _canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Audit metadata cannot hold NaN or infinity.")
        # jsonb keeps 1.0 as 1.0 but turns 1e16 into 10000000000000000, which reads back as an int; writing
        # every whole number as an integer makes both forms hash alike.
        return int(value) if value.is_integer() else value
    return value


def canonical_json(value: Any) -> bytes:
    """The version-1 canonical JSON bytes of `value` (see the module docstring)."""
    return json.dumps(
        _canonical_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def storable(metadata: Any) -> Any:
    """`metadata` as the database will give it back (tuples as lists, keys as strings), so the hash made
    before the insert is the one a later read recomputes."""
    return json.loads(json.dumps(metadata))


def payload_hash(metadata: Any, salt: str) -> str:
    """SHA-256 (hex) of the salted canonical metadata."""
    return hashlib.sha256(PAYLOAD_DOMAIN + bytes.fromhex(salt) + canonical_json(metadata)).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def _text(value: str | None) -> bytes | None:
    return None if value is None else value.encode("utf-8")


def _number(value: int | None) -> bytes | None:
    return None if value is None else str(int(value)).encode("ascii")


def _instant(value: datetime) -> bytes:
    if value.tzinfo is None:
        # A naive time would hash differently under another TIME_ZONE; USE_TZ is on, so this is a bug.
        raise ValueError("Audit timestamps must be timezone-aware.")
    return str((value - _EPOCH) // _MICROSECOND).encode("ascii")


@lru_cache(maxsize=4096)
def _address(value: str | None) -> bytes | None:
    # The address bytes, not its text: PostgreSQL's inet and Python print IPv6 (and IPv4-mapped) addresses
    # differently, and Python changed its own output in 3.13. Cached: a user's events mostly share an
    # address, and parsing one was a fifth of hashing an entry.
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return b"t" + value.encode("utf-8")
    return str(address.version).encode("ascii") + address.packed


def _event_value(value: Any) -> str:
    # An Event member until the row is reloaded, a plain str after; both mean the value.
    return str(getattr(value, "value", value))


def _fields(entry: ChainEntry) -> list[bytes | None]:
    if entry.chain_version != 1:
        raise ValueError(f"Unknown audit chain version {entry.chain_version}.")
    return [
        _number(entry.sequence),
        _number(entry.subject_id),
        _text(entry.prev_hash),
        _instant(entry.created_at),
        _text(_event_value(entry.event)),
        _text(_event_value(entry.actor_kind)),
        _number(entry.actor_ref),
        _text(entry.actor_label),
        _text(entry.target_type),
        _text(entry.target_id),
        _address(entry.ip),
        _text(entry.user_agent),
        _text(entry.payload_hash),
    ]


def _pack(fields: list[bytes | None]) -> bytes:
    return b"".join(
        b"\x00" if value is None else b"\x01" + _LENGTH.pack(len(value)) + value for value in fields
    )


def encode_entry(entry: ChainEntry) -> bytes:
    """The bytes entry_hash is the SHA-256 of, in the entry's chain_version."""
    return ENTRY_DOMAIN + _pack(_fields(entry))


def encode_around_position(entry: ChainEntry) -> tuple[bytes, bytes]:
    """The encoding without its chain position, for a database that hashes the entry itself in the
    statement that reads the head (chain.py): the packed subject id, which goes between the sequence and
    prev_hash, and the packed fields after prev_hash. The sequence and prev_hash are never null, so the
    database packs each as b"\\x01", its length as 4-byte big-endian, and its ASCII (decimal, hex)."""
    fields = _fields(entry)
    return _pack(fields[1:2]), _pack(fields[3:])


def entry_hash(entry: ChainEntry) -> str:
    """SHA-256 (hex) of the entry's canonical encoding."""
    return hashlib.sha256(encode_entry(entry)).hexdigest()
