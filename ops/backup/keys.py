"""The backup keys: age recipients to encrypt to, the identity that decrypts, the Ed25519 signing key.

Production sets all three from the sops secrets (README, "Backups"). Development, with none set, makes an
identity and a signing key in var/ on first use, so `manage.py backup` works on a fresh clone.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from pyrage import x25519

DEVELOPMENT_IDENTITY = "backup-identity.txt"
DEVELOPMENT_SIGNING_KEY = "backup-signing-key.txt"


class BackupError(Exception):
    """A backup or a restore was refused or failed; the message says why and names no secret."""


def _var_file(name: str, make: str) -> str:
    path = Path(settings.VAR_DIR) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created private from the first byte: the key never sits readable by others.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(make + "\n")
    return path.read_text().strip()


def identity() -> x25519.Identity:
    """The identity that opens backups: BACKUP_IDENTITY_FILE, or development's own in var/."""
    if settings.BACKUP_IDENTITY_FILE:
        path = Path(settings.BACKUP_IDENTITY_FILE)
        if not path.is_file():
            raise BackupError(f"BACKUP_IDENTITY_FILE {path} does not exist.")
        text = path.read_text()
    elif settings.PRODUCTION:
        raise BackupError("BACKUP_IDENTITY_FILE is required to restore in the production profile.")
    else:
        text = _var_file(DEVELOPMENT_IDENTITY, str(x25519.Identity.generate()))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    try:
        return x25519.Identity.from_str(lines[0])
    except (IndexError, pyrage.IdentityError):
        raise BackupError("The backup identity file holds no age identity (AGE-SECRET-KEY-1…).") from None


def recipients() -> list[x25519.Recipient]:
    """Every key a backup is encrypted to: BACKUP_RECIPIENTS, or development's own identity's."""
    values = list(settings.BACKUP_RECIPIENTS)
    if not values:
        if settings.PRODUCTION:
            raise BackupError("BACKUP_RECIPIENTS is required in the production profile.")
        return [identity().to_public()]
    found = []
    for value in values:
        try:
            found.append(x25519.Recipient.from_str(value))
        except pyrage.RecipientError:
            raise BackupError(f"BACKUP_RECIPIENTS: {value!r} is not an age public key.") from None
    return found


def signing_key() -> Ed25519PrivateKey:
    """BACKUP_SIGNING_KEY (the base64 of a 32-byte Ed25519 seed), or development's own in var/."""
    value = settings.BACKUP_SIGNING_KEY
    if not value:
        if settings.PRODUCTION:
            raise BackupError("BACKUP_SIGNING_KEY is required in the production profile.")
        value = _var_file(DEVELOPMENT_SIGNING_KEY, base64.b64encode(os.urandom(32)).decode("ascii"))
    try:
        seed = base64.b64decode(value, validate=True)
        return Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError:
        raise BackupError("BACKUP_SIGNING_KEY must be the base64 of 32 random bytes.") from None


def verify_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def check_signature(data: bytes, signature: bytes) -> None:
    try:
        verify_key().verify(signature, data)
    except InvalidSignature:
        raise BackupError(
            "The backup's manifest signature does not verify: it was changed, or signed with another key."
        ) from None
