"""Every write to the ledger. This module is the contract other modules post through.

* ``entry_record`` posts one entry from a source document, idempotently;
  ``entries_record_batch`` posts thousands in one call with set-based inserts.
* ``entry_create`` / ``entry_post`` are the two steps of a manual entry by bookkeepers;
  where the institution requires two persons, the creator cannot post it.
* ``entry_reverse`` is the only correction of a posted entry.

Posting validates (``validation.entry_problems``), takes gap-free numbers per institution and
fiscal year, stores the entry's content hash, updates the balances and appends one audit
event per entry to the institution's chain, all in one transaction.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core import bulk
from faelles.core.access import user_can
from faelles.core.audit import Refused, record_event, record_events_bulk, refusals_recorded
from faelles.core.money import round_money
from faelles.core.numbering import next_numbers
from faelles.ledger.chart import COMMON_CHART, COMMON_VAT_CODES
from faelles.ledger.hashing import entry_hash
from faelles.ledger.models import (
    DEFAULT_POSTING_ACCOUNTS,
    Account,
    EntryState,
    FiscalYear,
    JournalEntry,
    JournalLine,
    Period,
    PostingAccounts,
    Purpose,
    VatCode,
    account_class_for,
)
from faelles.ledger.validation import Problem, ResolvedLine, entry_problems, join
from faelles.tenancy.models import Institution, Role, User

CENT = Decimal("0.01")
RATE_SCALE = Decimal("0.000001")
JOURNAL_SERIES = "journal"


class LedgerError(ValidationError):
    """A refused ledger write; ``problems`` lists every reason with its code."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(join(self.problems))


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One line to post. Accounts, cost centres, purposes and VAT codes are named by code."""

    account: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    org_unit: str | None = None
    purpose: str | None = None
    vat_code: str | None = None
    currency: str = "DKK"
    currency_amount: Decimal | None = None
    rate: Decimal = Decimal(1)
    text: str = ""


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """An entry to post: a date, a description, balanced lines and the source it comes from."""

    date: date
    description: str
    lines: Sequence[LineSpec]
    voucher_ref: str = ""
    source_type: str = ""
    source_id: str = ""


@dataclass
class BatchResult:
    """What a batch did: posted entries, sources already posted, and refused specs by index."""

    posted: list[JournalEntry] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: dict[int, list[Problem]] = field(default_factory=dict)


# --- lookups ------------------------------------------------------------------------------


class _Resolver:
    """Per-institution lookups for a batch: one query per kind, not one per line."""

    def __init__(self, institution: Institution) -> None:
        self.institution = institution
        self.accounts: dict[str, Account] = {}
        self.org_units: dict[str, int] = {}
        self.purposes: dict[str, int] = {}
        self.vat_codes: dict[str, int] = {}
        self.periods: list[Period] = []
        years: dict[int, FiscalYear] = {}
        with connection.cursor() as cursor:
            cursor.execute(_RESOLVER_SQL, [institution.pk] * 5)
            rows = cursor.fetchall()
        for kind, pk, code, *rest in rows:
            if kind == "a":
                (name, type_, class_, parent, common, postable, active, org, purpose, vat) = rest[
                    :10
                ]
                account = Account(
                    id=pk,
                    institution_id=institution.pk,
                    number=code,
                    name=name,
                    type=type_,
                    account_class=class_,
                    parent_id=parent,
                    is_common=bool(common),
                    is_postable=bool(postable),
                    is_active=bool(active),
                    requires_org_unit=bool(org),
                    requires_purpose=bool(purpose),
                    default_vat_code_id=vat,
                )
                account._state.adding = False
                account._state.db = "default"
                self.accounts[code] = account
            elif kind == "o":
                self.org_units[code] = pk
            elif kind == "p":
                self.purposes[code] = pk
            elif kind == "v":
                self.vat_codes[code] = pk
            else:
                fy_id, number, start, end, state, year, fy_start, fy_end, fy_state = rest[10:]
                fiscal_year = years.get(fy_id)
                if fiscal_year is None:
                    fiscal_year = FiscalYear(
                        id=fy_id,
                        institution_id=institution.pk,
                        year=year,
                        start=_day(fy_start),
                        end=_day(fy_end),
                        state=fy_state,
                    )
                    fiscal_year._state.adding = False
                    fiscal_year._state.db = "default"
                    years[fy_id] = fiscal_year
                period = Period(
                    id=pk,
                    institution_id=institution.pk,
                    fiscal_year=fiscal_year,
                    number=number,
                    start=_day(start),
                    end=_day(end),
                    state=state,
                )
                period._state.adding = False
                period._state.db = "default"
                self.periods.append(period)
        self.periods.sort(key=lambda p: p.start)

    def period_for(self, on: date) -> Period | None:
        for period in self.periods:
            if period.start <= on <= period.end:
                return period
        return None

    def resolve(self, spec: EntrySpec) -> tuple[list[ResolvedLine], list[Problem]]:
        problems: list[Problem] = []
        resolved: list[ResolvedLine] = []
        for no, line in enumerate(spec.lines, start=1):
            org_unit_id = purpose_id = None
            if line.org_unit:
                org_unit_id = self.org_units.get(line.org_unit)
                if org_unit_id is None:
                    problems.append(
                        Problem(
                            "unknown_org_unit",
                            _("Cost centre %(code)s does not exist or is inactive.")
                            % {"code": line.org_unit},
                            no,
                        )
                    )
            if line.purpose:
                purpose_id = self.purposes.get(line.purpose)
                if purpose_id is None:
                    problems.append(
                        Problem(
                            "unknown_purpose",
                            _("Purpose %(code)s does not exist or is inactive.")
                            % {"code": line.purpose},
                            no,
                        )
                    )
            if line.vat_code and line.vat_code not in self.vat_codes:
                problems.append(
                    Problem(
                        "unknown_vat_code",
                        _("VAT code %(code)s does not exist.") % {"code": line.vat_code},
                        no,
                    )
                )
            resolved.append(
                ResolvedLine(
                    no,
                    self.accounts.get(line.account),
                    line.account,
                    org_unit_id,
                    purpose_id,
                    _to_amount(line.debit),
                    _to_amount(line.credit),
                )
            )
        return resolved, problems


def _day(value: Any) -> date:
    """A date column as read by a raw query (SQLite answers text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


#: One query for everything a batch resolves by code: the chart's accounts, the active cost
#: centres and purposes, the VAT codes and the periods with their fiscal years (one round trip
#: instead of five). Fixed text; only the institution is a parameter.
_RESOLVER_SQL = (
    "SELECT 'a', id, number, name, type, account_class, parent_id, is_common, is_postable, "
    "is_active, requires_org_unit, requires_purpose, default_vat_code_id, "
    # Typed in the first branch: PostgreSQL types a union's columns from left to right.
    "CAST(NULL AS bigint), CAST(NULL AS integer), CAST(NULL AS date), CAST(NULL AS date), "
    "CAST(NULL AS varchar(10)), CAST(NULL AS integer), CAST(NULL AS date), "
    "CAST(NULL AS date), CAST(NULL AS varchar(10)) FROM ledger_account WHERE institution_id = %s "
    "UNION ALL SELECT 'o', id, code, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM tenancy_orgunit WHERE institution_id = %s AND is_active "
    "UNION ALL SELECT 'p', id, code, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM ledger_purpose WHERE institution_id = %s AND is_active "
    "UNION ALL SELECT 'v', id, code, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM ledger_vatcode WHERE institution_id = %s "
    "UNION ALL SELECT 'y', p.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    'p.fiscal_year_id, p.number, p.start, p."end", p.state, y.year, y.start, y."end", y.state '
    "FROM ledger_period p JOIN ledger_fiscalyear y ON y.id = p.fiscal_year_id "
    "WHERE p.institution_id = %s"
)


def _to_amount(value: Any) -> Decimal:
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    return Decimal(value)


def _check_role(actor: User, institution: Institution, roles: set[str]) -> None:
    """Own roles, operator staff roles and roles held as a substitute all count."""
    if not user_can(actor, institution, roles):
        raise LedgerError(
            [Problem("not_permitted", _("You do not have a role that may do this here."))]
        )


# --- chart, dimensions, periods --------------------------------------------------------------


@transaction.atomic
def chart_adopt(*, actor: User, institution: Institution) -> int:
    """Give an institution the common chart and VAT codes; idempotent. Returns accounts added."""
    existing = set(Account.objects.for_institution(institution).values_list("number", flat=True))
    by_number: dict[str, Account] = {
        a.number: a for a in Account.objects.for_institution(institution)
    }
    added = 0
    # Sum accounts first (they are the parents), then the postable accounts beneath them;
    # one bulk insert each. The database's unique constraint guards the numbers.
    for level in (2, 4):
        batch = []
        for tmpl in COMMON_CHART:
            if tmpl.number in existing or len(tmpl.number) != level:
                continue
            account = Account(
                institution=institution,
                number=tmpl.number,
                name=tmpl.name,
                type=tmpl.type,
                account_class=account_class_for(tmpl.number),
                parent=by_number.get(tmpl.number[:2]) if level > 2 else None,
                is_common=True,
                is_postable=tmpl.postable,
                requires_org_unit=tmpl.requires_org_unit,
                requires_purpose=tmpl.requires_purpose,
            )
            account.full_clean(validate_unique=False, validate_constraints=False)
            batch.append(account)
        for account in Account.objects.bulk_create(batch):
            by_number[account.number] = account
        added += len(batch)
    vat_existing = set(VatCode.objects.for_institution(institution).values_list("code", flat=True))
    for vt in COMMON_VAT_CODES:
        if vt.code in vat_existing:
            continue
        VatCode.objects.create(
            institution=institution,
            code=vt.code,
            name=vt.name,
            kind=vt.kind,
            rate=vt.rate,
            input_account=by_number.get(vt.input_account),
            output_account=by_number.get(vt.output_account),
        )
    # Default VAT codes: one update per code, not one per account.
    for vat in VatCode.objects.for_institution(institution):
        numbers = [t.number for t in COMMON_CHART if t.vat_code == vat.code]
        if numbers:
            Account.objects.for_institution(institution).filter(
                number__in=numbers, default_vat_code=None
            ).update(default_vat_code=vat)
    if added:
        record_event(
            institution=institution,
            actor=actor,
            action="ledger.chart.adopted",
            object_type="ledger.chart",
            object_id=str(institution.pk),
            details={"accounts_added": added},
        )
    _posting_accounts_default(actor, institution, by_number)
    return added


def _posting_accounts_default(
    actor: User, institution: Institution, by_number: dict[str, Account]
) -> None:
    """Give an institution that adopts the chart the common posting accounts, unless it
    has its own already."""
    if PostingAccounts.objects.filter(institution=institution).exists():
        return
    accounts = {name: by_number.get(number) for name, number in DEFAULT_POSTING_ACCOUNTS.items()}
    if any(account is None for account in accounts.values()):
        return
    config = PostingAccounts(institution=institution, **accounts)
    config.full_clean()
    config.save()
    record_event(
        institution=institution,
        actor=actor,
        action="ledger.posting_accounts.created",
        obj=config,
        details=dict(DEFAULT_POSTING_ACCOUNTS),
    )


@refusals_recorded
@transaction.atomic
def posting_accounts_set(
    *,
    actor: User,
    institution: Institution,
    payables_account: str,
    input_vat_account: str,
    bank_account: str,
) -> PostingAccounts:
    """Choose the accounts the institution's invoices and payments post to (a bookkeeper or
    the local administrator). Each must be a postable, active account of the institution's
    own chart. Only later postings use them: posted entries keep their accounts."""
    if not user_can(actor, institution, {Role.BOOKKEEPER, Role.LOCAL_ADMIN}):
        raise Refused(
            _("Only a bookkeeper or the local administrator may change the posting accounts."),
            code="not_permitted",
            action="ledger.posting_accounts.update",
            institution=institution,
        )
    wanted = {
        "payables_account": payables_account.strip(),
        "input_vat_account": input_vat_account.strip(),
        "bank_account": bank_account.strip(),
    }
    found = {
        a.number: a
        for a in Account.objects.for_institution(institution).filter(number__in=wanted.values())
    }
    missing = {
        name: [
            ValidationError(
                _("Account %(n)s does not exist in the chart.") % {"n": number}, code="unknown"
            )
        ]
        for name, number in wanted.items()
        if number not in found
    }
    if missing:
        raise ValidationError(missing)
    config = (
        PostingAccounts.objects.select_for_update(of=("self",))
        .select_related("payables_account", "input_vat_account", "bank_account")
        .filter(institution=institution)
        .first()
    )
    old: dict[str, str] = {}
    if config is None:
        config = PostingAccounts(institution=institution)
    else:
        old = {name: getattr(config, name).number for name in wanted}
    for name, number in wanted.items():
        setattr(config, name, found[number])
    config.full_clean()
    changes = {
        name: [old.get(name), number] for name, number in wanted.items() if old.get(name) != number
    }
    if not changes:
        return config
    config.save()
    record_event(
        institution=institution,
        actor=actor,
        action="ledger.posting_accounts.updated",
        obj=config,
        details=changes,
    )
    return config


@transaction.atomic
def account_create_local(
    *,
    actor: User,
    institution: Institution,
    parent_number: str,
    number: str,
    name: str,
    requires_org_unit: bool | None = None,
    requires_purpose: bool | None = None,
) -> Account:
    """A local account beneath a common one; its number starts with the parent's."""
    parent = Account.objects.for_institution(institution).filter(number=parent_number).first()
    if parent is None or not parent.is_common:
        raise ValidationError(
            {"parent_number": _("%(n)s is not a common account.") % {"n": parent_number}}
        )
    if not number.startswith(parent.number) or len(number) <= len(parent.number):
        raise ValidationError(
            {
                "number": _("A local account's number starts with its parent's (%(p)s).")
                % {"p": parent.number}
            }
        )
    account = Account(
        institution=institution,
        number=number,
        name=name,
        type=parent.type,
        account_class=parent.account_class,
        parent=parent,
        is_common=False,
        is_postable=True,
        requires_org_unit=parent.requires_org_unit
        if requires_org_unit is None
        else requires_org_unit,
        requires_purpose=parent.requires_purpose if requires_purpose is None else requires_purpose,
        default_vat_code=parent.default_vat_code,
    )
    account.full_clean()
    account.save()
    record_event(
        institution=institution,
        actor=actor,
        action="ledger.account.created",
        obj=account,
        details={"number": number, "name": name, "parent": parent.number},
    )
    return account


@transaction.atomic
def account_update(
    *,
    actor: User,
    account: Account,
    name: str | None = None,
    is_active: bool | None = None,
    requires_org_unit: bool | None = None,
    requires_purpose: bool | None = None,
) -> Account:
    """Rename, close or change the required dimensions of an account (never its number)."""
    changes: dict[str, Any] = {}
    for attr, value in (
        ("name", name),
        ("is_active", is_active),
        ("requires_org_unit", requires_org_unit),
        ("requires_purpose", requires_purpose),
    ):
        if value is not None and getattr(account, attr) != value:
            changes[attr] = [getattr(account, attr), value]
            setattr(account, attr, value)
    account.full_clean()
    account.save()
    if changes:
        record_event(
            institution=account.institution,
            actor=actor,
            action="ledger.account.updated",
            obj=account,
            details=changes,
        )
    return account


@transaction.atomic
def purpose_create(*, actor: User, institution: Institution, code: str, name: str) -> Purpose:
    purpose = Purpose(institution=institution, code=code, name=name)
    purpose.full_clean()
    purpose.save()
    record_event(
        institution=institution,
        actor=actor,
        action="ledger.purpose.created",
        obj=purpose,
        details={"code": code, "name": name},
    )
    return purpose


@transaction.atomic
def fiscal_year_open(*, actor: User, institution: Institution, year: int) -> FiscalYear:
    """Open a calendar fiscal year with twelve monthly periods; idempotent."""
    fy = FiscalYear.objects.for_institution(institution).filter(year=year).first()
    if fy is not None:
        return fy
    fy = FiscalYear(
        institution=institution, year=year, start=date(year, 1, 1), end=date(year, 12, 31)
    )
    fy.full_clean()
    fy.save()
    Period.objects.bulk_create(
        Period(
            institution=institution,
            fiscal_year=fy,
            number=month,
            start=date(year, month, 1),
            end=date(year, month, calendar.monthrange(year, month)[1]),
        )
        for month in range(1, 13)
    )
    record_event(
        institution=institution,
        actor=actor,
        action="ledger.fiscal_year.opened",
        obj=fy,
        details={"year": year},
    )
    return fy


_TRANSITIONS = {
    ("open", "closed"),
    ("closed", "open"),
    ("closed", "locked"),
    ("open", "locked"),
}


@transaction.atomic
def period_set_state(*, actor: User, period: Period, state: str) -> Period:
    """Close, reopen or lock a period. A locked period never opens again."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.state == state:
        return period
    if (period.state, state) not in _TRANSITIONS:
        raise LedgerError(
            [
                Problem(
                    "period_transition",
                    _("Period %(p)s is %(from)s and cannot become %(to)s.")
                    % {"p": str(period), "from": period.get_state_display(), "to": state},
                )
            ]
        )
    _check_role(actor, period.institution, {Role.BOOKKEEPER, Role.LOCAL_ADMIN})
    old = period.state
    period.state = state
    period.save(update_fields=["state"])
    record_event(
        institution=period.institution,
        actor=actor,
        action=f"ledger.period.{state}",
        obj=period,
        details={"period": str(period), "from": old, "to": state},
    )
    return period


# --- posting --------------------------------------------------------------------------------


@dataclass
class _Prepared:
    spec: EntrySpec
    period: Period
    lines: list[ResolvedLine]
    kind: str
    reversal_of: JournalEntry | None = None


def _line_values(prep: _Prepared, resolver: _Resolver) -> list[dict[str, Any]]:
    rows = []
    for spec_line, line in zip(prep.spec.lines, prep.lines, strict=True):
        assert line.account is not None
        amount = line.debit - line.credit
        currency_amount = (
            spec_line.currency_amount if spec_line.currency_amount is not None else amount
        )
        rows.append(
            {
                "line_no": line.line_no,
                "account_id": line.account.pk,
                "account_number": line.account.number,
                "org_unit_id": line.org_unit_id,
                "purpose_id": line.purpose_id,
                "vat_code_id": resolver.vat_codes.get(spec_line.vat_code)
                if spec_line.vat_code
                else None,
                "debit": line.debit.quantize(CENT),
                "credit": line.credit.quantize(CENT),
                "currency": spec_line.currency,
                "currency_amount": round_money(currency_amount, spec_line.currency),
                "rate": Decimal(spec_line.rate).quantize(RATE_SCALE),
                "text": spec_line.text,
            }
        )
    return rows


def _header(
    institution: Institution,
    year: int,
    number: int,
    spec: EntrySpec,
    kind: str,
    reversal_of_id: int | None,
) -> dict[str, Any]:
    return {
        "institution_id": institution.pk,
        "year": year,
        "number": number,
        "date": spec.date,
        "description": spec.description,
        "voucher_ref": spec.voucher_ref,
        "source_type": spec.source_type,
        "source_id": spec.source_id,
        "kind": kind,
        "reversal_of_id": reversal_of_id,
    }


# Fixed text; only "(%s, ...)" placeholder groups are put in for {rows}.
_BALANCE_UPSERT = (
    "INSERT INTO ledger_balance (institution_id, account_id, period_id, org_unit_key, "
    "purpose_key, debit_ore, credit_ore, line_count) VALUES {rows} "
    "ON CONFLICT (institution_id, account_id, period_id, org_unit_key, purpose_key) "
    "DO UPDATE SET debit_ore = ledger_balance.debit_ore + excluded.debit_ore, "
    "credit_ore = ledger_balance.credit_ore + excluded.credit_ore, "
    "line_count = ledger_balance.line_count + excluded.line_count"
)


def _apply_balances(institution: Institution, rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Add posted lines to the balance rows with one upsert (same SQL on PostgreSQL and SQLite).

    ``rows`` holds (period id, line values); posted lines are only ever added (reversals
    post their own lines).
    """
    totals: dict[tuple[int, int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for period_id, row in rows:
        key = (row["account_id"], period_id, row["org_unit_id"] or 0, row["purpose_id"] or 0)
        acc = totals[key]
        acc[0] += int(row["debit"] * 100)
        acc[1] += int(row["credit"] * 100)
        acc[2] += 1
    if not totals:
        return
    params: list[Any] = []
    values = []
    for key in sorted(totals):  # fixed order: no deadlocks between concurrent batches
        debit, credit, count = totals[key]
        values.append("(%s, %s, %s, %s, %s, %s, %s, %s)")
        params.extend([institution.pk, *key, debit, credit, count])
    sql = _BALANCE_UPSERT.replace("{rows}", ", ".join(values))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # only placeholders are joined into the statement


_ENTRY_COLUMNS = (
    "institution_id",
    "fiscal_year_id",
    "period_id",
    "number",
    "state",
    "kind",
    "date",
    "description",
    "voucher_ref",
    "source_type",
    "source_id",
    "reversal_of_id",
    "created_by_id",
    "created_at",
    "posted_by_id",
    "posted_at",
    "hash",
)
_LINE_COLUMNS = (
    "institution_id",
    "entry_id",
    "line_no",
    "account_id",
    "org_unit_id",
    "purpose_id",
    "vat_code_id",
    "debit",
    "credit",
    "currency",
    "currency_amount",
    "rate",
    "text",
)


def _insert_new(
    institution: Institution, entries: list[JournalEntry], line_rows: list[list[dict[str, Any]]]
) -> None:
    """Insert posted entries and their lines with two set-based statements; sets entry ids.

    A duplicate source hits the unique constraint and raises IntegrityError, rolling back
    the caller's transaction.
    """
    reserved = bulk.reserve_ids("ledger_journalentry", len(entries))
    if reserved is not None:  # PostgreSQL: ids from the sequence, rows by COPY
        for entry, pk in zip(entries, reserved, strict=True):
            entry.pk = pk
        bulk.insert_many(
            "ledger_journalentry",
            ("id", *_ENTRY_COLUMNS),
            [[e.pk, *(getattr(e, c) for c in _ENTRY_COLUMNS)] for e in entries],
        )
    else:
        returned = bulk.insert_returning(
            "ledger_journalentry",
            _ENTRY_COLUMNS,
            [[getattr(e, c) for c in _ENTRY_COLUMNS] for e in entries],
            ("id", "fiscal_year_id", "number"),
        )
        ids = {(fy, number): pk for pk, fy, number in returned}
        for entry in entries:
            entry.pk = ids[(entry.fiscal_year_id, entry.number)]
    for entry in entries:
        entry._state.adding = False
        entry._state.db = "default"
    bulk.insert_many(
        "ledger_journalline",
        _LINE_COLUMNS,
        [
            [
                institution.pk,
                entry.pk,
                row["line_no"],
                row["account_id"],
                row["org_unit_id"],
                row["purpose_id"],
                row["vat_code_id"],
                row["debit"],
                row["credit"],
                row["currency"],
                row["currency_amount"],
                row["rate"],
                row["text"],
            ]
            for entry, rows in zip(entries, line_rows, strict=True)
            for row in rows
        ],
    )


def _post_prepared(
    *,
    actor: User,
    institution: Institution,
    resolver: _Resolver,
    prepared: list[_Prepared],
    drafts: list[JournalEntry] | None = None,
) -> list[JournalEntry]:
    """Number, hash, store and audit already-validated entries. Caller holds the transaction.

    With ``drafts``, ``prepared[i]`` is the draft ``drafts[i]`` being posted (its lines
    exist); otherwise new entries and lines are inserted in bulk.
    """
    now = timezone.now()
    by_year: dict[FiscalYear, list[int]] = defaultdict(list)
    for i, prep in enumerate(prepared):
        by_year[prep.period.fiscal_year].append(i)
    numbers: dict[int, int] = {}
    for fy in sorted(by_year, key=lambda f: f.year):
        idx = by_year[fy]
        rng = next_numbers(
            institution=institution, series=JOURNAL_SERIES, year=fy.year, count=len(idx)
        )
        for i, number in zip(idx, rng, strict=True):
            numbers[i] = number
    line_rows: list[list[dict[str, Any]]] = [_line_values(p, resolver) for p in prepared]
    entries: list[JournalEntry] = []
    for i, prep in enumerate(prepared):
        fy = prep.period.fiscal_year
        reversal_id = prep.reversal_of.pk if prep.reversal_of else None
        digest = entry_hash(
            _header(institution, fy.year, numbers[i], prep.spec, prep.kind, reversal_id),
            line_rows[i],
        )
        if drafts is not None:
            entry = drafts[i]
            updated = JournalEntry.objects.filter(pk=entry.pk, state=EntryState.DRAFT).update(
                state=EntryState.POSTED,
                number=numbers[i],
                fiscal_year=fy,
                period=prep.period,
                posted_by=actor,
                posted_at=now,
                hash=digest,
            )
            if updated != 1:
                raise LedgerError(
                    [Problem("already_posted", _("The entry was posted by someone else."))]
                )
            entry.refresh_from_db()
        else:
            # Ids, not instances: no descriptor work per entry on the batch path.
            entry = JournalEntry(
                institution_id=institution.pk,
                fiscal_year_id=fy.pk,
                period_id=prep.period.pk,
                number=numbers[i],
                state=EntryState.POSTED,
                kind=prep.kind,
                date=prep.spec.date,
                description=prep.spec.description,
                voucher_ref=prep.spec.voucher_ref,
                source_type=prep.spec.source_type,
                source_id=prep.spec.source_id,
                reversal_of_id=reversal_id,
                created_by_id=actor.pk,
                created_at=now,
                posted_by_id=actor.pk,
                posted_at=now,
                hash=digest,
            )
        entries.append(entry)
    if drafts is None:
        _insert_new(institution, entries, line_rows)
    _apply_balances(
        institution,
        [
            (prep.period.pk, row)
            for prep, rows in zip(prepared, line_rows, strict=True)
            for row in rows
        ],
    )
    record_events_bulk(
        institution=institution,
        actor=actor,
        events=[
            {
                "action": "ledger.entry.posted",
                "object_type": "ledger.journalentry",
                "object_id": str(entry.pk),
                "details": {
                    "year": prep.period.fiscal_year.year,
                    "number": entry.number,
                    "hash": entry.hash,
                    "source": f"{prep.spec.source_type}:{prep.spec.source_id}"
                    if prep.spec.source_id
                    else "",
                    "reversal_of": prep.reversal_of.pk if prep.reversal_of else None,
                },
            }
            for entry, prep in zip(entries, prepared, strict=True)
        ],
    )
    return entries


def _prepare(
    resolver: _Resolver, spec: EntrySpec, kind: str
) -> tuple[_Prepared | None, list[Problem]]:
    period = resolver.period_for(spec.date)
    lines, problems = resolver.resolve(spec)
    problems += entry_problems(spec.date, period, lines)
    if problems or period is None:
        return None, problems
    return _Prepared(spec, period, lines, kind), []


def entry_record(*, actor: User, institution: Institution, spec: EntrySpec) -> JournalEntry:
    """Post one entry from another module's source document; posting a source twice posts
    once (the unique constraint decides, not a prior lookup) and returns the first entry.

    The caller has checked its own permissions; this checks the bookkeeping.
    """
    result = entries_record_batch(actor=actor, institution=institution, specs=[spec])
    if result.rejected:
        raise LedgerError(result.rejected[0])
    if result.posted:
        return result.posted[0]
    return JournalEntry.objects.for_institution(institution).get(
        source_type=spec.source_type, source_id=spec.source_id
    )


def entries_record_batch(
    *,
    actor: User,
    institution: Institution,
    specs: Sequence[EntrySpec],
    kind: str = JournalEntry.Kind.SYSTEM,
    sources_locked: bool = False,
) -> BatchResult:
    """Post many entries in one transaction with set-based inserts.

    Entries with problems are refused (listed by index) and the rest are posted; sources
    already posted are reported as duplicates and posted once.

    A concurrent transaction that posts one of the same sources first makes the insert fail
    on the unique source; the batch then runs again in a savepoint and finds it posted. A
    caller that holds a lock on every source document (``sources_locked``: e.g. the invoices
    it posts, locked in its own transaction) cannot meet that race, so the batch runs without
    the savepoint; should the unique constraint refuse it all the same, the caller's
    transaction rolls back as a whole.
    """
    if sources_locked:
        with transaction.atomic(savepoint=False):
            return _record_batch(actor, institution, specs, kind)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _record_batch(actor, institution, specs, kind)
        except IntegrityError:
            # A concurrent transaction posted one of these sources first: the unique
            # constraint refused ours. Run again; the duplicate is now visible.
            continue
    raise LedgerError([Problem("conflict", _("Could not post: repeated concurrent conflicts."))])


def _record_batch(
    actor: User, institution: Institution, specs: Sequence[EntrySpec], kind: str
) -> BatchResult:
    result = BatchResult()
    resolver = _Resolver(institution)
    sourced = [(s.source_type, s.source_id) for s in specs if s.source_id]
    already: set[tuple[str, str]] = set()
    if sourced:
        types = {t for t, _i in sourced}
        ids = [i for _t, i in sourced]
        already = set(
            JournalEntry.objects.for_institution(institution)
            .filter(source_type__in=types, source_id__in=ids)
            .exclude(source_id="")  # the predicate of the unique index on the source
            .order_by()
            .values_list("source_type", "source_id")
        )
    seen: set[tuple[str, str]] = set()
    prepared: list[_Prepared] = []
    for index, spec in enumerate(specs):
        key = (spec.source_type, spec.source_id)
        if spec.source_id and (key in already or key in seen):
            result.duplicates.append(spec.source_id)
            continue
        prep, problems = _prepare(resolver, spec, kind)
        if prep is None:
            result.rejected[index] = problems
            continue
        if spec.source_id:
            seen.add(key)
        prepared.append(prep)
    if prepared:
        result.posted = _post_prepared(
            actor=actor, institution=institution, resolver=resolver, prepared=prepared
        )
    return result


@transaction.atomic
def entry_create(
    *,
    actor: User,
    institution: Institution,
    spec: EntrySpec,
) -> JournalEntry:
    """A manual draft entry by a bookkeeper. Lines must name existing accounts; balance and
    period are checked when it is posted."""
    _check_role(actor, institution, {Role.BOOKKEEPER})
    resolver = _Resolver(institution)
    lines, problems = resolver.resolve(spec)
    period = resolver.period_for(spec.date)
    problems += [p for p in entry_problems(spec.date, period, lines) if p.code != "unbalanced"]
    if problems or period is None:
        raise LedgerError(problems)
    entry = JournalEntry(
        institution=institution,
        fiscal_year=period.fiscal_year,
        period=period,
        kind=JournalEntry.Kind.MANUAL,
        date=spec.date,
        description=spec.description,
        voucher_ref=spec.voucher_ref,
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    prep = _Prepared(spec, period, lines, JournalEntry.Kind.MANUAL)
    JournalLine.objects.bulk_create(
        JournalLine(
            institution=institution,
            entry=entry,
            **{k: v for k, v in row.items() if k != "account_number"},
        )
        for row in _line_values(prep, resolver)
    )
    record_event(
        institution=institution,
        actor=actor,
        action="ledger.entry.drafted",
        obj=entry,
        details={"description": spec.description, "lines": len(spec.lines)},
    )
    return entry


def _spec_of(entry: JournalEntry) -> EntrySpec:
    lines = [
        LineSpec(
            account=line.account.number,
            debit=line.debit,
            credit=line.credit,
            org_unit=line.org_unit.code if line.org_unit else None,
            purpose=line.purpose.code if line.purpose else None,
            vat_code=line.vat_code.code if line.vat_code else None,
            currency=line.currency,
            currency_amount=line.currency_amount,
            rate=line.rate,
            text=line.text,
        )
        for line in entry.lines.select_related("account", "org_unit", "purpose", "vat_code")
    ]
    return EntrySpec(
        date=entry.date,
        description=entry.description,
        lines=lines,
        voucher_ref=entry.voucher_ref,
        source_type=entry.source_type,
        source_id=entry.source_id,
    )


@transaction.atomic
def entry_post(*, actor: User, entry: JournalEntry) -> JournalEntry:
    """Post a draft: validation passes, gap-free number, hash, balances, audit event."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    institution = entry.institution
    if entry.state == EntryState.POSTED:
        raise LedgerError([Problem("already_posted", _("The entry is already posted."))])
    _check_role(actor, institution, {Role.BOOKKEEPER})
    if (
        entry.kind == JournalEntry.Kind.MANUAL
        and institution.requires_two_persons
        and entry.created_by_id == actor.pk
    ):
        raise LedgerError(
            [
                Problem(
                    "two_persons",
                    _(
                        "This institution requires two persons: the one who registered a "
                        "manual entry cannot post it."
                    ),
                )
            ]
        )
    resolver = _Resolver(institution)
    spec = _spec_of(entry)
    prep, problems = _prepare(resolver, spec, entry.kind)
    if prep is None:
        raise LedgerError(problems)
    (posted,) = _post_prepared(
        actor=actor, institution=institution, resolver=resolver, prepared=[prep], drafts=[entry]
    )
    return posted


@transaction.atomic
def entry_delete_draft(*, actor: User, entry: JournalEntry) -> None:
    """Discard a draft (posted entries are never deleted)."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != EntryState.DRAFT:
        raise LedgerError([Problem("posted", _("A posted entry cannot be deleted."))])
    _check_role(actor, entry.institution, {Role.BOOKKEEPER})
    record_event(
        institution=entry.institution,
        actor=actor,
        action="ledger.entry.draft_deleted",
        obj=entry,
        details={"description": entry.description},
    )
    entry.lines.all().delete()
    entry.delete()


@transaction.atomic
def entry_reverse(
    *,
    actor: User,
    entry: JournalEntry,
    on: date | None = None,
    description: str | None = None,
    check_role: bool = True,
) -> JournalEntry:
    """Correct a posted entry by posting its mirror image, linked to it. Once only."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    institution = entry.institution
    if entry.state != EntryState.POSTED:
        raise LedgerError([Problem("not_posted", _("Only a posted entry can be reversed."))])
    if entry.kind == JournalEntry.Kind.REVERSAL:
        raise LedgerError(
            [Problem("reversal_of_reversal", _("A reversal cannot itself be reversed."))]
        )
    if JournalEntry.objects.filter(reversal_of=entry).exists():
        raise LedgerError([Problem("already_reversed", _("The entry is already reversed."))])
    if check_role:
        if actor is None:
            raise LedgerError([Problem("not_permitted", _("A person must reverse an entry."))])
        _check_role(actor, institution, {Role.BOOKKEEPER})
    original = _spec_of(entry)
    spec = EntrySpec(
        date=on or entry.date,
        description=description
        or _("Reversal of %(n)s: %(d)s")
        % {"n": f"{entry.fiscal_year.year}-{entry.number}", "d": entry.description},
        lines=[
            LineSpec(
                account=line.account,
                debit=line.credit,
                credit=line.debit,
                org_unit=line.org_unit,
                purpose=line.purpose,
                vat_code=line.vat_code,
                currency=line.currency,
                currency_amount=-line.currency_amount if line.currency_amount else None,
                rate=line.rate,
                text=line.text,
            )
            for line in original.lines
        ],
        voucher_ref=entry.voucher_ref,
    )
    resolver = _Resolver(institution)
    prep, problems = _prepare(resolver, spec, JournalEntry.Kind.REVERSAL)
    if prep is None:
        raise LedgerError(problems)
    prep.reversal_of = entry
    (reversal,) = _post_prepared(
        actor=actor, institution=institution, resolver=resolver, prepared=[prep]
    )
    return reversal
