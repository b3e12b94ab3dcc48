from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def request_language(request: HttpRequest) -> str:
    """The language the request was answered in (LocaleMiddleware read Accept-Language and the cookie)."""
    code = translation.get_language_from_request(request)
    return code if code in SUPPORTED_LANGUAGES else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class SiteName:
    """What allauth's email templates read as `current_site`: the product's name and public address, never
    the host a request happened to use (emails once said "Hello from 127.0.0.1:8101!")."""

    name: str
    domain: str


def site_name() -> SiteName:
    return SiteName(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": site_name()})

    def clean_email(self, email: str) -> str:
        # The form accepts 320 characters (RFC 5321's outer limit); the column, like most mail systems, 254.
        max_length = User._meta.get_field("email").max_length or 254
        if len(email) > max_length:
            raise ValidationError(
                _("An email address can have at most %(max)d characters.") % {"max": max_length}
            )
        return super().clean_email(email)

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        user.language = request_language(request)
        if commit:
            user.save()
        return user


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions: list[Any]) -> None:
        super().end_sessions(sessions)
        request = context.request
        if request is not None and request.user.is_authenticated and sessions:
            audit.record(
                Event.SESSIONS_ENDED,
                actor=Actor.from_request(request),
                subject=request.user,
                data={"count": len(sessions)},
            )
