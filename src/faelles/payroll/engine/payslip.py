"""The calculation's result: a payslip value with every line, employer lines, the eIndkomst
amount fields, the ledger lines and the year-to-date accumulators after the period.

Employee lines carry a sign: earnings and benefits are positive, everything withheld is
negative, so the lines of a payslip always sum to its net pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from faelles.payroll.engine.model import Period, YearToDate
from faelles.payroll.engine.rounding import RoundingMethod


@dataclass(slots=True)
class Line:
    """One line: element, base, rate and amount (base and rate where they mean something).

    The rate of an element or ATP line is kroner per hour (base = hours); every other rate is
    a fraction (``Decimal("0.08")`` for 8 %).
    """

    code: str
    text: str
    base: Decimal | None
    rate: Decimal | None
    amount: Decimal


@dataclass(slots=True)
class LedgerLine:
    account: str
    text: str
    debit: Decimal
    credit: Decimal


@dataclass(slots=True)
class AccountPlan:
    """Accounts of the state's standard chart (Statens standardkontoplan) the payroll posts to;
    the numbers are the ones in ``faelles.ledger.chart``."""

    salaries: str = "1811"
    overtime: str = "1818"
    holiday_pay: str = "1816"
    pension: str = "1881"
    atp: str = "1882"
    tax_payable: str = "9130"
    atp_payable: str = "9140"
    pension_payable: str = "9150"
    net_pay_payable: str = "9160"
    holiday_payable: str = "9170"
    other_payable: str = "9190"


DEFAULT_ACCOUNTS = AccountPlan()

# eIndkomst field numbers and names (SKAT, "eIndkomst: Indberetningsvejledning", section 8).
EINDKOMST_FIELDS: tuple[tuple[str, str], ...] = (
    ("13", "A-indkomst, hvoraf der skal betales arbejdsmarkedsbidrag"),
    ("14", "A-indkomst, hvoraf der ikke skal betales arbejdsmarkedsbidrag"),
    ("15", "Indeholdt A-skat"),
    ("16", "Indeholdt arbejdsmarkedsbidrag"),
    ("19", "Værdi af fri bil til rådighed"),
    ("20", "Værdi af fri telefon mm."),
    ("21", "Værdi af fri kost og logi"),
    ("26", "Værdi af arbejdsgiverbetalt sundhedsforsikring og -behandling"),
    ("46", "ATP-bidrag (lønmodtagerens og arbejdsgiverens andel)"),
    ("147", "Bidrag til arbejdsgiveradministreret pensionsordning (i alt)"),
    ("178", "Heraf arbejdsgiverens andel af pensionsbidrag"),
    ("200", "Løntimer"),
)


@dataclass(slots=True)
class EIndkomst:
    """The period's amounts for the eIndkomst report of this employee."""

    f13: Decimal
    f14: Decimal
    f15: Decimal
    f16: Decimal
    f19: Decimal
    f20: Decimal
    f21: Decimal
    f26: Decimal
    f46: Decimal
    f147: Decimal
    f178: Decimal
    f200: Decimal
    atp_rate: str

    def fields(self) -> tuple[tuple[str, str, Decimal], ...]:
        values = (
            self.f13,
            self.f14,
            self.f15,
            self.f16,
            self.f19,
            self.f20,
            self.f21,
            self.f26,
            self.f46,
            self.f147,
            self.f178,
            self.f200,
        )
        return tuple((no, name, v) for (no, name), v in zip(EINDKOMST_FIELDS, values, strict=True))


@dataclass(slots=True)
class Payslip:
    employee_number: str
    employee_name: str
    cpr_masked: str
    payer_cvr: str
    payer_name: str
    period: Period
    rounding: RoundingMethod
    card: str
    lines: tuple[Line, ...]
    employer_lines: tuple[Line, ...]
    gross: Decimal
    benefits: Decimal
    am_base: Decimal
    am_contribution: Decimal
    a_income: Decimal
    deduction: Decimal
    tax_base: Decimal
    a_tax: Decimal
    net_deductions: Decimal
    net: Decimal
    employer_cost: Decimal
    eindkomst: EIndkomst
    ledger: tuple[LedgerLine, ...]
    ytd: YearToDate
    warnings: tuple[str, ...]

    def withheld(self) -> Decimal:
        """Everything withheld from the employee: ATP, own pension, AM-bidrag, A-skat."""
        return sum(
            (-ln.amount for ln in self.lines if ln.code in _WITHHELD),
            start=Decimal("0.00"),
        )


_WITHHELD = frozenset({"atp:employee", "pension:employee", "am", "tax:a"})
