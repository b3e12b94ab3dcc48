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
        export="applications/{slug}/letter/versions.json",
        # The prompt and the model's answer for a drafted version sit in the trace store.
        outside=("trace store",),
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
