from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Long passphrases are welcome; this bound only stops a multi-megabyte "password" from being hashed.
MAX_PASSWORD_LENGTH = 1024


class MaximumLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                _("This password is too long. It may have at most %(max)d characters.")
                % {"max": MAX_PASSWORD_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Your password may be up to %(max)d characters long; a long passphrase is welcome.") % {
            "max": MAX_PASSWORD_LENGTH
        }
