"""Forms of the invoice-handling pages: routing and coding rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faelles.payables.models import Vendor
from faelles.payables.reading import MAX_DOCUMENT_BYTES
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, User
from faelles.web.forms import DkfdsFormMixin


class _RuleForm(DkfdsFormMixin, forms.Form):
    priority = forms.IntegerField(label=_("Priority"), min_value=0, initial=100)
    vendor = forms.ModelChoiceField(
        label=_("Vendor"), queryset=Vendor.objects.none(), required=False
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vendor_field: Any = self.fields["vendor"]
        vendor_field.queryset = Vendor.objects.for_institution(institution).order_by("name")


class RoutingRuleForm(_RuleForm):
    buyer_reference = forms.CharField(
        label=_("Buyer or person reference"), max_length=200, required=False
    )
    order_reference = forms.CharField(label=_("Order reference"), max_length=200, required=False)
    endpoint = forms.CharField(
        label=_("Receiver endpoint (EAN/GLN/CVR)"), max_length=50, required=False
    )
    requester = forms.ModelChoiceField(label=_("Requester"), queryset=User.objects.none())

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, institution=institution, **kwargs)
        requester_field: Any = self.fields["requester"]
        requester_field.queryset = selectors.users_in(institution)


class CodingRuleForm(_RuleForm):
    classification = forms.CharField(
        label=_("Item classification (e.g. UNSPSC)"), max_length=50, required=False
    )
    text_contains = forms.CharField(label=_("Line text contains"), max_length=100, required=False)
    account = forms.CharField(label=_("Account"), max_length=12)
    org_unit = forms.CharField(label=_("Cost centre"), max_length=20, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=20, required=False)
    vat_code = forms.CharField(label=_("VAT code"), max_length=10, required=False)


class PaymentRunForm(DkfdsFormMixin, forms.Form):
    execution_date = forms.DateField(label=_("Execution date"))
    debtor_iban = forms.CharField(label=_("Account to pay from (IBAN)"), max_length=40)
    debtor_bic = forms.CharField(label=_("BIC"), max_length=11, required=False)

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class UploadForm(DkfdsFormMixin, forms.Form):
    file = forms.FileField(label=_("E-invoice (OIOUBL or Peppol BIS 3 XML)"))

    def clean_file(self) -> Any:
        """A file over the intake cap is refused here, before anything is stored."""
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(limit)s MB, this one is %(size)s MB."),
                code="too_large",
                params={
                    "limit": f"{MAX_DOCUMENT_BYTES / 2**20:.0f}",
                    "size": f"{upload.size / 2**20:.1f}",
                },
            )
        return upload
