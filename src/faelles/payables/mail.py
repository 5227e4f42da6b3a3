"""Invoice handling's outgoing mail: who sees it and sends a failed one again, and the response
to the supplier sent by mail.

The outbox itself (rows, the send task, retries) is ``faelles.core.mail``; reminders and
escalations are written there by ``payables.reminders``. Here:

- :func:`outgoing_mail` / :func:`access_mail`: the mail of the institutions where the user
  holds a role of ``Area.OUTGOING_MAIL`` (bookkeepers, local administrators, controllers,
  operator staff), through the access gate (404 for missing and foreign alike);
- :func:`mail_send_again`: a failed mail is queued again by a holder of :data:`RESEND_ROLES`
  (controllers only read); a refusal is an audit event;
- :func:`invoice_response_send`: the Peppol Invoice Response / OIOUBL ApplicationResponse of
  a rejected invoice, mailed to the supplier as an attachment after the decision commits.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from faelles import einvoice
from faelles.core.access import access_object, restrict, user_can
from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.core.mail import Mail, mail_requeue, mails_queue
from faelles.core.models import OutgoingMail
from faelles.payables.models import Invoice, InvoiceState
from faelles.tenancy.models import Role, StaffRole, User
from faelles.tenancy.roles import Area, view_roles

MAIL_ROLES = view_roles(Area.OUTGOING_MAIL)
RESEND_ROLES = MAIL_ROLES - {Role.CONTROLLER.value}
#: Who mails the response to the supplier: those who handle the invoice and operator staff.
RESPONSE_ROLES = frozenset(
    {
        Role.INVOICE_RECEIVER.value,
        Role.REQUESTER.value,
        Role.APPROVER.value,
        Role.BOOKKEEPER.value,
        StaffRole.OPERATOR_ADMIN.value,
        StaffRole.CASE_WORKER.value,
    }
)


def outgoing_mail(user: User, state: str = "") -> QuerySet[OutgoingMail]:
    """The mail the user may see, newest first; ``state`` narrows to one state."""
    qs = restrict(OutgoingMail, user=user, roles=MAIL_ROLES).select_related("institution")
    if state in OutgoingMail.State.values:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")


def access_mail(user: User, pk: Any) -> OutgoingMail:
    mail: OutgoingMail = access_object(
        OutgoingMail.objects.select_related("institution"), user=user, pk=pk, roles=MAIL_ROLES
    )
    return mail


def may_send_again(user: User, mail: OutgoingMail) -> bool:
    return mail.state == OutgoingMail.State.FAILED and user_can(
        user, mail.institution, RESEND_ROLES
    )


@refusals_recorded
@transaction.atomic
def mail_send_again(*, actor: User, mail: OutgoingMail) -> OutgoingMail:
    """Queue a failed mail again (see :func:`faelles.core.mail.mail_requeue`); refused
    (``not_permitted``) to those who only read the outbox."""
    if not user_can(actor, mail.institution, RESEND_ROLES):
        raise Refused(
            _("Only bookkeepers, local administrators and operator staff send mail again."),
            code="not_permitted",
            action="core.mail.requeue",
            institution=mail.institution,
            obj=mail,
            field="state",
        )
    return mail_requeue(actor=actor, mail=mail)


def _reason(invoice: Invoice) -> str:
    if invoice.rejection_reason:
        return invoice.rejection_reason
    if invoice.duplicate_of_id:
        return _("Duplicate of invoice %(pk)s.") % {"pk": invoice.duplicate_of_id}
    return _("Rejected.")


def response_document(invoice: Invoice, document: einvoice.Document) -> bytes:
    """The response to the supplier for a rejected invoice (Peppol Invoice Response or OIOUBL
    ApplicationResponse, in the document's own syntax) with the rejection reason."""
    finding = einvoice.Finding(
        rule="REJECTED", flag="fatal", location="/", message=_reason(invoice)
    )
    rejected_on = (invoice.rejected_at or invoice.received_at).date()
    content: bytes = einvoice.respond(
        document, [finding], response_id=f"{invoice.pk}-R", issue_date=rejected_on, accept=False
    )
    return content


def supplier_address(document: einvoice.Document | None) -> str:
    """The seller's contact e-mail (BT-43) as the document gives it, or empty."""
    contact = document.seller.contact if document is not None and document.seller else None
    return (contact.email or "") if contact is not None else ""


def read_document(invoice: Invoice) -> einvoice.Document | None:
    try:
        return einvoice.read(bytes(invoice.document.content))
    except einvoice.ReadError:
        return None


@refusals_recorded
@transaction.atomic
def invoice_response_send(*, actor: User, invoice: Invoice, to: str) -> OutgoingMail:
    """Mail the response to the supplier of a rejected invoice to ``to`` (the seller's
    contact address by default); the mail is sent after commit and is visible on the
    outgoing-mail page with its state. Refused (``not_permitted``) without a role that
    handles invoices; only a rejected invoice has a response (``not_rejected``)."""
    action = "payables.invoice.response_send"
    if not user_can(actor, invoice.institution, RESPONSE_ROLES):
        raise Refused(
            _("You do not have a role that answers suppliers."),
            code="not_permitted",
            action=action,
            institution=invoice.institution,
            obj=invoice,
            field="to",
        )
    locked = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
    if locked.state != InvoiceState.REJECTED:
        raise Refused(
            _("Only a rejected invoice has a response to the supplier."),
            code="not_rejected",
            action=action,
            institution=invoice.institution,
            obj=invoice,
            field="to",
        )
    document = read_document(invoice)
    if document is None:
        raise Refused(
            _("The received document cannot be read, so no response can be made."),
            code="unreadable",
            action=action,
            institution=invoice.institution,
            obj=invoice,
            field="to",
        )
    subject = _("Invoice %(n)s is rejected") % {"n": invoice.number}
    body = _("Your invoice %(n)s is rejected: %(r)s\n\nThe response is attached.") % {
        "n": invoice.number,
        "r": _reason(invoice),
    }
    [row] = mails_queue(
        actor=actor,
        mails=[
            Mail(
                invoice.institution,
                OutgoingMail.Kind.SUPPLIER_RESPONSE,
                to.strip(),
                subject,
                body,
                obj=invoice,
                attachment_name=f"response-{invoice.pk}.xml",
                attachment_type="application/xml",
                attachment=response_document(invoice, document),
            )
        ],
    )
    record_event(
        institution=invoice.institution,
        actor=actor,
        action="payables.invoice.response_queued",
        obj=invoice,
        details={"mail": row.pk, "to": row.to},
    )
    return row
