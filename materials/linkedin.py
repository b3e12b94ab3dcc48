"""A LinkedIn data export ("Get a copy of your data"), read as CV material.

We never log in to LinkedIn, scrape it or call its API: the member downloads their own zip and uploads it.
The zip is hostile input until proven otherwise, so it passes the same container checks as a DOCX
(`open_zip`: entry count, declared sizes, ratio, path names) and only the career files below are ever
inflated, each through a bounded reader. Everything else in it (messages, connections, invitations, ads and
search data) is counted, never opened, and nothing of it is stored, logged or audited.

The CSV column headers are English in every export we know of, whatever the profile's language; the values
are in the member's own language, and so are the dates ("Jan 2021", "mrt. 2021", "Mär 2021", "mai 2021").
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from materials.extraction.archive import open_zip, read_entry
from materials.extraction.core import ExtractionError
from omoikane.errors import Refused

# A career file is a few kilobytes; a long profile's Positions.csv stays far below this.
CSV_MAX_BYTES = 2 * 1024**2
# More rows than any real profile has in one section; beyond it the rest is left out, not guessed at.
MAX_ROWS_PER_FILE = 500


@dataclass(frozen=True)
class Section:
    key: str
    file: str
    heading: str
    # (column, role) pairs read from the file; every other column is left unread.
    columns: tuple[str, ...]


# The order is the order of the CV we write.
SECTIONS = (
    Section("profile", "Profile.csv", "", ("First Name", "Last Name", "Headline", "Summary", "Geo Location")),
    Section(
        "positions",
        "Positions.csv",
        "Experience",
        ("Title", "Company Name", "Location", "Started On", "Finished On", "Description"),
    ),
    Section(
        "education",
        "Education.csv",
        "Education",
        ("School Name", "Degree Name", "Start Date", "End Date", "Notes", "Activities"),
    ),
    Section("skills", "Skills.csv", "Skills", ("Name",)),
    Section("languages", "Languages.csv", "Languages", ("Name", "Proficiency")),
    Section(
        "certifications",
        "Certifications.csv",
        "Certifications",
        ("Name", "Authority", "Started On", "Finished On"),
    ),
    Section("projects", "Projects.csv", "Projects", ("Title", "Started On", "Finished On", "Description")),
    Section("honors", "Honors.csv", "Honours and awards", ("Title", "Issued On", "Description")),
    Section(
        "volunteering",
        "Volunteering.csv",
        "Volunteering",
        ("Role", "Company Name", "Cause", "Started On", "Finished On", "Description"),
    ),
    Section("courses", "Courses.csv", "Courses", ("Name", "Number")),
)
_BY_FILE = {section.file.lower(): section for section in SECTIONS}

# Month names and abbreviations as LinkedIn writes them in English, Dutch, German and Norwegian exports
# (with or without the trailing dot); French and Spanish come along because they cost one line each.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january januari januar janv enero ene janvier",
        "feb february februari februar fév févr febrero février",
        "mar march maart märz mär mrt mars marzo",
        "apr april avr avril abril",
        "may mai mei maj mayo",
        "jun june juni juin junio",
        "jul july juli juil juillet julio",
        "aug august augustus augusti août ago agosto",
        "sep sept september septembre septiembre",
        "oct october okt oktober octobre octubre",
        "nov november novembre noviembre",
        "dec december dez dezember des desember déc décembre dic diciembre",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_DATE = re.compile(r"^\s*(?:(?P<month>[^\W\d_]+)\.?\s+)?(?P<year>\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})(?:-\d{1,2})?\s*$")


def normalise_date(value: str) -> str:
    """ "Jan 2021", "mrt. 2021", "2021-03-01" → "2021-03"; a bare year stays; anything else as given."""
    value = value.strip()
    if match := _ISO_DATE.match(value):
        return f"{match['year']}-{int(match['month']):02d}"
    if match := _DATE.match(value):
        if match["month"] is None:
            return match["year"]
        month = _MONTHS.get(match["month"].lower().rstrip("."))
        if month is not None:
            return f"{match['year']}-{month:02d}"
    return value


@dataclass
class ImportedField:
    """One value we read, and where it came from: the file, the row (1 = first data row) and the column."""

    section: str
    file: str
    row: int
    column: str
    value: str

    def as_json(self) -> dict[str, object]:
        return {
            "section": self.section,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
        }


@dataclass
class LinkedInExport:
    fields: list[ImportedField] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    # Only a count: the names of a member's other files are theirs, not ours to keep.
    files_left_out: int = 0
    text: str = ""


def _not_linkedin() -> Refused:
    return Refused(
        "not_linkedin",
        _(
            "This zip is not a LinkedIn data export: it has no Profile.csv or Positions.csv. On LinkedIn, "
            "choose Settings → Data privacy → Get a copy of your data, and upload the zip you receive."
        ),
    )


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractionError("text_encoding") from None


def _rows(text: str, wanted: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV as {column: value} for the wanted columns, after any "Notes:" preamble.

    The header is the first row naming at least one wanted column: older exports start some files with a
    notes paragraph (itself a quoted, multi-line CSV field) before it. Columns an export version lacks
    read as empty.
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ExtractionError("corrupt") from None
    wanted_set = set(wanted)
    starts = [at for at, record in enumerate(records) if wanted_set & {cell.strip() for cell in record}]
    if not starts:
        return []
    index = starts[0]
    header = [cell.strip() for cell in records[index]]
    position = {name: header.index(name) for name in wanted if name in header}
    rows: list[dict[str, str]] = []
    for record in records[index + 1 : index + 1 + MAX_ROWS_PER_FILE]:
        if not any(cell.strip() for cell in record):
            continue
        rows.append({name: (record[at].strip() if at < len(record) else "") for name, at in position.items()})
    return rows


def read_export(data: bytes) -> LinkedInExport:
    """The career sections of an export zip, with each value's provenance, and the Markdown CV they make."""
    archive = open_zip(data)
    career: dict[str, tuple[Section, bytes]] = {}
    result = LinkedInExport()
    for info in archive.infolist():
        if info.is_dir():
            continue
        # Exports put their files at the top, or in one folder named after the export.
        parts = info.filename.replace("\\", "/").split("/")
        section = _BY_FILE.get(parts[-1].lower()) if len(parts) <= 2 else None
        if section is None or section.key in career:
            result.files_left_out += 1
            continue
        career[section.key] = (section, read_entry(archive, info, CSV_MAX_BYTES))
    if "profile" not in career and "positions" not in career:
        raise _not_linkedin()
    for section in SECTIONS:
        if section.key not in career:
            continue
        result.files_read.append(section.file)
        for number, row in enumerate(_rows(_decode(career[section.key][1]), section.columns), start=1):
            for column in section.columns:
                value = row.get(column, "")
                if "Date" in column or column.endswith(" On"):
                    value = normalise_date(value)
                if value:
                    result.fields.append(ImportedField(section.key, section.file, number, column, value))
    result.text = markdown_from(result.fields)
    if not result.text.strip():
        raise Refused(
            "empty",
            _("This LinkedIn export has no profile, positions or other career details we could read."),
        )
    return result


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _span(row: dict[str, str], start: str, end: str) -> str:
    begin, finish = row.get(start, ""), row.get(end, "")
    if begin and finish:
        return f"{begin} – {finish}"
    if begin:
        return f"{begin} –"  # still going; no word, so no language
    return finish


def markdown_from(fields: list[ImportedField]) -> str:
    """The CV in the shape of an uploaded one: a heading per section, a heading per role, a bullet per line.

    Headings are English: they name LinkedIn's sections, and the language detector reads the values.
    """
    rows: dict[str, dict[int, dict[str, str]]] = {}
    for item in fields:
        rows.setdefault(item.section, {}).setdefault(item.row, {})[item.column] = item.value
    lines: list[str] = []
    for profile in rows.get("profile", {}).values():
        name = _one_line(f"{profile.get('First Name', '')} {profile.get('Last Name', '')}")
        lines.append(f"# {name or 'LinkedIn profile'}")
        tagline = " · ".join(
            _one_line(profile[key]) for key in ("Headline", "Geo Location") if profile.get(key)
        )
        if tagline:
            lines.append(tagline)
        if profile.get("Summary"):
            lines += ["", "## Summary", profile["Summary"].strip()]
        break
    for section in SECTIONS[1:]:
        entries = list(rows.get(section.key, {}).values())
        if not entries:
            continue
        lines += ["", f"## {section.heading}"]
        if section.key in ("skills", "courses", "languages"):
            for row in entries:
                extra = row.get("Proficiency") or row.get("Number") or ""
                lines.append(
                    f"- {_one_line(row.get('Name', ''))}" + (f" ({_one_line(extra)})" if extra else "")
                )
            continue
        for row in entries:
            title = row.get("Title") or row.get("Role") or row.get("Degree Name") or row.get("Name") or ""
            where = (
                row.get("Company Name")
                or row.get("School Name")
                or row.get("Authority")
                or row.get("Cause")
                or ""
            )
            when = _span(row, "Started On", "Finished On") or _span(row, "Start Date", "End Date")
            when = when or row.get("Issued On", "")
            heading = " — ".join(_one_line(part) for part in (title, where) if part)
            if when:
                heading += f" ({when})"
            if row.get("Location"):
                heading += f" · {_one_line(row['Location'])}"
            lines.append(f"### {heading}")
            for column in ("Description", "Notes", "Activities"):
                for line in row.get(column, "").splitlines():
                    line = line.strip().lstrip("•*-– ").strip()
                    if line:
                        lines.append(f"- {line}")
    return "\n".join(lines).strip() + "\n"
