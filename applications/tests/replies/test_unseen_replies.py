"""The classifier on replies written after it was frozen (unseen_4.py), and on languages it does not know."""

from __future__ import annotations

from applications.actions import SUGGESTED_STATUS
from applications.replies.classify import ReplyKind, classify
from applications.tests.replies.unseen_4 import UNSEEN_4


def test_it_reads_unseen_replies_in_every_language() -> None:
    results = [(case, classify(case[2], case[3], language=case[0])) for case in UNSEEN_4]
    right = [result.kind == case[1] for case, result in results]
    assert len(UNSEEN_4) >= 30
    assert {case[0] for case in UNSEEN_4} == {"en", "nl", "nb", "de", "el"}
    assert sum(right) / len(right) >= 0.92, [
        (case[:3], result.kind) for (case, result), ok in zip(results, right, strict=True) if not ok
    ]


def test_it_suggests_no_wrong_status_change() -> None:
    # A wrong rejection, interview or offer would move the application once confirmed: the costly error.
    wrong = [
        (case[:3], result.kind)
        for case in UNSEEN_4
        if (result := classify(case[2], case[3], language=case[0])).kind != case[1]
        and ReplyKind(result.kind) in SUGGESTED_STATUS
    ]
    assert wrong == []


def test_it_suggests_nothing_for_a_language_it_does_not_know() -> None:
    for language, subject, body in [
        ("fr", "Votre candidature", "Bonjour, nous sommes au regret de ne pas pouvoir donner suite."),
        ("es", "Su candidatura", "Hola, lamentamos informarle que hemos elegido a otro candidato."),
        ("fi", "Hakemuksesi", "Kiitos hakemuksestasi. Valitsimme valitettavasti toisen hakijan."),
    ]:
        result = classify(subject, body, language=language)
        assert result.kind == ReplyKind.OTHER, (language, result)
        assert result.confidence < 0.7
