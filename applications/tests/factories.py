from __future__ import annotations

from accounts.models import User
from applications.actions import PostingData, do_add_application
from applications.models import Application
from omoikane.testing import run_queued
from privacy_kernel.audit import Actor

POSTING_TEXT = """Senior Backend Engineer
Fjordpay AS · Oslo · Full-time

## About us
Fjordpay processes card payments for Nordic merchants.

## Requirements
- 5+ years of professional experience with Python.
- Deep knowledge of PostgreSQL, including performance tuning.
- Experience running services on Kubernetes.

## Nice to have
- Experience with Kafka.
"""


def add_application(
    user: User,
    *,
    title: str = "Senior Backend Engineer",
    company: str = "Fjordpay AS",
    text: str = POSTING_TEXT,
) -> Application:
    """An application added through the real action and scored as the worker scores it."""
    posting = PostingData(title=title, company=company, posting_text=text, language="en", location="Oslo")
    application = do_add_application(user, posting, actor=Actor.system("test"))
    run_queued("score_application", user_id=user.pk, application_id=application.pk)
    application.refresh_from_db()
    return application
