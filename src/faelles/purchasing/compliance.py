"""Compliance and joint purchasing (issue 13, item 4): reads, each a few set-based queries
through the access gate.

Per institution and month (the invoice's issue date):

* spend on framework agreements: an invoice line is *on-agreement* when its vendor's CVR is
  the supplier of an agreement that is active, covers the invoice's institution and is in
  force on the invoice's issue date, and the line's item (its text, case-insensitively) is an
  item of one of that agreement's accepted catalogue versions (active or superseded; the
  invoice keeps no item number, so the name is the key). Spend is the lines' net amount in
  DKK; a credit note counts negative; rejected invoices, duplicates and invoices in another
  currency are left out;
* maverick spend (the off-agreement lines) by supplier;
* open orders without invoices: orders neither rejected nor cancelled that no invoice of the
  institution names (``OrderReference``), by the month the order was issued;
* invoices without orders: invoices that name no order of the institution.

Across the institutions the reader oversees (the operator's staff: every institution they
serve), the demand per agreement item: the quantity and net amount ordered (orders neither
rejected nor cancelled) per agreement reference, supplier and item, for joint purchasing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import TruncMonth

from faelles.core.access import restrict, user_can
from faelles.payables.models import Invoice, InvoiceLine, InvoiceState
from faelles.purchasing.models import (
    CatalogueItem,
    CatalogueStatus,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
)
from faelles.purchasing.selectors import OVERSEER_ROLES
from faelles.tenancy.models import Institution, User

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONTHS = 12
#: Who reads the compliance figures: those who see all of an institution's orders.
COMPLIANCE_ROLES = OVERSEER_ROLES
CLOSED_ORDER_STATES = (OrderState.REJECTED, OrderState.CANCELLED)


def _money(value: object) -> Decimal:
    """A sum as read from the database (SQLite drops the scale), to the øre."""
    return Decimal(str(value or 0)).quantize(CENT)


def may_view(user: User, institution: Institution | None) -> bool:
    return institution is not None and user_can(user, institution, COMPLIANCE_ROLES)


def months_until(last: date, count: int = MONTHS) -> list[date]:
    """The first days of the ``count`` months ending with ``last``'s month, oldest first."""
    year, month = last.year, last.month
    out = []
    for _i in range(count):
        out.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class MonthShare:
    month: date
    on_agreement: Decimal
    off_agreement: Decimal

    @property
    def total(self) -> Decimal:
        return self.on_agreement + self.off_agreement

    @property
    def share(self) -> Decimal | None:
        """Percent of the spend on agreements, one decimal; None without spend."""
        if not self.total:
            return None
        return (self.on_agreement * 100 / self.total).quantize(Decimal("0.1"))


@dataclass(frozen=True, slots=True)
class SupplierSpend:
    name: str
    cvr: str
    amount: Decimal
    lines: int


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: date
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Demand:
    reference: str
    supplier: str
    item_number: str
    item: str
    unit: str
    quantity: Decimal
    amount: Decimal
    institutions: int
    orders: int


def _invoices(user: User, institution: Institution) -> QuerySet[Invoice]:
    """The institution's invoices that count as spend (through the gate)."""
    return (
        restrict(Invoice, user=user, institution=institution, roles=COMPLIANCE_ROLES)
        .filter(currency="DKK", duplicate_of__isnull=True)
        .exclude(state=InvoiceState.REJECTED)
    )


def on_agreement_lines() -> Exists:
    """``Exists`` for an :class:`InvoiceLine` queryset: the line is on an agreement."""
    return Exists(
        CatalogueItem.objects.filter(
            catalogue__status__in=(CatalogueStatus.ACTIVE, CatalogueStatus.SUPERSEDED),
            catalogue__agreement__is_active=True,
            catalogue__agreement__supplier_scheme="0184",
            catalogue__agreement__supplier_endpoint=OuterRef("invoice__vendor__cvr"),
            catalogue__agreement__valid_from__lte=OuterRef("invoice__issue_date"),
            catalogue__agreement__valid_to__gte=OuterRef("invoice__issue_date"),
            catalogue__agreement__coverage__institution=OuterRef("invoice__institution"),
            name__iexact=OuterRef("description"),
        )
    )


def _signed_amount() -> Case:
    return Case(
        When(invoice__kind=Invoice.Kind.CREDIT_NOTE, then=-F("net_amount")),
        default=F("net_amount"),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


def _lines(user: User, institution: Institution, first: date, end: date) -> QuerySet[InvoiceLine]:
    invoices = _invoices(user, institution).filter(issue_date__gte=first, issue_date__lt=end)
    return InvoiceLine.objects.filter(
        institution=institution, invoice__in=invoices.values("pk")
    ).annotate(on_agreement=on_agreement_lines(), signed=_signed_amount())


def agreement_share(user: User, institution: Institution, last: date) -> list[MonthShare]:
    """Spend on and off agreements per month, for the ``MONTHS`` months ending with
    ``last``'s month (one query)."""
    months = months_until(last)
    rows = (
        _lines(user, institution, months[0], _next_month(months[-1]))
        .annotate(month=TruncMonth("invoice__issue_date"))
        .values("month", "on_agreement")
        .annotate(amount=Sum("signed"))
        .order_by()
    )
    found: dict[tuple[date, bool], Decimal] = {}
    for row in rows:
        month = row["month"]
        month = date(month.year, month.month, 1)
        found[(month, bool(row["on_agreement"]))] = _money(row["amount"])
    return [MonthShare(m, found.get((m, True), ZERO), found.get((m, False), ZERO)) for m in months]


def maverick_spend(user: User, institution: Institution, last: date) -> list[SupplierSpend]:
    """The off-agreement spend of the ``MONTHS`` months ending with ``last``'s month, per
    supplier, largest first."""
    months = months_until(last)
    rows = (
        _lines(user, institution, months[0], _next_month(months[-1]))
        .filter(~on_agreement_lines())
        .values("invoice__vendor__name", "invoice__vendor__cvr")
        .annotate(amount=Sum("signed"), lines=Count("pk"))
        .order_by("-amount", "invoice__vendor__name")
    )
    return [
        SupplierSpend(
            r["invoice__vendor__name"],
            r["invoice__vendor__cvr"],
            _money(r["amount"]),
            r["lines"],
        )
        for r in rows
    ]


def _orders(user: User, institution: Institution) -> QuerySet[PurchaseOrder]:
    return restrict(
        PurchaseOrder, user=user, institution=institution, roles=COMPLIANCE_ROLES
    ).exclude(state__in=CLOSED_ORDER_STATES)


def _by_month(rows: QuerySet, field: str, months: list[date]) -> list[MonthCount]:  # type: ignore[type-arg]
    found: dict[date, tuple[int, Decimal]] = {}
    for row in (
        rows.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"), amount=Sum("net"))
        .order_by()
    ):
        month = date(row["month"].year, row["month"].month, 1)
        found[month] = (row["n"], _money(row["amount"]))
    return [MonthCount(m, *found.get(m, (0, ZERO))) for m in months]


def open_orders_without_invoice(
    user: User, institution: Institution, last: date
) -> list[MonthCount]:
    """Orders neither rejected nor cancelled that no invoice names, by month of issue."""
    months = months_until(last)
    invoiced = Invoice.objects.filter(
        institution=institution, order_reference=OuterRef("number")
    ).exclude(state=InvoiceState.REJECTED)
    orders = (
        _orders(user, institution)
        .filter(issue_date__gte=months[0], issue_date__lt=_next_month(months[-1]))
        .filter(~Exists(invoiced))
        .annotate(net=F("net_amount"))
    )
    return _by_month(orders, "issue_date", months)


def invoices_without_order(user: User, institution: Institution, last: date) -> list[MonthCount]:
    """Invoices (not credit notes) that name no order of the institution, by issue month."""
    months = months_until(last)
    ours = PurchaseOrder.objects.filter(institution=institution, number=OuterRef("order_reference"))
    invoices = (
        _invoices(user, institution)
        .filter(kind=Invoice.Kind.INVOICE)
        .filter(issue_date__gte=months[0], issue_date__lt=_next_month(months[-1]))
        .filter(~Exists(ours))
        .annotate(net=F("net_amount"))
    )
    return _by_month(invoices, "issue_date", months)


def joint_demand(user: User) -> list[Demand]:
    """What the institutions ``user`` oversees (for the operator's staff: every institution
    they serve) ordered per agreement item, largest amount first."""
    lines = restrict(PurchaseOrderLine, user=user, roles=COMPLIANCE_ROLES)
    rows = (
        lines.exclude(order__state__in=CLOSED_ORDER_STATES)
        .values(
            "order__agreement__reference",
            "order__agreement__supplier_name",
            "sellers_id",
            "name",
            "unit",
        )
        .annotate(
            quantity=Sum("quantity"),
            amount=Sum("net_amount"),
            institutions=Count("institution", distinct=True),
            orders=Count("order", distinct=True),
        )
        .order_by("-amount", "order__agreement__reference", "sellers_id", "name")
    )
    return [
        Demand(
            r["order__agreement__reference"],
            r["order__agreement__supplier_name"],
            r["sellers_id"],
            r["name"],
            r["unit"],
            Decimal(r["quantity"] or 0),
            _money(r["amount"]),
            r["institutions"],
            r["orders"],
        )
        for r in rows
    ]


__all__ = [
    "COMPLIANCE_ROLES",
    "agreement_share",
    "invoices_without_order",
    "joint_demand",
    "maverick_spend",
    "may_view",
    "open_orders_without_invoice",
]
