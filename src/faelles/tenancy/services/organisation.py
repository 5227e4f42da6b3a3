"""The operator, its institutions, their organisational units and their endpoints.

Changes to the operator's own records (institutions) go to the operator audit chain;
everything inside an institution goes to that institution's chain."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event, refusals_recorded
from faelles.tenancy import access
from faelles.tenancy.models import Endpoint, Institution, Operator, OrgUnit, User
from faelles.tenancy.services.common import UNSET, apply_changes, clean_save, require_allowed


@refusals_recorded
@transaction.atomic
def operator_create(*, actor: User | None, name: str, cvr: str) -> Operator:
    """Register the organisation that runs the shared solution (system or superuser only)."""
    require_allowed(
        actor, actor is not None and actor.is_superuser, action="operator.create", institution=None
    )
    operator = Operator(name=name, cvr=cvr)
    clean_save(operator)
    record_event(
        institution=None,
        actor=actor,
        action="operator.create",
        obj=operator,
        details={"name": operator.name, "cvr": operator.cvr},
    )
    return operator


@refusals_recorded
@transaction.atomic
def operator_update(
    *, actor: User | None, operator: Operator, name: str = UNSET, cvr: str = UNSET
) -> Operator:
    require_allowed(
        actor,
        actor is not None and actor.is_superuser,
        action="operator.update",
        institution=None,
        obj=operator,
    )
    diff = apply_changes(operator, {"name": name, "cvr": cvr})
    clean_save(operator)
    if diff:
        record_event(
            institution=None, actor=actor, action="operator.update", obj=operator, details=diff
        )
    return operator


# --- institutions ---------------------------------------------------------------------------


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_institutions(actor),
        action="institution.create",
        institution=None,
    )
    institution = Institution(
        name=name,
        short_name=short_name,
        kind=kind,
        cvr=cvr,
        parent=parent,
        requires_two_persons=requires_two_persons,
    )
    clean_save(institution)
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


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_institution(actor, institution),
        action="institution.update",
        institution=None,
        obj=institution,
    )
    diff = apply_changes(
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
    clean_save(institution)
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


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_org_units(actor, institution),
        action="org_unit.create",
        institution=institution,
    )
    unit = OrgUnit(institution=institution, code=code, name=name, parent=parent)
    clean_save(unit)
    record_event(
        institution=institution,
        actor=actor,
        action="org_unit.create",
        obj=unit,
        details={"code": unit.code, "name": unit.name, "parent": unit.parent_id},
    )
    return unit


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_org_units(actor, org_unit.institution),
        action="org_unit.update",
        institution=org_unit.institution,
        obj=org_unit,
    )
    if is_active is False:
        _refuse_active_children(org_unit)
    diff = apply_changes(
        org_unit, {"code": code, "name": name, "parent": parent, "is_active": is_active}
    )
    clean_save(org_unit)
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


@refusals_recorded
@transaction.atomic
def org_unit_deactivate(*, actor: User | None, org_unit: OrgUnit) -> OrgUnit:
    """Close a unit for new use; history that refers to it stays."""
    return org_unit_update(actor=actor, org_unit=org_unit, is_active=False)


# --- endpoints ------------------------------------------------------------------------------


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_endpoints(actor, institution),
        action="endpoint.create",
        institution=institution,
    )
    endpoint = Endpoint(
        institution=institution,
        scheme=scheme,
        identifier=identifier,
        org_unit=org_unit,
        description=description,
    )
    clean_save(endpoint)
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


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_endpoints(actor, endpoint.institution),
        action="endpoint.update",
        institution=endpoint.institution,
        obj=endpoint,
    )
    diff = apply_changes(
        endpoint,
        {
            "scheme": scheme,
            "identifier": identifier,
            "org_unit": org_unit,
            "description": description,
            "is_active": is_active,
        },
    )
    clean_save(endpoint)
    if diff:
        record_event(
            institution=endpoint.institution,
            actor=actor,
            action="endpoint.update",
            obj=endpoint,
            details=diff,
        )
    return endpoint


@refusals_recorded
@transaction.atomic
def endpoint_deactivate(*, actor: User | None, endpoint: Endpoint) -> Endpoint:
    """Stop routing to this address (the address stays reserved for the institution)."""
    return endpoint_update(actor=actor, endpoint=endpoint, is_active=False)
