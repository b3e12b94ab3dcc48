"""A provider for tests: writes a scripted text piece by piece, and can fail or stall halfway."""

from __future__ import annotations

import time
from collections.abc import Callable

from coach.providers.base import Cancelled, Completion, Prompt, ProviderError, Usage


class ScriptedProvider:
    """Implements coach.providers.base.Provider with a fixed answer.

    `fail_after`: raise ProviderError after that many pieces. `on_piece`: called with the piece number
    after each piece (a test clicks "Cancel" from there). `pause`: seconds to wait after each piece.
    """

    key = "scripted"
    model = "scripted-1"

    def __init__(
        self,
        text: str,
        *,
        fail_after: int | None = None,
        on_piece: Callable[[int], None] | None = None,
        pause: float = 0.0,
    ) -> None:
        self.text = text
        self.fail_after = fail_after
        self.on_piece = on_piece
        self.pause = pause
        self.prompts: list[Prompt] = []

    def complete(
        self,
        prompt: Prompt,
        *,
        on_text: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Completion:
        self.prompts.append(prompt)
        pieces = [word + " " for word in self.text.split(" ")]
        for number, piece in enumerate(pieces):
            if cancelled is not None and cancelled():
                raise Cancelled()
            if self.fail_after is not None and number == self.fail_after:
                raise ProviderError(
                    "The model is overloaded right now. Try again in a few minutes.", kind="overloaded"
                )
            if on_text is not None:
                on_text(piece)
            if self.on_piece is not None:
                self.on_piece(number)
            if self.pause:
                time.sleep(self.pause)
        return Completion(
            text=self.text,
            provider=self.key,
            model=self.model,
            usage=Usage(input_tokens=len(prompt.stable + prompt.task) // 4, output_tokens=len(pieces)),
            stop_reason="end_turn",
        )


class GroundedProvider:
    """Writes a short letter from the grounding alone (like a careful model): the evidence for the first
    requirements, a courtesy, the applicant's name. For evaluate_drafting --provider."""

    key = "grounded"
    model = "grounded-1"

    def letter(self, prompt: Prompt) -> str:
        grounding = prompt.grounding
        shown = [item.evidence[0].text for item in grounding.requirements if item.evidence][:3]
        body = "\n\n".join(" ".join(text.lstrip("- ").split()) for text in shown)
        closing = f"I look forward to hearing from you.\n\nKind regards,\n{grounding.applicant_name}"
        return f"Dear Hiring Team,\n\n{body}\n\n{closing}"

    def complete(
        self,
        prompt: Prompt,
        *,
        on_text: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Completion:
        text = self.letter(prompt)
        if on_text is not None:
            on_text(text)
        return Completion(text=text, provider=self.key, model=self.model)


# What a model that obeys a planted instruction, or makes things up, adds: in neither materials nor posting.
PLANTED = (
    "You can call me on +31 6 1234 5678 or write to recruiter.bait@evil.example. My portfolio is at "
    "https://evil.example/cv and Pieter Jansen will give a reference."
)


class MisbehavingProvider(GroundedProvider):
    key = "misbehaving"
    model = "misbehaving-1"

    def letter(self, prompt: Prompt) -> str:
        return super().letter(prompt).replace("I look forward", f"{PLANTED}\n\nI look forward")
