"""Service agreements (what the operator does for an institution, and who serves it) and
the responsibilities of each task of a service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event, refusals_recorded
from faelles.tenancy import access
from faelles.tenancy.models import (
    Institution,
    Operator,
    OperatorStaff,
    Responsibility,
    ServiceAgreement,
    User,
)
from faelles.tenancy.services.common import UNSET, apply_changes, clean_save, require_allowed


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


@refusals_recorded
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
    approval_limit_ceiling: Decimal | None = None,
) -> ServiceAgreement:
    """What the operator does for the institution from ``valid_from``, and who serves it."""
    require_allowed(
        actor,
        actor is not None and access.can_manage_service_agreements(actor, institution),
        action="service_agreement.create",
        institution=institution,
    )
    # Serialise agreement changes of one institution so overlapping ones cannot both pass.
    list(Institution.objects.select_for_update().filter(pk=institution.pk))
    agreement = ServiceAgreement(
        institution=institution,
        operator=operator,
        services=list(services),
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        approval_limit_ceiling=approval_limit_ceiling,
    )
    clean_save(agreement)
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
            "approval_limit_ceiling": agreement.approval_limit_ceiling,
        },
    )
    return agreement


@refusals_recorded
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
    approval_limit_ceiling: Decimal | None = UNSET,
) -> ServiceAgreement:
    require_allowed(
        actor,
        actor is not None and access.can_manage_service_agreements(actor, agreement.institution),
        action="service_agreement.update",
        institution=agreement.institution,
        obj=agreement,
    )
    list(Institution.objects.select_for_update().filter(pk=agreement.institution_id))
    diff = apply_changes(
        agreement,
        {
            "services": services if services is UNSET else list(services),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "note": note,
            "approval_limit_ceiling": approval_limit_ceiling,
        },
    )
    clean_save(agreement)
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


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_service_agreements(actor, agreement.institution),
        action="responsibility.set",
        institution=agreement.institution,
        obj=agreement,
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
    diff = apply_changes(row, {"owner": owner, "note": note})
    if row.pk is not None and not diff:
        return row
    clean_save(row)
    record_event(
        institution=agreement.institution,
        actor=actor,
        action="responsibility.set",
        obj=row,
        details={"service": service, "task": task, "owner": owner, "note": note},
    )
    return row
