"""One invoice: its page (a readable rendering of the document, findings, coding, history, the
actions the user may take), the original XML, the response to the supplier, and each step of the
flow (POST).

The invoice is found through the access gate (404 for missing and foreign alike); the services
enforce segregation of duties, the page only hides buttons that would be refused anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from faelles import einvoice
from faelles.payables import selectors, services, vendors, workflow
from faelles.payables.labels import state_in_sentence
from faelles.payables.lifecycle.approval import approval_problems
from faelles.payables.lifecycle.common import LEDGER_CURRENCY
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.views_common import _errors, _Page, _user
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Role, User


def _invoice_for(request: HttpRequest, pk: Any) -> Invoice:
    """The invoice through the gate: 404 for missing, foreign, and where the user holds no
    payables role."""
    return selectors.access_invoice(_user(request), pk)


def _invoice_page_object(request: HttpRequest, pk: Any) -> Invoice:
    """The invoice through the gate with its document, in one query (the page renders the
    document's content and findings)."""
    invoice: Invoice = selectors.access_payables_object(
        selectors.invoices_all().select_related("document"), _user(request), pk
    )
    return invoice


def _may_attest(user: User, invoice: Invoice) -> bool:
    """The table's roles let ``user`` attest; the requester (or their substitute) attests a
    routed invoice."""
    if invoice.requester_id is None or user.pk == invoice.requester_id:
        return True
    return (
        tenancy.active_delegations_for(user, invoice.institution)
        .filter(principal_id=invoice.requester_id)
        .exists()
    )


def _actions(user: User, invoice: Invoice) -> dict[str, bool]:
    """The buttons: the life cycle's actions the user's roles allow now
    (``workflow.allowed_actions``), narrowed by the rules the page can check cheaply; the
    services decide."""
    roles = tenancy.roles_for(user, invoice.institution)
    allowed = workflow.allowed_actions(invoice, user, roles)
    A = workflow.Action
    return {
        "code": A.CODE in allowed,
        "attest": A.ATTEST in allowed
        and (invoice.requester_id is not None or Role.INVOICE_RECEIVER in roles)
        and _may_attest(user, invoice),
        # Only an attested invoice can be approved: the approver's limit and the bank-account
        # changes are read only then.
        "approve": invoice.state == InvoiceState.ATTESTED and not approval_problems(user, invoice),
        "post": A.POST in allowed,
        "schedule": A.SCHEDULE in allowed,
        "paid": A.PAY in allowed,
        "forward": A.FORWARD in allowed
        and (Role.INVOICE_RECEIVER in roles or invoice.requester_id == user.pk),
        "rate": invoice.currency != LEDGER_CURRENCY and A.SET_RATE in allowed,
        "confirm_payment": invoice.payment_blocked and bool(roles & vendors.CONFIRM_ROLES),
        "reject": A.REJECT in allowed,
    }


class InvoiceDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = _invoice_page_object(request, pk)
        document: einvoice.Document | None
        try:
            document = einvoice.read(bytes(invoice.document.content))
        except einvoice.ReadError:
            document = None
        lines = list(invoice.lines.prefetch_related("allocations").order_by("line_no"))
        context = {
            "object": invoice,
            "doc": document,
            "lines": lines,
            "findings": invoice.document.findings,
            "history": selectors.history(invoice),
            "can": _actions(_user(request), invoice),
            # Shown only beside a blocked payment.
            "vendor_details": (
                vendors.current_details(invoice.vendor) if invoice.payment_blocked else None
            ),
            "requesters": tenancy.users_in(invoice.institution).filter(
                memberships__institution=invoice.institution,
                memberships__role=Role.REQUESTER,
                memberships__is_active=True,
            ),
        }
        return render(request, "payables/invoice_detail.html", context)


class InvoiceXMLView(_Page):
    """The original document, byte for byte as received."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = _invoice_for(request, pk)
        response = HttpResponse(bytes(invoice.document.content), content_type="application/xml")
        name = invoice.document.filename or f"invoice-{invoice.pk}.xml"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class InvoiceResponseView(_Page):
    """The response to the supplier for a rejected invoice (Peppol Invoice Response or OIOUBL
    ApplicationResponse, in the document's own syntax) with the rejection reason."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = _invoice_for(request, pk)
        if invoice.state != InvoiceState.REJECTED:
            raise Http404
        try:
            document = einvoice.read(bytes(invoice.document.content))
        except einvoice.ReadError:
            raise Http404 from None
        reason = invoice.rejection_reason or (
            _("Duplicate of invoice %(pk)s.") % {"pk": invoice.duplicate_of_id}
            if invoice.duplicate_of_id
            else _("Rejected.")
        )
        finding = einvoice.Finding(rule="REJECTED", flag="fatal", location="/", message=reason)
        rejected_on = (invoice.rejected_at or invoice.received_at).date()
        content = einvoice.respond(
            document,
            [finding],
            response_id=f"{invoice.pk}-R",
            issue_date=rejected_on,
            accept=False,
        )
        response = HttpResponse(content, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="response-{invoice.pk}.xml"'
        return response


_ACTIONS: dict[str, Callable[..., Invoice]] = {
    "attest": services.invoice_attest,
    "approve": services.invoice_approve,
    "post": services.invoice_post,
    "schedule": services.invoice_schedule,
    "paid": services.invoice_mark_paid,
    "confirm-payment": services.invoice_confirm_payment_details,
}


class InvoiceActionView(_Page):
    """One step of the flow (POST); the service decides whether the user may take it."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        invoice = _invoice_for(request, pk)
        user = _user(request)
        try:
            if action == "reject":
                services.invoice_reject(
                    actor=user, invoice=invoice, reason=request.POST.get("reason", "")
                )
            elif action == "rate":
                try:
                    rate = Decimal(request.POST.get("rate", "").replace(",", "."))
                except InvalidOperation:
                    raise ValidationError(
                        {"exchange_rate": [_("Give the rate as a number.")]}
                    ) from None
                services.invoice_set_exchange_rate(actor=user, invoice=invoice, rate=rate)
            elif action == "forward":
                to = (
                    tenancy.users_in(invoice.institution)
                    .filter(
                        pk=int(request.POST.get("requester") or 0)
                        if str(request.POST.get("requester", "")).isdigit()
                        else 0
                    )
                    .first()
                )
                if to is None:
                    raise ValidationError({"requester": [_("Choose a requester.")]})
                services.invoice_forward(
                    actor=user, invoice=invoice, requester=to, note=request.POST.get("note", "")
                )
            elif action in _ACTIONS:
                _ACTIONS[action](actor=user, invoice=invoice)
            else:
                raise Http404
        except ValidationError as exc:
            _errors(request, exc)
        else:
            invoice.refresh_from_db()
            if invoice.posting_error:
                messages.warning(request, invoice.posting_error)
            else:
                messages.success(
                    request,
                    _("Done: the invoice is %(s)s.") % {"s": state_in_sentence(invoice.state)},
                )
        return HttpResponseRedirect(reverse("payables:invoice-detail", args=[invoice.pk]))
