"""Server-rendered SVG for insight: a figure's spread across institutions as a horizontal box
(minimum–maximum whisker, quartile box, median line, a dot for the institution), drawn into
a fixed-width strip. Coordinates go to the template as strings with a ``.`` decimal point
(``faelles.web.charts.svg_number``), so the Danish decimal comma never reaches SVG."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from faelles.insight.selectors import Distribution
from faelles.web.charts import svg_number

WIDTH = 240
PAD = 8


@dataclass(frozen=True, slots=True)
class Strip:
    width: str
    x_min: str
    x_q1: str
    x_median: str
    x_q3: str
    x_max: str
    box_width: str
    x_value: str | None


def strip(dist: Distribution | None, value: Decimal | None) -> Strip | None:
    """The spread of ``dist`` with ``value`` marked (``None``: nothing to draw)."""
    if dist is None:
        return None
    span = dist.maximum - dist.minimum
    inner = Decimal(WIDTH - 2 * PAD)

    def x(v: Decimal) -> Decimal:
        if span == 0:
            return Decimal(WIDTH) / 2
        return PAD + inner * (v - dist.minimum) / span

    return Strip(
        width=svg_number(WIDTH),
        x_min=svg_number(x(dist.minimum)),
        x_q1=svg_number(x(dist.q1)),
        x_median=svg_number(x(dist.median)),
        x_q3=svg_number(x(dist.q3)),
        x_max=svg_number(x(dist.maximum)),
        box_width=svg_number(max(x(dist.q3) - x(dist.q1), Decimal(1))),
        x_value=svg_number(x(value)) if value is not None else None,
    )
