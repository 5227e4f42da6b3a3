"""The insight pages: an institution's key figures with the spread across institutions and its
place, the operator's view of every served institution side by side (and measuring a month
now), each with server-rendered SVG charts and CSV/XLSX exports of the same rows.

Access: an institution's page needs an insight role in the current institution (its local
administrators and controllers, the operator's staff serving it); the operator's pages need
an operator role in at least one served institution and show only those institutions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
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

from faelles.core.access import institutions_with_role, user_can
from faelles.core.audit import Denied, Refused
from faelles.insight import business_case, config, forms, measure, screening, selectors, services
from faelles.insight import charts as insight_charts
from faelles.insight.models import Figure
from faelles.tenancy.models import User
from faelles.web import charts, exports


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


class _Page(LoginRequiredMixin, View):
    request: HttpRequest

    def institution(self) -> Any:
        institution = getattr(self.request, "institution", None)
        if institution is None or not user_can(
            _user(self.request), institution, selectors.INSIGHT_ROLES
        ):
            raise PermissionDenied
        return institution

    def require_operator(self) -> None:
        if not institutions_with_role(_user(self.request), selectors.OPERATOR_ROLES).exists():
            raise PermissionDenied


def _month(request: HttpRequest, available: list[date]) -> date | None:
    """The month asked for (``?month=YYYY-MM``) if it has figures; else the latest whole
    month with figures (the running month is incomplete), else the latest."""
    text = request.GET.get("month", "")
    if text:
        wanted = measure.parse_month(text)
        if wanted in available:
            return wanted
    this_month = timezone.localdate().replace(day=1)
    whole = [m for m in available if m < this_month]
    return whole[0] if whole else (available[0] if available else None)


def _place_text(place: int | None, count: int | None) -> str:
    return f"{place}/{count}" if place is not None and count else ""


FIGURE_HEADERS = [
    _("Key figure"),
    _("Value"),
    _("Measured on"),
    _("Source"),
    _("Institutions"),
    _("Minimum"),
    _("1st quartile"),
    _("Median"),
    _("3rd quartile"),
    _("Maximum"),
    _("Place (1 = best)"),
]


def figure_export_rows(rows: list[selectors.FigureRow]) -> list[list[Any]]:
    out = []
    for r in rows:
        d = r.distribution
        out.append(
            [
                r.label,
                r.value,
                r.basis,
                r.source,
                d.count if d else 0,
                d.minimum if d else None,
                d.q1 if d else None,
                d.median if d else None,
                d.q3 if d else None,
                d.maximum if d else None,
                _place_text(r.place, d.count if d else None),
            ]
        )
    return out


def cost_chart(series: list[Any], benchmark: dict[str, Any]) -> charts.BarChart:
    """Cost per invoice per month (DKK), with the APQC quartiles in the table beside it."""
    return charts.bar_chart(
        chart_id="cost-chart",
        title=_("Cost per invoice per month (DKK)"),
        description=_(
            "The institution's cost per invoice each month; APQC's top quartile is "
            "%(top)s DKK and its median %(median)s DKK (the table gives the numbers)."
        )
        % {"top": benchmark["top_quartile_dkk"], "median": benchmark["median_dkk"]},
        categories=[(m.strftime("%Y-%m"), m.strftime("%m/%y")) for m, _v in series],
        series=[charts.Series("cost", _("Cost per invoice"), charts.PALETTE[0])],
        values={(m.strftime("%Y-%m"), "cost"): v for m, v in series if v is not None},
    )


class InstitutionView(_Page):
    """The current institution's key figures of a month, its place among all institutions."""

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self.institution()
        user = _user(request)
        available = selectors.months_available(user, institution)
        month = _month(request, available)
        rows = selectors.institution_figures(user, institution, month) if month else []
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_response(
                fmt,
                f"noegletal-{institution.short_name}-{month:%Y-%m}" if month else "noegletal",
                FIGURE_HEADERS,
                figure_export_rows(rows),
                title=_("Key figures"),
            )
        benchmark = config.apqc_benchmark()
        series = selectors.institution_series(user, institution, Figure.COST_PER_INVOICE)
        context = {
            "title": _("Key figures"),
            "month": month,
            "months": available,
            "rows": [(r, insight_charts.strip(r.distribution, r.value)) for r in rows],
            "benchmark": benchmark,
            "cost_chart": cost_chart(series, benchmark),
            "cost_series": series,
            "hourly_rate": config.hourly_rate(),
            "minutes_per_touch": config.minutes_per_touch(),
            "export_links": exports.export_links(request),
        }
        return render(request, "insight/institution.html", context)


class OperatorView(_Page):
    """Every served institution side by side for a month; POST measures a month now."""

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_operator()
        user = _user(request)
        available = selectors.months_available(user)
        month = _month(request, available)
        institutions, rows = selectors.side_by_side(user, month) if month else ([], [])
        fmt = exports.requested_format(request)
        if fmt is not None:
            headers = [_("Key figure"), *[i.short_name for i in institutions]]
            headers += [_("Minimum"), _("Median"), _("Maximum")]
            data = [
                [
                    r["label"],
                    *[c["value"] for c in r["cells"]],
                    r["distribution"].minimum if r["distribution"] else None,
                    r["distribution"].median if r["distribution"] else None,
                    r["distribution"].maximum if r["distribution"] else None,
                ]
                for r in rows
            ]
            return exports.export_response(
                fmt,
                f"noegletal-alle-{month:%Y-%m}" if month else "noegletal-alle",
                headers,
                data,
                title=_("Key figures of all institutions"),
            )
        benchmark = config.apqc_benchmark()
        cost = next((r for r in rows if r["figure"] == Figure.COST_PER_INVOICE), None)
        chart = charts.bar_chart(
            chart_id="cost-by-institution",
            title=_("Cost per invoice by institution (DKK)"),
            description=_(
                "Each served institution's cost per invoice in the month; APQC's top quartile "
                "is %(top)s DKK and its median %(median)s DKK."
            )
            % {"top": benchmark["top_quartile_dkk"], "median": benchmark["median_dkk"]},
            categories=[(str(i.pk), i.short_name) for i in institutions],
            series=[charts.Series("cost", _("Cost per invoice"), charts.PALETTE[0])],
            values={
                (str(c["institution"].pk), "cost"): c["value"]
                for c in (cost["cells"] if cost else [])
                if c["value"] is not None
            },
        )
        context = {
            "title": _("Key figures of all institutions"),
            "month": month,
            "months": available,
            "institutions": institutions,
            "rows": rows,
            "benchmark": benchmark,
            "chart": chart,
            "export_links": exports.export_links(request),
        }
        return render(request, "insight/operator.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.require_operator()
        text = request.POST.get("month", "")
        month = measure.parse_month(text) or timezone.localdate().replace(day=1)
        services.key_figures_refresh_queue(actor=_user(request), month=month)
        messages.success(request, _("The key figures are being measured."))
        return HttpResponseRedirect(f"{reverse('insight:operator')}?month={month:%Y-%m}")


# --- the task inventory ----------------------------------------------------------------------

TASK_HEADERS = [
    _("FORM code"),
    _("Task"),
    _("Volume per year"),
    _("Volume measured"),
    _("Hours per year"),
    _("Hours registered"),
    _("Systems"),
    _("Standardisability"),
    _("Volume score"),
    _("Free of bindings"),
    _("Score"),
    _("Verdict"),
    _("Shadow work"),
]
VERDICTS = {
    "ripe": _("Ripe for sharing"),
    "possible": _("Possible"),
    "not_ripe": _("Not ripe"),
}


def task_rows(screened: list[selectors.ScreenedTask]) -> list[list[Any]]:
    return [
        [
            s.task.form_code,
            s.task.name,
            s.volume,
            s.volume_measured,
            s.hours,
            s.hours_registered,
            ", ".join(s.task.system_list),
            s.task.standardisability,
            s.volume_score,
            s.task.bindings,
            s.score,
            str(VERDICTS[s.verdict]),
            s.shadow,
        ]
        for s in screened
    ]


class TaskListView(_Page):
    """The current institution's task inventory with the ripeness screening; POST adds a task."""

    def _render(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        institution = self.institution()
        user = _user(request)
        screened = selectors.screen(
            list(selectors.tasks_for(user, institution)), timezone.localdate()
        )
        context = {
            "title": _("Task inventory"),
            "screened": [(s, VERDICTS[s.verdict]) for s in screened],
            "form": form,
            "may_write": user_can(user, institution, selectors.WRITE_ROLES),
            "weights": screening.WEIGHTS,
            "export_links": exports.export_links(request),
        }
        return render(request, "insight/tasks.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self.institution()
        fmt = exports.requested_format(request)
        if fmt is not None:
            screened = selectors.screen(
                list(selectors.tasks_for(_user(request), institution)), timezone.localdate()
            )
            return exports.export_response(
                fmt,
                f"opgaver-{institution.short_name}",
                TASK_HEADERS,
                task_rows(screened),
                title=_("Task inventory"),
            )
        return self._render(request, forms.TaskForm(institution=institution))

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = self.institution()
        form = forms.TaskForm(request.POST, institution=institution)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            task = services.task_save(
                actor=_user(request), institution=institution, data=form.cleaned_data
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from None
        except ValidationError as exc:
            if isinstance(exc, Refused):
                raise PermissionDenied(exc.refusal_message) from None
            form.add_error(None, exc)
            return self._render(request, form, status=400)
        messages.success(request, _("The task has been saved."))
        return HttpResponseRedirect(reverse("insight:task-detail", args=[task.pk]))


class TaskDetailView(_Page):
    """One task: change it, and register the hours spent on it in a month."""

    def _render(
        self,
        request: HttpRequest,
        task: Any,
        form: Any = None,
        hours_form: Any = None,
        status: int = 200,
    ) -> HttpResponse:
        from faelles.insight.models import TaskHours

        context = {
            "title": task.name,
            "task": task,
            "form": form or forms.TaskForm(instance=task, institution=task.institution),
            "hours_form": hours_form or forms.HoursForm(),
            "hours": TaskHours.objects.for_institution(task.institution)
            .filter(task=task)
            .order_by("-month")[:24],
            "may_write": user_can(_user(request), task.institution, selectors.WRITE_ROLES),
        }
        return render(request, "insight/task_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.access_task(_user(request), pk)
        return self._render(request, task)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = selectors.access_task(_user(request), pk)
        user = _user(request)
        try:
            if request.POST.get("action") == "hours":
                hours_form = forms.HoursForm(request.POST)
                if not hours_form.is_valid():
                    return self._render(request, task, hours_form=hours_form, status=400)
                services.task_hours_register(
                    actor=user,
                    task=task,
                    month=hours_form.cleaned_data["month"],
                    hours=hours_form.cleaned_data["hours"],
                )
                messages.success(request, _("The hours have been registered."))
            else:
                form = forms.TaskForm(request.POST, instance=task, institution=task.institution)
                if not form.is_valid():
                    task.refresh_from_db()
                    return self._render(request, task, form=form, status=400)
                services.task_save(
                    actor=user, institution=task.institution, data=form.cleaned_data, task=task
                )
                messages.success(request, _("The task has been saved."))
        except Refused as exc:
            raise PermissionDenied(exc.refusal_message) from None
        return HttpResponseRedirect(reverse("insight:task-detail", args=[task.pk]))


CANDIDATE_HEADERS = [
    _("FORM code"),
    _("Tasks"),
    _("Institutions"),
    _("Volume per year"),
    _("Hours per year"),
    _("Standardisability"),
    _("Volume score"),
    _("Free of bindings"),
    _("Score"),
    _("Verdict"),
    _("Systems"),
]


class CandidatesView(_Page):
    """The operator's ranking of FORM codes across the served institutions."""

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_operator()
        ranked = selectors.candidates(_user(request), timezone.localdate())
        rows = [
            [
                c.form_code,
                " / ".join(c.names),
                ", ".join(c.institutions),
                c.volume,
                c.hours,
                c.standardisability,
                c.volume_score,
                c.bindings,
                c.score,
                str(VERDICTS[c.verdict]),
                ", ".join(c.systems),
            ]
            for c in ranked
        ]
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_response(
                fmt, "kandidater", CANDIDATE_HEADERS, rows, title=_("Candidates for sharing")
            )
        chart = charts.bar_chart(
            chart_id="candidates-chart",
            title=_("Ripeness score per FORM code"),
            description=_("The weighted ripeness score (1–5) of each candidate, best first."),
            categories=[(c.form_code, c.form_code) for c in ranked[:12]],
            series=[charts.Series("score", _("Score"), charts.PALETTE[1])],
            values={(c.form_code, "score"): c.score for c in ranked[:12]},
        )
        context = {
            "title": _("Candidates for sharing"),
            "candidates": [(c, VERDICTS[c.verdict]) for c in ranked],
            "chart": chart,
            "weights": screening.WEIGHTS,
            "export_links": exports.export_links(request),
        }
        return render(request, "insight/candidates.html", context)


# --- business cases, follow-up and shadow work ---------------------------------------------------


def _refused(exc: Exception) -> PermissionDenied:
    message = exc.refusal_message if isinstance(exc, Refused) else str(exc)
    return PermissionDenied(message)


class CaseListView(_Page):
    """The current institution's business cases; POST makes a new one."""

    def _render(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        institution = self.institution()
        context = {
            "title": _("Business cases"),
            "cases": selectors.cases_for(_user(request), institution).order_by("-created_at"),
            "form": form,
            "may_write": user_can(_user(request), institution, selectors.WRITE_ROLES),
        }
        return render(request, "insight/cases.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, forms.BusinessCaseForm(institution=self.institution()))

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = self.institution()
        form = forms.BusinessCaseForm(request.POST, institution=institution)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            case = services.business_case_create(
                actor=_user(request), institution=institution, data=form.cleaned_data
            )
        except Refused as exc:
            raise _refused(exc) from None
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._render(request, form, status=400)
        messages.success(request, _("The business case has been created."))
        return HttpResponseRedirect(reverse("insight:case-detail", args=[case.pk]))


class CaseDetailView(_Page):
    """A business case: scenarios, costs and benefits, the years, the plan; POST adds an item
    or approves the case."""

    def _render(
        self, request: HttpRequest, case: Any, item_form: Any = None, status: int = 200
    ) -> HttpResponse:
        items = list(case.items.all())
        economy = business_case.economy(case, items)
        context = {
            "title": case.title,
            "case": case,
            "items": items,
            "economy": economy,
            "item_form": item_form or forms.ItemForm(),
            "may_write": user_can(_user(request), case.institution, selectors.WRITE_ROLES),
            "discount_rate": business_case.discount_rate() * 100,
        }
        return render(request, "insight/case_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, selectors.access_case(_user(request), pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.access_case(_user(request), pk)
        user = _user(request)
        try:
            if request.POST.get("action") == "approve":
                services.business_case_approve(actor=user, case=case)
                messages.success(request, _("The business case has been approved."))
            else:
                form = forms.ItemForm(request.POST)
                if not form.is_valid():
                    return self._render(request, case, item_form=form, status=400)
                services.business_case_item_add(actor=user, case=case, data=form.cleaned_data)
                messages.success(request, _("The estimate has been added."))
        except Refused as exc:
            raise _refused(exc) from None
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self._render(request, case, status=400)
        return HttpResponseRedirect(reverse("insight:case-detail", args=[case.pk]))


FOLLOW_UP_HEADERS = [
    _("Month"),
    _("Planned gain"),
    _("Realised gain"),
    _("Source"),
    _("Planned, cumulative"),
    _("Realised, cumulative"),
    _("Deviation"),
    _("Note"),
]


def follow_up_chart(rows: list[selectors.FollowUpMonth]) -> charts.BarChart:
    """Realised gain per month, with what is missing to the plan stacked on top."""
    return charts.bar_chart(
        chart_id="follow-up-chart",
        title=_("Planned and realised gains per month (DKK)"),
        description=_(
            "Each month's realised gain (dark) and what is missing to the plan (light); "
            "the table below gives the numbers."
        ),
        categories=[(r.month.strftime("%Y-%m"), r.month.strftime("%m/%y")) for r in rows],
        series=[
            charts.Series("realised", _("Realised"), "#004993"),
            charts.Series("missing", _("Missing to the plan"), "#8cb4dc"),
        ],
        values={
            **{(r.month.strftime("%Y-%m"), "realised"): r.realised or Decimal(0) for r in rows},
            **{
                (r.month.strftime("%Y-%m"), "missing"): r.planned - (r.realised or Decimal(0))
                for r in rows
            },
        },
    )


class FollowUpView(_Page):
    """The benefit-realisation follow-up of a case; POST enters or measures a month."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.access_case(_user(request), pk)
        rows = selectors.follow_up(case)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_response(
                fmt,
                f"gevinstopfoelgning-{case.pk}",
                FOLLOW_UP_HEADERS,
                [
                    [
                        r.month.strftime("%Y-%m"),
                        r.planned,
                        r.realised,
                        r.source,
                        r.planned_cumulative,
                        r.realised_cumulative,
                        r.deviation,
                        r.note,
                    ]
                    for r in rows
                ],
                title=_("Benefit realisation"),
            )
        context = {
            "title": _("Benefit realisation"),
            "case": case,
            "rows": rows,
            "chart": follow_up_chart(rows),
            "form": forms.RealisedForm(),
            "may_write": user_can(_user(request), case.institution, selectors.WRITE_ROLES),
            "export_links": exports.export_links(request),
        }
        return render(request, "insight/follow_up.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.access_case(_user(request), pk)
        form = forms.RealisedForm(request.POST)
        user = _user(request)
        if form.is_valid():
            try:
                if request.POST.get("action") == "measure":
                    services.realisation_measure(
                        actor=user, case=case, month=form.cleaned_data["month"]
                    )
                elif form.cleaned_data["amount"] is None:
                    messages.error(request, _("Write the realised gain."))
                else:
                    services.realisation_record(
                        actor=user,
                        case=case,
                        month=form.cleaned_data["month"],
                        amount=form.cleaned_data["amount"],
                        note=form.cleaned_data["note"],
                    )
            except Refused as exc:
                raise _refused(exc) from None
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
        else:
            messages.error(request, _("Write the month as YYYY-MM."))
        return HttpResponseRedirect(reverse("insight:follow-up", args=[case.pk]))


SHADOW_HEADERS = [_("Institution"), _("Month"), _("Task"), _("FORM code"), _("Hours"), _("Cost")]


class ShadowWorkView(_Page):
    """Hours the current institution still registers on tasks its agreement gives the
    operator (shadow work); the operator's staff see every served institution with
    ``?scope=operator``."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        operator = request.GET.get("scope") == "operator"
        if operator:
            self.require_operator()
            rows = selectors.shadow_work(user, operator=True)
        else:
            rows = selectors.shadow_work(user, institution=self.institution())
        fmt = exports.requested_format(request)
        data = [
            [
                r.institution.short_name,
                r.month.strftime("%Y-%m"),
                r.task.name,
                r.task.form_code,
                r.hours,
                r.cost,
            ]
            for r in rows
        ]
        if fmt is not None:
            return exports.export_response(
                fmt, "skyggearbejde", SHADOW_HEADERS, data, title=_("Shadow work")
            )
        context = {
            "title": _("Shadow work"),
            "rows": rows,
            "operator": operator,
            "total_hours": sum((r.hours for r in rows), Decimal(0)),
            "total_cost": sum((r.cost for r in rows), Decimal(0)),
            "hourly_rate": config.hourly_rate(),
            "export_links": exports.export_links(request),
        }
        return render(request, "insight/shadow.html", context)
