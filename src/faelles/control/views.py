"""The control pages: an institution's ranked work list, the operator's work list over every
institution it serves (and starting a run), a hit with its evidence side by side and the
decision, and precision per control and month.

Access: the current institution's work list needs a control role there (controllers, the
operator's staff serving it); the operator's list and the run need an operator role in at
least one served institution and show only those institutions' hits; a hit's page answers 404
to anyone without a control role in the hit's institution. Evidence about another institution
(a duplicate sent to two institutions) is shown only to those who may see that institution;
others see that such a side exists, not what it holds.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from faelles.control import selectors, services
from faelles.control.models import WORK_LIST_THRESHOLD, Control, HitStatus
from faelles.core.access import institutions_with_role, user_can
from faelles.core.audit import Denied
from faelles.tenancy.models import User

MAX_LIST = 200
SIDE_FIELDS = [
    ("institution_name", _("Institution")),
    ("vendor", _("Vendor")),
    ("name", _("Name")),
    ("cvr", _("CVR number")),
    ("number", _("Invoice number")),
    ("issue_date", _("Issue date")),
    ("amount", _("Amount")),
    ("currency", _("Currency")),
    ("state", _("State")),
    ("channel", _("Channel")),
    ("payment_run", _("Payment run")),
    ("paid_on", _("Paid on")),
    ("approved_by", _("Approved by")),
    ("execution_date", _("Execution date")),
    ("created_by", _("Created by")),
    ("released_by", _("Released by")),
    ("address", _("Address")),
    ("accounts", _("Bank accounts")),
    ("username", _("User name")),
]


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


class _Page(LoginRequiredMixin, View):
    request: HttpRequest

    def institution(self) -> Any:
        institution = getattr(self.request, "institution", None)
        if institution is None or not user_can(
            _user(self.request), institution, selectors.CONTROL_ROLES
        ):
            raise PermissionDenied
        return institution

    def require_operator(self) -> None:
        if not institutions_with_role(_user(self.request), selectors.OPERATOR_ROLES).exists():
            raise PermissionDenied


def _filters(request: HttpRequest) -> dict[str, Any]:
    status = request.GET.get("status", HitStatus.OPEN)
    control = request.GET.get("control") or None
    return {
        "status": None if status == "all" else (status if status in HitStatus.values else "open"),
        "control": control if control in Control.values else None,
        "possible": request.GET.get("possible") == "1",
    }


def _list_context(request: HttpRequest, hits: Any, title: str, **extra: Any) -> dict[str, Any]:
    filters = _filters(request)
    counts = extra.pop("counts", {})
    empty = {"hits": 0, "amount": 0}
    return {
        "count_rows": [(v, label, counts.get(v, empty)) for v, label in Control.choices],
        "title": title,
        "hits": list(hits[:MAX_LIST]),
        "total": hits.count(),
        "controls": Control.choices,
        "statuses": HitStatus.choices,
        "filters": filters,
        "threshold": WORK_LIST_THRESHOLD,
        **extra,
    }


class WorkListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self.institution()
        hits = selectors.work_list(_user(request), institution=institution, **_filters(request))
        context = _list_context(
            request,
            hits,
            _("Control work list"),
            counts=selectors.open_counts(_user(request), institution=institution),
        )
        return render(request, "control/work_list.html", context)


class OperatorWorkListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_operator()
        hits = selectors.work_list(_user(request), operator=True, **_filters(request))
        context = _list_context(
            request,
            hits,
            _("Operator work list"),
            operator=True,
            counts=selectors.open_counts(_user(request), operator=True),
            runs=selectors.recent_runs(_user(request)),
        )
        return render(request, "control/work_list.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.require_operator()
        controls = [c for c in request.POST.getlist("control") if c in Control.values]
        services.control_run_queue(
            actor=_user(request),
            institutions=list(
                institutions_with_role(_user(request), selectors.OPERATOR_ROLES).values_list(
                    "pk", flat=True
                )
            ),
            controls=controls or None,
        )
        messages.success(
            request, _("The controls are running; the work list fills as they finish.")
        )
        return HttpResponseRedirect(reverse("control:operator"))


class HitDetailView(_Page):
    def _context(self, request: HttpRequest, hit: Any) -> dict[str, Any]:
        user = _user(request)
        visible = set(
            institutions_with_role(user, selectors.CONTROL_ROLES).values_list("pk", flat=True)
        )
        sides = []
        for side in hit.evidence.get("sides", []):
            inst = side.get("institution")
            if inst is not None and inst not in visible:
                sides.append({"hidden": True, "type": side.get("type")})
            else:
                sides.append(side)
        rows = []
        for key, label in SIDE_FIELDS:
            if any(key in s for s in sides if not s.get("hidden")):
                rows.append(
                    (label, [s.get(key, "") if not s.get("hidden") else None for s in sides])
                )
        return {
            "hit": hit,
            "sides": sides,
            "rows": rows,
            "facts": hit.evidence.get("facts", {}),
            "decisions": [(s, HitStatus(s).label) for s in services.DECISIONS],
            "threshold": WORK_LIST_THRESHOLD,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        hit = selectors.access_hit(_user(request), pk)
        return render(request, "control/hit_detail.html", self._context(request, hit))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        hit = selectors.access_hit(_user(request), pk)
        try:
            services.hit_decide(
                actor=_user(request),
                hit=hit,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from None
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return render(
                request, "control/hit_detail.html", self._context(request, hit), status=400
            )
        messages.success(request, _("Your decision has been recorded."))
        return HttpResponseRedirect(reverse("control:hit-detail", args=[hit.pk]))


class PrecisionView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        operator = institutions_with_role(user, selectors.OPERATOR_ROLES).exists()
        institution = None if operator else self.institution()
        context = {
            "title": _("Control precision"),
            "rows": selectors.precision(user, institution=institution),
            "operator": operator,
        }
        return render(request, "control/precision.html", context)
