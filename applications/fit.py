"""An application's fit score: computed by the worker, after the page that added or changed the posting
has answered, and stored whole or not at all.

Adding a posting, correcting its text or asking for a new score marks the application "queued" and queues
`score_application`; the worker scores it (coach.scoring, the slow part: it reads all the user's
materials) and stores the score, or marks the application "failed", which its page explains beside a
button to try again. The application's page shows the progress and refreshes itself until the score is
there (applications/views.py, score_stream).
"""

from __future__ import annotations

import logging

from django.tasks import task

from applications.models import Application, FitScore
from coach import scoring
from coach.retrieval import UserIndex
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

logger = logging.getLogger(__name__)

SYSTEM = Actor.system("scoring")


def record_score(application: Application, result: scoring.FitScore, *, actor: Actor) -> FitScore:
    """Store a computed score as the application's latest; call inside a write."""
    row = FitScore.objects.create(
        application=application,
        value=result.score,
        band=result.band,
        result=result.to_json(),
        model_name=result.model_name,
        model_version=result.model_version,
        scorer_version=result.scorer_version,
        materials_versions=result.materials_versions,
    )
    application.score, application.band = result.score, result.band
    application.scoring = Application.Scoring.DONE
    application.save(update_fields=["score", "band", "scoring", "updated_at"])
    audit.record(
        Event.APPLICATION_SCORED,
        actor=actor,
        subject=application.user,
        target=application,
        data={"score": result.score, "band": result.band, "scorer": result.scorer_version},
    )
    return row


def queue_score(application: Application) -> None:
    """Mark the application as waiting for its score and queue the worker's scoring; call inside a write.

    The queue is a table of this database: the task row commits, or rolls back, with the change."""
    if application.scoring != Application.Scoring.QUEUED:
        application.scoring = Application.Scoring.QUEUED
        Application.objects.filter(pk=application.pk).update(scoring=Application.Scoring.QUEUED)
    score_application.enqueue(user_id=application.user_id, application_id=application.pk)


def do_rescore(application: Application, *, actor: Actor, index: UserIndex | None = None) -> FitScore:
    """Score the posting now, in this process: the worker's rescoring after a materials change."""
    result = scoring.score_posting(
        application.user, application.posting_text, language=application.language, index=index
    )
    return writes.run(record_score, application, result, actor=actor)


@write_action
def do_request_score(application: Application, *, actor: Actor) -> bool:
    """Ask the worker for a new score (after one failed, or to use the current materials). False when a
    score is being computed already."""
    if application.scoring == Application.Scoring.QUEUED:
        return False
    audit.record(Event.APPLICATION_SCORE_REQUESTED, actor=actor, subject=application.user, target=application)
    queue_score(application)
    return True


def do_score_application(application: Application) -> FitScore | None:
    """The worker's scoring of a queued application. None when there was nothing to do (scored already,
    or the text changed meanwhile and its own scoring is queued)."""
    if application.scoring != Application.Scoring.QUEUED:
        return None
    text = application.posting_text
    try:
        result = scoring.score_posting(application.user, text, language=application.language)
    except Exception:
        logger.exception("Scoring application %s failed", application.pk)
        writes.run(_mark_failed, application, text)
        raise
    return writes.run(_store, application, text, result)


def _store(application: Application, text: str, result: scoring.FitScore) -> FitScore | None:
    # Only the text that was scored: a correction made meanwhile queued a scoring of its own.
    if not Application.objects.filter(
        pk=application.pk, scoring=Application.Scoring.QUEUED, posting_text=text
    ).exists():
        return None
    return record_score(application, result, actor=SYSTEM)


def _mark_failed(application: Application, text: str) -> None:
    # The page says what happened in the reader's language; the log has the exception.
    if not Application.objects.filter(
        pk=application.pk, scoring=Application.Scoring.QUEUED, posting_text=text
    ).update(scoring=Application.Scoring.FAILED):
        return
    application.scoring = Application.Scoring.FAILED
    audit.record(Event.APPLICATION_SCORING_FAILED, actor=SYSTEM, subject=application.user, target=application)


@task()
def score_application(*, user_id: int, application_id: int) -> int | None:
    """Score one queued application (do_score_application); returns the score, or None."""

    application = (
        Application.objects.filter(pk=application_id, user_id=user_id).select_related("user").first()
    )
    if application is None:
        return None  # the application or the account was deleted while the task waited
    row = do_score_application(application)
    return row.value if row is not None else None
