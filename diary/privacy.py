from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from diary.models import DiaryEntry
from privacy_kernel.registry import Personal

PERSONAL = [
    Personal(
        DiaryEntry,
        owner="user",
        export="diary.json and diary.md (every entry, newest first)",
        label=_("diary entries"),
    ),
]
