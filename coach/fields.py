"""Field guard: is the posting from the candidate's own trade at all?

Requirement-by-requirement likeness rewards shared wording, and across trades there is a lot of it
("Führerschein Klasse B", "experience with planning", "good communication skills"): an electrician's
posting reached "medium" for a mechanical engineer, a Norwegian nurse's for a backend developer. A
recruiter reads the posting's head and the CV's head first and knows the trade. So does this: both heads
are placed among the occupational fields of coach/fields.toml (each described in all five languages) by
their likeness to each field, less that field's likeness to everyday requirement lines (some fields
attract any text). The posting is from another field when the candidate's own field leads in the CV by a
margin and the posting's own field leads in the posting by a margin, the two margins together at least
OTHER_FIELD_AT. Then a medium score is lowered to "low" (coach/scoring.py).

OTHER_FIELD_AT was read off the calibration set and the shared samples, with the raw opening of each CV
file: the largest sum of margins for a case labelled high or medium was 0.068, the lows from another trade
sat at 0.068-0.112. In scoring the CV's head is read from its chunks, and there the reading of one high
case of the calibration set (a data analyst's posting that opens on the company's marketing) passed it:
so the guard only turns a medium into a low, never a high (coach/scoring.py), and a candidate in their
own trade whose requirements are shown is not held down by it.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach import embeddings

FIELDS_FILE = Path(__file__).with_name("fields.toml")
# How much of each text's opening is read: the title and the first lines, where the trade is named.
HEAD_CHARS = 400
OTHER_FIELD_AT = 0.075


@dataclass(frozen=True)
class FieldReading:
    posting_field: str
    candidate_field: str
    # How far the candidate's field leads the posting's in the CV, plus the reverse in the posting.
    distance: float

    @property
    def other_field(self) -> bool:
        return self.distance >= OTHER_FIELD_AT


_lock = threading.Lock()
_table: tuple[list[str], np.ndarray, np.ndarray] | None = None


def _fields() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Field names, their unit prototype vectors, and each one's likeness to everyday requirement lines."""
    global _table
    with _lock:
        if _table is None:
            described = tomllib.loads(FIELDS_FILE.read_text(encoding="utf-8"))
            names = list(described)
            rows = []
            for name in names:
                mean = embeddings.embed([str(text) for text in described[name].values()]).mean(axis=0)
                rows.append(mean / np.linalg.norm(mean))
            prototypes = np.array(rows, dtype=np.float32)
            everyday = embeddings.embed(list(embeddings.HUB_REFERENCE_LINES))
            _table = (names, prototypes, (everyday @ prototypes.T).mean(axis=0))
        return _table


def head(texts: Sequence[str]) -> str:
    """The opening HEAD_CHARS characters of texts read in order."""
    joined = "\n".join(text.strip() for text in texts if text.strip())
    return joined[:HEAD_CHARS]


def read_fields(
    posting_head: str,
    candidate_head: str,
    *,
    embed: Callable[[Sequence[str]], np.ndarray] = embeddings.embed,
) -> FieldReading | None:
    """Where the two heads fall among the fields; None when either is empty.

    `embed` embeds passages: scoring passes the user's index's, which keeps the candidate's head."""
    if not posting_head.strip() or not candidate_head.strip():
        return None
    names, prototypes, bias = _fields()
    vectors = embed([posting_head, candidate_head])
    posting, candidate = (vectors @ prototypes.T) - bias
    own_p, own_c = int(np.argmax(posting)), int(np.argmax(candidate))
    distance = float(candidate[own_c] - candidate[own_p]) + float(posting[own_p] - posting[own_c])
    return FieldReading(names[own_p], names[own_c], round(distance, 4))
