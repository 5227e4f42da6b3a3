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
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.tenancy import access
from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Delegation,
    Endpoint,
    Institution,
    Membership,
    Operator,
    OperatorStaff,
    OrgUnit,
    Responsibility,
    Role,
    ServiceAgreement,
    User,
)

#: The ceiling when the institution has no current service agreement or the agreement sets
#: none: every approval limit above zero needs an operator administrator's approval.
DEFAULT_APPROVAL_LIMIT_CEILING = Decimal("0.00")


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _allowed(
    actor: User | None,
    allowed: bool,
    *,
    action: str,
    institution: Institution | None,
    obj: models.Model | None = None,
) -> None:
    if actor is not None and not allowed:
        raise Denied(
            Refused(
                _("You may not make this change."),
                code="not_allowed",
                action=action,
                institution=institution,
                obj=obj,
            )
        )


@refusals_recorded
def access_refused(
    *, actor: User, action: str, institution: Institution | None, obj: models.Model | None = None
) -> NoReturn:
    """Record a write a page refused before reaching its service (``<action>.refused``) and
    raise :class:`Denied`."""
    _allowed(actor, False, action=action, institution=institution, obj=obj)
    raise AssertionError("unreachable")  # pragma: no cover


def acts_for(actor: User, user: User, institution: Institution) -> bool:
    """``actor`` is ``user``, or is (or will be) ``user``'s substitute in ``institution``."""
    if actor.pk == user.pk:
        return True
    return Delegation.objects.filter(
        institution=institution,
        principal_id=user.pk,
        substitute_id=actor.pk,
        revoked_at__isnull=True,
        valid_to__gte=timezone.localdate(),
    ).exists()


def _refuse_self_grant(
    actor: User | None,
    user: User,
    institution: Institution | None,
    *,
    action: str,
    obj: models.Model | None = None,
    field: str = "user",
) -> None:
    """Nobody grants, changes or widens their own roles or limits (nor those of a person they
    stand in for)."""
    if actor is None:
        return
    own = actor.pk == user.pk if institution is None else acts_for(actor, user, institution)
    if own:
        raise Refused(
            _(
                "You cannot grant or change your own roles or limits, nor those of a person "
                "you are a substitute for; another administrator must do it."
            ),
            code="self_grant",
            action=action,
            institution=institution,
            obj=obj,
            field=field,
            details={"user": user.pk},
        )


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


@refusals_recorded
@transaction.atomic
def operator_create(*, actor: User | None, name: str, cvr: str) -> Operator:
    """Register the organisation that runs the shared solution (system or superuser only)."""
    _allowed(
        actor, actor is not None and actor.is_superuser, action="operator.create", institution=None
    )
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


@refusals_recorded
@transaction.atomic
def operator_update(
    *, actor: User | None, operator: Operator, name: str = UNSET, cvr: str = UNSET
) -> Operator:
    _allowed(
        actor,
        actor is not None and actor.is_superuser,
        action="operator.update",
        institution=None,
        obj=operator,
    )
    diff = _apply(operator, {"name": name, "cvr": cvr})
    _save(operator)
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
    _allowed(
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
    _allowed(
        actor,
        actor is not None and access.can_manage_institution(actor, institution),
        action="institution.update",
        institution=None,
        obj=institution,
    )
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
    _allowed(
        actor,
        actor is not None and access.can_manage_org_units(actor, institution),
        action="org_unit.create",
        institution=institution,
    )
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
    _allowed(
        actor,
        actor is not None and access.can_manage_org_units(actor, org_unit.institution),
        action="org_unit.update",
        institution=org_unit.institution,
        obj=org_unit,
    )
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
    _allowed(
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
    _allowed(
        actor,
        actor is not None and access.can_manage_endpoints(actor, endpoint.institution),
        action="endpoint.update",
        institution=endpoint.institution,
        obj=endpoint,
    )
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


@refusals_recorded
@transaction.atomic
def endpoint_deactivate(*, actor: User | None, endpoint: Endpoint) -> Endpoint:
    """Stop routing to this address (the address stays reserved for the institution)."""
    return endpoint_update(actor=actor, endpoint=endpoint, is_active=False)


# --- users ----------------------------------------------------------------------------------


def sso_enabled() -> bool:
    """With single sign-on the identity provider owns passwords: there is nothing to reset."""
    return bool(getattr(settings, "SSO_ENABLED", False))


def _set_password(user: User, password: str | None) -> None:
    if password is None:
        user.set_unusable_password()
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)


def _queue_password_link(user: User, base_url: str) -> None:
    from faelles.tenancy import tasks  # the Celery app is only loaded where links are sent

    user_id = user.pk
    transaction.on_commit(lambda: tasks.send_password_link.delay(user_id, base_url))


@refusals_recorded
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
    link_base_url: str = "",
) -> User:
    """A person who can log in (once a membership or staff role gives them somewhere to work).

    Administrators never choose a password for someone else: a user created by an actor gets
    no password, and (without single sign-on) a one-time link by e-mail to set their own.
    Only the system itself (the demo loader, management commands) passes ``password``.
    """
    _allowed(
        actor,
        actor is not None and access.can_create_users(actor),
        action="user.create",
        institution=None,
    )
    if actor is not None and password is not None:
        raise Refused(
            _("Administrators do not set passwords; the user sets their own from a link."),
            code="admin_sets_password",
            action="user.create",
            institution=None,
            field="password",
            details={"username": username},
        )
    send_link = actor is not None and is_active and not sso_enabled()
    if send_link and not (email or "").strip():
        raise ValidationError(
            {
                "email": _(
                    "An e-mail address is needed: the user gets a link there to set their "
                    "own password."
                )
            }
        )
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
    details: dict[str, Any] = {"username": user.username, "is_active": user.is_active}
    if send_link:
        details["password_link_sent_to"] = user.email
    record_event(institution=None, actor=actor, action="user.create", obj=user, details=details)
    if send_link:
        _queue_password_link(user, link_base_url)
    return user


@refusals_recorded
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
) -> User:
    """Change a user's details. Passwords are not among them: the user sets their own."""
    _allowed(
        actor,
        actor is not None and access.can_manage_user(actor, user),
        action="user.update",
        institution=None,
        obj=user,
    )
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
    _save(user)
    if diff:
        record_event(institution=None, actor=actor, action="user.update", obj=user, details=diff)
    return user


@refusals_recorded
@transaction.atomic
def user_password_link_send(*, actor: User, user: User, base_url: str = "") -> User:
    """Mail ``user`` a one-time link to set their own password (after this transaction commits).

    The token is made by the task that sends the mail and is never stored or audited. Refused
    for people the actor may not manage, for a user without an e-mail address, and when single
    sign-on is configured (the identity provider owns the password then).
    """
    _allowed(
        actor,
        access.can_manage_user(actor, user),
        action="user.password_link",
        institution=None,
        obj=user,
    )
    if sso_enabled():
        raise Refused(
            _("Single sign-on is in use: passwords are managed by the identity provider."),
            code="sso",
            action="user.password_link",
            institution=None,
            obj=user,
        )
    if not user.is_active:
        raise Refused(
            _("The user is not active; activate the user before sending a link."),
            code="inactive",
            action="user.password_link",
            institution=None,
            obj=user,
        )
    if not (user.email or "").strip():
        raise Refused(
            _("%(user)s has no e-mail address; add one before sending a link.") % {"user": user},
            code="no_email",
            action="user.password_link",
            institution=None,
            obj=user,
            field="email",
        )
    record_event(
        institution=None,
        actor=actor,
        action="user.password_link",
        obj=user,
        details={"email": user.email},
    )
    _queue_password_link(user, base_url)
    return user


@transaction.atomic
def user_password_set_from_link(*, actor: User, new_password: str) -> User:
    """The user sets their own password from a one-time link (the view checked the token)."""
    return _own_password_store(actor, new_password, action="user.password_set")


def _own_password_store(actor: User, new_password: str, *, action: str) -> User:
    """Validate, store and record the user's own new password (never the password itself)."""
    _set_password(actor, new_password)
    actor.save(update_fields=["password"])
    record_event(
        institution=None,
        actor=actor,
        action=action,
        obj=actor,
        details={"password": ["", "changed"]},
    )
    return actor


@transaction.atomic
def user_change_own_password(*, actor: User, old_password: str, new_password: str) -> User:
    """A logged-in user changes their own password (the old one must be given)."""
    if not actor.is_authenticated or not actor.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    return _own_password_store(actor, new_password, action="user.password_change")


# --- approval-limit ceiling -------------------------------------------------------------------


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
        _save(req)
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
    _save(req)
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
    _allowed(
        actor,
        actor is not None and access.can_manage_memberships(actor, institution),
        action="membership.grant",
        institution=institution,
    )
    _refuse_self_grant(actor, user, institution, action="membership.grant")
    membership = (
        Membership.objects.select_for_update()
        .filter(institution=institution, user=user, role=role)
        .first()
    )
    if membership is None:
        membership = Membership(institution=institution, user=user, role=role)
    current = membership.approval_limit if membership.pk and membership.is_active else None
    apply_now, pending, ceiling = _split_limit(actor, membership, approval_limit, current)
    diff = _apply(
        membership, {"approval_limit": apply_now, "org_unit": org_unit, "is_active": True}
    )
    created = membership.pk is None
    if not created and not diff and pending is None:
        membership.pending_limit_request = pending_limit_request(membership)  # type: ignore[attr-defined]
        return membership
    _save(membership)
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
    _allowed(
        actor,
        actor is not None and access.can_manage_memberships(actor, membership.institution),
        action="membership.update",
        institution=membership.institution,
        obj=membership,
    )
    _refuse_self_grant(
        actor, membership.user, membership.institution, action="membership.update", obj=membership
    )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    # An inactive membership keeps its stored limit; reactivating it (membership_grant)
    # checks the limit against the ceiling again.
    current = membership.approval_limit
    apply_now, pending, ceiling = _split_limit(actor, membership, approval_limit, current)
    diff = _apply(membership, {"approval_limit": apply_now, "org_unit": org_unit})
    _save(membership)
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
    _allowed(
        actor,
        actor is not None and access.can_manage_memberships(actor, membership.institution),
        action="membership.revoke",
        institution=membership.institution,
        obj=membership,
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
    _allowed(
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
    _refuse_self_grant(actor, req.membership.user, institution, action=action, obj=req)
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
    _save(req)
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
        _save(membership)
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


# --- operator staff -------------------------------------------------------------------------


@refusals_recorded
@transaction.atomic
def operator_staff_grant(
    *, actor: User | None, operator: Operator, user: User, role: str
) -> OperatorStaff:
    """Put a user on the operator's staff in a role (re-activates a revoked one)."""
    _allowed(
        actor,
        actor is not None and access.can_manage_operator_staff(actor),
        action="operator_staff.grant",
        institution=None,
    )
    _refuse_self_grant(actor, user, None, action="operator_staff.grant")
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


@refusals_recorded
@transaction.atomic
def operator_staff_revoke(*, actor: User | None, staff: OperatorStaff) -> OperatorStaff:
    _allowed(
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
    _allowed(
        actor,
        actor is not None and access.can_manage_delegations(actor, institution),
        action="delegation.create",
        institution=institution,
    )
    # Nobody makes themselves a substitute (and so takes over someone else's roles).
    _refuse_self_grant(
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


@refusals_recorded
@transaction.atomic
def delegation_revoke(*, actor: User | None, delegation: Delegation) -> Delegation:
    """End a delegation now; it stays listed as revoked."""
    _allowed(
        actor,
        actor is not None and access.can_manage_delegations(actor, delegation.institution),
        action="delegation.revoke",
        institution=delegation.institution,
        obj=delegation,
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
    _allowed(
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
    _allowed(
        actor,
        actor is not None and access.can_manage_service_agreements(actor, agreement.institution),
        action="service_agreement.update",
        institution=agreement.institution,
        obj=agreement,
    )
    list(Institution.objects.select_for_update().filter(pk=agreement.institution_id))
    diff = _apply(
        agreement,
        {
            "services": services if services is UNSET else list(services),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "note": note,
            "approval_limit_ceiling": approval_limit_ceiling,
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
    _allowed(
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
