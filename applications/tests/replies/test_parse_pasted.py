"""parse_pasted(): a reply copied from a mail program, header lines and quoted history included."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from applications.replies.parse import ReplyRefused, parse_pasted

OSLO = ZoneInfo("Europe/Oslo")


# As Outlook, Gmail, Apple Mail and Thunderbird print them in each language, with quoted history below.
PASTED = [
    (
        "en-outlook",
        """From: Jane Doe <jane.doe@northwind.example>
Sent: Monday, March 3, 2025 10:14 PM
To: Kari Nordmann <kari@example.com>
Subject: RE: Application Backend Engineer

Dear Kari,

Unfortunately we have decided to proceed with other candidates.

Best,
Jane

-----Original Message-----
From: Kari Nordmann <kari@example.com>
Sent: Friday, February 28, 2025 9:00 AM
Subject: Application Backend Engineer

Dear Jane, please find my application attached.""",
        ("Jane Doe", "jane.doe@northwind.example", datetime(2025, 3, 3, 22, 14, tzinfo=OSLO)),
        "RE: Application Backend Engineer",
        "Dear Kari,\n\nUnfortunately we have decided to proceed with other candidates.\n\nBest,\nJane",
    ),
    (
        "en-gmail",
        """---------- Forwarded message ---------
From: Tom Baker <tom@brightside.example>
Date: Tue, Mar 4, 2025 at 9:05 AM
Subject: Interview invitation
To: <kari@example.com>

Hi Kari,

We would like to invite you to an interview on Thursday at 10:00.

On Mon, Mar 3, 2025 at 8:12 PM Kari Nordmann <
kari@example.com> wrote:
> Hi Tom,
> I am still very interested in the role.""",
        ("Tom Baker", "tom@brightside.example", datetime(2025, 3, 4, 9, 5, tzinfo=OSLO)),
        "Interview invitation",
        "Hi Kari,\n\nWe would like to invite you to an interview on Thursday at 10:00.",
    ),
    (
        "nl-outlook",
        """Van: Jansen, Pieter <p.jansen@zonneveld.example>
Verzonden: maandag 3 maart 2025 10:14
Aan: Kari Nordmann
Onderwerp: RE: Sollicitatie backend developer

Beste Kari,

Helaas hebben we besloten om niet met je verder te gaan.

Groet,
Pieter

Op vr 28 feb 2025 om 09:00 schreef Kari Nordmann <kari@example.com>:
> Beste Pieter,
> Hierbij mijn sollicitatie.""",
        ("Jansen, Pieter", "p.jansen@zonneveld.example", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        "RE: Sollicitatie backend developer",
        "Beste Kari,\n\nHelaas hebben we besloten om niet met je verder te gaan.\n\nGroet,\nPieter",
    ),
    (
        "nb-outlook",
        """Fra: Ingrid Berg <ingrid@fjordtech.example>
Sendt: mandag 3. mars 2025 kl. 10.14
Til: Kari Nordmann <kari@example.com>
Emne: SV: Søknad utvikler

Hei Kari,

Vi vil gjerne invitere deg til intervju tirsdag kl. 10.00.

Hilsen Ingrid

Den fre. 28. feb. 2025 kl. 09:00 skrev Kari Nordmann <kari@example.com>:
> Hei Ingrid,
> her er søknaden min.""",
        ("Ingrid Berg", "ingrid@fjordtech.example", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        "SV: Søknad utvikler",
        "Hei Kari,\n\nVi vil gjerne invitere deg til intervju tirsdag kl. 10.00.\n\nHilsen Ingrid",
    ),
    (
        "de-outlook",
        """Von: Laura Becker <l.becker@rheinwerk.example>
Gesendet: Montag, 3. März 2025 10:14
An: Kari Nordmann <kari@example.com>
Betreff: AW: Bewerbung als Entwicklerin

Sehr geehrte Frau Nordmann,

wir freuen uns, Ihnen die Stelle anbieten zu können.

Mit freundlichen Grüßen
Laura Becker

Von: Kari Nordmann <kari@example.com>
Gesendet: Freitag, 28. Februar 2025 09:00
An: Laura Becker
Betreff: Bewerbung als Entwicklerin

Sehr geehrte Frau Becker, anbei meine Unterlagen.""",
        ("Laura Becker", "l.becker@rheinwerk.example", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        "AW: Bewerbung als Entwicklerin",
        "Sehr geehrte Frau Nordmann,\n\nwir freuen uns, Ihnen die Stelle anbieten zu können.\n\n"
        "Mit freundlichen Grüßen\nLaura Becker",
    ),
    (
        "de-gmail",
        """Hallo Kari,

leider müssen wir dir absagen.

Viele Grüße
Jonas

Am Mo., 3. März 2025 um 10:14 Uhr schrieb Kari Nordmann <kari@example.com>:
> Hallo Jonas,
> gibt es schon Neuigkeiten?""",
        ("", "", None),
        "",
        "Hallo Kari,\n\nleider müssen wir dir absagen.\n\nViele Grüße\nJonas",
    ),
    (
        "el-outlook",
        """Από: Μαρία Παπαδοπούλου <maria@athina.example>
Στάλθηκε: Δευτέρα, 3 Μαρτίου 2025 10:14 μ.μ.
Προς: Kari Nordmann <kari@example.com>
Θέμα: RE: Αίτηση για τη θέση

Αγαπητή κυρία Nordmann,

Θα θέλαμε να σας προσκαλέσουμε σε συνέντευξη.

Με εκτίμηση,
Μαρία

-----Αρχικό μήνυμα-----
Από: Kari Nordmann
Στάλθηκε: Παρασκευή, 28 Φεβρουαρίου 2025 9:00 π.μ.
Θέμα: Αίτηση για τη θέση""",
        ("Μαρία Παπαδοπούλου", "maria@athina.example", datetime(2025, 3, 3, 22, 14, tzinfo=OSLO)),
        "RE: Αίτηση για τη θέση",
        "Αγαπητή κυρία Nordmann,\n\nΘα θέλαμε να σας προσκαλέσουμε σε συνέντευξη.\n\nΜε εκτίμηση,\nΜαρία",
    ),
    (
        "el-gmail",
        """Από: Νίκος <nikos@athina.example>
Ημερομηνία: Τρί, 4 Μαρ 2025 στις 9:05 π.μ.
Θέμα: Ενημέρωση

Γεια σας Kari,

Δυστυχώς δεν θα προχωρήσουμε με την υποψηφιότητά σας.

Στις Δευ 3 Μαρ 2025 στις 8:12 μ.μ., ο/η Kari Nordmann <kari@example.com> έγραψε:
> Καλησπέρα σας""",
        ("Νίκος", "nikos@athina.example", datetime(2025, 3, 4, 9, 5, tzinfo=OSLO)),
        "Ενημέρωση",
        "Γεια σας Kari,\n\nΔυστυχώς δεν θα προχωρήσουμε με την υποψηφιότητά σας.",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "sender", "subject", "body"), PASTED, ids=[case[0] for case in PASTED]
)
def test_it_reads_header_lines_and_strips_history(
    name: str, text: str, sender: tuple[str, str, datetime | None], subject: str, body: str
) -> None:
    reply = parse_pasted(text, tz=OSLO)
    assert (reply.sender, reply.sender_email, reply.sent_at) == sender
    assert reply.subject == subject
    assert reply.body_text == body
    # Nothing is lost: the whole paste, history included, stays in full_text.
    assert reply.full_text == text
    assert reply.body_html_safe == ""
    assert reply.attachments == []


def test_it_detects_the_language_of_the_reply_not_of_the_history() -> None:
    reply = parse_pasted(PASTED[3][1], tz=OSLO)
    assert reply.language == "nb"


def test_it_reads_a_body_without_header_lines() -> None:
    reply = parse_pasted("\n\n  Dear Kari,\n\nWe would like to offer you the position.\n\nBest,\nTom\n")
    assert (reply.sender, reply.sender_email, reply.subject, reply.sent_at) == ("", "", "", None)
    assert reply.body_text == "Dear Kari,\n\nWe would like to offer you the position.\n\nBest,\nTom"


def test_it_does_not_take_a_letter_line_for_a_header() -> None:
    text = "To: all applicants\n\nThe position has been filled."
    assert parse_pasted(text).body_text == text


def test_it_reads_outlook_mailto_senders_and_wrapped_values() -> None:
    text = (
        "From: HR Team [mailto:hr@northwind.example]\n"
        "Sent: 3 March 2025 10:14\n"
        "To: Kari Nordmann; Ola Nordmann;\n"
        "    Per Hansen\n"
        "Subject: Your application\n\n"
        "Dear Kari, could you send us two references?"
    )
    reply = parse_pasted(text, tz=OSLO)
    assert (reply.sender, reply.sender_email) == ("HR Team", "hr@northwind.example")
    assert reply.subject == "Your application"
    assert reply.body_text == "Dear Kari, could you send us two references?"


def test_it_reads_markdown_bold_labels() -> None:
    reply = parse_pasted("**From:** Tom <tom@example.com>\n**Subject:** Hello\n\nThe role has been filled.")
    assert (reply.sender_email, reply.subject) == ("tom@example.com", "Hello")


def test_it_uses_the_current_time_zone_for_dates_without_one() -> None:
    from django.utils import timezone

    with timezone.override(ZoneInfo("Europe/Athens")):
        reply = parse_pasted("Date: 2025-03-03 10:14\n\nWe would like to invite you to an interview.")
    assert reply.sent_at == datetime(2025, 3, 3, 10, 14, tzinfo=ZoneInfo("Europe/Athens"))


def test_it_leaves_an_unreadable_date_empty() -> None:
    assert parse_pasted("Date: sometime soon\nSubject: x\n\nHello there").sent_at is None


def test_it_keeps_an_interleaved_answer() -> None:
    text = (
        "On 3 Mar 2025, at 10:14, Kari <kari@example.com> wrote:\n"
        "> When can I expect an answer?\n"
        "We will decide by Friday.\n"
        "> And the salary range?\n"
        "Between 60 and 70k.\n"
    )
    assert parse_pasted(text).body_text == "We will decide by Friday.\nBetween 60 and 70k."


def test_it_keeps_everything_when_everything_is_quoted() -> None:
    text = "> Only a quote\n> and nothing else"
    assert parse_pasted(text).body_text == text


@pytest.mark.parametrize("text", ["", "   \n\n\t  ", "From: a@example.com\nSubject: x\n\n   "])
def test_it_refuses_an_empty_paste(text: str) -> None:
    with pytest.raises(ReplyRefused) as refused:
        parse_pasted(text)
    assert refused.value.code == "empty"


def test_it_refuses_a_paste_over_the_limit() -> None:
    with pytest.raises(ReplyRefused) as refused:
        parse_pasted("x" * 101, max_chars=100)
    assert refused.value.code == "too_large"
