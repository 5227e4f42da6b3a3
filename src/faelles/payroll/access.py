"""Who may see and do what in an institution's payroll, and the gate to its rows.

Who sees the area is declared in ``faelles.tenancy.roles`` (area payroll). Payroll officers of
the institution and the operator's case workers serving it act (keep master data, calculate
and approve runs); a controller only reads. Every act that changes pay needs two different
persons: the services refuse the second step by the person who made the first.

An employee sees their own payslips (self-service) through the employee record linked to
their user, whatever roles they hold; nothing else of the payroll.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from faelles.core.access import access_object, restrict, user_can
from faelles.tenancy.roles import CASE_WORKER, PAYROLL_OFFICER, Area, view_roles

VIEW_ROLES = view_roles(Area.PAYROLL)
ACT_ROLES = frozenset({PAYROLL_OFFICER, CASE_WORKER})


def may_view(user: Any, institution: Any) -> bool:
    return user_can(user, institution, VIEW_ROLES)


def may_act(user: Any, institution: Any) -> bool:
    return user_can(user, institution, ACT_ROLES)


def payroll_rows(model: type[Model] | QuerySet[Any], user: Any, institution: Any = None) -> Any:
    """The rows of ``model`` in the institutions where ``user`` sees the payroll."""
    return restrict(model, user=user, institution=institution, roles=VIEW_ROLES)


def access_payroll_object(
    model: type[Model] | QuerySet[Any], user: Any, pk: Any, institution: Any = None
) -> Any:
    """One payroll row, or 404 for missing, foreign and not-in-your-area alike."""
    return access_object(model, user=user, pk=pk, institution=institution, roles=VIEW_ROLES)
