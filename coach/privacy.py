from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coach.models import LLMTrace
from privacy_kernel.exports import JsonLines
from privacy_kernel.registry import Personal

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
