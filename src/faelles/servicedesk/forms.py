"""Forms of the service-desk pages (DKFDS look through ``dkfds_widgets``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faelles.servicedesk.models import (
    Asset,
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
    asset = forms.ModelChoiceField(
        label=_("Which equipment or installation?"), queryset=Asset.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 6}))
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it for you?"), choices=LEVELS, coerce=int, initial=3
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(
        self,
        *args: Any,
        categories: Any,
        services: Any,
        locations: Any,
        assets: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["asset"].queryset = (  # type: ignore[attr-defined]
            assets if assets is not None else Asset.objects.none()
        )


class PhoneTicketForm(RequestForm):
    """A ticket an agent takes on the phone for a person of a customer institution: a user of
    the institution, or the name and e-mail of someone without an account."""

    requester = forms.ModelChoiceField(
        label=_("Requester (a user of the institution)"),
        queryset=User.objects.none(),
        required=False,
    )
    contact_name = forms.CharField(label=_("Or the caller's name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("and e-mail"), required=False)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=LEVELS, coerce=int, initial=3)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=LEVELS, coerce=int, initial=3)
    description = forms.CharField(
        label=_("What the caller says"), widget=forms.Textarea(attrs={"rows": 6})
    )

    field_order = [
        "requester",
        "contact_name",
        "contact_email",
        "kind",
        "category",
        "service",
        "location",
        "asset",
        "title",
        "description",
        "impact",
        "urgency",
    ]

    def __init__(self, *args: Any, requesters: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.pop("attachment")
        self.fields["requester"].queryset = requesters  # type: ignore[attr-defined]
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = (data.get("contact_name") or "").strip() and data.get("contact_email")
        if data.get("requester") is None and not named:
            raise forms.ValidationError(
                _("Choose the requester, or give the caller's name and e-mail.")
            )
        return data


class PlaceForm(_Dkfds, forms.Form):
    """The room and the asset a ticket is about (the ticket's institution's only)."""

    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False
    )
    asset = forms.ModelChoiceField(label=_("Asset"), queryset=Asset.objects.none(), required=False)

    def __init__(self, *args: Any, locations: Any, assets: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["asset"].queryset = assets  # type: ignore[attr-defined]


class LocationForm(_Dkfds, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Location.Level.choices)
    parent = forms.ModelChoiceField(
        label=_("In (the building of a floor, the floor of a room)"),
        queryset=Location.objects.none(),
        required=False,
    )
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    area_m2 = forms.DecimalField(
        label=_("Area (m²)"), max_digits=10, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args: Any, parents: Any, level_fixed: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        if level_fixed:
            self.fields["level"].disabled = True


class AssetForm(_Dkfds, forms.Form):
    tag = forms.CharField(label=_("Asset tag"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Asset.AssetKind.choices)
    serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False
    )
    user = forms.ModelChoiceField(label=_("Used by"), queryset=User.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, locations: Any, users: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


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
