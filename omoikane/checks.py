"""System checks for the promises that depend on configuration. `check --deploy` runs them in production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from omoikane.volumes import unencrypted


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


@register(Tags.security, deploy=True)
def check_encrypted_volumes(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The Security page promises full-disk encryption on every storage volume: the data directory, the
    database's data directory where it is local, and the backup spool must sit on dm-crypt, or be declared
    encrypted by other means (VOLUMES_ENCRYPTED_OTHERWISE)."""
    if not settings.PRODUCTION:
        return []
    paths = [Path(settings.VAR_DIR), *(Path(p) for p in settings.VOLUME_CHECK_PATHS)]
    declared = [Path(p) for p in settings.VOLUMES_ENCRYPTED_OTHERWISE]
    return [
        Error(
            f"{path} {reason}: storage volumes must be encrypted.",
            hint="Put it on a LUKS (dm-crypt) volume, or list it in VOLUMES_ENCRYPTED_OTHERWISE if the "
            "provider encrypts the volume.",
            id="omoikane.E010",
        )
        for path, reason in unencrypted(paths, declared=declared, sys_root=Path(settings.VOLUME_SYS_ROOT))
    ]
