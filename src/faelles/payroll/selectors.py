"""Reads of the payroll app: who sees which runs, payslips and pending changes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from faelles.payroll import access
from faelles.payroll.models import PayRun, Payslip, PendingChange
from faelles.payroll.outputs import FINAL_FOR_OUTPUT


def runs_for(user: Any, institution: Any) -> QuerySet[PayRun]:
    qs: QuerySet[PayRun] = access.payroll_rows(PayRun, user, institution)
    return qs.select_related("institution").order_by("-period_start", "frequency")


def pending_changes_for(user: Any, institution: Any) -> QuerySet[PendingChange]:
    qs: QuerySet[PendingChange] = access.payroll_rows(PendingChange, user, institution)
    return qs.filter(state=PendingChange.State.PENDING).select_related("employee", "made_by")


def own_payslips(user: Any) -> QuerySet[Payslip]:
    """Self-service: the user's own payslips of final runs (never a draft, never a stopped
    one), whatever institution they are paid by."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Payslip.objects.none()
    return (
        Payslip.objects.filter(employee__user=user, run__state__in=FINAL_FOR_OUTPUT, stopped=False)
        .select_related("run", "run__institution", "employee")
        .order_by("-run__period_start")
    )


def access_payslip(user: Any, pk: Any) -> tuple[Payslip, bool]:
    """A payslip the user may read: their own (self-service) or one of an institution where
    they see the payroll; ``(payslip, as officer)``. 404 for missing and foreign alike."""
    own = own_payslips(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if own is not None and not access.may_view(user, own.institution):
        return own, False
    slip: Payslip = access.access_payroll_object(
        Payslip.objects.select_related("run", "run__institution", "employee"), user, pk
    )
    return slip, True


def access_run(user: Any, pk: Any) -> PayRun:
    run: PayRun = access.access_payroll_object(
        PayRun.objects.select_related("institution", "entry"), user, pk
    )
    return run


def access_change(user: Any, pk: Any) -> PendingChange:
    change: PendingChange = access.access_payroll_object(PendingChange, user, pk)
    return change


def not_found() -> Http404:
    return Http404()
