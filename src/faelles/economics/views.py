"""Pages of operator economics: the operator's price list (read by its staff, set by its
administrators), the monthly charges per institution with volumes × prices and the issued
invoice, and charging a month (queued).

Access: the price list is the operator's, seen by its staff (administrators and case
workers) and set by its administrators; a charge is seen by those who see its institution's
ledger (its bookkeepers, controllers, local administrators, payers) and by the operator's
staff serving it — everyone else gets 404 for a charge's id. Thin: parse, check, call one
service, render.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from faelles.core.access import institutions_with_role
from faelles.core.audit import Denied
from faelles.economics import selectors, services
from faelles.economics.models import Measure, ServicePrice
from faelles.tenancy.models import User


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _month(text: str | None) -> date | None:
    try:
        year, month = (int(x) for x in (text or "").split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return None


def _last_month() -> date:
    first = timezone.localdate().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


class _Page(LoginRequiredMixin, View):
    request: HttpRequest


# --- the price list -----------------------------------------------------------------------------


def parse_tiers(text: str) -> list[dict[str, str]]:
    """Bands as typed, one a line: ``from; fixed part; price per unit``."""
    tiers = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.replace("\t", ";").split(";")]
        if len(parts) != 3:
            raise ValidationError(
                {"tiers": [_("Write each band as: from; fixed part; price per unit.")]}
            )
        tiers.append({"from": parts[0], "fixed": parts[1], "unit": parts[2]})
    return tiers


class PriceListView(_Page):
    def _operators(self) -> list[Any]:
        operators = selectors.operators_of(_user(self.request))
        if not operators:
            raise PermissionDenied
        return operators

    def _render(self, request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
        operators = self._operators()
        admin_of = {o.pk for o in selectors.operators_of(_user(request), admin=True)}
        catalogue = []
        for operator in operators:
            versions = ServicePrice.objects.filter(operator=operator).order_by(
                "measure", "-valid_from"
            )
            catalogue.append(
                {
                    "operator": operator,
                    "admin": operator.pk in admin_of,
                    "versions": list(versions),
                }
            )
        context = {
            "catalogue": catalogue,
            "measures": Measure.choices,
            "admin_operators": [o for o in operators if o.pk in admin_of],
            "form": request.POST if request.method == "POST" else {},
            **extra,
        }
        return render(request, "economics/prices.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        operators = {str(o.pk): o for o in selectors.operators_of(_user(request), admin=True)}
        operator = operators.get(request.POST.get("operator", ""))
        if operator is None:
            raise PermissionDenied
        valid_from = _month(request.POST.get("valid_from"))
        try:
            if valid_from is None:
                raise ValidationError({"valid_from": [_("Choose a month.")]})
            services.price_set(
                actor=_user(request),
                operator=operator,
                measure=request.POST.get("measure", ""),
                valid_from=valid_from,
                tiers=parse_tiers(request.POST.get("tiers", "")),
                note=request.POST.get("note", ""),
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from None
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self._render(request, status=400)
        messages.success(request, _("The price has been set."))
        return HttpResponseRedirect(reverse("economics:prices"))


# --- charges ------------------------------------------------------------------------------------


class ChargeListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        operators = selectors.operators_of(user, admin=True)
        charges = selectors.charges_for(user, period=_month(request.GET.get("month")))
        if not operators and not institutions_with_role(user, selectors.CHARGE_ROLES).exists():
            raise PermissionDenied
        return render(
            request,
            "economics/charges.html",
            {
                "charges": list(charges.prefetch_related("lines")[:500]),
                "month": request.GET.get("month", ""),
                "may_charge": bool(operators),
                "last_month": _last_month(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        operators = selectors.operators_of(user, admin=True)
        if not operators:
            raise PermissionDenied
        period = _month(request.POST.get("month"))
        if period is None or period >= timezone.localdate().replace(day=1):
            messages.error(request, _("Charge a month when it has ended."))
            return HttpResponseRedirect(reverse("economics:charges"))
        for operator in operators:
            services.charges_queue(actor=user, period=period, operator=operator)
        messages.success(
            request, _("The month is being charged; the charges appear here as they are issued.")
        )
        return HttpResponseRedirect(reverse("economics:charges") + f"?month={period:%Y-%m}")


class ChargeDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        charge = selectors.access_charge(_user(request), pk)
        return render(
            request,
            "economics/charge_detail.html",
            {
                "charge": charge,
                "lines": list(charge.lines.order_by("measure")),
                "invoice_link": selectors.may_see_invoice(_user(request), charge),
            },
        )


class ChargeXmlView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        charge = selectors.access_charge(_user(request), pk)
        response = HttpResponse(bytes(charge.xml), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{charge.number}.xml"'
        return response
