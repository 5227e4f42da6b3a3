"""Matching an incoming invoice against the purchase order its OrderReference names.

Registered with ``faelles.payables.order_matching`` when Django starts (payables sits below
purchasing and never imports it). For each invoice of a batch that names one of the
institution's orders, line by line: the invoice line is the order line with the same line id,
else the one with the same item name; its unit price must be the order's within the
institution's price tolerance, and the quantity invoiced may not exceed the quantity received
(plus the quantity tolerance). A matched invoice takes the order's coding (account, cost
centre, purpose) for every line and counts as attested by the requester's goods receipt; a
mismatch says which line and why (ordered vs received vs invoiced, price against the order).

Where the institution has switched on ``MatchTolerance.approve_when_order_covers``, a matched
invoice in the order's currency whose net amount (excl. VAT, as the order's) does not exceed
the order's net amount plus the price tolerance is covered by the requisition's approval: the
answer names the person who approved the requisition (``OrderMatch.approved_by``), and
payables approves it as them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from faelles.payables.coding import AllocationSpec, default_vat_code
from faelles.payables.models import Invoice, InvoiceLine
from faelles.payables.order_matching import OrderMatch
from faelles.purchasing.models import (
    MatchTolerance,
    PurchaseOrder,
    PurchaseOrderLine,
    RequisitionState,
)
from faelles.tenancy.models import Institution

HUNDRED = Decimal(100)


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f")


def match_invoices(
    institution: Institution, invoices: Sequence[tuple[Invoice, Sequence[InvoiceLine]]]
) -> list[OrderMatch | None]:
    """One answer per invoice: ``None`` when it names no order of the institution."""
    refs = {inv.order_reference.strip() for inv, _lines in invoices if inv.order_reference}
    # Locked: the lines' invoiced quantities change with the match (in intake's transaction).
    orders = {
        order.number: order
        for order in PurchaseOrder.objects.for_institution(institution)
        .filter(number__in=refs)
        .select_for_update(of=("self",))
        .select_related("agreement", "requisition")
        .prefetch_related("lines")
        .order_by("pk")
    }
    tolerance = MatchTolerance.objects.filter(institution=institution).first()
    price_tol = tolerance.price_percent if tolerance else Decimal(0)
    qty_tol = tolerance.quantity_percent if tolerance else Decimal(0)
    covers = bool(tolerance and tolerance.approve_when_order_covers)
    out: list[OrderMatch | None] = []
    # The order lines whose invoiced quantity the batch's matches changed: written once, at
    # the end (a later invoice of the batch sees an earlier one's quantities in memory: the
    # lines are the same objects).
    changed: dict[int, PurchaseOrderLine] = {}
    for invoice, lines in invoices:
        order = orders.get(invoice.order_reference.strip())
        if invoice.is_credit_note:  # a credit note is settled by hand against its invoice
            order = None
        if order is None:
            out.append(None)
            continue
        match = _match(invoice, lines, order, price_tol, qty_tol, changed)
        if covers and match.matched:
            match = dataclasses.replace(match, approved_by=_covering(invoice, order, price_tol))
        out.append(match)
    if changed:
        PurchaseOrderLine.objects.bulk_update(list(changed.values()), ["invoiced"])
    return out


def _covering(invoice: Invoice, order: PurchaseOrder, price_tol: Decimal) -> int | None:
    """The requisition's approver when the order's approval covers the invoice: same
    currency, and its net amount within the order's plus the price tolerance."""
    requisition = order.requisition
    if requisition.state != RequisitionState.ORDERED or requisition.decided_by_id is None:
        return None
    if invoice.currency != order.currency:
        return None
    if invoice.net_amount > order.net_amount * (1 + price_tol / HUNDRED):
        return None
    return requisition.decided_by_id


def _order_line(
    order_lines: list[PurchaseOrderLine], line: InvoiceLine
) -> PurchaseOrderLine | None:
    by_id = next((o for o in order_lines if o.line_id == line.line_id), None)
    if by_id is not None:
        return by_id
    name = line.description.strip().casefold()
    return next((o for o in order_lines if o.name.strip().casefold() == name), None)


def _match(
    invoice: Invoice,
    lines: Sequence[InvoiceLine],
    order: PurchaseOrder,
    price_tol: Decimal,
    qty_tol: Decimal,
    changed: dict[int, PurchaseOrderLine],
) -> OrderMatch:
    problems: list[tuple[int | None, str]] = []
    agreement = order.agreement
    vendor = invoice.vendor
    if (
        agreement.supplier_scheme == "0184"
        and vendor.cvr
        and vendor.cvr != agreement.supplier_endpoint
    ):
        problems.append(
            (
                None,
                _(
                    "The invoice is from CVR %(cvr)s; order %(order)s was sent to %(supplier)s "
                    "(CVR %(supplier_cvr)s)."
                )
                % {
                    "cvr": vendor.cvr,
                    "order": order.number,
                    "supplier": agreement.supplier_name,
                    "supplier_cvr": agreement.supplier_endpoint,
                },
            )
        )
    if order.state in {"rejected", "cancelled"}:
        problems.append(
            (
                None,
                _("Order %(order)s is %(state)s.")
                % {"order": order.number, "state": order.get_state_display().lower()},
            )
        )
    order_lines = list(order.lines.all())
    specs: list[AllocationSpec] = []
    for line in lines:
        target = _order_line(order_lines, line)
        label = _("Line %(no)s (%(item)s)") % {
            "no": line.line_no,
            "item": line.description or line.line_id,
        }
        if target is None:
            problems.append(
                (
                    line.line_no,
                    _("%(line)s: not on order %(order)s.") % {"line": label, "order": order.number},
                )
            )
            continue
        quantity = line.quantity if line.quantity is not None else Decimal(0)
        allowed = target.received * (1 + qty_tol / HUNDRED) - target.invoiced
        if quantity > allowed and target.invoiced:
            problems.append(
                (
                    line.line_no,
                    _(
                        "%(line)s: ordered %(ordered)s, received %(received)s, invoiced "
                        "%(invoiced)s, of which %(before)s on earlier invoices."
                    )
                    % {
                        "line": label,
                        "ordered": _n(target.quantity),
                        "received": _n(target.received),
                        "invoiced": _n(target.invoiced + quantity),
                        "before": _n(target.invoiced),
                    },
                )
            )
        elif quantity > allowed:
            problems.append(
                (
                    line.line_no,
                    _(
                        "%(line)s: ordered %(ordered)s, received %(received)s, invoiced %(invoiced)s."
                    )
                    % {
                        "line": label,
                        "ordered": _n(target.quantity),
                        "received": _n(target.received),
                        "invoiced": _n(quantity),
                    },
                )
            )
        if quantity:
            unit_price = line.net_amount / quantity
            limit = target.unit_price * price_tol / HUNDRED
            if abs(unit_price - target.unit_price) > limit:
                problems.append(
                    (
                        line.line_no,
                        _("%(line)s: unit price %(price)s against %(ordered)s on the order.")
                        % {
                            "line": label,
                            "price": _n(unit_price.quantize(Decimal("0.0001"))),
                            "ordered": _n(target.unit_price),
                        },
                    )
                )
        specs.append(
            AllocationSpec(
                line_no=line.line_no,
                account=order.account,
                amount=line.net_amount,
                org_unit=order.org_unit,
                purpose=order.purpose,
                vat_code=default_vat_code(line),
            )
        )
    if problems:
        return OrderMatch(order=order.number, problems=problems)
    for line in lines:
        target = _order_line(order_lines, line)
        assert target is not None
        target.invoiced += line.quantity or Decimal(0)
        changed[target.pk] = target
    return OrderMatch(order=order.number, specs=specs, attested_by=order.requisition.requester_id)
