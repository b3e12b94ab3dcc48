from __future__ import annotations

from django.tasks import task

from applications.drafting.generate import run_generation
from applications.models import DraftGeneration


@task()
def generate_draft(*, user_id: int, generation_id: int) -> int | None:
    """Write the letter of one queued generation; returns the new version's number."""

    generation = (
        DraftGeneration.objects.filter(pk=generation_id, application__user_id=user_id)
        .select_related("application__user", "previous_version")
        .first()
    )
    if generation is None:
        return None  # the application or the account was deleted while the task waited
    version = run_generation(generation)
    return version.number if version is not None else None
