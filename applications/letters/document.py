from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LetterDocument:
    """A letter ready to be laid out: who sends it, to whom, and what it says."""

    sender_name: str
    sender_lines: tuple[str, ...]
    recipient_lines: tuple[str, ...]
    place_and_date: str
    subject: str
    body: str
    language: str
