"""A new password rotates the private feed's address (CalendarsConfig.ready() connects these receivers):
whoever was handed the old address, or read it over the user's shoulder, loses it with the old password."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User
from calendars.actions import do_rotate_feed_after_password_change
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind


@receiver(account_signals.password_changed, dispatch_uid="calendars.password_changed")
@receiver(account_signals.password_set, dispatch_uid="calendars.password_set")
@receiver(account_signals.password_reset, dispatch_uid="calendars.password_reset")
def rotate_feed(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    do_rotate_feed_after_password_change(user, actor=Actor(kind=ActorKind.USER, user=user, request=request))
