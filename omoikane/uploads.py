"""Upload forms whose request cannot be read: too large to read, or refused by Django's multipart parser.

Both used to end outside the view: a body too large for the form, a 500 (the view added an error to a form
that had no data); a part header over Django's limit (a 2,000-character file name), the generic "Bad
request" page, raised while the CSRF check read the body. Here the guard reads the body itself, before the
CSRF check, for the views marked `@upload_form`; what it cannot read becomes a refusal the view shows on its
form, and nothing is stored.

The CSRF check cannot run on a body that was not read, so a refused request skips it. That is safe because
a refused request never reaches the view: `upload_form` answers it with the form and the refusal, which
changes nothing, and the page is the one a GET shows (another site cannot read it, and frames are refused).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from omoikane.numbers import parse_int

View = TypeVar("View", bound=Callable[..., Any])

# Room for the form's other fields and the multipart framing around the file.
MULTIPART_OVERHEAD = 256 * 1024
_REFUSAL = "_upload_refusal"


class UploadRefused:
    """Why an upload's request was not read, with the status its page is answered with."""

    def __init__(self, message: str, status: int) -> None:
        self.message = message
        self.status = status


def upload_form(
    *,
    max_bytes: Callable[[], int],
    too_large: Callable[[], str],
    on_refused: Callable[..., HttpResponse],
) -> Callable[[View], View]:
    """Mark a view that takes an upload: bodies over `max_bytes()` (plus framing) are refused unread.

    A refused request never reaches the view: `on_refused(request, refusal, *args, **kwargs)` answers it
    with the form and the refusal's message, and can change nothing. `max_bytes` and `too_large` are
    callables so that settings overridden in tests and the active language are read per request.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            refused = refusal(request)
            if refused is not None:
                return on_refused(request, refused, *args, **kwargs)
            return view(request, *args, **kwargs)

        # Copied onto the decorators above by their functools.wraps, for the middleware to find.
        wrapper.upload_limit = (max_bytes, too_large)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def refusal(request: HttpRequest) -> UploadRefused | None:
    """The refusal the guard left on the request, if its body could not be read."""
    found: UploadRefused | None = getattr(request, _REFUSAL, None)
    return found


def refused_form[FormT: forms.Form](form: FormT, message: str) -> FormT:
    """`form`, bound to no data, showing `message` alone: none of the checks on fields it never received."""
    form.is_valid()
    form.errors.clear()
    form.add_error(None, message)
    return form


def _guard(request: HttpRequest, limit: tuple[Callable[[], int], Callable[[], str]]) -> UploadRefused | None:
    max_bytes, too_large = limit
    declared = parse_int(request.META.get("CONTENT_LENGTH"), minimum=0)
    if declared is not None and declared > max_bytes() + MULTIPART_OVERHEAD:
        return UploadRefused(too_large(), 413)
    try:
        request.POST  # noqa: B018  (reads and parses the body now, where its errors can be caught)
    except RequestDataTooBig:
        return UploadRefused(too_large(), 413)
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
        return UploadRefused(
            _(
                "We could not read this upload. If the file's name is very long, rename the file to a "
                "shorter name and upload it again."
            ),
            400,
        )
    return None


class UploadGuardMiddleware:
    """Reads the body of a POST to an `@upload_form` view before the CSRF check does (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        limit = getattr(view, "upload_limit", None)
        if limit is None or request.method != "POST":
            return None
        refused = _guard(request, limit)
        if refused is not None:
            setattr(request, _REFUSAL, refused)
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return None
