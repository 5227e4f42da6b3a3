"""Typed inputs of one employee-period: what the payroll module hands to ``calculate``.

Amounts are ``Decimal`` kroner; percentages are fractions (``Decimal("0.37")`` for 37 %).
Plain dataclasses with slots (not frozen: a frozen dataclass costs three times as much to
build, and a pay run builds millions). Treat them as values: the engine never mutates its
inputs, and callers should not either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from faelles.payroll.engine.rounding import ZERO, RoundingMethod


class PayFrequency(StrEnum):
    MONTHLY = "monthly"
    FORTNIGHTLY = "14day"
    WEEKLY = "weekly"
    IRREGULAR = "irregular"


class ElementKind(StrEnum):
    SALARY = "salary"
    HOURLY = "hourly"
    SUPPLEMENT = "supplement"
    OVERTIME = "overtime"
    ONE_OFF = "one_off"
    TAX_FREE = "tax_free"


class ATPFamily(StrEnum):
    A = "A"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class CardType(StrEnum):
    MAIN = "hovedkort"
    SECONDARY = "bikort"
    FREE = "frikort"
    NONE = "none"


class HolidayScheme(StrEnum):
    PAID_HOLIDAY = "paid_holiday"
    """Salary during holiday; the state's special holiday allowance accrues (2.02 %)."""
    HOLIDAY_PAY = "holiday_pay"
    """No salary during holiday; holiday pay accrues (12.5 %)."""
    NONE = "none"


@dataclass(slots=True)
class PayElement:
    """One pay element of the period with its flags.

    ``quantity`` and ``rate`` are informative (hours × rate); ``amount`` is what counts and is
    already rounded to øre (the JSON reader computes it as hours × rate, rounded half up).
    """

    code: str
    text: str
    kind: ElementKind
    amount: Decimal
    quantity: Decimal | None = None
    rate: Decimal | None = None
    am_liable: bool = True
    a_taxable: bool = True
    pensionable: bool = False
    holiday_entitling: bool = True


@dataclass(slots=True)
class FreeCar:
    """Free car at the employee's disposal (ligningsloven § 16, stk. 4).

    ``car_value`` is the new price incl. registration tax; after 36 months from first
    registration the basis is 75 % of it. The basis is never below the parameter table's
    minimum. ``green_owner_tax`` is the yearly green owner tax (miljøtillæg basis).
    ``employee_payment`` is what the employee pays for the period from taxed income; it reduces
    the taxable value, never below zero.
    """

    car_value: Decimal
    green_owner_tax: Decimal = ZERO
    older_than_36_months: bool = False
    employee_payment: Decimal = ZERO


@dataclass(slots=True)
class Multimedia:
    """Free phone, computer or internet. Tax-free when made available mainly for work
    (the multimedia tax ended in 2020); otherwise the value for the period is taxable."""

    value: Decimal
    mainly_for_work: bool = True


@dataclass(slots=True)
class HealthInsurance:
    """Employer-paid health insurance: the premium for the period is taxable A-income unless
    the cover is one of the tax-free kinds (ligningsloven § 30)."""

    premium: Decimal
    tax_free: bool = False


@dataclass(slots=True)
class BoardAndLodging:
    """Free board and lodging: the taxable value for the period (SKAT's standard values per
    day/month are set by the payroll module), AM-liable A-income (eIndkomst field 21)."""

    value: Decimal


@dataclass(slots=True)
class Benefits:
    car: FreeCar | None = None
    multimedia: Multimedia | None = None
    health_insurance: HealthInsurance | None = None
    board_lodging: BoardAndLodging | None = None


@dataclass(slots=True)
class PensionScheme:
    """Percentages of the pensionable elements. ``state_ac`` takes the employer rate from the
    parameter table (17.1 %, 18.07 % from 2025-04-01) instead of ``employer_rate``."""

    employer_rate: Decimal = ZERO
    employee_rate: Decimal = ZERO
    state_ac: bool = False
    scheme: str = ""


@dataclass(slots=True)
class ATP:
    family: ATPFamily
    hours: Decimal


@dataclass(slots=True)
class TaxCard:
    """The employee's tax card from eSkattekort.

    ``rate`` is the trækprocent as a fraction. A hovedkort carries the deduction per month,
    14 days, week and day; a bikort only the rate; a frikort its yearly free amount and the rate
    that applies once the free amount is used up; no card means 55 % with no deduction.
    """

    type: CardType
    rate: Decimal = ZERO
    deduction_month: Decimal = ZERO
    deduction_14days: Decimal = ZERO
    deduction_week: Decimal = ZERO
    deduction_day: Decimal = ZERO
    free_amount: Decimal = ZERO


@dataclass(slots=True)
class NetDeduction:
    """Deducted from net pay (union dues, garnishment/lønindeholdelse, …)."""

    code: str
    text: str
    amount: Decimal


@dataclass(slots=True)
class Period:
    frequency: PayFrequency
    start: date
    end: date
    payment_date: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(slots=True)
class Employee:
    number: str
    name: str
    cpr: str = field(repr=False)

    @property
    def cpr_masked(self) -> str:
        """For display: only the last four digits (``XXXXXX-1234``)."""
        return "XXXXXX-" + self.cpr[-4:] if len(self.cpr) >= 4 else "XXXXXX-XXXX"


@dataclass(slots=True)
class Payer:
    cvr: str
    name: str


@dataclass(slots=True)
class YearToDate:
    """Accumulators for the tax year, carried from one period to the next."""

    am_income: Decimal = ZERO
    a_income: Decimal = ZERO
    am_contribution: Decimal = ZERO
    a_tax: Decimal = ZERO
    frikort_used: Decimal = ZERO
    atp_employee: Decimal = ZERO
    atp_employer: Decimal = ZERO
    pension_employee: Decimal = ZERO
    pension_employer: Decimal = ZERO
    holiday_pay_accrued: Decimal = ZERO
    special_allowance_accrued: Decimal = ZERO
    hours: Decimal = ZERO


@dataclass(slots=True)
class PayInput:
    """Everything the engine needs for one employee and one pay period."""

    employee: Employee
    payer: Payer
    period: Period
    tax_card: TaxCard
    atp: ATP
    elements: tuple[PayElement, ...] = ()
    benefits: Benefits = field(default_factory=Benefits)
    pension: PensionScheme | None = None
    holiday: HolidayScheme = HolidayScheme.PAID_HOLIDAY
    deductions: tuple[NetDeduction, ...] = ()
    rounding: RoundingMethod = RoundingMethod.METHOD_1
    ytd: YearToDate = field(default_factory=YearToDate)
