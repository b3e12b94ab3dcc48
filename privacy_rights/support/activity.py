"""The short line the activity page shows under a support event: until when a grant runs, which of the
user's pages support opened."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from privacy_kernel.events import Event

if TYPE_CHECKING:
    from privacy_kernel.models import AuditEvent


def _when(value: object) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def describe(event: AuditEvent) -> str:
    data = event.metadata or {}
    if event.event == Event.SUPPORT_GRANTED and "expires_at" in data:
        return _("until %(when)s") % {"when": _when(data["expires_at"])}
    if event.event == Event.SUPPORT_REVOKED and "revoked_at" in data:
        return _("ended %(when)s") % {"when": _when(data["revoked_at"])}
    if event.event == Event.SUPPORT_VIEWED and "page" in data:
        from privacy_rights.support.operator import SECTIONS_BY_SLUG

        slug, _sep, item = str(data["page"]).partition("/")
        section = SECTIONS_BY_SLUG.get(slug)
        if section is None:
            return _("Overview")
        if item:
            return _("%(section)s, item %(item)s") % {"section": section.title, "item": item}
        return str(section.title)
    return ""
