"""Employer replies written for the classifier's tests: (language, expected kind, subject, body).

Written by hand to read like real mails (templates from applicant tracking systems, short personal notes,
long formal letters), three or more per kind in each of the five languages, plus acknowledgements.
"""

from __future__ import annotations

REPLIES: list[tuple[str, str, str, str]] = [
    # --- English --------------------------------------------------------------------------------------
    (
        "en",
        "rejection",
        "Your application to Northwind",
        """Dear Kari,

Thank you for your interest in the Senior Backend Engineer role at Northwind and for the time you invested
in your application.

After careful consideration, we have decided to proceed with other candidates whose experience more
closely matches the requirements of the role.

We will keep your details on file and wish you every success in your job search.

Kind regards,
Talent Acquisition Team""",
    ),
    (
        "en",
        "rejection",
        "Re: Data analyst position",
        """Hi Kari,

Thanks again for coming in last Thursday - the team really enjoyed talking to you. Unfortunately we've
decided not to move forward with your application at this stage. It was a close call.

All the best,
Tom""",
    ),
    (
        "en",
        "rejection",
        "Update on your application",
        """Dear applicant,

We regret to inform you that the position of Product Designer has now been filled. We received a large
number of strong applications and were unable to take every candidate forward.

Best wishes,
Recruitment""",
    ),
    (
        "en",
        "interview",
        "Interview invitation - Platform Engineer",
        """Dear Kari,

Thank you for applying for the Platform Engineer position. We were impressed by your background and
would like to invite you to a first interview with our engineering manager.

Would Tuesday 14 May at 10:00 work for you? The interview will take place on Microsoft Teams and last
about 45 minutes.

Best regards,
Sophie""",
    ),
    (
        "en",
        "interview",
        "Next steps",
        """Hi Kari,

Great news - we'd love to move forward with your application! The next step is a 30-minute call with
our CTO. Please pick a slot that suits you here: https://calendly.com/acme-hiring/intro

Looking forward to speaking with you,
Jess""",
    ),
    (
        "en",
        "interview",
        "Your application for Customer Success Lead",
        """Dear Ms Nordmann,

We would like to schedule an interview with you for the Customer Success Lead role. Could you let us know
your availability for next week? We are flexible between 9:00 and 16:00.

Kind regards,
Daniel Brooks
HR Business Partner""",
    ),
    (
        "en",
        "offer",
        "Offer of employment",
        """Dear Kari,

Following your interviews with the team, I am delighted to offer you the position of Senior Backend
Engineer at Northwind. Your starting salary will be EUR 78,000 per year, with a start date of 1 September.

Please find the employment contract attached. We would be grateful if you could sign and return it by
Friday.

We are excited to welcome you to the team!

Best regards,
Anna Schmidt
Head of People""",
    ),
    (
        "en",
        "offer",
        "Congratulations!",
        """Hi Kari,

I'm very happy to let you know that we'd like to offer you the role of Data Analyst! The formal offer
letter will follow from HR tomorrow, including the salary package we discussed.

Welcome aboard!
Tom""",
    ),
    (
        "en",
        "offer",
        "Job offer - Frontend Developer",
        """Dear Kari,

We are pleased to offer you a permanent contract as Frontend Developer. Details of the offer, including
your annual salary and benefits, are in the attached document.

Kind regards,
Recruitment team""",
    ),
    (
        "en",
        "information_request",
        "Your application - documents",
        """Dear Kari,

Thank you for your application. Before we can continue, could you please send us a copy of your
diploma and the names and contact details of two references?

Kind regards,
HR""",
    ),
    (
        "en",
        "information_request",
        "Quick question",
        """Hi Kari,

Thanks for applying! Could you tell us what your salary expectations are and what your notice period is?
That will help us plan the next steps.

Cheers,
Jess""",
    ),
    (
        "en",
        "information_request",
        "Missing information",
        """Dear applicant,

We noticed that your application is incomplete. Please upload your portfolio and confirm whether you
have the right to work in the Netherlands.

Regards,
Recruitment""",
    ),
    (
        "en",
        "other",
        "We have received your application",
        """Dear Kari,

Thank you for applying for the position of Backend Engineer. We have received your application and our
team is currently reviewing all applications. We will get back to you within two weeks.

This is an automated message, please do not reply to this email.

Northwind Careers""",
    ),
    # --- Dutch ----------------------------------------------------------------------------------------
    (
        "nl",
        "rejection",
        "Je sollicitatie bij Zonneveld",
        """Beste Kari,

Bedankt voor je sollicitatie op de functie van backend developer. We hebben veel reacties ontvangen en
alle sollicitaties zorgvuldig bekeken.

Helaas moeten we je laten weten dat we hebben besloten om je niet uit te nodigen voor een gesprek. Er
waren kandidaten wiens ervaring beter aansluit bij de functie.

We wensen je veel succes bij je verdere zoektocht.

Met vriendelijke groet,
Team Recruitment""",
    ),
    (
        "nl",
        "rejection",
        "Re: Sollicitatie data-analist",
        """Hoi Kari,

Dank je wel voor het fijne gesprek van vorige week. We hebben lang getwijfeld, maar we hebben uiteindelijk
gekozen voor een andere kandidaat met meer ervaring in de zorgsector.

Groeten,
Marieke""",
    ),
    (
        "nl",
        "rejection",
        "Terugkoppeling sollicitatie",
        """Geachte mevrouw Nordmann,

Hartelijk dank voor uw interesse in de vacature Beleidsmedewerker. Helaas moeten wij u mededelen dat wij
uw sollicitatie niet verder in behandeling nemen. De vacature is inmiddels vervuld.

Met vriendelijke groet,
Gemeente Zonneveld""",
    ),
    (
        "nl",
        "interview",
        "Uitnodiging sollicitatiegesprek",
        """Beste Kari,

Naar aanleiding van je sollicitatie willen we je graag uitnodigen voor een kennismakingsgesprek op
donderdag 16 mei om 14:00 uur op ons kantoor in Utrecht.

Laat je weten of dit schikt?

Met vriendelijke groet,
Sanne de Vries""",
    ),
    (
        "nl",
        "interview",
        "Je sollicitatie bij Bakker & Zn",
        """Hoi Kari,

Je cv sprak ons erg aan! We maken graag kennis met je. Wanneer ben je beschikbaar voor een
videogesprek van een half uur? De link voor Google Meet sturen we je dan toe.

Groet,
Pieter""",
    ),
    (
        "nl",
        "interview",
        "Volgende ronde",
        """Geachte mevrouw Nordmann,

Wij nodigen u graag uit voor de tweede ronde: een gesprek met de directeur en een collega van het team.
Het gesprek vindt plaats op dinsdag 21 mei om 10.30 uur.

Met vriendelijke groet,
Afdeling HR""",
    ),
    (
        "nl",
        "offer",
        "Aanbod functie backend developer",
        """Beste Kari,

Wat leuk dat je zo enthousiast was tijdens de gesprekken! We willen je graag een aanbod doen voor de
functie van backend developer. In de bijlage vind je het contractvoorstel met een bruto maandsalaris van
EUR 4.800 en een startdatum van 1 september.

Welkom in het team!

Met vriendelijke groet,
Sanne""",
    ),
    (
        "nl",
        "offer",
        "Goed nieuws!",
        """Hoi Kari,

Goed nieuws: we willen je graag aannemen als data-analist! Ik stuur je deze week de arbeidsovereenkomst
toe. Laat maar weten als je vragen hebt over de arbeidsvoorwaarden.

Groetjes,
Marieke""",
    ),
    (
        "nl",
        "offer",
        "Contractvoorstel",
        """Geachte mevrouw Nordmann,

Met genoegen bieden wij u de functie van Beleidsmedewerker aan. Bijgaand treft u het contractvoorstel aan.
Wij verzoeken u dit binnen vijf werkdagen ondertekend te retourneren.

Met vriendelijke groet,
Gemeente Zonneveld""",
    ),
    (
        "nl",
        "information_request",
        "Aanvullende gegevens",
        """Beste Kari,

Bedankt voor je sollicitatie. Voordat we verder kunnen, zouden we graag nog wat aanvullende informatie
ontvangen. Kun je ons een kopie van je diploma en twee referenties sturen?

Groet,
Pieter""",
    ),
    (
        "nl",
        "information_request",
        "Vraag over je sollicitatie",
        """Hoi Kari,

Kun je ons laten weten wat je salarisindicatie is en wat je opzegtermijn is? Dan kunnen we je sollicitatie
verder beoordelen.

Groeten,
Team HR""",
    ),
    (
        "nl",
        "information_request",
        "Ontbrekende documenten",
        """Geachte mevrouw Nordmann,

Uw sollicitatie is nog niet compleet. Wilt u uw motivatiebrief en een recente cijferlijst nog aanleveren via
het sollicitatieportaal?

Met vriendelijke groet,
Afdeling HR""",
    ),
    (
        "nl",
        "other",
        "Bevestiging van je sollicitatie",
        """Beste Kari,

Bedankt voor je sollicitatie! We hebben je gegevens in goede orde ontvangen. Binnen twee weken nemen we
contact met je op.

Dit is een automatisch bericht.

Team Recruitment""",
    ),
    # --- Norwegian Bokmål -----------------------------------------------------------------------------
    (
        "nb",
        "rejection",
        "Din søknad på stillingen som utvikler",
        """Hei Kari,

Takk for din søknad på stillingen som backend-utvikler hos Fjordtech. Vi har mottatt mange gode søknader.

Vi må dessverre meddele at vi har valgt å gå videre med andre kandidater i denne prosessen.

Lykke til videre med jobbsøkingen!

Med vennlig hilsen
Fjordtech AS""",
    ),
    (
        "nb",
        "rejection",
        "Svar på søknad",
        """Hei,

Takk for intervjuet forrige uke. Etter en samlet vurdering har vi dessverre besluttet å gå videre med en
annen kandidat. Vi setter stor pris på interessen din.

Vennlig hilsen
Ingrid""",
    ),
    (
        "nb",
        "rejection",
        "Avslag på søknad",
        """Hei Kari,

Vi takker for søknaden. Stillingen er nå besatt, og du har dessverre ikke nådd opp i konkurransen denne
gangen.

Med vennlig hilsen
HR-avdelingen""",
    ),
    (
        "nb",
        "interview",
        "Invitasjon til intervju",
        """Hei Kari,

Takk for søknaden! Vi vil gjerne invitere deg til et intervju hos oss i Bergen torsdag 16. mai kl. 13.00.

Gi beskjed om tidspunktet passer for deg.

Med vennlig hilsen
Ingrid Berg
Fjordtech AS""",
    ),
    (
        "nb",
        "interview",
        "Neste steg i prosessen",
        """Hei,

Vi ønsker å møte deg til en første samtale på Teams. Når passer det for deg neste uke? Vi er fleksible
på tidspunkt mellom 09:00 og 15:00.

Hilsen
Ola""",
    ),
    (
        "nb",
        "interview",
        "Innkalling til intervju",
        """Hei Kari,

Vi har gått gjennom søknaden din og ønsker å kalle deg inn til intervju for stillingen som rådgiver.
Intervjuet blir tirsdag 21. mai kl. 10.00 i våre lokaler.

Vennlig hilsen
Kommunen""",
    ),
    (
        "nb",
        "offer",
        "Tilbud om stilling",
        """Hei Kari,

Det er en glede å kunne gi deg tilbud om fast stilling som backend-utvikler hos Fjordtech. Vedlagt finner
du arbeidsavtalen med lønn og oppstartsdato.

Vi ser frem til å ha deg med på laget!

Med vennlig hilsen
Ingrid Berg""",
    ),
    (
        "nb",
        "offer",
        "Gode nyheter",
        """Hei,

Vi vil gjerne tilby deg jobben som dataanalytiker! Vi sender deg arbeidsavtalen i løpet av uken. Si fra
om du har spørsmål om lønn eller tiltredelse.

Velkommen til teamet!
Ola""",
    ),
    (
        "nb",
        "offer",
        "Jobbtilbud",
        """Hei Kari,

Takk for gode samtaler. Vi er glade for å kunne sende deg et jobbtilbud som rådgiver. Vennligst bekreft
innen fredag om du takker ja til tilbudet.

Vennlig hilsen
Kommunen""",
    ),
    (
        "nb",
        "information_request",
        "Dokumentasjon",
        """Hei Kari,

Takk for søknaden. Kan du sende oss kopi av vitnemål og attester innen fredag? Vi trenger også navn på to
referanser.

Vennlig hilsen
HR""",
    ),
    (
        "nb",
        "information_request",
        "Spørsmål om søknaden",
        """Hei,

Før vi går videre, kunne du sende oss lønnsforventningene dine og hvor lang oppsigelsestid du har?

Hilsen
Ola""",
    ),
    (
        "nb",
        "information_request",
        "Mangler i søknaden",
        """Hei Kari,

Vi ser at søknaden din mangler CV. Vennligst last opp CV-en din i rekrutteringsportalen så snart som mulig.

Med vennlig hilsen
Kommunen""",
    ),
    (
        "nb",
        "other",
        "Vi har mottatt søknaden din",
        """Hei Kari,

Takk for din søknad! Vi har mottatt søknaden din og vil gå gjennom alle søknader etter søknadsfristen.
Vi tar kontakt så snart vi har en avklaring.

Dette er en automatisk melding.

Fjordtech AS""",
    ),
    # --- German ---------------------------------------------------------------------------------------
    (
        "de",
        "rejection",
        "Ihre Bewerbung bei der Rheinwerk GmbH",
        """Sehr geehrte Frau Nordmann,

vielen Dank für Ihre Bewerbung und das damit verbundene Interesse an unserem Unternehmen.

Leider müssen wir Ihnen mitteilen, dass wir Ihre Bewerbung nicht weiter berücksichtigen können. Wir haben
uns für eine Kandidatin entschieden, deren Profil noch besser zu den Anforderungen passt.

Für Ihren weiteren beruflichen Lebensweg wünschen wir Ihnen alles Gute.

Mit freundlichen Grüßen
Personalabteilung""",
    ),
    (
        "de",
        "rejection",
        "Absage",
        """Hallo Kari,

danke nochmal für das nette Gespräch am Dienstag. Wir haben uns die Entscheidung nicht leicht gemacht,
aber wir müssen dir leider absagen.

Viele Grüße
Jonas""",
    ),
    (
        "de",
        "rejection",
        "Rückmeldung zu Ihrer Bewerbung",
        """Sehr geehrte Frau Nordmann,

wir bedauern, Ihnen mitteilen zu müssen, dass die Stelle bereits anderweitig besetzt wurde.

Wir wünschen Ihnen viel Erfolg bei Ihrer weiteren Stellensuche.

Mit freundlichen Grüßen
Stadtwerke""",
    ),
    (
        "de",
        "interview",
        "Einladung zum Vorstellungsgespräch",
        """Sehr geehrte Frau Nordmann,

vielen Dank für Ihre Bewerbung. Wir würden Sie gerne zu einem persönlichen Vorstellungsgespräch am
Mittwoch, den 15. Mai, um 10:00 Uhr in unser Büro in Köln einladen.

Bitte bestätigen Sie uns kurz den Termin.

Mit freundlichen Grüßen
Laura Becker""",
    ),
    (
        "de",
        "interview",
        "Kennenlernen",
        """Hallo Kari,

dein Profil hat uns überzeugt und wir würden dich gerne kennenlernen! Wann hättest du nächste Woche Zeit
für ein kurzes Videotelefonat? Hier ist schon mal der Zoom-Link: https://zoom.us/j/123456789

Viele Grüße
Jonas""",
    ),
    (
        "de",
        "interview",
        "Ihre Bewerbung als Sachbearbeiterin",
        """Sehr geehrte Frau Nordmann,

wir laden Sie herzlich zu einem Gespräch mit unserer Abteilungsleitung ein. Bitte teilen Sie uns Ihre
Verfügbarkeit für die kommende Woche mit.

Mit freundlichen Grüßen
Stadtwerke""",
    ),
    (
        "de",
        "offer",
        "Vertragsangebot",
        """Sehr geehrte Frau Nordmann,

wir freuen uns, Ihnen die Stelle als Backend-Entwicklerin anbieten zu können. Anbei erhalten Sie unser
Vertragsangebot mit einem Jahresgehalt von 72.000 EUR und dem Eintrittstermin 1. September.

Mit freundlichen Grüßen
Laura Becker""",
    ),
    (
        "de",
        "offer",
        "Gute Nachrichten!",
        """Hallo Kari,

ich freue mich sehr, dir mitteilen zu können, dass wir dir ein Jobangebot als Data Analyst machen möchten!
Den Arbeitsvertrag schicke ich dir morgen per Post.

Herzlich willkommen im Team!
Jonas""",
    ),
    (
        "de",
        "offer",
        "Zusage für Ihre Bewerbung",
        """Sehr geehrte Frau Nordmann,

wir freuen uns, Ihnen eine Zusage für die Stelle als Sachbearbeiterin geben zu können. Den Arbeitsvertrag
erhalten Sie in den nächsten Tagen.

Mit freundlichen Grüßen
Stadtwerke""",
    ),
    (
        "de",
        "information_request",
        "Fehlende Unterlagen",
        """Sehr geehrte Frau Nordmann,

vielen Dank für Ihre Bewerbung. Leider fehlen uns noch einige Unterlagen. Bitte senden Sie uns Ihre
Arbeitszeugnisse und eine Kopie Ihres Abschlusszeugnisses zu.

Mit freundlichen Grüßen
Personalabteilung""",
    ),
    (
        "de",
        "information_request",
        "Kurze Frage",
        """Hallo Kari,

könntest du uns noch deine Gehaltsvorstellung und deine Kündigungsfrist mitteilen? Dann können wir
intern weiter planen.

Viele Grüße
Jonas""",
    ),
    (
        "de",
        "information_request",
        "Ihre Bewerbung",
        """Sehr geehrte Frau Nordmann,

könnten Sie uns bitte zwei Referenzen mit Kontaktdaten nennen und uns Ihre Arbeitserlaubnis zukommen
lassen?

Mit freundlichen Grüßen
Stadtwerke""",
    ),
    (
        "de",
        "other",
        "Eingangsbestätigung Ihrer Bewerbung",
        """Sehr geehrte Frau Nordmann,

vielen Dank für Ihre Bewerbung. Ihre Unterlagen sind bei uns eingegangen. Wir melden uns nach Prüfung
aller Bewerbungen bei Ihnen.

Dies ist eine automatische Nachricht.

Rheinwerk GmbH""",
    ),
    # --- Greek ----------------------------------------------------------------------------------------
    (
        "el",
        "rejection",
        "Η αίτησή σας",
        """Αγαπητή κυρία Nordmann,

Σας ευχαριστούμε για το ενδιαφέρον σας για τη θέση Backend Developer. Δυστυχώς, αποφασίσαμε να
προχωρήσουμε με άλλους υποψηφίους, των οποίων το προφίλ ταιριάζει καλύτερα στις ανάγκες της θέσης.

Σας ευχόμαστε καλή επιτυχία στην αναζήτησή σας.

Με εκτίμηση,
Τμήμα Ανθρώπινου Δυναμικού""",
    ),
    (
        "el",
        "rejection",
        "Ενημέρωση για τη θέση",
        """Γεια σας Kari,

Σας ευχαριστούμε για τη συνέντευξη την περασμένη εβδομάδα. Λυπούμαστε που σας ενημερώνουμε ότι δεν θα
προχωρήσουμε με την υποψηφιότητά σας.

Με φιλικούς χαιρετισμούς,
Νίκος""",
    ),
    (
        "el",
        "rejection",
        "Αποτέλεσμα αξιολόγησης",
        """Αξιότιμη κυρία Nordmann,

Σας ενημερώνουμε ότι η θέση έχει ήδη καλυφθεί. Δυστυχώς η αίτησή σας δεν επιλέχθηκε.

Με εκτίμηση,
Η Διοίκηση""",
    ),
    (
        "el",
        "interview",
        "Πρόσκληση σε συνέντευξη",
        """Αγαπητή κυρία Nordmann,

Θα θέλαμε να σας προσκαλέσουμε σε συνέντευξη για τη θέση Backend Developer την Πέμπτη 16 Μαΐου στις
11:00 στα γραφεία μας στην Αθήνα.

Παρακαλούμε επιβεβαιώστε τη συμμετοχή σας.

Με εκτίμηση,
Μαρία Παπαδοπούλου""",
    ),
    (
        "el",
        "interview",
        "Επόμενο βήμα",
        """Γεια σας Kari,

Το βιογραφικό σας μας άρεσε πολύ και θα θέλαμε να σας γνωρίσουμε. Πείτε μας τη διαθεσιμότητά σας για
μια σύντομη βιντεοκλήση την επόμενη εβδομάδα.

Φιλικά,
Νίκος""",
    ),
    (
        "el",
        "interview",
        "Συνέντευξη - Τμήμα Πληροφορικής",
        """Αξιότιμη κυρία Nordmann,

Με χαρά σας καλούμε σε συνέντευξη με την επιτροπή αξιολόγησης την Τρίτη 21 Μαΐου στις 10:00 μέσω
Microsoft Teams.

Με εκτίμηση,
Η Διοίκηση""",
    ),
    (
        "el",
        "offer",
        "Προσφορά εργασίας",
        """Αγαπητή κυρία Nordmann,

Με χαρά σας ενημερώνουμε ότι θα θέλαμε να σας προσφέρουμε τη θέση του Backend Developer. Επισυνάπτεται η
προσφορά εργασίας με τις αποδοχές και την ημερομηνία έναρξης.

Καλώς ήρθατε στην ομάδα μας!

Με εκτίμηση,
Μαρία Παπαδοπούλου""",
    ),
    (
        "el",
        "offer",
        "Καλά νέα!",
        """Γεια σας Kari,

Χαίρομαι πολύ που σας ανακοινώνω ότι σας προσφέρουμε τη θέση! Θα σας στείλουμε τη σύμβαση εργασίας
μέσα στην εβδομάδα.

Φιλικά,
Νίκος""",
    ),
    (
        "el",
        "offer",
        "Σύμβαση εργασίας",
        """Αξιότιμη κυρία Nordmann,

Μετά την ολοκλήρωση της διαδικασίας, σας αποστέλλουμε την προσφορά εργασίας για τη θέση του αναλυτή
δεδομένων, με ετήσιο μικτό μισθό 32.000 ευρώ.

Με εκτίμηση,
Η Διοίκηση""",
    ),
    (
        "el",
        "information_request",
        "Δικαιολογητικά",
        """Αγαπητή κυρία Nordmann,

Σας ευχαριστούμε για την αίτησή σας. Παρακαλούμε στείλτε μας αντίγραφο του πτυχίου σας και δύο
συστατικές επιστολές.

Με εκτίμηση,
Τμήμα Ανθρώπινου Δυναμικού""",
    ),
    (
        "el",
        "information_request",
        "Ερώτηση",
        """Γεια σας Kari,

Θα μπορούσατε να μας στείλετε τις μισθολογικές σας απαιτήσεις και πότε θα μπορούσατε να ξεκινήσετε;

Φιλικά,
Νίκος""",
    ),
    (
        "el",
        "information_request",
        "Συμπληρωματικά στοιχεία",
        """Αξιότιμη κυρία Nordmann,

Για να ολοκληρωθεί η αξιολόγηση, χρειαζόμαστε επιπλέον στοιχεία: βεβαίωση προϋπηρεσίας και πιστοποιητικό
γλωσσομάθειας.

Με εκτίμηση,
Η Διοίκηση""",
    ),
    (
        "el",
        "other",
        "Λάβαμε την αίτησή σας",
        """Αγαπητή κυρία Nordmann,

Σας ευχαριστούμε για το ενδιαφέρον σας. Λάβαμε την αίτησή σας και θα επικοινωνήσουμε μαζί σας μόλις
ολοκληρωθεί η αξιολόγηση.

Αυτό είναι ένα αυτόματο μήνυμα.

Τμήμα Ανθρώπινου Δυναμικού""",
    ),
]

# Mixed signals: a kind's words in a mail of another kind. (language, expected kind, subject, body)
TRICKY: list[tuple[str, str, str, str]] = [
    (
        "en",
        "rejection",
        "Following up on your interview",
        """Hi Kari,

Thank you for taking the time to interview with us last week. After the interview we have decided to go
with another candidate whose experience is closer to what we need.

Best,
Tom""",
    ),
    (
        "en",
        "interview",
        "Interview - new date",
        """Hi Kari,

We would like to invite you to a second interview. Unfortunately the date we mentioned on the phone has
moved: would Thursday 16 May at 14:00 work instead?

Best,
Jess""",
    ),
    (
        "en",
        "rejection",
        "Your application",
        """Dear Kari,

We were impressed by your application and would have liked to invite you to an interview, but we have
decided to proceed with an internal candidate.

Kind regards,
HR""",
    ),
    (
        "en",
        "interview",
        "Other opening",
        """Hi Kari,

Unfortunately we cannot offer you the senior role, but we would like to invite you to an interview for
our medior position, which we think suits you well.

Best,
Jess""",
    ),
    (
        "en",
        "rejection",
        "Re: offer",
        """Dear Kari,

Unfortunately we are unable to offer you the position at this time. We wish you all the best in your
search.

Regards,
HR""",
    ),
    (
        "en",
        "offer",
        "Offer",
        """Hi Kari,

After your interviews we are pleased to offer you the position of Data Engineer. Could you please send
us a copy of your passport and sign the contract by Friday?

Best,
Tom""",
    ),
    (
        "nl",
        "rejection",
        "Na het gesprek",
        """Beste Kari,

Bedankt voor het gesprek van dinsdag. Helaas hebben we besloten om niet met je verder te gaan in de
procedure.

Groet,
Marieke""",
    ),
    (
        "nl",
        "interview",
        "Uitnodiging",
        """Beste Kari,

We nodigen je graag uit voor een gesprek. Helaas kunnen we pas over twee weken, op maandag 27 mei om
11:00 uur.

Groet,
Sanne""",
    ),
    (
        "nb",
        "rejection",
        "Etter intervjuet",
        """Hei Kari,

Takk for et hyggelig intervju. Vi har dessverre valgt å gå videre med en annen kandidat.

Hilsen
Ola""",
    ),
    (
        "nb",
        "interview",
        "Intervju",
        """Hei Kari,

Vi vil gjerne invitere deg til et intervju. Dessverre må vi flytte tidspunktet til fredag kl. 12.00.

Hilsen
Ola""",
    ),
    (
        "de",
        "rejection",
        "Nach dem Vorstellungsgespräch",
        """Hallo Kari,

vielen Dank für das Vorstellungsgespräch. Leider haben wir uns für einen anderen Bewerber entschieden.

Viele Grüße
Jonas""",
    ),
    (
        "de",
        "rejection",
        "Ihre Bewerbung",
        """Sehr geehrte Frau Nordmann,

leider können wir Sie nicht zu einem Vorstellungsgespräch einladen.

Mit freundlichen Grüßen
Personalabteilung""",
    ),
    (
        "de",
        "rejection",
        "Ihre Bewerbung",
        """Sehr geehrte Frau Nordmann,

leider können wir Ihnen kein Angebot machen.

Mit freundlichen Grüßen
Personalabteilung""",
    ),
    (
        "el",
        "rejection",
        "Μετά τη συνέντευξη",
        """Γεια σας Kari,

Σας ευχαριστούμε για τη συνέντευξη. Δυστυχώς δεν θα προχωρήσουμε με την υποψηφιότητά σας.

Φιλικά,
Νίκος""",
    ),
    (
        "el",
        "interview",
        "Συνέντευξη",
        """Γεια σας Kari,

Θα θέλαμε να σας καλέσουμε σε συνέντευξη. Δυστυχώς η ημερομηνία άλλαξε: μπορείτε την Παρασκευή στις 12:00;

Φιλικά,
Νίκος""",
    ),
    (
        "en",
        "other",
        "Thanks",
        """Hi Kari,

Unfortunately I am out of the office until Monday. I will reply to your message when I am back.

Tom""",
    ),
]

# Written after the rules were tuned on REPLIES and TRICKY and first run unseen: 25 of 48 right, the misses
# all "other". The rules were then generalised with these in view.
HELD_OUT_1: list[tuple[str, str, str, str]] = [
    (
        "en",
        "rejection",
        "Application status",
        """Hello Kari,

Thank you for applying to Lumen Health. While your background is impressive, we will not be
progressing your application further.

We appreciate your interest and encourage you to apply for future openings.

Lumen Health Talent Team""",
    ),
    (
        "en",
        "rejection",
        "RE: Junior developer",
        """Hi Kari, thanks for your patience. I'm afraid the hiring manager has chosen another applicant for
this role. Sorry it's not better news.

Best, Amy""",
    ),
    (
        "en",
        "rejection",
        "Your candidacy",
        """Dear Kari,

We appreciate the effort you put into the take-home assignment. Regrettably, we have concluded that
your profile is not the right match for this position.

Sincerely,
Orbit Labs""",
    ),
    (
        "en",
        "interview",
        "Let's talk!",
        """Hi Kari,

Loved your application. Are you free for a quick chat on Wednesday afternoon? Here's a Google Meet
link: https://meet.google.com/abc-defg-hij

Sam""",
    ),
    (
        "en",
        "interview",
        "Technical interview - Orbit Labs",
        """Dear Kari,

Congratulations on passing the first round. We are happy to invite you for a technical interview
with two of our senior engineers on 22 May at 15:30 CET.

Best regards,
Orbit Labs Recruiting""",
    ),
    (
        "en",
        "interview",
        "Your application",
        """Hello Kari,

We'd like to arrange a phone screen with you. Please reply with a few times that work for you this
week.

Thanks,
Amy""",
    ),
    (
        "en",
        "offer",
        "Welcome to Lumen Health",
        """Dear Kari,

On behalf of Lumen Health, it is my pleasure to extend to you an offer of employment for the
position of Data Scientist. Your offer letter is attached.

Warm regards,
HR""",
    ),
    (
        "en",
        "offer",
        "Good news",
        """Hi Kari! The team was unanimous - we want you on board as our new UX researcher. I'll send the
contract over this afternoon.

Sam""",
    ),
    (
        "en",
        "information_request",
        "A few more details",
        """Hi Kari,

Before we schedule anything, can you share your earliest start date and whether you need visa
sponsorship?

Thanks,
Amy""",
    ),
    (
        "en",
        "information_request",
        "References",
        """Dear Kari,

As part of our process we ask all finalists for two professional referees. Kindly send their names
and email addresses at your earliest convenience.

Regards,
HR""",
    ),
    (
        "en",
        "other",
        "Thank you for your application",
        """Hi Kari,

Thanks for applying! Our team will review your application and reach out if there's a match.

Orbit Labs""",
    ),
    (
        "nl",
        "rejection",
        "Sollicitatie Frontend Developer",
        """Beste Kari,

Dank voor je sollicitatie. Na zorgvuldige overweging moeten we je helaas laten weten dat je niet
door bent naar de volgende ronde.

Succes met je zoektocht!
Team Talent""",
    ),
    (
        "nl",
        "rejection",
        "Re: vacature",
        """Hoi Kari, we hebben inmiddels iemand anders aangenomen voor deze functie. Jammer, maar bedankt voor
je interesse!

Groet, Joost""",
    ),
    (
        "nl",
        "rejection",
        "Uw sollicitatie",
        """Geachte mevrouw Nordmann,

Naar aanleiding van uw sollicitatie delen wij u mee dat wij u niet hebben geselecteerd voor de
gespreksronde.

Hoogachtend,
Provincie Noord""",
    ),
    (
        "nl",
        "interview",
        "Kennismaking",
        """Hoi Kari,

Leuk dat je gesolliciteerd hebt! Heb je volgende week tijd voor een online kennismaking? Je kunt
hier een tijdstip kiezen: https://calendly.com/team-talent/30min

Joost""",
    ),
    (
        "nl",
        "interview",
        "Gesprek",
        """Geachte mevrouw Nordmann,

Graag nodigen wij u uit voor een sollicitatiegesprek op 23 mei om 9.30 uur in het provinciehuis.

Hoogachtend,
Provincie Noord""",
    ),
    (
        "nl",
        "offer",
        "Je nieuwe baan!",
        """Hoi Kari,

We zijn eruit: we bieden je graag de functie van frontend developer aan! Het contract komt morgen in
je mailbox.

Groet, Joost""",
    ),
    (
        "nl",
        "offer",
        "Arbeidsvoorwaarden",
        """Beste Kari,

Zoals telefonisch besproken ontvang je hierbij ons arbeidsvoorwaardenvoorstel voor de functie van
data engineer, met een salaris van EUR 5.200 bruto per maand.

Met vriendelijke groet,
HR""",
    ),
    (
        "nl",
        "information_request",
        "Nog een vraag",
        """Hoi Kari,

Wil je ons nog even je portfolio mailen? Dan kunnen we het meenemen in de beoordeling.

Joost""",
    ),
    (
        "nl",
        "information_request",
        "VOG",
        """Beste Kari,

Voor deze functie hebben we een Verklaring Omtrent het Gedrag nodig. Kun je deze aanvragen en naar
ons toesturen?

Met vriendelijke groet,
HR""",
    ),
    (
        "nl",
        "other",
        "Ontvangstbevestiging",
        """Beste Kari,

We hebben je sollicitatie ontvangen en gaan er zo snel mogelijk naar kijken.

Team Talent""",
    ),
    (
        "nb",
        "rejection",
        "Søknad",
        """Hei Kari,

Takk for at du søkte. Vi har nå gjennomført intervjuer og har dessverre ikke plass til deg i den
videre prosessen.

Hilsen Nora""",
    ),
    (
        "nb",
        "rejection",
        "Stillingen som rådgiver",
        """Hei,

Vi har fått inn mange kvalifiserte søkere, og du er dessverre ikke blant dem som går videre.

Mvh
Statens vegvesen""",
    ),
    (
        "nb",
        "interview",
        "Samtale",
        """Hei Kari,

Vi synes profilen din er spennende og vil gjerne ta en prat med deg. Har du mulighet onsdag kl. 14?

Hilsen Nora""",
    ),
    (
        "nb",
        "interview",
        "Intervju hos oss",
        """Hei,

Du er invitert til intervju mandag 27. mai klokken 10.00. Møtet holdes på Teams.

Mvh
Statens vegvesen""",
    ),
    (
        "nb",
        "offer",
        "Stillingstilbud",
        """Hei Kari,

Vi er glade for å tilby deg stillingen som rådgiver. Arbeidsavtalen er vedlagt til signering.

Mvh
Statens vegvesen""",
    ),
    (
        "nb",
        "offer",
        "Du har fått jobben!",
        """Hei Kari! Vi vil veldig gjerne ha deg med i teamet og tilbyr deg herved jobben som utvikler.
Kontrakt kommer i morgen.

Nora""",
    ),
    (
        "nb",
        "information_request",
        "Attester",
        """Hei Kari,

Vi ber deg ettersende attester fra tidligere arbeidsgivere innen mandag.

Hilsen Nora""",
    ),
    (
        "nb",
        "information_request",
        "Spørsmål",
        """Hei,

Hva er dine lønnsforventninger, og når kan du tiltre?

Mvh
HR""",
    ),
    (
        "nb",
        "other",
        "Søknad mottatt",
        """Hei Kari,

Takk for søknaden din. Den er registrert, og vi vil ta kontakt etter søknadsfristen.

Mvh
Statens vegvesen""",
    ),
    (
        "de",
        "rejection",
        "Ihre Bewerbung als Entwicklerin",
        """Sehr geehrte Frau Nordmann,

nach sorgfältiger Prüfung Ihrer Unterlagen müssen wir Ihnen leider mitteilen, dass wir uns gegen
eine weitere Berücksichtigung Ihrer Bewerbung entschieden haben.

Mit freundlichen Grüßen
Personal""",
    ),
    (
        "de",
        "rejection",
        "Bewerbung",
        """Hallo Kari,

danke für deine Bewerbung! Diesmal hat es leider nicht geklappt, wir haben jemand anderen
eingestellt.

LG Mia""",
    ),
    (
        "de",
        "interview",
        "Termin",
        """Hallo Kari,

wir würden uns gerne mit dir auf einen Kaffee treffen und dich besser kennenlernen. Passt dir
Donnerstag um 16 Uhr?

LG Mia""",
    ),
    (
        "de",
        "interview",
        "Einladung",
        """Sehr geehrte Frau Nordmann,

wir freuen uns, Sie zu einem Interview per Microsoft Teams einzuladen. Bitte wählen Sie einen Termin
aus den folgenden Vorschlägen.

Mit freundlichen Grüßen
Personal""",
    ),
    (
        "de",
        "offer",
        "Angebot",
        """Sehr geehrte Frau Nordmann,

wir möchten Ihnen die Position der Teamleiterin anbieten. Den Vertragsentwurf finden Sie im Anhang.

Mit freundlichen Grüßen
Personal""",
    ),
    (
        "de",
        "offer",
        "Willkommen!",
        """Hallo Kari,

wir freuen uns riesig, dass du zu uns kommst! Anbei dein Arbeitsvertrag - bitte unterschrieben
zurückschicken.

LG Mia""",
    ),
    (
        "de",
        "information_request",
        "Unterlagen",
        """Sehr geehrte Frau Nordmann,

zur weiteren Bearbeitung benötigen wir noch Ihre Zeugnisse sowie einen Nachweis über Ihre
Deutschkenntnisse.

Mit freundlichen Grüßen
Personal""",
    ),
    (
        "de",
        "information_request",
        "Frage",
        """Hallo Kari,

wie hoch sind deine Gehaltsvorstellungen und ab wann könntest du anfangen?

LG Mia""",
    ),
    (
        "de",
        "other",
        "Bewerbung erhalten",
        """Guten Tag,

vielen Dank für Ihre Bewerbung. Wir haben Ihre Unterlagen erhalten und werden uns in Kürze bei Ihnen
melden.

Personal""",
    ),
    (
        "el",
        "rejection",
        "Αίτηση",
        """Αγαπητή Kari,

Σας ευχαριστούμε για τη συμμετοχή σας στη διαδικασία. Δυστυχώς, η υποψηφιότητά σας δεν θα προχωρήσει
στο επόμενο στάδιο.

Με εκτίμηση,
HR""",
    ),
    (
        "el",
        "rejection",
        "Η θέση",
        """Γεια σας Kari,

Επιλέξαμε τελικά έναν άλλο υποψήφιο για τη θέση. Σας ευχαριστούμε πολύ για τον χρόνο σας.

Γιώργος""",
    ),
    (
        "el",
        "interview",
        "Συνάντηση",
        """Γεια σας Kari,

Θα θέλατε να συναντηθούμε για μια συζήτηση την Τετάρτη στις 17:00; Ο σύνδεσμος Zoom είναι:
https://zoom.us/j/987654321

Γιώργος""",
    ),
    (
        "el",
        "interview",
        "Πρόσκληση",
        """Αξιότιμη κυρία Nordmann,

Σας καλούμε σε συνέντευξη στα γραφεία μας στη Θεσσαλονίκη στις 24 Μαΐου, ώρα 12:00.

Με εκτίμηση,
HR""",
    ),
    (
        "el",
        "offer",
        "Πρόταση συνεργασίας",
        """Αγαπητή Kari,

Είμαστε στην ευχάριστη θέση να σας προτείνουμε τη θέση της αναλύτριας. Στο συνημμένο θα βρείτε τους
όρους της σύμβασης.

Με εκτίμηση,
HR""",
    ),
    (
        "el",
        "offer",
        "Συγχαρητήρια!",
        """Γεια σας Kari,

Συγχαρητήρια, πήρατε τη θέση! Σας στέλνω τη σύμβαση για υπογραφή.

Γιώργος""",
    ),
    (
        "el",
        "information_request",
        "Στοιχεία",
        """Αγαπητή Kari,

Μπορείτε να μας στείλετε το πτυχίο σας και δύο συστατικές επιστολές;

Με εκτίμηση,
HR""",
    ),
    (
        "el",
        "information_request",
        "Ερώτηση",
        """Γεια σας Kari,

Ποιες είναι οι οικονομικές σας απαιτήσεις και πότε μπορείτε να ξεκινήσετε;

Γιώργος""",
    ),
    (
        "el",
        "other",
        "Παραλαβή αίτησης",
        """Αγαπητή Kari,

Η αίτησή σας παραλήφθηκε επιτυχώς. Θα σας ενημερώσουμε για την εξέλιξη.

HR""",
    ),
]

# Written after that round and first run unseen: 17 of 40 right (22 misses to "other", one offer read as an
# information request). Generalised again: the regret-and-negation fallback and wider phrases came from here.
HELD_OUT_2: list[tuple[str, str, str, str]] = [
    (
        "en",
        "rejection",
        "Update from Brightside",
        """Hi Kari,

I wanted to personally let you know that we won't be able to move ahead with your application. The
competition was very strong this time.

Take care,
Liz""",
    ),
    (
        "en",
        "rejection",
        "Senior Analyst - outcome",
        """Dear Kari,

Thank you for interviewing with us. Following a thorough review, we have offered the role to a
candidate with more direct sector experience.

Kind regards,
People Team""",
    ),
    (
        "en",
        "interview",
        "Brightside - interview",
        """Hi Kari,

Thanks for your application! We'd be glad to have you in for an interview at our London office. Does
Monday 3 June at 11am suit you?

Liz""",
    ),
    (
        "en",
        "interview",
        "Second round",
        """Dear Kari,

You have progressed to the second round. The panel interview will be held via Zoom; the link will
follow once you confirm a time.

Best,
People Team""",
    ),
    (
        "en",
        "offer",
        "Your offer from Brightside",
        """Hi Kari,

We're thrilled to let you know you got the job! Attached you'll find your contract and details about
your salary and benefits.

Liz""",
    ),
    (
        "en",
        "offer",
        "Conditional offer",
        """Dear Kari,

I am pleased to confirm our conditional offer for the post of Senior Analyst, subject to
satisfactory references.

Kind regards,
People Team""",
    ),
    (
        "en",
        "information_request",
        "Before we proceed",
        """Hi Kari,

Could you fill in the attached equal opportunities form and send back a scan of your ID?

Liz""",
    ),
    (
        "en",
        "information_request",
        "Quick check",
        """Dear Kari,

We would like to know your current notice period and your expected salary range.

People Team""",
    ),
    (
        "nl",
        "rejection",
        "Afwijzing sollicitatie",
        """Beste Kari,

Bedankt voor je interesse in Groenlicht. Je profiel past helaas niet goed genoeg bij wat we zoeken.

Groet,
Fleur""",
    ),
    (
        "nl",
        "rejection",
        "Sollicitatie",
        """Geachte mevrouw Nordmann,

Het spijt ons u te moeten mededelen dat wij de procedure met andere kandidaten voortzetten.

Met vriendelijke groet,
Waterschap Oost""",
    ),
    (
        "nl",
        "interview",
        "Gesprek inplannen",
        """Hoi Kari,

We willen graag een gesprek met je inplannen. Komt woensdag 5 juni om 13:00 uur je uit?

Fleur""",
    ),
    (
        "nl",
        "interview",
        "Sollicitatie Waterschap",
        """Geachte mevrouw Nordmann,

U bent geselecteerd voor de eerste gespreksronde. Het gesprek vindt plaats via Microsoft Teams.

Met vriendelijke groet,
Waterschap Oost""",
    ),
    (
        "nl",
        "offer",
        "Je bent aangenomen!",
        """Hoi Kari,

Gefeliciteerd, je bent aangenomen! Ik stuur je morgen de arbeidsovereenkomst.

Fleur""",
    ),
    (
        "nl",
        "offer",
        "Aanstelling",
        """Geachte mevrouw Nordmann,

Hierbij bieden wij u een aanstelling aan als adviseur, met ingang van 1 augustus.

Met vriendelijke groet,
Waterschap Oost""",
    ),
    (
        "nl",
        "information_request",
        "Referenties",
        """Hoi Kari,

Mag ik de contactgegevens van twee referenties van je ontvangen?

Fleur""",
    ),
    (
        "nl",
        "information_request",
        "Documenten",
        """Geachte mevrouw Nordmann,

Wij verzoeken u een kopie van uw identiteitsbewijs en diploma's mee te sturen.

Met vriendelijke groet,
Waterschap Oost""",
    ),
    (
        "nb",
        "rejection",
        "Tilbakemelding",
        """Hei Kari,

Tusen takk for søknaden. Vi har bestemt oss for en kandidat med mer erfaring innen feltet.

Beste hilsen
Siri""",
    ),
    (
        "nb",
        "rejection",
        "Søknad rådgiver",
        """Hei,

Vi må dessverre gi deg beskjed om at du ikke kom med i utvalget til intervju denne gangen.

Mvh
Nav""",
    ),
    (
        "nb",
        "interview",
        "Intervju",
        """Hei Kari,

Vi vil gjerne ha deg inn på intervju. Passer det torsdag 6. juni kl. 09.30?

Siri""",
    ),
    (
        "nb",
        "interview",
        "Videre i prosessen",
        """Hei,

Du er videre til andre runde, som blir et intervju med seksjonslederen. Vi sender deg en Teams-
invitasjon.

Mvh
Nav""",
    ),
    (
        "nb",
        "offer",
        "Tilbud",
        """Hei Kari,

Vi har gleden av å tilby deg stillingen som seniorrådgiver med oppstart 1. august.

Mvh
Nav""",
    ),
    (
        "nb",
        "offer",
        "Velkommen!",
        """Hei Kari! Så gøy, du har fått jobben! Kontrakten kommer på e-post i dag.

Siri""",
    ),
    (
        "nb",
        "information_request",
        "Politiattest",
        """Hei Kari,

Før vi kan gå videre trenger vi en politiattest fra deg. Kan du bestille den og sende den til oss?

Siri""",
    ),
    (
        "nb",
        "information_request",
        "Opplysninger",
        """Hei,

Vennligst oppgi to referanser og nåværende lønn.

Mvh
Nav""",
    ),
    (
        "de",
        "rejection",
        "Deine Bewerbung",
        """Hallo Kari,

vielen Dank für dein Interesse. Leider passt dein Profil aktuell nicht zu unseren Anforderungen.

Beste Grüße
Tim""",
    ),
    (
        "de",
        "rejection",
        "Stellenbesetzung",
        """Sehr geehrte Frau Nordmann,

wir haben uns entschieden, die Position mit einer internen Kandidatin zu besetzen. Wir bedauern,
Ihnen keine positivere Nachricht geben zu können.

Mit freundlichen Grüßen
Landesamt""",
    ),
    (
        "de",
        "interview",
        "Vorstellungstermin",
        """Hallo Kari,

wir möchten dich gern zu einem zweiten Gespräch mit unserem CTO einladen. Hast du am Freitag um 14
Uhr Zeit?

Beste Grüße
Tim""",
    ),
    (
        "de",
        "interview",
        "Ihre Bewerbung",
        """Sehr geehrte Frau Nordmann,

gerne möchten wir Sie persönlich kennenlernen und bitten Sie, uns zwei Terminvorschläge zu nennen.

Mit freundlichen Grüßen
Landesamt""",
    ),
    (
        "de",
        "offer",
        "Zusage",
        """Hallo Kari,

wir freuen uns, dir mitteilen zu können, dass wir dich einstellen möchten! Den Vertrag bekommst du
diese Woche.

Tim""",
    ),
    (
        "de",
        "offer",
        "Einstellung",
        """Sehr geehrte Frau Nordmann,

wir freuen uns, Ihnen mitteilen zu dürfen, dass Ihre Einstellung zum 1. Oktober genehmigt wurde. Den
Arbeitsvertrag erhalten Sie separat.

Mit freundlichen Grüßen
Landesamt""",
    ),
    (
        "de",
        "information_request",
        "Unterlagen",
        """Hallo Kari,

kannst du uns bitte noch deine Zeugnisse schicken?

Tim""",
    ),
    (
        "de",
        "information_request",
        "Rückfrage",
        """Sehr geehrte Frau Nordmann,

für die weitere Bearbeitung bitten wir um Angabe Ihrer Gehaltsvorstellung und Ihres frühestmöglichen
Eintrittstermins.

Mit freundlichen Grüßen
Landesamt""",
    ),
    (
        "el",
        "rejection",
        "Ενημέρωση",
        """Γεια σας Kari,

Ευχαριστούμε για την αίτηση. Δυστυχώς το προφίλ σας δεν ταιριάζει με τις τρέχουσες ανάγκες μας.

Ελένη""",
    ),
    (
        "el",
        "rejection",
        "Αποτελέσματα",
        """Αξιότιμη κυρία Nordmann,

Σας ενημερώνουμε ότι η επιτροπή επέλεξε άλλη υποψήφια για τη θέση.

Με εκτίμηση,
Δήμος""",
    ),
    (
        "el",
        "interview",
        "Συνέντευξη",
        """Γεια σας Kari,

Θα θέλαμε να κανονίσουμε μια συνέντευξη μαζί σας. Σας βολεύει την Πέμπτη στις 10:30;

Ελένη""",
    ),
    (
        "el",
        "interview",
        "Δεύτερη φάση",
        """Αξιότιμη κυρία Nordmann,

Περάσατε στη δεύτερη φάση της διαδικασίας επιλογής. Η συνέντευξη θα γίνει μέσω Webex.

Με εκτίμηση,
Δήμος""",
    ),
    (
        "el",
        "offer",
        "Πρόταση",
        """Γεια σας Kari,

Είμαστε στην ευχάριστη θέση να σας ανακοινώσουμε ότι επιλεγήκατε για τη θέση! Θα λάβετε σύντομα τη
σύμβαση.

Ελένη""",
    ),
    (
        "el",
        "offer",
        "Πρόσληψη",
        """Αξιότιμη κυρία Nordmann,

Σας ενημερώνουμε ότι εγκρίθηκε η πρόσληψή σας στη θέση του αναλυτή με έναρξη την 1η Σεπτεμβρίου.

Με εκτίμηση,
Δήμος""",
    ),
    (
        "el",
        "information_request",
        "Έγγραφα",
        """Γεια σας Kari,

Χρειάζομαι το πιστοποιητικό αγγλικών σας. Μπορείτε να το ανεβάσετε στην πλατφόρμα;

Ελένη""",
    ),
    (
        "el",
        "information_request",
        "Στοιχεία",
        """Αξιότιμη κυρία Nordmann,

Παρακαλούμε να μας αποστείλετε υπεύθυνη δήλωση και αντίγραφο ταυτότητας.

Με εκτίμηση,
Δήμος""",
    ),
]

# Written after the second round and first run unseen: 24 of 30 right, the 6 misses all "other".
HELD_OUT_3: list[tuple[str, str, str, str]] = [
    (
        "en",
        "rejection",
        "Re: Application - Marketing Lead",
        """Hello Kari,

Thank you for your patience during our process. We have now completed our interviews and, on this
occasion, we will not be offering you the role.

We'd be happy to hear from you again in the future.

Best,
Ruth""",
    ),
    (
        "en",
        "interview",
        "Chat next week?",
        """Hey Kari,

Your portfolio caught our eye. Could we set up a 20-minute intro call next week? Let me know which
days work best.

Dev""",
    ),
    (
        "en",
        "offer",
        "Formal offer attached",
        """Dear Kari,

Further to our phone call this morning, please find attached your formal offer for the Marketing
Lead role, including your remuneration package.

Best wishes,
Ruth""",
    ),
    (
        "en",
        "information_request",
        "Right to work check",
        """Hi Kari,

As part of our standard checks, please provide proof of your right to work in the UK before your
interview on Friday.

Thanks,
Dev""",
    ),
    (
        "en",
        "other",
        "Application received",
        """Dear Kari,

This is to confirm that we have received your application for Marketing Lead. Due to the high volume
of applications, we will only contact shortlisted candidates.

Ruth""",
    ),
    (
        "en",
        "rejection",
        "Outcome of your assessment",
        """Hi Kari,

Thank you for completing the coding assessment. Sadly, your results did not meet the threshold
needed to progress.

Dev""",
    ),
    (
        "nl",
        "rejection",
        "Je sollicitatie",
        """Hoi Kari,

Na het tweede gesprek hebben we toch voor een andere kandidaat gekozen. We vonden het echt een
lastige keuze.

Groet,
Bram""",
    ),
    (
        "nl",
        "interview",
        "Uitnodiging",
        """Beste Kari,

Graag zouden we je uitnodigen voor een gesprek met het team op vrijdag 14 juni om 15.00 uur. Laat je
weten of dat lukt?

Groet,
Bram""",
    ),
    (
        "nl",
        "offer",
        "Voorstel",
        """Beste Kari,

We zijn heel blij je te kunnen laten weten dat we je graag willen aannemen. Bijgaand het voorstel
met de arbeidsvoorwaarden.

Groet,
Bram""",
    ),
    (
        "nl",
        "information_request",
        "Vraagje",
        """Hoi Kari,

Kun je me je huidige salaris en je opzegtermijn doorgeven?

Bram""",
    ),
    (
        "nl",
        "other",
        "Automatisch antwoord",
        """Dank voor je bericht. Ik ben tot en met 20 juni afwezig en heb beperkt toegang tot mijn e-mail.

Bram""",
    ),
    (
        "nl",
        "rejection",
        "Terugkoppeling",
        """Beste Kari,

We hebben je sollicitatie met interesse gelezen, maar we gaan helaas niet met je verder.

Groet,
HR""",
    ),
    (
        "nb",
        "rejection",
        "Søknaden din",
        """Hei Kari,

Takk for interessen. Vi har nå ansatt en kandidat til stillingen, og søknaden din er derfor ikke
lenger aktuell.

Hilsen
Tone""",
    ),
    (
        "nb",
        "interview",
        "Intervju neste uke",
        """Hei Kari,

Vi vil gjerne invitere deg til intervju neste uke. Har du anledning tirsdag kl. 10?

Hilsen
Tone""",
    ),
    (
        "nb",
        "offer",
        "Tilbud om ansettelse",
        """Hei Kari,

Vi har gleden av å gi deg et tilbud om ansettelse som designer. Vedlagt ligger tilbudsbrevet.

Hilsen
Tone""",
    ),
    (
        "nb",
        "information_request",
        "Vitnemål",
        """Hei Kari,

Kan du sende oss en kopi av vitnemålet ditt?

Hilsen
Tone""",
    ),
    (
        "nb",
        "other",
        "Kvittering",
        """Hei Kari,

Vi bekrefter at vi har mottatt søknaden din. Søknadsfristen er 30. juni.

Tone""",
    ),
    (
        "nb",
        "rejection",
        "Avslag",
        """Hei Kari,

Vi har vurdert søknaden din, men har dessverre ikke mulighet til å gå videre med den.

Tone""",
    ),
    (
        "de",
        "rejection",
        "Ihre Bewerbung",
        """Sehr geehrte Frau Nordmann,

wir danken Ihnen für Ihre Bewerbung. Nach eingehender Prüfung haben wir uns für andere Bewerberinnen
und Bewerber entschieden.

Mit freundlichen Grüßen
HR""",
    ),
    (
        "de",
        "interview",
        "Gesprächstermin",
        """Hallo Kari,

wir würden gerne einen Termin für ein Video-Interview mit dir vereinbaren. Welche Tage passen dir
nächste Woche?

Grüße
Felix""",
    ),
    (
        "de",
        "offer",
        "Unser Angebot",
        """Hallo Kari,

wir möchten dir gerne die Stelle als UX-Designerin anbieten! Das schriftliche Angebot mit Gehalt und
Startdatum schicke ich dir heute noch.

Grüße
Felix""",
    ),
    (
        "de",
        "information_request",
        "Nachfrage",
        """Sehr geehrte Frau Nordmann,

bitte reichen Sie noch Ihren Lebenslauf in deutscher Sprache nach.

Mit freundlichen Grüßen
HR""",
    ),
    (
        "de",
        "other",
        "Abwesenheitsnotiz",
        """Vielen Dank für Ihre Nachricht. Ich bin bis zum 21.06. nicht im Büro. Ihre E-Mail wird nicht
weitergeleitet.

Felix""",
    ),
    (
        "de",
        "rejection",
        "Feedback",
        """Hallo Kari,

leider haben wir uns nach reiflicher Überlegung entschieden, dich nicht in die nächste Runde
einzuladen.

Grüße
Felix""",
    ),
    (
        "el",
        "rejection",
        "Απάντηση στην αίτησή σας",
        """Αγαπητή Kari,

Μετά από προσεκτική εξέταση, αποφασίσαμε να μην προχωρήσουμε με την αίτησή σας.

Με εκτίμηση,
Κατερίνα""",
    ),
    (
        "el",
        "interview",
        "Ραντεβού",
        """Γεια σας Kari,

Θα θέλαμε να σας δούμε για μια συνέντευξη. Μπορείτε την Δευτέρα στις 9:00;

Κατερίνα""",
    ),
    (
        "el",
        "offer",
        "Πρόταση εργασίας",
        """Αγαπητή Kari,

Με χαρά σας προσφέρουμε θέση εργασίας στην ομάδα μας. Θα βρείτε συνημμένη τη σύμβαση.

Κατερίνα""",
    ),
    (
        "el",
        "information_request",
        "Συμπλήρωση φακέλου",
        """Αγαπητή Kari,

Παρακαλούμε συμπληρώστε τη φόρμα στοιχείων και επιστρέψτε την υπογεγραμμένη.

Κατερίνα""",
    ),
    (
        "el",
        "other",
        "Αυτόματη απάντηση",
        """Σας ευχαριστούμε για το μήνυμά σας. Είμαι εκτός γραφείου έως τις 20 Ιουνίου.

Κατερίνα""",
    ),
    (
        "el",
        "rejection",
        "Η υποψηφιότητά σας",
        """Γεια σας Kari,

Δυστυχώς αυτή τη φορά δεν θα συνεχίσουμε μαζί σας στη διαδικασία.

Κατερίνα""",
    ),
]
