"""Reading an evaluation folder (laid out like the shared samples) and loading a case's candidate as a
throwaway user through the real upload path."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accounts.models import User
from coach.models import LLMTrace
from materials.actions import do_add_material, do_delete_material
from materials.models import Material
from materials.search import do_embed_material
from privacy_kernel import writes
from privacy_kernel.audit import Actor


@dataclass(frozen=True)
class Requirement:
    text: str
    must: bool | None
    covered: bool | None
    evidence: str


@dataclass(frozen=True)
class Case:
    candidate: str
    materials: list[Path]
    posting: Path
    language: str
    fit: str
    requirements: list[Requirement] = field(default_factory=list)


def load_cases(folder: Path) -> list[Case]:
    labels: dict[str, Any] = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    candidates: dict[str, list[str]] = labels["candidates"]
    cases = []
    for raw in labels["cases"]:
        cases.append(
            Case(
                candidate=raw["candidate"],
                materials=[folder / "materials" / name for name in candidates[raw["candidate"]]],
                posting=folder / "postings" / raw["posting"],
                language=raw.get("language", ""),
                fit=raw.get("fit", ""),
                requirements=[
                    Requirement(
                        text=r["text"],
                        must=r.get("must"),
                        covered=r.get("covered"),
                        evidence=r.get("evidence", ""),
                    )
                    for r in raw.get("requirements", [])
                ],
            )
        )
    return cases


def material_kind(path: Path) -> str:
    name = path.name.lower()
    if name.startswith("cv") or "resume" in name or "cv_" in name:
        return Material.Kind.CV
    if "letter" in name or "brief" in name or "brev" in name:
        return Material.Kind.LETTER
    return Material.Kind.OTHER


@contextmanager
def throwaway_candidate(materials: list[Path]) -> Iterator[User]:
    """A user holding these materials, removed with their files afterwards whatever happens."""
    with writes.rolled_back("evaluation"):
        user = User.objects.create_user(f"evaluation-{uuid.uuid4().hex}@omoikane.invalid", None)
        added: list[Material] = []
        try:
            for path in materials:
                material = do_add_material(
                    user,
                    kind=material_kind(path),
                    title=path.stem,
                    actor=Actor.system("evaluation"),
                    data=path.read_bytes(),
                    file_name=path.name,
                )
                # The worker embeds an upload; the evaluation needs the vectors now.
                do_embed_material(material)
                added.append(material)
            yield user
        finally:
            for material in added:
                do_delete_material(material, actor=Actor.system("evaluation"))
            # The trace store is another database: the rollback does not reach it.
            LLMTrace.objects.filter(user_id=user.pk).delete()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def contains_evidence(chunk_text: str, evidence: str) -> bool:
    return normalise(evidence) in normalise(chunk_text)
