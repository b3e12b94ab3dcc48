"""Calendar passwords and feed tokens, encrypted at rest with CALENDAR_CREDENTIALS_KEY (Fernet: AES-128-CBC
with an HMAC-SHA256, so a changed ciphertext is refused rather than decrypted into something else).

Development derives a key from SECRET_KEY, so `make run` needs no secret of its own; production requires
the setting (omoikane/settings.py), which comes from the sops-encrypted secrets. A value that no longer
decrypts (the key was replaced) reads as missing: the connection then asks the user to connect again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = settings.CALENDAR_CREDENTIALS_KEY
    if not key:
        digest = hashlib.sha256(f"calendar-credentials:{settings.SECRET_KEY}".encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str | None:
    """The plain value, or None when there is none or it was encrypted with another key."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None


def key_is_valid(key: str) -> bool:
    try:
        Fernet(key)
    except ValueError:
        return False
    return True
