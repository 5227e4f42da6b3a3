"""Reminders before the due date go to whoever must act next; overdue invoices escalate to the
invoice receivers once; paid, posted and duplicate invoices are left alone."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from faelles.core.models import AuditEvent
from faelles.payables import reminders, selectors, services
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    for user in (w.receiver, w.requester):
        user.email = f"{user.username}@example.dk"
        user.save()
    services.routing_rule_create(
        actor=w.receiver,
        institution=w.institution,
        requester=w.requester,
        buyer_reference="0150abc",
    )
    return w


def receive(dkk_document, number, due):
    content = dkk_document(number=number).replace(b"2017-12-01", due.encode())
    return services.document_receive(content=content, channel="api").invoice


def test_the_current_actor_is_reminded_before_the_due_date_once(
    world, dkk_document, django_capture_on_commit_callbacks
):
    soon = receive(dkk_document, "R1", "2026-04-03")
    later = receive(dkk_document, "R2", "2026-04-30")

    with django_capture_on_commit_callbacks(execute=True):
        run = reminders.invoices_remind(on=date(2026, 4, 1))

    assert (run.reminded, run.escalated, run.mails) == ([soon.pk], [], 1)
    assert mail.outbox[0].to == [world.requester.email]
    assert "R1" in mail.outbox[0].subject
    assert Invoice.objects.get(pk=later.pk).reminded_at is None
    again = reminders.invoices_remind(on=date(2026, 4, 1))
    assert (again.reminded, again.escalated) == ([], [])


def test_overdue_invoices_escalate_to_the_invoice_receivers(world, dkk_document):
    overdue = receive(dkk_document, "R3", "2026-03-20")
    services.invoice_reject(
        actor=world.requester, invoice=receive(dkk_document, "R4", "2026-03-20"), reason="x"
    )
    assert overdue not in selectors.inbox(world.receiver, world.institution)

    run = reminders.invoices_remind(on=date(2026, 4, 1))

    assert run.escalated == [overdue.pk]
    assert list(selectors.inbox(world.receiver, world.institution)) == [overdue]
    event = AuditEvent.objects.get(action="payables.invoice.escalated")
    assert event.details["to"] == [world.receiver.pk]


def test_the_remind_command_prints_a_summary(world, dkk_document):
    receive(dkk_document, "R5", "2017-12-01")
    out = StringIO()
    call_command("payables", "remind", stdout=out)
    assert json.loads(out.getvalue()) == {"reminded": 0, "escalated": 1, "mails": 1}
