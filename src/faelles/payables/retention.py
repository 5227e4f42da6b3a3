"""Retention of invoice handling's records: invoices (with their lines, allocations and the
received document they were read from), payment runs (with their pain.001 file), and received
documents that never became an invoice.

All are accounting material (bogføringsloven § 10), kept for five years from the end of the
financial year they concern. An invoice concerns every date it carries — issued, received,
posted, paid, rejected, the execution date of its payment run — so it is kept until the
period of each of them has ended. The job removes only what has finished its life cycle and
nothing else points to; the journal entries an invoice or run was posted in stay (the ledger
keeps them, see ``faelles.ledger.retention``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from faelles.core import retention
from faelles.core.retention import RetentionClock, delete_counts, merge_counts
from faelles.payables.models import (
    DocumentStatus,
    Invoice,
    InvoiceState,
    PaymentRun,
    ReceivedDocument,
    VendorBankChange,
    VendorPaymentDetails,
)

INVOICE_DONE = (InvoiceState.PAID, InvoiceState.REJECTED)
DOCUMENT_DONE = (DocumentStatus.REJECTED, DocumentStatus.UNROUTABLE)


def invoices_due(clock: RetentionClock) -> QuerySet[Invoice]:
    f = clock.fiscal_expired
    return Invoice.objects.filter(
        f("received_at", is_datetime=True),
        f("issue_date"),
        f("posted_at", is_datetime=True, null_expired=True),
        f("journal_entry__date", null_expired=True),
        f("paid_at", is_datetime=True, null_expired=True),
        f("rejected_at", is_datetime=True, null_expired=True),
        f("payment_run__execution_date", null_expired=True),
    )


def invoices_removable(clock: RetentionClock) -> QuerySet[Invoice]:
    def referenced(qs: QuerySet[Any], column: str) -> Q:
        return Q(pk__in=qs.filter(**{f"{column}__isnull": False}).values(column))

    return (
        invoices_due(clock)
        .filter(state__in=INVOICE_DONE)
        .exclude(
            referenced(Invoice.objects.all(), "duplicate_of")
            | referenced(Invoice.objects.all(), "suspected_duplicate_of")
            | referenced(VendorPaymentDetails.objects.all(), "source_invoice")
            | referenced(VendorBankChange.objects.all(), "source_invoice")
        )
    )


def invoices_remove(ids: list[int]) -> dict[str, int]:
    documents = list(Invoice.objects.filter(pk__in=ids).values_list("document_id", flat=True))
    return merge_counts(
        delete_counts(Invoice.objects.filter(pk__in=ids).delete()),
        delete_counts(ReceivedDocument.objects.filter(pk__in=documents).delete()),
    )


def runs_due(clock: RetentionClock) -> QuerySet[PaymentRun]:
    f = clock.fiscal_expired
    return PaymentRun.objects.filter(
        f("execution_date"),
        f("created_at", is_datetime=True),
        f("released_at", is_datetime=True, null_expired=True),
        f("paid_at", is_datetime=True, null_expired=True),
        f("journal_entry__date", null_expired=True),
    )


def runs_removable(clock: RetentionClock) -> QuerySet[PaymentRun]:
    return runs_due(clock).exclude(
        pk__in=Invoice.objects.filter(payment_run__isnull=False).values("payment_run")
    )


def runs_remove(ids: list[int]) -> dict[str, int]:
    return delete_counts(PaymentRun.objects.filter(pk__in=ids).delete())


def documents_due(clock: RetentionClock) -> QuerySet[ReceivedDocument]:
    f = clock.fiscal_expired
    return ReceivedDocument.objects.filter(
        f("received_at", is_datetime=True),
        f("processed_at", is_datetime=True, null_expired=True),
        invoice__isnull=True,
    )


def documents_removable(clock: RetentionClock) -> QuerySet[ReceivedDocument]:
    return documents_due(clock).filter(status__in=DOCUMENT_DONE)


def documents_remove(ids: list[int]) -> dict[str, int]:
    return delete_counts(ReceivedDocument.objects.filter(pk__in=ids, invoice__isnull=True).delete())


def register_rules() -> None:
    retention.register(
        retention.RetentionRule(
            key="payables.invoice",
            records=(
                "invoices and credit notes with their lines, allocations and the received "
                "document (bytes) they were read from"
            ),
            basis=retention.BOOKKEEPING_ACT,
            period="5 years from the end of the financial year of its latest date",
            runs_from=(
                "issue_date, received_at, posted_at, the journal entry's date, paid_at, "
                "rejected_at, the payment run's execution_date (all of them)"
            ),
            action="delete",
            due=invoices_due,
            removable=invoices_removable,
            remove=invoices_remove,
            oldest_field="received_at",
            guards=(
                "only paid or rejected invoices; kept while another invoice names it as "
                "(suspected) duplicate or a vendor's bank details came from it; the journal "
                "entry it was posted in is never touched"
            ),
            order=10,
        )
    )
    retention.register(
        retention.RetentionRule(
            key="payables.payment_run",
            records="payment runs and their ISO 20022 pain.001 files",
            basis=retention.BOOKKEEPING_ACT,
            period="5 years from the end of the financial year of its latest date",
            runs_from="execution_date, created_at, released_at, paid_at, the journal entry's date",
            action="delete",
            due=runs_due,
            removable=runs_removable,
            remove=runs_remove,
            oldest_field="execution_date",
            guards=(
                "kept while any invoice still names the run (invoices go first); the journal "
                "entry of the payment is never touched"
            ),
            order=20,
        )
    )
    retention.register(
        retention.RetentionRule(
            key="payables.received_document",
            records="received documents (bytes) that did not become an invoice",
            basis=retention.BOOKKEEPING_ACT,
            period="5 years from the end of the financial year it was received in",
            runs_from="received_at, processed_at",
            action="delete",
            due=documents_due,
            removable=documents_removable,
            remove=documents_remove,
            oldest_field="received_at",
            guards=(
                "only rejected or unroutable documents; a document that became an invoice "
                "goes with the invoice"
            ),
            order=30,
        )
    )
