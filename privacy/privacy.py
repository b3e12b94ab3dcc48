from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from accounts.models import User
from privacy.models import AuditArchive, AuditChainStart, AuditEvent, SupportGrant
from privacy.registry import NotPersonal, Personal


def _admin_entries_about(user: User) -> QuerySet[Any]:
    # The operator's change log names the account it touched in object_id and object_repr (the email).
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    )


def _archives_of(user: User) -> QuerySet[Any]:
    # A plain subject id, no foreign key: the rows must outlive the account until its objects are deleted
    # (privacy.retention.delete_archives_of removes objects, then rows).
    return AuditArchive.objects.filter(subject_id=user.pk)


def _chain_start_of(user: User) -> QuerySet[Any]:
    return AuditChainStart.objects.filter(subject_id=user.pk)


PERSONAL = [
    Personal(AuditEvent, owner="subject", export="activity.jsonl", outside=("audit archive",)),
    Personal(SupportGrant, owner="user", export="support_grants.json (when, how long, your reason)"),
    # The events themselves are in the encrypted objects: privacy.retention.archived_events_of reads them for
    # the export, delete_archives_of removes objects and rows on erasure.
    Personal(
        AuditArchive,
        owner=None,
        lookup=_archives_of,
        export="activity.jsonl (archived events)",
        outside=("audit archive",),
    ),
    # A sequence number and a hash, where the chain's surviving evidence begins; removed with the archives.
    Personal(AuditChainStart, owner=None, lookup=_chain_start_of, export="not exported: a hash, no content"),
    Personal(LogEntry, owner=None, lookup=_admin_entries_about, export="activity.jsonl (operator changes)"),
]
NOT_PERSONAL = [
    NotPersonal(ContentType, why="the list of installed model types, the same for everyone"),
]
