"""Memberships (a user's role in an institution) and approval limits: a limit above the
institution's ceiling waits as an ``ApprovalLimitRequest`` until an operator administrator
other than the requester approves it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.tenancy import access
from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Institution,
    Membership,
    OrgUnit,
    Role,
    ServiceAgreement,
    User,
)
from faelles.tenancy.services.common import (
    UNSET,
    apply_changes,
    clean_save,
    refuse_self_grant,
    require_allowed,
)

#: The ceiling when the institution has no current service agreement or the agreement sets
#: none: every approval limit above zero needs an operator administrator's approval.
DEFAULT_APPROVAL_LIMIT_CEILING = Decimal("0.00")


def approval_limit_ceiling(institution: Institution, *, on: date | None = None) -> Decimal:
    """The highest approval limit the institution may give without an operator administrator.

    The lowest ceiling among the institution's current service agreements; with no current
    agreement, or none that sets a ceiling, :data:`DEFAULT_APPROVAL_LIMIT_CEILING` (zero), so
    that an institution nobody has set terms for cannot give limits on its own.
    """
    day = on or timezone.localdate()
    ceilings = [
        c
        for c in ServiceAgreement.objects.filter(institution=institution, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("approval_limit_ceiling", flat=True)
        if c is not None
    ]
    return min(ceilings) if ceilings else DEFAULT_APPROVAL_LIMIT_CEILING


def pending_limit_request(membership: Membership) -> ApprovalLimitRequest | None:
    """The open request to raise this membership's limit, if any."""
    if membership.pk is None:
        return None
    return ApprovalLimitRequest.objects.filter(
        membership=membership, state=ApprovalLimitRequest.State.REQUESTED
    ).first()


def _withdraw_open_requests(actor: User | None, membership: Membership) -> None:
    """A newer decision about the membership's limit makes any open request stale."""
    for req in ApprovalLimitRequest.objects.select_for_update().filter(
        membership=membership, state=ApprovalLimitRequest.State.REQUESTED
    ):
        req.state = ApprovalLimitRequest.State.WITHDRAWN
        req.decided_by = actor
        req.decided_at = timezone.now()
        clean_save(req)
        record_event(
            institution=membership.institution,
            actor=actor,
            action="approval_limit_request.withdraw",
            obj=req,
            details={"membership": membership.pk, "requested_limit": req.requested_limit},
        )


def _split_limit(
    actor: User | None, membership: Membership, requested: Any, current: Decimal | None
) -> tuple[Any, Decimal | None, Decimal]:
    """``(limit to apply now, limit to request, ceiling)`` for a wanted approval limit.

    A limit up to the ceiling, or a lowering, applies at once. Above the ceiling the limit in
    force stays what it was; a new (or reactivated) approver gets the ceiling meanwhile, which
    is no more than the administrator could have given alone.
    """
    ceiling = approval_limit_ceiling(membership.institution)
    if (
        actor is None
        or membership.role != Role.APPROVER
        or requested is UNSET
        or not isinstance(requested, Decimal)
        or requested < 0
        or requested <= ceiling
        or (current is not None and requested <= current)
    ):
        return requested, None, ceiling
    return (current if current is not None else ceiling), requested, ceiling


def _open_limit_request(
    actor: User | None,
    membership: Membership,
    requested: Decimal,
    before: Decimal | None,
    ceiling: Decimal,
) -> ApprovalLimitRequest:
    req = ApprovalLimitRequest(
        institution=membership.institution,
        membership=membership,
        requested_limit=requested,
        limit_before=before,
        ceiling=ceiling,
        requested_by=actor,
    )
    clean_save(req)
    record_event(
        institution=membership.institution,
        actor=actor,
        action="approval_limit_request.create",
        obj=req,
        details={
            "membership": membership.pk,
            "user": membership.user_id,
            "requested_limit": requested,
            "ceiling": ceiling,
            "limit_in_force": membership.approval_limit,
        },
    )
    return req


def _after_limit_change(
    actor: User | None,
    membership: Membership,
    pending: Decimal | None,
    before: Decimal | None,
    ceiling: Decimal,
    limit_changed: bool,
) -> None:
    membership.pending_limit_request = None  # type: ignore[attr-defined]
    if pending is not None:
        _withdraw_open_requests(actor, membership)
        membership.pending_limit_request = _open_limit_request(  # type: ignore[attr-defined]
            actor, membership, pending, before, ceiling
        )
    elif limit_changed:
        _withdraw_open_requests(actor, membership)
    else:
        membership.pending_limit_request = pending_limit_request(membership)  # type: ignore[attr-defined]


# --- memberships ----------------------------------------------------------------------------


@refusals_recorded
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
    Nobody grants themselves a role (nor the person they stand in for). An approval limit
    above the institution's ceiling becomes a request for an operator administrator; until it
    is approved the limit in force stays (a new approver gets the ceiling meanwhile).
    ``membership.pending_limit_request`` holds the open request, if any.
    """
    require_allowed(
        actor,
        actor is not None and access.can_manage_memberships(actor, institution),
        action="membership.grant",
        institution=institution,
    )
    refuse_self_grant(actor, user, institution, action="membership.grant")
    membership = (
        Membership.objects.select_for_update()
        .filter(institution=institution, user=user, role=role)
        .first()
    )
    if membership is None:
        membership = Membership(institution=institution, user=user, role=role)
    current = membership.approval_limit if membership.pk and membership.is_active else None
    apply_now, pending, ceiling = _split_limit(actor, membership, approval_limit, current)
    diff = apply_changes(
        membership, {"approval_limit": apply_now, "org_unit": org_unit, "is_active": True}
    )
    created = membership.pk is None
    if not created and not diff and pending is None:
        membership.pending_limit_request = pending_limit_request(membership)  # type: ignore[attr-defined]
        return membership
    clean_save(membership)
    if created or diff:
        details: dict[str, Any] = {"user": user.pk, "role": role}
        if membership.approval_limit is not None:
            details["approval_limit"] = membership.approval_limit
        if org_unit is not None:
            details["org_unit"] = org_unit.pk
        record_event(
            institution=institution,
            actor=actor,
            action="membership.grant",
            obj=membership,
            details=details,
        )
    _after_limit_change(
        actor, membership, pending, current, ceiling, "approval_limit" in diff or created
    )
    return membership


@refusals_recorded
@transaction.atomic
def membership_update(
    *,
    actor: User | None,
    membership: Membership,
    approval_limit: Decimal | None = UNSET,
    org_unit: OrgUnit | None = UNSET,
) -> Membership:
    """Change an approver's limit or the unit a membership is tied to.

    Nobody changes their own membership; a limit above the ceiling becomes a request.
    """
    require_allowed(
        actor,
        actor is not None and access.can_manage_memberships(actor, membership.institution),
        action="membership.update",
        institution=membership.institution,
        obj=membership,
    )
    refuse_self_grant(
        actor, membership.user, membership.institution, action="membership.update", obj=membership
    )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    # An inactive membership keeps its stored limit; reactivating it (membership_grant)
    # checks the limit against the ceiling again.
    current = membership.approval_limit
    apply_now, pending, ceiling = _split_limit(actor, membership, approval_limit, current)
    diff = apply_changes(membership, {"approval_limit": apply_now, "org_unit": org_unit})
    clean_save(membership)
    if diff:
        record_event(
            institution=membership.institution,
            actor=actor,
            action="membership.update",
            obj=membership,
            details=diff,
        )
    _after_limit_change(actor, membership, pending, current, ceiling, "approval_limit" in diff)
    return membership


@refusals_recorded
@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> Membership:
    """End a role; the row stays (inactive) so history can still name it."""
    require_allowed(
        actor,
        actor is not None and access.can_manage_memberships(actor, membership.institution),
        action="membership.revoke",
        institution=membership.institution,
        obj=membership,
    )
    if not membership.is_active:
        return membership
    membership.is_active = False
    clean_save(membership)
    record_event(
        institution=membership.institution,
        actor=actor,
        action="membership.revoke",
        obj=membership,
        details={"user": membership.user_id, "role": membership.role},
    )
    _withdraw_open_requests(actor, membership)
    return membership


# --- approval-limit requests ----------------------------------------------------------------


def _decide_limit_request(
    actor: User, limit_request: ApprovalLimitRequest, *, approve: bool, reason: str
) -> ApprovalLimitRequest:
    verb = "approve" if approve else "refuse"
    action = f"approval_limit_request.{verb}"
    req = (
        ApprovalLimitRequest.objects.select_for_update(of=("self",))
        .select_related("institution", "membership__user")
        .get(pk=limit_request.pk)
    )
    institution = req.institution
    # Only an operator administrator who manages the institution decides.
    require_allowed(
        actor,
        access.can_manage_service_agreements(actor, institution),
        action=action,
        institution=institution,
        obj=req,
    )
    if req.requested_by_id == actor.pk:
        raise Refused(
            _("You requested this limit; another operator administrator must decide on it."),
            code="same_person",
            action=action,
            institution=institution,
            obj=req,
        )
    refuse_self_grant(actor, req.membership.user, institution, action=action, obj=req)
    if req.state != ApprovalLimitRequest.State.REQUESTED:
        raise ValidationError(
            _("The request has already been decided (%(state)s).")
            % {"state": req.get_state_display()}
        )
    membership = Membership.objects.select_for_update().get(pk=req.membership_id)
    req.membership = membership
    if approve and (not membership.is_active or membership.role != Role.APPROVER):
        raise ValidationError(_("The membership is no longer an active approver role."))
    req.state = (
        ApprovalLimitRequest.State.APPROVED if approve else ApprovalLimitRequest.State.REFUSED
    )
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.reason = reason
    clean_save(req)
    details: dict[str, Any] = {
        "membership": membership.pk,
        "user": membership.user_id,
        "requested_limit": req.requested_limit,
        "requested_by": req.requested_by_id,
        "limit_in_force": membership.approval_limit,
    }
    if reason:
        details["reason"] = reason
    if approve:
        old = membership.approval_limit
        membership.approval_limit = req.requested_limit
        clean_save(membership)
        details["limit_in_force"] = membership.approval_limit
        record_event(
            institution=institution,
            actor=actor,
            action="membership.update",
            obj=membership,
            details={"approval_limit": [old, membership.approval_limit], "request": req.pk},
        )
    record_event(institution=institution, actor=actor, action=action, obj=req, details=details)
    return req


@refusals_recorded
@transaction.atomic
def approval_limit_request_approve(
    *, actor: User, limit_request: ApprovalLimitRequest, reason: str = ""
) -> ApprovalLimitRequest:
    """Second approval of a limit above the ceiling: the requested limit comes into force.

    The approver is an operator administrator who manages the institution and is neither the
    requester nor the membership's user (nor their substitute).
    """
    return _decide_limit_request(actor, limit_request, approve=True, reason=reason)


@refusals_recorded
@transaction.atomic
def approval_limit_request_refuse(
    *, actor: User, limit_request: ApprovalLimitRequest, reason: str = ""
) -> ApprovalLimitRequest:
    """Refuse a limit above the ceiling: the limit in force stays (same rules as approving)."""
    return _decide_limit_request(actor, limit_request, approve=False, reason=reason)
