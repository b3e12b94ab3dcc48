"""Which page a "Page viewed" entry of the activity log was: the audit row keeps the page's URL name,
the user reads its title in their language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from privacy_kernel.descriptions import describes
from privacy_kernel.events import Event

# The titles the settings menu and the pages already use, so a page has one name everywhere.
PAGE_TITLES: dict[str, Promise] = {
    "applications:add": _("Add a posting"),
    "accounts:settings": _("Profile and language"),
    "account_email": _("Email address"),
    "account_change_password": _("Password"),
    "account_set_password": _("Password"),
    "account_reauthenticate": _("Password"),
    "usersessions_list": _("Sessions"),
    "privacy:support": _("Support access"),
}
# allauth's two-factor pages (TOTP, passkeys, recovery codes) are one thing to the user.
MFA_TITLE = _("Two-factor authentication")


@describes(Event.PAGE_VIEWED, Event.ACCOUNT_PAGE_VIEWED)
def page_title(data: Mapping[str, Any]) -> str:
    page = str(data.get("page", ""))
    if page.startswith("mfa_"):
        return str(MFA_TITLE)
    title = PAGE_TITLES.get(page)
    return str(title) if title is not None else ""
