"""Inbound mail through a real SMTP endpoint (aiosmtpd on a free port) and a real SMTP
client (smtplib): a mail opens a ticket, a reply with the reference threads onto it, unknown
recipients and oversized mail are refused in the dialogue, the raw mail is kept as received."""

from __future__ import annotations

import hashlib
import smtplib
import socket
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from django.utils import timezone

from faelles.servicedesk import mailin, services
from faelles.servicedesk.models import Channel, InboundMail, Status, Ticket
from faelles.servicedesk.tests.factories import make_desk


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def endpoint():
    port = _free_port()
    server = mailin.controller("127.0.0.1", port, max_bytes=200_000)
    server.start()
    yield port
    server.stop()


def _mail(
    sender: str,
    to: str,
    subject: str,
    body: str,
    attachment: bytes | None = None,
    message_id: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or f"<{hashlib.md5(body.encode()).hexdigest()}@example.dk>"
    msg.set_content(body)
    if attachment is not None:
        msg.add_attachment(attachment, maintype="image", subtype="png", filename="skærm.png")
    return msg.as_bytes(policy=SMTP)


def _send(port: int, sender: str, to: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail(sender, [to], raw)


@pytest.mark.django_db(transaction=True)
def test_a_mail_opens_a_ticket_and_a_reply_with_the_reference_threads_onto_it(endpoint):
    desk = make_desk()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    raw = _mail(
        desk.requester.email,
        desk.address.address,
        "Skærmen er sort",
        "Den tænder ikke.\nMvh",
        attachment=png,
    )
    _send(endpoint, desk.requester.email, desk.address.address, raw)

    ticket = Ticket.objects.get()
    assert (ticket.institution, ticket.requester, ticket.channel) == (
        desk.institution,
        desk.requester,
        Channel.EMAIL,
    )
    assert ticket.title == "Skærmen er sort"
    assert ticket.reference == f"SD-{timezone.now().year}-000001"
    stored = InboundMail.objects.get()
    assert stored.outcome == InboundMail.Outcome.CREATED
    assert stored.ticket == ticket
    assert bytes(stored.raw) == raw
    assert stored.sha256 == hashlib.sha256(raw).hexdigest()
    attachment = ticket.attachments.get()
    assert (attachment.filename, bytes(attachment.content)) == ("skærm.png", png)
    first = ticket.messages.get()
    assert first.body.startswith("Den tænder ikke.")

    services.ticket_transition(actor=desk.agent, ticket=ticket, action="wait")
    reply = _mail(
        desk.requester.email,
        desk.address.address,
        f"SV: [{ticket.reference}] Skærmen er sort",
        "Den står på 2. sal.",
    )
    _send(endpoint, desk.requester.email, desk.address.address, reply)
    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status == Status.IN_PROGRESS  # the answer resumed the clock
    assert list(ticket.messages.order_by("pk").values_list("body", flat=True))[-1].startswith(
        "Den står på 2. sal."
    )
    assert InboundMail.objects.order_by("pk").last().outcome == InboundMail.Outcome.UPDATED


@pytest.mark.django_db(transaction=True)
def test_unknown_recipients_and_oversized_mail_are_refused_and_nothing_is_stored(endpoint):
    desk = make_desk()
    raw = _mail("x@example.dk", "nobody@servicedesk.example", "Hej", "Hej")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(endpoint, "x@example.dk", "nobody@servicedesk.example", raw)
    assert refused.value.recipients["nobody@servicedesk.example"][0] == 550
    big = _mail(desk.requester.email, desk.address.address, "Stor", "x", attachment=b"0" * 300_000)
    # A client that declares the size is refused at MAIL FROM (the SIZE extension) …
    with pytest.raises(smtplib.SMTPSenderRefused) as declared:
        _send(endpoint, desk.requester.email, desk.address.address, big)
    assert declared.value.smtp_code == 552
    # … one that does not, at the end of DATA.
    with smtplib.SMTP("127.0.0.1", endpoint, timeout=10) as client:
        client.ehlo()
        assert client.mail(desk.requester.email)[0] == 250
        assert client.rcpt(desk.address.address)[0] == 250
        code, _text = client.data(big)
    assert code == 552
    assert InboundMail.objects.count() == 0
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_a_stranger_quoting_a_reference_gets_a_ticket_of_their_own():
    desk = make_desk()
    ticket = services.ticket_open(
        actor=desk.requester, institution=desk.institution, title="Printer"
    )
    raw = _mail("ukendt@firma.example", desk.address.address, f"[{ticket.reference}] hej", "Spam")
    result = mailin.mail_receive(
        raw=raw, mail_from="ukendt@firma.example", rcpt_to=[desk.address.address.upper()]
    )
    assert result.outcome == InboundMail.Outcome.CREATED
    assert result.ticket != ticket
    assert (result.ticket.requester, result.ticket.contact_email) == (None, "ukendt@firma.example")
    assert ticket.messages.count() == 0


@pytest.mark.django_db
def test_the_same_mail_twice_is_acted_on_once_and_unroutable_mail_is_kept():
    desk = make_desk()
    raw = _mail(
        desk.colleague.email,
        desk.address.address,
        "Adgang",
        "Jeg mangler adgang.",
        message_id="<dup-1@example.dk>",
    )
    first = mailin.mail_receive(
        raw=raw, mail_from=desk.colleague.email, rcpt_to=[desk.address.address]
    )
    again = mailin.mail_receive(
        raw=raw, mail_from=desk.colleague.email, rcpt_to=[desk.address.address]
    )
    assert (first.outcome, again.outcome) == ("created", "duplicate")
    assert again.ticket == first.ticket
    assert first.ticket.requester == desk.colleague
    assert Ticket.objects.count() == 1
    lost = mailin.mail_receive(raw=raw, mail_from="a@b.dk", rcpt_to=["other@elsewhere.example"])
    assert (lost.outcome, lost.mail.institution, lost.ticket) == ("unroutable", None, None)
    assert InboundMail.objects.count() == 3
