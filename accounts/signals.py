"""Account events come from allauth and django.contrib.auth as signals; each becomes an audit event here.
The login and MFA flows stay allauth's own, and still every step of them is in the user's activity log."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind, Event


def _actor(request: HttpRequest | None, user: User | None) -> Actor:
    return Actor(kind=ActorKind.USER, user=user, request=request)


def _record(event: Event, request: HttpRequest | None, user: User | None, **data: Any) -> None:
    if user is None:
        return
    audit.record(event, actor=_actor(request, user), subject=user, data=data)


@receiver(account_signals.user_signed_up)
def on_signed_up(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    _record(Event.ACCOUNT_SIGNED_UP, request, user, language=user.language)


@receiver(auth_signals.user_logged_in)
def on_logged_in(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    _record(Event.LOGIN_SUCCEEDED, request, user)


@receiver(auth_signals.user_logged_out)
def on_logged_out(sender: object, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    _record(Event.LOGGED_OUT, request, user)


@receiver(auth_signals.user_login_failed)
def on_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempt goes into the activity log of the account it named, so its owner can see it. Attempts
    # on addresses we do not know are not stored at all: they would be data about nobody we serve.
    email = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = User.objects.filter(email=email).first() if email else None
    if user is not None:
        audit.record(Event.LOGIN_FAILED, actor=Actor(kind=ActorKind.USER, request=request), subject=user)


@receiver(account_signals.password_changed)
def on_password_changed(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    _record(Event.PASSWORD_CHANGED, request, user)


@receiver(account_signals.password_set)
def on_password_set(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    _record(Event.PASSWORD_SET, request, user)


@receiver(account_signals.password_reset)
def on_password_reset(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    _record(Event.PASSWORD_RESET, request, user)


@receiver(account_signals.email_added)
def on_email_added(
    sender: object, request: HttpRequest, user: User, email_address: Any, **kwargs: Any
) -> None:
    _record(Event.EMAIL_ADDED, request, user, email=email_address.email)


@receiver(account_signals.email_confirmed)
def on_email_confirmed(sender: object, request: HttpRequest, email_address: Any, **kwargs: Any) -> None:
    _record(Event.EMAIL_CONFIRMED, request, email_address.user, email=email_address.email)


@receiver(account_signals.email_changed)
def on_email_changed(
    sender: object,
    request: HttpRequest,
    user: User,
    from_email_address: Any,
    to_email_address: Any,
    **kwargs: Any,
) -> None:
    # allauth also sends this when the sign-up address is confirmed and becomes the primary one: nothing
    # changed for the user then (the confirmation has its own event), so the log says nothing more.
    old = from_email_address.email if from_email_address else ""
    if not old or old.lower() == to_email_address.email.lower():
        return
    _record(Event.EMAIL_CHANGED, request, user, old=old, new=to_email_address.email)


@receiver(account_signals.email_removed)
def on_email_removed(
    sender: object, request: HttpRequest, user: User, email_address: Any, **kwargs: Any
) -> None:
    _record(Event.EMAIL_REMOVED, request, user, email=email_address.email)


@receiver(mfa_signals.authenticator_added)
def on_mfa_added(sender: object, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    _record(Event.MFA_ADDED, request, user, method=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def on_mfa_removed(
    sender: object, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    _record(Event.MFA_REMOVED, request, user, method=authenticator.type)


@receiver(mfa_signals.authenticator_reset)
def on_mfa_reset(sender: object, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    _record(Event.MFA_RECOVERY_CODES_RESET, request, user, method=authenticator.type)


@receiver(mfa_signals.authenticator_used)
def on_mfa_used(sender: object, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    _record(Event.MFA_USED, request, user, method=authenticator.type)


@receiver(mfa_signals.authentication_failed)
def on_mfa_failed(
    sender: object, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    _record(Event.MFA_FAILED, request, user, method=authenticator.type)
