"""Reads and reports. Totals are computed in SQL over the balance table (whole øre, exact on
every database) and checked to balance; line-level reads stream in order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from faelles.core.money import round_money
from faelles.ledger.models import (
    DEFAULT_POSTING_ACCOUNTS,
    Account,
    AccountClass,
    Balance,
    EntryState,
    JournalEntry,
    JournalLine,
    PostingAccounts,
    VatCode,
)
from faelles.tenancy.models import Institution

ORE = Decimal(100)


@dataclass(frozen=True, slots=True)
class PostingAccountNumbers:
    """The account numbers an institution's invoices and payments post to."""

    payables: str
    input_vat: str
    bank: str


def posting_accounts(institution: Institution | int) -> PostingAccountNumbers:
    """The institution's posting accounts (one query); the common chart's accounts when it
    has chosen none (the ledger then refuses what its chart lacks)."""
    row = (
        PostingAccounts.objects.for_institution(institution)
        .values_list(
            "payables_account__number", "input_vat_account__number", "bank_account__number"
        )
        .first()
    )
    if row is None:
        return PostingAccountNumbers(
            DEFAULT_POSTING_ACCOUNTS["payables_account"],
            DEFAULT_POSTING_ACCOUNTS["input_vat_account"],
            DEFAULT_POSTING_ACCOUNTS["bank_account"],
        )
    return PostingAccountNumbers(*row)


def posting_accounts_annotations(institution_field: str = "institution_id") -> dict[str, Any]:
    """The posting accounts of the institution named by ``institution_field`` as
    annotations, so that a query the caller makes anyway reads them (no round trip of its
    own); :func:`posting_accounts_from_row` turns them into numbers."""

    def number(field: str) -> Subquery:
        return Subquery(
            PostingAccounts.objects.filter(institution_id=OuterRef(institution_field))
            .order_by("pk")
            .values(f"{field}__number")[:1]
        )

    return {
        "posting_payables": number("payables_account"),
        "posting_input_vat": number("input_vat_account"),
        "posting_bank": number("bank_account"),
    }


def posting_accounts_from_row(row: Any) -> PostingAccountNumbers:
    """The numbers annotated by :func:`posting_accounts_annotations` (the common chart's
    accounts where the institution has chosen none, as :func:`posting_accounts`)."""
    return PostingAccountNumbers(
        getattr(row, "posting_payables", None) or DEFAULT_POSTING_ACCOUNTS["payables_account"],
        getattr(row, "posting_input_vat", None) or DEFAULT_POSTING_ACCOUNTS["input_vat_account"],
        getattr(row, "posting_bank", None) or DEFAULT_POSTING_ACCOUNTS["bank_account"],
    )


def posting_accounts_config(institution: Institution) -> PostingAccounts | None:
    """The institution's row with its accounts (for the page and the API)."""
    return (
        PostingAccounts.objects.for_institution(institution)
        .select_related("payables_account", "input_vat_account", "bank_account")
        .first()
    )


def _kr(ore: int | None) -> Decimal:
    return (Decimal(ore or 0) / ORE).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class TrialBalanceRow:
    number: str
    name: str
    account_class: str
    type: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


@dataclass
class TrialBalance:
    institution: Institution
    year: int
    period_from: int
    period_to: int
    rows: list[TrialBalanceRow] = field(default_factory=list)

    @property
    def total_debit(self) -> Decimal:
        return sum((r.debit for r in self.rows), Decimal("0.00"))

    @property
    def total_credit(self) -> Decimal:
        return sum((r.credit for r in self.rows), Decimal("0.00"))

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit


def _balances(
    institution: Institution,
    *,
    year: int,
    period_from: int = 1,
    period_to: int = 12,
    org_unit_id: int | None = None,
    purpose_id: int | None = None,
) -> QuerySet[Balance]:
    qs = Balance.objects.for_institution(institution).filter(
        period__fiscal_year__year=year,
        period__number__gte=period_from,
        period__number__lte=period_to,
    )
    if org_unit_id is not None:
        qs = qs.filter(org_unit_key=org_unit_id)
    if purpose_id is not None:
        qs = qs.filter(purpose_key=purpose_id)
    return qs


def trial_balance(
    institution: Institution,
    *,
    year: int,
    period_from: int = 1,
    period_to: int = 12,
    org_unit_id: int | None = None,
    purpose_id: int | None = None,
) -> TrialBalance:
    """Debit and credit per account over a period range, with optional dimension filters."""
    rows = (
        _balances(
            institution,
            year=year,
            period_from=period_from,
            period_to=period_to,
            org_unit_id=org_unit_id,
            purpose_id=purpose_id,
        )
        .values("account__number", "account__name", "account__account_class", "account__type")
        .annotate(d=Sum("debit_ore"), c=Sum("credit_ore"))
        .order_by("account__number")
    )
    report = TrialBalance(institution, year, period_from, period_to)
    for row in rows:
        if not row["d"] and not row["c"]:
            continue
        report.rows.append(
            TrialBalanceRow(
                row["account__number"],
                row["account__name"],
                row["account__account_class"],
                row["account__type"],
                _kr(row["d"]),
                _kr(row["c"]),
            )
        )
    return report


@dataclass(frozen=True, slots=True)
class ClassTotal:
    account_class: str
    label: str
    groups: list[tuple[str, str, Decimal]]
    total: Decimal


def _by_class(report: TrialBalance, classes: list[str], sign: int) -> list[ClassTotal]:
    names = dict(
        Account.objects.for_institution(report.institution)
        .filter(is_postable=False)
        .values_list("number", "name")
    )
    out = []
    for cls in classes:
        groups: dict[str, Decimal] = defaultdict(Decimal)
        for row in report.rows:
            if row.account_class == cls:
                groups[row.number[:2]] += row.balance * sign
        out.append(
            ClassTotal(
                cls,
                str(AccountClass(cls).label),
                [(g, names.get(g, g), v) for g, v in sorted(groups.items())],
                sum(groups.values(), Decimal("0.00")),
            )
        )
    return out


def income_statement(institution: Institution, *, year: int, period_to: int = 12) -> dict[str, Any]:
    """Operating items and transfers (classes 10–49); positive result is a surplus."""
    report = trial_balance(institution, year=year, period_to=period_to)
    classes = _by_class(report, [AccountClass.OPERATING, AccountClass.TRANSFERS], -1)
    return {"classes": classes, "result": sum((c.total for c in classes), Decimal("0.00"))}


def balance_sheet(institution: Institution, *, year: int, period_to: int = 12) -> dict[str, Any]:
    """Assets against liabilities and equity, with the year's result so far; must balance."""
    report = trial_balance(institution, year=year, period_to=period_to)
    (assets,) = _by_class(report, [AccountClass.ASSETS], 1)
    (liabilities,) = _by_class(report, [AccountClass.LIABILITIES], -1)
    result = income_statement(institution, year=year, period_to=period_to)["result"]
    return {
        "assets": assets,
        "liabilities": liabilities,
        "result": result,
        "balanced": assets.total == liabilities.total + result,
    }


@dataclass(frozen=True, slots=True)
class StatementLine:
    date: date
    number: int | None
    description: str
    voucher_ref: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    entry_id: int


def account_statement(
    institution: Institution, *, account: Account, date_from: date, date_to: date
) -> tuple[Decimal, Iterator[StatementLine]]:
    """Opening balance at ``date_from`` and the posted lines to ``date_to`` with a running
    balance (debit positive)."""
    posted = JournalLine.objects.for_institution(institution).filter(
        account=account, entry__state=EntryState.POSTED
    )
    before = posted.filter(entry__date__lt=date_from).aggregate(d=Sum("debit"), c=Sum("credit"))
    opening = round_money(before["d"] or 0) - round_money(before["c"] or 0)

    def lines() -> Iterator[StatementLine]:
        running = opening
        for row in (
            posted.filter(entry__date__gte=date_from, entry__date__lte=date_to)
            .order_by("entry__date", "entry__number", "line_no")
            .values_list(
                "entry__date",
                "entry__number",
                "entry__description",
                "entry__voucher_ref",
                "debit",
                "credit",
                "entry_id",
            )
            .iterator(chunk_size=2000)
        ):
            running += row[4] - row[5]
            yield StatementLine(row[0], row[1], row[2], row[3], row[4], row[5], running, row[6])

    return opening, lines()


@dataclass(frozen=True, slots=True)
class VatStatement:
    input_vat: Decimal
    output_vat: Decimal
    reverse_charge_vat: Decimal

    @property
    def payable(self) -> Decimal:
        """Positive: owed to the tax authority; negative: to be refunded."""
        return self.output_vat + self.reverse_charge_vat - self.input_vat


def vat_statement(
    institution: Institution, *, year: int, period_from: int = 1, period_to: int = 12
) -> VatStatement:
    """Input VAT (deductible), sales VAT and reverse-charge VAT for a period range."""
    codes = VatCode.objects.for_institution(institution)
    input_ids = {c.input_account_id for c in codes if c.input_account_id}
    sales_ids = {c.output_account_id for c in codes if c.kind == "sales" and c.output_account_id}
    rc_ids = {
        c.output_account_id for c in codes if c.kind == "reverse_charge" and c.output_account_id
    }
    qs = _balances(institution, year=year, period_from=period_from, period_to=period_to)

    def net(ids: set[Any], sign: int) -> Decimal:
        agg = qs.filter(account_id__in=ids).aggregate(d=Sum("debit_ore"), c=Sum("credit_ore"))
        return _kr(((agg["d"] or 0) - (agg["c"] or 0)) * sign)

    return VatStatement(net(input_ids, 1), net(sales_ids, -1), net(rc_ids, -1))


def monthly_costs(institution: Institution, *, year: int) -> list[dict[str, Any]]:
    """Expenses per month and account group (first two digits), for the cost chart."""
    rows = (
        _balances(institution, year=year)
        .filter(account__type="expense")
        .values("period__number", "account__number")
        .annotate(d=Sum("debit_ore"), c=Sum("credit_ore"))
    )
    months: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        months[row["period__number"]][row["account__number"][:2]] += _kr(row["d"]) - _kr(row["c"])
    return [{"month": m, "groups": dict(sorted(months[m].items()))} for m in range(1, 13)]


def entries(institution: Institution) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.for_institution(institution).select_related(
        "fiscal_year", "period", "created_by", "posted_by"
    )


def entries_all() -> QuerySet[JournalEntry]:
    """Entries of every institution; pass through the access gate before use."""
    return JournalEntry.objects.select_related(
        "institution", "fiscal_year", "period", "created_by", "posted_by", "reversal_of"
    )
