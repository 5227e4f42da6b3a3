"""Reads of tenancy data. Every list a user sees is narrowed here."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from faelles.tenancy.models import Institution, OperatorStaff, StaffRole, User


def institutions_for_user(user: User, *, on: date | None = None) -> QuerySet[Institution]:
    """Institutions the user may work in: own memberships, plus for operator staff the
    institutions whose current service agreements assign them (operator admins: all served).
    """
    today = on or timezone.localdate()
    member = Q(memberships__user=user, memberships__is_active=True)
    current = Q(service_agreements__valid_from__lte=today) & (
        Q(service_agreements__valid_to__isnull=True) | Q(service_agreements__valid_to__gte=today)
    )
    is_admin = OperatorStaff.objects.filter(
        user=user, role=StaffRole.OPERATOR_ADMIN, is_active=True
    ).exists()
    staff = current if is_admin else current & Q(service_agreements__staff=user)
    ids = Institution.objects.filter(member | staff, is_active=True).values("pk")
    return Institution.objects.filter(pk__in=ids).order_by("name")
