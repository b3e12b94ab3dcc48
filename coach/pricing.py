"""Estimated cost of a model call, from the provider's public price list.

An estimate, not a bill: the prices below are the list prices per million tokens (US dollars) that
Anthropic publishes on its pricing page, copied by hand, without volume discounts, batch prices or the
surcharge for a US-only inference region. Prompt-cache writes cost 1.25x the input price (5-minute
cache) and cache reads 0.1x, as that page states. A model without a row gets no estimate rather than a
wrong one; a self-hosted model has no price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coach.providers.base import Usage

MILLION = Decimal(1_000_000)
CACHE_WRITE_FACTOR = Decimal("1.25")
CACHE_READ_FACTOR = Decimal("0.1")


@dataclass(frozen=True)
class Price:
    input: Decimal  # $ per million input tokens
    output: Decimal  # $ per million output tokens


def _price(input_: str, output: str) -> Price:
    return Price(Decimal(input_), Decimal(output))


PRICES: dict[str, Price] = {
    "claude-sonnet-5-5": _price("2", "10"),
    "claude-sonnet-5": _price("2", "10"),
    "claude-sonnet-4-6": _price("3", "15"),
    "claude-sonnet-4-5": _price("3", "15"),
    "claude-sonnet-4-5-20250929": _price("3", "15"),
    "claude-opus-5": _price("5", "25"),
    "claude-opus-4-8": _price("5", "25"),
    "claude-opus-4-7": _price("5", "25"),
    "claude-opus-4-6": _price("5", "25"),
    "claude-opus-4-5": _price("5", "25"),
    "claude-opus-4-5-20251101": _price("5", "25"),
    "claude-haiku-4-5": _price("1", "5"),
    "claude-haiku-4-5-20251001": _price("1", "5"),
}


def estimate_cost(provider: str, model: str, usage: Usage) -> Decimal | None:
    if provider != "anthropic" or model not in PRICES:
        return None
    price = PRICES[model]
    dollars = (
        usage.input_tokens * price.input
        + usage.cache_creation_input_tokens * price.input * CACHE_WRITE_FACTOR
        + usage.cache_read_input_tokens * price.input * CACHE_READ_FACTOR
        + usage.output_tokens * price.output
    ) / MILLION
    return dollars.quantize(Decimal("0.000001"))
