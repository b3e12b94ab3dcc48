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
    asks: tuple[str, str, str]  # {requirement}
    quote_open: str
    quote_close: str
    # Before evidence written in another language than the letter (an English CV in a Norwegian letter).
    from_my_experience: str
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
        opening_more="Below I describe how my experience matches what you are looking for.",
        asks=(
            "Your posting asks for {requirement}.",
            "You also mention {requirement}.",
            "And you list {requirement}.",
        ),
        quote_open="“",
        quote_close="”",
        from_my_experience="From my experience:",
        no_evidence="You will find the details of my experience in my CV.",
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
        opening_more="Hieronder beschrijf ik hoe mijn ervaring aansluit bij wat u zoekt.",
        asks=(
            "In uw vacature vraagt u om {requirement}.",
            "U noemt ook {requirement}.",
            "En u vraagt om {requirement}.",
        ),
        quote_open="‘",
        quote_close="’",
        from_my_experience="Uit mijn ervaring:",
        no_evidence="De details van mijn ervaring vindt u in mijn cv.",
        closing="Ik vertel u graag meer in een gesprek.",
        closing_formal="Graag licht ik mijn sollicitatie toe in een persoonlijk gesprek.",
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
        opening_more="Nedenfor beskriver jeg hvordan erfaringen min passer til det dere ser etter.",
        asks=(
            "I utlysningen ber dere om {requirement}.",
            "Dere nevner også {requirement}.",
            "Og dere ønsker {requirement}.",
        ),
        quote_open="«",
        quote_close="»",
        from_my_experience="Fra min erfaring:",
        no_evidence="Detaljene om erfaringen min finner dere i CV-en min.",
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
        salutation_no_company="Guten Tag,",
        salutation_formal="Sehr geehrte Damen und Herren,",
        opening="Hiermit bewerbe ich mich auf die Stelle als {title} bei {company}.",
        opening_no_company="Hiermit bewerbe ich mich auf die Stelle als {title}.",
        opening_formal="Mit großem Interesse bewerbe ich mich auf die Stelle als {title} bei {company}.",
        opening_formal_no_company="Mit großem Interesse bewerbe ich mich auf die Stelle als {title}.",
        opening_more="Im Folgenden beschreibe ich, wie meine Erfahrung zu Ihren Anforderungen passt.",
        asks=(
            "In Ihrer Stellenanzeige nennen Sie {requirement}.",
            "Außerdem nennen Sie {requirement}.",
            "Und Sie wünschen sich {requirement}.",
        ),
        quote_open="„",
        quote_close="“",
        from_my_experience="Aus meiner Erfahrung:",
        no_evidence="Die Einzelheiten meiner Erfahrung finden Sie in meinem Lebenslauf.",
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
        opening_more="Παρακάτω περιγράφω πώς η εμπειρία μου ταιριάζει με αυτό που ζητάτε.",
        asks=(
            "Στην αγγελία σας ζητάτε {requirement}.",
            "Αναφέρετε επίσης {requirement}.",
            "Και ζητάτε {requirement}.",
        ),
        quote_open="«",
        quote_close="»",
        from_my_experience="Από την εμπειρία μου:",
        no_evidence="Λεπτομέρειες για την εμπειρία μου θα βρείτε στο βιογραφικό μου.",
        closing="Θα χαρώ να σας πω περισσότερα σε μια συνάντηση.",
        closing_formal="Θα ήταν χαρά μου να συζητήσουμε την αίτησή μου σε μια προσωπική συνάντηση.",
        sign_off="Με εκτίμηση,",
        sign_off_formal="Με εκτίμηση,",
        own_transition=re.compile(r"^(?:Στην αγγελία σας (?:ζητάτε|αναφέρετε)|Ζητάτε)"),
    ),
}

# First-person adaptation of CV lines ("Led a team…" → "I led a team…"), per language of the line.
SUBJECT = {"en": "I", "nl": "Ik heb"}
# A role phrase opening a profile ("Backend engineer with seven years…" → "I am a backend engineer…").
ROLE_SUBJECT = {"en": ("I am a", "I am an"), "nl": ("Ik ben", "Ik ben")}

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
    for subject in SUBJECT.values():
        parts.append(subject)
    for pair in ROLE_SUBJECT.values():
        parts.extend(pair)
    return " ".join(parts)
