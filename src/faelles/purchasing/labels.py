"""Human, translatable words for the purchasing history: a label per audit action and per
detail key its events record (collected by ``faelles.web.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "purchasing.agreement.create": _("Framework agreement registered"),
    "purchasing.document.receive": _("Ordering document received"),
    "purchasing.document.applied": _("Ordering document applied"),
    "purchasing.document.rejected": _("Ordering document rejected"),
    "purchasing.document.unroutable": _("Ordering document could not be routed"),
    "purchasing.basket.add": _("Item put in the basket"),
    "purchasing.basket.change": _("Basket changed"),
    "purchasing.requisition.submit": _("Requisition sent for approval"),
    "purchasing.requisition.approve": _("Requisition approved"),
    "purchasing.requisition.approve.refused": _("Approval of the requisition refused"),
    "purchasing.requisition.reject": _("Requisition rejected"),
    "purchasing.requisition.reject.refused": _("Rejection of the requisition refused"),
    "purchasing.order.send": _("Order sent to the supplier"),
    "purchasing.order.response": _("Supplier's order response applied"),
    "purchasing.order.despatch": _("Despatch advice applied"),
    "purchasing.order.change": _("Order change applied"),
    "purchasing.order.cancel": _("Order cancelled"),
    "purchasing.order.receive": _("Goods received"),
    "purchasing.tolerance.set": _("Matching tolerances set"),
}

# Keys other apps label already (reference, valid_from, account, amount, state, codes ...)
# are not repeated here: the registry has one label per key.
DETAIL_LABELS: dict[str, str | Promise] = {
    "supplier": _("Supplier"),
    "price_basis": _("Price basis"),
    "covered": _("Institutions covered"),
    "document_id": _("Document id"),
    "catalogue": _("Catalogue"),
    "response": _("Response"),
    "item": _("Product"),
    "line": _("Line"),
    "limit": _("Approval limit"),
    "order": _("Purchase order"),
    "old_state": _("Previous state"),
    "matched": _("Matched"),
    "price_percent": _("Price tolerance (%)"),
    "quantity_percent": _("Quantity tolerance (%)"),
    "problems": _("Differences"),
    "approve_when_order_covers": _("Approve a matched invoice the order covers"),
    "old_approve_when_order_covers": _("Before: approve a matched invoice the order covers"),
}
