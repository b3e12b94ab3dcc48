"""System checks for the promises that depend on configuration. `check --deploy` runs them in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def check_database_tls(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The database runs on other hosts in production: TLS with a verified certificate, or no start."""
    if not settings.PRODUCTION:
        return []
    errors: list[Error] = []
    for alias, config in settings.DATABASES.items():
        if config["ENGINE"] != "django.db.backends.postgresql":
            errors.append(
                Error(
                    f"Database '{alias}' must be PostgreSQL or YugabyteDB in production.", id="omoikane.E001"
                )
            )
            continue
        options = config.get("OPTIONS", {})
        if options.get("sslmode") != "verify-full" or not options.get("sslrootcert"):
            errors.append(
                Error(
                    f"Database '{alias}' needs sslmode=verify-full and DATABASE_SSLROOTCERT in production.",
                    hint="Set DATABASE_SSLROOTCERT to the CA certificate of the database cluster.",
                    id="omoikane.E002",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_email_transport(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Export links and receipts go by email; in production they must leave through real, encrypted SMTP."""
    if not settings.PRODUCTION:
        return []
    mailer = settings.MAILERS["default"]
    if mailer["BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
        return [Error("Set EMAIL_URL to an SMTP server in production.", id="omoikane.E003")]
    options = mailer.get("OPTIONS", {})
    if not (options.get("use_tls") or options.get("use_ssl")):
        return [
            Error(
                "EMAIL_URL must use STARTTLS (smtp+tls://) or implicit TLS (smtp+ssl://) in production.",
                id="omoikane.E004",
            )
        ]
    return []


@register(Tags.security)
def check_audit_archive_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Audit archives are encrypted to a key held offline: required in production, well-formed anywhere.

    Not a deploy-only check: the worker that archives must refuse to start with a malformed key.
    """
    from privacy_rights.archive import ArchiveKeyError, parse_identity, recipient_problems

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
