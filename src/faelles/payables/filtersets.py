"""The invoice filters, shared by the inbox page and the invoice API list.

Both apply :class:`InvoiceFilterSet` on top of the gated queryset (``payables.selectors``:
the page narrows to the institution the user works in, the API to all the user's
institutions), so the same query string selects the same invoices in both. The page's default
scope is ``mine``; a request without ``scope`` in the API lists all visible invoices.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faelles.payables import selectors
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.workflow import OPEN_STATES
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Institution, User

SCOPE_MINE = "mine"
SCOPE_ROLE = "role"
SCOPE_ALL = "all"
SCOPES = (
    (SCOPE_MINE, _("Where I must act")),
    (SCOPE_ROLE, _("Waiting for my roles")),
    (SCOPE_ALL, _("All invoices")),
)


class InvoiceFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    scope = django_filters.ChoiceFilter(choices=SCOPES, method="by_scope", label=_("Show"))
    state = django_filters.ChoiceFilter(choices=InvoiceState.choices, label=_("State"))
    vendor = django_filters.NumberFilter(field_name="vendor_id", label=_("Vendor"))
    q = django_filters.CharFilter(method="search", label=_("Search (number or vendor)"))
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due on or after")
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before")
    )
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))
    amount_min = django_filters.NumberFilter(
        field_name="payable_amount", lookup_expr="gte", label=_("Amount from")
    )
    amount_max = django_filters.NumberFilter(
        field_name="payable_amount", lookup_expr="lte", label=_("Amount to")
    )

    class Meta:
        model = Invoice
        fields = [
            "scope",
            "state",
            "vendor",
            "q",
            "due_after",
            "due_before",
            "overdue",
            "amount_min",
            "amount_max",
        ]

    def __init__(self, *args: Any, institution: Institution | None = None, **kwargs: Any):
        """``institution``: the one institution the queryset is narrowed to (the page);
        without it (the API) the scope covers every institution the user sees."""
        super().__init__(*args, **kwargs)
        self.institution = institution

    def _institutions(self) -> list[Institution]:
        if self.institution is not None:
            return [self.institution]
        return list(selectors.viewable_institutions(self._user()))

    def _user(self) -> User:
        user: User = self.request.user
        return user

    def by_scope(self, queryset: QuerySet[Invoice], name: str, value: str) -> QuerySet[Invoice]:
        if value == SCOPE_ALL or self.request is None:
            return queryset
        user = self._user()
        institutions = self._institutions()
        if value == SCOPE_MINE:
            conditions = [selectors.inbox_q(user, i) for i in institutions]
        else:
            conditions = [
                Q(institution_id=i.pk, next_role__in=tenancy.roles_for(user, i))
                for i in institutions
            ]
        if not conditions:
            return queryset.none()
        return queryset.filter(reduce(or_, conditions))

    def search(self, queryset: QuerySet[Invoice], name: str, value: str) -> QuerySet[Invoice]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(vendor__name__icontains=value))

    def by_overdue(self, queryset: QuerySet[Invoice], name: str, value: Any) -> QuerySet[Invoice]:
        if value is None:
            return queryset
        late = Q(state__in=OPEN_STATES, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
