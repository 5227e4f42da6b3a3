"""Inbound mail: a mail to one of the service desk's addresses opens a ticket in the
institution that receives at that address, or adds to the ticket whose reference
(``[SD-2026-000123]``) its subject carries.

The raw bytes are stored first (:class:`InboundMail`, with their SHA-256) in a transaction of
their own, so a mail is never lost, also when reading it fails; then it is read and acted
on. A mail whose Message-ID the institution has already received is not acted on twice.

Who wrote: the sender's address is matched to a person of the institution (a user whose
e-mail it is and who may use the portal there); otherwise the ticket keeps the address as
its contact. A reply is threaded onto the referenced ticket only when it comes from that
ticket's requester or contact address, or from someone of the institution or its service
desk; anyone else's mail with a reference opens a new ticket (nobody writes on another
person's ticket by guessing its number). A reply to a closed ticket opens a new one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from faelles.servicedesk import selectors as sel
from faelles.servicedesk import services
from faelles.servicedesk.models import (
    Channel,
    InboundAddress,
    InboundMail,
    Kind,
    Status,
    Ticket,
)
from faelles.tenancy.models import Institution, User

#: The largest mail the endpoint takes (bytes, as received); larger ones are refused in the
#: SMTP dialogue (552) and never stored.
MAX_MAIL_BYTES = 25 * 1024 * 1024
REFERENCE = re.compile(r"\[(SD-\d{4}-\d{6})\]")


@dataclass(frozen=True)
class Outcome:
    mail: InboundMail
    ticket: Ticket | None
    outcome: str


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        text = str(body.get_content())
    except (LookupError, ValueError):
        payload = body.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if body.get_content_type() == "text/html":
        parser = _Text()
        parser.feed(text)
        text = "".join(parser.parts)
    return text.strip()


def _attachments(message: EmailMessage) -> list[services.AttachmentSpec]:
    out = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        out.append(
            services.AttachmentSpec(
                part.get_filename() or "bilag",
                part.get_content_type(),
                content,
            )
        )
    return out


def address_for(rcpt_to: list[str]) -> InboundAddress | None:
    """The first active inbound address among the recipients."""
    wanted = [a.strip().lower() for a in rcpt_to]
    found = {
        a.address: a
        for a in InboundAddress.objects.filter(address__in=wanted, is_active=True).select_related(
            "institution", "category"
        )
    }
    return next((found[a] for a in wanted if a in found), None)


def _sender(institution: Institution, email: str) -> User | None:
    if not email:
        return None
    for user in User.objects.filter(email__iexact=email, is_active=True).order_by("pk"):
        if sel.may_use_portal(user, institution):
            return user
    return None


def _store(raw: bytes, mail_from: str, rcpt_to: list[str]) -> InboundMail:
    headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    address = address_for(rcpt_to)
    with transaction.atomic():
        return InboundMail.objects.create(
            institution=address.institution if address else None,
            mail_from=mail_from[:320],
            rcpt_to=list(rcpt_to),
            message_id=str(headers.get("Message-ID", "") or "")[:500],
            subject=str(headers.get("Subject", "") or "")[:500],
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
            raw=raw,
            outcome=InboundMail.Outcome.RECEIVED,
        )


def _finish(
    mail: InboundMail, outcome: str, ticket: Ticket | None = None, reason: str = ""
) -> None:
    InboundMail.objects.filter(pk=mail.pk).update(
        outcome=outcome, ticket=ticket, reason=reason[:300]
    )
    mail.outcome, mail.ticket, mail.reason = outcome, ticket, reason[:300]


def mail_receive(*, raw: bytes, mail_from: str, rcpt_to: list[str]) -> Outcome:
    """Store one received mail, then open or update a ticket from it (see the module)."""
    if len(raw) > MAX_MAIL_BYTES:
        raise ValidationError("the mail is larger than the endpoint takes", code="too_large")
    mail = _store(raw, mail_from, rcpt_to)
    address = address_for(rcpt_to)
    if address is None:
        _finish(mail, InboundMail.Outcome.UNROUTABLE, reason="no inbound address")
        return Outcome(mail, None, mail.outcome)
    institution = address.institution
    if mail.message_id:
        earlier = (
            InboundMail.objects.filter(institution=institution, message_id=mail.message_id)
            .exclude(pk=mail.pk)
            .exclude(outcome__in=[InboundMail.Outcome.RECEIVED, InboundMail.Outcome.REFUSED])
            .first()
        )
        if earlier is not None:
            _finish(mail, InboundMail.Outcome.DUPLICATE, earlier.ticket, "seen before")
            return Outcome(mail, earlier.ticket, mail.outcome)
    try:
        ticket, outcome = _act(mail, raw, address, mail_from)
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(getattr(exc, "messages", [str(exc)]))
        _finish(mail, InboundMail.Outcome.REFUSED, reason=reason)
        return Outcome(mail, None, mail.outcome)
    _finish(mail, outcome, ticket)
    return Outcome(mail, ticket, outcome)


def _may_thread(ticket: Ticket, email: str, user: User | None) -> bool:
    if ticket.status == Status.CLOSED:
        return False
    if user is not None and (
        user.pk == ticket.requester_id
        or sel.is_contact(user, ticket.institution)
        or sel.is_agent(user, ticket.institution)
    ):
        return True
    known = {ticket.contact_email.lower()}
    if ticket.requester is not None and ticket.requester.email:
        known.add(ticket.requester.email.lower())
    return bool(email) and email.lower() in known


def _act(
    mail: InboundMail, raw: bytes, address: InboundAddress, mail_from: str
) -> tuple[Ticket, str]:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    froms = getaddresses([str(message.get("From", ""))])
    email = (froms[0][1] if froms and froms[0][1] else parseaddr(mail_from)[1]).strip()
    institution = address.institution
    user = _sender(institution, email)
    subject = str(message.get("Subject", "") or "").strip()
    body = _plain(message) or subject
    attachments = _attachments(message)
    match = REFERENCE.search(subject)
    if match:
        ticket = Ticket.objects.filter(institution=institution, reference=match.group(1)).first()
        if ticket is not None and _may_thread(ticket, email, user):
            actor = (
                user
                if user is not None
                and (
                    user.pk == ticket.requester_id
                    or sel.is_agent(user, institution)
                    or sel.is_contact(user, institution)
                )
                else None
            )
            services.ticket_message(
                actor=actor,
                ticket=ticket,
                body=body,
                channel=Channel.EMAIL,
                from_email=email,
                inbound=mail,
                attachments=attachments,
            )
            return ticket, InboundMail.Outcome.UPDATED
    category = address.category
    first_line = body.splitlines()[0][:200] if body else ""
    title = REFERENCE.sub("", subject).strip() or first_line or "E-mail"
    ticket = services.ticket_open(
        actor=None,
        institution=institution,
        title=title,
        description=body,
        kind=category.kind if category else Kind.REQUEST,
        domain=address.domain,
        category=category,
        channel=Channel.EMAIL,
        requester=user,
        contact_email="" if user is not None else email,
        attachments=attachments,
        inbound=mail,
    )
    return ticket, InboundMail.Outcome.CREATED


# --- the SMTP endpoint --------------------------------------------------------------------------


def _in_django(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` in the endpoint's worker thread as a request would: the database
    connection is closed afterwards when it is past its age (``CONN_MAX_AGE``)."""
    from django.db import close_old_connections

    close_old_connections()
    try:
        return fn(*args, **kwargs)
    finally:
        close_old_connections()


class Handler:
    """aiosmtpd handler: recipients must be inbound addresses (550 otherwise); the mail is
    received through :func:`mail_receive` in Django's synchronous world."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        from asgiref.sync import sync_to_async

        known = await sync_to_async(_in_django)(address_for, [address])
        if known is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from asgiref.sync import sync_to_async

        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            result = await sync_to_async(_in_django)(
                mail_receive,
                raw=raw,
                mail_from=envelope.mail_from or "",
                rcpt_to=list(envelope.rcpt_tos),
            )
        except ValidationError:
            return "552 5.3.4 Message too big"
        ticket = result.ticket.reference if result.ticket else "-"
        return f"250 2.0.0 Accepted {ticket}"


def controller(host: str, port: int, max_bytes: int = MAX_MAIL_BYTES) -> Any:
    """An aiosmtpd controller for the endpoint (``start()`` / ``stop()``); mails over
    ``max_bytes`` are refused in the dialogue (552) and never stored."""
    from aiosmtpd.controller import Controller

    return Controller(Handler(), hostname=host, port=port, data_size_limit=max_bytes)
