"""Payment requests: the public way for another part of the platform (case handling's grants
and benefits) to have payables pay someone who sent no invoice.

:func:`payment_request_create` checks where to pay (the same payment details an invoice
names, ``faelles.payables.bank``), posts the expense against vendor payables in the ledger
(``source_type`` ``payables.paymentrequest``) and leaves the request open; the institution's
next payment run on or after its due date pays it in the same pain.001 file as the invoices
(``faelles.payables.payments``), and marking the run paid settles it. A request is made once
per source (``source_type``, ``source_id``): asking again answers the request already made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.ledger.selectors import posting_accounts
from faelles.ledger.services import EntrySpec, LineSpec
from faelles.payables import posting_dates
from faelles.payables.bank import payee_for
from faelles.payables.models import PaymentRequest
from faelles.tenancy.models import Institution
from faelles.tenancy.services.users import system_user

SOURCE_TYPE = "payables.paymentrequest"


@dataclass(frozen=True)
class Expense:
    """Where the payment is booked: the expense account and, where the account asks for them,
    the purpose (formål) and the cost centre."""

    account: str
    purpose: str | None = None
    org_unit: str | None = None


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


@transaction.atomic
def payment_request_create(
    *,
    actor: Any,
    institution: Institution,
    payee_name: str,
    payment_means: list[dict[str, Any]],
    amount: Decimal,
    reference: str,
    due_date: date,
    source_type: str,
    source_id: str,
    expense: Expense,
    description: str = "",
) -> PaymentRequest:
    """Ask payables to pay ``amount`` to ``payee_name`` (posted now, paid by the next payment
    run on or after ``due_date``). Idempotent per source. Raises ``ValidationError`` when the
    payment details cannot be paid, the amount is not positive or the ledger refuses."""
    existing = (
        PaymentRequest.objects.for_institution(institution)
        .filter(source_type=source_type, source_id=source_id)
        .first()
    )
    if existing is not None:
        return existing
    amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    if amount <= 0:
        raise _refuse("amount", "not_positive", _("A payment must be a positive amount."))
    payee = payee_for(payment_means)  # raises with the reason when malformed
    if payee is None:
        raise _refuse(
            "payment_means",
            "no_payment_details",
            _("The payment names no account, IBAN or payment slip to pay."),
        )
    request = PaymentRequest.objects.create(
        institution=institution,
        payee_name=payee_name[:200],
        payment_means=payment_means,
        amount=amount,
        reference=reference[:140],
        due_date=due_date,
        source_type=source_type[:60],
        source_id=source_id[:100],
        created_by=actor,
    )
    accounts = posting_accounts(institution)
    text = (description or f"{payee_name} {reference}")[:200]
    spec = EntrySpec(
        date=due_date,
        description=text,
        voucher_ref=reference[:60],
        source_type=SOURCE_TYPE,
        source_id=str(request.pk),
        lines=[
            LineSpec(
                account=expense.account,
                debit=amount,
                purpose=expense.purpose,
                org_unit=expense.org_unit,
                text=text,
            ),
            LineSpec(account=accounts.payables, credit=amount, text=payee_name[:200]),
        ],
    )
    request.journal_entry = posting_dates.entry_record_in_open_period(
        actor=actor or system_user(), institution=institution, spec=spec
    )
    request.save(update_fields=["journal_entry"])
    record_event(
        institution=institution,
        actor=actor,
        action="payables.payment_request.created",
        obj=request,
        details={
            "amount": amount,
            "due_date": due_date,
            "source": f"{source_type}:{source_id}",
            "entry": request.journal_entry.pk,
        },
    )
    return request
