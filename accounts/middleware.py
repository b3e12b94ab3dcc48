from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

# How often a session's "last seen" is written at most, and where in the session the last write is noted.
SESSION_SEEN_SECONDS = 60
SESSION_SEEN_KEY = "_omoikane_session_seen"


class UserLanguageMiddleware:
    """A signed-in user's stored language wins over the browser's, and their time zone is the one pages show
    times in: they chose both in settings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            # And their time zone: pages show times where the user lives (Settings → Profile).
            timezone.activate(user.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class UserSessionActivityMiddleware:
    """allauth's session tracking (the "last seen" of each session on the Sessions page), written at most
    once a minute per session instead of on every request.

    allauth's own middleware rewrites the session's UserSession row on every signed-in request: a write
    transaction of five statements, on SQLite the database's one write lock, before the view has even run.
    This one remembers in the session when it last wrote, and for which session key, address and browser;
    it writes again when a minute has passed or any of those changed, so a new address or browser still
    reaches the row (and allauth's `session_client_changed` signal) on the request that brings it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            usersessions_settings.TRACK_ACTIVITY
            and session is not None
            and session.session_key
            and user is not None
            and user.is_authenticated
        ):
            now = int(time.time())
            client = _client(request, session.session_key)
            seen = session.get(SESSION_SEEN_KEY)
            if not _seen_recently(seen, client, now):
                UserSession.objects.create_from_request(request)
                session[SESSION_SEEN_KEY] = [now, client]
        return self.get_response(request)


def _client(request: HttpRequest, session_key: str) -> str:
    """A short digest of what the row records about the client, and of the session it belongs to."""
    address = get_account_adapter().get_client_ip(request) or ""
    browser = request.META.get("HTTP_USER_AGENT", "")
    text = "\x00".join((session_key, address, browser))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _seen_recently(seen: object, client: str, now: int) -> bool:
    if not isinstance(seen, list) or len(seen) != 2:
        return False
    written, written_for = seen
    # A clock that went back counts as stale, so the row is written rather than skipped for long.
    return written_for == client and isinstance(written, int) and 0 <= now - written < SESSION_SEEN_SECONDS
