"""The failover drill's task, in a module of its own so that the worker can import it by name (the load
script runs as __main__, a name the worker cannot import)."""

from __future__ import annotations

from django.tasks import task

from applications.actions import do_update_notes
from applications.models import Application
from privacy_kernel.audit import Actor

ACTOR = Actor.system("failover drill")
TASK_NOTE = "follow-up task ran"


@task()
def note_follow_up(application_id: int) -> None:
    """Idempotent, like every task the worker may run twice after a reclaim."""
    application = Application.objects.get(pk=application_id)
    do_update_notes(application, TASK_NOTE, actor=ACTOR)
