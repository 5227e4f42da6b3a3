"""Invoice handling's mail goes through the outbox: reminders and escalations are written with
the reminder and sent after commit; a mail server that is down leaves them failed and visible
(never sent), a bookkeeper sends them again; the response to the supplier is mailed with the
response document attached. Every page is behind the gate."""

from datetime import date

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from lxml import etree

from faelles.core.models import AuditEvent, OutgoingMail
from faelles.payables import mail, reminders, services
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

DOWN = "faelles.core.tests.test_mail.DownBackend"


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


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


def receive(dkk_document, number, due, receiver="5798009811578"):
    content = dkk_document(number=number, receiver=receiver).replace(b"2017-12-01", due.encode())
    return services.document_receive(content=content, channel="api").invoice


def test_reminders_and_escalations_are_outbox_rows_sent_after_commit(
    world, dkk_document, django_capture_on_commit_callbacks
):
    soon = receive(dkk_document, "M1", "2026-04-03")
    late = receive(dkk_document, "M2", "2026-03-20")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = reminders.invoices_remind(on=date(2026, 4, 1))
    rows = list(OutgoingMail.objects.order_by("pk"))
    assert [(r.kind, r.to, r.object_id, r.state) for r in rows] == [
        ("reminder", world.requester.email, str(soon.pk), "queued"),
        ("escalation", world.receiver.email, str(late.pk), "queued"),
    ]
    assert (run.mails, len(django_mail.outbox), len(callbacks)) == (2, 0, 1)

    callbacks[0]()

    assert list(OutgoingMail.objects.order_by("pk").values_list("state", "attempts")) == [
        ("sent", 1),
        ("sent", 1),
    ]
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(
        [world.requester.email, world.receiver.email]
    )


@override_settings(EMAIL_BACKEND=DOWN)
def test_a_reminder_the_mail_server_refuses_is_failed_and_visible_never_sent(
    world, dkk_document, client, django_capture_on_commit_callbacks
):
    invoice = receive(dkk_document, "M3", "2026-04-03")

    with django_capture_on_commit_callbacks(execute=True):
        reminders.invoices_remind(on=date(2026, 4, 1))

    row = OutgoingMail.objects.get()
    assert (row.state, row.attempts, row.sent_at) == ("failed", 5, None)
    assert Invoice.objects.get(pk=invoice.pk).reminded_at is not None
    assert AuditEvent.objects.filter(action="core.mail.failed", object_id=str(row.pk)).count() == 1
    client.force_login(world.bookkeeper)
    page = client.get(reverse("payables:mail") + "?state=failed")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="mail-{row.pk}"' in html
    assert "SMTPServerDisconnected" in html
    assert reverse("payables:mail-send-again", args=[row.pk]) in html


def _failed_reminder(world, dkk_document, capture):
    receive(dkk_document, "M4", "2026-04-03")
    with override_settings(EMAIL_BACKEND=DOWN), capture(execute=True):
        reminders.invoices_remind(on=date(2026, 4, 1))
    return OutgoingMail.objects.get()


def test_a_bookkeeper_sends_a_failed_mail_again(
    world, dkk_document, client, django_capture_on_commit_callbacks
):
    row = _failed_reminder(world, dkk_document, django_capture_on_commit_callbacks)
    client.force_login(world.bookkeeper)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payables:mail-send-again", args=[row.pk]))

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.attempts, len(django_mail.outbox)) == ("sent", 1, 1)
    event = AuditEvent.objects.get(action="core.mail.requeued")
    assert (event.actor_id, event.object_id) == (world.bookkeeper.pk, str(row.pk))


def test_a_controller_sees_the_outbox_but_may_not_send_again(
    world, dkk_document, client, django_capture_on_commit_callbacks
):
    row = _failed_reminder(world, dkk_document, django_capture_on_commit_callbacks)
    client.force_login(world.controller)
    page = client.get(reverse("payables:mail"))
    assert page.status_code == 200
    assert f'id="mail-{row.pk}"' in page.content.decode()
    assert reverse("payables:mail-send-again", args=[row.pk]) not in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("payables:mail-send-again", args=[row.pk]))

    assert response.status_code == 302
    assert callbacks == []
    row.refresh_from_db()
    assert (row.state, row.attempts, len(django_mail.outbox)) == ("failed", 5, 0)
    refused = AuditEvent.objects.get(action="core.mail.requeue.refused")
    assert (refused.actor_id, refused.details["code"]) == (world.controller.pk, "not_permitted")


def test_the_outbox_is_closed_to_other_roles_and_institutions(
    world, dkk_document, client, django_capture_on_commit_callbacks
):
    row = _failed_reminder(world, dkk_document, django_capture_on_commit_callbacks)
    other = make_world(gln="5790000000005")

    client.force_login(world.requester)
    assert client.get(reverse("payables:mail")).status_code == 403
    assert client.post(reverse("payables:mail-send-again", args=[row.pk])).status_code == 404
    client.force_login(other.bookkeeper)
    page = client.get(reverse("payables:mail"))
    assert page.status_code == 200
    assert f'id="mail-{row.pk}"' not in page.content.decode()
    assert client.post(reverse("payables:mail-send-again", args=[row.pk])).status_code == 404
    assert OutgoingMail.objects.get(pk=row.pk).state == "failed"
    assert not AuditEvent.objects.filter(action__startswith="core.mail.requeue").exists()


def test_the_response_to_the_supplier_is_mailed_with_the_response_attached(
    world, dkk_document, client, django_capture_on_commit_callbacks
):
    invoice = receive(dkk_document, "M5", "2026-04-30")
    services.invoice_reject(actor=world.requester, invoice=invoice, reason="Not ordered")
    client.force_login(world.receiver)
    assert (
        'id="response-send"'
        in client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("payables:invoice-response-send", args=[invoice.pk]),
            {"to": "invoices@supplier.example"},
        )

    assert response.status_code == 302
    row = OutgoingMail.objects.get()
    assert (row.kind, row.to, row.state, row.object_id) == (
        "supplier_response",
        "invoices@supplier.example",
        "sent",
        str(invoice.pk),
    )
    [sent] = django_mail.outbox
    assert sent.to == ["invoices@supplier.example"]
    [(name, content, kind)] = sent.attachments
    assert (name, kind) == (f"response-{invoice.pk}.xml", "application/xml")
    root = etree.fromstring(content.encode() if isinstance(content, str) else content)
    assert etree.QName(root).localname == "ApplicationResponse"
    assert b"Not ordered" in etree.tostring(root)
    event = AuditEvent.objects.get(action="payables.invoice.response_queued")
    assert event.details == {"mail": row.pk, "to": "invoices@supplier.example"}


def test_no_response_is_mailed_for_an_invoice_that_is_not_rejected_or_to_a_bad_address(
    world, dkk_document, django_capture_on_commit_callbacks
):
    invoice = receive(dkk_document, "M6", "2026-04-30")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as raised:
        mail.invoice_response_send(actor=world.receiver, invoice=invoice, to="a@b.dk")
    assert raised.value.error_dict["to"][0].code == "not_rejected"

    services.invoice_reject(actor=world.requester, invoice=invoice, reason="x")
    with pytest.raises(ValidationError) as bad:
        mail.invoice_response_send(actor=world.receiver, invoice=invoice, to="not an address")
    assert list(bad.value.message_dict) == ["to"]
    with pytest.raises(ValidationError) as refused:
        mail.invoice_response_send(actor=world.controller, invoice=invoice, to="a@b.dk")
    assert refused.value.error_dict["to"][0].code == "not_permitted"
    assert OutgoingMail.objects.count() == 0
    assert len(django_mail.outbox) == 0
    assert sorted(
        AuditEvent.objects.filter(action="payables.invoice.response_send.refused").values_list(
            "details__code", flat=True
        )
    ) == ["not_permitted", "not_rejected"]
