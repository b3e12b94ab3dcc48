"""The stores outside the SQL database that the rights layer looks after. The models themselves are declared
with the kernel's own (privacy_kernel/privacy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from privacy_kernel.stores import OutsideStore
from privacy_rights.retention import ArchivesHeldOffline, archived_events_of, delete_archives_of

if TYPE_CHECKING:
    from accounts.models import User


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
