"""HTML for the letter pages that templates cannot build alone: word-level diffs and inline marks.
Everything from the user or the model is escaped here; only our own <ins>, <del> and <mark> are not."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308  (every piece of text above went through escape())


def marked_text(text: str, unsupported: Sequence[str], flagged: Sequence[str]) -> SafeString:
    """The letter with unsupported sentences marked, and flagged details marked inside them or anywhere."""
    spans: list[tuple[int, int]] = []
    for sentence in unsupported:
        # The checks joined a paragraph's lines with spaces; find the sentence across line breaks.
        pattern = r"\s+".join(re.escape(word) for word in sentence.split())
        spans.extend(match.span() for match in re.finditer(pattern, text))
    spans.sort(key=lambda span: (span[0], -span[1]))
    title = escape(_("Not found in your materials"))
    out: list[str] = []
    position = 0
    for start, end in spans:
        if start < position:
            continue  # the same sentence twice: marked once
        out.append(_flag_marks(text[position:start], flagged))
        out.append(
            f'<mark class="mark-unsupported" title="{title}">{_flag_marks(text[start:end], flagged)}</mark>'
        )
        position = end
    out.append(_flag_marks(text[position:], flagged))
    return mark_safe("".join(out))  # noqa: S308  (text went through escape(); the classes are ours)


def _flag_marks(text: str, flagged: Sequence[str]) -> str:
    values = sorted({value for value in flagged if value}, key=len, reverse=True)
    if not values:
        return str(escape(text))
    title = escape(_("Not in your materials or the posting"))
    pattern = re.compile("|".join(re.escape(value) for value in values))
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f'<mark class="mark-flagged" title="{title}">{escape(match.group(0))}</mark>')
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)
