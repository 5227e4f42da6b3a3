"""Who may read and write the ledger of an institution, and the gate to its rows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from faelles.core.access import user_can
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, StaffRole, User

VIEW_ROLES = frozenset(
    {
        Role.BOOKKEEPER,
        Role.CONTROLLER,
        Role.LOCAL_ADMIN,
        Role.PAYER,
        StaffRole.CASE_WORKER,
        StaffRole.OPERATOR_ADMIN,
    }
)
ENTRY_ROLES = frozenset({Role.BOOKKEEPER})
PERIOD_ROLES = frozenset({Role.BOOKKEEPER, Role.LOCAL_ADMIN})


def may_view(user: User, institution: Institution | None) -> bool:
    return user_can(user, institution, VIEW_ROLES)


def may_enter(user: User, institution: Institution | None) -> bool:
    return user_can(user, institution, ENTRY_ROLES)


def may_manage_periods(user: User, institution: Institution | None) -> bool:
    return user_can(user, institution, PERIOD_ROLES)


def ledger_institutions(user: User) -> list[Institution]:
    """The institutions whose ledger ``user`` may read (the roles of all of them are read at
    once, not institution by institution)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    roles = selectors.roles_by_institution(user)
    return [i for i in selectors.institutions_for_user(user) if roles.get(i.pk, set()) & VIEW_ROLES]


def access_ledger_object(model_or_qs: type[Model] | QuerySet[Any], *, user: User, pk: Any) -> Any:
    """A ledger row if ``user`` may read its institution's ledger; the same 404 for missing
    and foreign rows."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    ids = [i.pk for i in ledger_institutions(user)]
    try:
        return qs.filter(institution_id__in=ids).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(_("Not found.")) from None
