"""Groundings built by hand from the sample materials in ops/demo_data, for the offline drafter's tests.

The retrieval here is deliberately simple (a CV cut into its sections, ranked by shared words, the
labelled evidence first): the tests are about what the drafter does with evidence, not how it is found.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from coach.providers.base import DraftInstructions, Evidence, Grounding, RequirementEvidence, VoiceSample

SAMPLES = Path(__file__).resolve().parents[2] / "ops" / "demo_data"
LABELS = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))
NAMES = {"ingrid": "Ingrid Solberg", "sanne": "Sanne de Vries"}


def material(name: str) -> str:
    return (SAMPLES / "materials" / name).read_text(encoding="utf-8")


def passages(text: str) -> list[str]:
    """The CV cut into its lines, as the real chunker cuts it into bullets; headings are not passages."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def posting(name: str) -> tuple[str, str, str]:
    """(title, company, text) of a sample posting."""
    raw = (SAMPLES / "postings" / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        data = json.loads(raw.split('<script type="application/ld+json">')[1].split("</script>")[0])
        return (
            data["title"],
            data["hiringOrganization"]["name"],
            re.sub(r"<[^>]+>", "\n", data["description"]),
        )
    lines = raw.splitlines()
    return lines[0].strip(), lines[1].split("·")[0].strip(), raw


def grounding(
    case_index: int,
    *,
    language: str | None = None,
    length_words: int = 300,
    revision: str = "",
    tone: str = "",
    previous_draft: str = "",
) -> Grounding:
    case = LABELS["cases"][case_index]
    files = LABELS["candidates"][case["candidate"]]
    cv = next(f for f in files if f.startswith("cv_"))
    lines = passages(material(cv))
    title, company, text = posting(case["posting"])
    requirements = []
    for requirement in case["requirements"]:
        phrase = requirement.get("evidence", "")
        wanted = _words(requirement["text"])
        scored = []
        for line in lines:
            if phrase and phrase in line:
                scored.append((0.9, line))
            elif shared := len(wanted & _words(line)):
                scored.append((0.3 + 0.05 * shared, line))
        scored.sort(key=lambda pair: -pair[0])
        evidence = tuple(Evidence(material_title=cv, text=line, score=score) for score, line in scored[:4])
        requirements.append(
            RequirementEvidence(requirement["text"], evidence if requirement["covered"] else ())
        )
    voices = tuple(VoiceSample(title=f, text=material(f)) for f in files if f.startswith("letter_sample"))
    return Grounding(
        applicant_name=NAMES[case["candidate"]],
        posting_title=title,
        company=company,
        posting_text=text,
        requirements=tuple(requirements),
        voice_samples=voices,
        instructions=DraftInstructions(
            language=language or case["language"], tone=tone, length_words=length_words, revision=revision
        ),
        previous_draft=previous_draft,
    )
