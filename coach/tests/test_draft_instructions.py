from __future__ import annotations

from dataclasses import asdict

from coach.providers.base import DraftInstructions


def test_it_reads_back_what_was_stored() -> None:
    wishes = DraftInstructions(
        language="nb", tone="warm", length_words=200, stress="Kafka", revision="shorter"
    )
    assert DraftInstructions.from_stored(asdict(wishes)) == wishes


def test_it_gives_defaults_for_what_is_missing() -> None:
    assert DraftInstructions.from_stored({}) == DraftInstructions(language="")
    assert DraftInstructions.from_stored({"length_words": "250"}).length_words == 250
