"""Pages of purchasing: the shop, the basket and requisitions with approval, orders with the
goods receipt, and the agreements with their catalogue versions. Thin: parse, check through
the selectors (the access gate), call one service, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from faelles.core.access import user_can
from faelles.payables.coding import coding_choices
from faelles.purchasing import compliance_views, selectors, services
from faelles.purchasing.forms import AgreementForm, ToleranceForm
from faelles.purchasing.models import MatchTolerance, RequisitionState
from faelles.tenancy.models import Institution, User
from faelles.tenancy.selectors import institutions_managed_by
from faelles.web import exports
from faelles.web.generic import audit_events_for

SHOP_PAGE = 50


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _institution(request: HttpRequest) -> Institution:
    institution: Institution | None = getattr(request, "institution", None)
    if institution is None or not selectors.may_purchase(_user(request), institution):
        raise PermissionDenied
    return institution


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number."), code="invalid") from None


class _Page(LoginRequiredMixin, View):
    request: HttpRequest


class ShopView(_Page):
    """Search the items of the active catalogues of the agreements covering the institution;
    put them in the basket. Every item shows its agreement."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return compliance_views.export(request, fmt, user, institution)
        query = request.GET.get("q", "").strip()
        items = list(selectors.shop_items(user, institution, query)[:SHOP_PAGE])
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "purchasing/_items.html", {"items": items, "query": query})
        return render(
            request,
            "purchasing/shop.html",
            {
                "items": items,
                "query": query,
                "baskets": selectors.baskets(user, institution),
                **compliance_views.context(request, user, institution),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        item_id = request.POST.get("item", "")
        item = (
            selectors.shop_items(user, institution).filter(pk=item_id).first()
            if item_id.isdigit()
            else None
        )
        if item is None:
            raise Http404
        try:
            services.basket_add(
                actor=user,
                institution=institution,
                item=item,
                quantity=_decimal(request.POST.get("quantity", "1")),
            )
            messages.success(request, _("%(item)s is in the basket.") % {"item": item.name})
        except ValidationError as exc:
            _errors(request, exc)
        return HttpResponseRedirect(
            reverse("purchasing:shop") + (f"?q={request.POST.get('q', '')}")
        )


class RequisitionListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        rows = (
            selectors.requisitions_for(user, institution)
            .exclude(state=RequisitionState.DRAFT)
            .select_related("agreement", "requester")[:200]
        )
        return render(
            request,
            "purchasing/requisitions.html",
            {
                "rows": rows,
                "baskets": selectors.baskets(user, institution),
                "awaiting": selectors.awaiting_approval(user, institution).select_related(
                    "agreement", "requester"
                ),
            },
        )


class RequisitionDetailView(_Page):
    """The basket (quantities, coding, delivery address, send for approval) or the submitted
    requisition (approve or reject, for an approver)."""

    def _requisition(self, request: HttpRequest, pk: int) -> Any:
        return selectors.access_requisition(_user(request), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        requisition = self._requisition(request, pk)
        return self._render(request, user, requisition)

    def _render(
        self, request: HttpRequest, user: User, requisition: Any, status: int = 200
    ) -> HttpResponse:
        institution = requisition.institution
        is_basket = (
            requisition.state == RequisitionState.DRAFT and requisition.requester_id == user.pk
        )
        may_decide = requisition.state == RequisitionState.SUBMITTED and selectors.is_approver(
            user, institution
        )
        problems = (
            [m for p in services.approval_problems(user, requisition) for m in p.messages]
            if may_decide
            else []
        )
        return render(
            request,
            "purchasing/requisition.html",
            {
                "requisition": requisition,
                "lines": requisition.lines.order_by("line_no"),
                "is_basket": is_basket,
                "may_decide": may_decide,
                "problems": problems,
                "choices": coding_choices(institution) if is_basket else None,
                "events": audit_events_for(requisition),
                "order": getattr(requisition, "order", None)
                if requisition.state == RequisitionState.ORDERED
                else None,
                "post": request.POST if request.method == "POST" else {},
            },
            status=status,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        requisition = self._requisition(request, pk)
        action = request.POST.get("action", "")
        try:
            if action == "quantity":
                services.basket_set_quantity(
                    actor=user,
                    requisition=requisition,
                    line_no=int(request.POST.get("line", "0") or 0),
                    quantity=_decimal(request.POST.get("quantity", "0")),
                )
            elif action == "submit":
                services.requisition_submit(
                    actor=user,
                    requisition=requisition,
                    title=request.POST.get("title", ""),
                    account=request.POST.get("account", ""),
                    org_unit=request.POST.get("org_unit", ""),
                    purpose=request.POST.get("purpose", ""),
                    delivery=services.Delivery(
                        name=request.POST.get("delivery_name", ""),
                        street=request.POST.get("delivery_street", ""),
                        postcode=request.POST.get("delivery_postcode", ""),
                        city=request.POST.get("delivery_city", ""),
                        gln=request.POST.get("delivery_gln", ""),
                    ),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("The requisition was sent for approval."))
            elif action == "approve":
                order = services.requisition_approve(actor=user, requisition=requisition)
                messages.success(
                    request, _("Approved: order %(number)s was sent.") % {"number": order.number}
                )
            elif action == "reject":
                services.requisition_reject(
                    actor=user, requisition=requisition, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The requisition was rejected."))
            else:
                raise Http404
        except ValidationError as exc:
            _errors(request, exc)
            requisition.refresh_from_db()
            return self._render(request, user, requisition, status=400)
        return HttpResponseRedirect(reverse("purchasing:requisition", args=[requisition.pk]))


class OrderListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        rows = selectors.orders_for(user, institution).order_by("-created_at", "-pk")[:200]
        return render(request, "purchasing/orders.html", {"rows": rows})


class OrderDetailView(_Page):
    """An order: its lines (ordered, confirmed, despatched, received), the documents received
    for it, and the goods receipt for its requester."""

    def get(self, request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
        user = _user(request)
        order = selectors.access_order(user, pk)
        return render(
            request,
            "purchasing/order.html",
            {
                "order": order,
                "lines": order.lines.order_by("pk"),
                "documents": order.documents.order_by("received_at"),
                "may_receive": order.requisition.requester_id == user.pk
                and order.state in {"sent", "accepted", "despatched", "partly_received"},
                "events": audit_events_for(order),
            },
            status=status,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        order = selectors.access_order(user, pk)
        try:
            quantities = {
                key.removeprefix("line-"): _decimal(value or "0")
                for key, value in request.POST.items()
                if key.startswith("line-")
            }
            services.order_receive(
                actor=user, order=order, quantities=quantities, note=request.POST.get("note", "")
            )
            messages.success(request, _("The receipt was recorded."))
        except ValidationError as exc:
            _errors(request, exc)
            return self.get(request, pk, status=400)
        return HttpResponseRedirect(reverse("purchasing:order", args=[order.pk]))


class AgreementListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        rows = selectors.agreements_for(user, institution).order_by("name")
        return render(
            request,
            "purchasing/agreements.html",
            {"rows": rows, "may_create": user_can(user, institution, services.AGREEMENT_ROLES)},
        )


class AgreementDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        agreement = selectors.access_agreement(user, pk)
        return render(
            request,
            "purchasing/agreement.html",
            {
                "agreement": agreement,
                "catalogues": selectors.catalogues_for(user, agreement),
            },
        )


class DocumentListView(_Page):
    """The ordering documents received for the institution: catalogues, responses, despatch
    advices, with their status and, for a rejected one, the reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        rows = selectors.documents_for(user, institution).select_related("order")[:200]
        return render(request, "purchasing/documents.html", {"rows": rows})


class AgreementNewView(_Page):
    """Register a framework agreement kept by the current institution, covering any of the
    institutions the user administers (local or operator administrators)."""

    def _allowed(self, request: HttpRequest) -> Institution:
        institution = _institution(request)
        if not user_can(_user(request), institution, services.AGREEMENT_ROLES):
            raise PermissionDenied
        return institution

    def _form(self, request: HttpRequest, data: Any = None) -> AgreementForm:
        return AgreementForm(
            data, institutions=institutions_managed_by(_user(request)).order_by("name")
        )

    def _render(self, request: HttpRequest, form: AgreementForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "web/form.html",
            {
                "form": form,
                "title": _("New framework agreement"),
                "cancel_url": reverse("purchasing:agreements"),
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self._allowed(request)
        form = self._form(request)
        form.initial["covered"] = [institution.pk]
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = self._allowed(request)
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement = services.agreement_create(
                    actor=_user(request),
                    institution=institution,
                    reference=data["reference"],
                    name=data["name"],
                    supplier_name=data["supplier_name"],
                    supplier_scheme=data["supplier_scheme"],
                    supplier_endpoint=data["supplier_endpoint"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    price_basis=data["price_basis"],
                    discount_percent=data["discount_percent"],
                    covered=list(data["covered"]),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The framework agreement was registered."))
                return HttpResponseRedirect(reverse("purchasing:agreement", args=[agreement.pk]))
        return self._render(request, form, status=400)


class ToleranceView(_Page):
    """The institution's matching tolerances: how far an invoice may differ from its order
    (unit price, quantity beyond the received) and still go straight to approval."""

    def _allowed(self, request: HttpRequest) -> Institution:
        institution = _institution(request)
        if not user_can(_user(request), institution, services.AGREEMENT_ROLES):
            raise PermissionDenied
        return institution

    def _render(self, request: HttpRequest, form: ToleranceForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "web/form.html",
            {
                "form": form,
                "title": _("Matching tolerances"),
                "cancel_url": reverse("purchasing:orders"),
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self._allowed(request)
        current = MatchTolerance.objects.for_institution(institution).first()
        initial = {
            "price_percent": current.price_percent if current else 0,
            "quantity_percent": current.quantity_percent if current else 0,
            "approve_when_order_covers": (current.approve_when_order_covers if current else False),
        }
        return self._render(request, ToleranceForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = self._allowed(request)
        form = ToleranceForm(request.POST)
        if form.is_valid():
            try:
                services.tolerance_set(
                    actor=_user(request),
                    institution=institution,
                    price_percent=form.cleaned_data["price_percent"],
                    quantity_percent=form.cleaned_data["quantity_percent"],
                    approve_when_order_covers=form.cleaned_data["approve_when_order_covers"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The matching tolerances were saved."))
                return HttpResponseRedirect(reverse("purchasing:tolerances"))
        return self._render(request, form, status=400)
