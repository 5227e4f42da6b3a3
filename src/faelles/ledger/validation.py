"""Validation passes: each returns a list of problems, empty when all is well.

Posting runs the entry passes and refuses on any problem; ``faelles ledger check`` runs the
invariant passes over whole institutions. A problem carries a stable code, a message and,
where it has one, the line it is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from faelles.ledger.models import Account, Period


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True, slots=True)
class ResolvedLine:
    """A line whose account and dimensions have been looked up (ids) for validation."""

    line_no: int
    account: Account | None
    account_number: str
    org_unit_id: int | None
    purpose_id: int | None
    debit: Decimal
    credit: Decimal


def check_amounts(lines: Sequence[ResolvedLine]) -> list[Problem]:
    problems: list[Problem] = []
    if len(lines) < 2:
        problems.append(Problem("too_few_lines", _("An entry needs at least two lines.")))
    for line in lines:
        if line.debit < 0 or line.credit < 0:
            problems.append(
                Problem("negative_amount", _("Debit and credit cannot be negative."), line.line_no)
            )
        elif line.debit and line.credit:
            problems.append(
                Problem(
                    "debit_and_credit",
                    _("A line has either a debit or a credit, not both."),
                    line.line_no,
                )
            )
        elif not line.debit and not line.credit:
            problems.append(Problem("zero_line", _("A line needs an amount."), line.line_no))
        for value in (line.debit, line.credit):
            if value != value.quantize(Decimal("0.01")):
                problems.append(
                    Problem(
                        "too_many_decimals",
                        _("DKK amounts have at most two decimals: %(value)s") % {"value": value},
                        line.line_no,
                    )
                )
    return problems


def check_balanced(lines: Sequence[ResolvedLine]) -> list[Problem]:
    debit = sum((line.debit for line in lines), Decimal(0))
    credit = sum((line.credit for line in lines), Decimal(0))
    if debit != credit:
        return [
            Problem(
                "unbalanced",
                _("The entry does not balance: debit %(debit)s, credit %(credit)s DKK.")
                % {"debit": f"{debit:.2f}", "credit": f"{credit:.2f}"},
            )
        ]
    return []


def check_accounts(lines: Sequence[ResolvedLine]) -> list[Problem]:
    problems: list[Problem] = []
    for line in lines:
        account = line.account
        if account is None:
            problems.append(
                Problem(
                    "unknown_account",
                    _("Account %(number)s does not exist.") % {"number": line.account_number},
                    line.line_no,
                )
            )
            continue
        if not account.is_postable:
            problems.append(
                Problem(
                    "not_postable",
                    _("Account %(number)s is a sum account and cannot be posted to.")
                    % {"number": account.number},
                    line.line_no,
                )
            )
        if not account.is_active:
            problems.append(
                Problem(
                    "inactive_account",
                    _("Account %(number)s is closed for posting.") % {"number": account.number},
                    line.line_no,
                )
            )
    return problems


def check_dimensions(lines: Sequence[ResolvedLine]) -> list[Problem]:
    problems: list[Problem] = []
    for line in lines:
        account = line.account
        if account is None:
            continue
        if account.requires_org_unit and line.org_unit_id is None:
            problems.append(
                Problem(
                    "missing_org_unit",
                    _("Account %(number)s requires a cost centre.") % {"number": account.number},
                    line.line_no,
                )
            )
        if account.requires_purpose and line.purpose_id is None:
            problems.append(
                Problem(
                    "missing_purpose",
                    _("Account %(number)s requires a purpose.") % {"number": account.number},
                    line.line_no,
                )
            )
    return problems


def check_period(entry_date: date, period: Period | None) -> list[Problem]:
    if period is None:
        return [
            Problem(
                "no_period",
                _("No fiscal period covers %(date)s; open the fiscal year first.")
                % {"date": entry_date.isoformat()},
            )
        ]
    if period.state != "open":
        return [
            Problem(
                "period_not_open",
                _("Period %(period)s is %(state)s; nothing can be posted into it.")
                % {"period": str(period), "state": str(period.get_state_display()).lower()},
            )
        ]
    return []


def entry_problems(
    entry_date: date, period: Period | None, lines: Sequence[ResolvedLine]
) -> list[Problem]:
    """All entry passes; posting refuses an entry with any problem."""
    return [
        *check_period(entry_date, period),
        *check_amounts(lines),
        *check_balanced(lines),
        *check_accounts(lines),
        *check_dimensions(lines),
    ]


def join(problems: Iterable[Problem]) -> str:
    return "; ".join(str(p) for p in problems)
