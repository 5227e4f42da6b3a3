"""Retention of invoices, payment runs and received documents: removed the day after five years
from the end of the financial year of their latest date, never a day earlier; guards keep what
is still open or referenced; journal entries and audit events are never touched, and the
ledger check and the audit chain verify after a run."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from faelles.core import retention
from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent
from faelles.ledger import checks
from faelles.ledger.models import FiscalYear, JournalEntry, JournalLine
from faelles.payables.lifecycle.rejection import invoice_reject
from faelles.payables.models import (
    Invoice,
    InvoiceAllocation,
    InvoiceLine,
    PaymentRun,
    ReceivedDocument,
    VendorPaymentDetails,
)
from faelles.payables.payments import (
    payment_run_create,
    payment_run_mark_paid,
    payment_run_release,
)
from faelles.payables.tests.factories import make_world, member
from faelles.payables.tests.test_payments import posted
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

PAYABLES_RULES = ["payables.invoice", "payables.payment_run", "payables.received_document"]


def _pay(world, execution):
    run = payment_run_create(
        actor=world.payer,
        institution=world.institution,
        execution_date=execution,
        debtor_iban="DK5000400440116243",
        debtor_bic="DABADKKK",
    )
    run = payment_run_release(actor=world.payer2, run=run)
    return payment_run_mark_paid(actor=world.payer, run=run)


def _rejected_document(institution=None, sha="0" * 64, received=None):
    doc = ReceivedDocument.objects.create(
        sha256=sha,
        content=b"not an invoice",
        size=14,
        channel="api",
        status="rejected",
        institution=institution,
    )
    if received is not None:
        aware = timezone.make_aware(datetime.combine(received, time(12)))
        ReceivedDocument.objects.filter(pk=doc.pk).update(received_at=aware, processed_at=aware)
    return doc


@pytest.fixture
def world():
    w = make_world()
    w.payer2 = member(w.institution, Role.PAYER)
    # The first invoice of each vendor is the source of its bank details (kept by a guard).
    w.a1 = posted(w, "A1", vendor=0)
    w.b1 = posted(w, "B1", vendor=1)
    w.run1 = _pay(w, date(2026, 4, 30))
    # Second invoices: nothing refers to them once they are paid.
    w.a2 = posted(w, "A2", vendor=0)
    w.b2 = posted(w, "B2", vendor=1)
    w.run2 = _pay(w, date(2026, 5, 29))
    w.open = posted(w, "C1", vendor=2, approve=False)  # attested, still open
    w.rejected = posted(w, "C2", vendor=2, approve=False)
    invoice_reject(actor=w.high_approver, invoice=w.rejected, reason="Ikke bestilt")
    w.garbage = _rejected_document(w.institution)
    return w


def _first_day_after(world):
    """The day the material of the world's latest financial year may go: the last date any
    of it carries lies in this calendar fiscal year (make_institution opens calendar years)."""
    years = {e.year for e in JournalEntry.objects.values_list("date", flat=True)}
    years.add(timezone.localdate().year)
    fy = FiscalYear.objects.get(institution=world.institution, year=max(years))
    assert (fy.start, fy.end) == (date(fy.year, 1, 1), date(fy.year, 12, 31))
    return date(fy.year + 6, 1, 1)


def _snapshot():
    return {
        "invoices": set(Invoice.objects.values_list("pk", flat=True)),
        "runs": set(PaymentRun.objects.values_list("pk", flat=True)),
        "documents": set(ReceivedDocument.objects.values_list("pk", flat=True)),
        "entries": list(JournalEntry.objects.order_by("pk").values_list("pk", "state", "hash")),
        "lines": JournalLine.objects.count(),
        "events": AuditEvent.objects.exclude(action="retention.run").count(),
    }


def test_nothing_goes_on_the_last_day_of_the_period(world):
    first_day = _first_day_after(world)
    before = _snapshot()

    report = {r["rule"]: r for r in retention.retention_report(today=first_day - timedelta(1))}
    retention.retention_run(actor=None, today=first_day - timedelta(1), only=PAYABLES_RULES)

    assert [report[k]["due"] for k in PAYABLES_RULES] == [0, 0, 0]
    assert _snapshot() == before


def test_the_day_after_the_period_paid_and_rejected_invoices_and_their_run_go(world):
    w = world
    first_day = _first_day_after(w)
    before = _snapshot()
    gone = [w.a2.pk, w.b2.pk, w.rejected.pk]
    documents = set(Invoice.objects.filter(pk__in=gone).values_list("document_id", flat=True))
    lines = InvoiceLine.objects.filter(invoice__in=gone).count()
    allocations = InvoiceAllocation.objects.filter(invoice__in=gone).count()
    assert VendorPaymentDetails.objects.filter(source_invoice__in=[w.a1, w.b1]).count() == 2
    assert (lines, allocations) == (3, 3)

    report = {r["rule"]: r for r in retention.retention_report(today=first_day)}
    assert _snapshot() == before  # the dry run changed nothing
    assert {
        k: (report[k]["due"], report[k]["removable"], report[k]["held"]) for k in PAYABLES_RULES
    } == {
        "payables.invoice": (6, 3, 3),  # held: two sources of bank details, one still open
        "payables.payment_run": (2, 0, 2),  # run 2 still names its invoices before the run
        "payables.received_document": (1, 1, 0),
    }

    results = retention.retention_run(actor=None, today=first_day, only=PAYABLES_RULES)

    by_rule = {r["rule"]: r for r in results}
    assert by_rule["payables.invoice"]["removed"] == {
        "payables.invoice": 3,
        "payables.invoiceline": 3,
        "payables.invoiceallocation": 3,
        "payables.receiveddocument": 3,
    }
    assert by_rule["payables.invoice"]["ids"] == sorted(gone)
    # Invoices go first, so their run goes in the same job.
    assert by_rule["payables.payment_run"]["removed"] == {"payables.paymentrun": 1}
    assert by_rule["payables.payment_run"]["ids"] == [w.run2.pk]
    assert by_rule["payables.received_document"]["ids"] == [w.garbage.pk]
    after = _snapshot()
    assert after["invoices"] == before["invoices"] - set(gone)
    assert after["runs"] == {w.run1.pk}
    assert after["documents"] == before["documents"] - documents - {w.garbage.pk}
    # The ledger and the audit trail are untouched and still prove themselves.
    assert (after["entries"], after["lines"], after["events"]) == (
        before["entries"],
        before["lines"],
        before["events"],
    )
    assert checks.run_all() == []
    assert verify_chains() == []
    assert AuditEvent.objects.filter(action="retention.run").count() == 3

    again = retention.retention_run(actor=None, today=first_day, only=PAYABLES_RULES)
    assert [r["removed"] for r in again] == [{}, {}, {}]
    assert _snapshot() == after


def test_posted_entries_are_reported_due_for_archiving_and_never_removed(world):
    first_day = _first_day_after(world)
    entries = JournalEntry.objects.count()
    posted_entries = JournalEntry.objects.filter(state="posted").count()
    assert posted_entries > 0

    before = {r["rule"]: r for r in retention.retention_report(today=first_day - timedelta(1))}
    after = {r["rule"]: r for r in retention.retention_report(today=first_day)}
    retention.retention_run(actor=None, today=first_day)

    assert before["ledger.journal_entry"]["due"] == 0
    assert (after["ledger.journal_entry"]["due"], after["ledger.journal_entry"]["removable"]) == (
        entries,
        0,
    )
    assert JournalEntry.objects.count() == entries
    assert checks.run_all() == []
    assert verify_chains() == []


def test_an_invoice_paid_in_the_next_fiscal_year_is_kept_for_that_year(world):
    w = world
    first_day = _first_day_after(w)
    paid_later = timezone.make_aware(datetime.combine(date(first_day.year - 5, 1, 2), time(9)))
    Invoice.objects.filter(pk=w.a2.pk).update(paid_at=paid_later)

    retention.retention_run(actor=None, today=first_day, only=["payables.invoice"])

    assert Invoice.objects.filter(pk=w.a2.pk).exists()
    assert not Invoice.objects.filter(pk=w.b2.pk).exists()
    retention.retention_run(
        actor=None, today=date(first_day.year + 1, 1, 1), only=["payables.invoice"]
    )
    assert not Invoice.objects.filter(pk=w.a2.pk).exists()


def test_a_fiscal_year_from_the_ledger_sets_the_boundary_of_received_documents():
    w = make_world()
    FiscalYear.objects.create(
        institution=w.institution, year=2020, start=date(2019, 7, 1), end=date(2020, 6, 30)
    )
    in_fy = _rejected_document(w.institution, "1" * 64, received=date(2019, 8, 1))
    before_fy = _rejected_document(w.institution, "2" * 64, received=date(2019, 6, 30))
    unroutable = _rejected_document(None, "3" * 64, received=date(2019, 8, 1))

    def run(day):
        result = retention.retention_run(actor=None, today=day, only=["payables.received_document"])
        return result[0]["ids"]

    assert run(date(2024, 12, 31)) == []
    # 2019-06-30 lies before the first fiscal year: the calendar year 2019 applies; so does
    # it for a document no institution owns.
    assert run(date(2025, 1, 1)) == [before_fy.pk, unroutable.pk]
    assert run(date(2025, 6, 30)) == []
    assert run(date(2025, 7, 1)) == [in_fy.pk]
    assert ReceivedDocument.objects.filter(pk__in=[in_fy.pk, before_fy.pk]).count() == 0
