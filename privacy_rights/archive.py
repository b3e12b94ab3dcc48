"""The audit archive's objects: their keys, their names, their format, and reading them back.

Keys (README, "Audit archive keys"). Objects are encrypted with age (X25519) to every public key in
AUDIT_ARCHIVE_RECIPIENT, whose identities (private keys) are held offline by the operators, and, when
AUDIT_ARCHIVE_SERVER_KEY is set, also to that server-held identity's public key, so that a user's export
can include their archived events without anyone bringing a key. The server never needs the offline
identities: it only writes new objects and deletes whole ones. Rotation: a new recipient applies to new
objects; each AuditArchive row names the keys its object was encrypted to. In development, with no key
configured, an identity is made on first use in var/ and serves as both.

Format, version 1: one age file holding UTF-8 JSON lines. The first line is the header:
  {"format": "omoikane.audit.archive.v1", "subject_id": 12 (null for the system chain), "month": "2026-01",
   "part": 1, "first_sequence": 1, "last_sequence": 40, "event_count": 40,
   "start": {"sequence": 0, "entry_hash": "00…"}, "end": {"sequence": 40, "entry_hash": "…"}}
Every further line is one entry of the chain, in sequence order, with every field the chain hashes
(privacy_kernel.chain_encoding, version 1): id, subject_id, sequence, prev_hash, payload_hash, payload_salt,
entry_hash, chain_version, created_at (ISO 8601, microseconds, UTC offset), event, actor_kind, actor_id,
actor_ref, actor_label, target_type, target_id, ip, user_agent, metadata. So an operator holding an identity
can verify an object offline with the chain module alone: `ChainVerifier(header start)` over the entries must
end at the header's end, which must be the head the server recorded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrage
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyrage import x25519

from privacy_kernel.chain_encoding import ChainHead
from privacy_kernel.chain_verify import ENTRY_FIELDS

if TYPE_CHECKING:
    from privacy_kernel.models import AuditArchive

FORMAT = "omoikane.audit.archive.v1"
# An age X25519 recipient: "age1" and 58 Bech32 characters. Checked before pyrage sees it, so a typo in the
# environment gets a message naming the variable instead of "invalid Bech32 encoding".
RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")
IDENTITY_PREFIX = "AGE-SECRET-KEY-1"
DEVELOPMENT_IDENTITY_FILE = "audit-archive-identity.txt"


class ArchiveKeyError(ImproperlyConfigured):
    """The archive keys are missing or malformed."""


class ArchiveReadError(Exception):
    """An archive object could not be decrypted or is not a version-1 archive."""


# --- Keys -------------------------------------------------------------------------------------------------


def recipient_problems(values: Iterable[str]) -> list[str]:
    """Why each malformed AUDIT_ARCHIVE_RECIPIENT value is not a public key (the value itself is public)."""
    problems = []
    for value in values:
        if not RECIPIENT.fullmatch(value):
            problems.append(f"{value!r} is not an age public key (age1 followed by 58 characters)")
            continue
        try:
            x25519.Recipient.from_str(value)
        except pyrage.RecipientError as error:
            problems.append(f"{value!r} is not a valid age public key: {error}")
    return problems


def parse_identity(value: str, *, source: str) -> x25519.Identity:
    """An age identity from its text; the error names `source`, never the value (it is a secret)."""
    if not value.startswith(IDENTITY_PREFIX):
        raise ArchiveKeyError(f"{source} must be an age identity ({IDENTITY_PREFIX}…).")
    try:
        return x25519.Identity.from_str(value)
    except pyrage.IdentityError:
        raise ArchiveKeyError(f"{source} is not a valid age identity.") from None


def parse_identities(text: str, *, source: str) -> list[x25519.Identity]:
    """Every identity in an age identity file (`age-keygen` output: comments and key lines)."""
    lines = [line.strip() for line in text.splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    if not keys:
        raise ArchiveKeyError(f"{source} holds no age identity ({IDENTITY_PREFIX}…).")
    return [parse_identity(key, source=source) for key in keys]


def load_identities(path: Path) -> list[x25519.Identity]:
    """The identities in the file an operator brings (`--identity FILE`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ArchiveKeyError(f"Cannot read the identity file {path}: {error.strerror}.") from None
    return parse_identities(text, source=f"The identity file {path}")


def development_identity() -> x25519.Identity:
    """The development profile's archive identity, made on first use and kept in var/ (mode 0600)."""
    if settings.PRODUCTION:
        raise ArchiveKeyError(
            "AUDIT_ARCHIVE_RECIPIENT is required in production: the age public key audit archives are "
            "encrypted to (its identity is held offline)."
        )
    path = Path(settings.VAR_DIR) / DEVELOPMENT_IDENTITY_FILE
    if not path.exists():
        identity = x25519.Identity.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(
            "# Development audit archive identity, made by Omoikane. Not for production.\n"
            f"# public key: {identity.to_public()}\n{identity}\n",
            encoding="utf-8",
        )
    return parse_identities(path.read_text(encoding="utf-8"), source=str(path))[0]


def _uses_development_identity() -> bool:
    return not settings.AUDIT_ARCHIVE_RECIPIENT and not settings.AUDIT_ARCHIVE_SERVER_KEY


def offline_recipients() -> list[str]:
    """The public keys of the identities held offline (AUDIT_ARCHIVE_RECIPIENT)."""
    configured: list[str] = list(settings.AUDIT_ARCHIVE_RECIPIENT)
    if problems := recipient_problems(configured):
        raise ArchiveKeyError("AUDIT_ARCHIVE_RECIPIENT: " + "; ".join(problems) + ".")
    if configured:
        return configured
    if settings.PRODUCTION or settings.AUDIT_ARCHIVE_SERVER_KEY:
        # The server's own key alone would leave no copy of the key outside the server.
        where = "in production" if settings.PRODUCTION else "with AUDIT_ARCHIVE_SERVER_KEY"
        raise ArchiveKeyError(
            f"AUDIT_ARCHIVE_RECIPIENT is required {where}: the age public key audit archives are encrypted "
            "to, whose identity is held offline."
        )
    return [str(development_identity().to_public())]


def server_identity() -> x25519.Identity | None:
    """The identity the server may decrypt archives with (for export), or None if it holds none."""
    if settings.AUDIT_ARCHIVE_SERVER_KEY:
        return parse_identity(settings.AUDIT_ARCHIVE_SERVER_KEY, source="AUDIT_ARCHIVE_SERVER_KEY")
    if _uses_development_identity() and not settings.PRODUCTION:
        return development_identity()
    return None


def encryption_recipients() -> list[str]:
    """Every public key a new object is encrypted to: the offline ones, then the server's own."""
    recipients = offline_recipients()
    identity = server_identity()
    if identity is not None and str(identity.to_public()) not in recipients:
        recipients.append(str(identity.to_public()))
    return recipients


def encrypt(plaintext: bytes, recipients: Sequence[str]) -> bytes:
    return pyrage.encrypt(plaintext, [x25519.Recipient.from_str(value) for value in recipients])


def decrypt(ciphertext: bytes, identities: Sequence[x25519.Identity]) -> bytes:
    try:
        return pyrage.decrypt(ciphertext, list(identities))
    except pyrage.DecryptError as error:
        raise ArchiveReadError(f"cannot decrypt it with the given identity: {error}") from None


# --- Names and format -------------------------------------------------------------------------------------


def object_name(subject_id: int | None, month: date, part: int) -> str:
    """`audit/<subject id or "system">/<YYYY-MM>.jsonl.age`, or `<YYYY-MM>.<part>.jsonl.age` after the first.

    The subject id is the account's opaque number; nothing else of the user's is in the name.
    """
    chain = "system" if subject_id is None else str(int(subject_id))
    suffix = "" if part == 1 else f".{part}"
    return f"audit/{chain}/{month:%Y-%m}{suffix}.jsonl.age"


@dataclass(frozen=True)
class Header:
    subject_id: int | None
    month: str
    part: int
    first_sequence: int
    last_sequence: int
    event_count: int
    start: ChainHead
    end: ChainHead

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "subject_id": self.subject_id,
            "month": self.month,
            "part": self.part,
            "first_sequence": self.first_sequence,
            "last_sequence": self.last_sequence,
            "event_count": self.event_count,
            "start": {"sequence": self.start.sequence, "entry_hash": self.start.entry_hash},
            "end": {"sequence": self.end.sequence, "entry_hash": self.end.entry_hash},
        }

    @classmethod
    def from_json(cls, data: Any) -> Header:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ArchiveReadError(f"its first line is not a {FORMAT} header")
        try:
            return cls(
                subject_id=data["subject_id"],
                month=str(data["month"]),
                part=int(data["part"]),
                first_sequence=int(data["first_sequence"]),
                last_sequence=int(data["last_sequence"]),
                event_count=int(data["event_count"]),
                start=ChainHead(int(data["start"]["sequence"]), str(data["start"]["entry_hash"])),
                end=ChainHead(int(data["end"]["sequence"]), str(data["end"]["entry_hash"])),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ArchiveReadError(f"its header is incomplete: {error!r}") from None


@dataclass(frozen=True, slots=True)
class ArchivedEntry:
    """One entry read back from an archive object: what privacy_kernel.chain_verify.ChainVerifier checks."""

    id: int
    subject_id: int | None
    sequence: int
    prev_hash: str
    payload_hash: str
    payload_salt: str
    entry_hash: str
    chain_version: int
    created_at: datetime
    event: str
    actor_kind: str
    actor_id: int | None
    actor_ref: int | None
    actor_label: str
    target_type: str
    target_id: str
    ip: str | None
    user_agent: str
    metadata: Any

    @classmethod
    def from_json(cls, data: Any) -> ArchivedEntry:
        if not isinstance(data, dict) or set(data) != set(ENTRY_FIELDS):
            raise ArchiveReadError("an entry line does not hold exactly the chained fields")
        try:
            created_at = datetime.fromisoformat(data["created_at"])
        except (TypeError, ValueError):
            raise ArchiveReadError(f"entry {data.get('id')} has a malformed created_at") from None
        if created_at.tzinfo is None:
            raise ArchiveReadError(f"entry {data.get('id')} has a created_at without a UTC offset")
        return cls(**{**data, "created_at": created_at})


def entry_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """An audit row (a `values()` dict of ENTRY_FIELDS) as its archive line holds it."""
    created_at: datetime = row["created_at"]
    return {
        **{name: row[name] for name in ENTRY_FIELDS},
        "event": str(row["event"]),
        "actor_kind": str(row["actor_kind"]),
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }


def _line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode() + b"\n"


def encode_object(header: Header, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The plaintext of an archive object: the header line, then one line per entry."""
    return b"".join([_line(header.to_json()), *(_line(entry_json(row)) for row in rows)])


def decode_object(plaintext: bytes) -> tuple[Header, list[dict[str, Any]]]:
    """The header and the entry lines (as dicts) of a decrypted archive object."""
    try:
        lines = [json.loads(line) for line in plaintext.decode("utf-8").splitlines() if line]
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveReadError(f"it is not JSON lines: {error}") from None
    if not lines:
        raise ArchiveReadError("it is empty")
    return Header.from_json(lines[0]), lines[1:]


def read_object(archive: AuditArchive, identities: Sequence[x25519.Identity]) -> tuple[Header, list[Any]]:
    """Fetch, decrypt and decode an archive's object: its header and its entry lines."""
    from django.core.files.storage import storages

    storage = storages[archive.storage]
    if not storage.exists(archive.path):
        raise ArchiveReadError("the object is missing")
    with storage.open(archive.path, "rb") as stored:
        ciphertext = stored.read()
    return decode_object(decrypt(ciphertext, identities))
