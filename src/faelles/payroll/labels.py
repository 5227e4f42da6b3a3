"""Human, translatable words for the payroll history: a label per audit action and per detail
key its events record (collected by ``faelles.web.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "payroll.employee.created": _("Employee created"),
    "payroll.employee.updated": _("Employee changed"),
    "payroll.employee.update.refused": _("Changing the employee refused"),
    "payroll.change.proposed": _("Pay change proposed"),
    "payroll.change.approve": _("Pay change approved"),
    "payroll.change.approve.refused": _("Approving the pay change refused"),
    "payroll.change.approved": _("Pay change approved"),
    "payroll.change.rejected": _("Pay change rejected"),
    "payroll.payslip.stop": _("Pay stopped"),
    "payroll.payslip.stop.refused": _("Stopping the pay refused"),
    "payroll.payslip.stopped": _("Pay stopped"),
    "payroll.run.created": _("Pay run created"),
    "payroll.run.calculated": _("Pay run calculated"),
    "payroll.run.approved": _("Pay run approved"),
    "payroll.run.second_approved": _("Pay run approved a second time"),
    "payroll.run.paid": _("Pay run paid"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "applied": _("Applied"),
    "effective_from": _("Effective from"),
    "employee": _("Employee"),
    "frequency": _("Frequency"),
    "made_by": _("Proposed by"),
    "operation": _("Operation"),
    "payment_entry": _("Payment entry"),
    "retro": _("Retro corrections"),
    "target": _("Changed record"),
    "values": _("New values"),
}
