from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from applications.models import (
    Application,
    DraftGeneration,
    DraftVersion,
    FitScore,
    PostingImport,
    Reply,
    SentVersion,
    StatusChange,
)
from privacy_kernel.exports import JsonFile, JsonPerRow
from privacy_kernel.registry import Personal

PERSONAL = [
    Personal(
        Application,
        owner="user",
        export=JsonFile("applications/{slug}/application.json", note="posting, status, notes"),
        label=_("applications"),
    ),
    Personal(
        PostingImport,
        owner="user",
        export=JsonFile("applications/imports.json", note="web addresses read, and how it went"),
        label=_("postings being read from a web address"),
    ),
    Personal(
        StatusChange,
        owner="application__user",
        export=JsonFile("applications/{slug}/application.json", note="history"),
        label=_("status changes"),
    ),
    Personal(
        FitScore,
        owner="application__user",
        export=JsonFile("applications/{slug}/scores.json"),
        label=_("fit scores"),
    ),
    Personal(
        Reply,
        owner="application__user",
        export=JsonPerRow("applications/{slug}/replies/"),
        label=_("replies"),
    ),
    Personal(
        DraftVersion,
        owner="application__user",
        # The prompt and the model's answer for a drafted version are LLMTrace rows (coach/privacy.py),
        # found by user id; `trace_id` names the one behind each version.
        export=JsonFile("applications/{slug}/letter/versions.json"),
        label=_("letter versions"),
    ),
    Personal(
        DraftGeneration,
        owner="application__user",
        export=JsonFile(
            "applications/{slug}/letter/generations.json", note="status, instructions, partial text"
        ),
        label=_("letter drafts being written"),
    ),
    Personal(
        SentVersion,
        owner="application__user",
        export=JsonPerRow("applications/{slug}/sent/", note="letter.pdf, sent.json"),
        files=("pdf",),
        label=_("sent letters"),
    ),
]
