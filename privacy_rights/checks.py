"""System checks of the audit archive's keys, registered by PrivacyRightsConfig.ready() importing this module.

They live beside the archive they check, not in omoikane/checks.py: the project helpers sit below every app
and may not import privacy_rights. The ids keep the "privacy." prefix they were published with.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning

from privacy_rights.archive import ArchiveKeyError, parse_identity, recipient_problems


@register(Tags.security)
def check_audit_archive_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Audit archives are encrypted to a key held offline: required in production, well-formed anywhere.

    Not a deploy-only check: the worker that archives must refuse to start with a malformed key.
    """
    messages: list[CheckMessage] = []
    recipients = settings.AUDIT_ARCHIVE_RECIPIENT
    for problem in recipient_problems(recipients):
        messages.append(Error(f"AUDIT_ARCHIVE_RECIPIENT: {problem}.", id="privacy.E001"))
    if settings.PRODUCTION and not recipients:
        messages.append(
            Error(
                "Set AUDIT_ARCHIVE_RECIPIENT in production: the age public key audit archives are "
                "encrypted to.",
                hint="Make the key pair with age-keygen on a trusted machine and keep the identity offline.",
                id="privacy.E002",
            )
        )
    if settings.AUDIT_ARCHIVE_SERVER_KEY:
        try:
            parse_identity(settings.AUDIT_ARCHIVE_SERVER_KEY, source="AUDIT_ARCHIVE_SERVER_KEY")
        except ArchiveKeyError as error:
            messages.append(Error(str(error), id="privacy.E003"))
    elif settings.PRODUCTION:
        messages.append(
            CheckWarning(
                "AUDIT_ARCHIVE_SERVER_KEY is not set: exports cannot include archived audit events.",
                hint="An age identity from the sops-encrypted secrets (README: Audit archive keys).",
                id="privacy.W001",
            )
        )
    return messages
