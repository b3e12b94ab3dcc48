"""A fourth set of employer replies, written after the classifier was frozen and run once, unchanged, to
measure it (test_reply_confidence.py): six per language, the kinds mixed as they arrive in a real inbox,
several worded unlike any cue (a role put on hold, a rejection that never says "unfortunately", an offer
that only speaks of a start date). (language, expected kind, subject, body)."""

from __future__ import annotations

UNSEEN_4: list[tuple[str, str, str, str]] = [
    (
        "en",
        "rejection",
        "Update on your application",
        "Hi Sam,\n\nThanks for taking the time to speak with us last week. The team has reviewed all "
        "candidates and we won't be moving you forward to the next stage.\n\nAll the best,\nHannah",
    ),
    (
        "en",
        "interview",
        "Next steps - Operations Planner",
        "Hello Sam,\n\nWe enjoyed reading your application and would love to meet you. Could you come to our "
        "Leeds office on Thursday 14 March at 10:00 for a "
        "conversation with the logistics manager?\n\nBest,\nRaj",
    ),
    (
        "en",
        "offer",
        "Welcome aboard!",
        "Dear Sam,\n\nI'm delighted to confirm that we would like you "
        "to join Harrow Engineering as Management "
        "Accountant, starting 1 April on a salary of £48,000. Your contract is attached; please sign and "
        "return it by Friday.\n\nWarm regards,\nClaire",
    ),
    (
        "en",
        "information_request",
        "Your application - one more thing",
        "Hi Sam,\n\nBefore we can take your application further, could you send us copies of your ACCA "
        "certificate and the names of two referees?\n\nThanks,\nPeople Team",
    ),
    (
        "en",
        "other",
        "Role on hold",
        "Dear Sam,\n\nI wanted to let you know that the Design Lead position has been put on hold while we "
        "review our budget for next year. We will be in touch if anything changes.\n\nKind regards,\nMia",
    ),
    (
        "en",
        "other",
        "We have received your application",
        "Thank you for applying to Parcelio. This is an automatic confirmation that your application has "
        "reached us. Our recruiters review every application and aim to respond within two weeks.",
    ),
    (
        "nl",
        "rejection",
        "Je sollicitatie bij Zonnewerk",
        "Beste Sam,\n\nBedankt voor je sollicitatie. We hebben gekozen voor een kandidaat die beter aansluit "
        "bij het profiel. We wensen je veel succes met je zoektocht.\n\nMet vriendelijke groet,\nEva",
    ),
    (
        "nl",
        "interview",
        "Uitnodiging kennismaking",
        "Hoi Sam,\n\nLeuk dat je hebt gereageerd! We maken graag "
        "kennis. Schikt dinsdag 12 maart om 14.00 uur "
        "via Teams? Je ontvangt dan een link van ons.\n\nGroet,\nJoost",
    ),
    (
        "nl",
        "offer",
        "Aanbod leerkracht groep 5/6",
        "Beste Sam,\n\nNa de gesprekken van vorige week bieden we je graag de functie van leerkracht aan, "
        "met ingang van 1 augustus, in schaal L10. De "
        "arbeidsovereenkomst volgt per post.\n\nHartelijke groet,\n"
        "Directie De Regenboog",
    ),
    (
        "nl",
        "information_request",
        "Aanvullende gegevens",
        "Beste Sam,\n\nOm je sollicitatie verder te kunnen "
        "beoordelen, ontvangen we graag je salarisindicatie "
        "en een kopie van je diploma.\n\nMet vriendelijke groet,\nHR",
    ),
    (
        "nl",
        "rejection",
        "Terugkoppeling sollicitatie",
        "Beste Sam,\n\nHelaas moeten we je laten weten dat we je niet uitnodigen voor een gesprek. Er waren "
        "veel sterke kandidaten.\n\nMet vriendelijke groet,\nRecruitment",
    ),
    (
        "nl",
        "other",
        "Ontvangstbevestiging",
        "Bedankt voor je sollicitatie op de vacature Elektromonteur. We hebben je gegevens goed ontvangen en "
        "nemen binnen tien werkdagen contact met je op.",
    ),
    (
        "nb",
        "rejection",
        "Svar på søknad",
        "Hei Sam,\n\nTakk for søknaden din. Vi har nå gått gjennom alle søkerne, og du er dessverre ikke "
        "blant dem vi går videre med.\n\nVennlig hilsen\nIngrid",
    ),
    (
        "nb",
        "interview",
        "Invitasjon til intervju",
        "Hei Sam,\n\nVi vil gjerne invitere deg til intervju for stillingen som controller. Passer det "
        "onsdag 6. mars kl. 09.00 hos oss i Ålesund?\n\nMvh\nKnut",
    ),
    (
        "nb",
        "offer",
        "Tilbud om stilling",
        "Hei Sam,\n\nDet er en glede å kunne tilby deg fast stilling som elektriker hos Vestland Elektro. "
        "Vedlagt finner du arbeidsavtalen.\n\nVennlig hilsen\nSiri",
    ),
    (
        "nb",
        "information_request",
        "Dokumentasjon",
        "Hei Sam,\n\nKan du sende oss kopi av fagbrevet og gyldig FSE-bevis? Da kan vi gå videre med "
        "søknaden din.\n\nHilsen\nPersonalavdelingen",
    ),
    (
        "nb",
        "other",
        "Stillingen er trukket tilbake",
        "Hei Sam,\n\nVi må dessverre informere om at stillingen som lagermedarbeider er trukket tilbake "
        "inntil videre. Vi tar kontakt dersom den lyses ut på nytt.\n\nHilsen\nPosten Bring",
    ),
    (
        "nb",
        "other",
        "Kvittering for mottatt søknad",
        "Takk for din søknad. Dette er en automatisk bekreftelse på at vi har mottatt den.",
    ),
    (
        "de",
        "rejection",
        "Ihre Bewerbung",
        "Sehr geehrte Frau Sam,\n\nvielen Dank für Ihr Interesse. Nach sorgfältiger Prüfung haben wir uns "
        "für eine andere Bewerberin entschieden.\n\nMit freundlichen Grüßen\nPersonalabteilung",
    ),
    (
        "de",
        "interview",
        "Einladung zum Gespräch",
        "Hallo Sam,\n\nwir würden dich gern persönlich kennenlernen. "
        "Hättest du am Montag, 11. März, um 15 Uhr "
        "Zeit für ein Gespräch per Zoom?\n\nViele Grüße\nTim",
    ),
    (
        "de",
        "offer",
        "Vertragsangebot",
        "Sehr geehrte Frau Sam,\n\nwir freuen uns, Ihnen die Stelle als Konstrukteurin anbieten zu können. "
        "Den Arbeitsvertrag erhalten Sie in den nächsten Tagen per "
        "Post.\n\nMit freundlichen Grüßen\nBauer GmbH",
    ),
    (
        "de",
        "information_request",
        "Rückfrage zu Ihrer Bewerbung",
        "Sehr geehrte Frau Sam,\n\nbitte senden Sie uns noch Ihre Arbeitszeugnisse und teilen Sie uns Ihren "
        "frühestmöglichen Eintrittstermin mit.\n\nMit freundlichen Grüßen\nHR",
    ),
    (
        "de",
        "rejection",
        "Absage",
        "Hallo Sam,\n\nleider müssen wir dir mitteilen, dass wir "
        "deine Bewerbung nicht weiter berücksichtigen "
        "können.\n\nBeste Grüße\nLumio",
    ),
    (
        "de",
        "other",
        "Eingangsbestätigung",
        "Vielen Dank für Ihre Bewerbung. Wir haben Ihre Unterlagen "
        "erhalten und melden uns so bald wie möglich.",
    ),
    (
        "el",
        "rejection",
        "Η αίτησή σας",
        "Αγαπητή Σαμ,\n\nσας ευχαριστούμε για το ενδιαφέρον σας. Δυστυχώς, αποφασίσαμε να προχωρήσουμε με "
        "άλλον υποψήφιο.\n\nΜε εκτίμηση,\nΤμήμα Προσωπικού",
    ),
    (
        "el",
        "interview",
        "Πρόσκληση σε συνέντευξη",
        "Αγαπητή Σαμ,\n\nθα θέλαμε να σας καλέσουμε σε συνέντευξη την Τρίτη 12 Μαρτίου στις 11:00 στα "
        "γραφεία μας.\n\nΜε εκτίμηση,\nΚύμα",
    ),
    (
        "el",
        "offer",
        "Πρόταση συνεργασίας",
        "Αγαπητή Σαμ,\n\nέχουμε τη χαρά να σας προσφέρουμε τη θέση του γραφίστα με έναρξη την 1η Απριλίου. "
        "Θα σας στείλουμε τη σύμβαση εργασίας.\n\nΜε εκτίμηση,\nΚύμα",
    ),
    (
        "el",
        "information_request",
        "Συμπληρωματικά στοιχεία",
        "Αγαπητή Σαμ,\n\nπαρακαλούμε να μας στείλετε αντίγραφο του πτυχίου σας και συστατικές επιστολές.\n\n"
        "Με εκτίμηση,\nΤμήμα Προσωπικού",
    ),
    (
        "el",
        "other",
        "Παραλαβή αίτησης",
        "Σας ευχαριστούμε για την αίτησή σας. Θα επικοινωνήσουμε μαζί σας σύντομα.",
    ),
    (
        "el",
        "other",
        "Η θέση ανεστάλη",
        "Αγαπητή Σαμ,\n\nσας ενημερώνουμε ότι η διαδικασία πρόσληψης για τη θέση έχει ανασταλεί προσωρινά. "
        "Θα σας ενημερώσουμε αν υπάρξει αλλαγή.\n\nΜε εκτίμηση",
    ),
]
