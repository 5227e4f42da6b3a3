"""Who may read and write the ledger of an institution, and the gate to its rows.

Who sees the ledger is declared in ``faelles.tenancy.roles`` (area ledger); every row passes
``faelles.core.access`` with those roles, so a missing row, another institution's row and a
row of an institution where the user holds no ledger role all answer the same 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from faelles.core.access import access_object, institutions_with_role, restrict, user_can
from faelles.tenancy.models import Institution, Role, User
from faelles.tenancy.roles import Area, view_roles

VIEW_ROLES = view_roles(Area.LEDGER)
ENTRY_ROLES = frozenset({Role.BOOKKEEPER})
PERIOD_ROLES = frozenset({Role.BOOKKEEPER, Role.LOCAL_ADMIN})
POSTING_ACCOUNTS_ROLES = frozenset({Role.BOOKKEEPER, Role.LOCAL_ADMIN})


def may_view(user: User, institution: Institution | None) -> bool:
    return user_can(user, institution, VIEW_ROLES)


def may_enter(user: User, institution: Institution | None) -> bool:
    return user_can(user, institution, ENTRY_ROLES)


def may_manage_periods(user: User, institution: Institution | None) -> bool:
    return user_can(user, institution, PERIOD_ROLES)


def may_change_posting_accounts(user: User, institution: Institution | None) -> bool:
    return user_can(user, institution, POSTING_ACCOUNTS_ROLES)


def ledger_institutions(user: User) -> list[Institution]:
    """The institutions whose ledger ``user`` may read (the roles of all of them are read at
    once, not institution by institution)."""
    return list(institutions_with_role(user, VIEW_ROLES))


def ledger_rows(model_or_qs: type[Model] | QuerySet[Any], *, user: User) -> QuerySet[Any]:
    """The rows of ``model_or_qs`` in the ledgers ``user`` may read."""
    return restrict(model_or_qs, user=user, roles=VIEW_ROLES)


def access_ledger_object(model_or_qs: type[Model] | QuerySet[Any], *, user: User, pk: Any) -> Any:
    """A ledger row if ``user`` may read its institution's ledger; the same 404 for missing
    and foreign rows."""
    return access_object(model_or_qs, user=user, pk=pk, roles=VIEW_ROLES)
