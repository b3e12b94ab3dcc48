from __future__ import annotations

import datetime as dt

from accounts.models import User
from applications.models import Application
from diary.actions import do_add_entry
from diary.models import DiaryEntry, Kind
from privacy_kernel.audit import Actor


def add_entry(
    user: User,
    text: str = "Called the hiring manager before applying.",
    *,
    kind: str = Kind.TRIED,
    outcome: str = "",
    application: Application | None = None,
    occurred_on: dt.date | None = None,
) -> DiaryEntry:
    return do_add_entry(
        user,
        kind=kind,
        text=text,
        outcome=outcome,
        application=application,
        occurred_on=occurred_on,
        actor=Actor.system("test"),
    )
