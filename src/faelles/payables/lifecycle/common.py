"""What the steps of the life cycle share: refusals, row locks, the batch writes and audit
events, and the amounts in the ledger's currency."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.core.bulk import update_rows
from faelles.core.money import round_money
from faelles.ledger.selectors import posting_accounts_annotations
from faelles.payables.models import INVOICE_UNCHECKED_FIELDS, Invoice
from faelles.payables.workflow import Action, can, set_next_actor, wrong_state
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, User

LEDGER_CURRENCY = "DKK"
SOURCE_TYPE = "payables.invoice"
PAYMENT_SOURCE_TYPE = "payables.payment"


def refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def merge_errors(errors: list[ValidationError]) -> ValidationError:
    """One ValidationError with every field's errors (codes kept)."""
    merged: dict[str, list[ValidationError]] = defaultdict(list)
    for error in errors:
        for field, items in error.error_dict.items():
            merged[field].extend(items)
    return ValidationError(dict(merged))


def lock_invoice(invoice: Invoice) -> Invoice:
    locked: Invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("institution", "vendor")
        .get(pk=invoice.pk)
    )
    return locked


def require(invoice: Invoice, action: Action) -> None:
    """Refuse (``wrong_state``) when the life cycle has no ``action`` in the invoice's state."""
    if not can(invoice, action):
        raise wrong_state(invoice)


def not_duplicate(invoice: Invoice) -> None:
    if invoice.duplicate_of_id is not None:
        raise refuse(
            "duplicate_of",
            "duplicate",
            _("This invoice is a duplicate of invoice %(pk)s and can never be approved or paid.")
            % {"pk": invoice.duplicate_of_id},
        )


def role_holder(actor: User, invoice: Invoice, role: str) -> User | None:
    """On whose behalf ``actor`` acts in ``role`` (``None``: own); refuses without the role."""
    try:
        return selectors.acting_for(actor, invoice.institution, role)
    except LookupError:
        raise refuse(
            "actor",
            "not_permitted",
            _("You do not hold the role %(role)s in %(inst)s.")
            % {"role": Role(role).label, "inst": invoice.institution},
        ) from None


def persons_of(actor: User, on_behalf_of: User | None) -> set[int]:
    return {actor.pk} | ({on_behalf_of.pk} if on_behalf_of is not None else set())


def save_step(
    invoice: Invoice, action: str, actor: User, on_behalf_of: User | None, **details: object
) -> None:
    set_next_actor(invoice)
    invoice.full_clean(validate_constraints=False)
    invoice.save()
    record_event(
        institution=invoice.institution,
        actor=actor,
        action=f"payables.invoice.{action}",
        obj=invoice,
        on_behalf_of=on_behalf_of,
        details={"state": invoice.state, **details},
    )


def one_institution(invoices: list[Invoice], message: str) -> Institution:
    institution = invoices[0].institution
    if any(i.institution_id != institution.pk for i in invoices):
        raise refuse("invoices", "mixed", message)
    return institution


def refuse_missing(
    invoices: list[Invoice], locked: list[Invoice], refused: dict[int, ValidationError]
) -> None:
    """An invoice asked for but not found (another institution's) is refused as missing."""
    found = {i.pk for i in locked}
    for invoice in invoices:
        if invoice.pk not in found:
            refused[invoice.pk] = refuse(
                "invoice", "not_found", _("Invoice %(pk)s was not found.") % {"pk": invoice.pk}
            )


def write_rows(invoices: list[Invoice], fields: Sequence[str]) -> None:
    """Write the changed fields of ``invoices`` in one statement (the states were checked
    against the life cycle by :func:`transition`)."""
    update_rows(Invoice, invoices, list(fields))
    for invoice in invoices:
        invoice._stored_state = invoice.state


def amount_in_ledger_currency(invoice: Invoice) -> Decimal | None:
    """The amount payable in DKK (by the recorded exchange rate for another currency);
    ``None`` for another currency without a rate."""
    return to_dkk(invoice, invoice.payable_amount)


def to_dkk(invoice: Invoice, amount: Decimal) -> Decimal | None:
    if invoice.currency == LEDGER_CURRENCY:
        return amount
    if invoice.exchange_rate is None:
        return None
    return round_money(amount * invoice.exchange_rate, LEDGER_CURRENCY)


def lock_many(
    institution: Any,
    invoices: list[Invoice],
    *,
    for_posting: bool = True,
    approver: User | None = None,
) -> list[Invoice]:
    """The institution's invoices among ``invoices``, locked in id order, with what posting
    reads (vendor, the institution's posting accounts) when ``for_posting``, and what the
    approval rules need to know of ``approver`` (see ``selectors.approver_annotations``)."""
    query = (
        Invoice.objects.select_for_update(of=("self",))
        .filter(pk__in=[i.pk for i in invoices], institution=institution)
        .order_by("pk")
    )
    if for_posting:
        query = query.select_related("vendor").annotate(**posting_accounts_annotations())
    if approver is not None:
        query = query.annotate(**selectors.approver_annotations(approver, institution))
    locked = list(query)
    for invoice in locked:
        invoice.institution = institution
    return locked


def posted_details(invoice: Invoice) -> dict[str, object]:
    """The posted event's details: the entry and its date (the posting date, which is the
    first day of a later open period when the invoice date's period is not open)."""
    entry = invoice.journal_entry
    return {"entry": invoice.journal_entry_id, "date": entry.date if entry else None}


def step_event(
    invoice: Invoice, action: str, on_behalf_of: User | None, details: dict[str, object]
) -> dict[str, Any]:
    return {
        "action": f"payables.invoice.{action}",
        "obj": invoice,
        "on_behalf_of": on_behalf_of,
        "details": {"state": invoice.state, **details},
    }


_ALL_FIELDS = frozenset(f.name for f in Invoice._meta.fields)


def clean_changed(invoices: list[Invoice], fields: list[str]) -> None:
    """The model's checks of the fields a batch step changed (relations are set by the
    service itself, so the per-row queries of ``full_clean`` that check them are left out)."""
    exclude = sorted((_ALL_FIELDS - set(fields)) | INVOICE_UNCHECKED_FIELDS)
    for invoice in invoices:
        invoice.clean_fields(exclude=exclude)
