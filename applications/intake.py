"""What comes in from outside (a posting's page or text, an employer's email) turned into our records.

The readers live in applications/importing and applications/replies; this module only maps their results
onto what the actions take. Their refusals (ImportRefused, ReplyRefused) pass through as they are: each is
a Refused with the code and the message for the user.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from applications.actions import PostingData
from applications.importing.fetch import Fetched, fetch
from applications.importing.parse import ParsedPosting, read_fetched, read_pasted, read_posting
from applications.models import EmploymentType, Reply
from applications.replies.classify import classify
from applications.replies.parse import ParsedReply, parse_eml, parse_pasted
from omoikane.errors import Refused

_NO_TEXT = _("We found no posting text there. Paste the text of the posting instead.")


def _posting(parsed: ParsedPosting) -> PostingData:
    text = parsed.description_text.strip()
    if not text:
        raise Refused("empty", _NO_TEXT)
    return PostingData(
        title=parsed.title.strip() or text.splitlines()[0][:300],
        posting_text=text,
        company=parsed.company,
        location=parsed.location,
        language=parsed.language,
        deadline=parsed.deadline,
        posted_on=parsed.posted_on,
        source_url=parsed.source_url,
        employment_type=EmploymentType(parsed.employment_type.value) if parsed.employment_type else "",
        found_in=parsed.found_in,
    )


def posting_from_url(url: str, *, fetch_page: Callable[[str], Fetched] = fetch) -> PostingData:
    """The posting at `url`; `fetch_page` is fetch() unless a test serves the page on its own address."""
    return _posting(read_fetched(fetch_page(url)))


def posting_from_page(html: str, url: str) -> PostingData:
    """A posting from a page's HTML that is at hand already (a saved page, an evaluation folder)."""
    return _posting(read_posting(html, url))


def posting_from_text(text: str) -> PostingData:
    return _posting(read_pasted(text))


def _reply(parsed: ParsedReply) -> Reply:
    found = classify(parsed.subject, parsed.body_text, language=parsed.language)
    return Reply(
        sender=parsed.sender[:300],
        sender_email=parsed.sender_email[:320],
        sent_at=parsed.sent_at,
        subject=parsed.subject[:500],
        body_text=parsed.body_text,
        body_html_safe=parsed.body_html_safe,
        full_text=parsed.full_text,
        language=parsed.language,
        attachments=[{"name": name, "size": size} for name, size in parsed.attachments],
        suggested_kind=str(Reply.Kind.OTHER if found.ask else found.kind),
        cues=[] if found.ask else list(found.cues),
        ask=found.ask,
    )


def reply_from_eml(data: bytes) -> Reply:
    return _reply(parse_eml(data))


def reply_from_text(text: str) -> Reply:
    return _reply(parse_pasted(text))
