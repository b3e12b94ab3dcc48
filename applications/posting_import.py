"""Reading a posting from a web address in the worker, so the page that asked answers at once.

The form checks the address (importing.fetch.check_url) and do_request_import stores a PostingImport and
queues `import_posting`. The worker fetches and reads the page (the slow part: another site's server) and
makes the application from a posting read whole, which queues its fit score (applications.fit). A page that
cannot be read marks the import "failed" with the reason, and no application is made; the import's page
says why and offers to try again. The import's page shows the progress and refreshes itself until done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from applications.actions import PostingData, do_add_application
from applications.importing.fetch import Fetched, fetch
from applications.intake import posting_from_url
from applications.models import Application, PostingImport
from omoikane.errors import Refused
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

logger = logging.getLogger(__name__)

SYSTEM = Actor.system("import")


@write_action
def do_request_import(user: User, url: str, *, actor: Actor) -> PostingImport:
    """Queue the reading of the posting at `url` (checked by the form already)."""
    row = PostingImport.objects.create(user=user, url=url[:2000])
    audit.record(Event.POSTING_IMPORT_REQUESTED, actor=actor, subject=user, target=row)
    # The queue is a table of this database: the task row commits, or rolls back, with the import.
    import_posting.enqueue(user_id=user.pk, import_id=row.pk)
    return row


@write_action
def do_retry_import(row: PostingImport, *, actor: Actor) -> bool:
    """Read the page again after a failed import. False when it had not failed."""
    # A conditional update: of two clicks at once, one queues the import.
    if not PostingImport.objects.filter(pk=row.pk, status=PostingImport.Status.FAILED).update(
        status=PostingImport.Status.QUEUED, error="", finished_at=None
    ):
        return False
    row.refresh_from_db()
    audit.record(
        Event.POSTING_IMPORT_REQUESTED, actor=actor, subject=row.user, target=row, data={"retry": True}
    )
    import_posting.enqueue(user_id=row.user_id, import_id=row.pk)
    return True


def do_run_import(row: PostingImport, *, fetch_page: Callable[[str], Fetched] = fetch) -> Application | None:
    """The worker's import: the application made from the page, or None when the page could not be read
    (the row says why) or the import was not waiting (another worker has it, or it is finished)."""
    # RUNNING too: a task whose worker died is queued again (TASK_RECLAIM_AFTER_SECONDS) and finds its
    # import as the dead run left it. The queue hands a task to one worker at a time.
    waiting = (PostingImport.Status.QUEUED, PostingImport.Status.RUNNING)
    claimed = PostingImport.objects.filter(pk=row.pk, status__in=waiting).update(
        status=PostingImport.Status.RUNNING
    )
    if not claimed:
        return None
    row.refresh_from_db()
    # The reason is stored as the user will read it: in their language, not the worker's.
    with translation.override(row.user.language or settings.LANGUAGE_CODE):
        try:
            posting = posting_from_url(row.url, fetch_page=fetch_page)
        except Refused as refusal:
            writes.run(_fail, row, str(refusal.message), refusal.code)
            return None
        except Exception:
            logger.exception("Importing posting %s failed", row.pk)
            message = _("Something went wrong on our side while reading the page. Please try again.")
            writes.run(_fail, row, message, "error")
            raise
    return writes.run(_store, row, posting)


def _store(row: PostingImport, posting: PostingData) -> Application:
    application = do_add_application(row.user, posting, actor=SYSTEM)
    row.status, row.application, row.finished_at = PostingImport.Status.DONE, application, timezone.now()
    row.save(update_fields=["status", "application", "finished_at"])
    audit.record(
        Event.POSTING_IMPORTED,
        actor=SYSTEM,
        subject=row.user,
        target=application,
        data={"import": row.pk, "found_in": posting.found_in},
    )
    return application


def _fail(row: PostingImport, message: str, code: str) -> None:
    row.status, row.error, row.finished_at = PostingImport.Status.FAILED, message, timezone.now()
    row.save(update_fields=["status", "error", "finished_at"])
    audit.record(Event.POSTING_IMPORT_FAILED, actor=SYSTEM, subject=row.user, target=row, data={"code": code})


@task()
def import_posting(*, user_id: int, import_id: int) -> int | None:
    """Read one queued posting import (do_run_import); returns the new application's id, or None."""

    row = PostingImport.objects.filter(pk=import_id, user_id=user_id).select_related("user").first()
    if row is None:
        return None  # the import or the account was deleted while the task waited
    application = do_run_import(row)
    return application.pk if application is not None else None
