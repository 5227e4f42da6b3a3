"""Reminders and escalation: the current actor is reminded before the due date; an invoice
past its due date escalates to the institution's invoice receivers (it appears in their
inbox, and they are told). Run daily by ``faelles payables remind``; each invoice is reminded
and escalated once, so running twice sends nothing twice.

The mail is written to the outbox (``faelles.core.mail``) in the same transaction as the
reminder and sent after it commits by a background task, one mail per person; a mail that
cannot be sent is retried, then shown as failed on the outgoing-mail page, never as sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.core.mail import Mail, mails_queue
from faelles.core.models import OutgoingMail
from faelles.payables import workflow
from faelles.payables.models import Invoice
from faelles.tenancy.models import Membership, Role, User

#: States in which somebody still has to act before the invoice can be paid on time (from
#: the life cycle's table).
ACTIVE_STATES = workflow.ACTIVE_STATES
DAYS_BEFORE = 3


@dataclass
class ReminderRun:
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    mails: int = 0


def current_actors(invoice: Invoice) -> list[User]:
    """The people who must act next: the assigned person, or every holder of the role."""
    if invoice.assigned_to_id is not None:
        return [invoice.assigned_to] if invoice.assigned_to else []
    if not invoice.next_role:
        return []
    return _holders(invoice, invoice.next_role)


def _holders(invoice: Invoice, role: str) -> list[User]:
    ids = Membership.objects.for_institution(invoice.institution).filter(
        role=role, is_active=True, user__is_active=True
    )
    return list(User.objects.filter(pk__in=ids.values("user")).order_by("pk"))


@transaction.atomic
def invoices_remind(*, on: date | None = None, days_before: int = DAYS_BEFORE) -> ReminderRun:
    """Remind and escalate (system action; every change is an audit event)."""
    today = on or timezone.localdate()
    now = timezone.now()
    run = ReminderRun()
    messages: list[Mail] = []
    due_soon = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("institution", "vendor", "assigned_to")
        .filter(
            state__in=ACTIVE_STATES,
            duplicate_of__isnull=True,
            reminded_at__isnull=True,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=days_before),
        )
        .order_by("pk")
    )
    for invoice in due_soon:
        people = current_actors(invoice)
        invoice.reminded_at = now
        invoice.save(update_fields=["reminded_at"])
        record_event(
            institution=invoice.institution,
            actor=None,
            action="payables.invoice.reminded",
            obj=invoice,
            details={"due_date": invoice.due_date, "to": [u.pk for u in people]},
        )
        run.reminded.append(invoice.pk)
        _mail(
            messages,
            invoice,
            people,
            OutgoingMail.Kind.REMINDER,
            _("Invoice %(n)s from %(v)s is due on %(d)s"),
        )
    overdue = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("institution", "vendor", "assigned_to")
        .filter(
            state__in=ACTIVE_STATES,
            duplicate_of__isnull=True,
            escalated_at__isnull=True,
            due_date__lt=today,
        )
        .order_by("pk")
    )
    for invoice in overdue:
        receivers = _holders(invoice, Role.INVOICE_RECEIVER)
        invoice.escalated_at = now
        invoice.save(update_fields=["escalated_at"])
        record_event(
            institution=invoice.institution,
            actor=None,
            action="payables.invoice.escalated",
            obj=invoice,
            details={"due_date": invoice.due_date, "to": [u.pk for u in receivers]},
        )
        run.escalated.append(invoice.pk)
        _mail(
            messages,
            invoice,
            receivers,
            OutgoingMail.Kind.ESCALATION,
            _("Invoice %(n)s from %(v)s is overdue since %(d)s"),
        )
    mails_queue(actor=None, mails=messages)
    run.mails = len(messages)
    return run


def _mail(
    out: list[Mail],
    invoice: Invoice,
    people: list[User],
    kind: str,
    subject: str,
) -> None:
    text = subject % {
        "n": invoice.number,
        "v": invoice.vendor.name,
        "d": invoice.due_date.isoformat() if invoice.due_date else "",
    }
    body = text + "\n\n" + invoice.get_absolute_url()
    out.extend(
        Mail(invoice.institution, kind, u.email, text, body, obj=invoice) for u in people if u.email
    )
