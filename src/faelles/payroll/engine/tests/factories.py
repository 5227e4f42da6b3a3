"""Builders for engine inputs: a plain monthly state employee unless told otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from faelles.payroll.engine.model import (
    ATP,
    ATPFamily,
    CardType,
    ElementKind,
    Employee,
    HolidayScheme,
    PayElement,
    Payer,
    PayFrequency,
    PayInput,
    Period,
    TaxCard,
)
from faelles.payroll.engine.rounding import RoundingMethod

D = Decimal
CPR = "0101901234"


def salary(amount: str, **kw: Any) -> PayElement:
    return PayElement("salary", "Månedsløn", ElementKind.SALARY, D(amount), **kw)


def hourly(hours: str, rate: str, **kw: Any) -> PayElement:
    h, r = D(hours), D(rate)
    return PayElement(
        "hours", "Timeløn", ElementKind.HOURLY, (h * r).quantize(D("0.01")), h, r, **kw
    )


def monthly(year: int = 2025, month: int = 5) -> Period:
    start = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    end = date.fromordinal(nxt.toordinal() - 1)
    return Period(PayFrequency.MONTHLY, start, end, end)


def main_card(rate: str = "37", **kw: str) -> TaxCard:
    return TaxCard(CardType.MAIN, D(rate) / 100, **{k: D(v) for k, v in kw.items()})


def make_input(**overrides: Any) -> PayInput:
    base = PayInput(
        employee=Employee("E1001", "Anna Jensen", CPR),
        payer=Payer("12345678", "Styrelsen for Eksempler"),
        period=monthly(),
        tax_card=main_card("37", deduction_month="5600"),
        atp=ATP(ATPFamily.F, D("160.33")),
        elements=(salary("45000.00"),),
        holiday=HolidayScheme.NONE,
        rounding=RoundingMethod.METHOD_3,
    )
    return replace(base, **overrides)
