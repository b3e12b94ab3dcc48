from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from omoikane.db import WriteOutcomeUnknown, connection_lost

# How long a browser or client is told to wait before trying again; a failover takes about 10 s.
RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Django sets every other security header itself; Permissions-Policy it does not know."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A request whose database went away (a failover that outlasted the write's own wait) gets a 503 that
    says what happened to the user's change, not a generic error page.

    The page is rendered without the request: the usual context (the signed-in user, the session) would ask
    the database that has just gone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError) or not connection_lost(exception):
            return None
        unknown = isinstance(exception, WriteOutcomeUnknown)
        response = HttpResponse(
            render_to_string("database_unavailable.html", {"outcome_unknown": unknown}), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
