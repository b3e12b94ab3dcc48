from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coach import warm_index
from coach.models import LLMTrace
from privacy_kernel.exports import JsonLines
from privacy_kernel.registry import Personal
from privacy_kernel.stores import OutsideStore

PERSONAL = [
    # In the trace store (its own database), so the user is found by id rather than by a foreign key.
    Personal(
        LLMTrace,
        owner=None,
        lookup=lambda user: LLMTrace.objects.filter(user_id=user.pk),
        export=JsonLines("ai_activity.jsonl"),
        label=_("AI calls"),
    ),
]

OUTSIDE_STORES = [
    # The warm search index (coach/warm_index.py): copies of the chunks' texts and vectors, in a file per
    # user and in the memory of the process that built it. Not exported: the chunks themselves are.
    OutsideStore(
        "search index",
        label=_("search index of your materials (a copy kept for speed)"),
        erase=lambda user: warm_index.forget(user.pk),
    ),
]
