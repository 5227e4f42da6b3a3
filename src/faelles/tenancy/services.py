"""Every write to tenancy data.

Each service is keyword-only, takes the acting user as ``actor=``, runs in one transaction,
validates with ``full_clean()`` (nothing is saved when validation fails) and records an audit
event in the same transaction. ``actor=None`` means the system itself (management commands,
the demo loader); a real actor is checked against :mod:`faelles.tenancy.access` first.

Changes to the operator's own records (institutions, users, operator staff) go to the operator
audit chain; everything inside an institution goes to that institution's chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.tenancy import access
from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Membership,
    Operator,
    OperatorStaff,
    OrgUnit,
    Responsibility,
    ServiceAgreement,
    User,
)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _allowed(actor: User | None, allowed: bool) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied(_("You may not make this change."))


def _audit_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def _apply(obj: models.Model, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields (skipping UNSET) and return ``{field: [old, new]}`` of real changes."""
    diff: dict[str, list[Any]] = {}
    for field, new in changes.items():
        if new is UNSET:
            continue
        old = getattr(obj, field)
        if _audit_value(old) != _audit_value(new):
            diff[field] = [_audit_value(old), _audit_value(new)]
        setattr(obj, field, new)
    return diff


def _save(obj: models.Model) -> None:
    obj.full_clean()
    obj.save()


# --- operator -------------------------------------------------------------------------------


@transaction.atomic
def operator_create(*, actor: User | None, name: str, cvr: str) -> Operator:
    """Register the organisation that runs the shared solution (system or superuser only)."""
    _allowed(actor, actor is not None and actor.is_superuser)
    operator = Operator(name=name, cvr=cvr)
    _save(operator)
    record_event(
        institution=None,
        actor=actor,
        action="operator.create",
        obj=operator,
        details={"name": operator.name, "cvr": operator.cvr},
    )
    return operator


@transaction.atomic
def operator_update(
    *, actor: User | None, operator: Operator, name: str = UNSET, cvr: str = UNSET
) -> Operator:
    _allowed(actor, actor is not None and actor.is_superuser)
    diff = _apply(operator, {"name": name, "cvr": cvr})
    _save(operator)
    if diff:
        record_event(
            institution=None, actor=actor, action="operator.update", obj=operator, details=diff
        )
    return operator


# --- institutions ---------------------------------------------------------------------------


@transaction.atomic
def institution_create(
    *,
    actor: User | None,
    name: str,
    short_name: str,
    kind: str,
    cvr: str = "",
    parent: Institution | None = None,
    requires_two_persons: bool = True,
) -> Institution:
    """A new customer institution (tenant) under an optional parent (ministry → agency)."""
    _allowed(actor, actor is not None and access.can_manage_institutions(actor))
    institution = Institution(
        name=name,
        short_name=short_name,
        kind=kind,
        cvr=cvr,
        parent=parent,
        requires_two_persons=requires_two_persons,
    )
    _save(institution)
    record_event(
        institution=None,
        actor=actor,
        action="institution.create",
        obj=institution,
        details={
            "name": institution.name,
            "short_name": institution.short_name,
            "kind": institution.kind,
            "cvr": institution.cvr,
            "parent": institution.parent_id,
        },
    )
    return institution


@transaction.atomic
def institution_update(
    *,
    actor: User | None,
    institution: Institution,
    name: str = UNSET,
    short_name: str = UNSET,
    kind: str = UNSET,
    cvr: str = UNSET,
    parent: Institution | None = UNSET,
    requires_two_persons: bool = UNSET,
    is_active: bool = UNSET,
) -> Institution:
    _allowed(actor, actor is not None and access.can_manage_institution(actor, institution))
    diff = _apply(
        institution,
        {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "cvr": cvr,
            "parent": parent,
            "requires_two_persons": requires_two_persons,
            "is_active": is_active,
        },
    )
    _save(institution)
    if diff:
        record_event(
            institution=None,
            actor=actor,
            action="institution.update",
            obj=institution,
            details=diff,
        )
    return institution


# --- org units ------------------------------------------------------------------------------


@transaction.atomic
def org_unit_create(
    *,
    actor: User | None,
    institution: Institution,
    code: str,
    name: str,
    parent: OrgUnit | None = None,
) -> OrgUnit:
    """A unit (cost centre) inside an institution; the parent must be in the same one."""
    _allowed(actor, actor is not None and access.can_manage_org_units(actor, institution))
    unit = OrgUnit(institution=institution, code=code, name=name, parent=parent)
    _save(unit)
    record_event(
        institution=institution,
        actor=actor,
        action="org_unit.create",
        obj=unit,
        details={"code": unit.code, "name": unit.name, "parent": unit.parent_id},
    )
    return unit


@transaction.atomic
def org_unit_update(
    *,
    actor: User | None,
    org_unit: OrgUnit,
    code: str = UNSET,
    name: str = UNSET,
    parent: OrgUnit | None = UNSET,
    is_active: bool = UNSET,
) -> OrgUnit:
    _allowed(actor, actor is not None and access.can_manage_org_units(actor, org_unit.institution))
    if is_active is False:
        _refuse_active_children(org_unit)
    diff = _apply(org_unit, {"code": code, "name": name, "parent": parent, "is_active": is_active})
    _save(org_unit)
    if diff:
        record_event(
            institution=org_unit.institution,
            actor=actor,
            action="org_unit.update",
            obj=org_unit,
            details=diff,
        )
    return org_unit


def _refuse_active_children(org_unit: OrgUnit) -> None:
    children = list(
        OrgUnit.objects.filter(parent=org_unit, is_active=True).values_list("code", flat=True)
    )
    if children:
        raise ValidationError(
            {
                "is_active": _(
                    "Deactivate the sub-units first (%(codes)s); they still belong to this unit."
                )
                % {"codes": ", ".join(sorted(children))}
            }
        )


@transaction.atomic
def org_unit_deactivate(*, actor: User | None, org_unit: OrgUnit) -> OrgUnit:
    """Close a unit for new use; history that refers to it stays."""
    return org_unit_update(actor=actor, org_unit=org_unit, is_active=False)


# --- endpoints ------------------------------------------------------------------------------


@transaction.atomic
def endpoint_create(
    *,
    actor: User | None,
    institution: Institution,
    scheme: str,
    identifier: str,
    org_unit: OrgUnit | None = None,
    description: str = "",
) -> Endpoint:
    """An EAN/GLN (0088) or CVR (0184) address; it routes to this institution only."""
    _allowed(actor, actor is not None and access.can_manage_endpoints(actor, institution))
    endpoint = Endpoint(
        institution=institution,
        scheme=scheme,
        identifier=identifier,
        org_unit=org_unit,
        description=description,
    )
    _save(endpoint)
    record_event(
        institution=institution,
        actor=actor,
        action="endpoint.create",
        obj=endpoint,
        details={
            "scheme": endpoint.scheme,
            "identifier": endpoint.identifier,
            "org_unit": endpoint.org_unit_id,
        },
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    actor: User | None,
    endpoint: Endpoint,
    scheme: str = UNSET,
    identifier: str = UNSET,
    org_unit: OrgUnit | None = UNSET,
    description: str = UNSET,
    is_active: bool = UNSET,
) -> Endpoint:
    _allowed(actor, actor is not None and access.can_manage_endpoints(actor, endpoint.institution))
    diff = _apply(
        endpoint,
        {
            "scheme": scheme,
            "identifier": identifier,
            "org_unit": org_unit,
            "description": description,
            "is_active": is_active,
        },
    )
    _save(endpoint)
    if diff:
        record_event(
            institution=endpoint.institution,
            actor=actor,
            action="endpoint.update",
            obj=endpoint,
            details=diff,
        )
    return endpoint


@transaction.atomic
def endpoint_deactivate(*, actor: User | None, endpoint: Endpoint) -> Endpoint:
    """Stop routing to this address (the address stays reserved for the institution)."""
    return endpoint_update(actor=actor, endpoint=endpoint, is_active=False)


# --- users ----------------------------------------------------------------------------------


def _set_password(user: User, password: str | None) -> None:
    if password is None:
        user.set_unusable_password()
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    display_name: str = "",
    is_active: bool = True,
) -> User:
    """A person who can log in (once a membership or staff role gives them somewhere to work).

    Without a password the account cannot log in until one is set.
    """
    _allowed(actor, actor is not None and access.can_create_users(actor))
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        display_name=display_name,
        is_active=is_active,
    )
    _set_password(user, password)
    _save(user)
    record_event(
        institution=None,
        actor=actor,
        action="user.create",
        obj=user,
        details={"username": user.username, "is_active": user.is_active},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    first_name: str = UNSET,
    last_name: str = UNSET,
    email: str = UNSET,
    display_name: str = UNSET,
    is_active: bool = UNSET,
    password: str | None = UNSET,
) -> User:
    """Change a user's details; ``password`` sets a new one (never written to the audit)."""
    _allowed(actor, actor is not None and access.can_manage_user(actor, user))
    diff = _apply(
        user,
        {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "display_name": display_name,
            "is_active": is_active,
        },
    )
    if password is not UNSET:
        _set_password(user, password)
        diff["password"] = ["", "changed"]
    _save(user)
    if diff:
        record_event(institution=None, actor=actor, action="user.update", obj=user, details=diff)
    return user


@transaction.atomic
def user_change_own_password(*, actor: User, old_password: str, new_password: str) -> User:
    """A logged-in user changes their own password (the old one must be given)."""
    if not actor.is_authenticated or not actor.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    _set_password(actor, new_password)
    actor.save(update_fields=["password"])
    record_event(
        institution=None,
        actor=actor,
        action="user.password_change",
        obj=actor,
        details={"password": ["", "changed"]},
    )
    return actor


# --- memberships ----------------------------------------------------------------------------


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    institution: Institution,
    user: User,
    role: str,
    approval_limit: Decimal | None = None,
    org_unit: OrgUnit | None = None,
) -> Membership:
    """Give ``user`` a role in ``institution`` (an approver with an approval limit).

    Granting a role the user already has (or had) updates and reactivates that membership.
    """
    _allowed(actor, actor is not None and access.can_manage_memberships(actor, institution))
    membership = (
        Membership.objects.select_for_update()
        .filter(institution=institution, user=user, role=role)
        .first()
    )
    if membership is None:
        membership = Membership(institution=institution, user=user, role=role)
    diff = _apply(
        membership, {"approval_limit": approval_limit, "org_unit": org_unit, "is_active": True}
    )
    created = membership.pk is None
    if not created and not diff:
        return membership
    _save(membership)
    details: dict[str, Any] = {"user": user.pk, "role": role}
    if approval_limit is not None:
        details["approval_limit"] = approval_limit
    if org_unit is not None:
        details["org_unit"] = org_unit.pk
    record_event(
        institution=institution,
        actor=actor,
        action="membership.grant",
        obj=membership,
        details=details,
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: User | None,
    membership: Membership,
    approval_limit: Decimal | None = UNSET,
    org_unit: OrgUnit | None = UNSET,
) -> Membership:
    """Change an approver's limit or the unit a membership is tied to."""
    _allowed(
        actor, actor is not None and access.can_manage_memberships(actor, membership.institution)
    )
    diff = _apply(membership, {"approval_limit": approval_limit, "org_unit": org_unit})
    _save(membership)
    if diff:
        record_event(
            institution=membership.institution,
            actor=actor,
            action="membership.update",
            obj=membership,
            details=diff,
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> Membership:
    """End a role; the row stays (inactive) so history can still name it."""
    _allowed(
        actor, actor is not None and access.can_manage_memberships(actor, membership.institution)
    )
    if not membership.is_active:
        return membership
    membership.is_active = False
    _save(membership)
    record_event(
        institution=membership.institution,
        actor=actor,
        action="membership.revoke",
        obj=membership,
        details={"user": membership.user_id, "role": membership.role},
    )
    return membership


# --- operator staff -------------------------------------------------------------------------


@transaction.atomic
def operator_staff_grant(
    *, actor: User | None, operator: Operator, user: User, role: str
) -> OperatorStaff:
    """Put a user on the operator's staff in a role (re-activates a revoked one)."""
    _allowed(actor, actor is not None and access.can_manage_operator_staff(actor))
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
    _save(staff)
    record_event(
        institution=None,
        actor=actor,
        action="operator_staff.grant",
        obj=staff,
        details={"user": user.pk, "role": role, "operator": operator.pk},
    )
    return staff


@transaction.atomic
def operator_staff_revoke(*, actor: User | None, staff: OperatorStaff) -> OperatorStaff:
    _allowed(actor, actor is not None and access.can_manage_operator_staff(actor))
    if actor is not None and staff.user_id == actor.pk:
        raise ValidationError(_("You cannot revoke your own staff role."))
    if not staff.is_active:
        return staff
    staff.is_active = False
    _save(staff)
    record_event(
        institution=None,
        actor=actor,
        action="operator_staff.revoke",
        obj=staff,
        details={"user": staff.user_id, "role": staff.role},
    )
    return staff


# --- delegations ----------------------------------------------------------------------------


@transaction.atomic
def delegation_create(
    *,
    actor: User | None,
    institution: Institution,
    principal: User,
    substitute: User,
    valid_from: date,
    valid_to: date,
    reason: str = "",
) -> Delegation:
    """Let ``substitute`` act for ``principal`` in ``institution`` between two dates.

    Both must be members of the institution; delegations of one principal must not overlap.
    Roles used through a delegation are logged on behalf of the principal.
    """
    _allowed(actor, actor is not None and access.can_manage_delegations(actor, institution))
    # Serialise delegation changes of one principal so two overlapping ones cannot both pass.
    list(User.objects.select_for_update().filter(pk=principal.pk))
    delegation = Delegation(
        institution=institution,
        principal=principal,
        substitute=substitute,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason,
    )
    _save(delegation)
    record_event(
        institution=institution,
        actor=actor,
        action="delegation.create",
        obj=delegation,
        details={
            "principal": principal.pk,
            "substitute": substitute.pk,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "reason": reason,
        },
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: User | None, delegation: Delegation) -> Delegation:
    """End a delegation now; it stays listed as revoked."""
    _allowed(
        actor, actor is not None and access.can_manage_delegations(actor, delegation.institution)
    )
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at = timezone.now()
    _save(delegation)
    record_event(
        institution=delegation.institution,
        actor=actor,
        action="delegation.revoke",
        obj=delegation,
        details={"principal": delegation.principal_id, "substitute": delegation.substitute_id},
    )
    return delegation


# --- service agreements ---------------------------------------------------------------------


def _check_staff(operator: Operator, staff: Iterable[User]) -> list[User]:
    people = list(staff)
    ids = {u.pk for u in people}
    on_staff = set(
        OperatorStaff.objects.filter(operator=operator, user_id__in=ids, is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    missing = [str(u) for u in people if u.pk not in on_staff]
    if missing:
        raise ValidationError(
            {
                "staff": _("Not on the operator's staff: %(names)s.")
                % {"names": ", ".join(sorted(missing))}
            }
        )
    return people


@transaction.atomic
def service_agreement_create(
    *,
    actor: User | None,
    institution: Institution,
    operator: Operator,
    services: list[str],
    valid_from: date,
    valid_to: date | None = None,
    staff: Iterable[User] = (),
    note: str = "",
) -> ServiceAgreement:
    """What the operator does for the institution from ``valid_from``, and who serves it."""
    _allowed(actor, actor is not None and access.can_manage_service_agreements(actor, institution))
    # Serialise agreement changes of one institution so overlapping ones cannot both pass.
    list(Institution.objects.select_for_update().filter(pk=institution.pk))
    agreement = ServiceAgreement(
        institution=institution,
        operator=operator,
        services=list(services),
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    _save(agreement)
    people = _check_staff(operator, staff)
    agreement.staff.set(people)
    record_event(
        institution=institution,
        actor=actor,
        action="service_agreement.create",
        obj=agreement,
        details={
            "operator": operator.pk,
            "services": agreement.services,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "staff": sorted(u.pk for u in people),
        },
    )
    return agreement


@transaction.atomic
def service_agreement_update(
    *,
    actor: User | None,
    agreement: ServiceAgreement,
    services: list[str] = UNSET,
    valid_from: date = UNSET,
    valid_to: date | None = UNSET,
    staff: Iterable[User] = UNSET,
    note: str = UNSET,
) -> ServiceAgreement:
    _allowed(
        actor,
        actor is not None and access.can_manage_service_agreements(actor, agreement.institution),
    )
    list(Institution.objects.select_for_update().filter(pk=agreement.institution_id))
    diff = _apply(
        agreement,
        {
            "services": services if services is UNSET else list(services),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "note": note,
        },
    )
    _save(agreement)
    if services is not UNSET:
        dropped = Responsibility.objects.filter(agreement=agreement).exclude(
            service__in=agreement.services
        )
        if dropped.exists():
            raise ValidationError(
                {
                    "services": _(
                        "Remove the responsibilities of the services you take out first: %(s)s."
                    )
                    % {"s": ", ".join(sorted(set(dropped.values_list("service", flat=True))))}
                }
            )
    if staff is not UNSET:
        people = _check_staff(agreement.operator, staff)
        before = sorted(agreement.staff.values_list("pk", flat=True))
        after = sorted(u.pk for u in people)
        if before != after:
            agreement.staff.set(people)
            diff["staff"] = [before, after]
    if diff:
        record_event(
            institution=agreement.institution,
            actor=actor,
            action="service_agreement.update",
            obj=agreement,
            details=diff,
        )
    return agreement


@transaction.atomic
def responsibility_set(
    *,
    actor: User | None,
    agreement: ServiceAgreement,
    service: str,
    task: str,
    owner: str,
    note: str = "",
) -> Responsibility:
    """Say who owns one task of a service: the operator or the institution (upsert)."""
    _allowed(
        actor,
        actor is not None and access.can_manage_service_agreements(actor, agreement.institution),
    )
    row = (
        Responsibility.objects.select_for_update()
        .filter(agreement=agreement, service=service, task=task)
        .first()
    )
    if row is None:
        row = Responsibility(
            institution=agreement.institution, agreement=agreement, service=service, task=task
        )
    diff = _apply(row, {"owner": owner, "note": note})
    if row.pk is not None and not diff:
        return row
    _save(row)
    record_event(
        institution=agreement.institution,
        actor=actor,
        action="responsibility.set",
        obj=row,
        details={"service": service, "task": task, "owner": owner, "note": note},
    )
    return row
