"""What an employer's reply is about: a rejection, an interview, a request for information, an offer.

The result is a suggestion the user confirms, shown with the phrases behind it, so the rules are plain and
deterministic rather than learned: the same mail always gets the same answer, and the answer can be
explained. How it decides:

1. Cues. Each kind has phrases in English, Dutch, Norwegian Bokmål, German and Greek, matched against the
   folded text (lower case, no accents; see text.fold) so "Absage", "ABSAGE" and "absage" are one cue.
   A cue weighs 3 when it states the decision on its own ("we have decided to proceed with other
   candidates", "uitnodigen voor een gesprek", "tilbud om stilling", "Vertragsangebot", "προσφορά
   εργασίας"), 2 when it strongly suggests it ("references", "your availability", "arbeidsavtale"), and
   1 when it only hints ("unfortunately", "leider", "interview"). Each cue counts once however often it
   appears; a cue in the subject counts half as much again, as subjects name the news ("Absage", "Einladung
   zum Vorstellungsgespräch").
2. Negation. Cues for the hopeful kinds (interview, offer, information request) do not count when a
   negation or a might-have-been comes before them in the same clause: "we will not be inviting you to an
   interview", "leider kein Angebot", "δεν θα σας καλέσουμε", "we would have liked to invite you". Such
   sentences usually carry their own rejection cue ("not be inviting you", "kein Angebot").
3. Words that look back do not count as news: a rejection mentions the interview it follows ("after the
   interview we have decided…"), so the bare word "interview" weighs 1 while only an invitation weighs 3.
4. Contrast. In a sentence that turns ("but", "however", "maar", "men", "aber", "jedoch", "αλλά",
   "ωστόσο"), the part after the turn is what the sender means: cues there count half as much again.
   "We enjoyed meeting you, but unfortunately we have decided…" is a rejection; "Unfortunately we cannot
   offer you the senior role, but we would like to invite you to an interview for…" is an interview.
5. Schedule. A video-call link (Teams, Zoom, Meet, Whereby, Webex) counts 2 for an interview; a time or
   weekday counts 1, only when the mail speaks of an interview at all: rejections carry dates too.
6. Requests inside invitations and offers ("please send your availability", "return the signed
   contract") are part of them: information requests count half when an interview or offer cue of weight
   3 is present.
7. Regret and negation. A regret word ("unfortunately", "helaas", "dessverre", "leider", "δυστυχώς")
   followed by a negation in the same sentence counts 2 for a rejection, once: rejections are worded in
   countless ways ("your profile does not quite match", "du kom dessverre ikke med"), but this shape is
   common to all of them and to all five languages. It is a fallback: it does not count when a decisive
   rejection cue is there already, nor for "not yet".
8. Decision. "Other" starts at 1.5 plus its own cues (acknowledgements of receipt, automatic replies), so a
   lone hint such as "unfortunately" is not enough to suggest a status change. The highest score wins;
   equal scores stay "other", then go to rejection, offer, interview and information request, the most
   explicit first.
   Confidence grows with the winner's score (1 - e^(-score/3): 0.63 for one decisive cue, 0.86 for two)
   and shrinks with the runner-up's share of the evidence.

`language` (the detected language of the reply) only narrows the weakest cues, the single words, to that
language and English; phrases count whatever the language, as companies mix languages in their mails.
Pass the reply without its quoted history (ParsedReply.body_text): the user's own quoted application would
otherwise speak for the employer.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from applications.models import Reply
from omoikane.text import fold, fold_with_map

# The kinds are the model's choices, so a suggestion is always a value the user can confirm.
ReplyKind = Reply.Kind


@dataclass(frozen=True)
class Classification:
    kind: ReplyKind
    confidence: float  # 0 to 1
    cues: list[str]  # the phrases behind the suggestion, as they appear in the reply, in reading order


REJ, INT, REQ, OFF, OTH = (
    ReplyKind.REJECTION,
    ReplyKind.INTERVIEW,
    ReplyKind.INFORMATION_REQUEST,
    ReplyKind.OFFER,
    ReplyKind.OTHER,
)
DECISIVE, STRONG, HINT = 3.0, 2.0, 1.0

# (kind, weight, language, alternatives): one cue, counted once whichever alternative matches. Patterns are
# lower case and may keep their accents: they are folded like the text they are matched against. `\w*`
# ends a word stem; a pattern always matches whole words.
# fmt: off
_CUES: tuple[tuple[ReplyKind, float, str, tuple[str, ...]], ...] = (
    # --- rejection ------------------------------------------------------------------------------------
    (REJ, DECISIVE, "en", (
        r"decided to (?:proceed|move forward|continue|go ahead|progress|go) with (?:an?other|other"
        r"|a different|different|an? (?:more|internal)\w*) (?:[\w-]+ )?(?:candidate|applicant|profile)s?",
        r"decided to go (?:with|in) (?:another|a different)",
    )),
    (REJ, DECISIVE, "en", (
        r"(?:decided|chosen|opted|elected) (?:not to|to not) (?:move|proceed|progress|continue|take|pursue"
        r"|invite)\w*",
    )),
    (REJ, DECISIVE, "en", (
        r"(?:not|won't|no longer) (?:to )?(?:be )?(?:able to )?(?:moving|move|proceed\w*|progress\w*|tak\w+"
        r"|going"
        r"|advanc\w*)"
        r" (?:[\w-]+ ){0,3}?(?:forward|further|ahead)(?: with (?:your|you))?",
        r"not (?:be )?(?:progressing|proceeding|advancing|continuing) (?:with )?your"
        r" (?:application|candidacy)",
        r"(?:not|won't) be (?:inviting|taking) you",
    )),
    (REJ, DECISIVE, "en", (
        r"(?:position|role|vacancy|job) has (?:now |already )?been filled",
        r"(?:offer|offered|give|given|filled) the (?:position|role|job|post|vacancy) (?:to|with) (?:an?"
        r"|another"
        r"|someone|the)",
    )),
    (REJ, DECISIVE, "en", (
        r"(?:have|has|were|was) not (?:been )?(?:selected|successful|shortlisted|chosen)",
        r"unsuccessful",
    )),
    (REJ, DECISIVE, "en", (r"(?:regret|sorry) to (?:inform|tell|let) you",)),
    (REJ, DECISIVE, "en", (
        r"(?:unable|not able|cannot|can't|can not) (?:to )?offer you|not (?:be )?offering you",
    )),
    (REJ, STRONG, "en", (
        r"(?:other|another) (?:candidates?|applicants?) (?:whose|who|with) (?:[\w-]+ ){0,3}?(?:experience"
        r"|skills"
        r"|profiles?|backgrounds?)",
        r"(?:more|better) closely (?:match|matches|aligned)",
        r"(?:not|isn't) (?:quite )?(?:a|the right) (?:fit|match)",
    )),
    (REJ, STRONG, "en", (
        r"(?:keep|retain) your (?:cv|resume|résumé|details|application|profile) on (?:file|record)",
        r"(?:best of luck|every success|wish you (?:all )?the best|good luck) (?:[\w-]+ ){0,3}?(?:search"
        r"|future"
        r"|career|endeavou?rs)",
    )),
    (REJ, STRONG, "en", (
        r"(?:another|a different|an? (?:more|better) suitable|a stronger|an internal) (?:candidate|applicant"
        r"|person|profile)|someone else",
    )),
    (REJ, HINT, "en", (
        r"unfortunately|regrettably|we regret|i'm afraid|i am afraid",
        r"not (?:the )?better news",
    )),
    (REJ, HINT, "en", (r"future (?:opportunities|openings|vacancies|positions)",)),
    (REJ, DECISIVE, "nl", (
        r"(?:besloten|gekozen) (?:om )?(?:je|jou|u|jouw|uw) (?:sollicitatie )?niet",
        r"(?:je|jouw|uw) sollicitatie (?:[\w-]+ )?niet",
    )),
    (REJ, DECISIVE, "nl", (
        r"(?:gekozen|besloten) (?:[\w-]+ ){0,3}?(?:voor|met) (?:een )?andere? (?:kandida\w*|sollicitant\w*)",
    )),
    (REJ, DECISIVE, "nl", (
        r"niet (?:met (?:je|jou|u) )?(?:verder )?(?:mee )?te (?:nemen|gaan)(?: in (?:de|het) \w*)?",
        r"niet (?:verder|door) (?:in|naar) de (?:[\w-]+ )?(?:procedure|ronde|selectie\w*)",
    )),
    (REJ, DECISIVE, "nl", (r"afwij\w+|afgewezen",)),
    (REJ, DECISIVE, "nl", (
        r"(?:iemand anders|een andere kandidaat|andere kandidaten) (?:[\w-]+ ){0,3}?(?:aangenomen|gekozen"
        r"|geselecteerd|aangesteld)",
        r"niet (?:[\w-]+ ){0,2}?(?:geselecteerd|uitgenodigd|aangenomen|door bent|doorgaat|verder gaat)",
    )),
    (REJ, DECISIVE, "nl", (
        r"(?:nodigen|nodig) (?:je|jou|u) (?:dus |helaas )?niet uit",
        r"niet uit (?:te )?nodigen",
    )),
    (REJ, DECISIVE, "nl", (
        r"vacature is (?:inmiddels |al )?(?:vervuld|ingevuld|gesloten)",
        r"(?:geen|niet) (?:een )?aanbod (?:[\w-]+ )?(?:doen|maken)",
    )),
    (REJ, STRONG, "nl", (
        r"andere kandida\w+",
        r"valt (?:helaas )?af",
        r"beter (?:aansluit|past|passen|aansluiten)\w*",
    )),
    (REJ, STRONG, "nl", (
        r"(?:veel )?succes (?:[\w-]+ ){0,2}?(?:zoektocht|verdere loopbaan|toekomst|carrière)",
    )),
    (REJ, HINT, "nl", (r"helaas|spijt|jammer",)),
    (REJ, HINT, "nl", (r"(?:we|wij) hebben besloten|hebben (?:we|wij) besloten",)),
    (REJ, DECISIVE, "nb", (
        r"(?:valgt|besluttet|bestemt oss for) å gå videre med (?:en )?(?:andre?|annen)",
        r"(?:bestemt oss for|valgt|gått for|landet på) (?:en )?(?:annen )?(?:kandidat|søker)\w*",
        r"(?:gå|gått) videre med (?:en )?(?:andre?|annen) (?:[\w-]+ )?(?:kandidat\w*|søker\w*)",
    )),
    (REJ, DECISIVE, "nb", (
        r"(?:ikke|ikkje) (?:blitt )?(?:valgt|innkalt|tatt med|gå videre|går videre|kommet videre|nådd opp)",
        r"(?:ikke|ikkje) (?:[\w-]+ ){0,2}?(?:kom|kommer|komme) (?:med|videre)",
        r"(?:ansatt|tilsatt|ansett|tilsett) (?:en |ein )?(?:annen |anna )?(?:kandidat|søker|person)\w*",
    )),
    (REJ, DECISIVE, "nb", (r"(?:stillingen|jobben) er (?:nå |allerede )?(?:besatt|tilsatt)",)),
    (REJ, DECISIVE, "nb", (r"kan (?:dessverre )?ikke tilby deg|avslag\w*",)),
    (REJ, STRONG, "nb", (
        r"andre kandidater|en annen kandidat|ikke (?:lenger )?aktuell|(?:ikke|ikkje) (?:[\w-]+ ){0,5}?videre",
        r"noen andre|en annen søker",
    )),
    (REJ, STRONG, "nb", (r"lykke til (?:videre|med (?:[\w-]+ ){0,2}?(?:jobbsøking\w*|søket|fremtiden))",)),
    (REJ, HINT, "nb", (r"dessverre|beklager|må vi meddele",)),
    (REJ, DECISIVE, "de", (r"absage\w*|abzusagen|absagen",)),
    (REJ, DECISIVE, "de", (
        r"gegen (?:[\w-]+ ){0,5}?entschieden|(?:hat es|es hat) (?:[\w-]+ ){0,2}?nicht geklappt",
        r"(?:mit|durch) (?:einer |einem )?(?:internen?|anderen?) (?:kandidat\w*|bewerber\w*) "
        r"(?:zu )?besetz\w*",
        r"(?:jemand(?:en)? anderen?|eine andere person|einen anderen bewerber|eine andere bewerberin)"
        r" (?:[\w-]+ ){0,3}?(?:eingestellt|entschieden|ausgewählt|genommen)",
    )),
    (REJ, DECISIVE, "de", (
        r"nicht (?:weiter |mehr )?(?:berücksichtigen|berücksichtigt|verfolgen|weiterverfolgen|in betracht)",
        r"nicht in die (?:engere|nächste) (?:auswahl|wahl|runde)",
    )),
    (REJ, DECISIVE, "de", (
        r"(?:für|zugunsten) (?:einen |eine )?(?:andere[nr]?) (?:[\w-]+ )?(?:kandidat\w*|bewerber\w*)",
        r"(?:andere[nr]?) (?:[\w-]+ )?(?:kandidat\w*|bewerber\w*) (?:[\w-]+ ){0,3}?(?:entschieden"
        r"|den vorzug)",
    )),
    (REJ, DECISIVE, "de", (
        r"(?:stelle|position|vakanz) (?:[\w-]+ ){0,2}?(?:bereits |inzwischen |anderweitig )+"
        r"(?:besetzt|vergeben)",
    )),
    (REJ, DECISIVE, "de", (
        r"(?:kein|keine|keinen) (?:[\w-]+ )?(?:angebot|zusage|stelle) (?:[\w-]+ ){0,2}?(?:machen|unterbreiten"
        r"|geben|anbieten)",
        r"(?:nicht|keine?n?) (?:[\w-]+ ){0,3}?(?:einladen|einzuladen)",
    )),
    (REJ, STRONG, "de", (
        r"bedauern,? (?:[\w-]+ ){0,3}?mitteil\w*",
        r"(?:keine|nicht die) positiv\w* (?:nachricht|rückmeldung)",
    )),
    (REJ, STRONG, "de", (
        r"für ihren (?:weiteren )?(?:beruflichen )?(?:lebensweg|werdegang)",
        r"(?:viel )?erfolg (?:bei|für) (?:ihrer|ihre|der) (?:[\w-]+ )?(?:suche|zukunft|stellensuche)",
    )),
    (REJ, HINT, "de", (r"leider|bedauerlicherweise|bedauern",)),
    (REJ, DECISIVE, "el", (
        r"δεν (?:θα )?(?:μπορούμε να )?(?:προχωρήσουμε|προχωράμε|προχωρήσει|συνεχίσουμε)",
        r"(?:αποφασίσαμε|επιλέξαμε) να (?:προχωρήσουμε|συνεχίσουμε) με (?:[\w-]+ )?(?:άλλ\w+|διαφορετικ\w+)",
    )),
    (REJ, DECISIVE, "el", (
        r"(?:η θέση|η θέσις) (?:[\w-]+ ){0,2}?(?:καλύφθηκε|έχει καλυφθεί|έχει ήδη καλυφθεί)",
        r"δεν (?:[\w-]+ ){0,2}?(?:επιλεγεί|επιλεχθεί|επιλέχθηκε|επιλεχθήκατε)",
    )),
    (REJ, DECISIVE, "el", (r"(?:να )?μην (?:[\w-]+ )?(?:προχωρήσουμε|συνεχίσουμε|προχωρήσει)",)),
    (REJ, DECISIVE, "el", (r"λυπούμαστε (?:[\w-]+ ){0,2}?(?:ενημερώνουμε|ενημερώσουμε)|απορρ\w+",)),
    (REJ, DECISIVE, "el", (r"δεν (?:[\w-]+ ){0,2}?(?:να σας )?(?:προσφέρουμε|καλέσουμε|προσκαλέσουμε)",)),
    (REJ, STRONG, "el", (
        r"άλλους υποψηφίους|άλλο υποψήφιο|άλλη υποψήφια",
        r"(?:καλύτερα|περισσότερο) (?:ταιριάζ\w+|ανταποκρίν\w+)",
    )),
    (REJ, STRONG, "el", (
        r"(?:καλή|κάθε) επιτυχία (?:[\w-]+ ){0,3}?(?:αναζήτηση|μέλλον|καριέρα|σταδιοδρομία)",
    )),
    (REJ, STRONG, "el", (r"(?:έναν |μια |μία )?άλλ\w+ υποψήφι\w+",)),
    (REJ, HINT, "el", (r"δυστυχώς|λυπούμαστε",)),
    # --- interview ------------------------------------------------------------------------------------
    (INT, DECISIVE, "en", (
        r"invit\w* you (?:[\w-]+ ){0,2}?(?:to|for) (?:an?|the|our|your)? ?(?:[\w-]+ ){0,2}?(?:interviews?"
        r"|conversation|meeting|call|chat|assessment|meet)",
        r"(?:interview|meeting) invitation|invitation (?:to|for) (?:an? |the )?(?:[\w-]+ )?interview",
    )),
    (INT, DECISIVE, "en", (
        r"(?:like|want|love) to (?:schedule|arrange|set up|book|organi[sz]e|have|invite you for)"
        r" (?:an?|the|your)?"
        r" ?(?:[\w-]+ ){0,2}?(?:interview|call|meeting|chat|conversation|screen\w*|talk|coffee)",
        r"(?:you are|you're) invited (?:to|for)|(?:have|see|bring) you in for (?:an? )?(?:[\w-]+ )?"
        r"(?:interview|chat)",
        r"(?:progressed|moved|made it|through|advanced|invited) (?:on )?to the (?:[\w-]+ )?(?:round|stage)",
        r"(?:like|love|want) to meet (?:you|with you)",
        r"(?:could|can|shall) we (?:set up|schedule|arrange|book|have) (?:an?|the)? ?(?:[\w-]+ ){0,3}?(?:call"
        r"|chat|meeting|interview|conversation)",
    )),
    (INT, DECISIVE, "en", (
        r"(?:next|following) (?:step|round|stage) (?:[\w-]+ ){0,3}?(?:an?|the) (?:[\w-]+ ){0,2}?"
        r"(?:interview|call"
        r"|conversation|assessment)",
    )),
    (INT, STRONG, "en", (
        r"(?:like|happy|pleased|glad) to (?:move forward|proceed|progress) with (?:you|your application)",
    )),
    (INT, STRONG, "en", (
        r"(?:times?|slots?|dates?|days?) that (?:works?|suits?) (?:for )?you|what times? (?:works?|suits?)",
        r"which (?:days?|times?|dates?|slots?) (?:would )?(?:works?|suits?)",
        r"(?:are|would) you (?:be )?(?:free|available) (?:for|on|to|next|this)",
        r"(?:does|would|will|can) (?:[\w-]+ ){1,6}?(?:suit you|work for you)",
        r"(?:your|their) availability|(?:are|would) you (?:be )?available|when (?:are|would) you be (?:free"
        r"|available)",
        r"calendly|book a (?:time|slot)|pick a (?:time|slot)|shortlisted for",
    )),
    (INT, HINT, "en", (r"interview\w*",)),
    (INT, DECISIVE, "nl", (
        r"(?:uit te nodigen|uitnodigen|nodigen (?:je|jou|u) (?:[\w-]+ ){0,3}?uit) (?:[\w-]+ ){0,2}?voor "
        r"(?:een |het"
        r" |ons )?(?:[\w-]+ )?(?:\w*gesprek|interview|kennismaking)",
        r"uitnodiging\w* (?:voor )?(?:een |het |ons )?(?:[\w-]+ )?(?:\w*gesprek|interview|kennismaking)",
        r"nodig\w* (?:[\w-]+ ){0,3}?uit (?:[\w-]+ ){0,2}?voor|uitgenodigd (?:voor|om)",
        r"geselecteerd voor (?:de |het |een )?(?:[\w-]+ )?(?:\w*gesprek\w*|ronde|interview)",
        r"(?:\w*gesprek|kennismaking) (?:[\w-]+ ){0,3}?(?:inplannen|plannen|ingepland)",
    )),
    (INT, DECISIVE, "nl", (r"(?:met (?:je|jou|u) )?(?:kennis (?:met (?:je|jou|u) )?maken|kennismaken)",)),
    (INT, STRONG, "nl", (
        r"wanneer (?:ben je|bent u|zou je|zou u|schikt het)",
        r"beschikbaarheid",
        r"beschikbaar bent",
        r"beschikbaar voor",
        r"(?:volgende|tweede) (?:ronde|stap)|(?:heb je|hebt u|heeft u) (?:[\w-]+ ){0,3}?tijd",
        r"(?:komt|schikt|past) (?:het )?(?:[\w-]+ ){0,6}?(?:je|jou|u) (?:uit|goed)",
    )),
    (INT, HINT, "nl", (r"\w*gesprek\w*|interview",)),
    (INT, DECISIVE, "nb", (
        r"(?:kalle|innkalle) (?:deg|dere) (?:inn )?til (?:et |en )?(?:[\w-]+ )?(?:intervju|samtale"
        r"|jobbintervju)",
        r"invitere (?:deg|dere) til (?:et |en )?(?:[\w-]+ )?(?:intervju|samtale|jobbintervju)",
        r"(?:innkalling|invitasjon) til (?:[\w-]+ )?(?:intervju|samtale|jobbintervju)",
    )),
    (INT, DECISIVE, "nb", (
        r"(?:ønsker|vil gjerne|vil) (?:å )?(?:møte|treffe) deg|invitert til (?:et |en )?(?:[\w-]+ )?"
        r"(?:intervju"
        r"|samtale)",
        r"(?:ta en prat|en prat|snakke|prate) med deg|(?:ha|få) deg inn (?:på|til) (?:[\w-]+ )?(?:intervju"
        r"|samtale)",
        r"videre til (?:[\w-]+ )?(?:runde|intervju)",
    )),
    (INT, STRONG, "nb", (
        r"når (?:passer det|er du ledig|er du tilgjengelig)|tilgjengelighet|hvilke tidspunkt|har du mulighet",
        r"passer det",
        r"neste (?:runde|steg|trinn)",
    )),
    (INT, HINT, "nb", (r"\w*intervju\w*",)),
    (INT, DECISIVE, "de", (
        r"(?:zu|für) (?:einem |einer |ein )?(?:[\w-]+ )?(?:\w*gespräch\w*|interview|kennenlernen|termin)"
        r" (?:[\w-]+ ){0,5}?(?:einladen|einzuladen|eingeladen)",
        r"(?:einladen|laden) (?:sie|dich) (?:[\w-]+ ){0,4}?(?:zu|zum|zur|für) (?:einem |einer |ein )?"
        r"(?:[\w-]+ )?"
        r"(?:\w*gespräch\w*|interview|kennenlernen)",
        r"einladung (?:zu|zum|zur|für) (?:einem |einer |ein )?(?:[\w-]+ )?(?:\w*gespräch\w*|interview"
        r"|kennenlernen)",
    )),
    (INT, DECISIVE, "de", (
        r"(?:sie|dich) (?:[\w-]+ ){0,2}?kennen(?:zu)?lernen",
        r"(?:termin|gespräch|interview) (?:[\w-]+ ){0,6}?(?:vereinbaren|ausmachen|abstimmen)",
    )),
    (INT, STRONG, "de", (
        r"(?:ihre|deine) verfügbarkeit",
        r"terminvorschläge?",
        r"wann (?:hätten|haben|wären|hättest|hast) (?:sie|du) zeit",
        r"(?:passt|passen) (?:es )?(?:ihnen|dir)",
        r"nächsten? (?:schritt|runde)",
    )),
    (INT, HINT, "de", (r"vorstellungsgespräch\w*|einladen|interview",)),
    (INT, DECISIVE, "el", (
        r"να σας (?:[\w-]+ )?(?:προσκαλέσουμε|καλέσουμε) (?:σε|για) (?:μια |μία |ένα )?(?:[\w-]+ )?"
        r"(?:συνέντευξη"
        r"|συνάντηση|γνωριμία)",
        r"πρόσκληση (?:σε|για) (?:[\w-]+ )?(?:συνέντευξη|συνάντηση)",
        r"να κανονίσουμε (?:μια |μία |ένα )?(?:[\w-]+ )?(?:συνέντευξη|συνάντηση|ραντεβού)",
        r"περάσατε (?:στη|στην|στο|σε) (?:[\w-]+ )?(?:φάση|στάδιο|γύρο)",
        r"(?:καλούμε|προσκαλούμε|καλείστε|προσκαλείστε) (?:[\w-]+ ){0,2}?(?:σε|για) (?:[\w-]+ )?(?:συνέντευξη"
        r"|συνάντηση)",
    )),
    (INT, DECISIVE, "el", (r"να σας (?:γνωρίσουμε|συναντήσουμε)|να (?:συναντηθούμε|μιλήσουμε)",)),
    (INT, STRONG, "el", (r"σας βολεύει|σας εξυπηρετεί",)),
    (INT, STRONG, "el", (r"(?:τη |την )?διαθεσιμότητά σας|είστε διαθέσιμ\w+|επόμενο (?:στάδιο|βήμα)",)),
    (INT, HINT, "el", (r"συνέντευξ\w*",)),
    # --- offer ----------------------------------------------------------------------------------------
    (OFF, DECISIVE, "en", (
        r"(?:pleased|happy|delighted|thrilled|glad|like) to (?:[\w-]+ ){0,3}?offer you (?:the|a|this|our)? ?"
        r"(?:[\w-]+ ){0,3}?(?:position|role|job|post|contract)",
        r"offer you the (?:position|role|job|post)|extend (?:to you )?(?:an?|the) (?:[\w-]+ )?offer",
        r"(?:job|employment|formal|written|official|conditional|verbal) offer|offer (?:letter|of employment)",
        r"(?:you(?:'ve| have)? got|you've landed) the (?:job|role|position)|(?:want|like"
        r"|decided) to hire you",
    )),
    (OFF, STRONG, "en", (
        r"employment contract|contract (?:for you )?to sign|sign(?:ed)? (?:the )?(?:contract|offer)",
        r"welcome (?:you )?(?:to|aboard|on board)|(?:want|like|love) (?:to have )?you (?:on board|to join)",
        r"(?:send|sending) (?:you )?(?:over )?(?:the|your) contract",
        r"(?:the|your) contract (?:[\w-]+ ){0,2}?(?:over|to you)",
    )),
    (OFF, STRONG, "en", (
        r"(?:a|the|your) start(?:ing)? date (?:of|is|will be|on)|(?:salary|compensation|remuneration)"
        r" (?:package|of)|annual salary",
    )),
    (OFF, HINT, "en", (r"(?:the|this|our) offer|contract|congratulations",)),
    (OFF, DECISIVE, "nl", (
        r"(?:aanbod|voorstel) (?:[\w-]+ ){0,3}?(?:doen|te doen|maken|sturen)",
        r"aanbod voor de (?:functie|positie|baan)",
        r"contractvoorstel|arbeidsvoorwaardenvoorstel",
        r"(?:je|jou|u) (?:graag )?(?:willen |zouden )?(?:aan te nemen|in dienst te nemen|aannemen)",
        r"(?:de|deze) (?:functie|baan|positie) (?:[\w-]+ )?aan(?:te)?bieden",
        r"(?:je bent|u bent|jij bent) aangenomen|bieden (?:wij |we )?(?:je|jou|u) (?:[\w-]+ ){0,4}?(?:functie"
        r"|baan"
        r"|positie|rol|contract|aanstelling)"
        r" (?:[\w-]+ ){0,4}?aan",
    )),
    (OFF, STRONG, "nl", (
        r"arbeidsovereenkomst",
        r"welkom (?:in|bij) (?:het|ons) team",
        r"startdatum",
        r"bruto (?:maand)?salaris",
    )),
    (OFF, HINT, "nl", (r"aanbod|contract|gefeliciteerd|arbeidsvoorwaarden",)),
    (OFF, DECISIVE, "nb", (
        r"tilbud om (?:[\w-]+ )?(?:stilling|ansettelse|jobb|fast stilling|engasjement)|jobbtilbud",
        r"(?:tilby\w*|gi) deg (?:[\w-]+ ){0,2}?(?:stillingen|jobben|stilling|ansettelse)",
        r"(?:ha|få) deg med (?:i|på) (?:teamet|laget)|fått jobben|ansette deg",
    )),
    (OFF, STRONG, "nb", (
        r"arbeidsavtale|ansettelsesavtale|oppstartsdato|tiltredelse\w*",
        r"velkommen (?:til|på|om bord) (?:[\w-]+ )?(?:teamet|laget|oss)",
    )),
    (OFF, HINT, "nb", (r"tilbud\w*|lønn\w*|kontrakt\w*|gratulerer",)),
    (OFF, DECISIVE, "de", (
        r"(?:vertrags|arbeitsvertrags|stellen|job)angebot\w*",
        r"(?:ihnen|dir) (?:[\w-]+ ){0,3}?(?:stelle|position) (?:[\w-]+ ){0,2}?anbieten",
        r"zusage (?:für|zu) (?:die|der|ihre) (?:[\w-]+ )?(?:stelle|position|bewerbung)",
        r"(?:sie|dich) (?:[\w-]+ )?einstellen|ihre einstellung|deine einstellung",
    )),
    (OFF, STRONG, "de", (
        r"arbeitsvertrag\w*|willkommen (?:im|in unserem|an bord)|eintrittstermin|einstiegsgehalt",
        r"(?:jahres)?gehalt von|angebot (?:[\w-]+ ){0,3}?unterbreiten",
    )),
    (OFF, HINT, "de", (r"angebot\w*|zusage|vertrag|glückwunsch",)),
    (OFF, DECISIVE, "el", (
        r"προσφορά (?:εργασίας|απασχόλησης)",
        r"(?:να )?σας (?:προσφέρουμε|προτείνουμε) (?:τη |την )?(?:[\w-]+ )?θέση",
        r"πήρατε (?:τη |την )?(?:θέση|δουλειά)|επιλεγήκατε για (?:τη |την )?θέση|(?:η )?πρόσληψή σας",
    )),
    (OFF, STRONG, "el", (
        r"σύμβαση (?:εργασίας|απασχόλησης)|καλωσορίζουμε στην ομάδα|καλώς ήρθατε στην ομάδα",
        r"ημερομηνία έναρξης|μικτ\w+ (?:μηνιαί\w+|ετήσι\w+) (?:μισθ|αποδοχ)\w*",
    )),
    (OFF, HINT, "el", (r"προσφορ\w+|μισθ\w+|σύμβασ\w+|συγχαρητήρια",)),
    # --- information request --------------------------------------------------------------------------
    (REQ, DECISIVE, "en", (
        r"(?:could|can|would) you (?:please |kindly )?(?:send|provide|share|forward|submit|complete|fill"
        r"|upload|confirm|tell us)",
        r"please (?:[\w-]+ )?(?:send|provide|share|forward|submit|complete|fill in|upload|let us know)",
    )),
    (REQ, DECISIVE, "en", (
        r"(?:we|i) (?:would )?need (?:[\w-]+ ){0,2}?(?:more|additional|further|some|a few) (?:[\w-]+ )?"
        r"(?:information|details|documents|questions)",
    )),
    (REQ, STRONG, "en", (
        r"references?|referees?|(?:salary|compensation) expectations?|notice period|work permit",
        r"right to work|copy of your (?:[\w-]+ )?\w+",
    )),
    (REQ, STRONG, "en", (
        r"what (?:is|are|would be) your",
        r"when (?:can|could|would) you (?:start|begin|join)",
        r"earliest start date",
        r"(?:like|need|want) to know your|send (?:[\w-]+ ){0,3}?(?:back )?(?:a )?(?:scan|copy) of",
        r"(?:do|would) you (?:need|require) (?:[\w-]+ )?(?:visa|sponsorship|relocation)",
    )),
    (REQ, HINT, "en", (r"portfolio|transcripts?|certificates?|diplomas?|questions? (?:for|about) you",)),
    (REQ, DECISIVE, "nl", (
        r"(?:kunt u|kun je|zou u|zou je|wil je|wilt u|kunnen we) (?:[\w-]+ ){0,8}?(?:sturen|opsturen"
        r"|toesturen"
        r"|aanleveren|doorsturen|mailen|laten weten|invullen|uploaden)",
        r"graag (?:ontvangen|ontvang) (?:we|wij|ik)|(?:mag ik|mogen we|mogen wij|kunnen we) "
        r"(?:[\w-]+ ){0,8}?ontvangen",
        r"(?:verzoeken|vragen) (?:wij |we )?(?:je|jou|u) (?:[\w-]+ ){0,8}?(?:te )?(?:sturen|toesturen"
        r"|aanleveren"
        r"|opsturen|insturen)",
        r"(?:stuur|mail) (?:je|jij|u|ons) (?:[\w-]+ ){0,5}?(?:op|door|toe)",
        r"aanvullende (?:informatie|gegevens|documenten|stukken)",
    )),
    (REQ, STRONG, "nl", (
        r"referenties?|salarisindicatie|salariswens\w*|salarisverwachting\w*|opzegtermijn|werkvergunning",
        r"kopie van (?:je|jouw|uw) \w+",
    )),
    (REQ, STRONG, "nl", (
        r"wat (?:is|zijn|zou) (?:je|jouw|uw)",
        r"wanneer (?:kun je|kunt u|zou je|zou u) (?:[\w-]+ )?(?:beginnen|starten)",
    )),
    (REQ, HINT, "nl", (r"diploma\w*|portfolio|getuigschrift\w*|cijferlijst\w*",)),
    (REQ, DECISIVE, "nb", (
        r"(?:kan|kunne|vil) du (?:[\w-]+ ){0,5}?(?:sende|ettersende|oversende|fylle ut|laste opp|gi oss)",
        r"trenger (?:vi )?(?:[\w-]+ ){0,3}?fra deg",
        r"(?:vennligst|venligst|gjerne) (?:[\w-]+ ){0,2}?(?:send|ettersend|fyll ut|last opp)|send oss",
        r"ber (?:deg|dere) (?:om å )?(?:[\w-]+ ){0,2}?(?:sende|ettersende|fylle|laste|oppgi)",
        r"(?:vi )?trenger (?:[\w-]+ ){0,2}?(?:mer|ytterligere|noen|flere) (?:[\w-]+ )?(?:informasjon"
        r"|opplysninger"
        r"|dokumentasjon|dokumenter)",
    )),
    (REQ, STRONG, "nb", (
        r"referanse\w*|lønnsforventning\w*|lønnskrav|oppsigelsestid|arbeidstillatelse|kopi av "
        r"(?:[\w-]+ )?\w+",
    )),
    (REQ, STRONG, "nb", (
        r"hva er (?:dine?|ditt)|når kan du (?:tiltre|starte|begynne)|ettersend\w*",
    )),
    (REQ, HINT, "nb", (r"vitnemål\w*|attest\w*|karakterutskrift\w*|portefølje",)),
    (REQ, DECISIVE, "de", (
        r"bitte (?:[\w-]+ ){0,6}?(?:senden|schicken|übermitteln|nachreichen|zusenden|ausfüllen|hochladen"
        r"|mitteilen)",
        r"(?:senden|schicken|übermitteln|reichen) sie(?: uns)?(?: bitte)?",
        r"(?:kannst|könntest) du (?:uns )?(?:[\w-]+ ){0,8}?(?:senden|schicken|zukommen lassen|nachreichen"
        r"|mitteilen)",
        r"bitten (?:wir )?(?:sie|dich) (?:[\w-]+ ){0,3}?(?:um|zu)|bitten um (?:[\w-]+ )?(?:angabe|zusendung"
        r"|übermittlung)",
        r"(?:könnten|können|würden) sie (?:uns )?(?:[\w-]+ ){0,8}?(?:senden|schicken|zukommen lassen"
        r"|nachreichen"
        r"|zusenden|mitteilen|übermitteln)",
        r"(?:weitere|fehlende|zusätzliche|ergänzende) (?:unterlagen|informationen|dokumente|angaben)",
    )),
    (REQ, STRONG, "de", (
        r"referenzen|gehaltsvorstellung\w*|gehaltswunsch|kündigungsfrist|arbeitserlaubnis",
        r"kopie (?:ihres|ihrer|deines|deiner) \w+",
    )),
    (REQ, DECISIVE, "de", (
        r"(?:benötigen|brauchen) (?:wir )?(?:noch )?(?:[\w-]+ ){0,3}?(?:unterlagen|zeugnisse|nachweis\w*"
        r"|informationen"
        r"|angaben|dokumente|kopie)",
    )),
    (REQ, STRONG, "de", (
        r"wie hoch (?:ist|sind|wäre|wären) (?:ihre|deine)|(?:ab )?wann (?:könntest|können|könnten|kannst)"
        r" (?:du|sie) (?:[\w-]+ )?(?:anfangen|beginnen|starten)",
    )),
    (REQ, HINT, "de", (r"zeugnis\w*|portfolio|nachweis\w*",)),
    (REQ, DECISIVE, "el", (
        r"παρακαλούμε (?:[\w-]+ ){0,3}?(?:στείλτε|αποστείλετε|στείλετε|συμπληρώστε|προσκομίσετε|ανεβάστε"
        r"|να μας)",
        r"θα μπορούσατε να (?:μας )?(?:στείλετε|αποστείλετε|προωθήσετε|συμπληρώσετε)",
        r"χρειαζόμαστε (?:[\w-]+ ){0,2}?(?:επιπλέον|περισσότερα|ορισμένα|κάποια|τα) (?:[\w-]+ )?(?:στοιχεία"
        r"|πληροφορίες|έγγραφα|δικαιολογητικά)",
    )),
    (REQ, STRONG, "el", (
        r"συστατικ\w+|μισθολογικές (?:σας )?(?:απαιτήσεις|προσδοκίες)|(?:χρόνο|περίοδο) προειδοποίησης",
        r"άδεια εργασίας|αντίγραφο (?:[\w-]+ )?\w+",
    )),
    (REQ, STRONG, "el", (
        r"ποι(?:α|ες|ος|ο|οι) (?:είναι )?(?:η |οι |ο |το )?(?:[\w-]+ )?(?:σας|απαιτήσεις)",
        r"οικονομικές (?:σας )?απαιτήσεις",
        r"πότε (?:μπορείτε|θα μπορούσατε) να (?:ξεκινήσετε|αναλάβετε)",
        r"(?:μπορείτε|μπορείς) να (?:μας )?(?:το |τα |την |τις |τη )?(?:στείλετε|στείλεις|αποστείλετε"
        r"|προωθήσετε|ανεβάσετε)",
        r"χρειάζομαι|χρειαζόμαστε",
    )),
    (REQ, HINT, "el", (r"πτυχί\w+|πιστοποιητικ\w+|βεβαίωσ\w+",)),
    # --- other: acknowledgements and automatic replies ------------------------------------------------
    (OTH, STRONG, "en", (
        r"(?:we have|we've|have been) received (?:your|the) application|received your application",
        r"(?:your application|it) has been received",
        r"(?:currently )?reviewing (?:all )?(?:the )?applications",
        r"application is (?:currently )?(?:under|in) review",
        r"automated (?:message|reply|response)|out of (?:the )?office|do not reply to this",
    )),
    (OTH, HINT, "en", (
        r"will (?:be in touch|get back to you|contact you)|thank you for (?:your )?(?:applying|application"
        r"|interest)",
    )),
    (OTH, STRONG, "nl", (
        r"in goede orde ontvangen|(?:hebben|is|zijn) (?:[\w-]+ ){0,3}?ontvangen",
        r"ontvangstbevestiging",
        r"automatisch (?:bericht|antwoord)",
    )),
    (OTH, STRONG, "nl", (r"(?:ben|is) afwezig",)),
    (OTH, HINT, "nl", (
        r"(?:nemen|zullen) (?:[\w-]+ ){0,4}?contact (?:met (?:je|jou|u) )?op",
        r"bedankt voor (?:je|jouw|uw) sollicitatie",
    )),
    (OTH, STRONG, "nb", (
        r"(?:har )?mottatt (?:din |søknaden|søknad)\w*|(?:gå gjennom|vurdere) (?:alle )?søknade\w*",
        r"automatisk (?:svar|melding)|fravær\w*",
    )),
    (OTH, HINT, "nb", (r"(?:vi )?tar kontakt|takk for (?:din )?søknad",)),
    (OTH, STRONG, "de", (
        r"eingangsbestätigung|(?:ist|sind) (?:bei uns )?(?:gut |vollständig )?eingegangen",
        r"(?:haben|erhalten) (?:ihre|deine) bewerbung (?:[\w-]+ ){0,2}?erhalten",
        r"automatische (?:antwort|nachricht)|abwesenheitsnotiz|nicht im büro",
    )),
    (OTH, HINT, "de", (r"(?:melden uns|uns melden)|vielen dank für ihre bewerbung",)),
    (OTH, STRONG, "el", (
        r"(?:λάβαμε|παραλάβαμε) (?:την |τη )?(?:αίτησή|αίτηση)",
        r"αυτόματ\w+ (?:απάντηση|μήνυμα)|εκτός γραφείου",
    )),
    (OTH, HINT, "el", (
        r"θα (?:επικοινωνήσουμε|σας ενημερώσουμε)",
        r"ευχαριστούμε για (?:την )?(?:αίτησή|αίτηση|ενδιαφέρον)",
    )),
)
# fmt: on


def _fold_pattern(pattern: str) -> str:
    """Fold the letters of a pattern like text.fold does, leaving the regex syntax (all ASCII) alone.

    A space in a pattern stands for any run of spaces: mails are full of double spaces after full stops.
    """
    return "".join(fold(ch) if not ch.isascii() else ch for ch in pattern).replace(" ", " +")


_VIDEO_LINK_RE = re.compile(
    r"(?:zoom\.us|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|whereby\.com|webex\.com)/\S*"
    r"|\b(?:microsoft teams|google meet|zoom(?:-| )?(?:link|call|meeting))\b"
)
# A time ("10:00", "14.30 uhr", "kl. 9", "10am") or a weekday, in the five languages (folded).
_WHEN_RE = re.compile(
    r"(?<![\d.:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d.:])|\b\d{1,2}\s?(?:am|pm|uhr)\b|\bkl\.?\s?\d{1,2}\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|tomorrow"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|morgen"
    r"|mandag|tirsdag|onsdag|torsdag|fredag|i morgen"
    r"|montag|dienstag|mittwoch|donnerstag|freitag"
    r"|δευτερα|τριτη|τεταρτη|πεμπτη|παρασκευη|αυριο)\b"
)
# A negation or a might-have-been, looked for between the start of a cue's clause and the cue. These three
# are written with accents for legibility and folded like the text.
_NEGATION_RE = re.compile(
    _fold_pattern(
        r"\b(?:not|no|never|unable|cannot|can't|won't|wouldn't|don't|isn't|aren't|couldn't|would have liked"
        r"|niet|geen|nooit|hadden (?:\w+ )?graag"
        r"|ikke|ingen|aldri|ville gjerne ha|skulle gjerne ha"
        r"|nicht|kein\w*|nie|hätten (?:\w+ )?gerne|hatten (?:\w+ )?gerne|hätten (?:\w+ )?gern"
        r"|δεν|μην|ούτε)\b"
    )
)
_CLAUSE_BREAK_RE = re.compile(_fold_pattern(r"[.,;:!?\n]|\b(?:but|maar|men|aber|αλλά)\b"))
_CONTRAST_RE = re.compile(
    _fold_pattern(
        r"\b(?:but|however|although|though|maar|echter|hoewel|men|imidlertid|likevel|selv om"
        r"|aber|jedoch|allerdings|obwohl|αλλά|ωστόσο|όμως|παρόλο|αν και)\b"
    )
)
_SENTENCE_END_RE = re.compile(r"[.!?\n]")
_REGRET_RE = re.compile(
    _fold_pattern(
        r"\b(?:unfortunately|regrettably|sadly|i'm afraid|we regret|helaas|tot onze spijt|jammer genoeg"
        r"|dessverre|beklageligvis|leider|bedauerlicherweise|δυστυχώς|λυπούμαστε)\b"
    )
)
# "Unfortunately we have not decided yet" is a delay, not a no.
_NOT_YET_RE = re.compile(_fold_pattern(r"\b(?:yet|nog|noch|ennå|enda|ακόμα|ακόμη)\b"))
_WRAPPED_LINE_RE = re.compile(r"(?<!\n)\n(?!\n)")
_SPACES = str.maketrans(dict.fromkeys("\t\r\f\v\u00a0\u2007\u2009\u202f", " "))
_NEGATION_WINDOW = 60
_MAX_SENTENCE = 300
_MAX_HITS = 20
_SUBJECT_FACTOR = 1.5
_CONTRAST_FACTOR = 1.5
_OTHER_PRIOR = 1.5
_MAX_CUES = 8
# Replies are short; a long one says what it is about near the top, and its tail is not worth the time.
_MAX_CHARS = 20_000
# On equal scores: "other" (no status change) before any kind, then the most explicit kinds first.
_TIE_ORDER = (OTH, REJ, OFF, INT, REQ)


@dataclass(frozen=True)
class _Cue:
    kind: ReplyKind
    weight: float
    language: str
    pattern: re.Pattern[str]


_COMPILED = tuple(
    _Cue(kind, weight, language, re.compile(rf"(?<!\w)(?:{_fold_pattern('|'.join(alternatives))})(?!\w)"))
    for kind, weight, language, alternatives in _CUES
)


@dataclass
class _Match:
    kind: ReplyKind
    weight: float
    start: int  # in the original text
    end: int


def classify(subject: str, body: str, *, language: str = "") -> Classification:
    """A suggestion of what the reply is, how sure we are, and the phrases behind it (see module doc)."""
    # One text so positions are simple; the subject's matches are told apart by their position.
    text = (subject.strip() + "\n\n" + body[:_MAX_CHARS].replace("\r\n", "\n")).replace("\u2019", "'")
    # Plain-text mails wrap their lines at 72 characters or so, in the middle of phrases: a single line
    # break is a space, a blank line ends a paragraph. Tabs and no-break spaces are spaces. Each of these
    # replaces one character by one, so positions in `text` stay valid.
    text = _WRAPPED_LINE_RE.sub(" ", text).translate(_SPACES)
    subject_end = len(subject.strip())
    folded, origin = fold_with_map(text)
    matches = _matches(folded, origin, subject_end, language)
    scores = dict.fromkeys(ReplyKind, 0.0)
    for match in matches:
        scores[match.kind] += match.weight
    _add_schedule(folded, origin, matches, scores)
    _add_regret(folded, origin, matches, scores)
    if max(scores[INT], scores[OFF]) >= DECISIVE:
        scores[REQ] /= 2
    return _decide(text, matches, scores)


def _matches(folded: str, origin: list[int], subject_end: int, language: str) -> list[_Match]:
    found: list[_Match] = []
    for cue in _COMPILED:
        if cue.weight <= HINT and language and cue.language not in (language, "en", ""):
            continue
        best: _Match | None = None
        # A cue counts once; its first few occurrences are enough to find where it weighs most.
        for hit in itertools.islice(cue.pattern.finditer(folded), _MAX_HITS):
            if cue.kind in (INT, OFF, REQ) and _negated(folded, hit.start()):
                continue
            weight = cue.weight
            if hit.start() < subject_end:
                weight *= _SUBJECT_FACTOR
            if _after_contrast(folded, hit.start()):
                weight *= _CONTRAST_FACTOR
            if best is None or weight > best.weight:
                best = _Match(cue.kind, weight, origin[hit.start()], origin[hit.end() - 1] + 1)
        # The same words can be a cue in several languages ("interview"): they count once.
        if best is not None and not any(
            (seen.kind, seen.start, seen.end) == (best.kind, best.start, best.end) for seen in found
        ):
            found.append(best)
    return found


def _clause_start(folded: str, position: int, pattern: re.Pattern[str]) -> int:
    window_start = max(0, position - _NEGATION_WINDOW)
    breaks = [match.end() for match in pattern.finditer(folded, window_start, position)]
    return breaks[-1] if breaks else window_start


def _negated(folded: str, position: int) -> bool:
    start = _clause_start(folded, position, _CLAUSE_BREAK_RE)
    return _NEGATION_RE.search(folded, start, position) is not None


def _after_contrast(folded: str, position: int) -> bool:
    sentence_start = 0
    for match in _SENTENCE_END_RE.finditer(folded, max(0, position - 400), position):
        sentence_start = match.end()
    return _CONTRAST_RE.search(folded, sentence_start, position) is not None


def _add_schedule(
    folded: str, origin: list[int], matches: list[_Match], scores: dict[ReplyKind, float]
) -> None:
    """Video links and times: signs of an interview being arranged (see module doc, point 5)."""
    if link := _VIDEO_LINK_RE.search(folded):
        matches.append(_Match(INT, STRONG, origin[link.start()], origin[link.end() - 1] + 1))
        scores[INT] += STRONG
    invited = any(match.kind is INT for match in matches)
    if invited and (when := _WHEN_RE.search(folded)):
        matches.append(_Match(INT, HINT, origin[when.start()], origin[when.end() - 1] + 1))
        scores[INT] += HINT


def _add_regret(
    folded: str, origin: list[int], matches: list[_Match], scores: dict[ReplyKind, float]
) -> None:
    """A regret word and a negation in one sentence: how a rejection says no in its own words.

    "Unfortunately your profile does not match", "leider passt dein Profil nicht", "δυστυχώς … δεν
    ταιριάζει": no fixed phrase, but the shape is the same in every language (see module doc, point 7).
    """
    if any(match.kind is REJ and match.weight >= DECISIVE for match in matches):
        return  # a fallback for wordings no cue knows; a known one has said it already
    for regret in _REGRET_RE.finditer(folded):
        # A sentence, or what passes for one in a mail without full stops.
        limit = min(len(folded), regret.end() + _MAX_SENTENCE)
        end_match = _SENTENCE_END_RE.search(folded, regret.end(), limit)
        end = end_match.start() if end_match else limit
        negation = _NEGATION_RE.search(folded, regret.end(), end)
        if negation and not _NOT_YET_RE.search(folded, regret.start(), end):
            matches.append(_Match(REJ, STRONG, origin[regret.start()], origin[negation.end() - 1] + 1))
            scores[REJ] += STRONG
            return


def _decide(text: str, matches: list[_Match], scores: dict[ReplyKind, float]) -> Classification:
    evidence = dict(scores)
    scores[OTH] += _OTHER_PRIOR
    kind = max(_TIE_ORDER, key=lambda candidate: (scores[candidate], -_TIE_ORDER.index(candidate)))
    top = scores[kind]
    runner_up = max(evidence[other] for other in ReplyKind if other is not kind)
    confidence = (1 - math.exp(-top / 3)) * top / (top + runner_up)
    return Classification(kind=kind, confidence=round(confidence, 2), cues=_phrases(text, matches, kind))


def _phrases(text: str, matches: list[_Match], kind: ReplyKind) -> list[str]:
    """The winning kind's matches as the reply words them; overlapping matches ("We regret" and "regret to
    inform you") read as one phrase."""
    spans: list[tuple[int, int]] = []
    for match in sorted((match for match in matches if match.kind is kind), key=lambda match: match.start):
        if spans and match.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], match.end))
        else:
            spans.append((match.start, match.end))
    phrases: list[str] = []
    for start, end in spans:
        phrase = " ".join(text[start:end].split())
        if phrase.casefold() not in {seen.casefold() for seen in phrases}:
            phrases.append(phrase)
    return phrases[:_MAX_CUES]
