"""Tasks the worker runs for the diary app."""

from __future__ import annotations

from django.tasks import task

from diary.review import send_weekly_reviews


@task()
def send_weekly_review_emails() -> int:
    """The weekly review emails due today, queued daily by the worker (ops/periodic.py); each user who
    asked gets one a week. `manage.py send_weekly_reviews` does the same by hand."""

    return send_weekly_reviews()
