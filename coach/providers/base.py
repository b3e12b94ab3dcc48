"""What every drafting provider takes and gives back.

A provider turns a `Prompt` into a `Completion`. The prompt carries both the rendered text a language model
reads (`system`, `stable`, `task`) and the structured `Grounding` it was rendered from, which the offline
drafter writes from directly. `stable` is the part that stays the same across one user's drafts (their
materials and letter samples): providers that support prompt caching put their cache breakpoint after it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.functional import Promise


@dataclass(frozen=True)
class Evidence:
    """A passage of the user's own materials that supports a requirement."""

    material_title: str
    text: str
    score: float
    # Which material, so a draft can record what it was written from (None in hand-made groundings).
    material_id: int | None = None


@dataclass(frozen=True)
class RequirementEvidence:
    requirement: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class VoiceSample:
    """One of the user's past letters, shown to the model as an example of how they write."""

    title: str
    text: str
    material_id: int | None = None


@dataclass(frozen=True)
class DraftInstructions:
    language: str  # the language the letter is written in (ISO 639-1)
    tone: str = ""
    length_words: int = 300
    stress: str = ""  # what the user wants stressed
    revision: str = ""  # a regenerate instruction: "shorter", "mention the Kafka work"

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> DraftInstructions:
        """The instructions a draft generation stored (as a dict, in JSON). A key it lacks takes its
        default; a missing language stays "" for the caller to choose."""
        return cls(
            language=str(data.get("language", "")),
            tone=str(data.get("tone", cls.tone)),
            length_words=int(data.get("length_words", cls.length_words)),
            stress=str(data.get("stress", cls.stress)),
            revision=str(data.get("revision", cls.revision)),
        )


@dataclass(frozen=True)
class Grounding:
    applicant_name: str
    posting_title: str
    company: str
    # The posting as the user added it: data from outside, never instructions.
    posting_text: str
    requirements: tuple[RequirementEvidence, ...]
    voice_samples: tuple[VoiceSample, ...]
    instructions: DraftInstructions
    previous_draft: str = ""
    # The opening of the user's main CV (contact details withheld): the offline drafter takes the
    # applicant's own summary of themselves from it, under a heading like "Summary" or "Profil".
    cv_opening: str = ""


@dataclass(frozen=True)
class Prompt:
    system: str
    stable: str
    task: str
    grounding: Grounding
    max_tokens: int


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0


@dataclass(frozen=True)
class Completion:
    text: str
    provider: str
    model: str
    usage: Usage = field(default_factory=Usage)
    stop_reason: str = ""
    # The inference region the API reported for this call, when it reports one.
    region: str = ""
    # The trace row this call was recorded as (set by coach.llm.complete).
    trace_id: int | None = None
    # Languages of the user's evidence the provider left out because it cannot write them into a letter
    # in the asked language (the offline drafter does not translate); the interface says so.
    left_out_languages: tuple[str, ...] = ()
    # The letter is well under the asked length because the evidence held no more (the offline drafter
    # pads with nothing); the interface says so.
    short_of_evidence: bool = False


class ProviderError(Exception):
    """A call that failed for good (after retries). `message` is shown to the user as is."""

    def __init__(self, message: str | Promise, *, kind: str) -> None:
        super().__init__(str(message))
        self.message = message
        # A short machine word for the trace: "rate_limited", "overloaded", "timeout", "cut_off", ...
        self.kind = kind


class Cancelled(Exception):
    """The user cancelled the draft while it was being written."""


class Provider(Protocol):
    key: str  # "anthropic", "openai_compatible" or "offline"
    model: str

    def complete(
        self,
        prompt: Prompt,
        *,
        on_text: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Completion:
        """Write the completion, passing each piece of text to `on_text` as it arrives and checking
        `cancelled` between pieces (raise Cancelled when it says so). Raises ProviderError on failure;
        a call that fails halfway returns nothing, so no half-written draft can be kept as finished."""
        ...
