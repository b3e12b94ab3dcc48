from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from privacy_kernel.exports import JsonFile, JsonLines, NotExported
from privacy_kernel.models import (
    AuditArchive,
    AuditChainStart,
    AuditEvent,
    DeletionLedger,
    ErasureRequest,
    ExportRequest,
    SupportGrant,
)
from privacy_kernel.registry import NotPersonal, Personal

if TYPE_CHECKING:
    from accounts.models import User


def _admin_entries_about(user: User) -> QuerySet[Any]:
    # The operator's change log names the account it touched in object_id and object_repr (the email).
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(user)), object_id=str(user.pk)
    )


def _archives_of(user: User) -> QuerySet[Any]:
    # A plain subject id, no foreign key: the rows must outlive the account until its objects are deleted
    # (privacy_rights.retention.delete_archives_of removes objects, then rows).
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
        export=JsonLines("activity.jsonl"),
        outside=("audit archive",),
        label=_("activity log events"),
    ),
    Personal(
        SupportGrant,
        owner="user",
        export=JsonFile("support_grants.json", note="when, how long, your reason"),
        label=_("support access grants"),
    ),
    # The events themselves are in the encrypted objects: privacy_rights.retention reads them for the export
    # (archived_events_of) and removes objects and rows on erasure (delete_archives_of).
    Personal(
        AuditArchive,
        owner=None,
        lookup=_archives_of,
        export=JsonLines("activity.jsonl", note="archived events"),
        outside=("audit archive",),
        label=_("archived activity records"),
    ),
    # A sequence number and a hash, where the chain's surviving evidence begins; removed with the archives.
    Personal(
        AuditChainStart,
        owner=None,
        lookup=_chain_start_of,
        export=NotExported("a hash, no content"),
        label=_("activity log starting points"),
    ),
    Personal(
        LogEntry,
        owner=None,
        lookup=_admin_entries_about,
        export=JsonLines("activity.jsonl", note="operator changes"),
        label=_("operator changes"),
    ),
    Personal(
        ExportRequest,
        owner="user",
        files=("file",),
        export=NotExported("the export's own bookkeeping and zip (earlier exports are not nested)"),
        label=_("exports"),
    ),
    Personal(
        ErasureRequest,
        owner=None,
        lookup=_erasure_of,
        export=NotExported("exists only while the account is being erased"),
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
