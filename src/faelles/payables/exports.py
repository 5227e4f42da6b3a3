"""The columns of the invoice-handling exports (CSV and XLSX through ``faelles.web.exports``):
the invoice lists, payment runs and a run's transfers, the operator's document queues, and the
key figures. The views pass the rows they show, read through the access gate with the page's
filters; these definitions only say which fields become which columns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from faelles.payables.models import Invoice, ReceivedDocument
from faelles.web.exports import Column


def _signed(invoice: Invoice) -> Decimal:
    """The amount payable, negative for a credit note (as the run pages show it)."""
    amount: Decimal = invoice.payable_amount
    return -amount if invoice.kind == Invoice.Kind.CREDIT_NOTE else amount


def _next(invoice: Invoice) -> str:
    if invoice.assigned_to_id:
        return str(invoice.assigned_to)
    return invoice.next_role_label


def _notes(invoice: Invoice) -> str:
    notes = []
    if invoice.duplicate_of_id:
        notes.append(str(_("Duplicate")))
    elif invoice.suspected_duplicate_of_id:
        notes.append(str(_("Suspected duplicate")))
    if invoice.coded_automatically:
        notes.append(str(_("Coded automatically")))
    if invoice.payment_blocked:
        notes.append(str(_("Payment blocked")))
    if invoice.posting_error:
        notes.append(str(_("Posting waits")))
    return ", ".join(notes)


INVOICE_COLUMNS = (
    Column(_("Vendor"), lambda i: i.vendor.name),
    Column(_("CVR number"), lambda i: i.vendor.cvr),
    Column(_("Number"), lambda i: i.number),
    Column(_("Kind"), lambda i: i.get_kind_display()),
    Column(_("Issue date"), lambda i: i.issue_date),
    Column(_("Due date"), lambda i: i.due_date),
    Column(_("Currency"), lambda i: i.currency),
    Column(_("Net amount"), lambda i: i.net_amount),
    Column(_("VAT"), lambda i: i.vat_amount),
    Column(_("Amount payable"), lambda i: i.payable_amount),
    Column(_("State"), lambda i: i.get_state_display()),
    Column(_("Next step by"), _next),
    Column(_("Received"), lambda i: i.received_at),
    Column(_("Notes"), _notes),
)

OVERDUE_COLUMNS = (Column(_("Institution"), lambda i: str(i.institution)), *INVOICE_COLUMNS)

RUN_COLUMNS = (
    Column(_("Payment run"), lambda r: r.pk),
    Column(_("Execution date"), lambda r: r.execution_date),
    Column(_("State"), lambda r: r.get_state_display()),
    Column(_("Total"), lambda r: r.total),
    Column(_("Account to pay from"), lambda r: r.debtor_iban),
    Column(_("Created by"), lambda r: str(r.created_by)),
    Column(_("Released by"), lambda r: str(r.released_by) if r.released_by_id else ""),
    Column(_("Released"), lambda r: r.released_at),
    Column(_("Paid"), lambda r: r.paid_at),
)

TRANSFER_COLUMNS = (
    Column(_("Vendor"), lambda t: t.vendor),
    Column(_("Paid to"), lambda t: t.payee.label),
    Column(_("Invoices"), lambda t: t.numbers),
    Column(_("Amount"), lambda t: t.amount),
)

RUN_INVOICE_COLUMNS = (
    Column(_("Vendor"), lambda i: i.vendor.name),
    Column(_("Number"), lambda i: i.number),
    Column(_("Kind"), lambda i: i.get_kind_display()),
    Column(_("Due date"), lambda i: i.due_date),
    Column(_("Amount"), _signed),
    Column(_("State"), lambda i: i.get_state_display()),
)


def _fatal(document: ReceivedDocument) -> str:
    return " | ".join(
        f"{f.get('rule', '')} {f.get('message', '')}" for f in document.fatal_findings
    )


def _receiver(document: ReceivedDocument) -> str:
    return f"{document.receiver_scheme}:{document.receiver_id}" if document.receiver_id else ""


DOCUMENT_COLUMNS = (
    Column(_("Received"), lambda d: d.received_at),
    Column(_("File"), lambda d: str(d)),
    Column(_("Institution"), lambda d: str(d.institution) if d.institution_id else ""),
    Column(_("Receiver"), _receiver),
    Column(_("Status"), lambda d: d.get_status_display()),
    Column(_("Fatal findings"), _fatal),
)


def ageing_rows(ageing: Any) -> list[tuple[Any, ...]]:
    return [(b.label, b.count, b.amount) for b in ageing.buckets]


AGEING_HEADERS = (_("Days past due"), _("Invoices"), _("Amount (DKK)"))
RUN_TOTAL_HEADERS = (
    _("Payment run"),
    _("Execution date"),
    _("State"),
    _("Invoices"),
    _("Amount (DKK)"),
)
