"""Export and erasure run in the worker. Both are safe to run again after a crash (see their modules)."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def build_export(*, user_id: int, export_id: int) -> str:
    from privacy.jobs import run_export

    return run_export(export_id)


@task()
def erase_account(*, erasure_id: int) -> dict[str, Any]:
    """Erase one account. It takes the ErasureRequest's id, not `user_id` (unlike every other task): its
    own row must not be found, and deleted, with the user's task rows while it runs, and it ends up
    holding only this number, which then points nowhere, and the counts."""
    from privacy.erasure import run_erasure

    return run_erasure(erasure_id)
