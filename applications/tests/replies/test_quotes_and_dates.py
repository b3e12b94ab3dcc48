"""The quote remover and the date reader on their own: the forms mail programs write, in five languages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from applications.replies.dates import parse_date
from applications.replies.quotes import strip_quoted

REPLY = "Thank you, we will be in touch."
OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    "history",
    [
        "On Mon, Mar 3, 2025 at 10:14 AM Kari Nordmann <kari@example.com> wrote:\n> old",
        "On 3 Mar 2025, at 10:14, Kari Nordmann <kari@example.com> wrote:\n\nold, not quoted",
        "Op ma 3 mrt 2025 om 10:14 schreef Kari Nordmann <kari@example.com>:\n> oud",
        "Op 3 mrt. 2025, om 10:14 heeft Kari Nordmann <kari@example.com> het volgende geschreven:\n> oud",
        "Den man. 3. mar. 2025 kl. 10:14 skrev Kari Nordmann <kari@example.com>:\n> gammelt",
        "man. 3. mars 2025 kl. 10:14 skrev Kari Nordmann <kari@example.com>:\n> gammelt",
        "Am Mo., 3. März 2025 um 10:14 Uhr schrieb Kari Nordmann <kari@example.com>:\n> alt",
        "Am 03.03.2025 um 10:14 schrieb Kari Nordmann:\n> alt",
        "Στις Δευ 3 Μαρ 2025 στις 10:14 π.μ., ο/η Kari Nordmann <kari@example.com> έγραψε:\n> παλιό",
        "-----Original Message-----\nFrom: Kari\nold",
        "-----Oorspronkelijk bericht-----\nVan: Kari\noud",
        "-----Opprinnelig melding-----\nFra: Kari\ngammelt",
        "-----Ursprüngliche Nachricht-----\nVon: Kari\nalt",
        "-----Αρχικό μήνυμα-----\nΑπό: Kari\nπαλιό",
        "________________________________\nFrom: Kari Nordmann <kari@example.com>\nSent: Friday\nold",
        "Von: Kari Nordmann <kari@example.com>\nGesendet: Freitag, 28. Februar 2025 09:00\nAn: HR\nalt",
        "Van: Kari Nordmann\nVerzonden: vrijdag 28 februari 2025 09:00\nOnderwerp: Sollicitatie\noud",
        "Fra: Kari Nordmann\nSendt: fredag 28. februar 2025 09:00\nEmne: Søknad\ngammelt",
        "Από: Kari Nordmann\nΣτάλθηκε: Παρασκευή, 28 Φεβρουαρίου 2025 9:00 π.μ.\nΘέμα: Αίτηση\nπαλιό",
        "> just a quote\n> more",
    ],
)
def test_it_removes_clearly_marked_history(history: str) -> None:
    assert strip_quoted(f"{REPLY}\n\n{history}") == REPLY


@pytest.mark.parametrize(
    "text",
    [
        "The period is\nFrom: 1 April\nTo: 30 June\nand the role is yours.",
        "As our CEO wrote: we are growing.",
        "We wrote to you last week.",
        "Please bring:\n- your ID\n- your diploma",
    ],
)
def test_it_keeps_text_that_only_looks_like_history(text: str) -> None:
    assert strip_quoted(text) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, Mar 3, 2025 at 10:14 PM", datetime(2025, 3, 3, 22, 14, tzinfo=OSLO)),
        ("Monday, March 3, 2025 10:14 AM", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        ("Monday, 3 March 2025 12:05 AM", datetime(2025, 3, 3, 0, 5, tzinfo=OSLO)),
        ("maandag 3 maart 2025 10:14", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        ("ma 3 mrt. 2025 om 10:14", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        ("mandag 3. mars 2025 kl. 10.14", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        ("3. desember 2025 09:00", datetime(2025, 12, 3, 9, 0, tzinfo=OSLO)),
        ("Montag, 3. März 2025 um 10:14 Uhr", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        ("Freitag, 5. Dezember 2025 08:30", datetime(2025, 12, 5, 8, 30, tzinfo=OSLO)),
        ("Δευτέρα, 3 Μαρτίου 2025 10:14 μ.μ.", datetime(2025, 3, 3, 22, 14, tzinfo=OSLO)),
        ("Τρί, 11 Ιουν 2025 9:05 π.μ.", datetime(2025, 6, 11, 9, 5, tzinfo=OSLO)),
        ("Πέμπτη, 17 Ιουλίου 2025 11:00", datetime(2025, 7, 17, 11, 0, tzinfo=OSLO)),
        ("2025-03-03 10:14", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        ("03.03.2025 10:14", datetime(2025, 3, 3, 10, 14, tzinfo=OSLO)),
        ("3-3-2025", datetime(2025, 3, 3, tzinfo=OSLO)),
        ("3/14/2025 2:00 PM", datetime(2025, 3, 14, 14, 0, tzinfo=OSLO)),
    ],
)
def test_it_reads_dates_as_mail_programs_print_them(value: str, expected: datetime) -> None:
    assert parse_date(value, OSLO) == expected


def test_it_keeps_a_printed_zone() -> None:
    oslo = ZoneInfo("Europe/Oslo")
    assert parse_date("Mon, 3 Mar 2025 10:14 GMT+02:00", oslo) == datetime(
        2025, 3, 3, 10, 14, tzinfo=timezone(timedelta(hours=2))
    )
    assert parse_date("13. mai 2025 14:30 CEST", oslo) == datetime(
        2025, 5, 13, 14, 30, tzinfo=timezone(timedelta(hours=2))
    )


@pytest.mark.parametrize("value", ["", "soon", "31. februar 2025", "32.13.2025", "1 Jan 1900 10:00", "99:99"])
def test_it_gives_none_for_what_it_cannot_read(value: str) -> None:
    assert parse_date(value, ZoneInfo("UTC")) is None
