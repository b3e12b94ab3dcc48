"""Reading a job posting (a fetched page, or text the user pasted) into plain-text fields.

Nothing from the page is trusted: every value comes out as plain text (scripts, styles, event handlers
and markup gone), and the description keeps only its structure as light Markdown (`## Heading`,
`- bullet`). Storing and showing the result is the caller's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

import trafilatura
from trafilatura.metadata import extract_metadata

from applications.importing.fetch import Fetched
from applications.importing.structured import (
    Found,
    deref,
    find_job_posting,
    find_job_posting_in_json,
    page_language,
    parse_tree,
)
from applications.importing.text import (
    any_to_text,
    clean_line,
    html_to_blocks,
    html_to_text,
    plain,
    render,
    text_to_text,
)

Source = Literal["json-ld", "microdata", "rdfa", "page", "pasted"]


class EmploymentType(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    TEMPORARY = "temporary"
    INTERNSHIP = "internship"
    VOLUNTEER = "volunteer"
    OTHER = "other"


@dataclass(frozen=True)
class ParsedPosting:
    title: str
    company: str
    location: str
    language: str  # "en", "nl", "nb", "de", "el", or "" (another language, or we could not tell)
    deadline: date | None
    employment_type: EmploymentType | None
    description_text: str
    source_url: str
    remote: bool = False
    found_in: Source = "page"  # where the fields came from: structured data, the page's text, or a paste
    # schema.org's datePosted: the insights compare reply rates by days from posting to sending.
    posted_on: date | None = None


# schema.org's values (FULL_TIME, PER_DIEM...) and the words postings use in our languages, normalised by
# _term: lower case, letters only.
_EMPLOYMENT_TERMS: dict[str, EmploymentType] = {
    **dict.fromkeys(
        ["fulltime", "vollzeit", "heltid", "voltijd", "fulltimejob", "πλήρηςαπασχόληση"],
        EmploymentType.FULL_TIME,
    ),
    **dict.fromkeys(
        ["parttime", "teilzeit", "deltid", "deeltijd", "μερικήαπασχόληση"], EmploymentType.PART_TIME
    ),
    **dict.fromkeys(
        ["contractor", "contract", "freelance", "freelancer", "freiberuflich", "zzp", "frilans"],
        EmploymentType.CONTRACT,
    ),
    **dict.fromkeys(
        ["temporary", "temp", "perdiem", "seasonal", "befristet", "tijdelijk", "vikariat", "midlertidig"],
        EmploymentType.TEMPORARY,
    ),
    **dict.fromkeys(
        ["intern", "internship", "praktikum", "stage", "stagiair", "praksis", "traineeship", "πρακτική"],
        EmploymentType.INTERNSHIP,
    ),
    **dict.fromkeys(["volunteer", "ehrenamt", "vrijwilliger", "frivillig"], EmploymentType.VOLUNTEER),
    "other": EmploymentType.OTHER,
}
_ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# 31.01.2027, 31/01/2027, 31-01-2027: day first, as in every language we speak but American English.
_DMY_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_LETTERS_RE = re.compile(r"[^\w]|[\d_]")

# Labelled lines in pasted text ("Location: Oslo"). Keys are folded by _term.
_COMPANY_LABELS = {
    "company", "employer", "organisation", "organization", "arbeitgeber", "unternehmen", "firma",
    "bedrijf", "werkgever", "organisatie", "arbeidsgiver", "εταιρεία", "εργοδότης",
}  # fmt: skip
_LOCATION_LABELS = {
    "location", "place", "standort", "arbeitsort", "einsatzort", "ort", "locatie", "standplaats",
    "werklocatie", "sted", "arbeidssted", "τοποθεσία",
}  # fmt: skip
_DEADLINE_LABELS = {
    "applyby", "deadline", "closingdate", "applicationdeadline", "bewerbungsfrist", "bewerbungsschluss",
    "sluitingsdatum", "reagerenvoor", "reageervoor", "søknadsfrist", "frist", "προθεσμία",
    "προθεσμίααιτήσεων",
}  # fmt: skip
_TYPE_LABELS = {
    "employmenttype", "jobtype", "type", "anstellungsart", "beschäftigungsart", "dienstverband",
    "stillingstype", "ansettelsesform", "τύποςαπασχόλησης",
}  # fmt: skip
_LABEL_RE = re.compile(r"^([^\W\d_][^:]{0,30}?)\s*:\s*(\S.*)$")
# "Krone Pay · Oslo, Norway · Full-time": the line under a pasted title that job sites print.
_HEADER_SEPARATORS_RE = re.compile(r"\s+[·|•]\s+")
_BULLET_RE = re.compile("^\\s*[•◦▪‣∙●○■►▶➢➤✓✔*·\u2013]\\s+")
_MAX_TITLE = 150


def read_posting(html: str, url: str) -> ParsedPosting:
    """The posting in a web page: from its schema.org JobPosting when it has one, else from its text."""
    tree = parse_tree(html)
    found = find_job_posting(tree, url) if tree is not None else None
    html_language = page_language(tree) if tree is not None else ""
    if found is not None:
        return _from_structured(found, html, url, html_language)
    # A page lxml cannot parse has nothing trafilatura could read either (it would only log errors).
    title = _page_title(html, url) if tree is not None else ""
    description = _main_text(html, title) if tree is not None else ""
    return ParsedPosting(
        title=title,
        # Without structured data the site's name may be a job board's, not the employer's: leave it to
        # the user rather than guess wrong.
        company="",
        location="",
        language=_language("", f"{title}\n{description}", html_language),
        deadline=None,
        employment_type=None,
        description_text=description,
        source_url=url,
        found_in="page",
    )


def read_fetched(fetched: Fetched) -> ParsedPosting:
    """The posting in whatever `fetch` returned: a page, a JSON-LD document or plain text."""
    if fetched.content_type == "application/ld+json":
        found = find_job_posting_in_json(fetched.text)
        if found is not None:
            return _from_structured(found, "", fetched.final_url, "")
        return read_pasted("", source_url=fetched.final_url)
    if fetched.content_type == "text/plain":
        return read_pasted(fetched.text, source_url=fetched.final_url)
    return read_posting(fetched.text, fetched.final_url)


def read_pasted(text: str, *, source_url: str = "") -> ParsedPosting:
    """A posting the user pasted: the first meaningful line is the title; the company, location,
    deadline and type are filled in only when the text says them plainly (a "Company · Place" line under
    the title, or labelled lines such as "Location: Oslo")."""
    lines = _pasted_lines(text)
    title_index = next(
        (
            index
            for index, line in enumerate(lines[:5])
            if sum(ch.isalpha() for ch in line) >= 3 and len(line) <= _MAX_TITLE
        ),
        None,
    )
    title = lines[title_index].lstrip("#").strip() if title_index is not None else ""
    company = location = ""
    deadline: date | None = None
    employment_type: EmploymentType | None = None
    if title_index is not None:
        header = next((line for line in lines[title_index + 1 : title_index + 2] if line), "")
        company, location, employment_type = _header_line(header)
    for line in lines[:40]:
        label = _LABEL_RE.match(line.lstrip("-# "))
        if label is None:
            continue
        name, value = _term(label.group(1)), label.group(2).strip()
        if name in _COMPANY_LABELS:
            company = value
        elif name in _LOCATION_LABELS:
            location = value
        elif name in _DEADLINE_LABELS:
            deadline = _date(value) or deadline
        elif name in _TYPE_LABELS:
            employment_type = _employment_type(value) or employment_type
    body = lines[title_index + 1 :] if title_index is not None else lines
    description = "\n".join(_mark_headings(body)).strip()
    description = re.sub(r"\n{3,}", "\n\n", description)
    return ParsedPosting(
        title=title,
        company=company,
        location=location,
        language=_language("", "\n".join(lines), ""),
        deadline=deadline,
        employment_type=employment_type,
        description_text=description,
        source_url=source_url,
        found_in="pasted",
    )


def _from_structured(found: Found, html: str, url: str, html_language: str) -> ParsedPosting:
    posting, nodes = found.posting, found.nodes
    title = _text(posting.get("title"), nodes) or _text(posting.get("name"), nodes)
    description = html_to_text(found.description_html) if found.description_html else ""
    if not description:
        raw = posting.get("description")
        description = any_to_text(raw) if isinstance(raw, str) else _text(raw, nodes)
    if not description and html:
        description = _main_text(html, title)
    if not title and html:
        title = _page_title(html, url)
    location_types = posting.get("jobLocationType")
    remote = "TELECOMMUTE" in str(location_types).upper()
    return ParsedPosting(
        title=title,
        company=_text(deref(posting.get("hiringOrganization"), nodes), nodes),
        location=_location(posting.get("jobLocation"), nodes),
        language=_language(_text(posting.get("inLanguage"), nodes), f"{title}\n{description}", html_language),
        deadline=_date(_text(posting.get("validThrough"), nodes)),
        posted_on=_date(_text(posting.get("datePosted"), nodes)),
        employment_type=_employment_type(posting.get("employmentType")),
        description_text=description,
        source_url=url,
        remote=remote,
        found_in=found.found_in,
    )


def _main_text(html: str, title: str) -> str:
    """The page's main text (navigation, footers and boilerplate left out), headings and bullets kept."""
    extracted = trafilatura.extract(
        html,
        output_format="html",
        include_formatting=True,
        include_tables=True,
        include_links=False,
        include_images=False,
        include_comments=False,
        favor_recall=True,
    )
    # A page too small or too odd for trafilatura still has text worth reading.
    blocks = html_to_blocks(extracted or html)
    # The page's <h1> is the title we already have; the description starts after it.
    if blocks and blocks[0].kind == "heading" and blocks[0].text.casefold() == title.casefold():
        blocks = blocks[1:]
    return render(blocks)


def _page_title(html: str, url: str) -> str:
    try:
        metadata = extract_metadata(html, default_url=url, extensive=False)
    except Exception:  # a third-party parser on hostile markup: no title is the answer
        return ""
    return plain(metadata.title or "") if metadata is not None else ""


def _text(value: Any, nodes: dict[str, dict[str, Any]]) -> str:
    """One plain-text line from a JSON-LD value: a string, a number, a node's name, the first of a list."""
    value = deref(value, nodes)
    if isinstance(value, list):
        for item in value[:10]:
            text = _text(item, nodes)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        for key in ("name", "@value", "alternateName", "legalName"):
            if key in value and not isinstance(value[key], dict | list):
                return _text(value[key], nodes)
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return plain(str(value))
    return ""


def _location(value: Any, nodes: dict[str, dict[str, Any]]) -> str:
    places = value if isinstance(value, list) else [value]
    found: list[str] = []
    for place in places[:5]:
        place = deref(place, nodes)
        address = deref(place.get("address"), nodes) if isinstance(place, dict) else place
        if isinstance(address, dict):
            locality = _text(address.get("addressLocality"), nodes) or _text(
                address.get("addressRegion"), nodes
            )
            parts = [locality, _text(address.get("addressCountry"), nodes)]
            text = ", ".join(dict.fromkeys(part for part in parts if part))
        else:
            text = _text(address, nodes)
        if not text and isinstance(place, dict):
            text = _text(place.get("name"), nodes)
        if text and text not in found:
            found.append(text)
    return "; ".join(found)


def _date(value: str) -> date | None:
    """The date of "2027-01-31", "2027-01-31T23:59+01:00" or "31.01.2027": the day in the posting's own
    time zone, which is the day the posting means."""
    iso = _ISO_DATE_RE.search(value)
    dmy = _DMY_DATE_RE.search(value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if dmy:
            return date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
    except ValueError:
        return None
    return None


def _term(text: str) -> str:
    return _LETTERS_RE.sub("", text.casefold())


def _employment_type(value: Any) -> EmploymentType | None:
    values = value if isinstance(value, list) else re.split(r"[,/;]| or | and ", str(value or ""))
    for item in values[:10]:
        found = _EMPLOYMENT_TERMS.get(_term(str(item)))
        if found is not None:
            return found
    return None


def _language(declared: str, text: str, html_language: str) -> str:
    """The posting's own inLanguage first; then what the text is written in (many sites print the same
    <html lang> on every page, whatever the posting's language); then <html lang>."""
    # Imported here: the detector loads a language model on first use, which only reading needs.
    from materials.language import SUPPORTED, detect_language

    def code(tag: str) -> str:
        primary = tag.strip().lower().replace("_", "-").split("-")[0]
        primary = "nb" if primary in ("no", "nn", "nb") else primary
        return primary if primary in SUPPORTED else ""

    return code(declared) or detect_language(text) or code(html_language)


def _pasted_lines(text: str) -> list[str]:
    lines = []
    for raw in text_to_text(text).split("\n"):
        line = clean_line(raw)
        bullet = _BULLET_RE.match(line)
        lines.append("- " + line[bullet.end() :] if bullet else line)
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _header_line(line: str) -> tuple[str, str, EmploymentType | None]:
    """Company, location and type from a "Company · Place · Full-time" line; nothing from other lines."""
    parts = [part.strip() for part in _HEADER_SEPARATORS_RE.split(line) if part.strip()]
    if len(parts) < 2:
        return "", "", None
    employment_type = None
    rest: list[str] = []
    for part in parts:
        kind = _employment_type(part)
        if kind is not None:
            employment_type = employment_type or kind
        else:
            rest.append(part)
    company = rest[0] if rest else ""
    # A part with digits is hours or a percentage ("32 uur", "100%"), not a place.
    location = rest[1] if len(rest) > 1 and not any(ch.isdigit() for ch in rest[1]) else ""
    return company, location, employment_type


def _mark_headings(lines: list[str]) -> list[str]:
    """A short line that starts a block and is followed by bullets or a paragraph is a section heading:
    "Requirements" over a list. Marked as `## ` so pasted text reads like an imported page."""
    out: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        starts_block = index == 0 or not lines[index - 1]
        if (
            starts_block
            and line
            and not line.startswith(("- ", "#"))
            and not _HEADER_SEPARATORS_RE.search(line)
            and len(line) <= 60
            and not line.endswith((".", ",", ";"))
            and (following.startswith("- ") or len(following) > 80)
        ):
            out.append("## " + line.rstrip(":"))
        else:
            out.append(line)
    return out
