"""Human, translatable words for invoice handling: a label per audit action (what the invoice
history shows) and the invoice state as it reads inside a sentence.

An action without a label here is shown as its code, so a new event is never hidden.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.payables.models import InvoiceState

ACTION_LABELS: dict[str, str | Promise] = {
    # the received document
    "payables.document.received": _("Document received"),
    "payables.document.accepted": _("Document accepted"),
    "payables.document.rejected": _("Document rejected"),
    "payables.document.unroutable": _("Document could not be routed"),
    "payables.document.assigned": _("Document assigned to the institution"),
    "payables.document.receive": _("Document delivery"),
    "payables.document.receive.refused": _("Document delivery refused"),
    # the invoice
    "payables.invoice.forwarded": _("Forwarded"),
    "payables.invoice.coded": _("Coded"),
    "payables.invoice.attested": _("Attested"),
    "payables.invoice.exchange_rate_set": _("Exchange rate set"),
    "payables.invoice.first_approved": _("First approval; a second approver must approve"),
    "payables.invoice.approve": _("Approval"),
    "payables.invoice.approve.refused": _("Approval refused"),
    "payables.invoice.approved": _("Approved"),
    "payables.invoice.posting_waits": _("Posting waits"),
    "payables.invoice.posted": _("Posted"),
    "payables.invoice.scheduled": _("Scheduled for payment"),
    "payables.invoice.paid": _("Paid"),
    "payables.invoice.rejected": _("Rejected"),
    "payables.invoice.payment_details_confirmed": _("Payment details confirmed"),
    "payables.invoice.reminded": _("Reminder sent"),
    "payables.invoice.escalated": _("Escalated as overdue"),
}


def action_label(action: str) -> str:
    """The label of an audit action in the active language; the code itself when unknown."""
    label = ACTION_LABELS.get(action)
    return action if label is None else str(label)


def state_in_sentence(state: str) -> str:
    """The invoice state's label as it reads after "The invoice is" / "Fakturaen er": its
    first letter in lower case ("approved", "godkendt"). Unknown states stay as they are."""
    try:
        label = str(InvoiceState(state).label)
    except ValueError:
        return state
    return label[:1].lower() + label[1:]
