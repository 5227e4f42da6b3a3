"""Writes of an institution's places and assets (issue 14, item 2): locations (building →
floor → room) and assets (IT equipment, installations), and naming the room and the asset a
ticket is about.

The institution's contact persons (its local administrators and controllers: the facility
manager) and the operator's agents serving it keep the register (``Area.SERVICE_CONTACT``);
each write is atomic, validated against the institution (a parent, a location or a user of
another institution is refused) and an audit event; a refused attempt is an audit event too.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.servicedesk import selectors as sel
from faelles.servicedesk.models import Asset, Location, Ticket
from faelles.tenancy.models import Institution, Membership, User

LOCATION_FIELDS = ("parent", "code", "name", "address", "area_m2")
ASSET_FIELDS = ("tag", "name", "kind", "serial", "location", "user", "is_active")


def _deny(institution: Institution, action: str, obj: Any = None) -> Denied:
    return Denied(
        Refused(
            _("Only the institution's contact persons and the service desk keep its places."),
            code="not_contact",
            action=action,
            institution=institution,
            obj=obj,
        )
    )


def _value(value: Any) -> Any:
    if isinstance(value, (Location, Asset, User)):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(obj: Any, fields: tuple[str, ...], values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``obj``; the names of the fields whose value changed, in order."""
    changed = []
    for field in fields:
        if field not in values:
            continue
        new = values[field]
        old = getattr(obj, field, None) if obj.pk is not None else None
        if obj.pk is None or _value(old) != _value(new):
            changed.append(field)
        setattr(obj, field, new)
    return changed


@refusals_recorded
@transaction.atomic
def location_save(
    *,
    actor: User,
    institution: Institution,
    level: str,
    code: str,
    name: str,
    parent: Location | None = None,
    address: str = "",
    area_m2: Decimal | None = None,
    location: Location | None = None,
) -> Location:
    """Register a building, a floor (in a building) or a room (on a floor) of
    ``institution``, or change one (``location``). The level is fixed once registered: the
    floors and rooms under a building lean on it."""
    if location is not None and location.institution_id != institution.pk:
        raise ValidationError({"location": [_("It belongs to another institution.")]})
    if not sel.is_contact(actor, institution):
        raise _deny(institution, "servicedesk.location.save", location)
    if location is not None:
        location = Location.objects.select_for_update().get(pk=location.pk)
        if level != location.level:
            raise ValidationError(
                {"level": [_("The level of a place is fixed once it is registered.")]},
                code="level_fixed",
            )
    obj = location or Location(institution=institution, level=level)
    creating = obj.pk is None
    changed = _changes(
        obj,
        LOCATION_FIELDS,
        {
            "parent": parent,
            "code": (code or "").strip(),
            "name": (name or "").strip(),
            "address": (address or "").strip(),
            "area_m2": area_m2,
        },
    )
    obj.full_clean()
    obj.save()
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.location.created" if creating else "servicedesk.location.changed",
        obj=obj,
        details={"code": obj.code, "name": obj.name, "level": obj.level, "changed": changed},
    )
    return obj


@refusals_recorded
@transaction.atomic
def asset_save(
    *,
    actor: User,
    institution: Institution,
    tag: str,
    name: str,
    kind: str,
    serial: str = "",
    location: Location | None = None,
    user: User | None = None,
    is_active: bool = True,
    asset: Asset | None = None,
) -> Asset:
    """Register an asset of ``institution`` (IT equipment, an installation) or change one:
    where it is and who uses it (a person of the institution)."""
    if asset is not None and asset.institution_id != institution.pk:
        raise ValidationError({"asset": [_("It belongs to another institution.")]})
    if not sel.is_contact(actor, institution):
        raise _deny(institution, "servicedesk.asset.save", asset)
    if (
        user is not None
        and not Membership.objects.filter(institution=institution, user=user).exists()
    ):
        raise ValidationError({"user": [_("The person is not one of the institution's.")]})
    if asset is not None:
        asset = Asset.objects.select_for_update().get(pk=asset.pk)
    obj = asset or Asset(institution=institution)
    creating = obj.pk is None
    changed = _changes(
        obj,
        ASSET_FIELDS,
        {
            "tag": (tag or "").strip(),
            "name": (name or "").strip(),
            "kind": kind,
            "serial": (serial or "").strip(),
            "location": location,
            "user": user,
            "is_active": bool(is_active),
        },
    )
    obj.full_clean()
    obj.save()
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.asset.created" if creating else "servicedesk.asset.changed",
        obj=obj,
        details={"tag": obj.tag, "name": obj.name, "asset_kind": obj.kind, "changed": changed},
    )
    return obj


@refusals_recorded
@transaction.atomic
def ticket_place(
    *,
    actor: User,
    ticket: Ticket,
    location: Location | None,
    asset: Asset | None,
    at: datetime | None = None,
) -> Ticket:
    """Name the room (or floor, building) and the asset a ticket is about (the service
    desk): both of the ticket's institution. A ``placed`` event and an audit event."""
    from faelles.servicedesk import services

    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not sel.is_agent(actor, ticket.institution):
        raise services._deny(ticket, "place", _("Only the service desk places tickets."))
    errors: dict[str, list[str]] = {}
    for field, obj in (("location", location), ("asset", asset)):
        if obj is not None and obj.institution_id != ticket.institution_id:
            errors[field] = [_("It belongs to another institution.")]
    if errors:
        raise ValidationError(errors)
    now = services._now(at, ticket)
    ticket.location, ticket.asset = location, asset
    Ticket.objects.filter(pk=ticket.pk).update(location=location, asset=asset)
    details = {
        "location": location.pk if location else None,
        "asset": asset.pk if asset else None,
    }
    services._event(ticket, "placed", now, actor, **details)
    services._audit(ticket, actor, "placed", **details)
    services._refresh(ticket, now)
    return ticket
