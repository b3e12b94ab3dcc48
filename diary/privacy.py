from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from diary.models import Approach, ApproachUse, DiaryEntry, EntryApproach, ReviewSettings
from privacy_kernel.exports import JsonFile, Markdown
from privacy_kernel.registry import Personal

PERSONAL = [
    Personal(
        DiaryEntry,
        owner="user",
        export=(JsonFile("diary.json"), Markdown("diary.md", note="every entry, newest first")),
        label=_("diary entries"),
    ),
    Personal(
        Approach,
        owner="user",
        export=JsonFile(
            "approaches.json",
            note="the approaches you named, and the applications and diary entries you tried them on",
        ),
        label=_("approaches"),
    ),
    Personal(
        ApproachUse,
        owner="approach__user",
        export=JsonFile("approaches.json"),
        label=_("approaches tried on applications"),
    ),
    Personal(
        EntryApproach,
        owner="entry__user",
        export=JsonFile("approaches.json"),
        label=_("approaches tried in diary entries"),
    ),
    Personal(
        ReviewSettings,
        owner="user",
        export=JsonFile("account.json", note="whether the weekly review email is on"),
        label=_("weekly review setting"),
    ),
]
