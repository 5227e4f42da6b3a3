"""Server-rendered bar charts (SVG, no script: the CSP allows none inline).

Every coordinate is computed here and handed to the template as a string with a ``.``
decimal point (``svg_number``), never as a number: Django localizes numbers in templates, and
in Danish ``12.5`` becomes ``12,5``, which is not a number in SVG (the browser drops the shape
and logs an error). Amounts shown as text (tick labels, tooltips, the table under the chart)
stay numbers and are localized as usual.

The template ``web/_bar_chart.html`` draws a ``BarChart``: a title and description for
screen readers, horizontal grid lines with their values, one stacked bar per category and a
legend. Each page shows the same numbers as a table next to the chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

PALETTE = ("#004993", "#008139", "#c78300", "#7b2a8d", "#b51d09", "#3b8a8f", "#5c5c5c")
PLOT_HEIGHT = 240
TOP = 10
LEFT = 64
BAR_WIDTH = 36
GAP = 14
BOTTOM = 32
RIGHT = 10
TENTH = Decimal("0.1")


def svg_number(value: Decimal | int) -> str:
    """A coordinate for an SVG attribute: one decimal at most, ``.`` as the decimal point,
    whatever the active locale."""
    text = format(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_EVEN), "f")
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


@dataclass(frozen=True, slots=True)
class Series:
    """One stacked part of every bar (an account group, a bucket): key, name and colour."""

    key: str
    name: str
    colour: str


@dataclass(frozen=True, slots=True)
class Segment:
    series: Series
    value: Decimal
    x: str
    y: str
    width: str
    height: str


@dataclass(frozen=True, slots=True)
class Bar:
    category: str
    label: str
    total: Decimal
    segments: list[Segment]
    label_x: str


@dataclass(frozen=True, slots=True)
class Tick:
    value: Decimal
    y: str


@dataclass
class BarChart:
    chart_id: str
    title: str
    description: str
    width: str
    height: str
    view_box: str
    plot_left: str
    plot_right: str
    baseline_y: str
    label_y: str
    tick_label_x: str
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    peak: Decimal = Decimal(0)

    @property
    def empty(self) -> bool:
        return not any(bar.segments for bar in self.bars)


def _nice_step(peak: Decimal, ticks: int = 4) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` grid lines."""
    raw = peak / ticks
    exponent = raw.adjusted()
    base = Decimal(10) ** exponent
    for factor in (1, 2, 5, 10):
        step = base * factor
        if step >= raw:
            return step
    return base * 10  # pragma: no cover - factor 10 always suffices


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[Series],
    values: Mapping[tuple[str, str], Decimal],
) -> BarChart:
    """A stacked bar chart: one bar per ``(category, label)``, one segment per series with a
    positive value (``values[(category, series.key)]``). Bar heights are proportional to the
    values: the tallest bar (``peak``) is ``PLOT_HEIGHT`` high."""
    totals = {
        cat: sum(
            (
                values.get((cat, s.key), Decimal(0))
                for s in series
                if values.get((cat, s.key), 0) > 0
            ),
            Decimal(0),
        )
        for cat, _label in categories
    }
    peak = max(totals.values(), default=Decimal(0))
    width = LEFT + len(categories) * (BAR_WIDTH + GAP) + RIGHT
    height = TOP + PLOT_HEIGHT + BOTTOM
    baseline = Decimal(TOP + PLOT_HEIGHT)
    chart = BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=svg_number(width),
        height=svg_number(height),
        view_box=f"0 0 {svg_number(width)} {svg_number(height)}",
        plot_left=svg_number(LEFT - 4),
        plot_right=svg_number(width - RIGHT),
        baseline_y=svg_number(baseline),
        label_y=svg_number(baseline + 18),
        tick_label_x=svg_number(LEFT - 8),
        series=list(series),
        peak=peak,
    )
    if peak > 0:
        step = _nice_step(peak)
        tick = step
        while tick <= peak:
            y = baseline - Decimal(PLOT_HEIGHT) * tick / peak
            chart.ticks.append(Tick(tick, svg_number(y)))
            tick += step
    for index, (category, label) in enumerate(categories):
        x = Decimal(LEFT + GAP // 2 + index * (BAR_WIDTH + GAP))
        top = baseline
        segments = []
        for s in series:
            value = values.get((category, s.key), Decimal(0))
            if value <= 0 or peak <= 0:
                continue
            h = Decimal(PLOT_HEIGHT) * value / peak
            top -= h
            segments.append(
                Segment(
                    s, value, svg_number(x), svg_number(top), svg_number(BAR_WIDTH), svg_number(h)
                )
            )
        chart.bars.append(
            Bar(category, label, totals[category], segments, svg_number(x + BAR_WIDTH // 2))
        )
    return chart


def colours(keys: Sequence[Any]) -> dict[Any, str]:
    """A palette colour per key, in order."""
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
