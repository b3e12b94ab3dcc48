"""Mail HTML, which is untrusted: made safe to show (`sanitize_html`), read as plain text (`html_to_text`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from applications.replies.text import normalize_text

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TABLES = frozenset({"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"})
# Formatting a reader needs and nothing more. Every other tag is unwrapped: its text stays, the tag goes.
SAFE_TAGS = frozenset(
    {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote", "a"} | _HEADINGS | _TABLES
)
# Removed together with everything inside them. Scripts and styles are code; frames, objects, embeds,
# forms and media pull in or send out content; images are left out because a remote image in a mail is
# how senders learn when and where it was opened (a tracking pixel). Unwrapping these instead would put
# a script's source or a form's hidden values on screen as text.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "img",
        "picture", "svg", "math", "noscript", "noembed", "noframes", "template", "title", "head", "xmp",
        "plaintext", "textarea", "select", "option", "button", "input", "audio", "video", "source",
        "track", "canvas", "map", "area", "link", "meta", "base",
    }
)  # fmt: skip
_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Only href, only on links, only absolute http, https and mailto URLs: ammonia parses the value as a URL
# (entities decoded, tabs and newlines removed as browsers do) before checking its scheme, so
# "jav&#x09;ascript:" is caught. "*": set() also removes the lang and title attributes ammonia allows by
# default. Relative URLs mean nothing in a mail shown on our site, and would point into it: refused.
_SAFE = nh3.Cleaner(
    tags=set(SAFE_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={"*": set(), "a": {"href"}},
    url_schemes=set(_URL_SCHEMES),
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
    url_relative="deny",
)


def sanitize_html(html: str) -> str:
    """HTML that is safe to show with |safe: a few formatting tags, links to http(s) and mailto only.

    No scripts, styles, event handlers, images, frames or forms, with their content; no attribute but href
    on links, which also get rel="noopener noreferrer nofollow".
    """
    # The output is what ammonia's HTML5 parser built, serialised again: a browser reads it the same way.
    # A second pass is cheap and makes sure of it, so that nothing the first pass let through turns into
    # markup when re-parsed (the mutation XSS family).
    return _SAFE.clean(_SAFE.clean(html)).strip()


# For reading as text: the structure-bearing tags survive so the parser below sees paragraphs, quotes and
# links; everything that is not text for a reader goes, as above.
_BLOCKS = frozenset(
    {
        "p", "div", "ul", "ol", "li", "blockquote", "pre", "hr", "dl", "dt", "dd", "address", "section",
        "article", "header", "footer", "center",
    }
    | _HEADINGS
    | _TABLES
)  # fmt: skip
_STRUCTURE = nh3.Cleaner(
    tags=set(_BLOCKS | {"br", "a"}),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={"*": set(), "a": {"href"}},
    url_schemes=set(_URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
    url_relative="deny",
)
# A paragraph break (blank line) after these; a line break after the other blocks.
_PARAGRAPHS = frozenset({"p", "ul", "ol", "blockquote", "table", "pre", "hr"} | _HEADINGS)
_CELLS = frozenset({"td", "th"})
_SPACES_RE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    """The text of a mail's HTML part, with its line structure.

    Quoted parts (blockquote) come out with "> " before each line, as a plain-text mail would quote them,
    so the quote remover treats both alike. A link whose text is not its address keeps the address after
    it ("Join the call <https://meet.example/abc>"): an interview invitation's video link matters.
    """
    reader = _TextReader()
    reader.feed(_STRUCTURE.clean(html))
    reader.close()
    return reader.text()


class _TextReader(HTMLParser):
    """Reads HTML already reduced by _STRUCTURE. Whitespace collapses as a browser would, except in pre."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._pieces: list[str] = []
        self._quote_depth = 0
        self._pre_depth = 0
        self._lists: list[list[int]] = []  # per open list: [is_ordered, items so far]
        self._links: list[tuple[str, int]] = []  # per open link: its href, where its text starts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._end_line(keep_empty=True)
        elif tag == "a":
            href = next((value for name, value in attrs if name == "href" and value), "")
            self._links.append((href, len(self._pieces)))
        elif tag in _CELLS:
            self._pieces.append(" ")
        elif tag in _BLOCKS:
            self._end_block(tag)
            if tag == "blockquote":
                self._quote_depth += 1
            elif tag == "pre":
                self._pre_depth += 1
            elif tag in ("ul", "ol"):
                self._lists.append([int(tag == "ol"), 0])
            elif tag == "li":
                self._pieces.append(self._bullet())

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self._pieces[start:]).strip()
            if href.startswith(("http://", "https://")) and href.rstrip("/") not in label:
                self._pieces.append(f" <{href}>")
        elif tag in _BLOCKS:
            self._end_block(tag)
            if tag == "blockquote":
                self._quote_depth = max(0, self._quote_depth - 1)
            elif tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)
            elif tag in ("ul", "ol") and self._lists:
                self._lists.pop()

    def handle_data(self, data: str) -> None:
        if self._pre_depth:
            first, *rest = data.split("\n")
            self._pieces.append(first)
            for line in rest:
                self._end_line(keep_empty=True)
                self._pieces.append(line)
        else:
            self._pieces.append(_SPACES_RE.sub(" ", data))

    def _bullet(self) -> str:
        if not self._lists:
            return "- "
        self._lists[-1][1] += 1
        ordered, count = self._lists[-1]
        return f"{count}. " if ordered else "- "

    def _end_block(self, tag: str) -> None:
        self._end_line()
        if tag in _PARAGRAPHS:
            self._lines.append(self._prefix())

    def _prefix(self) -> str:
        return "> " * self._quote_depth

    def _end_line(self, *, keep_empty: bool = False) -> None:
        line = "".join(self._pieces)
        line = line if self._pre_depth else _SPACES_RE.sub(" ", line).strip()
        self._pieces = []
        if line or keep_empty:
            self._lines.append(self._prefix() + line)

    def text(self) -> str:
        self._end_line()
        lines = [line.rstrip() for line in self._lines]
        # A quote's blank lines are just ">" after rstrip; as blank lines they would separate nothing.
        lines = ["" if set(line) <= {">", " "} else line for line in lines]
        return normalize_text("\n".join(lines))
