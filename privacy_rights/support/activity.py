"""The short line the activity page shows under a support event: until when a grant runs, which of the
user's pages support opened. Registered with the kernel's event descriptions when the app is ready."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from privacy_kernel.descriptions import describes
from privacy_kernel.events import Event
from privacy_rights.support.operator import SECTIONS_BY_SLUG


def _when(value: object) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@describes(Event.SUPPORT_GRANTED)
def _granted(data: Mapping[str, Any]) -> str:
    return _("until %(when)s") % {"when": _when(data["expires_at"])} if "expires_at" in data else ""


@describes(Event.SUPPORT_REVOKED)
def _revoked(data: Mapping[str, Any]) -> str:
    return _("ended %(when)s") % {"when": _when(data["revoked_at"])} if "revoked_at" in data else ""


@describes(Event.SUPPORT_VIEWED)
def _viewed(data: Mapping[str, Any]) -> str:
    if "page" in data:
        slug, _sep, item = str(data["page"]).partition("/")
        section = SECTIONS_BY_SLUG.get(slug)
        if section is None:
            return _("Overview")
        if item:
            return _("%(section)s, item %(item)s") % {"section": section.title, "item": item}
        return str(section.title)
    return ""
