"""What changed, release by release, and who reported security issues (credited with their consent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Release:
    version: str
    released: date
    changes: tuple[Promise, ...]


@dataclass(frozen=True)
class SecurityCredit:
    reported: date
    who: str
    what: Promise


RELEASES: tuple[Release, ...] = (
    Release(
        version="0.2.0",
        released=date(2026, 11, 27),
        changes=(
            _(
                "Letters are drafted from your own materials in the posting's language, streamed as they are "
                "written; sentences not found in your materials are marked, and made-up contact details or "
                "names are flagged."
            ),
            _("Every version of a letter is kept and can be compared; the one you send is frozen as a PDF."),
            _("A diary of what you tried and what came of it."),
            _("Settings → AI activity shows every call to a language model: what went out, what came back."),
            _("You can give support read-only access for a while; every page they open shows in your log."),
            _("Export everything as one zip, or delete your account and everything it holds, yourself."),
            _("Older activity moves to an encrypted archive, which is deleted when its time is up."),
        ),
    ),
    Release(
        version="0.1.0",
        released=date(2026, 11, 26),
        changes=(
            _(
                "Accounts with email sign-in, email verification, passkeys, authenticator-app codes and "
                "recovery codes."
            ),
            _("Omoikane speaks English, Dutch, Norwegian Bokmål, German and Greek."),
            _("Your sessions are listed in settings, and you can sign out every other device."),
            _("Every sign-in, change and page that shows your account is recorded in an audit log."),
            _("Security & data, sub-processors, privacy policy and terms published."),
        ),
    ),
)

SECURITY_CREDITS: tuple[SecurityCredit, ...] = ()
