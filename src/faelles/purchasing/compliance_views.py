"""The compliance charts of the purchasing start page (issue 13, item 4) and their CSV/XLSX
exports (``?table=share|maverick|open-orders|no-order|demand&format=csv``): server-rendered
SVG bar charts (``faelles.web.charts``: coordinates are strings with a ``.``, never localised
numbers), each with the same numbers as a table. Shown to those who see all of the current
institution's orders (``compliance.may_view``); an export asked for by anyone else is 403."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.purchasing import compliance
from faelles.tenancy.models import Institution, User
from faelles.web import charts, exports

TABLES = ("share", "maverick", "open-orders", "no-order", "demand")
#: Bars on the supplier and item charts (the tables and exports have every row).
TOP = 8


def _today() -> date:
    return timezone.localdate()


def _month_label(month: date) -> str:
    return f"{month.month:02d}/{month.year % 100:02d}"


def _month_key(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def _short(text: str, width: int = 10) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def share_chart(rows: Sequence[compliance.MonthShare]) -> charts.BarChart:
    return charts.bar_chart(
        chart_id="agreement-share-chart",
        title=_("Spend on framework agreements per month"),
        description=_(
            "Invoiced net amount in DKK per month, the part on framework agreements at the "
            "bottom; the table below the chart gives the amounts and the share."
        ),
        categories=[(_month_key(r.month), _month_label(r.month)) for r in rows],
        series=[
            charts.Series("on", _("On agreement"), "#008139"),
            charts.Series("off", _("Off agreement"), "#c78300"),
        ],
        values={
            **{(_month_key(r.month), "on"): r.on_agreement for r in rows},
            **{(_month_key(r.month), "off"): r.off_agreement for r in rows},
        },
    )


def maverick_chart(rows: Sequence[compliance.SupplierSpend]) -> charts.BarChart:
    top = list(rows[:TOP])
    return charts.bar_chart(
        chart_id="maverick-chart",
        title=_("Spend off agreements by supplier"),
        description=_(
            "Invoiced net amount in DKK not on a framework agreement over the last 12 months, "
            "per supplier, largest first; the table below the chart lists every supplier."
        ),
        categories=[(str(i), _short(r.name)) for i, r in enumerate(top)],
        series=[charts.Series("amount", _("Off agreement"), "#c78300")],
        values={(str(i), "amount"): r.amount for i, r in enumerate(top)},
    )


def _count_chart(
    chart_id: str, title: str, description: str, rows: Sequence[compliance.MonthCount]
) -> charts.BarChart:
    return charts.bar_chart(
        chart_id=chart_id,
        title=title,
        description=description,
        categories=[(_month_key(r.month), _month_label(r.month)) for r in rows],
        series=[charts.Series("count", title, "#004993")],
        values={(_month_key(r.month), "count"): Decimal(r.count) for r in rows},
    )


def demand_chart(rows: Sequence[compliance.Demand]) -> charts.BarChart:
    top = list(rows[:TOP])
    return charts.bar_chart(
        chart_id="demand-chart",
        title=_("Demand per agreement item"),
        description=_(
            "Net amount in DKK ordered per agreement item across the institutions you oversee, "
            "largest first; the table below the chart gives the quantities."
        ),
        categories=[(str(i), _short(r.item)) for i, r in enumerate(top)],
        series=[charts.Series("amount", _("Ordered"), "#7b2a8d")],
        values={(str(i), "amount"): r.amount for i, r in enumerate(top)},
    )


def context(request: HttpRequest, user: User, institution: Institution) -> dict[str, Any]:
    """The start page's compliance part: empty for those who may not see it."""
    if not compliance.may_view(user, institution):
        return {}
    today = _today()
    share = compliance.agreement_share(user, institution, today)
    maverick = compliance.maverick_spend(user, institution, today)
    open_orders = compliance.open_orders_without_invoice(user, institution, today)
    no_order = compliance.invoices_without_order(user, institution, today)
    demand = compliance.joint_demand(user)
    return {
        "compliance": {
            "share": share,
            "share_chart": share_chart(share),
            "maverick": maverick,
            "maverick_chart": maverick_chart(maverick),
            "open_orders": open_orders,
            "open_orders_chart": _count_chart(
                "open-orders-chart",
                _("Open orders without invoices"),
                _(
                    "Orders neither rejected nor cancelled that no invoice names yet, by the "
                    "month they were sent; the table below the chart gives their amounts."
                ),
                open_orders,
            ),
            "no_order": no_order,
            "no_order_chart": _count_chart(
                "no-order-chart",
                _("Invoices without orders"),
                _(
                    "Invoices that name no order of the institution, by issue month; the "
                    "table below the chart gives their amounts."
                ),
                no_order,
            ),
            "demand": demand,
            "demand_chart": demand_chart(demand),
            "export_links": {
                table.replace("-", "_"): exports.export_links(request, table=table)
                for table in TABLES
            },
        }
    }


def export(request: HttpRequest, fmt: str, user: User, institution: Institution) -> HttpResponse:
    if not compliance.may_view(user, institution):
        raise PermissionDenied
    table = request.GET.get("table", "")
    today = _today()
    name = institution.short_name
    if table == "share":
        share = compliance.agreement_share(user, institution, today)
        return exports.export_response(
            fmt,
            f"aftaleandel-{name}",
            [_("Month"), _("On agreement"), _("Off agreement"), _("Total"), _("Share (%)")],
            [
                (_month_key(r.month), r.on_agreement, r.off_agreement, r.total, r.share)
                for r in share
            ],
            title=_("Spend on framework agreements per month"),
        )
    if table == "maverick":
        return exports.export_response(
            fmt,
            f"udenom-aftaler-{name}",
            [_("Supplier"), _("CVR number"), _("Invoice lines"), _("Amount (DKK)")],
            [
                (r.name, r.cvr, r.lines, r.amount)
                for r in compliance.maverick_spend(user, institution, today)
            ],
            title=_("Spend off agreements by supplier"),
        )
    if table in ("open-orders", "no-order"):
        rows = (
            compliance.open_orders_without_invoice(user, institution, today)
            if table == "open-orders"
            else compliance.invoices_without_order(user, institution, today)
        )
        title = (
            _("Open orders without invoices")
            if table == "open-orders"
            else _("Invoices without orders")
        )
        return exports.export_response(
            fmt,
            f"{'aabne-ordrer' if table == 'open-orders' else 'fakturaer-uden-ordre'}-{name}",
            [_("Month"), _("Number"), _("Amount (DKK)")],
            [(_month_key(r.month), r.count, r.amount) for r in rows],
            title=title,
        )
    if table == "demand":
        return exports.export_response(
            fmt,
            "efterspoergsel",
            [
                _("Contract reference"),
                _("Supplier"),
                _("Item number"),
                _("Product"),
                _("Unit"),
                _("Quantity"),
                _("Amount (DKK)"),
                _("Institutions"),
                _("Purchase orders"),
            ],
            [
                (
                    r.reference,
                    r.supplier,
                    r.item_number,
                    r.item,
                    r.unit,
                    r.quantity.normalize(),
                    r.amount,
                    r.institutions,
                    r.orders,
                )
                for r in compliance.joint_demand(user)
            ],
            title=_("Demand per agreement item"),
        )
    return HttpResponse(
        _("Choose a table to export: share, maverick, open-orders, no-order or demand."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )
