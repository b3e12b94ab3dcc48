from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from accounts.models import User
from privacy.models import AuditEvent, SupportGrant
from privacy.registry import NotPersonal, Personal


def _admin_entries_about(user: User) -> QuerySet[Any]:
    # The operator's change log names the account it touched in object_id and object_repr (the email).
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    )


PERSONAL = [
    Personal(AuditEvent, owner="subject", export="activity.jsonl", outside=("audit archive",)),
    Personal(SupportGrant, owner="user", export="support_grants.json (when, how long, your reason)"),
    Personal(LogEntry, owner=None, lookup=_admin_entries_about, export="activity.jsonl (operator changes)"),
]
NOT_PERSONAL = [
    NotPersonal(ContentType, why="the list of installed model types, the same for everyone"),
]
