"""The reply reader on the fifth set (unseen_5.py): the part it was first run on, and the held-out part,
each per language. A reply the reader asks about counts as not read right, but it is no wrong suggestion."""

from __future__ import annotations

from collections import defaultdict

import pytest

from applications.actions import SUGGESTED_STATUS
from applications.replies.classify import ASK_BELOW, ReplyKind, classify
from applications.tests.replies.unseen_5 import HELD_OUT_5, UNSEEN_5

LANGUAGES = {"en", "nl", "nb", "de", "el"}


def _read(cases: list[tuple[str, str, str, str]]) -> dict[str, list[tuple[bool, bool]]]:
    """Per language: (read right, a wrong status suggested) for each reply."""
    found: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for language, kind, subject, body in cases:
        result = classify(subject, body, language=language)
        right = not result.ask and result.kind == kind
        wrong_status = not result.ask and result.kind != kind and ReplyKind(result.kind) in SUGGESTED_STATUS
        found[language].append((right, wrong_status))
    return found


@pytest.mark.parametrize("cases", [UNSEEN_5, HELD_OUT_5], ids=["first-run", "held-out"])
def test_it_reads_the_fifth_set_in_every_language(cases: list[tuple[str, str, str, str]]) -> None:
    found = _read(cases)
    assert set(found) == LANGUAGES
    results = [result for per_language in found.values() for result in per_language]
    assert sum(right for right, _wrong in results) / len(results) >= 0.92
    for language, per_language in found.items():
        # No language may lag far behind: at most one reply in five missed or asked about.
        assert sum(right for right, _wrong in per_language) / len(per_language) >= 0.6, language


def test_it_suggests_no_wrong_status_change_on_the_fifth_set() -> None:
    found = _read(UNSEEN_5 + HELD_OUT_5)
    assert [language for language, results in found.items() for _right, wrong in results if wrong] == []


def test_the_set_is_large_enough_and_covers_every_kind() -> None:
    assert len(UNSEEN_5) + len(HELD_OUT_5) >= 60
    for language in LANGUAGES:
        kinds = {kind for lang, kind, _s, _b in UNSEEN_5 + HELD_OUT_5 if lang == language}
        assert kinds == {str(kind) for kind in ReplyKind}, language


def test_it_asks_rather_than_suggest_a_status_on_thin_or_contested_evidence() -> None:
    # A question about availability alone (a strong cue, no decisive one): an interview is likely, not sure.
    thin = classify("Hello", "Would you be available next week?")
    assert thin.kind == ReplyKind.INTERVIEW and thin.ask and thin.confidence < ASK_BELOW
    # An interview invitation and a request of as much weight: unclear which the sender means.
    contested = classify(
        "Next steps",
        "Before we invite you to an interview, could you please send us copies of your certificates and "
        "tell us your notice period?",
    )
    assert not (contested.kind == ReplyKind.INTERVIEW and not contested.ask)
    # One decisive cue alone is enough.
    sure = classify("Update", "We have decided to proceed with other candidates.")
    assert sure.kind == ReplyKind.REJECTION and not sure.ask and sure.confidence >= ASK_BELOW
    # "Other" and information requests change no status: they are suggested however thin.
    ack = classify("Received", "Thank you, we have received your application.")
    assert ack.kind == ReplyKind.OTHER and not ack.ask


def test_a_reply_in_another_language_is_honestly_unsure() -> None:
    for language, subject, body in [
        ("fr", "Votre candidature", "Nous avons le plaisir de vous inviter à un entretien mardi à 10h."),
        ("pl", "Twoja aplikacja", "Niestety zdecydowaliśmy się na innego kandydata."),
        ("tr", "Başvurunuz", "Size iş teklif etmekten mutluluk duyarız."),
    ]:
        result = classify(subject, body, language=language)
        assert result.kind == ReplyKind.OTHER or result.ask, (language, result)
        assert result.confidence < 0.7
