"""Secrets are masked when an audit row or a log line is written, not when it is read: what was never
stored cannot leak from a backup, an export or a support view."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

MASK = "[masked]"

# Keys whose values are secrets whatever they look like.
_SECRET_KEY = re.compile(
    r"pass(word)?|secret|token|api[_-]?key|authorization|cookie|session|csrf|otp|totp|recovery|credential|^key$|^code$",
    re.IGNORECASE,
)
# Values that are secrets whatever key they sit under: provider keys, bearer tokens, Django session ids.
_SECRET_VALUE = re.compile(
    r"(sk-ant-[A-Za-z0-9_\-]{8,}|sk_(live|test)_[A-Za-z0-9]{8,}|rk_(live|test)_[A-Za-z0-9]{8,}"
    r"|whsec_[A-Za-z0-9]{8,}|Bearer\s+[A-Za-z0-9._\-]{8,}|sessionid=[A-Za-z0-9]+"
    r"|AGE-SECRET-KEY-1[0-9A-Za-z]{8,})"
)


def mask_text(text: str) -> str:
    return _SECRET_VALUE.sub(MASK, text)


def mask(data: Any) -> Any:
    """Return a copy of JSON-like data with secret keys and secret-looking values masked."""
    if isinstance(data, Mapping):
        return {
            str(key): MASK if _SECRET_KEY.search(str(key)) else mask(value) for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask(item) for item in data]
    if isinstance(data, str):
        return mask_text(data)
    return data


class MaskSecretsFilter(logging.Filter):
    """Masks secret-looking values in every log record before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
