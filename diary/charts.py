"""The insights page's charts, drawn here as SVG: no JavaScript, nothing from another origin, and text the
page's own translations provide, so every language reads them. Colours are from the Okabe-Ito palette, which
stays distinct for the common kinds of colour blindness; nothing is told by colour alone (every bar carries
its number). Each chart has a table of the same numbers under it on the page, for screen readers.

Presentation attributes (fill=, stroke=) rather than style=: the strict CSP forbids inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from diary.stats import Rate, Step

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
INK = "#222222"
GRID = "#BBBBBB"

WIDTH = 640
LABEL_WIDTH = 210
BAR_WIDTH = 300
ROW = 30
LABEL_CHARS = 30


def percent(value: float) -> str:
    return f"{round(100 * value)} %"


def _label(text: str) -> str:
    """Cut to what fits the label column; the table under the chart has the whole text."""
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _svg(title: str, height: int, body: list[str], chart_id: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title" id="{chart_id}" '
        'font-family="sans-serif" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308  (every text above went through escape)


def count_chart(title: str, rows: Sequence[tuple[str, int]], *, chart_id: str) -> SafeString:
    """Horizontal bars of counts (the funnel), each with its number."""
    top = max([count for _label_text, count in rows] + [1])
    body = []
    for index, (label, count) in enumerate(rows):
        y = 10 + index * ROW
        width = round(BAR_WIDTH * count / top)
        body.append(
            f'<g class="row"><text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{escape(_label(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="20" fill="{BLUE}"/>'
            f'<text class="value" x="{LABEL_WIDTH + width + 6}" y="{y + 15}" fill="{INK}">{count}</text></g>'
        )
    return _svg(title, 20 + len(rows) * ROW, body, chart_id)


def rate_chart(title: str, rows: Sequence[tuple[str, Rate]], *, chart_id: str) -> SafeString:
    """A bar per group for its rate, a black line across its 95 % interval, and "rate (hits/n)" beside it.

    The axis runs from 0 to 100 %, always: a cropped axis makes small differences look large."""
    body = [
        f'<line x1="{LABEL_WIDTH + BAR_WIDTH * tick // 4}" y1="4" x2="{LABEL_WIDTH + BAR_WIDTH * tick // 4}" '
        f'y2="{12 + len(rows) * ROW}" stroke="{GRID}" stroke-width="1"/>'
        f'<text x="{LABEL_WIDTH + BAR_WIDTH * tick // 4}" y="{26 + len(rows) * ROW}" text-anchor="middle" '
        f'fill="{INK}" font-size="11">{tick * 25} %</text>'
        for tick in range(5)
    ]
    for index, (label, rate) in enumerate(rows):
        y = 10 + index * ROW
        width = round(BAR_WIDTH * rate.value)
        low, high = LABEL_WIDTH + BAR_WIDTH * rate.low, LABEL_WIDTH + BAR_WIDTH * rate.high
        cap = f'stroke="{INK}" stroke-width="2"/>'
        body.append(
            f'<g class="row"><text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{escape(_label(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="14" fill="{ORANGE}"/>'
            f'<line class="interval" x1="{low:.1f}" y1="{y + 10}" x2="{high:.1f}" y2="{y + 10}" '
            f'stroke="{INK}" stroke-width="2"/>'
            f'<line x1="{low:.1f}" y1="{y + 4}" x2="{low:.1f}" y2="{y + 16}" {cap}'
            f'<line x1="{high:.1f}" y1="{y + 4}" x2="{high:.1f}" y2="{y + 16}" {cap}'
            f'<text class="value" x="{LABEL_WIDTH + BAR_WIDTH + 10}" y="{y + 15}" fill="{INK}">'
            f"{percent(rate.value)} ({rate.hits}/{rate.n})</text></g>"
        )
    return _svg(title, 36 + len(rows) * ROW, body, chart_id)


def curve_chart(title: str, steps: Sequence[Step], *, days_label: str, chart_id: str) -> SafeString:
    """The Kaplan-Meier curve as the share with a first reply by each day: a step line from 0 %."""
    left, right, top, bottom = 60, WIDTH - 20, 16, 216
    last_day = max([s.day for s in steps] + [1])

    def x(day: int) -> float:
        return left + (right - left) * day / last_day

    def y(share: float) -> float:
        return bottom - (bottom - top) * share

    points = [f"{x(0):.1f},{y(0):.1f}"]
    replied = 0.0
    for step in steps:
        if step.events:
            points += [f"{x(step.day):.1f},{y(replied):.1f}", f"{x(step.day):.1f},{y(step.replied):.1f}"]
            replied = step.replied
    points.append(f"{x(last_day):.1f},{y(replied):.1f}")
    body = [
        f'<line x1="{left}" y1="{y(tick / 4):.1f}" x2="{right}" y2="{y(tick / 4):.1f}" stroke="{GRID}"/>'
        f'<text x="{left - 6}" y="{y(tick / 4) + 4:.1f}" text-anchor="end" fill="{INK}" font-size="11">'
        f"{tick * 25} %</text>"
        for tick in range(5)
    ]
    body.append(
        f'<text x="{left}" y="{bottom + 18}" fill="{INK}" font-size="11">0</text>'
        f'<text x="{right}" y="{bottom + 18}" text-anchor="end" fill="{INK}" font-size="11">{last_day}</text>'
        f'<text x="{(left + right) / 2:.0f}" y="{bottom + 32}" text-anchor="middle" fill="{INK}" '
        'font-size="11">'
        f"{escape(days_label)}</text>"
        f'<polyline class="curve" points="{" ".join(points)}" fill="none" stroke="{GREEN}" stroke-width="3"/>'
        f'<text class="value" x="{right}" y="{y(replied) - 6:.1f}" text-anchor="end" fill="{INK}">'
        f"{percent(replied)}</text>"
    )
    return _svg(title, bottom + 40, body, chart_id)
