from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from applications.models import (
    Application,
    DraftGeneration,
    DraftVersion,
    FitScore,
    Reply,
    SentVersion,
    StatusChange,
)
from privacy_kernel.registry import Personal

PERSONAL = [
    Personal(
        Application,
        owner="user",
        export="applications/{slug}/application.json (posting, status, notes)",
        label=_("applications"),
    ),
    Personal(
        StatusChange,
        owner="application__user",
        export="applications/{slug}/application.json (history)",
        label=_("status changes"),
    ),
    Personal(
        FitScore,
        owner="application__user",
        export="applications/{slug}/scores.json",
        label=_("fit scores"),
    ),
    Personal(
        Reply,
        owner="application__user",
        export="applications/{slug}/replies/",
        label=_("replies"),
    ),
    Personal(
        DraftVersion,
        owner="application__user",
        # The prompt and the model's answer for a drafted version are LLMTrace rows (coach/privacy.py),
        # found by user id; `trace_id` names the one behind each version.
        export="applications/{slug}/letter/versions.json",
        label=_("letter versions"),
    ),
    Personal(
        DraftGeneration,
        owner="application__user",
        export="applications/{slug}/letter/generations.json (status, instructions, partial text)",
        label=_("letter drafts being written"),
    ),
    Personal(
        SentVersion,
        owner="application__user",
        export="applications/{slug}/sent/ (letter.pdf, sent.json)",
        files=("pdf",),
        label=_("sent letters"),
    ),
]
