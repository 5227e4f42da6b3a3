"""Human, translatable words for invoice handling: a label per audit action (what the invoice
history shows) and the invoice state as it reads inside a sentence.

An action without a label here is shown as its code, so a new event is never hidden.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.payables.models import (
    Channel,
    DocumentStatus,
    InvoiceState,
    PaymentRun,
    VendorBankChange,
)

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
    "payables.invoice.order_match": _("Matched against its purchase order"),
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
    "payables.invoice.response_queued": _("Response to the supplier queued"),
    "payables.invoice.response_send": _("Sending the response to the supplier"),
    # vendors and their bank details
    "payables.vendor.created": _("Vendor created"),
    "payables.vendor.payment_details_confirmed": _("Vendor's payment details confirmed"),
    "payables.bank_change.request": _("Request to change bank details"),
    "payables.bank_change.requested": _("Change of bank details requested"),
    "payables.bank_change.confirm": _("Confirmation of changed bank details"),
    "payables.bank_change.confirmed": _("Change of bank details confirmed"),
    "payables.bank_change.refuse": _("Refusal of changed bank details"),
    "payables.bank_change.refused": _("Change of bank details refused"),
    # rules
    "payables.routing_rule.created": _("Routing rule created"),
    "payables.routing_rule.updated": _("Routing rule changed"),
    "payables.routing_rule.deactivated": _("Routing rule deactivated"),
    "payables.routing_rule.reactivated": _("Routing rule reactivated"),
    "payables.coding_rule.created": _("Coding rule created"),
    "payables.coding_rule.updated": _("Coding rule changed"),
    "payables.coding_rule.deactivated": _("Coding rule deactivated"),
    "payables.coding_rule.reactivated": _("Coding rule reactivated"),
    # payment runs
    "payables.payment_run.create": _("Creating a payment run"),
    "payables.payment_run.created": _("Payment run created"),
    "payables.payment_run.release": _("Releasing a payment run"),
    "payables.payment_run.released": _("Payment run released"),
    "payables.payment_run.file_made": _("Payment file made"),
    "payables.payment_run.paid": _("Payment run paid"),
    # payments other parts of the platform ask for (grants, benefits)
    "payables.payment_request.created": _("Payment requested"),
}

#: What the keys of invoice handling's audit details mean.
DETAIL_LABELS: dict[str, str | Promise] = {
    "allocations": _("Allocations"),
    "buyer_reference": _("Buyer reference"),
    "bytes": _("Bytes"),
    "channel": _("Channel"),
    "codes": _("Codes"),
    "covered_by_order": _("Covered by the approval of order"),
    "due_date": _("Due date"),
    "execution_date": _("Execution date"),
    "fatal": _("Fatal findings"),
    "filename": _("File"),
    "invoice": _("Invoice"),
    "invoices": _("Invoices"),
    "kind": _("Kind"),
    "left_out": _("Left out"),
    "order_reference": _("Order reference"),
    "payment_run": _("Payment run"),
    "payment_requests": _("Payment requests"),
    "priority": _("Priority"),
    "rate": _("Exchange rate"),
    "receiver": _("Receiver"),
    "requester": _("Requester"),
    "routing_rule": _("Routing rule"),
    "sha256": _("SHA-256"),
    "size": _("Size"),
    "text_contains": _("Text contains"),
    "vat_id": _("VAT id"),
    "vendor": _("Vendor"),
    "verified": _("Verified"),
}

#: The coded values inside details, by key.
VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "state": {
        **dict(InvoiceState.choices),
        **dict(PaymentRun.State.choices),
        **dict(VendorBankChange.State.choices),
    },
    "status": {**dict(DocumentStatus.choices), "duplicate": _("Duplicate")},
    "channel": dict(Channel.choices),
}


def intake_status_label(status: str) -> str:
    """What became of a received document, in words: a document status, or "Duplicate" for
    bytes that arrived before."""
    label = VALUE_LABELS["status"].get(status)
    return status if label is None else str(label)


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
