"""Forms of the service-desk pages (DKFDS look through ``dkfds_widgets``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faelles.servicedesk.models import (
    CatalogueService,
    Category,
    Domain,
    FrameworkContract,
    Kind,
    Location,
    PriceListItem,
    Team,
)
from faelles.tenancy.models import User
from faelles.web.forms import DkfdsFormMixin

LEVELS = [(1, _("High")), (2, _("Medium")), (3, _("Low"))]


_Dkfds = DkfdsFormMixin


class RequestForm(_Dkfds, forms.Form):
    """What a person of the institution asks in the portal."""

    kind = forms.ChoiceField(label=_("What is it?"), choices=Kind.choices, initial=Kind.REQUEST)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=CatalogueService.objects.none(), required=False
    )
    location = forms.ModelChoiceField(
        label=_("Where?"), queryset=Location.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 6}))
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it for you?"), choices=LEVELS, coerce=int, initial=3
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, categories: Any, services: Any, locations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class MessageForm(_Dkfds, forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the customer)"), required=False
    )


class TransitionForm(_Dkfds, forms.Form):
    reason = forms.CharField(
        label=_("Resolution or reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(_Dkfds, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well were you helped?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(_Dkfds, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False
    )
    contract = forms.ModelChoiceField(
        label=_("Supplier contract"), queryset=FrameworkContract.objects.none(), required=False
    )

    def __init__(self, *args: Any, teams: Any, agents: Any, contracts: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = agents  # type: ignore[attr-defined]
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]


class PriorityForm(_Dkfds, forms.Form):
    impact = forms.TypedChoiceField(label=_("Impact"), choices=LEVELS, coerce=int)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=LEVELS, coerce=int)


class OrderLineForm(_Dkfds, forms.Form):
    price_item = forms.ModelChoiceField(
        label=_("Price list item"), queryset=PriceListItem.objects.none(), required=False
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=3, min_value=0)
    unit_price = forms.DecimalField(
        label=_("Unit price (DKK), without a price list item"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["price_item"].queryset = items  # type: ignore[attr-defined]


class ArticleForm(_Dkfds, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    publish = forms.BooleanField(label=_("Published"), required=False)
    for_every_institution = forms.BooleanField(
        label=_("For every institution the operator serves"), required=False
    )
