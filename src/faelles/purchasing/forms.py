"""Forms of the purchasing pages (DKFDS look through the web shell's mixin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faelles.purchasing.models import PriceBasis
from faelles.tenancy.models import Institution
from faelles.web.forms import DkfdsFormMixin


class AgreementForm(DkfdsFormMixin, forms.Form):
    reference = forms.CharField(label=_("Contract reference"), max_length=100)
    name = forms.CharField(label=_("Name"), max_length=200)
    supplier_name = forms.CharField(label=_("Supplier"), max_length=200)
    supplier_scheme = forms.CharField(
        label=_("Supplier's Peppol scheme"), max_length=4, initial="0184"
    )
    supplier_endpoint = forms.CharField(label=_("Supplier's Peppol id"), max_length=50)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(label=_("Valid to"), widget=forms.DateInput(attrs={"type": "date"}))
    price_basis = forms.ChoiceField(label=_("Price basis"), choices=PriceBasis.choices)
    discount_percent = forms.DecimalField(
        label=_("Discount (%)"), max_digits=5, decimal_places=2, min_value=0, initial=0
    )
    covered = forms.ModelMultipleChoiceField(
        label=_("Institutions covered"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["covered"].queryset = institutions  # type: ignore[attr-defined]


class ToleranceForm(DkfdsFormMixin, forms.Form):
    price_percent = forms.DecimalField(
        label=_("Price tolerance (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    quantity_percent = forms.DecimalField(
        label=_("Quantity tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    approve_when_order_covers = forms.BooleanField(
        label=_("Approve a matched invoice the order covers"),
        help_text=_(
            "A matched invoice whose net amount does not exceed the order's (plus the price "
            "tolerance) is approved as the person who approved the requisition, within that "
            "person's approval limit."
        ),
        required=False,
    )
