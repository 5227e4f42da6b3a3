"""The operator's staff and their roles (the operator audit chain)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event, refusals_recorded
from faelles.tenancy import access
from faelles.tenancy.models import Operator, OperatorStaff, User
from faelles.tenancy.services.common import clean_save, refuse_self_grant, require_allowed


@refusals_recorded
@transaction.atomic
def operator_staff_grant(
    *, actor: User | None, operator: Operator, user: User, role: str
) -> OperatorStaff:
    """Put a user on the operator's staff in a role (re-activates a revoked one)."""
    require_allowed(
        actor,
        actor is not None and access.can_manage_operator_staff(actor),
        action="operator_staff.grant",
        institution=None,
    )
    refuse_self_grant(actor, user, None, action="operator_staff.grant")
    staff = (
        OperatorStaff.objects.select_for_update()
        .filter(operator=operator, user=user, role=role)
        .first()
    )
    if staff is not None and staff.is_active:
        return staff
    if staff is None:
        staff = OperatorStaff(operator=operator, user=user, role=role)
    staff.is_active = True
    clean_save(staff)
    record_event(
        institution=None,
        actor=actor,
        action="operator_staff.grant",
        obj=staff,
        details={"user": user.pk, "role": role, "operator": operator.pk},
    )
    return staff


@refusals_recorded
@transaction.atomic
def operator_staff_revoke(*, actor: User | None, staff: OperatorStaff) -> OperatorStaff:
    require_allowed(
        actor,
        actor is not None and access.can_manage_operator_staff(actor),
        action="operator_staff.revoke",
        institution=None,
        obj=staff,
    )
    if actor is not None and staff.user_id == actor.pk:
        raise ValidationError(_("You cannot revoke your own staff role."))
    if not staff.is_active:
        return staff
    staff.is_active = False
    clean_save(staff)
    record_event(
        institution=None,
        actor=actor,
        action="operator_staff.revoke",
        obj=staff,
        details={"user": staff.user_id, "role": staff.role},
    )
    return staff
