from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from accounts.models import User
from privacy.models import AuditEvent, DeletionLedger, ErasureRequest, ExportRequest
from privacy.registry import NotPersonal, Personal


def _admin_entries_about(user: User) -> QuerySet[Any]:
    # The operator's change log names the account it touched in object_id and object_repr (the email).
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    )


def _erasure_of(user: User) -> QuerySet[Any]:
    # The job's state names the account by id only: it must outlive the user row it deletes.
    return ErasureRequest.objects.filter(account_id=user.pk)


PERSONAL = [
    Personal(AuditEvent, owner="subject", export="activity.jsonl", outside=("audit archive",)),
    Personal(LogEntry, owner=None, lookup=_admin_entries_about, export="activity.jsonl (operator changes)"),
    Personal(
        ExportRequest,
        owner="user",
        files=("file",),
        export="not exported: the export's own bookkeeping and zip (earlier exports are not nested)",
    ),
    Personal(
        ErasureRequest,
        owner=None,
        lookup=_erasure_of,
        export="not exported: exists only while the account is being erased",
    ),
]
NOT_PERSONAL = [
    NotPersonal(ContentType, why="the list of installed model types, the same for everyone"),
    NotPersonal(
        DeletionLedger,
        why="an opaque keyed hash of an erased account's id and the times; it names nobody without the key "
        "and a backup holding that account, and erasing it would undo the erasure after a restore",
    ),
]
