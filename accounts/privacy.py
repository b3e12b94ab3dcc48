"""Personal-data declarations for accounts, and for the allauth and django.contrib.auth models that the
accounts app configures."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from privacy_kernel.exports import JsonFile, NotExported
from privacy_kernel.registry import NotPersonal, Personal


def _sessions_of(user: User) -> QuerySet[Any]:
    # Session rows carry no user column; allauth's UserSession links a user to their session keys.
    keys = UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    return Session.objects.filter(session_key__in=list(keys))


PERSONAL = [
    Personal(
        User,
        owner="",
        export=JsonFile("account.json"),
        label=_("your account"),
    ),
    Personal(
        EmailAddress,
        owner="user",
        export=JsonFile("account.json", note="email addresses"),
        label=_("email addresses"),
    ),
    Personal(
        EmailConfirmation,
        owner="email_address__user",
        export=NotExported("short-lived confirmation keys"),
        label=_("email confirmations"),
    ),
    Personal(
        Authenticator,
        owner="user",
        export=JsonFile(
            "account.json",
            note="which two-factor methods are set up; their secrets are never exported",
        ),
        label=_("two-factor methods"),
    ),
    Personal(
        UserSession,
        owner="user",
        export=JsonFile("account.json", note="sessions: device, address, times"),
        label=_("sessions"),
    ),
    Personal(
        Session,
        owner=None,
        lookup=_sessions_of,
        export=NotExported("session keys are credentials"),
        label=_("session keys"),
    ),
]
NOT_PERSONAL = [
    NotPersonal(Group, why="staff permission groups; job seekers are never put in one"),
    NotPersonal(Permission, why="the fixed list of model permissions Django generates"),
]
