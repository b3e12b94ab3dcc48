"""Storing what a sync found (sync.py), in one write: the calendar's events, change markers and status.

Links the user confirmed between an event and an application survive a re-sync: an occurrence read again
(same UID and recurrence) keeps its application.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from calendars.models import CalendarConnection, CalendarEvent
from calendars.sync import Changes
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

BATCH = 500


def _fresh(connection: CalendarConnection) -> CalendarConnection | None:
    """The connection as the database has it now; None when it was disconnected while the sync ran."""
    return CalendarConnection.objects.filter(pk=connection.pk).select_related("user").first()


@write_action
def do_apply_sync(connection: CalendarConnection, changes: Changes, *, now: dt.datetime, actor: Actor) -> int:
    """Store a sync's result; the number of events added (0 when nothing changed)."""
    current = _fresh(connection)
    if current is None:
        return 0
    events = CalendarEvent.objects.filter(connection=current)
    kept: dict[tuple[str, str], tuple[int | None, bool]] = {}
    removed = 0
    added: list[CalendarEvent] = []
    if not changes.unchanged:
        gone = events if changes.full else events.filter(href__in=[*changes.replaced, *changes.removed])
        kept = {
            (uid, recurrence): (application, ours)
            for uid, recurrence, application, ours in gone.values_list(
                "uid", "recurrence_id", "application_id", "added_by_us"
            )
        }
        removed, _by_model = gone.delete()
        for href, (etag, occurrences) in changes.replaced.items():
            for item in occurrences:
                application_id, ours = kept.get((item.uid, item.recurrence_id), (None, False))
                added.append(
                    CalendarEvent(
                        connection=current,
                        href=href,
                        resource_etag=etag[:500],
                        uid=item.uid,
                        recurrence_id=item.recurrence_id,
                        summary=item.summary,
                        location=item.location,
                        starts_at=item.starts_at,
                        ends_at=item.ends_at,
                        all_day=item.all_day,
                        application_id=application_id,
                        added_by_us=ours,
                    )
                )
        CalendarEvent.objects.bulk_create(added, batch_size=BATCH)
    # Events that ended before the window are no longer the user's calendar as we show it.
    expired, _by_model = events.filter(ends_at__lt=changes.window_start).delete()
    was_failing = current.status != CalendarConnection.Status.OK
    current.ctag, current.sync_token = changes.ctag[:500], changes.sync_token[:500]
    current.etag = changes.etag[:500]
    current.status, current.status_message = CalendarConnection.Status.OK, ""
    current.last_synced_at = current.last_attempt_at = now
    current.save(
        update_fields=[
            "ctag", "sync_token", "etag", "status", "status_message", "last_synced_at", "last_attempt_at"
        ]
    )  # fmt: skip
    changed = len(added) != removed or expired > 0 or (len(added) > 0 and not changes.unchanged)
    if changed or was_failing:
        # Counts only: what the events say stays in the calendar, not in the activity log.
        audit.record(
            Event.CALENDAR_SYNCED,
            actor=actor,
            subject=current.user,
            target=current,
            data={"stored": len(added), "removed": removed + expired},
        )
    return len(added)


@write_action
def do_record_sync_failure(connection: CalendarConnection, message: str, *, actor: Actor) -> None:
    """Keep the reason a sync failed, in words; the events of the last good sync stay."""
    current = _fresh(connection)
    if current is None:
        return
    already = current.status == CalendarConnection.Status.FAILING and current.status_message == message
    current.status, current.status_message = CalendarConnection.Status.FAILING, message[:500]
    current.last_attempt_at = timezone.now()
    current.save(update_fields=["status", "status_message", "last_attempt_at"])
    if not already:
        # Once per new reason: a server that is down all day is one event, not one every half hour.
        audit.record(Event.CALENDAR_SYNC_FAILED, actor=actor, subject=current.user, target=current, data={})
