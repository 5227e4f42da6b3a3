"""Rounding: øre amounts and SKAT's three allowed methods for AM-bidrag and A-skat.

SKAT's guidance (Den juridiske vejledning / "Øreafrunding", info.skat.dk) allows exactly three
methods; the institution chooses one for all its employees:

1. AM-bidrag and A-skat are computed in øre from bases in øre and shown in øre; rounding to
   kroner happens only on the monthly total reported (``METHOD_1``).
2. Bases in øre; AM-bidrag and A-skat are rounded at once to whole kroner, either by the
   ordinary rule (50 øre and up rounds up, ``METHOD_2_ROUND``) or by dropping the øre
   (``METHOD_2_TRUNCATE``).
3. Both bases are rounded down to a multiple of 10 kr; AM-bidrag and A-skat are rounded up to
   whole kroner (``METHOD_3``).

Every other amount (pension, ATP per hour, benefit values, holiday accruals) is rounded to øre
by the ordinary rule ("almindelige øreafrundingsprincipper": half up), not half-even.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

ORE = Decimal("0.01")
KRONE = Decimal("1")
TEN = Decimal("10")
ZERO = Decimal("0.00")


class RoundingMethod(StrEnum):
    METHOD_1 = "1"
    METHOD_2_ROUND = "2"
    METHOD_2_TRUNCATE = "2t"
    METHOD_3 = "3"


def ore(value: Decimal) -> Decimal:
    """``value`` to øre, half up."""
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


def floor_ten(value: Decimal) -> Decimal:
    """``value`` rounded down to a multiple of 10 kr (method 3 bases), kept with two decimals."""
    return ((value / TEN).to_integral_value(rounding=ROUND_FLOOR) * TEN).quantize(ORE)


def withholding(base: Decimal, rate: Decimal, method: RoundingMethod) -> tuple[Decimal, Decimal]:
    """``(rounded base, amount)`` of ``rate`` × ``base`` under ``method``; both with øre digits."""
    if method is RoundingMethod.METHOD_3:
        b = floor_ten(base)
        return b, (b * rate).quantize(KRONE, rounding=ROUND_CEILING).quantize(ORE)
    raw = base * rate
    if method is RoundingMethod.METHOD_1:
        return base, raw.quantize(ORE, rounding=ROUND_HALF_UP)
    if method is RoundingMethod.METHOD_2_ROUND:
        return base, raw.quantize(KRONE, rounding=ROUND_HALF_UP).quantize(ORE)
    return base, raw.quantize(KRONE, rounding=ROUND_DOWN).quantize(ORE)
