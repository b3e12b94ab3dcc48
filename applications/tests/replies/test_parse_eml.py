"""parse_eml(): saved mails built here with the stdlib email package, read into plain text and safe HTML."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.message import EmailMessage

import pytest

from applications.replies.parse import ReplyRefused, parse_eml


def _message(
    subject: str = "Your application", sender: str = "Ingrid Berg <ingrid@fjordtech.example>"
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "kari@example.com"
    message["Subject"] = subject
    message["Date"] = "Tue, 14 May 2024 09:30:00 +0200"
    message["Message-ID"] = "<reply-1@fjordtech.example>"
    return message


def test_it_reads_a_plain_text_mail() -> None:
    message = _message()
    message.set_content(
        "Dear Kari,\n\nThank you for your application. We would like to invite you to an interview on "
        "Thursday.\n\nKind regards,\nIngrid"
    )
    reply = parse_eml(bytes(message))
    assert reply.sender == "Ingrid Berg"
    assert reply.sender_email == "ingrid@fjordtech.example"
    assert reply.subject == "Your application"
    assert reply.sent_at == datetime(2024, 5, 14, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert reply.body_text.startswith("Dear Kari,\n\nThank you for your application.")
    assert reply.body_text.endswith("Kind regards,\nIngrid")
    assert reply.body_html_safe == ""
    assert reply.language == "en"
    assert reply.attachments == []
    assert reply.full_text == reply.body_text


def test_it_reads_an_html_only_mail_without_its_script_and_tracking_pixel() -> None:
    message = _message()
    message.set_content(
        '<html><head><style>p { color: red }</style><script>document.location="https://evil.example"</script>'
        "</head><body><p>Dear Kari,</p><p>We are <b>pleased to offer you</b> the position.</p>"
        '<img src="https://track.example/open.gif?id=42" width="1" height="1">'
        '<p onclick="steal()">See <a href="https://fjordtech.example/offer" onmouseover="x()">'
        "the offer</a>.</p>"
        "</body></html>",
        subtype="html",
    )
    reply = parse_eml(bytes(message))
    assert "Dear Kari,\n\nWe are pleased to offer you the position." in reply.body_text
    assert "See the offer <https://fjordtech.example/offer>." in reply.body_text
    for forbidden in ("script", "style", "img", "track.example", "onclick", "onmouseover", "evil", "color"):
        assert forbidden not in reply.body_html_safe
        assert forbidden not in reply.body_text
    assert '<a href="https://fjordtech.example/offer" rel="noopener noreferrer nofollow">the offer</a>' in (
        reply.body_html_safe
    )


def test_it_prefers_the_text_part_of_an_alternative() -> None:
    message = _message()
    message.set_content("Dear Kari,\n\nUnfortunately we have decided to proceed with other candidates.\n")
    message.add_alternative(
        "<p>Dear Kari,</p><p>Unfortunately we have decided to <i>proceed with other candidates</i>.</p>",
        subtype="html",
    )
    reply = parse_eml(bytes(message))
    assert reply.body_text == "Dear Kari,\n\nUnfortunately we have decided to proceed with other candidates."
    assert reply.body_html_safe == (
        "<p>Dear Kari,</p><p>Unfortunately we have decided to <i>proceed with other candidates</i>.</p>"
    )


def test_it_falls_back_to_the_html_when_the_text_part_is_a_stub() -> None:
    message = _message()
    message.set_content("View this email in your browser.\n")
    message.add_alternative(
        "<p>Dear Kari,</p><p>" + "We would like to invite you to an interview next week. " * 5 + "</p>",
        subtype="html",
    )
    assert parse_eml(bytes(message)).body_text.startswith("Dear Kari,\n\nWe would like to invite you")


def test_it_finds_the_body_in_nested_multiparts() -> None:
    # mixed( related( alternative(text, html), logo ), attachment ): a common shape from Outlook.
    message = _message()
    message.set_content("Hei Kari,\n\nVi vil gjerne invitere deg til et intervju tirsdag kl. 10.00.\n")
    message.add_alternative(
        "<p>Hei Kari,</p><p>Vi vil gjerne invitere deg til et intervju.</p>", subtype="html"
    )
    html_part = list(message.iter_parts())[1]
    html_part.add_related(b"\x89PNG\r\n\x1a\nlogo", "image", "png", cid="<logo@fjordtech>")
    message.add_attachment(b"%PDF-1.7 agenda", maintype="application", subtype="pdf", filename="agenda.pdf")
    reply = parse_eml(bytes(message))
    assert reply.body_text == "Hei Kari,\n\nVi vil gjerne invitere deg til et intervju tirsdag kl. 10.00."
    assert reply.body_html_safe == "<p>Hei Kari,</p><p>Vi vil gjerne invitere deg til et intervju.</p>"
    assert reply.attachments == [("image/png", 12), ("agenda.pdf", 15)]
    assert reply.language == "nb"


def test_it_decodes_a_base64_greek_subject_and_body() -> None:
    subject = "Πρόσκληση σε συνέντευξη"
    message = _message()
    del message["Subject"]
    # Encoded by hand, as a Greek mail program sends it: RFC 2047 base64 in the header, base64 in the body.
    message["Subject"] = "=?utf-8?b?" + base64.b64encode(subject.encode()).decode() + "?="
    message.set_content(
        "Αγαπητή κυρία Nordmann,\n\nΘα θέλαμε να σας προσκαλέσουμε σε συνέντευξη την Πέμπτη.\n",
        cte="base64",
    )
    raw = bytes(message)
    assert subject.encode() not in raw
    reply = parse_eml(raw)
    assert reply.subject == subject
    assert "Θα θέλαμε να σας προσκαλέσουμε σε συνέντευξη" in reply.body_text
    assert reply.language == "el"


def test_it_decodes_a_quoted_printable_norwegian_body_in_latin_1() -> None:
    message = _message(subject="PLACEHOLDER")
    message.set_content(
        "Hei Kari,\n\nVi må dessverre meddele at vi har valgt å gå videre med andre kandidater. "
        "Lykke til videre med jobbsøkingen!\n\nMed vennlig hilsen\nFjordtech AS\n",
        charset="iso-8859-1",
        cte="quoted-printable",
    )
    # The email package would re-encode a Latin-1 subject as UTF-8; a Norwegian mail program does not.
    latin_1_subject = Header("Søknad på stillingen - svar", "iso-8859-1").encode().encode()
    raw = bytes(message).replace(b"PLACEHOLDER", latin_1_subject)
    assert b"=E5" in raw and b"=?iso-8859-1?q?S=F8knad" in raw
    reply = parse_eml(raw)
    assert reply.subject == "Søknad på stillingen - svar"
    assert "vi har valgt å gå videre med andre kandidater" in reply.body_text
    assert reply.language == "nb"


def test_it_reads_windows_1252_labelled_as_latin_1_and_undeclared_8_bit_text() -> None:
    body = "Dear Kari,\n\nWe’d like to offer you the role – salary €60,000.\n"
    raw = (
        b"From: hr@example.com\r\nSubject: Offer\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body.encode("windows-1252")
    )
    assert "We’d like to offer you the role – salary €60,000." in parse_eml(raw).body_text
    undeclared = b"From: hr@example.com\r\nSubject: Offer\r\n\r\n" + body.encode("windows-1252")
    assert "We’d like to offer you the role – salary €60,000." in parse_eml(undeclared).body_text
    unknown = (
        b"From: hr@example.com\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
        + body.encode("utf-8")
    )
    assert "We’d like to offer you the role – salary €60,000." in parse_eml(unknown).body_text


def test_it_reads_raw_utf_8_in_headers() -> None:
    raw = (
        "From: Kåre Ås <kare@example.no>\r\nSubject: Søknad – invitasjon\r\n"
        "Date: 3 Mar 2025 10:14 +0100\r\n\r\n"
        "Hei Kari, vi vil gjerne invitere deg til intervju.\r\n"
    ).encode()
    reply = parse_eml(raw)
    assert (reply.sender, reply.sender_email, reply.subject) == (
        "Kåre Ås",
        "kare@example.no",
        "Søknad – invitasjon",
    )


def test_it_lists_attachments_without_keeping_them() -> None:
    message = _message()
    message.set_content("Dear Kari,\n\nPlease find the contract attached.\n")
    message.add_attachment(b"x" * 2048, maintype="application", subtype="pdf", filename="Contract Kari.pdf")
    message.add_attachment("Notes\n", filename="../../etc/notes.txt")
    message.add_attachment(b"\x00\x01", maintype="application", subtype="octet-stream")
    reply = parse_eml(bytes(message))
    assert reply.attachments == [
        ("Contract Kari.pdf", 2048),
        ("notes.txt", 6),
        ("application/octet-stream", 2),
    ]
    # Only names and sizes: nothing of the content reaches the reply.
    assert "Notes" not in reply.full_text


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Tue, 14 May 2024 09:30:00 +0200", datetime(2024, 5, 14, 7, 30, tzinfo=UTC)),
        ("14 May 2024 09:30 +0200", datetime(2024, 5, 14, 7, 30, tzinfo=UTC)),
        ("Tue, 14 May 24 09:30:00 GMT", datetime(2024, 5, 14, 9, 30, tzinfo=UTC)),
        ("Tue, 14 May 2024 09:30:00 EST", datetime(2024, 5, 14, 14, 30, tzinfo=UTC)),
        ("Tue,  14 May 2024 09:30:00 +0200 (CEST)", datetime(2024, 5, 14, 7, 30, tzinfo=UTC)),
        ("Tue, 14 May 2024 09:30:00 -0000", datetime(2024, 5, 14, 9, 30, tzinfo=UTC)),
        ("tomorrow at noon", None),
        ("Tue, 31 Feb 2024 09:30:00 +0200", None),
        ("Tue, 14 May 2024 29:30:00 +0200", None),
        ("", None),
    ],
)
def test_it_reads_dates_in_any_rfc_2822_form(date: str, expected: datetime | None) -> None:
    message = _message()
    del message["Date"]
    if date:
        message["Date"] = date
    message.set_content("Dear Kari, we would like to invite you to an interview.")
    sent_at = parse_eml(bytes(message)).sent_at
    assert sent_at == expected
    assert sent_at is None or sent_at.tzinfo is not None


def test_it_survives_a_garbled_sender() -> None:
    raw = (
        b"From: <<<>>> @@@ =?bogus?q?x?=\r\nSubject: Hello\r\n\r\n"
        b"We would like to invite you to an interview.\r\n"
    )
    reply = parse_eml(raw)
    assert reply.sender_email == ""
    assert reply.body_text == "We would like to invite you to an interview."


def test_it_strips_quoted_history_but_keeps_it_in_full_text() -> None:
    message = _message()
    message.set_content(
        "Dear Kari,\n\nThank you, we have received your documents.\n\nIngrid\n\n"
        "On Mon, 13 May 2024 at 21:02, Kari Nordmann <kari@example.com> wrote:\n"
        "> Dear Ingrid,\n> please find my references attached.\n"
    )
    reply = parse_eml(bytes(message))
    assert reply.body_text == "Dear Kari,\n\nThank you, we have received your documents.\n\nIngrid"
    assert "please find my references attached" in reply.full_text


def test_it_joins_format_flowed_lines() -> None:
    raw = (
        b"From: hr@example.com\r\nSubject: x\r\n"
        b"Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n"
        b"We would like to invite you \r\nto an interview.\r\n\r\nBest,\r\nHR\r\n"
    )
    assert parse_eml(raw).body_text == "We would like to invite you to an interview.\n\nBest,\nHR"


def test_it_refuses_a_mail_over_the_limit() -> None:
    message = _message()
    message.set_content("x" * 2000)
    with pytest.raises(ReplyRefused) as refused:
        parse_eml(bytes(message), max_bytes=1000)
    assert refused.value.code == "too_large"
    assert "too large" in str(refused.value.message)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        os.urandom(4096),
        b"\x00\x01\x02PK\x03\x04" + os.urandom(512),
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"Dear Kari,\n\nThis is just text, pasted into a file.\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # an Outlook .msg (OLE compound file)
        b"X-Custom: only an unknown header\n\nbody\n",
    ],
    ids=["empty", "random", "zip", "pdf", "text", "outlook-msg", "no-mail-headers"],
)
def test_it_refuses_what_is_not_an_email(data: bytes) -> None:
    with pytest.raises(ReplyRefused) as refused:
        parse_eml(data)
    assert refused.value.code == "not_an_email"


def test_it_refuses_a_mail_without_text() -> None:
    message = _message()
    message.set_content("   \n\n  ")
    message.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="letter.pdf")
    with pytest.raises(ReplyRefused) as refused:
        parse_eml(bytes(message))
    assert refused.value.code == "empty"
    assert "attachment" in str(refused.value.message)


def test_it_refuses_a_mail_nested_beyond_reason() -> None:
    parts = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i) for i in range(3000)
    )
    with pytest.raises(ReplyRefused) as refused:
        parse_eml(
            b"From: a@example.com\r\nSubject: deep\r\n" + parts + b"Content-Type: text/plain\r\n\r\nhi\r\n"
        )
    assert refused.value.code == "unreadable"


def test_its_messages_are_translated() -> None:
    from django.utils import translation

    with translation.override("nl"):
        with pytest.raises(ReplyRefused) as refused:
            parse_eml(b"")
        # Lazy: evaluated in the language active where it is shown.
        assert str(refused.value.message)


def test_it_lists_an_attached_mail_without_reading_it_as_the_reply() -> None:
    forwarded = _message(subject="Old thread")
    forwarded.set_content("Unfortunately we have decided to proceed with other candidates.")
    message = _message(subject="Fwd: see below")
    message.set_content("Hi Kari, forwarding the interview invitation as discussed.")
    message.add_attachment(forwarded)
    reply = parse_eml(bytes(message))
    assert reply.body_text == "Hi Kari, forwarding the interview invitation as discussed."
    assert [name for name, _ in reply.attachments] == ["message/rfc822"]
    assert reply.attachments[0][1] > 0


def test_it_reads_a_mail_saved_with_a_byte_order_mark() -> None:
    raw = b"\xef\xbb\xbfFrom: hr@example.com\r\nSubject: Hello\r\n\r\nWe would like to invite you.\r\n"
    assert parse_eml(raw).sender_email == "hr@example.com"


def test_it_strips_the_history_of_an_html_reply_from_gmail() -> None:
    message = _message()
    message.set_content(
        '<div dir="ltr">Dear Kari,<div><br></div>'
        "<div>We would like to invite you to an interview.</div></div>"
        '<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 13 May 2024 at 21:02, Kari '
        'Nordmann &lt;<a href="mailto:kari@example.com">kari@example.com</a>&gt; wrote:<br></div>'
        '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex">'
        "Dear Ingrid,<br>any news?</blockquote></div>",
        subtype="html",
    )
    reply = parse_eml(bytes(message))
    assert reply.body_text == "Dear Kari,\n\nWe would like to invite you to an interview."
    assert "> Dear Ingrid,\n> any news?" in reply.full_text


def test_it_strips_the_history_of_an_html_reply_from_outlook() -> None:
    message = _message()
    message.set_content(
        "<div>Beste Kari,</div><div>Helaas hebben we voor een andere kandidaat gekozen.</div><hr>"
        '<div id="divRplyFwdMsg"><font face="Calibri"><b>Van:</b> Kari Nordmann &lt;kari@example.com&gt;<br>'
        "<b>Verzonden:</b> maandag 13 mei 2024 21:02<br><b>Aan:</b> Pieter<br>"
        "<b>Onderwerp:</b> Sollicitatie</font></div><div>Beste Pieter, is er al nieuws?</div>",
        subtype="html",
    )
    reply = parse_eml(bytes(message))
    assert reply.body_text == "Beste Kari,\nHelaas hebben we voor een andere kandidaat gekozen."
    assert "is er al nieuws?" in reply.full_text
