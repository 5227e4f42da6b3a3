"""Human, translatable words for the history of operator economics: a label per audit action
and per detail key its events record (collected by ``faelles.web.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "economics.price.set": _("Service price set"),
    "economics.price.set.refused": _("Setting the service price refused"),
    "economics.billing.set": _("Operator billing details set"),
    "economics.billing.set.refused": _("Setting the operator billing details refused"),
    "economics.charge.issued": _("Monthly charge invoiced"),
    "economics.charge.run.refused": _("Charging the month refused"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "operator": _("Operator"),
    "measure": _("Service"),
    "valid_from": _("Valid from"),
    "valid_to": _("Valid to"),
    "tiers": _("Volume bands"),
    "books": _("Books kept in"),
    "vat_rate": _("VAT rate (%)"),
    "payment_days": _("Days to pay"),
    "number": _("Invoice number"),
    "period": _("Month"),
    "volumes": _("Volumes"),
    "net": _("Net (DKK)"),
    "vat": _("VAT (DKK)"),
    "total": _("Total (DKK)"),
    "delivery": _("Delivery"),
}
