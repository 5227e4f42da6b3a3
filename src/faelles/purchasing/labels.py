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
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "reference": _("Contract reference"),
    "supplier": _("Supplier"),
    "valid_from": _("Valid from"),
    "valid_to": _("Valid to"),
    "price_basis": _("Price basis"),
    "covered": _("Institutions covered"),
    "sha256": _("Content hash"),
    "size": _("Size"),
    "channel": _("Channel"),
    "document": _("Document"),
    "document_id": _("Document id"),
    "reason": _("Reason"),
    "catalogue": _("Catalogue"),
    "version": _("Version"),
    "response": _("Response"),
    "item": _("Item"),
    "quantity": _("Quantity"),
    "line": _("Line"),
    "lines": _("Lines"),
    "number": _("Number"),
    "amount": _("Amount"),
    "limit": _("Approval limit"),
    "account": _("Account"),
    "org_unit": _("Cost centre"),
    "purpose": _("Purpose"),
    "order": _("Order"),
    "code": _("Response code"),
    "old_state": _("Previous state"),
    "state": _("State"),
    "codes": _("Reasons"),
}
