"""What a job posting asks of a candidate: its requirement lines, each a must-have or a nice-to-have.

A posting is light Markdown as the importer writes it (`## Heading`, `- bullet`, paragraphs) or pasted
plain text whose headings are short lines ("Requirements", "Wat vragen wij?", "Dein Profil:"). Headings
sort the text into sections; only requirement sections give requirement lines:

- Must-have sections ("Requirements", "What you bring", "Wat vragen wij", "Kvalifikasjoner", "Dein
  Profil", "Απαιτούμενα προσόντα", ...) and nice-to-have sections ("Nice to have", "Pré", "Det er en
  fordel", "Von Vorteil", "Επιθυμητά", ...). Every bullet is a line; a paragraph gives one line per
  sentence.
- Not requirements: about the company, what the employer offers (benefits, salary), how to apply, legal
  and equal-opportunity text, and the duties of the job ("Responsibilities", "Arbeidsoppgaver",
  "Aufgaben", "Taken"). Duties are left out on purpose: they say what the hire will do, not what they
  must already have shown, and a CV rarely proves a duty the way it proves a skill ("Mentor other
  engineers" is a task of the job; "Experience mentoring engineers" would be a requirement).
- A line's own wording beats its section: "... is a plus", "bij voorkeur ...", "gjerne", "von Vorteil",
  "θα εκτιμηθεί" make it nice-to-have; "required", "vereist", "krav", "zwingend", "απαραίτητ" a
  must-have. An adverb that only qualifies an object after a comma ("marketing automation, bij voorkeur
  HubSpot") leaves the line as its section says.
- A posting with no recognisable requirement section (a few paragraphs) gives the sentences that read
  like requirements ("experience with", "you have", "Erfahrung", ...), as must-haves.

Some lines never count, wherever they stand: contact details, application instructions, legal text, and
text addressed to an AI that reads the posting ("Ignore previous instructions...", "If you are an AI...",
"Note to ChatGPT..."), which could otherwise steer a score or a draft. `suspicious_lines()` lists the
latter so the interface can warn the user about the posting.

Patterns are written in natural spelling and matched on folded text (case-folded, accents and Greek
tonos dropped, "ß" as "ss"), so "Wünschenswert", "wunschenswert" and "WÜNSCHENSWERT" meet. All five
languages' patterns apply to every posting: postings mix them ("Nice to have" in a German posting).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from materials.chunking import sentence_spans
from omoikane.text import fold as fold_text


@dataclass(frozen=True)
class RequirementLine:
    text: str
    must: bool
    # The heading the line stood under, as the posting wrote it ("" before any heading).
    section: str
    # Position among the posting's requirement lines, from 0.
    ordinal: int


# A requirement is a sentence or a bullet; a longer run of text without a full stop is pasted noise (a
# whole page on one line), and the readers after this one are not made for it.
MAX_LINE_CHARS = 1000


class _Section(StrEnum):
    INTRO = "intro"  # before the first heading: title, company line, a lead paragraph
    MUST = "must"
    NICE = "nice"
    # "Ønskede kvalifikasjoner", "Gewünschte Qualifikationen", "Gewenst profiel": the only requirement
    # list in many postings, the second one in others. Must unless the posting has a must section too.
    DESIRED = "desired"
    SKIP = "skip"  # about us, offer, duties, how to apply, legal
    UNKNOWN = "unknown"
    SUSPICIOUS = "suspicious"  # a heading addressed to an AI: nothing under it counts


def fold(text: str) -> str:
    """Folded (omoikane.text.fold) with runs of spaces as one: the form every pattern here matches."""
    return " ".join(fold_text(text).split())


def _patterns(*alternatives: str) -> re.Pattern[str]:
    """One regex of whole-word alternatives, folded like the text it will meet."""
    return re.compile(r"(?<!\w)(?:" + "|".join(fold(a) for a in alternatives) + r")(?!\w)")


# --- Section headings ---------------------------------------------------------------------------------

# Checked first: "Preferred qualifications" and "Θα εκτιμηθούν" are nice-to-have although they name
# qualifications.
_NICE_HEADING = _patterns(
    r"nice[- ]to[- ]haves?", r"bonus(?: points)?", r"preferred(?: \w+)?", r"a plus", r"plus points?",
    r"desirable", r"desired(?: \w+)?", r"advantageous", r"an advantage", r"good to have", r"ideally",
    r"even better", r"beneficial", r"optional", r"would be (?:great|nice|a plus)", r"extra credit",
    r"pr[eé]", r"pluspunt(?:en)?", r"mooi meegenomen", r"wenselijk", r"een plus", r"bij voorkeur",
    r"(?:det er )?en fordel", r"fordel", r"ønskelig", r"gjerne", r"fortrinnsvis", r"et pluss",
    r"wünschenswert", r"von vorteil", r"vorteilhaft", r"schön wäre", r"wäre schön", r"idealerweise",
    r"pluspunkte", r"ein plus", r"plus", r"optimalerweise",
    r"επιθυμητ\w*", r"θα εκτιμηθ\w*", r"θα συνεκτιμηθ\w*", r"συνεκτιμ\w*", r"πλεονεκτημα\w*",
    r"πρόσθετα προσόντα", r"επιπλέον προσόντα",
)  # fmt: skip
_DESIRED_HEADING = _patterns(
    r"ønskede? \w+", r"ønsker vi", r"gewenste? \w+", r"gewünschte? \w+", r"wünschen wir uns",
)  # fmt: skip
# "About you" is about the candidate: a requirement section, though "About ..." is usually the company.
_YOU_HEADING = _patterns(
    r"about you", r"over jou", r"over u", r"om deg", r"über dich", r"über sie", r"σχετικά με (?:εσένα|σένα)",
)  # fmt: skip
_SKIP_HEADING = _patterns(
    # what the employer offers, pay
    r"we offer", r"what we offer", r"our offer", r"benefits", r"perks", r"what'?s in it for you",
    r"what you get", r"why join\b.*", r"why us", r"why work\b.*", r"compensation", r"salary", r"pay",
    r"in return", r"what to expect", r"package",
    r"wat bieden (?:wij|we)", r"(?:wij|we) bieden", r"wat (?:wij|we) bieden", r"arbeidsvoorwaarden",
    r"wat krijg je\b.*", r"wat mag je verwachten", r"ons aanbod", r"salaris", r"beloning",
    r"vi tilbyr", r"vi kan tilby", r"hva (?:vi tilbyr|tilbyr vi)", r"goder", r"lønn", r"betingelser",
    r"fordeler",
    r"wir bieten", r"was wir bieten", r"das bieten wir", r"bieten wir", r"unser angebot",
    r"(?:deine|ihre) vorteile", r"(?:deine|ihre) benefits", r"was (?:dich|sie) erwartet", r"gehalt",
    r"vergütung",
    r"προσφέρουμε", r"(?:η εταιρεία|η κλινική|η θέση) προσφέρει", r"τι προσφέρουμε", r"παροχές", r"αποδοχές",
    r"μισθός",
    # duties of the job
    r"what you(?:'ll| will) (?:do|be doing|work on)", r"your role", r"the role", r"role",
    r"(?:key )?responsibilities", r"duties", r"(?:your )?tasks", r"day[- ]to[- ]day", r"your mission",
    r"about the (?:role|job|position)", r"job description", r"the job", r"the position", r"in this role",
    r"your impact", r"what you(?:'ll| will) be doing",
    r"wat ga (?:je|jij) doen", r"(?:jouw |je )?taken", r"verantwoordelijkheden", r"de functie",
    r"functieomschrijving", r"over de (?:functie|baan|rol)", r"jouw rol", r"werkzaamheden",
    r"(?:dine )?(?:arbeids)?oppgaver", r"om stillingen", r"ansvarsområder?", r"stillingen",
    r"hva (?:du skal gjøre|skal du gjøre)", r"ansvar og arbeidsoppgaver",
    r"(?:deine |ihre )?aufgaben", r"dein job", r"deine rolle", r"die stelle", r"die position",
    r"tätigkeiten", r"stellenbeschreibung", r"(?:dein|ihr) aufgabengebiet", r"verantwortlichkeiten",
    r"das erwartet dich", r"deine mission", r"über die (?:stelle|position|rolle)",
    r"(?:κύριες )?αρμοδιότητες", r"καθήκοντα", r"περιγραφή (?:θέσης|εργασίας)", r"ο ρόλος", r"ευθύνες",
    r"τι θα κάνεις", r"η θέση",
    # the company
    r"about us", r"about the (?:company|team)", r"who we are", r"our (?:company|team|mission|story)",
    r"the (?:company|team)", r"company(?: profile)?", r"about \w+(?: \w+)?", r"bedrijfsprofiel",
    r"(?:firmen|unternehmens|selskaps)profil",
    r"over ons", r"wie (?:zijn wij|zijn we)", r"het bedrijf", r"de organisatie", r"organisatie",
    r"ons team", r"over \w+(?: \w+)?",
    r"om oss", r"hvem er vi", r"om (?:selskapet|bedriften)", r"selskapet", r"om \w+(?: \w+)?",
    r"über uns", r"wer wir sind", r"(?:das )?unternehmen", r"wir über uns", r"(?:unser|das) team",
    r"über \w+(?: \w+)?",
    r"σχετικά με (?:εμάς|την εταιρεία)", r"ποιοι είμαστε", r"η εταιρεία", r"λίγα λόγια για εμάς",
    r"η ομάδα",
    # applying, contact
    r"how to apply", r"apply(?: now)?", r"applications?", r"application process", r"next steps",
    r"interested\??", r"contact(?: us)?", r"questions\??", r"(?:the |our )?(?:recruitment|hiring) process",
    r"solliciteren", r"sollicitatie(?:procedure)?", r"interesse", r"procedure", r"contact(?:persoon)?",
    r"meer informatie", r"vragen", r"reageren",
    r"søknad", r"kontakt(?:informasjon|person)?", r"slik søker du", r"spørsmål", r"søknadsfrist",
    r"rekrutteringsprosess(?:en)?",
    r"bewerbung", r"bewerben", r"so bewirbst du dich", r"ansprechpartner(?:in)?", r"bewerbungsprozess",
    r"fragen", r"interesse geweckt",
    r"αιτήσεις", r"αίτηση", r"υποβολή αιτήσεων", r"επικοινωνία", r"ενδιαφέρεσαι", r"ενδιαφέρεστε",
    # legal
    r"equal opportunit\w*", r"eeo", r"diversity(?: and inclusion)?", r"inclusion", r"privacy(?: notice)?",
    r"data protection", r"legal", r"disclaimer",
    r"diversiteit", r"inclusie", r"gelijke kansen", r"acquisitie",
    r"mangfold", r"inkludering", r"personvern", r"likestilling",
    r"chancengleichheit", r"datenschutz", r"vielfalt", r"diversität", r"gleichstellung", r"inklusion",
    r"ίσες ευκαιρίες", r"προστασία (?:προσωπικών )?δεδομένων", r"απόρρητο", r"διαφορετικότητα",
)  # fmt: skip
_MUST_HEADING = _patterns(
    r"(?:minimum |basic |required |key )?requirements?", r"what you(?:'ll| will)? (?:bring|need)",
    r"you(?:'ll| will)? need", r"must[- ]haves?", r"(?:required |minimum |basic |your )?qualifications?",
    r"required", r"(?:your |key )?skills(?: and experience)?", r"(?:your )?profile", r"who you are",
    r"we require", r"(?:what |who )?(?:we are|we're) looking for", r"looking for", r"you have", r"you bring",
    r"you are", r"(?:your )?experience", r"competenc(?:e|ies)", r"is this you\??",
    r"(?:the )?ideal candidate",
    r"what we expect(?: from you)?", r"what we ask", r"essentials?", r"knowledge", r"expertise",
    r"(?:functie[- ]?)?eisen", r"vereisten", r"wat vragen (?:wij|we)", r"wat (?:wij|we) vragen",
    r"wie (?:ben jij|ben je|zoeken (?:wij|we))", r"(?:jouw |gevraagd |het )?profiel",
    r"wat (?:breng|neem) (?:je|jij) mee", r"(?:jij|je) hebt", r"wat heb (?:je|jij) nodig",
    r"kwalificaties", r"competenties", r"wat (?:verwachten wij|wij verwachten|verwachten we)",
    r"(?:jouw )?(?:kennis en )?ervaring", r"vaardigheden", r"jouw bagage",
    r"kvalifikasjoner", r"krav", r"(?:hvem )?vi ser etter(?: deg som har)?", r"vi søker deg som\b.*",
    r"hvem er du\??", r"(?:din )?profil", r"kompetanse", r"erfaring", r"du har", r"du er",
    r"(?:personlige )?egenskaper", r"forventninger",
    r"anforderungen", r"(?:dein |ihr )?profil", r"was (?:du mitbringst|sie mitbringen)",
    r"(?:das )?(?:bringst du|bringen sie) mit", r"mitbringen", r"qualifikationen?", r"voraussetzungen",
    r"was wir (?:erwarten|uns wünschen)", r"wen wir suchen", r"kenntnisse", r"erfahrung",
    r"was (?:dich|sie) auszeichnet", r"das zeichnet (?:dich|sie) aus", r"du hast", r"du bist",
    r"(?:απαιτούμενα |ζητούμενα |απαραίτητα |βασικά |τυπικά )?προσόντα", r"απαιτήσεις", r"απαιτούμεν\w*",
    r"τι (?:ζητάμε|αναζητάμε|χρειάζεσαι|θα χρειαστείς)", r"αναζητάμε", r"ζητάμε", r"(?:το )?προφίλ(?: σου)?",
    r"προαπαιτούμενα", r"εμπειρία", r"δεξιότητες", r"γνώσεις",
)  # fmt: skip


def _classify_heading(heading: str, *, loose: bool = True) -> _Section:
    """What a heading announces. `loose=False` for a plain-text line that might be a heading: then only
    a heading phrase on its own counts ("Requirements", not "Experience with Python")."""
    text = re.sub(r"[*_`]", "", fold(heading)).strip(" :?!.-–—#")
    if _is_suspicious(text):
        return _Section.SUSPICIOUS
    ordered = (
        (_Section.NICE, _NICE_HEADING),
        (_Section.DESIRED, _DESIRED_HEADING),
        (_Section.MUST, _YOU_HEADING),
        (_Section.SKIP, _SKIP_HEADING),
        (_Section.MUST, _MUST_HEADING),
    )
    for section, pattern in ordered:
        if pattern.fullmatch(text):
            return section
    if not loose:
        return _Section.UNKNOWN
    # A longer heading: nice-to-have wording wins ("Preferred qualifications"), then requirement
    # wording ("Requirements for the role"), then the rest.
    for section, pattern in (ordered[0], ordered[1], ordered[2], ordered[4], ordered[3]):
        if pattern.search(text):
            return section
    return _Section.UNKNOWN


# --- Line wording -------------------------------------------------------------------------------------

# Said of the whole requirement: "... is a plus", "Erfaring med X er en fordel", "Θα εκτιμηθεί ...".
_NICE_PREDICATE = _patterns(
    r"(?:is|are|would be) (?:a|an added) (?:plus|bonus|advantage)", r"a plus", r"an advantage",
    r"advantageous", r"(?:is |are )?(?:highly )?desirable", r"(?:is |are )?(?:preferred|welcome)",
    r"nice[- ]to[- ]have", r"would be (?:nice|great|helpful)", r"a bonus", r"beneficial", r"good to have",
    r"not (?:required|essential|a requirement|mandatory)",
    r"(?:is )?een pré", r"pré", r"(?:is )?een pluspunt", r"een plus", r"mooi meegenomen", r"wenselijk",
    r"strekt tot aanbeveling", r"een voordeel", r"welkom", r"geen (?:vereiste|must)", r"niet vereist",
    r"(?:er )?en fordel", r"(?:er )?ønskelig", r"et pluss", r"vektlagt", r"tillagt vekt",
    r"ikke (?:et krav|påkrevd|nødvendig)",
    r"von vorteil", r"vorteilhaft", r"wünschenswert", r"ein plus", r"(?:ist )?nice to have",
    r"willkommen", r"wäre schön", r"kein muss", r"keine voraussetzung", r"nicht (?:zwingend|erforderlich)",
    r"επιθυμητ\w*", r"θα εκτιμηθ\w*", r"θα συνεκτιμηθ\w*", r"συνεκτιμ\w*",
    r"(?:αποτελεί |θα θεωρηθεί )?(?:πλεονέκτημα|προσόν)",
    r"δεν (?:είναι απαραίτητ\w*|απαιτείται)",
)  # fmt: skip
# Adverbs that make a line nice-to-have when they govern it ("Ideally you have...", "Du har gjerne..."),
# but only narrow an object when they follow a comma ("Python, preferably with Django").
_NICE_ADVERB = _patterns(
    r"preferably", r"ideally", r"optionally", r"bij voorkeur", r"idealiter", r"liefst", r"gjerne",
    r"fortrinnsvis", r"helst", r"idealerweise", r"vorzugsweise", r"optimalerweise", r"im idealfall",
    r"gerne", r"κατά προτίμηση", r"ιδανικά",
)  # fmt: skip
_MUST_WORDING = _patterns(
    r"must", r"required", r"mandatory", r"essential", r"a must", r"prerequisite", r"necessary",
    r"vereist", r"verplicht", r"noodzakelijk", r"een must", r"vereiste", r"moet", r"dien je",
    r"krav", r"påkrevd", r"må", r"nødvendig", r"obligatorisk", r"forutsetning",
    r"zwingend", r"erforderlich", r"voraussetzung", r"setzen wir voraus", r"vorausgesetzt", r"unbedingt",
    r"muss", r"notwendig", r"unabdingbar",
    r"απαραίτητ\w*", r"απαιτείται", r"απαιτούνται", r"υποχρεωτικ\w*", r"προαπαιτούμεν\w*", r"πρέπει να",
)  # fmt: skip

# A sentence that reads like a requirement: used where no heading says so.
_REQUIREMENT_CUE = _patterns(
    r"experience[ds]?", r"knowledge", r"degree", r"bachelor'?s?", r"master'?s?", r"phd", r"msc", r"bsc",
    r"familiar(?:ity)?", r"proficien\w+", r"fluent", r"fluency", r"skills?", r"ability to", r"able to",
    r"years?", r"you have", r"you are", r"you bring", r"certifi\w+", r"licen[cs]e", r"understanding of",
    r"background in", r"track record", r"qualifications?",
    r"ervaring", r"kennis", r"opleiding", r"diploma", r"(?:je|jij) hebt", r"(?:je|jij) bent",
    r"beheers\w*", r"vaardig\w*", r"jaar", r"rijbewijs", r"hbo", r"mbo", r"certifica\w+", r"affiniteit",
    r"erfaring", r"kunnskap\w*", r"kjennskap", r"utdanning", r"du har", r"du er", r"behersk\w*",
    r"førerkort", r"autorisasjon", r"kompetanse", r"års?", r"sertifi\w+",
    r"erfahrung(?:en)?", r"\w*kenntnisse?", r"studium", r"ausbildung", r"abschluss", r"du hast", r"du bist",
    r"sie haben", r"sie verfügen", r"führerschein", r"jahre?n?", r"verhandlungssicher\w*", r"zertifi\w+",
    r"weiterbildung", r"berufserfahrung",
    r"εμπειρία\w*", r"γνώση", r"γνώσεις", r"πτυχίο\w*", r"δεξιότητ\w*", r"ικανότητ\w*", r"δίπλωμα",
    r"έτη", r"ετών", r"χρόνια", r"πιστοποίηση", r"άδεια", r"μεταπτυχιακ\w*",
)  # fmt: skip

# --- Lines that never count ---------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL_RE = re.compile(r"\bhttps?://|\bwww\.\w", re.IGNORECASE)
# Seven digits or more in one run of digits, spaces, dots, dashes and a leading "+": a phone number.
_PHONE_RE = re.compile(r"(?<![\w.])\+?\d[\d ./-]{6,}\d(?![\w.])")
_NOT_A_REQUIREMENT = _patterns(
    # applying and contact
    r"how to apply", r"apply (?:now|today|via|through|by|here|online|at|on)\b", r"to apply",
    r"send (?:us )?(?:your|a) (?:cv|resume|résumé|application|portfolio)", r"submit your \w+",
    r"we look forward to\b.*", r"questions\?", r"contact(?: person)?:", r"for more information",
    r"solliciteer\w*", r"reageer (?:dan|via|voor|direct)", r"reageren kan", r"stuur (?:je|jouw|uw) \w+",
    r"vragen\?", r"meer informatie", r"contactpersoon",
    r"søk (?:nå|her|via|innen)", r"send (?:inn )?søknad\w*", r"søknadsfrist", r"søknad sendes",
    r"spørsmål om stillingen", r"kontaktperson", r"kontakt:",
    r"bewirb dich", r"bewerben sie sich", r"freuen uns auf (?:deine|ihre) bewerbung",
    r"senden sie (?:uns )?ihre", r"bewerbungsunterlagen", r"ansprechpartner(?:in)?", r"gehaltsvorstellung",
    r"στείλτε (?:το )?(?:βιογραφικό|cv)", r"αποστολή βιογραφικού", r"οι αιτήσεις", r"υποβολή αιτήσ\w+",
    # legal, equal opportunity, privacy notices
    r"equal opportunit\w*", r"regardless of", r"without regard to", r"(?:does|do) not discriminate",
    r"diverse and inclusive", r"diversity", r"reasonable accommodation\w*", r"made public",
    r"personal data (?:will be|is) processed", r"in accordance with (?:the )?(?:gdpr|avg|dsgvo)",
    r"acquisitie", r"gelijke kansen", r"ongeacht", r"offentlig søkerliste", r"offentliggjort",
    r"uavhengig av", r"mangfold\w*", r"chancengleichheit", r"unabhängig von", r"vielfalt",
    r"schwerbehindert\w*", r"ίσες ευκαιρίες", r"ανεξαρτήτως", r"εμπιστευτικ\w*",
    # pay
    r"salary", r"salaris", r"lønn", r"gehalt", r"vergütung", r"μισθ\w*", r"αποδοχές",
    # calls to action
    r"sounds? like you", r"is this you\??", r"does this sound", r"herken (?:je|jij) (?:jezelf|je)",
    r"klinkt dit als", r"kjenner du deg igjen", r"erkennst du dich", r"findest du dich", r"klingt das nach",
    r"σε ενδιαφέρει", r"don'?t (?:meet|tick) every", r"even if you don'?t",
    # what the employer offers, said in a sentence
    r"we offer", r"wij bieden", r"we bieden", r"vi tilbyr", r"wir bieten", r"bieten wir", r"προσφέρουμε",
)  # fmt: skip
_COMPANY_SUBJECT = _patterns(
    r"we are", r"we're", r"our", r"wij zijn", r"we zijn", r"vi er", r"wir sind", r"είμαστε"
)

# --- Text addressed to an AI --------------------------------------------------------------------------

_AI = (
    r"(?:an? )?(?:ai|a\.i\.|ki|k\.i\.|llms?|gpt(?:-?\d\w*)?|chat ?gpt|claude|gemini|copilot|chatbots?|bots?"
    r"|(?:large )?language models?|taalmodel\w*|språkmodell\w*|sprachmodell\w*|kunstig intelligens"
    r"|künstliche intelligenz|kunstmatige intelligentie|artificial intelligence|τεχνητή νοημοσύνη"
    r"|(?:γλωσσικό )?μοντέλο|ai[- ]\w+|ki[- ]\w+)"
)
_SUSPICIOUS = _patterns(
    # "ignore previous instructions", in five languages
    r"(?:ignore|disregard|forget|override)\b.{0,30}\b(?:instructions?|prompts?|directions|rules|guidelines|"
    r"requirements|context|everything)",
    r"negeer\b.{0,30}\b(?:instructies|opdrachten|aanwijzingen|regels|eisen)",
    r"(?:ignorer|glem|overse)\b.{0,30}\b(?:instruksjon\w*|instruks\w*|regler|kravene)",
    r"(?:ignorier\w*|vergiss|vergessen sie)\b.{0,30}\b(?:anweisungen|instruktionen|befehle|regeln|vorgaben)",
    r"(?:αγνόησε|αγνοήστε|ξέχασε)\b.{0,30}\b(?:οδηγίες|εντολές|κανόνες|απαιτήσεις)",
    # "if you are an AI", "note to the AI"
    r"(?:if|when) you(?:'re| are) " + _AI,
    r"(?:note|message|instructions?|attention|hint|reminder|memo|notice) (?:to|for) (?:the |any |all )?"
    + _AI,
    r"(?:als|indien) (?:je|jij|u) (?:een )?" + _AI + r" (?:bent|is)",
    r"(?:notitie|bericht|opmerking|instructie|let op) (?:voor|aan) (?:de |het |alle )?" + _AI,
    r"(?:hvis|om) du er (?:en )?" + _AI,
    r"(?:merknad|beskjed|melding|notat|instruks|obs) til (?:en |alle )?" + _AI,
    r"(?:wenn|falls) (?:du|sie) (?:eine? )?" + _AI + r" (?:bist|sind)",
    r"(?:hinweis|nachricht|notiz|anweisung|achtung) (?:an|für) (?:die |das |den |alle )?" + _AI,
    r"(?:αν|εάν) (?:είσαι|είστε) (?:ένα |μια )?" + _AI,
    r"(?:σημείωση|μήνυμα|οδηγία|προσοχή) (?:για|προς) (?:το |την |τα |τους )?" + _AI,
    r"as an " + _AI,
    # asking for a verdict on the candidate
    r"(?:give|assign|rate|score|rank|mark) (?:this|the|every|each|all) "
    r"(?:candidate|applicant|application|cv|resume)s?\b.{0,40}\b(?:maximum|highest|perfect|top|100|excellent|best)",
    r"(?:this|the) (?:candidate|applicant) is (?:an? )?(?:excellent|perfect|strong|ideal|great) "
    r"(?:match|fit|candidate)",
    r"(?:geef|beoordeel) (?:deze|de|elke) (?:kandidaat|sollicitatie|sollicitant)",
    r"(?:skriv|si) at kandidaten", r"gi (?:denne|kandidaten|søkeren)\b.{0,30}\b(?:høyeste|maksimal|full)",
    r"(?:bewerten sie|bewerte|gib|geben sie) (?:diese[nr]?|jede[nr]?|den|die) "
    r"(?:bewerbung|kandidat\w*|bewerber\w*)",
    r"höchstpunktzahl",
    r"(?:βαθμολόγησε|βαθμολογήστε|δώσε|δώστε) (?:τον|την|στον|στην|σε) υποψήφι\w*",
    # honeypots and prompt syntax
    r"(?:include|use|mention|add|insert|write) (?:the )?(?:word|phrase|code ?word|keyword|string|emoji)\b",
    r"system prompt", r"\[inst\]", r"<\|im_start\|>", r"<\|system\|>", r"### instruction",
)  # fmt: skip


def _is_suspicious(folded: str) -> bool:
    return bool(_SUSPICIOUS.search(folded))


def suspicious_lines(text: str) -> list[str]:
    """Lines of a posting that address an AI or try to instruct the system reading it, as written.

    They are never requirement lines; the interface shows them so the user knows the posting tries it.
    """
    found: list[str] = []
    for block in _blocks(text):
        if _is_suspicious(fold(block.text)) and block.text not in found:
            found.append(block.text)
    return found


# --- Reading the posting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading", "bullet" or "text"
    text: str


_MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_BOLD_LINE_RE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__):?$")
_BULLET_RE = re.compile(r"^(?:[-*+•◦▪‣∙●○■►▶➢➤✓✔·–—]|\d{1,2}[.)])\s+(.*)$")
_LABEL_RE = re.compile(r"^([^\W\d_][^:]{1,40}?)\s*:\s+(\S.*)$")
# A heading in plain text is short and does not end like a sentence.
_MAX_HEADING_CHARS = 70
_MAX_HEADING_WORDS = 9


def _blocks(text: str) -> list[_Block]:
    """Headings, bullets and text lines in reading order; wrapped lines of one sentence joined."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    raw: list[tuple[str, str, bool]] = []  # (kind, text, starts a block after a blank line)
    after_blank = True
    for line in lines:
        if not line:
            after_blank = True
            continue
        heading = _MARKDOWN_HEADING_RE.match(line) or _BOLD_LINE_RE.match(line)
        bullet = _BULLET_RE.match(line)
        if heading:
            raw.append(("heading", _strip_markup(heading.group(1)), after_blank))
        elif bullet:
            raw.append(("bullet", _strip_markup(bullet.group(1)), after_blank))
        else:
            raw.append(("text", _strip_markup(line), after_blank))
        after_blank = False

    blocks: list[_Block] = []
    for index, (kind, line, starts_block) in enumerate(raw):
        if not line:
            continue
        if kind != "text":
            blocks.append(_Block(kind, line))
            continue
        following = raw[index + 1] if index + 1 < len(raw) else None
        label = _LABEL_RE.match(line)
        if label and _classify_heading(label.group(1), loose=False) not in (
            _Section.UNKNOWN,
            _Section.SUSPICIOUS,
        ):
            # "Requirements: Python, SQL." and "Nice to have: Kafka": a heading with its first line.
            blocks.append(_Block("heading", label.group(1)))
            blocks.append(_Block("text", label.group(2)))
            continue
        if _looks_like_heading(line, starts_block, following):
            blocks.append(_Block("heading", line.rstrip(":").strip()))
            continue
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and previous.kind == "text"
            and not starts_block
            and line[:1].islower()
            and not re.search(r"[.!?;:…]$", previous.text)
        ):
            # A hard-wrapped sentence continues on this line.
            blocks[-1] = _Block("text", f"{previous.text} {line}")
            continue
        blocks.append(_Block("text", line))
    return blocks


def _strip_markup(text: str) -> str:
    return re.sub(r"(\*\*|__|`)", "", text).strip()


def _looks_like_heading(line: str, starts_block: bool, following: tuple[str, str, bool] | None) -> bool:
    if len(line) > _MAX_HEADING_CHARS or len(line.split()) > _MAX_HEADING_WORDS:
        return False
    if re.search(r"[.,;!…]$", line) or _EMAIL_RE.search(line):
        return False
    if line.endswith(":"):
        return True
    next_is_bullet = following is not None and following[0] == "bullet" and not following[2]
    if _classify_heading(line, loose=False) is not _Section.UNKNOWN:
        # A heading phrase that starts a block or sits right over a list.
        return starts_block or next_is_bullet
    # Any other short line that starts a block and introduces a list ("Det er en fordel om du har").
    return starts_block and next_is_bullet


# --- Extraction ---------------------------------------------------------------------------------------


def extract_requirements(posting_text: str, *, language: str = "") -> list[RequirementLine]:
    """The posting's requirement lines in reading order, each marked must-have or nice-to-have.

    `language` ("el" and so on) only says how to read a semicolon: a question mark in Greek, a clause
    break elsewhere. Patterns of all five languages always apply.
    """
    blocks = _blocks(posting_text)
    sections: list[tuple[_Section, str]] = []  # the section of every block
    current, heading = _Section.INTRO, ""
    for block in blocks:
        if block.kind == "heading":
            current, heading = _classify_heading(block.text), block.text
        sections.append((current, heading))

    kinds = {section for section, _ in sections}
    has_must_section = _Section.MUST in kinds
    has_requirement_section = bool(kinds & {_Section.MUST, _Section.NICE, _Section.DESIRED})

    found: list[tuple[str, bool, str]] = []
    seen: set[str] = set()
    for block, (section, heading) in zip(blocks, sections, strict=True):
        if block.kind == "heading" or section in (_Section.SKIP, _Section.SUSPICIOUS):
            continue
        if _is_suspicious(fold(block.text)):
            continue
        in_requirement_section = section in (_Section.MUST, _Section.NICE, _Section.DESIRED)
        if not in_requirement_section and (has_requirement_section and section == _Section.INTRO):
            continue
        default_must = section != _Section.NICE and not (section == _Section.DESIRED and has_must_section)
        for sentence in _sentences(block.text):
            if not _counts(sentence):
                continue
            if not in_requirement_section and not _REQUIREMENT_CUE.search(fold(sentence)):
                # Outside a requirement section only what reads like a requirement counts.
                continue
            for clause in _clauses(sentence, language, default_must):
                key = fold(clause).strip(" .")
                if key in seen:
                    continue
                seen.add(key)
                found.append((clause, _is_must(clause, default=default_must), heading))
    return [
        RequirementLine(text=text, must=must, section=section, ordinal=ordinal)
        for ordinal, (text, must, section) in enumerate(found)
    ]


def _sentences(text: str) -> Iterable[str]:
    for sentence in sentence_spans(text):
        sentence = sentence.strip()
        if sentence:
            yield sentence


def _counts(sentence: str) -> bool:
    """False for what is never a requirement: too short or too long, a lead-in, contact, applying, legal,
    pay."""
    letters = sum(char.isalpha() for char in sentence)
    if letters < 2 or len(sentence) > MAX_LINE_CHARS:
        return False
    if sentence.endswith(":"):
        # "You have:" introduces a list; the list holds the requirements.
        return False
    folded = fold(sentence)
    if _EMAIL_RE.search(sentence) or _URL_RE.search(sentence) or _PHONE_RE.search(sentence):
        return False
    if _NOT_A_REQUIREMENT.search(folded):
        return False
    # "We are a team of 40 engineers." in a requirement section: about the company.
    return not (_COMPANY_SUBJECT.match(folded) and not _REQUIREMENT_CUE.search(folded))


def _clauses(sentence: str, language: str, default_must: bool) -> list[str]:
    """The sentence, or its semicolon-separated parts when they differ in must or nice wording.

    "Fluent English; a Scandinavian language is a plus" holds a must-have and a nice-to-have.
    """
    if ";" not in sentence or language == "el" or _greek(sentence):
        return [sentence]
    parts = [part.strip() for part in sentence.split(";") if part.strip()]
    if len(parts) < 2:
        return [sentence]
    musts = {_is_must(part, default=default_must) for part in parts}
    if len(musts) < 2:
        return [sentence]
    return [part[:1].upper() + part[1:] for part in parts]


def _is_must(line: str, *, default: bool) -> bool:
    folded = fold(line)
    nice = bool(_NICE_PREDICATE.search(folded)) or _governing_adverb(folded)
    must = bool(_MUST_WORDING.search(folded))
    if nice and must:
        # "Not required, but a plus" and "Required: X; Y is a plus" (unsplit): both words are there,
        # so the section decides.
        if _NICE_PREDICATE.search(folded) and re.search(r"\b(?:not|niet|geen|ikke|nicht|kein|δεν)\b", folded):
            return False
        return default
    if nice:
        return False
    if must:
        return True
    return default


def _governing_adverb(folded: str) -> bool:
    """True when "preferably", "gjerne", "idealerweise"... governs the line rather than one object."""
    for match in _NICE_ADVERB.finditer(folded):
        before = folded[: match.start()].rstrip()
        if before.endswith((",", "(", "–", "-", "—", "/")) and len(before.split()) >= 2:
            continue  # "... automation, bij voorkeur HubSpot": the tool is preferred, not the line
        return True
    return False


def _greek(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    greek = sum(1 for char in letters if "\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff")
    return greek * 2 > len(letters) > 0
