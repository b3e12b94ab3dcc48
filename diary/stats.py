"""The statistics behind the insights page, small enough to check by hand (diary/tests/test_stats.py).

Rates carry a Wilson score interval: unlike the textbook "p ± 1.96·SE" it stays inside 0-100 % and behaves
with the small counts one person's search produces. Time to a first reply is a Kaplan-Meier curve, so an
application still waiting counts for as long as it has waited and never as a failure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# 95 %: the two-sided normal quantile.
Z95 = 1.959963984540054
# Below this many applications on a side, a comparison says how many more it needs instead of a rate.
MIN_PER_SIDE = 20


@dataclass(frozen=True)
class Rate:
    """`hits` of `n`, with its 95 % Wilson interval (fractions, 0-1)."""

    hits: int
    n: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.hits / self.n if self.n else 0.0

    @property
    def enough(self) -> bool:
        return self.n >= MIN_PER_SIDE

    @property
    def missing(self) -> int:
        """How many more applications this side needs before it is compared."""
        return max(0, MIN_PER_SIDE - self.n)


def wilson(hits: int, n: int, z: float = Z95) -> Rate:
    if n < 0 or not 0 <= hits <= n:
        raise ValueError(f"wilson({hits}, {n}): need 0 <= hits <= n.")
    if n == 0:
        return Rate(0, 0, 0.0, 1.0)
    p = hits / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At p = 0 or 1 the bound is exactly 0 or 1; floating point would leave it a hair off.
    low = 0.0 if hits == 0 else max(0.0, centre - half)
    high = 1.0 if hits == n else min(1.0, centre + half)
    return Rate(hits, n, low, high)


class Verdict:
    """What a comparison of two rates may say."""

    TOO_FEW = "too_few"  # a side has fewer than MIN_PER_SIDE applications
    HIGHER = "higher"  # the first side's interval lies wholly above the second's
    LOWER = "lower"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"  # the intervals overlap


def compare(first: Rate, second: Rate) -> str:
    """Call it a difference only when the two 95 % intervals do not overlap: a stricter test than a
    two-proportion test, on purpose, since the page makes many comparisons at once."""
    if not (first.enough and second.enough):
        return Verdict.TOO_FEW
    if first.low > second.high:
        return Verdict.HIGHER
    if first.high < second.low:
        return Verdict.LOWER
    return Verdict.NO_CLEAR_DIFFERENCE


@dataclass(frozen=True)
class Step:
    """One event time of a Kaplan-Meier curve."""

    day: int
    at_risk: int
    events: int
    censored: int
    # The share still without a reply after this day.
    survival: float

    @property
    def replied(self) -> float:
        return 1.0 - self.survival


def kaplan_meier(observations: Iterable[tuple[int, bool]]) -> list[Step]:
    """(days, replied) pairs: days to the first reply, or days waited so far when `replied` is False.

    At a day with both replies and censored rows, the replies come first: an application censored on day t
    was still at risk on day t (the usual convention)."""
    rows = sorted(observations)
    if any(days < 0 for days, _ in rows):
        raise ValueError("kaplan_meier: a negative number of days.")
    steps: list[Step] = []
    at_risk = len(rows)
    survival = 1.0
    index = 0
    while index < len(rows):
        day = rows[index][0]
        events = censored = 0
        while index < len(rows) and rows[index][0] == day:
            if rows[index][1]:
                events += 1
            else:
                censored += 1
            index += 1
        if events:
            survival *= 1 - events / at_risk
        steps.append(Step(day, at_risk, events, censored, survival))
        at_risk -= events + censored
    return steps


def median_days(steps: list[Step]) -> int | None:
    """The first day by which half had a reply, or None when the curve never gets there."""
    return next((step.day for step in steps if step.events and step.survival <= 0.5), None)
