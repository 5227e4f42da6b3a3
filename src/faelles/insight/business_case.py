"""The arithmetic of a business case (Statens business case-model): expected values, the
years' costs and benefits with the risk reserve, the net present value, the payback year and
the monthly benefit-realisation plan. Pure functions over the case's items; the services
store the plan, the pages show the rest.

- expected value of an item = (minimum + 4 × most likely + maximum) / 6 (PERT);
- year *y* (1 … horizon): one-off items count in their ``from_year``; running items in every
  year from ``from_year`` on;
- risk reserve of year *y* = risk reserve % × the year's costs (added to the costs);
- net of year *y* = benefits − costs − risk reserve; cumulative net; payback = the first year
  whose cumulative net is ≥ 0;
- net present value = Σ net_y / (1 + r)^(y−1), r = ``INSIGHT_DISCOUNT_RATE`` (default 3.5 %,
  the state's calculation rate for socio-economic analyses);
- plan: a running benefit's expected value / 12 in each month of its years, a one-off benefit
  in the first month of its year, from the case's first month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

TWO = Decimal("0.01")
DISCOUNT_RATE = Decimal("0.035")


def discount_rate() -> Decimal:
    value = getattr(settings, "INSIGHT_DISCOUNT_RATE", None)
    return DISCOUNT_RATE if value in (None, "") else Decimal(str(value))


def expected(low: Decimal, likely: Decimal, high: Decimal) -> Decimal:
    return ((low + 4 * likely + high) / 6).quantize(TWO)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    costs: Decimal
    risk_reserve: Decimal
    benefits: Decimal
    net: Decimal
    cumulative: Decimal


@dataclass(frozen=True, slots=True)
class Economy:
    years: list[Year]
    one_off_costs: Decimal
    running_costs: Decimal
    benefits: Decimal
    risk_reserve: Decimal
    net: Decimal
    npv: Decimal
    payback_year: int | None


def _in_year(item: Any, year: int) -> bool:
    first: int = item.from_year
    return year >= first if item.is_running else year == first


def economy(case: Any, items: list[Any]) -> Economy:
    """The case's years, totals, net present value and payback year."""
    rate = discount_rate()
    reserve_share = Decimal(case.risk_reserve_pct) / 100
    years = []
    cumulative = Decimal(0)
    npv = Decimal(0)
    payback = None
    for y in range(1, case.horizon_years + 1):
        costs = sum((i.expected for i in items if not i.is_benefit and _in_year(i, y)), Decimal(0))
        benefits = sum((i.expected for i in items if i.is_benefit and _in_year(i, y)), Decimal(0))
        reserve = (costs * reserve_share).quantize(TWO)
        net = benefits - costs - reserve
        cumulative += net
        npv += net / (1 + rate) ** (y - 1)
        if payback is None and cumulative >= 0 and (benefits or costs):
            payback = y
        years.append(Year(y, costs, reserve, benefits, net, cumulative))
    in_horizon = [i for i in items if i.from_year <= case.horizon_years]
    return Economy(
        years=years,
        one_off_costs=sum((i.expected for i in in_horizon if i.kind == "one_off_cost"), Decimal(0)),
        running_costs=sum((y.costs for y in years), Decimal(0))
        - sum((i.expected for i in in_horizon if i.kind == "one_off_cost"), Decimal(0)),
        benefits=sum((y.benefits for y in years), Decimal(0)),
        risk_reserve=sum((y.risk_reserve for y in years), Decimal(0)),
        net=cumulative,
        npv=npv.quantize(TWO),
        payback_year=payback,
    )


def plan(case: Any, items: list[Any]) -> dict[date, Decimal]:
    """The planned gain per month over the case's horizon (months without a gain left out).
    Monthly shares are rounded to øre; the year's last month takes the rounding remainder, so
    each year adds up to the expected value exactly."""
    out: dict[date, Decimal] = {}
    for item in items:
        if not item.is_benefit or item.from_year > case.horizon_years:
            continue
        first = add_months(case.start_month, 12 * (item.from_year - 1))
        if not item.is_running:
            out[first] = out.get(first, Decimal(0)) + item.expected
            continue
        share = (item.expected / 12).quantize(TWO)
        for y in range(item.from_year, case.horizon_years + 1):
            year_start = add_months(case.start_month, 12 * (y - 1))
            for m in range(12):
                month = add_months(year_start, m)
                amount = share if m < 11 else item.expected - share * 11
                out[month] = out.get(month, Decimal(0)) + amount
    return {m: v for m, v in sorted(out.items()) if v}
