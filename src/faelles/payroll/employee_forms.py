"""Forms of the employee pages. Pay-relevant forms only collect values: the view hands them
to ``services.change_propose`` (a pending change, applied when a second person approves)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faelles.payroll.models import Employee, Employment, Frequency, PayElement
from faelles.tenancy.models import OrgUnit
from faelles.web.forms import dkfds_widgets

_DATE = forms.DateInput(attrs={"type": "date"})


class _Form(forms.Form):
    def __init__(self, *args: Any, employee: Employee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.setup()
        dkfds_widgets(self)

    def setup(self) -> None:
        pass


class EmployeeCreateForm(_Form):
    number = forms.CharField(label=_("employee number"), max_length=20)
    name = forms.CharField(label=_("name"), max_length=200)
    cpr = forms.CharField(label=_("CPR number"), max_length=11, help_text=_("DDMMYY-XXXX"))
    address = forms.CharField(label=_("address"), max_length=300, required=False)


class AddressForm(_Form):
    address = forms.CharField(
        label=_("address"),
        max_length=300,
        required=False,
        help_text=_("On one line: Vej 1, 2100 København Ø"),
    )


class BankAccountForm(_Form):
    reg_no = forms.RegexField(label=_("registration number"), regex=r"^\d{4}$")
    account_no = forms.RegexField(label=_("account number"), regex=r"^\d{1,10}$")
    is_nemkonto = forms.BooleanField(label=_("NemKonto"), required=False, initial=True)
    valid_from = forms.DateField(label=_("valid from"), widget=_DATE)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reg_no": data["reg_no"],
            "account_no": data["account_no"],
            "is_nemkonto": data["is_nemkonto"],
            "valid_from": data["valid_from"],
        }


class PayElementForm(_Form):
    employment = forms.ModelChoiceField(label=_("employment"), queryset=Employment.objects.none())
    code = forms.CharField(label=_("code"), max_length=30)
    text = forms.CharField(label=_("text"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=PayElement.Kind.choices)
    amount = forms.DecimalField(label=_("amount"), max_digits=14, decimal_places=2, required=False)
    hours = forms.DecimalField(label=_("hours"), max_digits=8, decimal_places=2, required=False)
    rate = forms.DecimalField(label=_("rate"), max_digits=10, decimal_places=2, required=False)
    valid_from = forms.DateField(label=_("valid from"), widget=_DATE)
    valid_to = forms.DateField(label=_("valid to"), widget=_DATE, required=False)

    def setup(self) -> None:
        assert self.employee is not None
        self.fields["employment"].queryset = self.employee.employments.all()  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {
            "employment_id": data["employment"].pk,
            "code": data["code"],
            "text": data["text"],
            "kind": data["kind"],
            "valid_from": data["valid_from"],
        }
        for key in ("amount", "hours", "rate", "valid_to"):
            if data.get(key) is not None:
                out[key] = data[key]
        return out


class PayElementEndForm(_Form):
    element = forms.ModelChoiceField(label=_("pay element"), queryset=PayElement.objects.none())
    valid_to = forms.DateField(label=_("valid to"), widget=_DATE)

    def setup(self) -> None:
        assert self.employee is not None
        self.fields["element"].queryset = PayElement.objects.filter(  # type: ignore[attr-defined]
            employment__employee=self.employee, valid_to__isnull=True
        )


class NewEmploymentForm(_Form):
    org_unit = forms.ModelChoiceField(label=_("cost centre"), queryset=OrgUnit.objects.none())
    position = forms.CharField(label=_("position"), max_length=100)
    agreement = forms.ChoiceField(label=_("agreement"), choices=Employment.Agreement.choices)
    weekly_hours = forms.DecimalField(label=_("hours per week"), max_digits=5, decimal_places=2)
    frequency = forms.ChoiceField(label=_("pay frequency"), choices=Frequency.choices)
    start = forms.DateField(label=_("start"), widget=_DATE)

    def setup(self) -> None:
        assert self.employee is not None
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            institution_id=self.employee.institution_id, is_active=True
        ).order_by("code")

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "org_unit_id": data["org_unit"].pk,
            "position": data["position"],
            "agreement": data["agreement"],
            "weekly_hours": data["weekly_hours"],
            "frequency": data["frequency"],
            "start": data["start"],
        }


class EmploymentForm(_Form):
    employment = forms.ModelChoiceField(label=_("employment"), queryset=Employment.objects.none())
    weekly_hours = forms.DecimalField(label=_("hours per week"), max_digits=5, decimal_places=2)
    org_unit = forms.ModelChoiceField(label=_("cost centre"), queryset=OrgUnit.objects.none())
    effective_from = forms.DateField(label=_("effective from"), widget=_DATE)

    def setup(self) -> None:
        assert self.employee is not None
        self.fields["employment"].queryset = self.employee.employments.all()  # type: ignore[attr-defined]
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            institution_id=self.employee.institution_id, is_active=True
        ).order_by("code")


__all__ = [
    "AddressForm",
    "BankAccountForm",
    "EmployeeCreateForm",
    "EmploymentForm",
    "NewEmploymentForm",
    "PayElementEndForm",
    "PayElementForm",
]
