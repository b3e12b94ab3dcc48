"""Third-party apps register admin pages for their models; the ones that hold secrets or user data are
taken off the operator site here (ops comes after them in INSTALLED_APPS)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django_tasks_db.models import DBTaskResult

for model in (Authenticator, UserSession, DBTaskResult, EmailAddress):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
