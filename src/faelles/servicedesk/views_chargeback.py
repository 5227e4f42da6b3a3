"""Pages of chargeback (issue 14, item 4): the monthly statements (prepare, read, post as an
internal invoice, correct a posted line on a later month, export) and the customer-forum
report per institution with its charts and export. Thin: parse, check, call one service,
render."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from faelles.core.access import access_object, restrict
from faelles.core.audit import Denied
from faelles.servicedesk import chargeback, selectors
from faelles.servicedesk.chargeback_models import Statement, StatementLine
from faelles.servicedesk.models import Kind
from faelles.servicedesk.views import _errors, _institution, _Page, _user
from faelles.web.charts import Series, bar_chart, colours
from faelles.web.exports import Column, export_links, export_records, requested_format


def _statements(request: HttpRequest) -> Any:
    """Statements the user sees: the service desk of the institutions served and the
    institution's contact persons, in the current institution."""
    return restrict(
        Statement,
        user=_user(request),
        institution=_institution(request),
        roles=selectors.CONTACT_ROLES,
    )


class StatementListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.is_contact(user, institution):
            raise PermissionDenied
        assert institution is not None
        today = timezone.localdate()
        return render(
            request,
            "servicedesk/chargeback/statements.html",
            {
                "statements": _statements(request)[:120],
                "agent": selectors.is_agent(user, institution),
                "this_month": today.replace(day=1),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if institution is None:
            raise PermissionDenied
        text = request.POST.get("period", "")
        try:
            year, month = (int(x) for x in text.split("-")[:2])
            period = date(year, month, 1)
        except ValueError:
            messages.error(request, _("Choose a month."))
            return HttpResponseRedirect(reverse("servicedesk:statements"))
        try:
            statement = chargeback.statement_prepare(
                actor=user, institution=institution, period=period
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _errors(request, exc)
            return HttpResponseRedirect(reverse("servicedesk:statements"))
        return HttpResponseRedirect(reverse("servicedesk:statement-detail", args=[statement.pk]))


def _access_statement(request: HttpRequest, pk: Any) -> Statement:
    return access_object(
        Statement.objects.select_related("institution", "entry", "posted_by"),
        user=_user(request),
        pk=pk,
        roles=selectors.CONTACT_ROLES,
    )


LINE_COLUMNS = [
    Column(_l("Kind"), lambda line: line.get_kind_display()),
    Column(_l("Description"), lambda line: line.description),
    Column(_l("Quantity"), lambda line: line.quantity),
    Column(_l("Unit price (DKK)"), lambda line: line.unit_price),
    Column(_l("Amount (DKK)"), lambda line: line.amount),
]


class StatementDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        statement = _access_statement(request, pk)
        lines = statement.lines.select_related("ticket", "corrects__statement")
        fmt = requested_format(request)
        if fmt:
            name = statement.number or f"draft-{statement.period:%Y-%m}"
            return export_records(fmt, f"statement-{name}", LINE_COLUMNS, lines)
        return render(
            request,
            "servicedesk/chargeback/statement_detail.html",
            {
                "statement": statement,
                "lines": lines,
                "agent": selectors.is_agent(_user(request), statement.institution),
                "export_links": export_links(request),
            },
        )


class StatementPostView(_Page):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        statement = _access_statement(request, pk)
        try:
            chargeback.statement_post(
                actor=_user(request),
                statement=statement,
                cost_centre=request.POST.get("cost_centre", "").strip()
                or chargeback.DEFAULT_COST_CENTRE,
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The statement is posted as an internal invoice."))
        return HttpResponseRedirect(reverse("servicedesk:statement-detail", args=[pk]))


class StatementLineCorrectView(_Page):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = access_object(
            StatementLine.objects.select_related("statement"),
            user=_user(request),
            pk=pk,
            roles=selectors.CONTACT_ROLES,
        )
        try:
            correction = chargeback.statement_correct(
                actor=_user(request),
                line=line,
                amount=request.POST.get("amount", "").replace(",", ".") or "0",
                reason=request.POST.get("reason", ""),
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except (ValidationError, ArithmeticError) as exc:
            if isinstance(exc, ValidationError):
                _errors(request, exc)
            else:
                messages.error(request, _("Give the amount as a number."))
            return HttpResponseRedirect(
                reverse("servicedesk:statement-detail", args=[line.statement_id])
            )
        return HttpResponseRedirect(
            reverse("servicedesk:statement-detail", args=[correction.statement_id])
        )


# --- the customer-forum report -----------------------------------------------------------------

FORUM_COLUMNS = [
    Column(_l("Month"), lambda m: f"{m.period:%Y-%m}"),
    Column(_l("Service requests"), lambda m: m.opened.get(Kind.REQUEST, 0)),
    Column(_l("Incidents"), lambda m: m.opened.get(Kind.INCIDENT, 0)),
    Column(_l("Work orders"), lambda m: m.opened.get(Kind.WORK_ORDER, 0)),
    Column(_l("Resolved"), lambda m: m.resolved),
    Column(_l("Service targets met (%)"), lambda m: m.sla_met_pct),
    Column(_l("Satisfaction (1–5)"), lambda m: m.satisfaction),
    Column(_l("Charged (DKK)"), lambda m: m.charged),
]


def _month_label(period: date) -> str:
    return formats.date_format(period, "M")


class ForumReportView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.is_contact(user, institution):
            raise PermissionDenied
        assert institution is not None
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        report = chargeback.forum_report(institution, year)
        fmt = requested_format(request)
        if fmt:
            return export_records(
                fmt, f"forum-{institution.short_name}-{year}", FORUM_COLUMNS, report.months
            )
        categories = [(f"{m.period:%m}", _month_label(m.period)) for m in report.months]
        kinds = [(k.value, str(k.label)) for k in Kind]
        palette = colours([k for k, _l in kinds])
        volumes = bar_chart(
            chart_id="forum-volumes",
            title=_("Tickets opened per month"),
            description=_("Service requests, incidents and work orders opened each month."),
            categories=categories,
            series=[Series(k, label, palette[k]) for k, label in kinds],
            values={
                (f"{m.period:%m}", k): Decimal(m.opened.get(k, 0))
                for m in report.months
                for k, _l in kinds
            },
        )
        met = Series("met", _("Service targets met (%)"), colours(["met"])["met"])
        sla = bar_chart(
            chart_id="forum-sla",
            title=_("Service targets met per month (%)"),
            description=_("The share of tickets resolved in the month that met their targets."),
            categories=categories,
            series=[met],
            values={(f"{m.period:%m}", "met"): m.sla_met_pct or Decimal(0) for m in report.months},
        )
        charged = Series("charged", _("Charged (DKK)"), colours(["a", "charged"])["charged"])
        charges = bar_chart(
            chart_id="forum-charges",
            title=_("Charged per month (DKK)"),
            description=_("The posted chargeback statements of each month."),
            categories=categories,
            series=[charged],
            values={(f"{m.period:%m}", "charged"): m.charged for m in report.months},
        )
        return render(
            request,
            "servicedesk/chargeback/forum.html",
            {
                "report": report,
                "year": year,
                "years": [year - 1, year, year + 1],
                "charts": [volumes, sla, charges],
                "export_links": export_links(request),
            },
        )
