"""One way to pay: "send to payment" puts an invoice into the next payment run's proposal
(whatever its due date), says at once why when a run could not take it, and the payer's start
page counts it with what the next run takes. A payment made outside Fælles (a card) is
recorded on an invoice sent to payment, never on one in a run, and is posted in an open
period."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.ledger import services as ledger
from faelles.ledger.models import JournalEntry, Period
from faelles.payables import services, start_panels
from faelles.payables.models import Invoice, InvoiceState, PaymentRun
from faelles.payables.payments import payment_run_mark_paid
from faelles.payables.tests.factories import make_world, member
from faelles.payables.tests.test_payments import codes, new_run, posted, release
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    w.payer2 = member(w.institution, Role.PAYER)
    return w


def _state(invoice):
    fresh = Invoice.objects.get(pk=invoice.pk)
    return (fresh.state, fresh.payment_run_id, fresh.scheduled_by_id)


def test_sent_to_payment_goes_into_the_next_run_whatever_its_due_date(world):
    due = posted(world, "A1")  # due 2026-04-14
    sent = posted(world, "B1", vendor=3, issue=date(2026, 4, 20))  # due 2026-05-20
    waits = posted(world, "C1", vendor=3, qty="3", issue=date(2026, 4, 20))  # due 2026-05-20

    services.invoice_schedule(actor=world.payer, invoice=sent)
    assert _state(sent) == (InvoiceState.SCHEDULED, None, world.payer.pk)

    run = new_run(world, execution_date=date(2026, 4, 30))

    assert sorted(run.invoices.values_list("number", flat=True)) == ["A1", "B1"]
    assert _state(sent) == (InvoiceState.SCHEDULED, run.pk, world.payer.pk)
    assert _state(due) == (InvoiceState.SCHEDULED, run.pk, world.payer.pk)
    assert _state(waits) == (InvoiceState.POSTED, None, None)
    event = AuditEvent.objects.get(action="payables.payment_run.created")
    assert sorted(event.details["invoices"]) == sorted([due.pk, sent.pk])


def test_an_invoice_a_run_cannot_take_is_refused_at_once_with_the_reason(world):
    blocked = posted(world, "A1")
    Invoice.objects.filter(pk=blocked.pk).update(payment_blocked=True)
    bad = posted(world, "A2", vendor=2)
    Invoice.objects.filter(pk=bad.pk).update(
        payment_means=[
            {"code": "31", "kind": "dk_account", "reg": "3000", "account": "12345678901"}
        ]
    )
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        services.invoice_schedule(actor=world.payer, invoice=blocked)
    assert codes(exc) == ["payment_blocked"]
    with pytest.raises(ValidationError) as exc:
        services.invoice_schedule(actor=world.payer, invoice=bad)
    assert codes(exc) == ["invalid_account"]
    assert exc.value.messages == [
        "The invoice cannot go into a payment run: The account number 12345678901 must be 1 "
        "to 10 digits."
    ]
    assert _state(blocked) == (InvoiceState.POSTED, None, None)
    assert _state(bad) == (InvoiceState.POSTED, None, None)
    assert AuditEvent.objects.count() == events


def test_an_invoice_to_an_account_with_a_pending_change_is_refused(world):
    invoice = posted(world, "A1")
    change = services.vendor_bank_change_request(
        actor=world.receiver,
        vendor=invoice.vendor,
        payment_means=[{"kind": "iban", "iban": "DK3730000000000001"}],
    )
    services.vendor_bank_change_confirm(actor=world.bookkeeper, change=change)
    services.vendor_bank_change_request(
        actor=world.receiver, vendor=invoice.vendor, payment_means=invoice.payment_means
    )
    with pytest.raises(ValidationError) as exc:
        services.invoice_schedule(actor=world.payer, invoice=invoice)
    assert codes(exc) == ["bank_change_pending"]
    assert _state(invoice) == (InvoiceState.POSTED, None, None)


def test_the_payers_start_page_counts_what_the_next_run_takes(world):
    today = date(2026, 6, 30)
    posted(world, "A1")
    sent = posted(world, "B1", vendor=3, issue=date(2026, 4, 20))
    posted(world, "C1", vendor=3, qty="3", issue=date(2026, 4, 20))

    def ready():
        rows = start_panels.ready_for_payment(world.institution, today=today)
        return (rows[0].group_count if rows else 0), sorted(r.number for r in rows)

    assert ready() == (3, ["A1", "B1", "C1"])
    services.invoice_schedule(actor=world.payer, invoice=sent)
    assert ready() == (3, ["A1", "B1", "C1"])

    run = new_run(world, execution_date=today)

    assert run.invoices.count() == 3
    assert ready() == (0, [])


def test_the_invoice_page_says_the_next_run_takes_it(world):
    invoice = posted(world, "A1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.payer)
    url = reverse("payables:invoice-detail", args=[invoice.pk])
    response = client.post(reverse("payables:invoice-action", args=[invoice.pk, "schedule"]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert '<dd id="payment">Sent to payment: the next payment run takes it.</dd>' in page
    assert 'id="paid-outside"' in page
    run = new_run(world)
    page = client.get(url).content.decode()
    assert f"In payment run {run.pk}</a>" in page
    assert 'id="paid-outside"' not in page


def test_a_payment_outside_faelles_is_posted_in_an_open_period(world):
    invoice = posted(world, "A1")
    services.invoice_schedule(actor=world.payer, invoice=invoice)
    may = Period.objects.get(institution=world.institution, start=date(2026, 5, 1))
    ledger.period_set_state(actor=world.bookkeeper, period=may, state="closed")

    services.invoice_mark_paid(actor=world.payer2, invoice=invoice, paid_on=date(2026, 5, 12))

    entry = JournalEntry.objects.get(source_type="payables.payment")
    assert entry.date == date(2026, 6, 1)
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.PAID
    assert PaymentRun.objects.count() == 0
    assert sum(line.debit for line in entry.lines.all()) == Decimal("106.25")


def test_a_run_paid_on_a_day_of_a_closed_period_is_posted_in_the_next_open_one(world):
    posted(world, "A1")
    run = release(world.payer2, new_run(world, execution_date=date(2026, 4, 30)))
    april = Period.objects.get(institution=world.institution, start=date(2026, 4, 1))
    ledger.period_set_state(actor=world.bookkeeper, period=april, state="closed")

    run = payment_run_mark_paid(actor=world.payer, run=run)

    assert run.state == PaymentRun.State.PAID
    assert run.journal_entry.date == date(2026, 5, 1)
    assert run.execution_date == date(2026, 4, 30)
