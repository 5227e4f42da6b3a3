"""Invariant passes over whole institutions, run by ``faelles ledger check`` and on a schedule.

Each pass returns a list of problems (strings naming the institution and the row); an
empty list means the invariant holds. The passes read the tables directly, so they also
catch changes made behind the application's back (plain SQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Sum

from faelles.core.audit import verify_chains
from faelles.core.money import round_money
from faelles.ledger.hashing import LINE_FIELDS, entry_hash
from faelles.ledger.models import Balance, EntryState, JournalEntry, JournalLine
from faelles.tenancy.models import Institution


def _name(institution: Institution) -> str:
    return institution.short_name


def check_entries_balance(institution: Institution) -> list[str]:
    """Every posted entry's debits equal its credits."""
    rows = (
        JournalLine.objects.for_institution(institution)
        .filter(entry__state=EntryState.POSTED)
        .values("entry_id", "entry__number", "entry__fiscal_year__year")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    problems = []
    for row in rows:
        debit = round_money(row["debit"] or 0)
        credit = round_money(row["credit"] or 0)
        if debit != credit:
            problems.append(
                f"{_name(institution)}: entry {row['entry__fiscal_year__year']}-"
                f"{row['entry__number']} does not balance (debit {debit}, credit {credit})"
            )
    return problems


def check_numbering(institution: Institution) -> list[str]:
    """Posted entries are numbered 1..n per fiscal year with no gaps and no repeats."""
    rows = (
        JournalEntry.objects.for_institution(institution)
        .filter(state=EntryState.POSTED)
        .values("fiscal_year__year")
        .annotate(
            n=Count("id"),
            lo=Min("number"),
            hi=Max("number"),
            distinct=Count("number", distinct=True),
        )
    )
    problems = []
    for row in rows:
        year = row["fiscal_year__year"]
        if row["lo"] != 1 or row["hi"] != row["n"] or row["distinct"] != row["n"]:
            problems.append(
                f"{_name(institution)}: numbering of {year} is not gap-free "
                f"({row['n']} entries numbered {row['lo']}..{row['hi']})"
            )
    return problems


def _hash_rows(institution: Institution) -> Iterable[tuple[JournalEntry, list[dict[str, Any]]]]:
    entries = (
        JournalEntry.objects.for_institution(institution)
        .filter(state=EntryState.POSTED)
        .select_related("fiscal_year")
        .order_by("pk")
    )
    lines: dict[int, list[dict[str, Any]]] = defaultdict(list)
    fields = [f for f in LINE_FIELDS if f != "account_number"]
    for row in (
        JournalLine.objects.for_institution(institution)
        .filter(entry__state=EntryState.POSTED)
        .order_by("entry_id", "line_no")
        .values("entry_id", "account__number", *fields)
        .iterator(chunk_size=5000)
    ):
        row["account_number"] = row.pop("account__number")
        lines[row.pop("entry_id")].append(row)
    for entry in entries.iterator(chunk_size=2000):
        yield entry, lines.get(entry.pk, [])


def check_hashes(institution: Institution) -> list[str]:
    """No posted entry or line differs from the hash stored when it was posted."""
    problems = []
    for entry, lines in _hash_rows(institution):
        header = {
            "institution_id": entry.institution_id,
            "year": entry.fiscal_year.year,
            "number": entry.number,
            "date": entry.date,
            "description": entry.description,
            "voucher_ref": entry.voucher_ref,
            "source_type": entry.source_type,
            "source_id": entry.source_id,
            "kind": entry.kind,
            "reversal_of_id": entry.reversal_of_id,
        }
        if entry_hash(header, lines) != entry.hash:
            problems.append(
                f"{_name(institution)}: entry {entry.fiscal_year.year}-{entry.number} differs "
                "from its posted hash (changed after posting)"
            )
    return problems


def check_balances(institution: Institution) -> list[str]:
    """The balance table equals the sum of the posted lines, key by key."""
    from_lines: dict[tuple[int, int, int, int], tuple[int, int, int]] = {}
    for row in (
        JournalLine.objects.for_institution(institution)
        .filter(entry__state=EntryState.POSTED)
        .values("account_id", "entry__period_id", "org_unit_id", "purpose_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"), n=Count("id"))
    ):
        key = (
            row["account_id"],
            row["entry__period_id"],
            row["org_unit_id"] or 0,
            row["purpose_id"] or 0,
        )
        from_lines[key] = (
            int(round_money(row["debit"] or 0) * 100),
            int(round_money(row["credit"] or 0) * 100),
            row["n"],
        )
    stored = {
        (b.account_id, b.period_id, b.org_unit_key, b.purpose_key): (
            b.debit_ore,
            b.credit_ore,
            b.line_count,
        )
        for b in Balance.objects.for_institution(institution)
    }
    problems = []
    for key in sorted(set(from_lines) | set(stored)):
        if from_lines.get(key, (0, 0, 0)) != stored.get(key, (0, 0, 0)):
            problems.append(
                f"{_name(institution)}: balance for account id {key[0]}, period id {key[1]} "
                f"differs from its lines (lines {from_lines.get(key)}, stored {stored.get(key)})"
            )
    return problems


def check_trial_balance_zero(institution: Institution) -> list[str]:
    """The institution's trial balance over everything posted sums to zero."""
    totals = Balance.objects.for_institution(institution).aggregate(
        d=Sum("debit_ore"), c=Sum("credit_ore")
    )
    debit, credit = totals["d"] or 0, totals["c"] or 0
    if debit != credit:
        return [
            f"{_name(institution)}: trial balance does not sum to zero "
            f"(debit {Decimal(debit) / 100}, credit {Decimal(credit) / 100})"
        ]
    return []


def check_audit_chain(institution: Institution) -> list[str]:
    return [f"{_name(institution)}: {p}" for p in verify_chains(institution)]


PASSES: tuple[Callable[[Institution], list[str]], ...] = (
    check_entries_balance,
    check_numbering,
    check_hashes,
    check_balances,
    check_trial_balance_zero,
    check_audit_chain,
)


def run_all(institutions: Iterable[Institution] | None = None) -> list[str]:
    """Every pass over every institution (or the given ones); empty when all is well."""
    problems: list[str] = []
    for institution in institutions if institutions is not None else Institution.objects.all():
        for check in PASSES:
            problems.extend(check(institution))
    return problems
