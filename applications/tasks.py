from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from django.tasks import task

from accounts.models import User
from applications.fit import do_rescore
from applications.models import Application
from coach.retrieval import UserIndex
from coach.scoring import SCORER_VERSION
from materials.models import Material
from materials.signals import materials_changed
from privacy_kernel.audit import Actor

logger = logging.getLogger(__name__)


@task()
def rescore_user(*, user_id: int) -> int:
    """Score again every application whose latest score used other materials or another scorer.

    The old scores stay: a score explains itself with the materials it saw, and the user can compare.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    current = Material.objects.versions_of(user)
    index = UserIndex.load(user)
    rescored = 0
    for application in Application.objects.filter(user=user).prefetch_related("fit_scores"):
        latest = next(iter(application.fit_scores.all()), None)
        if (
            latest is not None
            and latest.materials_versions == current
            and latest.scorer_version == SCORER_VERSION
        ):
            continue
        do_rescore(application, actor=Actor.system("rescore"), index=index)
        rescored += 1
    logger.info("Rescored %d applications of user %d", rescored, user_id)
    return rescored


@receiver(materials_changed)
def _rescore_after_materials_change(sender: Any, *, user_id: int, **kwargs: Any) -> None:
    rescore_user.enqueue(user_id=user_id)
