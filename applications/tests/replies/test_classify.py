"""classify(): multilingual, rule-based suggestions of what a reply is, with the phrases behind them."""

from __future__ import annotations

import pytest

from applications.actions import SUGGESTED_STATUS
from applications.models import Status
from applications.replies.classify import Classification, ReplyKind, classify
from applications.tests.replies.corpus import HELD_OUT_1, HELD_OUT_2, HELD_OUT_3, REPLIES, TRICKY

ALL_REPLIES = REPLIES + HELD_OUT_1 + HELD_OUT_2 + HELD_OUT_3


def _id(case: tuple[str, str, str, str]) -> str:
    return f"{case[0]}-{case[1]}-{case[2]}"


@pytest.mark.parametrize("case", ALL_REPLIES, ids=_id)
def test_it_classifies_realistic_replies(case: tuple[str, str, str, str]) -> None:
    language, kind, subject, body = case
    result = classify(subject, body, language=language)
    assert result.kind == kind, result
    # A suggestion is only ever shown with the words that led to it.
    assert result.cues or kind == ReplyKind.OTHER


@pytest.mark.parametrize("case", TRICKY, ids=_id)
def test_it_weighs_mixed_signals(case: tuple[str, str, str, str]) -> None:
    language, kind, subject, body = case
    assert classify(subject, body, language=language).kind == kind


def test_it_has_three_or_more_replies_per_kind_and_language() -> None:
    kinds = (ReplyKind.REJECTION, ReplyKind.INTERVIEW, ReplyKind.OFFER, ReplyKind.INFORMATION_REQUEST)
    for language in ("en", "nl", "nb", "de", "el"):
        for kind in kinds:
            count = sum(1 for case in ALL_REPLIES if case[:2] == (language, kind))
            assert count >= 3, (language, kind)


def test_it_shows_the_phrases_as_the_reply_words_them() -> None:
    result = classify(
        "Ihre Bewerbung",
        "Sehr geehrte Frau Nordmann,\n\nleider müssen wir Ihnen mitteilen, dass wir Ihre Bewerbung nicht\n"
        "weiter BERÜCKSICHTIGEN können.",
    )
    assert result.kind is ReplyKind.REJECTION
    # Matched without case or accents, across the wrapped line, but shown in the mail's own spelling.
    assert "nicht weiter BERÜCKSICHTIGEN" in result.cues
    assert "leider" in result.cues


def test_it_merges_overlapping_phrases() -> None:
    result = classify("Update", "We regret to inform you that the role has been filled.")
    assert result.cues == ["We regret to inform you", "role has been filled"]


def test_it_ignores_a_negated_invitation() -> None:
    result = classify("Your application", "We will not be inviting you to an interview for this role.")
    assert result.kind is ReplyKind.REJECTION
    assert not any("invit" in cue and "not" not in cue for cue in result.cues)


def test_it_ignores_a_might_have_been() -> None:
    result = classify(
        "Your application",
        "We would have liked to invite you to an interview, but the vacancy has been filled.",
    )
    assert result.kind is ReplyKind.REJECTION


def test_it_keeps_the_invitation_when_only_the_date_is_unfortunate() -> None:
    result = classify(
        "Interview",
        "We would like to invite you to an interview. Unfortunately Tuesday is no longer possible; "
        "would Thursday at 10:00 work instead?",
    )
    assert result.kind is ReplyKind.INTERVIEW


def test_it_reads_the_turn_of_a_sentence() -> None:
    rejection = classify(
        "Re: interview", "We enjoyed meeting you, but we have decided to go with another candidate."
    )
    assert rejection.kind is ReplyKind.REJECTION
    interview = classify(
        "Re: application",
        "Leider können wir Ihnen die Stelle als Teamleiterin nicht anbieten, aber wir würden Sie gerne "
        "zu einem Gespräch für die Stelle als Entwicklerin einladen.",
    )
    assert interview.kind is ReplyKind.INTERVIEW


def test_it_needs_more_than_a_hint() -> None:
    # "Unfortunately" alone is not a rejection; the status must not change on a hunch.
    result = classify("Re: your question", "Unfortunately the office is closed on Friday.")
    assert result.kind is ReplyKind.OTHER


def test_it_treats_a_request_inside_an_invitation_as_part_of_it() -> None:
    result = classify(
        "Invitation",
        "We would like to invite you to an interview on Monday at 10:00. Could you please send us a copy of "
        "your ID and the names of two references beforehand?",
    )
    assert result.kind is ReplyKind.INTERVIEW


def test_it_counts_a_video_link_as_an_interview() -> None:
    result = classify(
        "Tomorrow", "Here is the link for tomorrow: https://teams.microsoft.com/l/meetup-join/abc"
    )
    assert result.kind is ReplyKind.INTERVIEW
    assert "teams.microsoft.com/l/meetup-join/abc" in result.cues


def test_it_does_not_take_a_date_in_a_rejection_for_an_interview() -> None:
    result = classify(
        "Re: interview",
        "After the interview on Tuesday 14 May at 10:00 we decided to proceed with other candidates.",
    )
    assert result.kind is ReplyKind.REJECTION


def test_it_gives_a_confidence_between_zero_and_one() -> None:
    clear = classify("Absage", "Leider müssen wir Ihnen absagen. Die Stelle ist bereits anderweitig besetzt.")
    unclear = classify("Hello", "Thanks for your mail.")
    assert 0 < unclear.confidence < clear.confidence <= 1
    assert unclear.kind is ReplyKind.OTHER
    assert unclear.cues == []


def test_it_is_deterministic() -> None:
    subject, body = REPLIES[0][2], REPLIES[0][3]
    assert classify(subject, body) == classify(subject, body)


def test_it_narrows_single_words_to_the_language_of_the_reply() -> None:
    # "leider" is German; in a reply detected as Dutch it is noise, but phrases still count in any language.
    assert classify("x", "Leider. Leider.", language="nl").cues == []
    phrase = classify("x", "We have decided to proceed with other candidates.", language="nl")
    assert phrase.kind is ReplyKind.REJECTION


def test_it_copes_with_empty_and_long_input() -> None:
    assert classify("", "") == Classification(ReplyKind.OTHER, classify("", "").confidence, [])
    long = classify("Re", "Thank you. " * 50_000 + "We have decided to proceed with other candidates.")
    assert long.kind is ReplyKind.OTHER  # past the first 20,000 characters nothing is read


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (ReplyKind.REJECTION, Status.REJECTED),
        (ReplyKind.INTERVIEW, Status.INTERVIEWING),
        (ReplyKind.OFFER, Status.OFFER),
        (ReplyKind.INFORMATION_REQUEST, None),
        (ReplyKind.OTHER, None),
    ],
)
def test_it_suggests_an_application_status(kind: ReplyKind, status: str | None) -> None:
    assert SUGGESTED_STATUS.get(kind) == status
