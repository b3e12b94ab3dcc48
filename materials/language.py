"""Which language a material is in, and the parts of a letter (salutation, body, closing).

Pure functions over text: no database, no network. The language model ships inside the py3langid
package and is loaded once per process.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from omoikane.text import fold

# The languages Omoikane speaks. A text in any other language gets "" and the interface's language.
SUPPORTED = ("en", "nl", "nb", "de", "el")
# The detector chooses among these. Neighbours of the supported languages (Danish and Swedish beside
# Norwegian, Afrikaans and Frisian beside Dutch, Luxembourgish beside German) are kept as candidates
# so that a Danish text is called Danish, and so "", rather than forced into Norwegian.
_CANDIDATES = (
    "en", "nl", "no", "nn", "de", "el", "da", "sv", "is", "af", "fy", "lb", "fr", "es", "it", "pt", "pl",
    "fi", "et", "lt", "lv", "cs", "sk", "sl", "hr", "hu", "ro", "tr", "ru", "uk", "bg", "ar", "he", "zh",
    "ja", "ko",
)  # fmt: skip
# Below this probability the text is too short or too mixed to say.
_MIN_CONFIDENCE = 0.7
_MIN_LETTERS = 20
_MAX_SAMPLE_CHARS = 20_000

_NOISE_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[#>*_`|\[\]()]|\d+")


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    # Its own instance: restricting py3langid's shared one would change it for any other caller.
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_CANDIDATES))
    return identifier


def preload() -> None:
    """Load the model now (about 0.7 s and 80 MB) rather than during the first upload a process serves."""
    _identifier()


def detect_language(text: str) -> str:
    """One of SUPPORTED, or "" when the text is in another language or too short to tell."""
    # Markup, links, addresses and numbers say nothing about the language and blur short texts.
    sample = _NOISE_RE.sub(" ", text[:_MAX_SAMPLE_CHARS])
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return ""
    scores: dict[str, float] = {}
    for language, probability in _identifier().rank(sample):
        # Bokmål and Nynorsk are both Norwegian; we write Bokmål, and one Norwegian is better than none.
        code = "nb" if language in ("no", "nn") else language
        scores[code] = scores.get(code, 0.0) + float(probability)
    best = max(scores, key=lambda code: (scores[code], code))
    if best not in SUPPORTED or scores[best] < _MIN_CONFIDENCE:
        return ""
    return best


# Patterns are matched against folded text (see omoikane.text.fold): no capitals, no accents, "ss" for
# the German sharp s, and the Greek final sigma folded into the ordinary one. Greek letters look like
# Latin ones to ruff's RUF001; here they are meant.
_SALUTATION_RE = re.compile(
    r"^(?:"
    r"dear|hi|hello|hey|good (?:morning|afternoon|day)|to whom it may concern|greetings"
    r"|beste|geachte|hallo|hoi|goedendag|goedemiddag"
    r"|kjaere|kj\u00e6re|hei|god dag|til"
    r"|sehr geehrte[rs]?|liebe[rs]?|guten tag|moin"
    r"|αγαπητ\w*|αξιοτιμ\w*|προσ|καλησπερα|καλημερα|γεια σασ"
    r")(?=$|[\s,:!])"
)
_CLOSING_RE = re.compile(
    r"^(?:"
    r"(?:with |kindest |warmest |warm |best |kind )?regards|yours (?:sincerely|faithfully|truly)|sincerely"
    r"|(?:with )?(?:best|warm|kind) wishes|all the best|best|cheers|respectfully|thanks|many thanks"
    r"|thank you"
    r"|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|met hartelijke groet(?:en)?"
    r"|hartelijke groet(?:en)?|groet(?:en|jes)?|hoogachtend|mvg"
    r"|med vennlig hilsen|vennlig hilsen|med hilsen|beste hilsen|hilsen|mvh|vennleg helsing"
    r"|mit freundlichen grussen|freundliche grusse|mit besten grussen|beste grusse|viele grusse"
    r"|herzliche grusse|liebe grusse|mit herzlichen grussen|hochachtungsvoll|mfg|gruss"
    r"|με εκτιμηση|με φιλικουσ χαιρετισμουσ|φιλικουσ χαιρετισμουσ|με τιμη|με σεβασμο|φιλικα"
    r"|χαιρετισμουσ|ευχαριστω"
    r")(?=$|[\s,.!:])"
)
# A closing word starts a short line; after it come only short signature lines (name, title, phone).
_MAX_CLOSING_LINE = 60
_MAX_SIGNATURE_LINES = 5
_MAX_SALUTATION_LINE = 100
_HEAD_LINES = 8


def letter_parts(text: str) -> dict[str, str]:
    """The salutation line, the body, and the closing with the signature lines after it.

    Each is "" when absent. Lines before the salutation (addresses, a date) belong to none of them.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    salutation = ""
    start = 0
    first_after_salutation = ""
    for index, line in enumerate(lines[: _HEAD_LINES * 3]):
        stripped = line.strip()
        if not stripped:
            continue
        if _SALUTATION_RE.match(fold(stripped)) and not _CLOSING_RE.match(fold(stripped)):
            salutation, first_after_salutation = _split_salutation(stripped)
            start = index + 1
            break
        if sum(1 for earlier in lines[: index + 1] if earlier.strip()) >= _HEAD_LINES:
            break
    end = _closing_start(lines, start)
    closing = "\n".join(line.strip() for line in lines[end:] if line.strip())
    body_lines = ([first_after_salutation] if first_after_salutation else []) + lines[start:end]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in body_lines)).strip()
    return {"salutation": salutation, "body": body, "closing": closing}


def _split_salutation(line: str) -> tuple[str, str]:
    """ "Dear Ms Berg, I am writing…" → ("Dear Ms Berg,", "I am writing…")."""
    match = re.search(r"[,:!]", line)
    if match and match.end() <= _MAX_SALUTATION_LINE:
        return line[: match.end()], line[match.end() :].strip()
    return line, ""


# After the closing words: nothing but punctuation, or a name on the same line ("Kind regards, Ingrid").
_AFTER_CLOSING_RE = re.compile(r"^[\s,.!:]*$|^\s*,\s*[^.?!]{1,40}$")


def _is_closing(line: str) -> bool:
    match = _CLOSING_RE.match(fold(line))
    return match is not None and _AFTER_CLOSING_RE.match(fold(line)[match.end() :]) is not None


def _closing_start(lines: list[str], after: int) -> int:
    """Index of the closing line, or len(lines) when the letter has none."""
    content = [index for index in range(after, len(lines)) if lines[index].strip()]
    # Search from the end: the last few lines hold the closing, and "Best" may open a sentence earlier.
    for position in range(max(0, len(content) - _MAX_SIGNATURE_LINES - 1), len(content)):
        index = content[position]
        line = lines[index].strip()
        signature = [lines[later].strip() for later in content[position + 1 :]]
        if (
            len(line) <= _MAX_CLOSING_LINE
            and _is_closing(line)
            and len(signature) <= _MAX_SIGNATURE_LINES
            and all(len(name) <= _MAX_CLOSING_LINE and not name.endswith((".", "?")) for name in signature)
        ):
            return index
    return len(lines)
