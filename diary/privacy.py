from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from diary.models import DiaryEntry
from privacy_kernel.exports import JsonFile, Markdown
from privacy_kernel.registry import Personal

PERSONAL = [
    Personal(
        DiaryEntry,
        owner="user",
        export=(JsonFile("diary.json"), Markdown("diary.md", note="every entry, newest first")),
        label=_("diary entries"),
    ),
]
