from __future__ import annotations

from applications.models import (
    Application,
    DraftGeneration,
    DraftVersion,
    FitScore,
    Reply,
    SentVersion,
    StatusChange,
)
from privacy.registry import Personal

PERSONAL = [
    Personal(
        Application, owner="user", export="applications/{slug}/application.json (posting, status, notes)"
    ),
    Personal(
        StatusChange, owner="application__user", export="applications/{slug}/application.json (history)"
    ),
    Personal(FitScore, owner="application__user", export="applications/{slug}/scores.json"),
    Personal(Reply, owner="application__user", export="applications/{slug}/replies/"),
    Personal(
        DraftVersion,
        owner="application__user",
        # The prompt and the model's answer for a drafted version are LLMTrace rows (coach/privacy.py),
        # found by user id; `trace_id` names the one behind each version.
        export="applications/{slug}/letter/versions.json",
    ),
    Personal(
        DraftGeneration,
        owner="application__user",
        export="applications/{slug}/letter/generations.json (status, instructions, partial text)",
    ),
    Personal(
        SentVersion,
        owner="application__user",
        export="applications/{slug}/sent/ (letter.pdf, sent.json)",
        files=("pdf",),
    ),
]
