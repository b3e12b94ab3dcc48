"""TEMPORARY stand-in for the letters branch's renderer (same signature); replace it at merge."""

from __future__ import annotations

import json

import typst

from applications.letters.document import LetterDocument

_SOURCE = """#let l = json(bytes(sys.inputs.letter))
#set text(lang: l.language)
#for line in l.sender { [#line \\ ] }
#v(1em)
#for line in l.recipient { [#line \\ ] }
#v(1em)
#l.place
#v(1em)
*#l.subject*
#v(1em)
#for p in l.body.split("\\n\\n") { par(p) }
"""


def render_letter_pdf(letter: LetterDocument) -> bytes:
    data = {
        "language": letter.language or "en",
        "sender": [letter.sender_name, *letter.sender_lines],
        "recipient": list(letter.recipient_lines),
        "place": letter.place_and_date,
        "subject": letter.subject,
        "body": letter.body,
    }
    result = typst.compile(_SOURCE.encode(), sys_inputs={"letter": json.dumps(data)})
    if not isinstance(result, bytes):
        raise TypeError("typst gave no PDF")
    return result
