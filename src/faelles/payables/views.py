"""Invoice-handling pages: the inbox (htmx filters, bulk approve), the invoice page (a
readable rendering of the document, findings, coding, history, actions, original XML), the
coding editor, and the operator's queues (unroutable and rejected documents).

Views are thin: they find the object through the access gate (404 for missing and foreign
alike), check the role, call one service and render. The services enforce segregation of
duties; the pages only hide buttons that would be refused anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from faelles import einvoice
from faelles.core.audit import Refused
from faelles.payables import (
    approval,
    coding,
    payments,
    routing,
    selectors,
    services,
    vendors,
    workflow,
)
from faelles.payables import exports as columns
from faelles.payables.filtersets import SCOPE_MINE, SCOPES, InvoiceFilterSet
from faelles.payables.forms import CodingRuleForm, PaymentRunForm, RoutingRuleForm, UploadForm
from faelles.payables.labels import state_in_sentence
from faelles.payables.models import (
    CodingRule,
    Invoice,
    InvoiceState,
    PaymentRun,
    ReceivedDocument,
    RoutingRule,
)
from faelles.payables.tables import InvoiceTable
from faelles.payables.unroutable import unroutable_rows
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Institution, Role, User
from faelles.web import exports
from faelles.web.generic import ServiceFormView

MAX_LIST = 200


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class _Page(LoginRequiredMixin, View):
    request: HttpRequest


# --- inbox ----------------------------------------------------------------------------------


def _filtered(request: HttpRequest, institution: Institution) -> InvoiceFilterSet:
    """The inbox's filters on the institution's invoices through the gate (the same
    ``InvoiceFilterSet`` as the invoice API); the page's default scope is ``mine``."""
    data = request.GET.copy()
    if data.get("scope") not in dict(SCOPES):
        data["scope"] = SCOPE_MINE
    queryset = selectors.invoices(institution).order_by("due_date", "received_at", "pk")
    return InvoiceFilterSet(data, queryset=queryset, request=request, institution=institution)


class InboxView(_Page):
    """The invoices where the user must act next (or all of the institution's)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        institution: Institution | None = getattr(request, "institution", None)
        if institution is not None and not selectors.may_view(user, institution):
            raise PermissionDenied
        fmt = exports.requested_format(request)
        if fmt is not None and institution is not None:
            headers, rows = exports.table_rows(
                InvoiceTable(_filtered(request, institution).qs, exclude=("select",))
            )
            return exports.export_response(
                fmt,
                f"fakturaer-{institution.short_name}",
                headers,
                rows,
                title=str(_("Invoices")),
            )
        can_bulk_approve = (
            institution is not None and tenancy.approval_limit_for(user, institution) is not None
        )
        filterset = _filtered(request, institution) if institution else None
        invoices = list(filterset.qs[:MAX_LIST]) if filterset is not None else []
        context = {
            "title": _("Invoices"),
            "invoices": invoices,
            "table": InvoiceTable.for_page(invoices, selectable=can_bulk_approve),
            "states": InvoiceState.choices,
            "scopes": SCOPES,
            "scope": filterset.data.get("scope") if filterset is not None else SCOPE_MINE,
            "state": request.GET.get("state", ""),
            "q": request.GET.get("q", ""),
            "can_bulk_approve": can_bulk_approve,
            "needs_institution": institution is None,
            "export_links": exports.export_links(request) if institution else [],
        }
        template = "payables/_inbox_results.html" if _is_htmx(request) else "payables/inbox.html"
        return render(request, template, context)


class BulkApproveView(_Page):
    """Approve several attested invoices at once (one batch per institution); each is checked
    exactly as one at a time, and the refused ones are reported with their reasons."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        given = request.POST.getlist("ids")[:MAX_LIST]
        found = selectors.access_invoices(user, given)
        by_institution: dict[int, list[Invoice]] = defaultdict(list)
        for pk in given:
            invoice = found.get(pk)
            if invoice is None:
                messages.error(request, _("Invoice %(pk)s was not found.") % {"pk": pk})
            else:
                by_institution[invoice.institution_id].append(invoice)
        approved = 0
        for invoices in by_institution.values():
            refused = services.invoices_approve_batch(actor=user, invoices=invoices)
            approved += len(invoices) - len(refused)
            for refused_pk, reason in sorted(refused.items()):
                messages.error(
                    request,
                    _("Invoice %(pk)s: %(reason)s") % {"pk": refused_pk, "reason": reason},
                )
        if approved:
            messages.success(request, _("%(n)s invoice(s) approved.") % {"n": approved})
        return HttpResponseRedirect(reverse("payables:inbox"))


# --- one invoice ----------------------------------------------------------------------------


def _invoice_for(request: HttpRequest, pk: Any) -> Invoice:
    """The invoice through the gate: 404 for missing, foreign, and where the user holds no
    payables role."""
    return selectors.access_invoice(_user(request), pk)


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
        "approve": not approval.approval_problems(user, invoice),
        "post": A.POST in allowed,
        "schedule": A.SCHEDULE in allowed,
        "paid": A.PAY in allowed,
        "forward": A.FORWARD in allowed
        and (Role.INVOICE_RECEIVER in roles or invoice.requester_id == user.pk),
        "rate": invoice.currency != approval.LEDGER_CURRENCY and A.SET_RATE in allowed,
        "confirm_payment": invoice.payment_blocked and bool(roles & vendors.CONFIRM_ROLES),
        "reject": A.REJECT in allowed,
    }


class InvoiceDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = _invoice_for(request, pk)
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
            "vendor_details": vendors.current_details(invoice.vendor),
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


# --- coding editor ----------------------------------------------------------------------------


# --- operator queues ------------------------------------------------------------------------


def _require_staff(request: HttpRequest) -> User:
    user = _user(request)
    if not selectors.is_operator_staff(user):
        raise PermissionDenied
    return user


class UnroutableView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _require_staff(request)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                "uplacerede-dokumenter",
                columns.DOCUMENT_COLUMNS,
                selectors.unroutable_documents(user),
                title=_("Unroutable documents"),
            )
        context = {
            "export_links": exports.export_links(request),
            "title": _("Unroutable documents"),
            "rows": unroutable_rows(selectors.unroutable_documents(user)[:MAX_LIST]),
            "institutions": selectors.served_institutions(user),
        }
        return render(request, "payables/unroutable.html", context)


class DocumentAssignView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        # Found through the gate first: the same 404 for missing and foreign, for anyone.
        document = selectors.access_unroutable(_user(request), pk)
        user = _require_staff(request)
        chosen = request.POST.get("institution", "")
        institution = (
            selectors.served_institutions(user).filter(pk=int(chosen)).first()
            if chosen.isdigit()
            else None
        )
        try:
            if institution is None:
                raise ValidationError({"institution": [_("Choose an institution you serve.")]})
            intake = services.document_assign(
                actor=user, document=document, institution=institution
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("The document was assigned to %(inst)s: %(status)s.")
                % {"inst": institution, "status": intake.document.get_status_display()},
            )
        return HttpResponseRedirect(reverse("payables:unroutable"))


class DocumentRejectView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        # Found through the gate first: the same 404 for missing and foreign, for anyone.
        document = selectors.access_unroutable(_user(request), pk)
        user = _require_staff(request)
        try:
            services.document_reject(
                actor=user, document=document, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The document has been rejected."))
        return HttpResponseRedirect(reverse("payables:unroutable"))


class RejectedView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _require_staff(request)
        documents: QuerySet[ReceivedDocument] = selectors.rejected_documents(user)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                "afviste-dokumenter",
                columns.DOCUMENT_COLUMNS,
                documents,
                title=_("Rejected documents"),
            )
        context = {
            "title": _("Rejected documents"),
            "documents": documents[:MAX_LIST],
            "export_links": exports.export_links(request),
        }
        return render(request, "payables/rejected.html", context)


class OverdueView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _require_staff(request)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                "forfaldne-fakturaer",
                columns.OVERDUE_COLUMNS,
                selectors.overdue_invoices(user).select_related(
                    "institution", "vendor", "assigned_to"
                ),
                title=_("Overdue invoices"),
            )
        context = {
            "title": _("Overdue invoices"),
            "invoices": selectors.overdue_invoices(user)[:MAX_LIST],
            "export_links": exports.export_links(request),
        }
        return render(request, "payables/overdue.html", context)


# --- rules ----------------------------------------------------------------------------------


class _RulePage:
    request: HttpRequest
    rule_roles: frozenset[str] = frozenset()

    def rule_institution(self) -> Institution:
        institution: Institution | None = getattr(self.request, "institution", None)
        user = _user(self.request)
        if institution is None or not selectors.may_view(user, institution):
            raise PermissionDenied
        return institution

    def may_manage(self, institution: Institution) -> bool:
        return bool(tenancy.roles_for(_user(self.request), institution) & self.rule_roles)


class RuleListView(_RulePage, _Page):
    """The institution's routing and coding rules."""

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self.rule_institution()
        roles = tenancy.roles_for(_user(request), institution)
        context = {
            "title": _("Routing and coding rules"),
            "routing_rules": selectors.routing_rules(institution),
            "coding_rules": selectors.coding_rules(institution),
            "may_route": bool(roles & routing.RULE_ROLES),
            "may_code": bool(roles & coding.RULE_ROLES),
        }
        return render(request, "payables/rules.html", context)


class _RuleCreate(_RulePage, ServiceFormView):
    def allowed(self) -> bool:
        return self.may_manage(self.rule_institution())

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.rule_institution()}

    def success_url_for(self, obj: Any) -> str:
        return reverse("payables:rules")


class RoutingRuleCreate(_RuleCreate):
    form_class = RoutingRuleForm
    title = _("New routing rule")
    success_message = _("The routing rule has been added.")
    rule_roles = routing.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return services.routing_rule_create(
            actor=_user(self.request), institution=self.rule_institution(), **form.cleaned_data
        )


class CodingRuleCreate(_RuleCreate):
    form_class = CodingRuleForm
    title = _("New coding rule")
    success_message = _("The coding rule has been added.")
    rule_roles = coding.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return services.coding_rule_create(
            actor=_user(self.request), institution=self.rule_institution(), **form.cleaned_data
        )


def _rule_for(request: HttpRequest, model: type[Any], pk: Any) -> Any:
    """A rule of the institution the user works in, through the access gate: another
    institution's rule answers 404 exactly like a missing one."""
    user = _user(request)
    institution: Institution | None = getattr(request, "institution", None)
    return selectors.access_payables_object(
        model.objects.select_related("institution", "vendor"), user, pk, institution=institution
    )


class _RuleUpdate(_RulePage, ServiceFormView):
    model: type[Any]
    fields: tuple[str, ...] = ()

    def get_object(self) -> Any:
        return _rule_for(self.request, self.model, self.kwargs["pk"])

    def allowed(self) -> bool:
        return self.may_manage(self.object.institution)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.object.institution}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.object, name) for name in self.fields}

    def success_url_for(self, obj: Any) -> str:
        return reverse("payables:rules")


class RoutingRuleUpdate(_RuleUpdate):
    form_class = RoutingRuleForm
    model = RoutingRule
    fields = ("priority", "buyer_reference", "order_reference", "vendor", "endpoint", "requester")
    title = _("Edit routing rule")
    success_message = _("The routing rule has been changed.")
    rule_roles = routing.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return routing.routing_rule_update(
            actor=_user(self.request), rule=self.object, **form.cleaned_data
        )


class CodingRuleUpdate(_RuleUpdate):
    form_class = CodingRuleForm
    model = CodingRule
    fields = (
        "priority",
        "vendor",
        "classification",
        "text_contains",
        "account",
        "org_unit",
        "purpose",
        "vat_code",
    )
    title = _("Edit coding rule")
    success_message = _("The coding rule has been changed.")
    rule_roles = coding.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return coding.coding_rule_update(
            actor=_user(self.request), rule=self.object, **form.cleaned_data
        )


_RULE_ACTIONS: dict[tuple[str, str], tuple[type[Any], frozenset[str], Callable[..., Any]]] = {
    ("routing", "deactivate"): (
        RoutingRule,
        routing.RULE_ROLES,
        routing.routing_rule_deactivate,
    ),
    ("routing", "reactivate"): (
        RoutingRule,
        routing.RULE_ROLES,
        routing.routing_rule_reactivate,
    ),
    ("coding", "deactivate"): (CodingRule, coding.RULE_ROLES, coding.coding_rule_deactivate),
    ("coding", "reactivate"): (CodingRule, coding.RULE_ROLES, coding.coding_rule_reactivate),
}


class RuleActiveView(_Page):
    """Deactivate or reactivate a routing or coding rule (POST); rules are never deleted."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
        if (kind, action) not in _RULE_ACTIONS:
            raise Http404
        model, roles, service = _RULE_ACTIONS[(kind, action)]
        rule = _rule_for(request, model, pk)
        if not tenancy.roles_for(_user(request), rule.institution) & roles:
            raise PermissionDenied
        try:
            service(actor=_user(request), rule=rule)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("The rule has been deactivated.")
                if action == "deactivate"
                else _("The rule has been reactivated."),
            )
        return HttpResponseRedirect(reverse("payables:rules"))


# --- payment runs ---------------------------------------------------------------------------


def _run_for(request: HttpRequest, pk: Any) -> PaymentRun:
    return selectors.access_payment_run(_user(request), pk)


class PaymentRunListView(_RulePage, _Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self.rule_institution()
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                f"betalingskoersler-{institution.short_name}",
                columns.RUN_COLUMNS,
                PaymentRun.objects.for_institution(institution)
                .select_related("created_by", "released_by")
                .order_by("-pk"),
                title=_("Payment runs"),
            )
        context = {
            "export_links": exports.export_links(request),
            "title": _("Payment runs"),
            "runs": PaymentRun.objects.for_institution(institution).order_by("-pk")[:MAX_LIST],
            "may_pay": Role.PAYER in tenancy.roles_for(_user(request), institution),
        }
        return render(request, "payables/payment_runs.html", context)


class PaymentRunCreate(_RulePage, ServiceFormView):
    form_class = PaymentRunForm
    title = _("New payment run")
    success_message = _("The payment run has been created.")
    rule_roles = frozenset({Role.PAYER})

    def allowed(self) -> bool:
        return self.may_manage(self.rule_institution())

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.rule_institution()}

    def perform(self, form: Any) -> Any:
        return payments.payment_run_create(
            actor=_user(self.request), institution=self.rule_institution(), **form.cleaned_data
        )

    def success_url_for(self, obj: Any) -> str:
        return reverse("payables:payment-run-detail", args=[obj.pk])


class PaymentRunDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run_for(request, pk)
        roles = tenancy.roles_for(_user(request), run.institution)
        fmt = exports.requested_format(request)
        if fmt is not None:
            if request.GET.get("table") == "invoices":
                return exports.export_records(
                    fmt,
                    f"betalingskoersel-{run.pk}-fakturaer",
                    columns.RUN_INVOICE_COLUMNS,
                    run.invoices.select_related("vendor").order_by("vendor__name", "pk"),
                    title=_("Invoices and credit notes"),
                )
            return exports.export_records(
                fmt,
                f"betalingskoersel-{run.pk}-overfoersler",
                columns.TRANSFER_COLUMNS,
                payments.transfers_of(run),
                title=_("Transfers"),
            )
        context = {
            "transfer_export_links": exports.export_links(request, table="transfers"),
            "invoice_export_links": exports.export_links(request, table="invoices"),
            "object": run,
            "invoices": run.invoices.select_related("vendor").order_by("vendor__name", "pk"),
            "may_pay": Role.PAYER in roles,
        }
        return render(request, "payables/payment_run_detail.html", context)


class PaymentRunActionView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        run = _run_for(request, pk)
        steps: dict[str, Callable[..., PaymentRun]] = {
            "release": payments.payment_run_release,
            "paid": payments.payment_run_mark_paid,
        }
        if action not in steps:
            raise Http404
        try:
            steps[action](actor=_user(request), run=run)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(reverse("payables:payment-run-detail", args=[run.pk]))


class PaymentRunFileView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run_for(request, pk)
        if not run.file:
            raise Http404
        response = HttpResponse(bytes(run.file), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="pain001-{run.pk}.xml"'
        return response


# --- upload ---------------------------------------------------------------------------------


class UploadView(_Page):
    """Receive a document from a file (invoice receivers, operator staff). It is stored and
    processed exactly like one from the API; where it goes is decided by its receiver, and it
    is accepted only when the uploader may deliver there (``intake.documents_receive``): a
    document for another institution's endpoint is refused with a form error naming the
    receiver, is not stored, and is an audit event."""

    def _allowed(self, request: HttpRequest) -> User:
        user = _user(request)
        institution: Institution | None = getattr(request, "institution", None)
        if not selectors.may_use_intake(user, institution):
            raise PermissionDenied
        return user

    def get(self, request: HttpRequest) -> HttpResponse:
        self._allowed(request)
        return render(request, "payables/upload.html", {"form": UploadForm(), "title": _("Upload")})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self._allowed(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, "payables/upload.html", {"form": form, "title": _("Upload")}, status=400
            )
        upload = form.cleaned_data["file"]
        content = upload.read(services.MAX_DOCUMENT_BYTES + 1)
        try:
            intake = services.document_receive(
                content=content, channel="upload", filename=upload.name or "", actor=user
            )
        except Refused as refusal:
            form.add_error("file", refusal.refusal_message)
            return render(
                request, "payables/upload.html", {"form": form, "title": _("Upload")}, status=403
            )
        visible = intake.invoice is not None and selectors.may_view(
            user, intake.invoice.institution
        )
        context = {
            "form": UploadForm(),
            "title": _("Upload"),
            "intake": intake,
            "invoice": intake.invoice if visible else None,
        }
        return render(request, "payables/upload.html", context)
