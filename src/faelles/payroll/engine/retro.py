"""Retro corrections: recalculate an earlier period with changed inputs and keep only the
differences (what to pay or claw back), line by line, field by field and account by account.

Both calculations start from the year-to-date values the original period started from, so the
difference is exactly what the change causes; the payroll module pays the difference lines in
the current pay run and reports the eIndkomst differences as a correction of the old period.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from faelles.payroll.engine.calc import calculate
from faelles.payroll.engine.errors import InputError
from faelles.payroll.engine.model import PayInput, Period, YearToDate
from faelles.payroll.engine.payslip import (
    DEFAULT_ACCOUNTS,
    AccountPlan,
    EIndkomst,
    LedgerLine,
    Line,
    Payslip,
)
from faelles.payroll.engine.rounding import ZERO

_TOTALS = (
    "gross",
    "benefits",
    "am_base",
    "am_contribution",
    "a_income",
    "deduction",
    "tax_base",
    "a_tax",
    "net_deductions",
    "net",
    "employer_cost",
)


@dataclass(slots=True)
class RetroCorrection:
    employee_number: str
    period: Period
    lines: tuple[Line, ...]
    employer_lines: tuple[Line, ...]
    totals: dict[str, Decimal]
    eindkomst: EIndkomst
    ledger: tuple[LedgerLine, ...]
    ytd: YearToDate

    @property
    def net(self) -> Decimal:
        """Positive: to pay to the employee; negative: to claw back."""
        return self.totals["net"]


def _diff_lines(old: tuple[Line, ...], new: tuple[Line, ...]) -> tuple[Line, ...]:
    amounts: dict[str, Decimal] = {}
    texts: dict[str, str] = {}
    for ln in new:
        amounts[ln.code] = amounts.get(ln.code, ZERO) + ln.amount
        texts.setdefault(ln.code, ln.text)
    for ln in old:
        amounts[ln.code] = amounts.get(ln.code, ZERO) - ln.amount
        texts.setdefault(ln.code, ln.text)
    return tuple(
        Line(code, "Efterregulering: " + texts[code], None, None, amount)
        for code, amount in amounts.items()
        if amount
    )


def _ledger_balance(s: Payslip) -> dict[str, tuple[str, Decimal]]:
    out: dict[str, tuple[str, Decimal]] = {}
    for x in s.ledger:
        text, bal = out.get(x.account, (x.text, ZERO))
        out[x.account] = (text, bal + x.debit - x.credit)
    return out


def retro_difference(
    original: PayInput, corrected: PayInput, accounts: AccountPlan = DEFAULT_ACCOUNTS
) -> RetroCorrection:
    """The difference lines between the original and the corrected calculation of a period."""
    if original.employee.number != corrected.employee.number:
        raise InputError(
            "retro.employee",
            "employee.number",
            "original and correction are for different employees",
            corrected.employee.number,
        )
    op, cp = original.period, corrected.period
    if (op.start, op.end, op.frequency) != (cp.start, cp.end, cp.frequency):
        raise InputError(
            "retro.period",
            "period",
            "a correction must be for the same period",
            corrected.employee.number,
        )
    if original.ytd != corrected.ytd:
        raise InputError(
            "retro.ytd",
            "ytd",
            "both calculations must start from the same year-to-date values",
            corrected.employee.number,
        )
    old = calculate(original, accounts)
    new = calculate(corrected, accounts)
    ob, nb = _ledger_balance(old), _ledger_balance(new)
    ledger: list[LedgerLine] = []
    for account in dict.fromkeys([*nb, *ob]):
        text = (nb.get(account) or ob[account])[0]
        diff = nb.get(account, ("", ZERO))[1] - ob.get(account, ("", ZERO))[1]
        if diff > 0:
            ledger.append(LedgerLine(account, text, diff, ZERO))
        elif diff < 0:
            ledger.append(LedgerLine(account, text, ZERO, -diff))
    ein_values = {
        f.name: getattr(new.eindkomst, f.name) - getattr(old.eindkomst, f.name)
        for f in fields(EIndkomst)
        if f.name != "atp_rate"
    }
    ytd = YearToDate(
        **{f.name: getattr(new.ytd, f.name) - getattr(old.ytd, f.name) for f in fields(YearToDate)}
    )
    return RetroCorrection(
        employee_number=corrected.employee.number,
        period=cp,
        lines=_diff_lines(old.lines, new.lines),
        employer_lines=_diff_lines(old.employer_lines, new.employer_lines),
        totals={k: getattr(new, k) - getattr(old, k) for k in _TOTALS},
        eindkomst=EIndkomst(**ein_values, atp_rate=new.eindkomst.atp_rate),
        ledger=tuple(ledger),
        ytd=ytd,
    )
