"""What changing a routing rule and a coding rule have in common.

Rules are edited and switched on and off, never deleted. A change lists each field's value
before and after in its audit event (a related object by its id); a change that changes
nothing writes nothing; a rule is switched back on only while it would be valid as a new one.
The services in ``routing`` and ``coding`` check the role and the rule's own validity and call
these for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.tenancy.models import User

R = TypeVar("R", bound=models.Model)


def audit_value(value: object) -> object:
    """A field's value as the audit event keeps it (a related object by its id)."""
    if isinstance(value, models.Model):
        return value.pk
    return value


def changed_fields(rule: models.Model, new: Mapping[str, object]) -> dict[str, dict[str, Any]]:
    """The fields whose new value differs, each with its value before and after."""
    return {
        name: {"before": audit_value(getattr(rule, name)), "after": audit_value(value)}
        for name, value in new.items()
        if audit_value(getattr(rule, name)) != audit_value(value)
    }


def save_changes(
    *,
    actor: User,
    rule: R,
    new: Mapping[str, object],
    changed: dict[str, dict[str, Any]],
    action: str,
) -> R:
    """Apply the new values, check the model, save, and record the change."""
    for name, value in new.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    record_event(
        institution=rule.institution,  # type: ignore[attr-defined]
        actor=actor,
        action=action,
        obj=rule,
        details={"changed": changed},
    )
    return rule


def set_active(
    *,
    actor: User,
    rule: R,
    active: bool,
    action_prefix: str,
    problems: Callable[[], dict[str, Any]],
) -> R:
    """Switch a (locked) rule on or off; ``problems`` says what would make it invalid as a new
    rule, which refuses switching it on."""
    if rule.is_active == active:  # type: ignore[attr-defined]
        raise ValidationError(
            {
                "is_active": [
                    ValidationError(
                        _("The rule is already active.")
                        if active
                        else _("The rule is already inactive."),
                        code="already_active" if active else "already_inactive",
                    )
                ]
            }
        )
    if active:
        errors = problems()
        if errors:
            raise ValidationError(errors)
    rule.is_active = active  # type: ignore[attr-defined]
    rule.full_clean()
    rule.save(update_fields=["is_active"])
    record_event(
        institution=rule.institution,  # type: ignore[attr-defined]
        actor=actor,
        action=f"{action_prefix}.{'reactivated' if active else 'deactivated'}",
        obj=rule,
        details={"changed": {"is_active": {"before": not active, "after": active}}},
    )
    return rule
