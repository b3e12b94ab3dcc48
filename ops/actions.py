"""The operations work's records: each written by an action, with its event in the system audit chain."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ops.models import AuditVerifyRun, BackupRun, RestoreDrill
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

SYSTEM = Actor.system("operations")


@write_action
def do_record_backup(
    name: str,
    *,
    started_at: datetime,
    ok: bool,
    size: int = 0,
    rows: int = 0,
    objects: int = 0,
    error: str = "",
) -> BackupRun:
    run = BackupRun.objects.create(
        name=name,
        started_at=started_at,
        finished_at=timezone.now(),
        ok=ok,
        size=size,
        rows=rows,
        objects_count=objects,
        error=error[:300],
    )
    audit.record(Event.BACKUP_MADE, actor=SYSTEM, subject=None, target=run, data={"ok": ok, "name": name})
    return run


@write_action
def do_record_drill(
    backup_name: str,
    *,
    started_at: datetime,
    ok: bool,
    rows: int = 0,
    objects: int = 0,
    chains: int = 0,
    erased_again: int = 0,
    error: str = "",
) -> RestoreDrill:
    drill = RestoreDrill.objects.create(
        backup_name=backup_name,
        started_at=started_at,
        finished_at=timezone.now(),
        ok=ok,
        rows_verified=rows,
        objects_verified=objects,
        chains_verified=chains,
        accounts_erased_again=erased_again,
        error=error[:300],
    )
    audit.record(
        Event.RESTORE_DRILL_RUN,
        actor=SYSTEM,
        subject=None,
        target=drill,
        data={"ok": ok, "backup": backup_name},
    )
    return drill


@write_action
def do_record_audit_verify(*, started_at: datetime, chains: int, events: int, broken: int) -> AuditVerifyRun:
    # No audit event of its own: recording one would append to the very chain just verified, every day.
    return AuditVerifyRun.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        ok=broken == 0,
        chains=chains,
        events=events,
        broken=broken,
    )
