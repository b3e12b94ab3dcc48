"""HTML for the letter pages that templates cannot build alone: word-level diffs and inline marks.
Everything from the user or the model is escaped here; only our own <ins>, <del> and <mark> are not."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


# A sentence ends at . ! ? or … (with closing quotes or brackets), or at a line break; its trailing space
# belongs to it, so the pieces joined give the text back.
_SENTENCE_RE = re.compile(r"[^\n.!?…]*(?:[.!?…]+[\"'”’)\]]*|(?=\n)|$)[^\S\n]*\n*")
# Two sentences this alike are one sentence edited: shown with its changed words marked. Less alike,
# they are one sentence removed and another added.
_SAME_SENTENCE = 0.5


def _sentences(text: str) -> list[str]:
    return [piece for piece in _SENTENCE_RE.findall(text) if piece]


def _removed(text: str) -> str:
    # Struck through and tinted for the eye; the hidden words say it to a screen reader, which ignores <del>.
    return f'<del><span class="visually-hidden">{escape(_("Removed:"))} </span>{escape(text)}</del>'


def _added(text: str) -> str:
    return f'<ins><span class="visually-hidden">{escape(_("Added:"))} </span>{escape(text)}</ins>'


def _changed_words(old: str, new: str) -> str:
    """One edited sentence: its changed runs of words, each run removed whole and then added whole."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # A run of changed words separated only by spaces is one change ("describe how" → "have spent"), not
    # alternating single words: merge the spaces between two changes into them.
    merged: list[tuple[str, int, int, int, int]] = []
    for op, i1, i2, j1, j2 in opcodes:
        gap = op == "equal" and not "".join(a[i1:i2]).strip()
        if merged and merged[-1][0] != "equal" and (op != "equal" or gap):
            _op, start_a, _end_a, start_b, _end_b = merged[-1]
            merged[-1] = ("replace", start_a, i2, start_b, j2)
            continue
        merged.append((op, i1, i2, j1, j2))
    out: list[str] = []
    for kind, i1, i2, j1, j2 in merged:
        if kind == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        # A space trailing the change stays outside the marks, between the removed and the added words.
        trail = added[len(added.rstrip()) :] if added.strip() else removed[len(removed.rstrip()) :]
        removed, added = (
            removed.rstrip() if removed.strip() else removed,
            added.rstrip() if added.strip() else added,
        )
        if removed.strip():
            out.append(_removed(removed))
        if removed.strip() and added.strip():
            out.append(" ")
        if added.strip():
            out.append(_added(added))
        out.append(escape(trail))
    return "".join(out)


def word_diff(old: str, new: str) -> SafeString:
    """`new` against `old`, sentence by sentence: an unchanged sentence as it is, an edited one with its
    changed words marked, a sentence that went or came marked whole. Marks are <del> and <ins> with words
    for screen readers, so the page reads without colour."""
    a, b = _sentences(old), _sentences(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, [x.strip() for x in a], [x.strip() for x in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        out.extend(_edited_block(a[i1:i2], b[j1:j2]))
    return mark_safe("".join(out))  # noqa: S308  (every piece of text above went through escape())


def _edited_block(olds: list[str], news: list[str]) -> list[str]:
    """Sentences that differ between two equal stretches: each old one paired with the new one most alike
    (if alike enough to be its edit); the new ones passed over were added, an old one without a match was
    removed."""
    out: list[str] = []
    position = 0
    for before in olds:
        # The most alike of the new sentences still unpaired, so a sentence pairs with its own edit rather
        # than with the first one that happens to share enough words.
        ratios = [
            (difflib.SequenceMatcher(None, before, news[index]).ratio(), index)
            for index in range(position, len(news))
        ]
        best = max(ratios, default=(0.0, -1))
        match = best[1] if best[0] >= _SAME_SENTENCE else None
        if match is None:
            out.append(_whole(before, _removed))
            continue
        out.extend(_whole(after, _added) for after in news[position:match])
        out.append(f'<span class="diff-sentence">{_changed_words(before, news[match])}</span>')
        position = match + 1
    out.extend(_whole(after, _added) for after in news[position:])
    return out


def _whole(sentence: str, mark: Callable[[str], str]) -> str:
    """A sentence removed or added whole; the space or line breaks after it stay outside the mark (a space
    even at the end, so the next mark never touches it)."""
    body = sentence.rstrip()
    space = sentence[len(body) :]
    if not body:
        return escape(space)
    return mark(body) + escape(space if "\n" in space else " ")


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
