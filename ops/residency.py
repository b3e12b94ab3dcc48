"""Residency: every place our data can go must be in the EEA, checked at start against an allowlist.

The places: each database host (the main one and the trace store; a multi-host list counts host by host),
the S3 endpoint and region of uploads and archives, the backup target's, the SMTP relay, and the region the
language model is asked to infer in (`ANTHROPIC_INFERENCE_GEO`, when set). A host is in the EEA when it ends
with one of RESIDENCY_HOST_SUFFIXES, or is this site's own (a loopback or private address, or a name
without a dot, such as a socket folder or a service on the same network); a region when it is one of
RESIDENCY_REGIONS. The system check makes each finding an error in production (the process refuses to
start) and a warning in development; the Security page shows the same findings live.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning


@dataclass(frozen=True)
class Place:
    what: str
    kind: str  # "host" or "region"
    value: str


@dataclass(frozen=True)
class Finding:
    place: Place
    allowed: bool


def _own_site(host: str) -> bool:
    if host.startswith("/") or "." not in host:
        return True  # a Unix socket folder, or a name on this site's own network (db, localhost)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def host_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    if _own_site(host):
        return True
    return any(
        host == suffix.lower().lstrip(".") or host.endswith("." + suffix.lower().lstrip("."))
        for suffix in settings.RESIDENCY_HOST_SUFFIXES
    )


def region_allowed(region: str) -> bool:
    return region.lower() in {allowed.lower() for allowed in settings.RESIDENCY_REGIONS}


def places() -> list[Place]:
    found: list[Place] = []
    for alias, db in settings.DATABASES.items():
        for host in str(db.get("HOST") or "").split(","):
            if host.strip():
                found.append(Place(f"database {alias}", "host", host.strip()))
    storages: dict[str, Any] = settings.STORAGES
    for name, storage in storages.items():
        options = storage.get("OPTIONS", {})
        if options.get("endpoint_url"):
            found.append(
                Place(f"object storage {name}", "host", urlsplit(options["endpoint_url"]).hostname or "")
            )
            found.append(Place(f"object storage {name}", "region", options.get("region_name") or ""))
    if (settings.BACKUP_TARGET or "").startswith("s3://"):
        if settings.BACKUP_S3_ENDPOINT_URL:
            host = urlsplit(settings.BACKUP_S3_ENDPOINT_URL).hostname or ""
            found.append(Place("backups", "host", host))
        found.append(Place("backups", "region", settings.BACKUP_S3_REGION))
    mailers: dict[str, Any] = getattr(settings, "MAILERS", {})
    for mailer in mailers.values():
        host = mailer.get("OPTIONS", {}).get("host")
        if host:
            found.append(Place("email relay", "host", host))
    if settings.ANTHROPIC_API_KEY and settings.ANTHROPIC_INFERENCE_GEO:
        found.append(Place("language model inference", "region", settings.ANTHROPIC_INFERENCE_GEO))
    return found


def findings() -> list[Finding]:
    return [
        Finding(place, host_allowed(place.value) if place.kind == "host" else region_allowed(place.value))
        for place in places()
    ]


@register(Tags.security)
def check_residency(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    make = Error if settings.PRODUCTION else CheckWarning
    return [
        make(
            f"{finding.place.what}: {finding.place.kind} {finding.place.value!r} "
            "is not in the EEA allowlist.",
            hint="Use a place in the EEA, or add it to RESIDENCY_REGIONS / RESIDENCY_HOST_SUFFIXES if it is.",
            id="ops.E001" if settings.PRODUCTION else "ops.W001",
        )
        for finding in findings()
        if not finding.allowed
    ]
