"""Post: the ledger entry of an approved invoice, through the ledger service (one batch for
many invoices); a closed period moves the entry to the next open one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from faelles.core.audit import events_batched, record_events_bulk
from faelles.core.bulk import gc_paused
from faelles.ledger.models import JournalEntry
from faelles.ledger.selectors import (
    PostingAccountNumbers,
    posting_accounts,
    posting_accounts_from_row,
)
from faelles.ledger.services import EntrySpec, LineSpec, entries_record_batch
from faelles.payables import posting_dates
from faelles.payables.lifecycle.common import (
    LEDGER_CURRENCY,
    SOURCE_TYPE,
    amount_in_ledger_currency,
    lock_many,
    not_duplicate,
    one_institution,
    posted_details,
    refuse,
    refuse_missing,
    role_holder,
    step_event,
    to_dkk,
    write_rows,
)
from faelles.payables.models import Invoice, InvoiceAllocation
from faelles.payables.workflow import Action, can, transition, wrong_state
from faelles.tenancy.models import Role, User

_POSTING_FIELDS = [
    "state",
    "journal_entry",
    "posted_by",
    "posted_at",
    "posting_error",
    "next_role",
    "assigned_to",
]


def posting_spec(
    invoice: Invoice,
    allocations: Sequence[InvoiceAllocation] | None = None,
    accounts: PostingAccountNumbers | None = None,
) -> EntrySpec:
    """The ledger entry of an invoice: expenses by coding, purchase VAT receivable and vendor
    payable on the institution's posting accounts (``accounts``, read when not given; the
    common chart's 5620 and 9110 unless it chose others). A credit note is the mirror image. In another currency every line
    is converted at the invoice's exchange rate (the original amount kept on the line) and a
    rounding difference is put on the largest expense line. Raises ValidationError when the
    invoice cannot be posted yet."""
    if amount_in_ledger_currency(invoice) is None:
        raise refuse(
            "currency",
            "no_rate",
            _(
                "The invoice is in %(cur)s; posting needs its exchange rate to DKK, which a "
                "bookkeeper records first."
            )
            % {"cur": invoice.currency},
        )
    if allocations is None:
        allocations = list(invoice.allocations.all())
    allocations = sorted(allocations, key=lambda a: (a.line_id, a.pk))
    coded = sum((a.amount for a in allocations), Decimal("0.00"))
    if not allocations or coded != invoice.net_amount:
        raise refuse(
            "allocations",
            "not_coded",
            _("The coding adds up to %(coded)s, but the invoice's net amount is %(net)s.")
            % {"coded": coded, "net": invoice.net_amount},
        )
    if invoice.net_amount + invoice.vat_amount != invoice.payable_amount:
        raise refuse(
            "payable_amount",
            "prepaid",
            _(
                "The amount payable %(payable)s is not net plus VAT (%(total)s): prepaid "
                "amounts and rounding cannot be posted yet."
            )
            % {
                "payable": invoice.payable_amount,
                "total": invoice.net_amount + invoice.vat_amount,
            },
        )
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    groups: dict[tuple[str, str, str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for a in allocations:
        groups[(a.account, a.org_unit, a.purpose, a.vat_code)] += a.amount
    foreign = invoice.currency != LEDGER_CURRENCY
    rate = invoice.exchange_rate if foreign and invoice.exchange_rate else Decimal(1)

    def dkk(amount: Decimal) -> Decimal:
        return to_dkk(invoice, amount) or Decimal(0)

    expenses = {key: dkk(amount) for key, amount in groups.items()}
    vat_dkk = dkk(invoice.vat_amount)
    payable_dkk = dkk(invoice.payable_amount)
    rest = payable_dkk - vat_dkk - sum(expenses.values(), Decimal(0))
    if rest and expenses:
        largest = max(expenses, key=lambda k: abs(expenses[k]))
        expenses[largest] += rest
    text = f"{invoice.vendor.name} {invoice.number}"[:200]
    lines: list[LineSpec] = []

    def add(account: str, amount: Decimal, original: Decimal, **dims: str | None) -> None:
        extra: dict[str, object] = {}
        if foreign:
            extra = {"currency": invoice.currency, "currency_amount": original, "rate": rate}
        if amount > 0:
            lines.append(LineSpec(account=account, debit=amount, text=text, **dims, **extra))  # type: ignore[arg-type]
        elif amount < 0:
            lines.append(LineSpec(account=account, credit=-amount, text=text, **dims, **extra))  # type: ignore[arg-type]

    for key, amount in expenses.items():
        account, org_unit, purpose, vat_code = key
        add(
            account,
            sign * amount,
            sign * groups[key],
            org_unit=org_unit or None,
            purpose=purpose or None,
            vat_code=vat_code or None,
        )
    if accounts is None:
        accounts = posting_accounts(invoice.institution_id)
    add(accounts.input_vat, sign * vat_dkk, sign * invoice.vat_amount)
    add(accounts.payables, -sign * payable_dkk, -sign * invoice.payable_amount)
    with translation.override(settings.LANGUAGE_CODE):  # the books speak one language
        kind = _("Credit note") if invoice.is_credit_note else _("Invoice")
    return EntrySpec(
        date=invoice.issue_date,
        description=f"{kind} {invoice.number} {invoice.vendor.name}"[:200],
        voucher_ref=invoice.number[:50],
        lines=lines,
        source_type=SOURCE_TYPE,
        source_id=str(invoice.pk),
    )


@transaction.atomic
def invoice_post(*, actor: User, invoice: Invoice) -> Invoice:
    """Post an approved invoice that is waiting (a bookkeeper, e.g. once the period is open):
    the batch step with one invoice. Refused with the ledger's reasons when it still cannot
    be posted.

    Idempotent in the ledger: the entry's source is the invoice, so it is posted once.
    """
    locked, refused = _post_batch(actor, [invoice])
    if refused:
        raise refused[invoice.pk]
    return locked[0]


@gc_paused()
@transaction.atomic
def invoices_post_batch(*, actor: User, invoices: list[Invoice]) -> dict[int, str]:
    """Post many approved invoices of one institution at once (a bookkeeper, e.g. after a
    period is reopened): one lock, one ledger batch, bulk updates and one audit batch.

    Returns the invoices that could not be posted, by id, with the reason; the rest are
    posted. Posting stays idempotent per invoice in the ledger.
    """
    if not invoices:
        return {}
    refused = _post_batch(actor, invoices)[1]
    return {pk: " ".join(error.messages) for pk, error in refused.items()}


def _post_batch(
    actor: User, invoices: list[Invoice]
) -> tuple[list[Invoice], dict[int, ValidationError]]:
    institution = one_institution(invoices, _("Post the invoices of one institution at a time."))
    on_behalf_of = role_holder(actor, invoices[0], Role.BOOKKEEPER)
    refused: dict[int, ValidationError] = {}
    ready: list[Invoice] = []
    locked = lock_many(institution, invoices)
    for invoice in locked:
        if invoice.duplicate_of_id is not None:
            try:
                not_duplicate(invoice)
            except ValidationError as exc:
                refused[invoice.pk] = exc
        elif not can(invoice, Action.POST):
            refused[invoice.pk] = wrong_state(invoice)
        else:
            ready.append(invoice)
    with events_batched():
        posted, waiting = post_many(actor, institution, ready, timezone.now(), action=Action.POST)
        refused.update((invoice.pk, reason) for invoice, reason in waiting)
        record_events_bulk(
            institution=institution,
            actor=actor,
            events=[step_event(i, "posted", on_behalf_of, posted_details(i)) for i in posted],
        )
    refuse_missing(invoices, locked, refused)
    return locked, refused


def post_many(
    actor: User,
    institution: Any,
    invoices: list[Invoice],
    now: Any,
    *,
    also: Sequence[str] = (),
    action: Action = Action.POST_ON_APPROVAL,
) -> tuple[list[Invoice], list[tuple[Invoice, ValidationError]]]:
    """Post approved, locked invoices with one ledger batch and one bulk update; returns the
    posted invoices and those that wait, with the reason. No audit events: the caller writes
    them with its own. ``also`` names more fields the caller changed on them (written in the
    same statement)."""
    waiting: list[tuple[Invoice, ValidationError]] = []
    ready: list[tuple[Invoice, EntrySpec]] = []
    # One query for every invoice's coding (prefetch_related costs a queryset per row).
    codings: dict[int, list[InvoiceAllocation]] = defaultdict(list)
    # No ORDER BY: the model's ordering joins invoices, institutions and lines to sort.
    for allocation in InvoiceAllocation.objects.filter(invoice__in=invoices).order_by():
        codings[allocation.invoice_id].append(allocation)
    accounts = None
    if invoices:
        # Read with the lock (lock_many) when the invoices carry them.
        first = invoices[0]
        accounts = (
            posting_accounts_from_row(first)
            if hasattr(first, "posting_payables")
            else posting_accounts(institution)
        )
    for invoice in invoices:
        try:
            ready.append((invoice, posting_spec(invoice, codings[invoice.pk], accounts)))
        except ValidationError as exc:
            waiting.append((invoice, exc))
    result = entries_records_batch_safe(actor, institution, [spec for _i, spec in ready])
    entries = {e.source_id: e for e in result[0]}
    refusals: dict[str, ValidationError] = {}
    _later_periods(actor, institution, ready, result[1], entries, refusals)
    posted: list[Invoice] = []
    for invoice, spec in ready:
        if spec.source_id in refusals:
            waiting.append((invoice, refusals[spec.source_id]))
            continue
        entry = entries.get(spec.source_id)
        if entry is None:
            entry = JournalEntry.objects.get(
                institution=institution, source_type=SOURCE_TYPE, source_id=spec.source_id
            )
        transition(invoice, action)
        invoice.journal_entry = entry
        invoice.posted_by = actor
        invoice.posted_at = now
        invoice.posting_error = ""
        posted.append(invoice)
    write_rows(posted, sorted({*_POSTING_FIELDS, *also}))
    return posted, waiting


def _later_periods(
    actor: User,
    institution: Any,
    ready: list[tuple[Invoice, EntrySpec]],
    rejected: dict[int, list[Any]],
    entries: dict[str, JournalEntry],
    refusals: dict[str, ValidationError],
) -> None:
    """The entries the ledger refused because the invoice date's period is closed, locked or
    missing, posted again on the first day of the first open period after it (the invoice
    keeps its date; see ``posting_dates``). Adds the entries posted to ``entries`` and the
    refusals, by source, to ``refusals``."""
    if not rejected:
        return
    moved: dict[str, EntrySpec] = {}
    periods = None
    for index, problems in rejected.items():
        spec = ready[index][1]
        if not posting_dates.is_period_refusal(problems):
            refusals[spec.source_id] = posting_dates.ledger_refusal(problems)
            continue
        if periods is None:
            periods = posting_dates.periods_of(institution)
        later = posting_dates.moved(spec, periods)
        if isinstance(later, ValidationError):
            refusals[spec.source_id] = later
        else:
            moved[spec.source_id] = later
    specs = list(moved.values())
    result = entries_records_batch_safe(actor, institution, specs)
    entries.update((e.source_id, e) for e in result[0])
    for index, problems in result[1].items():
        source = specs[index].source_id
        refusals[source] = posting_dates.ledger_refusal(problems)


def entries_records_batch_safe(
    actor: User, institution: Any, specs: list[EntrySpec]
) -> tuple[list[JournalEntry], dict[int, list[Any]]]:
    """The ledger batch: posted entries and the refused specs by index. The invoices posted
    are locked by the caller, so no concurrent transaction posts the same sources."""
    if not specs:
        return [], {}
    result = entries_record_batch(
        actor=actor, institution=institution, specs=specs, sources_locked=True
    )
    return result.posted, result.rejected
