"""TEMPORARY stand-in for the diary branch's action (same signature); replace it at merge.

It keeps entries in memory only, so the drafting tests can see that sending a letter writes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from privacy.audit import Actor


@dataclass(frozen=True)
class DiaryEntry:
    user: Any
    kind: str
    text: str
    application: Any


RECORDED: list[DiaryEntry] = []


def do_add_entry(user: Any, *, kind: str, text: str, application: Any = None, actor: Actor) -> DiaryEntry:
    entry = DiaryEntry(user=user, kind=kind, text=text, application=application)
    RECORDED.append(entry)
    return entry
