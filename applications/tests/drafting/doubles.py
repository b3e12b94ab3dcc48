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
                raise ProviderError("The model is overloaded right now. Try again in a few minutes.", kind="overloaded")
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
