"""Shared test scaffolding: alice owns things, charlie is a stranger, both made through the real code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from typing import Literal

import psycopg
from allauth.account.models import EmailAddress
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client, TestCase, TransactionTestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User

PASSWORD = "correct horse battery staple 42"  # noqa: S105  (the test accounts' password)


def make_user(email: str, *, name: str = "", language: str = "en", staff: bool = False) -> User:
    """A user as sign-up leaves them after confirming their address."""
    user = User.objects.create_user(email, PASSWORD, name=name, language=language, is_staff=staff)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


class _Users:
    alice: User
    charlie: User
    # Every test may touch the LLM trace store, which is its own database (coach/routers.py).
    databases: set[str] | Literal["__all__"] = {"default", "traces"}

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.alice = make_user("alice@example.org", name="Alice Andersen")
        self.charlie = make_user("charlie@example.org", name="Charlie Chen")


class BaseTestCase(_Users, TestCase):
    pass


class BaseTransactionTestCase(_Users, TransactionTestCase):
    """For flows that act in on_commit callbacks (allauth's MFA signals), which need real commits."""


def sign_in(client: Client, user: User, password: str = PASSWORD) -> None:
    """Sign in through allauth's real form, so the session carries what re-authentication checks."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    if response.status_code != 302:
        raise AssertionError(f"Sign-in failed for {user.email}: {response.status_code}")


def sign_in_recently(client: Client, user: User, password: str = PASSWORD) -> None:
    """Sign in and confirm the password again, as allauth asks before sensitive account changes."""
    sign_in(client, user, password)
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    if response.status_code != 302:
        raise AssertionError(f"Re-authentication failed for {user.email}: {response.status_code}")


def totp_code(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits), computed independently of allauth's own implementation."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        base64.b32decode(secret.upper() + "=" * (-len(secret) % 8)), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def cut_own_connection() -> None:
    """End this connection's server process from another connection, as a dying primary would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    if row is None:
        raise AssertionError("PostgreSQL did not say which process serves this connection")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [row[0]])


def run_queued(task_path_end: str, **kwargs: object) -> object:
    """Run the task an action queued with these arguments as the worker does: claimed, run, and its outcome
    recorded on the queue's row, so the queue afterwards holds what it would after the worker."""
    row = next(
        (
            row
            for row in DBTaskResult.objects.ready().filter(task_path__endswith=task_path_end)
            if row.args_kwargs["kwargs"] == kwargs
        ),
        None,
    )
    if row is None:
        raise AssertionError(f"No queued {task_path_end} task with {kwargs}")
    DBTaskResult.objects.filter(id=row.id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    row.refresh_from_db()
    try:
        value = row.task.call(**kwargs)
    except Exception as error:
        row.set_failed(error)
        raise
    row.set_successful(value)
    return value
