"""Filters for the tenancy lists, shared by the management pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Delegation,
    Endpoint,
    Institution,
    Membership,
    OperatorStaff,
    OrgUnit,
    Role,
    ServiceAgreement,
    StaffRole,
    User,
)


def _yes_no_widget() -> forms.Select:
    return forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])


def _yes_no(label: str | Any) -> django_filters.BooleanFilter:
    """A yes/no filter whose empty choice means "all" (not "unknown")."""
    return django_filters.BooleanFilter(
        label=label,
        widget=_yes_no_widget(),
    )


class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]
    """An object id: a whole number in the database's range (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class _Base(django_filters.FilterSet):  # type: ignore[misc]
    """``q`` searches the text fields in ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("Search"), method="search")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class _TenantBase(_Base):
    institution = IdFilter(label=_("Institution (id)"), field_name="institution")


class InstitutionFilterSet(_Base):
    search_fields = ("name", "short_name", "cvr")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Institution.Kind.choices)
    is_active = _yes_no(_("Active"))
    parent = IdFilter(label=_("Parent (id)"), field_name="parent")

    class Meta:
        model = Institution
        fields = ["q", "kind", "is_active", "parent"]


class OrgUnitFilterSet(_TenantBase):
    search_fields = ("code", "name")
    is_active = _yes_no(_("Active"))

    class Meta:
        model = OrgUnit
        fields = ["q", "is_active", "institution"]


class EndpointFilterSet(_TenantBase):
    search_fields = ("identifier", "description")
    scheme = django_filters.ChoiceFilter(label=_("Scheme"), choices=Endpoint.Scheme.choices)
    is_active = _yes_no(_("Active"))

    class Meta:
        model = Endpoint
        fields = ["q", "scheme", "is_active", "institution"]


class UserFilterSet(_Base):
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    is_active = _yes_no(_("Active"))

    class Meta:
        model = User
        fields = ["q", "is_active"]


class MembershipFilterSet(_TenantBase):
    search_fields = ("user__username", "user__display_name")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    is_active = _yes_no(_("Active"))
    user = IdFilter(label=_("User (id)"), field_name="user")

    class Meta:
        model = Membership
        fields = ["q", "role", "is_active", "institution", "user"]


class DelegationFilterSet(_TenantBase):
    search_fields = ("principal__username", "substitute__username", "reason")
    current = django_filters.BooleanFilter(
        label=_("In force today"), method="filter_current", widget=_yes_no_widget()
    )
    revoked = django_filters.BooleanFilter(
        label=_("Revoked"), method="filter_revoked", widget=_yes_no_widget()
    )

    class Meta:
        model = Delegation
        fields = ["q", "current", "revoked", "institution"]

    def filter_current(
        self, queryset: QuerySet[Delegation], name: str, value: bool | None
    ) -> QuerySet[Delegation]:
        if value is None:
            return queryset
        today = timezone.localdate()
        now = Q(revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today)
        return queryset.filter(now) if value else queryset.exclude(now)

    def filter_revoked(
        self, queryset: QuerySet[Delegation], name: str, value: bool | None
    ) -> QuerySet[Delegation]:
        if value is None:
            return queryset
        return queryset.filter(revoked_at__isnull=not value)


class ServiceAgreementFilterSet(_TenantBase):
    search_fields = ("institution__name", "operator__name", "note")
    current = django_filters.BooleanFilter(
        label=_("In force today"), method="filter_current", widget=_yes_no_widget()
    )

    class Meta:
        model = ServiceAgreement
        fields = ["q", "current", "institution"]

    def filter_current(
        self, queryset: QuerySet[ServiceAgreement], name: str, value: bool | None
    ) -> QuerySet[ServiceAgreement]:
        if value is None:
            return queryset
        today = timezone.localdate()
        now = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        return queryset.filter(now) if value else queryset.exclude(now)


class OperatorStaffFilterSet(_Base):
    search_fields = ("user__username", "user__display_name", "user__first_name", "user__last_name")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=StaffRole.choices)
    is_active = _yes_no(_("Active"))

    class Meta:
        model = OperatorStaff
        fields = ["q", "role", "is_active"]


class ApprovalLimitRequestFilterSet(_Base):
    search_fields = (
        "membership__user__username",
        "membership__user__display_name",
        "institution__short_name",
        "institution__name",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ApprovalLimitRequest.State.choices
    )
    institution = IdFilter(field_name="institution_id", label=_("Institution"))

    class Meta:
        model = ApprovalLimitRequest
        fields = ["q", "state", "institution"]
