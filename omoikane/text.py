"""Folding text for matching: one rule for every app, so a word folded in one place meets it in another.

Folded text is case-folded, in Unicode compatibility form (NFKD) with the combining marks dropped: no
capitals, no accents, no Greek tonos, "ß" as "ss", "ﬁ" as "fi". "Grüßen", "grussen" and "GRÜSSEN" all
read "grussen"; "Ελληνικά" reads "ελληνικα".
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Vorstellungsgespräch" and "VORSTELLUNGSGESPRACH" both read
    "vorstellungsgesprach"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Casefolding turns the Greek final sigma into the ordinary one, but the compatibility forms of a few
    # sigmas (the lunate sigma U+03F2, the mathematical ones) only become the final sigma after NFKD.
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ς", "σ")


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the original character it came from.

    Folding changes lengths ("ß" becomes "ss", "é" loses its accent), so a match in the folded text needs
    this map to point back at the words the user actually wrote or received.
    """
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        part = ch.lower() if ch.isascii() else fold(ch)
        folded.append(part)
        origin.extend([index] * len(part))
    return "".join(folded), origin
