from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from ops.models import AuditVerifyRun, BackupRun, RestoreDrill
from privacy_kernel.exports import NotExported
from privacy_kernel.registry import NotPersonal, Personal


def _tasks_of(user: User) -> QuerySet[Any]:
    # House rule for tasks: one that works on a user's data takes that user's id as the `user_id` keyword
    # argument, so their queued and finished rows can be found here for export and erasure.
    return DBTaskResult.objects.filter(args_kwargs__kwargs__user_id=user.pk)


PERSONAL = [
    Personal(
        DBTaskResult,
        owner=None,
        lookup=_tasks_of,
        export=NotExported("queue bookkeeping"),
        label=_("background tasks"),
    ),
]

NOT_PERSONAL = [
    NotPersonal(BackupRun, why="when a backup ran, its size and counts: no row or file of any user"),
    NotPersonal(RestoreDrill, why="when a restore drill ran and how many rows and objects it verified"),
    NotPersonal(AuditVerifyRun, why="when the audit chains were verified, with counts of chains and events"),
]
