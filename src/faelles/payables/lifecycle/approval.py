"""Approve: an approver within their approval limit (above it, the first of two approvals),
with segregation of duties checked here; the approved invoice is posted at once. Also the
bookkeeper's exchange rate of a foreign-currency invoice, which the limit and posting read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Refused, events_batched, record_events_bulk, refusals_recorded
from faelles.core.bulk import gc_paused
from faelles.payables import vendors
from faelles.payables.labels import state_in_sentence
from faelles.payables.lifecycle.common import (
    LEDGER_CURRENCY,
    amount_in_ledger_currency,
    clean_changed,
    lock_invoice,
    lock_many,
    merge_errors,
    not_duplicate,
    one_institution,
    persons_of,
    posted_details,
    refuse,
    refuse_missing,
    require,
    role_holder,
    save_step,
    step_event,
    write_rows,
)
from faelles.payables.lifecycle.posting import post_many
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.workflow import Action, can, transition
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, User
from faelles.tenancy.selectors import ApprovalLimit


@transaction.atomic
def invoice_set_exchange_rate(*, actor: User, invoice: Invoice, rate: Decimal) -> Invoice:
    """A bookkeeper records the DKK rate of a foreign-currency invoice before it is approved
    (the approval limit and the posting use it)."""
    invoice = lock_invoice(invoice)
    on_behalf_of = role_holder(actor, invoice, Role.BOOKKEEPER)
    require(invoice, Action.SET_RATE)
    if invoice.currency == LEDGER_CURRENCY:
        raise refuse("exchange_rate", "ledger_currency", _("The invoice is in DKK already."))
    rate = Decimal(rate)
    if rate <= 0:
        raise refuse("exchange_rate", "invalid", _("The exchange rate must be above zero."))
    old = invoice.exchange_rate
    invoice.exchange_rate = rate
    save_step(invoice, "exchange_rate_set", actor, on_behalf_of, rate=rate, old=old)
    return invoice


@dataclass(frozen=True, slots=True)
class Approver:
    """What the approval rules need to know of the approver in one institution."""

    limit: ApprovalLimit | None
    system_admin: bool


def approver_facts(actor: User, institution: Institution) -> Approver:
    """The approver's limit (own or as a substitute) and system-administrator role, in one
    query."""
    return Approver(*selectors.approver_for(actor, institution))


#: The refusals of an approval that are segregation of duties (recorded as audit events).
SOD_CODES = frozenset(
    {
        "system_admin",
        "not_approver",
        "attester",
        "coder",
        "payment_changed",
        "first_approver",
        "limit",
        "bank_change_pending",
        "bank_change_party",
        "payment_blocked",
    }
)


def _bank_problems(
    invoice: Invoice, persons: set[int], accounts: vendors.AccountFacts
) -> list[ValidationError]:
    account = vendors.account_of(invoice)
    pending = accounts.pending.get(account)
    out: list[ValidationError] = []
    if pending is not None:
        out.append(
            refuse(
                "payment_blocked",
                "bank_change_pending",
                _(
                    "The change of the vendor's bank account to %(key)s (no. %(change)s) awaits "
                    "confirmation by a second person; until then no invoice to that account "
                    "can be approved."
                )
                % {"key": account[1], "change": pending},
            )
        )
    elif invoice.payment_blocked:
        out.append(
            refuse(
                "payment_blocked",
                "payment_blocked",
                _(
                    "The invoice's payment details differ from the vendor's and are not "
                    "confirmed; it cannot be approved (reject it if the change was refused)."
                ),
            )
        )
    if persons & accounts.parties.get(account, set()):
        out.append(
            refuse(
                "actor",
                "bank_change_party",
                _(
                    "You requested or confirmed the change of the vendor's bank account to "
                    "%(key)s; another person must approve invoices paid to it."
                )
                % {"key": account[1]},
            )
        )
    return out


def approval_problems(
    actor: User,
    invoice: Invoice,
    approver: Approver | None = None,
    accounts: vendors.AccountFacts | None = None,
) -> list[ValidationError]:
    """Why ``actor`` may not approve ``invoice`` now (empty: they may). ``approver`` and
    ``accounts`` (the bank-account changes behind the invoices) save looking them up again
    for each invoice of a batch."""
    if approver is None:
        approver = approver_facts(actor, invoice.institution)
    if accounts is None:
        accounts = vendors.account_facts([invoice])
    out: list[ValidationError] = []
    if invoice.duplicate_of_id is not None:
        try:
            not_duplicate(invoice)
        except ValidationError as exc:
            out.append(exc)
    if not can(invoice, Action.APPROVE):
        out.append(
            refuse(
                "state",
                "wrong_state",
                _("The invoice is %(state)s; only an attested invoice can be approved.")
                % {"state": state_in_sentence(invoice.state)},
            )
        )
    if approver.system_admin:
        out.append(
            refuse(
                "actor",
                "system_admin",
                _("The operator's system administrators cannot approve invoices."),
            )
        )
    limit = approver.limit
    if limit is None:
        out.append(
            refuse("actor", "not_approver", _("You are not an approver in this institution."))
        )
        return out
    persons = persons_of(actor, limit.on_behalf_of)
    if persons & set(invoice.attester_ids or []):
        out.append(
            refuse(
                "actor",
                "attester",
                _("You attested this invoice; another person must approve it."),
            )
        )
    if persons & set(invoice.coder_ids or []):
        out.append(
            refuse("actor", "coder", _("You coded this invoice; another person must approve it."))
        )
    if invoice.payment_changed_by_id in persons:
        out.append(
            refuse(
                "actor",
                "payment_changed",
                _("You changed the payment details of this vendor; you cannot approve it."),
            )
        )
    out.extend(_bank_problems(invoice, persons, accounts))
    if persons & set(invoice.first_approver_ids or []):
        out.append(
            refuse(
                "actor",
                "first_approver",
                _("You approved this invoice already; a second approver must approve it."),
            )
        )
    if amount_in_ledger_currency(invoice) is None:
        out.append(
            refuse(
                "currency",
                "no_rate",
                _(
                    "The invoice is in %(cur)s and has no exchange rate, so its amount cannot "
                    "be compared with an approval limit in DKK."
                )
                % {"cur": invoice.currency},
            )
        )
    elif invoice.first_approved_by_id is not None and limit.amount < abs(
        amount_in_ledger_currency(invoice) or Decimal(0)
    ):
        out.append(
            refuse(
                "actor",
                "limit",
                _("The amount %(amount)s DKK exceeds your approval limit of %(limit)s.")
                % {"amount": amount_in_ledger_currency(invoice), "limit": limit.amount},
            )
        )
    return out


def refused_approval(problems: list[ValidationError], invoice: Invoice) -> ValidationError:
    """The problems as one error: a :class:`Refused` (recorded as
    ``payables.invoice.approve.refused``) when one of them is segregation of duties."""
    merged = merge_errors(problems)
    sod = [e for errs in merged.error_dict.values() for e in errs if e.code in SOD_CODES]
    if not sod:
        return merged
    refused = Refused(
        " ".join(sod[0].messages),
        code=str(sod[0].code),
        action="payables.invoice.approve",
        institution=invoice.institution,
        obj=invoice,
        details={"codes": sorted({str(e.code) for e in sod})},
    )
    refused.error_dict = merged.error_dict
    return refused


def _refusal_event(invoice: Invoice, reason: ValidationError) -> dict[str, Any] | None:
    codes = sorted({str(e.code) for errs in reason.error_dict.values() for e in errs})
    sod = [c for c in codes if c in SOD_CODES]
    if not sod:
        return None
    return {
        "action": "payables.invoice.approve.refused",
        "obj": invoice,
        "details": {"code": sod[0], "codes": sod, "reason": " ".join(reason.messages)},
    }


@refusals_recorded
@transaction.atomic
def invoice_approve(*, actor: User, invoice: Invoice) -> Invoice:
    """Approve an attested invoice within the approver's limit, then post it: the batch step
    with one invoice, so the rules exist once.

    Above the limit the approval is the first of two: a second approver whose limit covers
    the amount completes it. A posting that the ledger refuses (a closed period) leaves the
    invoice approved and waiting, with the reason in ``posting_error``. A refusal on
    segregation of duties is a :class:`Refused` (recorded after the rollback).
    """
    locked, problems = _approve_many(actor, [invoice], record_refusals=False)
    if problems:
        raise refused_approval(problems[invoice.pk], locked[0] if locked else invoice)
    return locked[0]


def _approve(
    actor: User, invoice: Invoice, approver: Approver, now: Any
) -> tuple[str, dict[str, object]]:
    """Record the approval on the invoice (not saved): final within the limit, otherwise the
    first of two. Returns the audit action and its details."""
    limit = approver.limit
    assert limit is not None
    details: dict[str, object] = {"amount": invoice.payable_amount, "limit": limit.amount}
    if limit.amount < abs(amount_in_ledger_currency(invoice) or Decimal(0)):
        transition(invoice, Action.FIRST_APPROVE)
        invoice.first_approved_by = actor
        invoice.first_approver_ids = sorted(persons_of(actor, limit.on_behalf_of))
        invoice.first_approved_at = now
        return "first_approved", details
    transition(invoice, Action.APPROVE)
    invoice.approved_by = actor
    invoice.approved_at = now
    return "approved", details


def _covered_problems(
    invoice: Invoice, approver: Approver, problems: list[ValidationError]
) -> list[ValidationError]:
    """An approval covered by an order is final or none: the approver's limit must cover
    the whole amount (the ``limit`` refusal of the second approval)."""
    limit = approver.limit
    amount = amount_in_ledger_currency(invoice)
    codes = {e.code for errs in merge_errors(problems).error_dict.values() for e in errs}
    if limit is None or amount is None or "limit" in codes:
        return []
    if limit.amount < abs(amount):
        return [
            refuse(
                "actor",
                "limit",
                _("The amount %(amount)s DKK exceeds your approval limit of %(limit)s.")
                % {"amount": amount, "limit": limit.amount},
            )
        ]
    return []


_APPROVAL_FIELDS = [
    "state",
    "approved_by",
    "approved_at",
    "first_approved_by",
    "first_approver_ids",
    "first_approved_at",
    "next_role",
    "assigned_to",
    "posting_error",
]


@gc_paused()
@transaction.atomic
def invoices_approve_batch(*, actor: User, invoices: list[Invoice]) -> dict[int, str]:
    """Approve many attested invoices of one institution at once (bulk approval): one lock,
    one lookup of the approver, bulk updates, one audit batch, and the approved invoices
    posted with one ledger batch.

    Returns the invoices that were not approved, by id, with the reason. An invoice above the
    approver's limit gets its first approval; one the ledger refuses stays approved and waits
    with the reason in ``posting_error``, as with single approval.
    """
    if not invoices:
        return {}
    problems = _approve_many(actor, invoices, record_refusals=True)[1]
    return {pk: " ".join(merge_errors(p).messages) for pk, p in problems.items()}


@transaction.atomic
def invoice_approve_covered(*, actor: User, invoice_id: int, order: str) -> str:
    """Approve a matched invoice as the approver of the order it was matched to, the order's
    approval covering it (``payables.order_matching``; the background task after intake):
    the approval service's rules all apply, and the approver's limit must cover the whole
    amount (no first of two approvals). A refusal leaves the invoice waiting for the
    approvers; one on segregation of duties (the limit among them) is recorded as
    ``payables.invoice.approve.refused``. Answers ``approved``, ``posted`` or ``refused``;
    idempotent (an invoice approved meanwhile is refused as no longer attested)."""
    invoice = Invoice.objects.filter(pk=invoice_id).select_related("institution").first()
    if invoice is None:
        return "refused"
    locked, problems = _approve_many(actor, [invoice], record_refusals=True, covered_by=order)
    if problems or not locked:
        return "refused"
    return "posted" if locked[0].state == InvoiceState.POSTED else "approved"


def _approve_many(
    actor: User,
    invoices: list[Invoice],
    *,
    record_refusals: bool,
    covered_by: str | None = None,
) -> tuple[list[Invoice], dict[int, list[ValidationError]]]:
    """Approve ``invoices`` (one institution) and post the approved ones: the locked
    invoices and the problems of those refused. ``record_refusals`` records the refusals on
    segregation of duties as audit events with the batch (the single step raises them).
    ``covered_by`` (an order's number): the approval is the order's, covering the invoices;
    the limit must cover each amount in full, and the events name the order."""
    institution = one_institution(invoices, _("Approve the invoices of one institution at a time."))
    # The approver's limit, delegations and role are read with the lock (one query).
    locked = lock_many(institution, invoices, approver=actor)
    approver = (
        Approver(*selectors.approver_from_row(actor, locked[0]))
        if locked
        else approver_facts(actor, institution)
    )
    on_behalf_of = approver.limit.on_behalf_of if approver.limit else None
    accounts = vendors.account_facts(locked)
    refused: dict[int, list[ValidationError]] = {}
    changed: list[Invoice] = []
    events: list[dict[str, Any]] = []
    now = timezone.now()
    for invoice in locked:
        problems = approval_problems(actor, invoice, approver, accounts)
        if covered_by is not None:
            problems.extend(_covered_problems(invoice, approver, problems))
        if problems:
            refused[invoice.pk] = problems
            event = _refusal_event(invoice, merge_errors(problems))
            if event is not None and record_refusals:
                if covered_by is not None:
                    event["details"]["covered_by_order"] = covered_by
                events.append({**event, "on_behalf_of": on_behalf_of})
            continue
        action, details = _approve(actor, invoice, approver, now)
        if covered_by is not None:
            details["covered_by_order"] = covered_by
        changed.append(invoice)
        events.append(step_event(invoice, action, on_behalf_of, details))
    clean_changed(changed, _APPROVAL_FIELDS)
    approved = [i for i in changed if i.state == InvoiceState.APPROVED]
    # The ledger's events and the invoices' go to the chain with one append.
    with events_batched():
        # The posted invoices are written once, with their approval (one UPDATE); the others
        # (first approvals, postings that wait) with the approval alone.
        posted, waiting = post_many(actor, institution, approved, now, also=_APPROVAL_FIELDS)
        events.extend(step_event(i, "posted", None, posted_details(i)) for i in posted)
        for invoice, reason in waiting:
            invoice.posting_error = " ".join(reason.messages)
            transition(invoice, Action.POST_WAITS)
            events.append(
                step_event(invoice, "posting_waits", None, {"reason": invoice.posting_error})
            )
        written = {i.pk for i in posted}
        write_rows([i for i in changed if i.pk not in written], _APPROVAL_FIELDS)
        record_events_bulk(institution=institution, actor=actor, events=events)
    missing: dict[int, ValidationError] = {}
    refuse_missing(invoices, locked, missing)
    refused.update((pk, [error]) for pk, error in missing.items())
    return locked, refused
