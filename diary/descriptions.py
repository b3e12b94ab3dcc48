"""Names of diary entries for the activity page (privacy_kernel/descriptions.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.utils.text import Truncator

from diary.models import DiaryEntry
from privacy_kernel.descriptions import names


@names("diary.diaryentry")
def _entries(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    found = (
        DiaryEntry.objects.owned_by(user)
        .filter(pk__in=[int(i) for i in ids if i.isdigit()])
        .only("id", "text")
    )
    # Truncated on a word, never mid-word: the activity line is a reminder, the diary has the rest.
    return {str(entry.pk): Truncator(entry.text).words(8) for entry in found}
