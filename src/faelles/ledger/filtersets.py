"""Filters for the ledger lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from faelles.ledger.models import Account, AccountClass, EntryState, JournalEntry


class AccountFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    account_class = django_filters.ChoiceFilter(choices=AccountClass.choices, label=_("Class"))
    is_postable = django_filters.BooleanFilter(label=_("Postable"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Account
        fields = ["q", "account_class", "is_postable", "is_active"]

    def search(self, queryset: QuerySet[Account], name: str, value: str) -> QuerySet[Account]:
        return queryset.filter(Q(number__startswith=value) | Q(name__icontains=value))


class EntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.ChoiceFilter(choices=EntryState.choices, label=_("State"))
    kind = django_filters.ChoiceFilter(choices=JournalEntry.Kind.choices, label=_("Kind"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    account = django_filters.CharFilter(method="by_account", label=_("Account"))

    class Meta:
        model = JournalEntry
        fields = ["q", "state", "kind", "date_from", "date_to", "account"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = Q(description__icontains=value) | Q(voucher_ref__icontains=value)
        q |= Q(source_id=value)
        if value.isdigit():
            q |= Q(number=int(value))
        return queryset.filter(q)

    def by_account(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(lines__account__number=value).distinct()
