from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    # Only for the annotation: the project helpers sit below accounts and must not import it at run time.
    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind @login_required: its user is a real account, never AnonymousUser."""

    user: User
