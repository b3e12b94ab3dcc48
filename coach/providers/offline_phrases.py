"""The few fixed phrases the offline drafter joins the user's own sentences with, per letter language.

They are letter text in the language the letter is written in, not interface text in the user's language,
so they are plain strings here rather than gettext messages. Every phrase is deliberately empty of facts:
the facts in an offline letter all come from the user's materials. Requirements are quoted rather than
woven into a sentence, so any requirement line reads correctly whatever its grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    salutation: str  # {company}
    salutation_no_company: str
    salutation_formal: str
    opening: str  # {title}, {company}
    opening_no_company: str  # {title}
    opening_formal: str
    opening_formal_no_company: str
    # Said only when the length allows it.
    opening_more: str
    # Lead-ins that quote a requirement, one per body paragraph, in turn.
    asks: tuple[str, ...]  # {requirement}
    quote_open: str
    quote_close: str
    no_evidence: str
    closing: str
    closing_formal: str
    sign_off: str
    sign_off_formal: str
    # The user's own lead-in to a requirement, when one of their past letters uses one.
    own_transition: re.Pattern[str]


PHRASES: dict[str, Phrases] = {
    "en": Phrases(
        salutation="Dear hiring team at {company},",
        salutation_no_company="Dear hiring team,",
        salutation_formal="Dear Sir or Madam,",
        opening="I am applying for the position of {title} at {company}.",
        opening_no_company="I am applying for the position of {title}.",
        opening_formal=(
            "Please accept this letter as my application for the position of {title} at {company}."
        ),
        opening_formal_no_company="Please accept this letter as my application for the position of {title}.",
        opening_more="Here is what I would bring.",
        asks=(
            "Your posting asks for {requirement}.",
            "You also mention {requirement}.",
            "And you list {requirement}.",
            "You are also looking for {requirement}.",
            "Another point is {requirement}.",
        ),
        quote_open="“",
        quote_close="”",
        no_evidence="The details are in my résumé.",
        closing="I would be glad to tell you more in a conversation.",
        closing_formal="I would welcome the opportunity to discuss my application with you.",
        sign_off="Kind regards,",
        sign_off_formal="Yours faithfully,",
        own_transition=re.compile(
            r"^(?:Your (?:job )?(?:posting|advert|ad|vacancy) (?:mentions|asks for|lists|says)"
            r"|You (?:ask for|mention|are looking for|need))\b"
        ),
    ),
    "nl": Phrases(
        salutation="Beste team van {company},",
        salutation_no_company="Beste lezer,",
        salutation_formal="Geachte heer, mevrouw,",
        opening="Met deze brief solliciteer ik naar de functie {title} bij {company}.",
        opening_no_company="Met deze brief solliciteer ik naar de functie {title}.",
        opening_formal="Hierbij solliciteer ik naar de functie {title} bij {company}.",
        opening_formal_no_company="Hierbij solliciteer ik naar de functie {title}.",
        opening_more="Dit is wat ik kan bieden.",
        asks=(
            "In uw vacature vraagt u om {requirement}.",
            "U noemt ook {requirement}.",
            "En u vraagt om {requirement}.",
            "Ook zoekt u {requirement}.",
            "Verder noemt u {requirement}.",
        ),
        quote_open="‘",
        quote_close="’",
        no_evidence="De details staan in mijn cv.",
        closing="Ik vertel u graag meer in een gesprek.",
        closing_formal="Graag licht ik dit toe in een gesprek.",
        sign_off="Met vriendelijke groet,",
        sign_off_formal="Hoogachtend,",
        own_transition=re.compile(
            r"^(?:In (?:uw|je|jullie) vacature"
            r" (?:vraagt u om|vraag je om|vragen jullie om|noemt u|noem je|staat)"
            r"|U (?:vraagt om|zoekt)|Je (?:vraagt om|zoekt))\b"
        ),
    ),
    "nb": Phrases(
        salutation="Til ansettelsesteamet i {company},",
        salutation_no_company="Hei,",
        salutation_formal="Til den det måtte angå,",
        opening="Jeg søker herved stillingen som {title} hos {company}.",
        opening_no_company="Jeg søker herved stillingen som {title}.",
        opening_formal="Med dette søker jeg stillingen som {title} hos {company}.",
        opening_formal_no_company="Med dette søker jeg stillingen som {title}.",
        opening_more="Dette er hva jeg kan bidra med.",
        asks=(
            "I utlysningen ber dere om {requirement}.",
            "Dere nevner også {requirement}.",
            "Og dere ønsker {requirement}.",
            "Dere ser også etter {requirement}.",
            "Videre nevner dere {requirement}.",
        ),
        quote_open="«",
        quote_close="»",
        no_evidence="Mer om meg finner dere i vedlegget.",
        closing="Jeg forteller gjerne mer i en samtale.",
        closing_formal="Jeg ser frem til å utdype søknaden min i et intervju.",
        sign_off="Med vennlig hilsen",
        sign_off_formal="Med vennlig hilsen",
        own_transition=re.compile(
            r"^(?:I (?:utlysningen|annonsen) (?:ber dere om|nevner dere|skriver dere)"
            r"|Dere (?:søker|ber om|nevner))\b"
        ),
    ),
    "de": Phrases(
        salutation="Liebes Team von {company},",
        salutation_no_company="Sehr geehrte Damen und Herren,",
        salutation_formal="Sehr geehrte Damen und Herren,",
        opening="Hiermit bewerbe ich mich auf die Stelle als {title} bei {company}.",
        opening_no_company="Hiermit bewerbe ich mich auf die Stelle als {title}.",
        opening_formal="Mit großem Interesse bewerbe ich mich auf die Stelle als {title} bei {company}.",
        opening_formal_no_company="Mit großem Interesse bewerbe ich mich auf die Stelle als {title}.",
        opening_more="Das kann ich mitbringen.",
        asks=(
            "Sie suchen {requirement}.",
            "Außerdem nennen Sie {requirement}.",
            "Und Sie wünschen sich {requirement}.",
            "Ebenso nennen Sie {requirement}.",
            "Weiter wünschen Sie sich {requirement}.",
        ),
        quote_open="„",
        quote_close="“",
        no_evidence="Mehr dazu erzähle ich Ihnen gern.",
        closing="Gern erzähle ich Ihnen in einem Gespräch mehr.",
        closing_formal="Über die Gelegenheit zu einem persönlichen Gespräch freue ich mich sehr.",
        sign_off="Viele Grüße",
        sign_off_formal="Mit freundlichen Grüßen",
        own_transition=re.compile(
            r"^(?:In Ihrer (?:Stellenanzeige|Ausschreibung) (?:nennen|suchen|wünschen) Sie"
            r"|Sie (?:suchen|wünschen sich|nennen))\b"
        ),
    ),
    "el": Phrases(
        salutation="Αγαπητή ομάδα της {company},",
        salutation_no_company="Αγαπητή ομάδα,",
        salutation_formal="Αξιότιμες κυρίες και κύριοι,",
        opening="Υποβάλλω την αίτησή μου για τη θέση {title} στην {company}.",
        opening_no_company="Υποβάλλω την αίτησή μου για τη θέση {title}.",
        opening_formal="Με την παρούσα επιστολή υποβάλλω την αίτησή μου για τη θέση {title} στην {company}.",
        opening_formal_no_company="Με την παρούσα επιστολή υποβάλλω την αίτησή μου για τη θέση {title}.",
        opening_more="Να τι μπορώ να προσφέρω.",
        asks=(
            "Στην αγγελία σας ζητάτε {requirement}.",
            "Αναφέρετε επίσης {requirement}.",
            "Και ζητάτε {requirement}.",
            "Ζητάτε ακόμη {requirement}.",
            "Επιπλέον αναφέρετε {requirement}.",
        ),
        quote_open="«",
        quote_close="»",
        no_evidence="Λεπτομέρειες για την εμπειρία μου θα βρείτε στο βιογραφικό μου.",
        closing="Θα χαρώ να σας πω περισσότερα σε μια συνάντηση.",
        closing_formal="Θα χαρώ να συζητήσουμε την αίτησή μου.",
        sign_off="Με εκτίμηση,",
        sign_off_formal="Με εκτίμηση,",
        own_transition=re.compile(r"^(?:Στην αγγελία σας (?:ζητάτε|αναφέρετε)|Ζητάτε)"),
    ),
}

# Revision and tone words, matched against folded text (lower case, no accents).
SHORTER = ("shorter", "short", "brief", "concise", "korter", "beknopt", "kortere", "kort", "kurzer", "knapp",
           "συντομοτερ", "πιο συντομ")  # fmt: skip
LONGER = ("longer", "expand", "more detail", "langer", "uitgebreider", "lengre", "lenger", "langere",
          "ausfuhrlicher", "μεγαλυτερ", "πιο εκτεν")  # fmt: skip
FORMAL = ("formal", "formeel", "formeler", "formell", "formlich", "formeller", "επισημ")
INFORMAL = ("less formal", "informal", "warmer", "friendlier", "minder formeel", "informeel",
            "mindre formell", "weniger formlich", "λιγοτερο επισημ")  # fmt: skip


def all_phrase_text() -> str:
    """Every fixed word the drafter can write, for the tests that check it invents nothing."""
    parts: list[str] = []
    for phrases in PHRASES.values():
        for value in phrases.__dict__.values():
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, tuple):
                parts.extend(value)
    # Inner import: offline_rewrite is the drafter's other word list, and imports nothing from here.
    from coach.providers.offline_rewrite import all_frame_text

    parts.append(all_frame_text())
    return " ".join(parts)
