"""allauth's URLs, each tied to the audit log.

Pages that anyone may open to get into an account (sign in, sign up, reset, confirm) are public: what
happens on them is audited by the signals in accounts/signals.py. Every other allauth page shows or
changes a signed-in user's account data and records an access event. An allauth page not named below
is audited by default, so an upgrade that adds pages cannot add unaudited ones.
"""

from __future__ import annotations

from typing import Any

from allauth import urls as allauth_urls
from django.urls import URLPattern, URLResolver

from privacy_kernel.audit import audited, public
from privacy_kernel.events import Event

_SIGNALS = "the outcome is audited by the account signals"
PUBLIC_ALLAUTH_PAGES: dict[str, str] = {
    "account_login": f"anonymous sign-in page; {_SIGNALS}",
    "account_signup": f"anonymous sign-up page; {_SIGNALS}",
    "account_logout": f"signing out; {_SIGNALS}",
    "account_inactive": "static notice for a locked account",
    "account_email_verification_sent": "static notice after sign-up",
    "account_confirm_email": f"opened from the emailed link, often signed out; {_SIGNALS}",
    "account_reset_password": f"anonymous reset request; {_SIGNALS}",
    "account_reset_password_done": "static notice after a reset request",
    "account_reset_password_from_key": f"opened from the emailed link; {_SIGNALS}",
    "account_reset_password_from_key_done": "static notice after a reset",
    "mfa_authenticate": f"second step of signing in, before the session exists; {_SIGNALS}",
    "mfa_login_webauthn": f"passkey sign-in, before the session exists; {_SIGNALS}",
    "mfa_signup_webauthn": f"passkey sign-up, before the account exists; {_SIGNALS}",
}


def _wrap(patterns: list[Any]) -> list[URLPattern | URLResolver]:
    wrapped: list[URLPattern | URLResolver] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            wrapped.append(
                URLResolver(
                    entry.pattern,
                    _wrap(entry.url_patterns),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
            continue
        reason = PUBLIC_ALLAUTH_PAGES.get(entry.name or "")
        callback = (
            public(reason)(entry.callback) if reason else audited(Event.ACCOUNT_PAGE_VIEWED)(entry.callback)
        )
        wrapped.append(URLPattern(entry.pattern, callback, entry.default_args, entry.name))
    return wrapped


def allauth_patterns() -> list[URLPattern | URLResolver]:
    return _wrap(list(allauth_urls.urlpatterns))
