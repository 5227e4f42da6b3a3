"""An invoice dated in a closed, locked or missing period is posted on the first day of the
first open period after its date; it keeps its invoice date, the journal entry carries the
posting date and the invoice page shows both. An invoice dated after every open period (a
future year not opened yet) waits with a message naming the year to open. Nothing is ever
posted into a closed or locked period."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.ledger import services as ledger
from faelles.ledger.models import JournalEntry, Period
from faelles.payables import posting_dates, services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2230", D("25.00"), "200", vat_code="I25"),
]


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def approve(world, dkk_document):
    """Receive, code, attest and approve (which posts) an invoice issued on ``issue``."""

    def run(issue: str, number: str = "P1") -> Invoice:
        invoice = services.document_receive(
            content=dkk_document(number=number, issue=issue), channel="api"
        ).invoice
        assert invoice is not None
        services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
        services.invoice_attest(actor=world.receiver, invoice=invoice)
        services.invoice_approve(actor=world.approver, invoice=Invoice.objects.get(pk=invoice.pk))
        return Invoice.objects.select_related("journal_entry").get(pk=invoice.pk)

    return run


def _period(world, on: date) -> Period:
    return Period.objects.get(institution=world.institution, start__lte=on, end__gte=on)


def _posted(invoice: Invoice) -> tuple[str, date, date]:
    assert invoice.journal_entry is not None, invoice.posting_error
    return (invoice.state, invoice.issue_date, invoice.journal_entry.date)


def test_an_invoice_in_an_open_period_is_posted_on_its_own_date(world, approve):
    invoice = approve("2026-03-15")
    assert _posted(invoice) == ("posted", date(2026, 3, 15), date(2026, 3, 15))


def test_an_invoice_in_a_closed_period_is_posted_in_the_next_open_period(world, approve):
    ledger.period_set_state(
        actor=world.bookkeeper, period=_period(world, date(2026, 3, 15)), state="closed"
    )
    invoice = approve("2026-03-15")
    assert _posted(invoice) == ("posted", date(2026, 3, 15), date(2026, 4, 1))
    assert invoice.posting_error == ""
    # Nothing went into the closed period.
    assert not JournalEntry.objects.filter(
        institution=world.institution, date__range=(date(2026, 3, 1), date(2026, 3, 31))
    ).exists()


def test_an_invoice_in_a_locked_period_is_posted_in_the_next_open_period(world, approve):
    march = _period(world, date(2026, 3, 15))
    ledger.period_set_state(actor=world.bookkeeper, period=march, state="closed")
    ledger.period_set_state(actor=world.bookkeeper, period=march, state="locked")
    april = _period(world, date(2026, 4, 1))
    ledger.period_set_state(actor=world.bookkeeper, period=april, state="closed")
    invoice = approve("2026-03-15")
    assert _posted(invoice) == ("posted", date(2026, 3, 15), date(2026, 5, 1))


def test_an_invoice_in_a_missing_year_is_posted_in_the_first_open_period(world, approve):
    invoice = approve("2005-11-20")
    assert _posted(invoice) == ("posted", date(2005, 11, 20), date(2026, 1, 1))
    event = AuditEvent.objects.get(action="payables.invoice.posted", object_id=str(invoice.pk))
    assert (event.details["entry"], event.details["date"]) == (
        invoice.journal_entry_id,
        "2026-01-01",
    )


def test_an_invoice_in_a_closed_year_is_posted_in_the_first_open_period(world, approve):
    ledger.fiscal_year_open(actor=world.bookkeeper, institution=world.institution, year=2025)
    for period in Period.objects.filter(
        institution=world.institution, fiscal_year__year=2025
    ).order_by("start"):
        ledger.period_set_state(actor=world.bookkeeper, period=period, state="closed")
    invoice = approve("2025-06-10")
    assert _posted(invoice) == ("posted", date(2025, 6, 10), date(2026, 1, 1))


def test_an_invoice_in_a_future_year_waits_naming_the_year_to_open(world, approve):
    invoice = approve("2027-02-01")
    assert (invoice.state, invoice.journal_entry_id, invoice.next_role) == (
        InvoiceState.APPROVED,
        None,
        "bookkeeper",
    )
    assert invoice.posting_error == (
        "No fiscal period covers 2027-02-01, and no open period comes after it. A bookkeeper "
        "must open the fiscal year 2027; the invoice is then posted."
    )
    assert JournalEntry.objects.filter(source_type="payables.invoice").count() == 0

    ledger.fiscal_year_open(actor=world.bookkeeper, institution=world.institution, year=2027)
    services.invoice_post(actor=world.bookkeeper, invoice=invoice)
    invoice = Invoice.objects.select_related("journal_entry").get(pk=invoice.pk)
    assert _posted(invoice) == ("posted", date(2027, 2, 1), date(2027, 2, 1))


def test_the_posting_date_rule():
    periods = [
        (date(2026, 1, 1), date(2026, 1, 31), "closed"),
        (date(2026, 2, 1), date(2026, 2, 28), "locked"),
        (date(2026, 3, 1), date(2026, 3, 31), "open"),
        (date(2026, 4, 1), date(2026, 4, 30), "closed"),
    ]
    rule = posting_dates.posting_date
    assert rule(date(2026, 3, 9), periods) == date(2026, 3, 9)
    assert rule(date(2026, 1, 9), periods) == date(2026, 3, 1)
    assert rule(date(2026, 2, 9), periods) == date(2026, 3, 1)
    assert rule(date(2019, 5, 5), periods) == date(2026, 3, 1)
    # Never back into an earlier period, never into a closed one.
    assert rule(date(2026, 4, 9), periods) is None
    assert rule(date(2026, 5, 9), periods) is None
    assert posting_dates.no_open_period(date(2026, 4, 9), periods).messages == [
        "No open fiscal period on or after 2026-04-09: the periods from then on are closed "
        "or locked. A bookkeeper must reopen a period or open the fiscal year 2027."
    ]


def test_the_invoice_page_shows_the_posting_date_and_the_invoice_date(world, approve, client):
    invoice = approve("2005-11-20")
    client.force_login(world.approver)
    with_language = {"HTTP_ACCEPT_LANGUAGE": "en"}
    response = client.get(reverse("payables:invoice-detail", args=[invoice.pk]), **with_language)
    assert response.status_code == 200
    assert (
        '<dd id="posting-date">Posted 2026-01-01 (invoice date 2005-11-20)</dd>'
        in response.content.decode()
    )
