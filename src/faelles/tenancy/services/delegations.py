"""Delegations: a substitute acts for a principal in one institution between two dates,
logged on behalf of the principal."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from faelles.core.audit import record_event, refusals_recorded
from faelles.tenancy import access
from faelles.tenancy.models import Delegation, Institution, User
from faelles.tenancy.services.common import clean_save, refuse_self_grant, require_allowed


@refusals_recorded
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
    require_allowed(
        actor,
        actor is not None and access.can_manage_delegations(actor, institution),
        action="delegation.create",
        institution=institution,
    )
    # Nobody makes themselves a substitute (and so takes over someone else's roles).
    refuse_self_grant(
        actor, substitute, institution, action="delegation.create", field="substitute"
    )
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
    clean_save(delegation)
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


@refusals_recorded
@transaction.atomic
def delegation_revoke(*, actor: User | None, delegation: Delegation) -> Delegation:
    """End a delegation now; it stays listed as revoked."""
    require_allowed(
        actor,
        actor is not None and access.can_manage_delegations(actor, delegation.institution),
        action="delegation.revoke",
        institution=delegation.institution,
        obj=delegation,
    )
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at = timezone.now()
    clean_save(delegation)
    record_event(
        institution=delegation.institution,
        actor=actor,
        action="delegation.revoke",
        obj=delegation,
        details={"principal": delegation.principal_id, "substitute": delegation.substitute_id},
    )
    return delegation
