"""What the tenancy services share: the access check and its refusal, nobody granting
themselves, and applying, validating and saving changes (``UNSET`` leaves a field as it is)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Denied, Refused, refusals_recorded
from faelles.tenancy.models import Delegation, Institution, User


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def require_allowed(
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
    require_allowed(actor, False, action=action, institution=institution, obj=obj)
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


def refuse_self_grant(
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


def audit_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def apply_changes(obj: models.Model, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields (skipping UNSET) and return ``{field: [old, new]}`` of real changes."""
    diff: dict[str, list[Any]] = {}
    for field, new in changes.items():
        if new is UNSET:
            continue
        old = getattr(obj, field)
        if audit_value(old) != audit_value(new):
            diff[field] = [audit_value(old), audit_value(new)]
        setattr(obj, field, new)
    return diff


def clean_save(obj: models.Model) -> None:
    obj.full_clean()
    obj.save()
