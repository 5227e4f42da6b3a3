"""Pending changes: every change to pay-relevant data waits for a second person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Refused, record_event, record_events_bulk, refusals_recorded
from faelles.payroll.models import (
    BankAccount,
    Employee,
    Employment,
    PayElement,
    PayrollSettings,
    Payslip,
    PendingChange,
    TaxCard,
)
from faelles.payroll.services.common import FINAL_STATES, _require_act
from faelles.tenancy.models import Institution, User

# --- pending changes ----------------------------------------------------------------------

_KIND_MODEL: dict[str, Any] = {
    PendingChange.Kind.EMPLOYMENT: Employment,
    PendingChange.Kind.PAY_ELEMENT: PayElement,
    PendingChange.Kind.TAX_CARD: TaxCard,
    PendingChange.Kind.BANK_ACCOUNT: BankAccount,
    PendingChange.Kind.SETTINGS: PayrollSettings,
}
_FORBIDDEN_KEYS = frozenset(
    {"id", "pk", "institution", "institution_id", "employee", "employee_id"}
)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Decimal | date):
            out[key] = str(value) if isinstance(value, Decimal) else value.isoformat()
        elif hasattr(value, "pk"):
            out[key + "_id" if not key.endswith("_id") else key] = value.pk
        else:
            out[key] = value
    return out


def _build_row(change: PendingChange, target: Any = None) -> Any:
    """The row the change would write (unsaved), validated with ``full_clean``."""
    model = _KIND_MODEL[change.kind]
    values = dict(change.values)
    if target is None:
        row = model(institution_id=change.institution_id)
        if hasattr(row, "employee_id"):
            row.employee_id = change.employee_id
    else:
        row = target
    for key, value in values.items():
        setattr(row, key, value)
    row.full_clean()
    errors: dict[str, list[str]] = {}
    # Foreign keys must stay in the institution (and with the employee).
    if isinstance(row, Employment) and row.org_unit.institution_id != change.institution_id:
        errors["org_unit_id"] = [_("The org unit belongs to another institution.")]
    if isinstance(row, PayElement) and (
        row.employment.institution_id != change.institution_id
        or row.employment.employee_id != change.employee_id
    ):
        errors["employment_id"] = [_("The employment belongs to another employee.")]
    if isinstance(row, PayElement):
        if row.kind == PayElement.Kind.HOURLY and (row.hours is None or row.rate is None):
            errors["hours"] = [_("Hourly pay needs hours and a rate.")]
        elif row.kind != PayElement.Kind.HOURLY and row.amount is None:
            errors["amount"] = [_("The element needs an amount.")]
    if errors:
        raise ValidationError(errors)
    return row


@refusals_recorded
@transaction.atomic
def change_propose(
    *,
    actor: User | None,
    employee: Employee,
    kind: str,
    values: dict[str, Any],
    effective_from: date,
    target: Any = None,
) -> PendingChange:
    """Propose a change to pay-relevant data; nothing changes until another person approves.

    ``target`` is the row to update (``None``: create one). The values are validated now, so a
    change that could never be applied is refused at once.
    """
    institution = employee.institution
    if actor is not None:
        _require_act(actor, institution, "payroll.change.propose", employee)
    if _FORBIDDEN_KEYS & set(values):
        raise ValidationError({"values": _("The change names a field that cannot change.")})
    if target is not None and (
        target.institution_id != employee.institution_id
        or getattr(target, "employee_id", employee.pk) != employee.pk
        or not isinstance(target, _KIND_MODEL[kind])
    ):
        raise ValidationError({"target": _("The row belongs to another employee.")})
    change = PendingChange(
        institution=institution,
        employee=employee,
        kind=kind,
        operation=PendingChange.Operation.UPDATE if target else PendingChange.Operation.CREATE,
        target_id=target.pk if target else None,
        values=_jsonable(values),
        effective_from=effective_from,
        made_by=actor,
    )
    change.full_clean()
    if target is not None:
        # Validate on a copy, so the caller's object is left as it was.
        _build_row(change, type(target).objects.get(pk=target.pk))
    else:
        _build_row(change)
    change.save()
    record_event(
        institution=institution,
        actor=actor,
        action="payroll.change.proposed",
        obj=change,
        details={
            "employee": employee.number,
            "kind": kind,
            "operation": change.operation,
            "target": change.target_id,
            "values": change.values,
            "effective_from": effective_from.isoformat(),
        },
    )
    return change


@refusals_recorded
@transaction.atomic
def settings_propose(
    *, actor: User | None, institution: Institution, values: dict[str, Any], effective_from: date
) -> PendingChange:
    """Propose the institution's payroll settings (rounding method, salary account); like
    every pay-relevant change they apply when a second person approves."""
    if actor is not None:
        _require_act(actor, institution, "payroll.change.propose")
    if _FORBIDDEN_KEYS & set(values):
        raise ValidationError({"values": _("The change names a field that cannot change.")})
    current = PayrollSettings.objects.filter(institution=institution).first()
    change = PendingChange(
        institution=institution,
        employee=None,
        kind=PendingChange.Kind.SETTINGS,
        operation=PendingChange.Operation.UPDATE if current else PendingChange.Operation.CREATE,
        target_id=current.pk if current else None,
        values=_jsonable(values),
        effective_from=effective_from,
        made_by=actor,
    )
    change.full_clean()
    _build_row(change, PayrollSettings.objects.get(pk=current.pk) if current else None)
    change.save()
    record_event(
        institution=institution,
        actor=actor,
        action="payroll.change.proposed",
        obj=change,
        details={"kind": change.kind, "operation": change.operation, "values": change.values},
    )
    return change


def settings_for(institution: Any) -> PayrollSettings:
    """The institution's approved settings (defaults until a change is approved)."""
    pk = institution if isinstance(institution, int) else institution.pk
    found = PayrollSettings.objects.filter(institution_id=pk).first()
    return found or PayrollSettings(institution_id=pk)


def change_approve(*, actor: User, change: PendingChange) -> PendingChange:
    """Approve one change (the batch path with one item)."""
    return changes_approve(actor=actor, changes=[change])[0]


@refusals_recorded
@transaction.atomic
def changes_approve(*, actor: User, changes: Sequence[PendingChange]) -> list[PendingChange]:
    """Approve and apply pending changes, in the order made. Refused as a whole when the
    approver made any of them (two-person rule) or holds no payroll role there."""
    if not changes:
        return []
    ids = sorted(c.pk for c in changes)
    locked = list(
        PendingChange.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("institution", "employee")
        .order_by("pk")
    )
    institutions = {c.institution_id: c.institution for c in locked}
    for institution in institutions.values():
        _require_act(actor, institution, "payroll.change.approve")
    for change in locked:
        if change.state != PendingChange.State.PENDING:
            raise ValidationError(
                {"state": _("Change %(id)s is not pending.") % {"id": change.pk}}, code="state"
            )
        if change.made_by_id is not None and change.made_by_id == actor.pk:
            raise Refused(
                _("A change must be approved by someone other than the person who made it."),
                code="self_approval",
                action="payroll.change.approve",
                institution=change.institution,
                obj=change,
            )
    now = timezone.now()
    final_ends = _final_period_ends({c.employee_id for c in locked if c.employee_id})
    retro: dict[int, date] = {}
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for change in locked:
        model = _KIND_MODEL[change.kind]
        target = (
            model.objects.select_for_update(of=("self",)).get(
                pk=change.target_id, institution=change.institution
            )
            if change.target_id
            else None
        )
        row = _build_row(change, target)
        row.save()
        change.state = PendingChange.State.APPROVED
        change.decided_by = actor
        change.decided_at = now
        change.applied_id = row.pk
        last_final = final_ends.get(change.employee_id) if change.employee_id else None
        if change.employee_id and last_final is not None and change.effective_from <= last_final:
            retro[change.employee_id] = min(
                retro.get(change.employee_id, change.effective_from), change.effective_from
            )
        events[change.institution_id].append(
            {
                "action": "payroll.change.approved",
                "obj": change,
                "details": {
                    "employee": change.employee.number if change.employee else None,
                    "kind": change.kind,
                    "applied": row.pk,
                    "made_by": change.made_by_id,
                    "retro": change.employee_id in retro,
                },
            }
        )
    PendingChange.objects.bulk_update(locked, ["state", "decided_by", "decided_at", "applied_id"])
    for employee_id, start in retro.items():
        Employee.objects.filter(pk=employee_id).filter(
            Q(retro_from__isnull=True) | Q(retro_from__gt=start)
        ).update(retro_from=start)
    for institution_id, evs in events.items():
        record_events_bulk(institution=institutions[institution_id], actor=actor, events=evs)
    return locked


def _final_period_ends(employee_ids: Iterable[int]) -> dict[int, date]:
    """The end of the latest approved or paid period of each employee."""
    out: dict[int, date] = {}
    rows = (
        Payslip.objects.filter(
            employee_id__in=list(employee_ids), run__state__in=FINAL_STATES, stopped=False
        )
        .values_list("employee_id", "run__period_end")
        .order_by()
    )
    for employee_id, end in rows:
        if employee_id not in out or end > out[employee_id]:
            out[employee_id] = end
    return out


@refusals_recorded
@transaction.atomic
def change_reject(*, actor: User, change: PendingChange, reason: str = "") -> PendingChange:
    """Reject a pending change: nothing is applied. The maker may withdraw their own."""
    change = PendingChange.objects.select_for_update(of=("self",)).get(pk=change.pk)
    _require_act(actor, change.institution, "payroll.change.reject", change)
    if change.state != PendingChange.State.PENDING:
        raise ValidationError({"state": _("The change is not pending.")}, code="state")
    change.state = PendingChange.State.REJECTED
    change.decided_by = None if change.made_by_id == actor.pk else actor
    change.decided_at = timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at"])
    record_event(
        institution=change.institution,
        actor=actor,
        action="payroll.change.rejected",
        obj=change,
        details={"reason": reason[:200]},
    )
    return change
