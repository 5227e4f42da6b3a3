"""The key-figures page of invoice handling: the figures, invoices received per month, the
ageing of open invoices and the money paid out per payment run, each as a server-rendered
SVG chart with the same numbers as a table and as CSV/XLSX (``?table=…&format=…``).

Everything is read for the current institution, which the reader must be allowed to see
(``selectors.may_view``, the access gate): 403 otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views import View

from faelles.payables import exports as columns
from faelles.payables import key_figures, selectors
from faelles.tenancy.models import Institution, User
from faelles.web import charts, exports

AGEING_COLOURS = {
    "not-due": "#008139",
    "0-30": "#c78300",
    "31-60": "#d35400",
    "61-90": "#b51d09",
    "90+": "#7b2a8d",
}
RUN_COLOURS = {"released": "#c78300", "paid": "#004993"}


def ageing_chart(ageing: key_figures.Ageing) -> charts.BarChart:
    """One bar per bucket, its height the amount owed (DKK)."""
    return charts.bar_chart(
        chart_id="ageing-chart",
        title=_("Open invoices by days past due"),
        description=_(
            "Approved, unpaid invoices (net of credit notes) in DKK by days past the due date "
            "on %(day)s; the table below the chart gives the amounts and the number of "
            "invoices."
        )
        % {"day": formats.date_format(ageing.on, "SHORT_DATE_FORMAT")},
        categories=[(b.key, b.label) for b in ageing.buckets],
        series=[
            charts.Series(b.key, b.label, AGEING_COLOURS.get(b.key, charts.PALETTE[0]))
            for b in ageing.buckets
        ],
        values={(b.key, b.key): b.amount for b in ageing.buckets},
    )


def runs_chart(runs: Sequence[key_figures.RunTotal]) -> charts.BarChart:
    """One bar per released or paid payment run, its height the money out (DKK)."""
    states = list(key_figures.RUN_STATES)
    return charts.bar_chart(
        chart_id="runs-chart",
        title=_("Money out per payment run"),
        description=_(
            "The total of each released or paid payment run in DKK, oldest first; the table "
            "below the chart gives the execution dates and amounts."
        ),
        categories=[(str(r.pk), f"#{r.pk}") for r in runs],
        series=[charts.Series(s.value, str(s.label), RUN_COLOURS[s.value]) for s in states],
        values={(str(r.pk), r.state): r.total for r in runs},
    )


def months_chart(figures: selectors.Kpis) -> charts.BarChart:
    """Invoices received per month, split into coded automatically and by hand."""
    auto, manual = _("Coded automatically"), _("Coded by hand or not yet coded")
    return charts.bar_chart(
        chart_id="months-chart",
        title=_("Invoices received per month"),
        description=_(
            "The number of invoices received each month, the part coded automatically at the "
            "bottom; the table below the chart gives the same numbers."
        ),
        categories=[(m.month, f"{m.month[5:]}/{m.month[2:4]}") for m in figures.months],
        series=[
            charts.Series("auto", auto, "#004993"),
            charts.Series("manual", manual, "#8cb4dc"),
        ],
        values={
            **{(m.month, "auto"): Decimal(m.coded_automatically) for m in figures.months},
            **{
                (m.month, "manual"): Decimal(m.received - m.coded_automatically)
                for m in figures.months
            },
        },
    )


class KpiView(LoginRequiredMixin, View):
    """Key figures of the current institution, with its charts and their exports."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        institution: Institution | None = getattr(request, "institution", None)
        if institution is None or not selectors.may_view(user, institution):
            raise PermissionDenied
        fmt = exports.requested_format(request)
        if fmt is not None:
            return self.export(request, fmt, institution)
        figures = selectors.kpis(institution)
        ageing = key_figures.open_invoice_ageing(institution)
        runs = key_figures.payment_run_totals(institution)
        context: dict[str, Any] = {
            "title": _("Key figures"),
            "kpis": figures,
            "months_chart": months_chart(figures),
            "ageing": ageing,
            "ageing_chart": ageing_chart(ageing),
            "runs": runs,
            "runs_chart": runs_chart(runs),
            "export_links": {
                table: exports.export_links(request, table=table)
                for table in ("months", "ageing", "runs")
            },
        }
        return render(request, "payables/kpis.html", context)

    def export(self, request: HttpRequest, fmt: str, institution: Institution) -> HttpResponse:
        table = request.GET.get("table", "")
        name = institution.short_name
        if table == "ageing":
            ageing = key_figures.open_invoice_ageing(institution)
            return exports.export_response(
                fmt,
                f"aldersfordeling-{name}-{ageing.on.isoformat()}",
                columns.AGEING_HEADERS,
                columns.ageing_rows(ageing),
                title=_("Open invoices by days past due"),
            )
        if table == "runs":
            return exports.export_response(
                fmt,
                f"betalingskoersler-{name}",
                columns.RUN_TOTAL_HEADERS,
                [
                    (r.pk, r.execution_date, r.state_label, r.invoices, r.total)
                    for r in key_figures.payment_run_totals(institution)
                ],
                title=_("Money out per payment run"),
            )
        if table == "months":
            figures = selectors.kpis(institution)
            return exports.export_response(
                fmt,
                f"noegletal-{name}",
                [_("Month"), _("Received"), _("Coded automatically"), _("Paid"), _("Paid on time")],
                [
                    (m.month, m.received, m.coded_automatically, m.paid, m.paid_on_time)
                    for m in figures.months
                ],
                title=_("Invoices received per month"),
            )
        return HttpResponse(
            _("Choose a table to export: months, ageing or runs."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
