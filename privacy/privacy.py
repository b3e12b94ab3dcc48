from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from privacy.models import (
    AuditArchive,
    AuditChainStart,
    AuditEvent,
    DeletionLedger,
    ErasureRequest,
    ExportRequest,
    SupportGrant,
)
from privacy.registry import NotPersonal, Personal
from privacy.retention import ArchivesHeldOffline, archived_events_of, delete_archives_of
from privacy.stores import OutsideStore


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


def _erasure_of(user: User) -> QuerySet[Any]:
    # The job's state names the account by id only: it must outlive the user row it deletes.
    return ErasureRequest.objects.filter(account_id=user.pk)


PERSONAL = [
    Personal(
        AuditEvent,
        owner="subject",
        export="activity.jsonl",
        outside=("audit archive",),
        label=_("activity log events"),
    ),
    Personal(
        SupportGrant,
        owner="user",
        export="support_grants.json (when, how long, your reason)",
        label=_("support access grants"),
    ),
    # The events themselves are in the encrypted objects: privacy.retention.archived_events_of reads them for
    # the export, delete_archives_of removes objects and rows on erasure.
    Personal(
        AuditArchive,
        owner=None,
        lookup=_archives_of,
        export="activity.jsonl (archived events)",
        outside=("audit archive",),
        label=_("archived activity records"),
    ),
    # A sequence number and a hash, where the chain's surviving evidence begins; removed with the archives.
    Personal(
        AuditChainStart,
        owner=None,
        lookup=_chain_start_of,
        export="not exported: a hash, no content",
        label=_("activity log starting points"),
    ),
    Personal(
        LogEntry,
        owner=None,
        lookup=_admin_entries_about,
        export="activity.jsonl (operator changes)",
        label=_("operator changes"),
    ),
    Personal(
        ExportRequest,
        owner="user",
        files=("file",),
        export="not exported: the export's own bookkeeping and zip (earlier exports are not nested)",
        label=_("exports"),
    ),
    Personal(
        ErasureRequest,
        owner=None,
        lookup=_erasure_of,
        export="not exported: exists only while the account is being erased",
        label=_("the deletion request"),
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


def _archived_events_for_export(user: User) -> Iterator[dict[str, Any]]:
    try:
        yield from archived_events_of(user.pk)
    except ArchivesHeldOffline as held:
        # Months encrypted only to the offline identity: the server cannot read them, so the export says
        # which they are instead of leaving them out silently.
        yield {"held_offline": held.months, "note": "Archived months held encrypted offline; ask support."}


# The encrypted audit archive: objects in the archive storage, outside the SQL database.
OUTSIDE_STORES = [
    OutsideStore(
        "audit archive",
        label=_("encrypted archive of your activity log"),
        erase=lambda user: delete_archives_of(user.pk),
        export_rows=_archived_events_for_export,
        export_to="activity.jsonl",
    )
]
