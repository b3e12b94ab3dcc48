"""LinkedIn data export zips as LinkedIn writes them, made here so the tests show every quirk they cover."""

from __future__ import annotations

import csv
import io
import zipfile

NOTES = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are '
    'missing.\nThis is a preamble line LinkedIn adds to some files."\n\n'
)


def csv_file(header: list[str], rows: list[list[str]], *, bom: bool = True, notes: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = (NOTES if notes else "") + out.getvalue()
    return ("\ufeff" if bom else "").encode() + text.encode()


def profile(
    first: str = "Alice",
    last: str = "Andersen",
    headline: str = "Backend engineer",
    summary: str = "",
    location: str = "Oslo, Norway",
) -> bytes:
    return csv_file(
        [
            "First Name",
            "Last Name",
            "Maiden Name",
            "Address",
            "Birth Date",
            "Headline",
            "Summary",
            "Industry",
            "Zip Code",
            "Geo Location",
            "Twitter Handles",
            "Websites",
            "Instant Messengers",
        ],
        [
            [
                first,
                last,
                "",
                "Storgata 1, 0155 Oslo",
                "Mar 3, 1990",
                headline,
                summary,
                "Software",
                "0155",
                location,
                "",
                "",
                "",
            ]
        ],
    )


def positions(rows: list[tuple[str, str, str, str, str]]) -> bytes:
    """rows: (company, title, description, started on, finished on)."""
    return csv_file(
        ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
        [
            [company, title, description, "Oslo", started, finished]
            for company, title, description, started, finished in rows
        ],
    )


def export_zip(files: dict[str, bytes], *, folder: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(folder + name, content)
    return out.getvalue()


# Messages and connections: their contents must never reach the database, the logs or the audit trail.
SECRET_MESSAGE = "CANARY-private-message-to-recruiter"
UNRELATED = {
    "messages.csv": csv_file(["FROM", "TO", "CONTENT"], [["Bob", "Alice", SECRET_MESSAGE]]),
    "Connections.csv": csv_file(
        ["First Name", "Last Name", "Email Address"], [["Bob", "Berg", "bob@example.com"]], notes=True
    ),
    "Invitations.csv": csv_file(["From", "To", "Message"], [["Carol", "Alice", SECRET_MESSAGE]]),
    "Ad_Targeting.csv": csv_file(["Member Age"], [["25 to 34"]]),
    "SearchQueries.csv": csv_file(["Time", "Search Query"], [["2024", SECRET_MESSAGE]]),
}


def english_export(*, extra: dict[str, bytes] | None = None) -> bytes:
    files = {
        "Profile.csv": profile(summary="I build payment systems.\nSeven years of Python and PostgreSQL."),
        "Positions.csv": positions(
            [
                (
                    "Fjordpay AS",
                    "Senior Backend Engineer",
                    "Rebuilt the card-settlement pipeline in Python and Django.\n"
                    "Designed the PostgreSQL schema for 400 million ledger rows.",
                    "Jan 2021",
                    "",
                ),
                ("Nordbank", "Backend Engineer", "Built the payments API in Django.", "Aug 2017", "Dec 2020"),
            ]
        ),
        "Education.csv": csv_file(
            ["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"],
            [["University of Oslo", "2012", "2017", "", "MSc Informatics", ""]],
        ),
        "Skills.csv": csv_file(["Name"], [["Python"], ["Django"], ["PostgreSQL"]]),
        "Languages.csv": csv_file(
            ["Name", "Proficiency"], [["Norwegian", "Native or bilingual proficiency"]]
        ),
        "Certifications.csv": csv_file(
            ["Name", "Url", "Authority", "Started On", "Finished On", "License Number"],
            [
                [
                    "AWS Solutions Architect",
                    "https://example.com/c",
                    "Amazon Web Services",
                    "Mar 2022",
                    "",
                    "X1",
                ]
            ],
        ),
        "Projects.csv": csv_file(
            ["Title", "Description", "Url", "Started On", "Finished On"],
            [["Ledger migration", "Moved 400 million rows without downtime.", "", "Feb 2023", "Jun 2023"]],
        ),
        "Honors.csv": csv_file(
            ["Title", "Description", "Issued On"], [["Engineer of the year", "", "Dec 2022"]]
        ),
        "Volunteering.csv": csv_file(
            ["Company Name", "Role", "Cause", "Started On", "Finished On", "Description"],
            [["Code Club Oslo", "Mentor", "Education", "Sep 2019", "", "Taught children Python."]],
        ),
        "Courses.csv": csv_file(["Name", "Number"], [["Distributed systems", "INF5040"]]),
    }
    files.update(extra or {})
    return export_zip(files)
