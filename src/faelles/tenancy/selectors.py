"""Reads of tenancy data. Every list a user sees is narrowed here.

Roles come from three places: the user's own active memberships in an institution, the
operator staff roles that apply to an institution the user serves, and — between a
delegation's dates — the roles of a principal the user substitutes for. Callers that act on a
delegated role log the principal as ``on_behalf_of`` (see :func:`acting_for`).

Within a request (:func:`request_facts`, opened by the tenancy middleware) the per-request
facts — the user's staff roles, institutions, roles in each institution and delegations in
force — are read once and remembered until the request ends or it writes to the database
(any statement but a SELECT forgets them), so the middleware, the context processor, the
access gate, the selectors and the views ask the database once between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connections
from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    Expression,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from faelles.tenancy.models import (
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
    StaffRole,
    User,
)

# Roles a substitute does not take over: administration rights are never delegated.
NOT_DELEGABLE: frozenset[str] = frozenset({Role.LOCAL_ADMIN})


_T = TypeVar("_T")
_FACTS: ContextVar[dict[Any, Any] | None] = ContextVar("faelles_request_facts", default=None)


@contextmanager
def request_facts() -> Iterator[None]:
    """Remember the per-request facts (staff roles, institutions, roles, delegations in force)
    for the block: one request. A statement other than SELECT on any database connection
    forgets them, so a request that changes a membership, delegation or agreement and reads
    again sees the change."""
    facts: dict[Any, Any] = {}
    token = _FACTS.set(facts)

    def forget_on_write(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if facts and not sql.lstrip()[:6].upper().startswith("SELECT"):
            facts.clear()
        return execute(sql, params, many, context)

    try:
        with _wrapped(forget_on_write):
            yield
    finally:
        _FACTS.reset(token)


@contextmanager
def standing_facts() -> Iterator[None]:
    """Remember the per-request facts for the block *through writes*: for a batch job that
    acts as many users but changes no membership, delegation, staff role or service agreement
    while it runs (the demo's year of history, a simulation). Anywhere else use
    :func:`request_facts`, which forgets them on the first write."""
    token = _FACTS.set({})
    try:
        yield
    finally:
        _FACTS.reset(token)


@contextmanager
def _wrapped(wrapper: Any) -> Iterator[None]:
    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(wrapper))
        yield


def _remembered(key: tuple[Any, ...], on: date | None, compute: Callable[[], _T]) -> _T:
    """``compute()``, remembered under ``key`` for the rest of the request (only for today:
    an explicit ``on`` date is always read)."""
    facts = _FACTS.get()
    if facts is None or on is not None:
        return compute()
    try:
        value: _T = facts[key]
    except KeyError:
        value = facts[key] = compute()
    return value


def _frozen(queryset: QuerySet[Any], rows: list[Any]) -> QuerySet[Any]:
    """A fresh copy of ``queryset`` already holding ``rows``: iterating, ``first()``,
    ``exists()`` and ``len()`` ask nothing; a further ``filter()`` or ``values()`` queries as
    usual."""
    copy = queryset.all()
    copy._result_cache = list(rows)
    copy._prefetch_done = True  # type: ignore[attr-defined]
    return copy


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _current_agreement(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def is_operator_admin(user: User) -> bool:
    """An active operator administrator (manages every institution the operator serves)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if _FACTS.get() is not None:
        return StaffRole.OPERATOR_ADMIN in staff_roles_for(user)
    return OperatorStaff.objects.filter(
        user=user, role=StaffRole.OPERATOR_ADMIN, is_active=True
    ).exists()


def _administered_operators(user: User) -> QuerySet[OperatorStaff, Any]:
    """The operators whose administrator the user is (their agreements are the ones served)."""
    return OperatorStaff.objects.filter(
        user=user, role=StaffRole.OPERATOR_ADMIN, is_active=True
    ).values("operator")


def _served_agreements(user: User) -> Q:
    """Agreements under which the user serves: all of an operator they administer, and those
    that name them as staff."""
    return Q(operator__in=_administered_operators(user)) | Q(staff=user)


def staff_roles_for(user: User) -> set[str]:
    """The user's active operator staff roles (not tied to one institution)."""
    if not user.is_authenticated:
        return set()
    if _FACTS.get() is not None:
        return set(_request_roles(user)[0])
    return set(
        OperatorStaff.objects.filter(user=user, is_active=True).values_list("role", flat=True)
    )


def institutions_for_user(user: User, *, on: date | None = None) -> QuerySet[Institution]:
    """Institutions the user may work in: own memberships, plus for operator staff the
    institutions whose current service agreements assign them (operator admins: all that
    their operator serves, none of another operator's).
    """
    if not user.is_authenticated or not user.is_active:
        return Institution.objects.none()
    if _FACTS.get() is not None and on is None:
        rows = _remembered(
            ("institutions", user.pk), None, lambda: list(_institutions_for_user(user, None))
        )
        return _frozen(
            Institution.objects.filter(pk__in=[i.pk for i in rows]).order_by("name"), rows
        )
    return _institutions_for_user(user, on)


def _institutions_for_user(user: User, on: date | None) -> QuerySet[Institution]:
    today = _today(on)
    member = Q(memberships__user=user, memberships__is_active=True)
    current = _current_agreement(today, "service_agreements__")
    is_admin = is_operator_admin(user)
    staff = current & Q(service_agreements__staff=user)
    if is_admin:
        staff = current & (
            Q(service_agreements__operator__in=_administered_operators(user))
            | Q(service_agreements__staff=user)
        )
    if not is_admin and not staff_roles_for(user):
        staff = Q(pk__in=[])
    ids = Institution.objects.filter(member | staff, is_active=True).values("pk")
    return Institution.objects.filter(pk__in=ids).order_by("name")


def memberships_for(user: User, institution: Institution) -> QuerySet[Membership]:
    """The user's active memberships in one institution."""
    return Membership.objects.for_institution(institution).filter(user=user, is_active=True)


def active_delegations_for(
    user: User, institution: Institution, *, on: date | None = None
) -> QuerySet[Delegation]:
    """Delegations in force on ``on`` (default today) where ``user`` is the substitute."""
    today = _today(on)
    queryset = (
        Delegation.objects.for_institution(institution)
        .filter(
            substitute=user,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_to__gte=today,
        )
        .select_related("principal")
        .order_by("valid_from", "pk")
    )
    if _FACTS.get() is None or on is not None:
        return queryset
    rows = _remembered(("delegations", user.pk, institution.pk), None, lambda: list(queryset))
    return _frozen(queryset, rows)


def _serves(user: User, institution: Institution, on: date) -> bool:
    agreements = ServiceAgreement.objects.filter(_current_agreement(on), institution=institution)
    return agreements.filter(_served_agreements(user)).exists()


def own_roles_for(user: User, institution: Institution, *, on: date | None = None) -> set[str]:
    """Roles the user holds in person: memberships, and staff roles where the user serves."""
    if not user.is_authenticated or not user.is_active or institution is None:
        return set()
    roles = set(memberships_for(user, institution).values_list("role", flat=True))
    staff = staff_roles_for(user)
    if staff and _serves(user, institution, _today(on)):
        roles |= staff
    return roles


def delegated_roles_for(
    user: User, institution: Institution, *, on: date | None = None
) -> dict[str, list[User]]:
    """Roles the user holds only as a substitute, each with the principals it comes from."""
    if not user.is_authenticated or not user.is_active or institution is None:
        return {}
    delegations = list(active_delegations_for(user, institution, on=on))
    if not delegations:
        return {}
    principals = {d.principal_id: d.principal for d in delegations}
    result: dict[str, list[User]] = {}
    rows = (
        Membership.objects.for_institution(institution)
        .filter(user_id__in=principals, is_active=True, user__is_active=True)
        .exclude(role__in=NOT_DELEGABLE)
        .values_list("role", "user_id")
        .order_by("role", "user_id")
    )
    for role, principal_id in rows:
        result.setdefault(role, []).append(principals[principal_id])
    return result


def roles_for(user: User, institution: Institution, *, on: date | None = None) -> set[str]:
    """Every role the user may act in today: own, staff and as a substitute.

    Use :func:`own_roles_for` / :func:`delegated_roles_for` (or :func:`acting_for`) to tell
    them apart when the action must be logged "on behalf of" the principal.
    """
    if _FACTS.get() is not None and on is None:
        # Within a request: the answer for every institution at once, read once.
        if not user.is_authenticated or not user.is_active or institution is None:
            return set()
        return set(roles_by_institution(user).get(institution.pk, ()))
    return own_roles_for(user, institution, on=on) | set(
        delegated_roles_for(user, institution, on=on)
    )


# Marks the institutions where the user's operator staff roles apply (see roles_by_institution).
_STAFF_MARK = ""


def roles_by_institution(
    user: User, institutions: Iterable[Institution] | None = None, *, on: date | None = None
) -> dict[int, set[str]]:
    """What :func:`roles_for` answers for each institution, by institution pk, in two queries
    however many institutions there are: the user's staff roles, then one union of own
    memberships, the memberships of principals whose delegation to the user is in force, and
    (for operator staff) the institutions the user serves. Institutions where the user has no
    role are left out; ``institutions`` narrows the answer to those given.
    """
    if not user.is_authenticated or not user.is_active:
        return {}
    if institutions is not None or on is not None or _FACTS.get() is None:
        return _roles_by_institution(user, institutions, on)
    return {pk: set(roles) for pk, roles in _request_roles(user)[1].items()}


def _request_roles(user: User) -> tuple[frozenset[str], dict[int, frozenset[str]]]:
    """The user's staff roles and :func:`roles_by_institution`, remembered for the request
    and read with one query: the union of :func:`roles_by_institution` with the staff roles
    as rows of no institution."""

    def read() -> tuple[frozenset[str], dict[int, frozenset[str]]]:
        staff_rows = (
            OperatorStaff.objects.filter(user=user, is_active=True)
            .annotate(no_institution=Cast(Value(None), BigIntegerField()))
            .values_list("no_institution", "role")
        )
        staff: set[str] = set()
        marked: set[int] = set()
        result: dict[int, set[str]] = {}
        for institution_id, role in _role_rows(user, _today(None), staff_rows):
            if institution_id is None:
                staff.add(role)
            elif role == _STAFF_MARK:
                marked.add(institution_id)
            else:
                result.setdefault(institution_id, set()).add(role)
        if staff:  # the institutions served count only for active operator staff
            for institution_id in marked:
                result.setdefault(institution_id, set()).update(staff)
        return frozenset(staff), {pk: frozenset(roles) for pk, roles in result.items()}

    return _remembered(("roles", user.pk), None, read)


def _roles_by_institution(
    user: User, institutions: Iterable[Institution] | None, on: date | None
) -> dict[int, set[str]]:
    staff = staff_roles_for(user)
    ids = None if institutions is None else [i.pk for i in institutions]
    result: dict[int, set[str]] = {}
    for institution_id, role in _role_rows(user, _today(on), None if staff else False, ids):
        roles = result.setdefault(institution_id, set())
        if role == _STAFF_MARK:
            roles |= staff
        else:
            roles.add(role)
    return result


def _role_rows(
    user: User, today: date, staff_rows: Any = None, ids: list[int] | None = None
) -> Any:
    """One union of ``(institution pk, role)``: own memberships, the memberships of principals
    whose delegation to the user is in force, the institutions the user serves as operator
    staff (role ``_STAFF_MARK``; left out when ``staff_rows`` is ``False``) and, when given,
    ``staff_rows``."""
    own = Membership.objects.filter(user=user, is_active=True).values_list("institution_id", "role")
    in_force = Delegation.objects.filter(
        institution_id=OuterRef("institution_id"),
        principal_id=OuterRef("user_id"),
        substitute=user,
        revoked_at__isnull=True,
        valid_from__lte=today,
        valid_to__gte=today,
    )
    delegated = (
        Membership.objects.filter(Exists(in_force), is_active=True, user__is_active=True)
        .exclude(role__in=NOT_DELEGABLE)
        .values_list("institution_id", "role")
    )
    parts: list[QuerySet[Any, tuple[int, str]]] = [own, delegated]
    if staff_rows is not False:
        served = ServiceAgreement.objects.filter(
            _current_agreement(today), _served_agreements(user)
        )
        parts.append(
            served.annotate(mark=Value(_STAFF_MARK, output_field=CharField())).values_list(
                "institution_id", "mark"
            )
        )
    if ids is not None:
        parts = [p.filter(institution_id__in=ids) for p in parts]
    if staff_rows not in (None, False):
        parts.append(staff_rows)
    first, *rest = (p.order_by() for p in parts)
    return first.union(*rest, all=True)


def acting_for(
    user: User, institution: Institution, role: str, *, on: date | None = None
) -> User | None:
    """Whose behalf the user acts on when using ``role``: ``None`` when the role is the
    user's own, otherwise the (first) principal the role is delegated from.

    Raises ``LookupError`` when the user does not hold the role at all.
    """
    if role in own_roles_for(user, institution, on=on):
        return None
    principals = delegated_roles_for(user, institution, on=on).get(role)
    if not principals:
        raise LookupError(f"{user} does not hold the role {role} in {institution}")
    return principals[0]


@dataclass(frozen=True, slots=True)
class ApprovalLimit:
    """The highest amount a user may approve and on whose behalf (``None``: their own)."""

    amount: Decimal
    on_behalf_of: User | None


def approval_limit_for(
    user: User, institution: Institution, *, on: date | None = None
) -> ApprovalLimit | None:
    """The user's approval limit (prokura) in the institution, counting delegations; the
    highest applies (the own on a tie). ``None`` when the user may not approve at all. The
    rule lives once, in :func:`approver_annotations` (read with the invoice lock on the
    approval path)."""
    return approver_for(user, institution, on=on)[0]


def approver_annotations(
    user: User, institution: Institution, *, on: date | None = None
) -> dict[str, Expression | Subquery]:
    """What :func:`approver_from_row` needs, as annotations for any query (one round trip):
    the user's own approval limit, whether they are a system administrator, and the highest
    limit they hold as a substitute with its principal: the principal's active approver
    membership, an active principal, a delegation in force."""
    today = _today(on)

    def limit_of(person: Any) -> QuerySet[Membership, Any]:
        return (
            Membership.objects.for_institution(institution)
            .filter(user=person, is_active=True, role=Role.APPROVER)
            .order_by("pk")
            .values("approval_limit")[:1]
        )

    delegated = (
        Delegation.objects.for_institution(institution)
        .filter(
            substitute=user,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_to__gte=today,
            principal__is_active=True,
        )
        .annotate(principal_limit=Subquery(limit_of(OuterRef("principal_id"))))
        .filter(principal_limit__isnull=False)
        .order_by("-principal_limit", "valid_from", "pk")
    )
    return {
        "approver_own_limit": Subquery(limit_of(user)),
        "approver_system_admin": Exists(
            OperatorStaff.objects.filter(user=user, role=StaffRole.SYSTEM_ADMIN, is_active=True)
        ),
        "approver_delegated_limit": Subquery(delegated.values("principal_limit")[:1]),
        "approver_principal_id": Subquery(delegated.values("principal_id")[:1]),
    }


def approver_from_row(user: User, row: Any) -> tuple[ApprovalLimit | None, bool]:
    """The approval limit (counting delegations; the highest applies, the own on a tie) and
    whether ``user`` is a system administrator, from an object or dict annotated with
    :func:`approver_annotations`. Reads the principal only when a delegation wins."""

    def get(name: str) -> Any:
        return row.get(name) if isinstance(row, dict) else getattr(row, name)

    if not user.is_authenticated or not user.is_active:
        return None, False
    # A subquery's value is not converted by the field on every database: quantize as the
    # field does (1000 -> 1000.00), so the limit reads as when the membership is loaded.
    places = Membership._meta.get_field("approval_limit").decimal_places
    exp = Decimal(1).scaleb(-places)

    def amount(name: str) -> Decimal | None:
        value = get(name)
        return None if value is None else Decimal(value).quantize(exp)

    own, delegated = amount("approver_own_limit"), amount("approver_delegated_limit")
    best: ApprovalLimit | None = None
    if own is not None:
        best = ApprovalLimit(own, None)
    if delegated is not None and (best is None or delegated > best.amount):
        principal = User.objects.get(pk=get("approver_principal_id"))
        best = ApprovalLimit(delegated, principal)
    return best, bool(get("approver_system_admin"))


def approver_for(
    user: User, institution: Institution, *, on: date | None = None
) -> tuple[ApprovalLimit | None, bool]:
    """The user's approval limit in the institution and whether they are a system
    administrator, in one query."""
    if not user.is_authenticated or not user.is_active:
        return None, False
    row = (
        User.objects.filter(pk=user.pk)
        .values("pk")
        .annotate(**approver_annotations(user, institution, on=on))
        .first()
    )
    return approver_from_row(user, row or {})


def user_has_any_access(user: User) -> bool:
    """Whether the user may work anywhere (a login without memberships is refused)."""
    return institutions_for_user(user).exists() or bool(staff_roles_for(user))


# --- lists for management pages and the API -------------------------------------------------


def institutions_managed_by(user: User) -> QuerySet[Institution]:
    """Institutions whose set-up the user may change.

    Operator administrators: every institution their operator serves or has not yet served
    (onboarding); local administrators: their own institution(s). Nobody else.
    """
    if not user.is_authenticated or not user.is_active:
        return Institution.objects.none()
    local = Q(
        memberships__user=user, memberships__role=Role.LOCAL_ADMIN, memberships__is_active=True
    )
    cond = local
    operators = OperatorStaff.objects.filter(
        user=user, role=StaffRole.OPERATOR_ADMIN, is_active=True
    ).values("operator")
    if operators.exists():
        cond = (
            cond
            | Q(service_agreements__operator__in=operators)
            | Q(service_agreements__isnull=True)
        )
    ids = Institution.objects.filter(cond).values("pk")
    return Institution.objects.filter(pk__in=ids).order_by("name")


def child_institutions(institution: Institution) -> QuerySet[Institution]:
    return Institution.objects.filter(parent=institution).order_by("name")


def org_units_for(institution: Institution, *, active_only: bool = False) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.for_institution(institution).select_related("parent")
    return qs.filter(is_active=True) if active_only else qs


def endpoints_for(institution: Institution, *, active_only: bool = False) -> QuerySet[Endpoint]:
    qs = Endpoint.objects.for_institution(institution).select_related("org_unit")
    return qs.filter(is_active=True) if active_only else qs


def endpoint_route(scheme: str, identifier: str) -> Endpoint | None:
    """The active endpoint an incoming document addressed to ``scheme:identifier`` routes to."""
    return (
        Endpoint.objects.filter(scheme=scheme, identifier=identifier.strip(), is_active=True)
        .select_related("institution", "org_unit")
        .first()
    )


def memberships_in(institution: Institution, *, active_only: bool = True) -> QuerySet[Membership]:
    qs = Membership.objects.for_institution(institution).select_related("user", "org_unit")
    qs = qs.order_by("user__username", "role")
    return qs.filter(is_active=True) if active_only else qs


def users_in(institution: Institution) -> QuerySet[User]:
    """Users with an active membership in the institution."""
    ids = Membership.objects.for_institution(institution).filter(is_active=True).values("user")
    return User.objects.filter(pk__in=ids).order_by("username")


def delegations_in(
    institution: Institution, *, include_revoked: bool = False
) -> QuerySet[Delegation]:
    qs = Delegation.objects.for_institution(institution).select_related("principal", "substitute")
    return qs if include_revoked else qs.filter(revoked_at__isnull=True)


def service_agreements_for(institution: Institution) -> QuerySet[ServiceAgreement]:
    return (
        ServiceAgreement.objects.for_institution(institution)
        .select_related("operator")
        .prefetch_related("staff")
        .order_by("-valid_from")
    )


def current_agreement(
    institution: Institution, *, on: date | None = None
) -> ServiceAgreement | None:
    return (
        ServiceAgreement.objects.for_institution(institution)
        .filter(_current_agreement(_today(on)))
        .order_by("-valid_from")
        .first()
    )


def responsibility_matrix(agreement: ServiceAgreement) -> QuerySet[Responsibility]:
    return Responsibility.objects.filter(agreement=agreement).order_by("service", "task")


def operator_staff(operator: Operator | None = None) -> QuerySet[OperatorStaff]:
    qs = OperatorStaff.objects.select_related("user", "operator").order_by("user__username")
    return qs if operator is None else qs.filter(operator=operator)


def operator_for_staff(user: User) -> Operator | None:
    """The operator the user works for (first active staff role)."""
    row = (
        OperatorStaff.objects.filter(user=user, is_active=True)
        .select_related("operator")
        .order_by("pk")
        .first()
    )
    return row.operator if row else None
