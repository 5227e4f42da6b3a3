"""Pay: a payer sends a posted invoice to payment, or records one paid outside Fælles; the
payer is never the person who posted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from faelles.ledger.selectors import posting_accounts
from faelles.ledger.services import EntrySpec, LineSpec
from faelles.payables import posting_dates
from faelles.payables.lifecycle.common import (
    PAYMENT_SOURCE_TYPE,
    amount_in_ledger_currency,
    lock_invoice,
    not_duplicate,
    persons_of,
    refuse,
    require,
    role_holder,
    save_step,
)
from faelles.payables.models import Invoice
from faelles.payables.workflow import Action, transition
from faelles.tenancy.models import Role, User


def _payer_checks(actor: User, invoice: Invoice) -> User | None:
    not_duplicate(invoice)
    if invoice.payment_blocked:
        raise refuse(
            "payment_blocked",
            "payment_blocked",
            _(
                "The invoice's payment details differ from the vendor's; someone other than "
                "its approver must confirm them before it is paid."
            ),
        )
    on_behalf_of = role_holder(actor, invoice, Role.PAYER)
    if invoice.posted_by_id in persons_of(actor, on_behalf_of):
        raise refuse("actor", "poster", _("You posted this invoice; another person must pay it."))
    return on_behalf_of


@transaction.atomic
def invoice_schedule(*, actor: User, invoice: Invoice) -> Invoice:
    """A payer sends a posted invoice to payment: it is scheduled, and the next payment run's
    proposal takes it whatever its due date (``payments._candidates``). Refused at once, with
    the reason, when a run could not take it (blocked, a duplicate, no or malformed payment
    details, a change of the vendor's bank account awaiting confirmation)."""
    from faelles.payables.payments import run_problem

    invoice = lock_invoice(invoice)
    require(invoice, Action.SCHEDULE)
    on_behalf_of = _payer_checks(actor, invoice)
    problem = run_problem(invoice)
    if problem is not None:
        raise refuse(
            "payment_means",
            problem.code,
            _("The invoice cannot go into a payment run: %(reason)s") % {"reason": problem.message},
        )
    transition(invoice, Action.SCHEDULE)
    invoice.scheduled_by = actor
    save_step(invoice, "scheduled", actor, on_behalf_of)
    return invoice


@transaction.atomic
def invoice_mark_paid(*, actor: User, invoice: Invoice, paid_on: date | None = None) -> Invoice:
    """A payer records that an invoice sent to payment was paid outside Fælles (e.g. with a
    payment card) before a payment run took it; the payment entry is posted (vendor payable
    against the bank, the institution's posting accounts, in DKK), on ``paid_on`` or, when
    that day's period is closed, the first day of the next open period. Payment runs are the
    way to pay; invoices in a run are paid with the run."""
    invoice = lock_invoice(invoice)
    require(invoice, Action.PAY)
    on_behalf_of = _payer_checks(actor, invoice)
    if invoice.payment_run_id is not None:
        raise refuse(
            "payment_run",
            "in_payment_run",
            _("The invoice is paid with payment run %(run)s.") % {"run": invoice.payment_run_id},
        )
    paid_on = paid_on or timezone.localdate()
    amount = amount_in_ledger_currency(invoice) or Decimal(0)
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    text = f"{invoice.vendor.name} {invoice.number}"[:200]
    accounts = posting_accounts(invoice.institution_id)
    if sign > 0:
        lines = [
            LineSpec(account=accounts.payables, debit=amount, text=text),
            LineSpec(account=accounts.bank, credit=amount, text=text),
        ]
    else:
        lines = [
            LineSpec(account=accounts.bank, debit=amount, text=text),
            LineSpec(account=accounts.payables, credit=amount, text=text),
        ]
    with translation.override(settings.LANGUAGE_CODE):  # the books speak one language
        payment = _("Payment")
    spec = EntrySpec(
        date=paid_on,
        description=f"{payment} {invoice.number} {invoice.vendor.name}"[:200],
        voucher_ref=invoice.number[:50],
        lines=lines,
        source_type=PAYMENT_SOURCE_TYPE,
        source_id=str(invoice.pk),
    )
    entry = posting_dates.entry_record_in_open_period(
        actor=actor, institution=invoice.institution, spec=spec
    )
    transition(invoice, Action.PAY)
    invoice.paid_by = actor
    invoice.paid_at = timezone.now()
    save_step(invoice, "paid", actor, on_behalf_of, entry=entry.pk)
    return invoice
