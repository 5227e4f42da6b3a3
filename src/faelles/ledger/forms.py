"""Forms of the ledger pages: the manual entry with its lines, and the report parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faelles.ledger.services import EntrySpec, LineSpec
from faelles.web.forms import bound_inputs

LINES = 8


class ManualEntryForm(forms.Form):
    """A manual entry: date, text, voucher and up to eight lines (account, cost centre,
    purpose, debit or credit, text)."""

    date = forms.DateField(label=_("Posting date"), initial=timezone.localdate)
    description = forms.CharField(label=_("Description"), max_length=300)
    voucher_ref = forms.CharField(label=_("Voucher"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_inputs(self)
        for i in range(1, LINES + 1):
            required = i <= 2
            self.fields[f"account_{i}"] = forms.CharField(
                label=_("Account"), max_length=12, required=required
            )
            self.fields[f"org_unit_{i}"] = forms.CharField(
                label=_("Cost centre"), max_length=20, required=False
            )
            self.fields[f"purpose_{i}"] = forms.CharField(
                label=_("Purpose"), max_length=20, required=False
            )
            self.fields[f"debit_{i}"] = forms.DecimalField(
                label=_("Debit"), max_digits=18, decimal_places=2, required=False, min_value=0
            )
            self.fields[f"credit_{i}"] = forms.DecimalField(
                label=_("Credit"), max_digits=18, decimal_places=2, required=False, min_value=0
            )
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Text"), max_length=300, required=False
            )

    def line_rows(self) -> list[list[forms.BoundField]]:
        names = ("account", "org_unit", "purpose", "debit", "credit", "text")
        return [[self[f"{n}_{i}"] for n in names] for i in range(1, LINES + 1)]

    def spec(self) -> EntrySpec:
        data = self.cleaned_data
        lines = []
        for i in range(1, LINES + 1):
            account = (data.get(f"account_{i}") or "").strip()
            if not account:
                continue
            lines.append(
                LineSpec(
                    account=account,
                    org_unit=(data.get(f"org_unit_{i}") or "").strip() or None,
                    purpose=(data.get(f"purpose_{i}") or "").strip() or None,
                    debit=data.get(f"debit_{i}") or Decimal(0),
                    credit=data.get(f"credit_{i}") or Decimal(0),
                    text=data.get(f"text_{i}") or "",
                )
            )
        entry_date: date = data["date"]
        return EntrySpec(
            date=entry_date,
            description=data["description"],
            voucher_ref=data.get("voucher_ref") or "",
            lines=lines,
        )


# The fiscal years the ledger opens and reports on.
YEAR_MIN, YEAR_MAX = 2000, 2100


class FiscalYearForm(forms.Form):
    """The year of a fiscal year to open, or of a report (a form error outside the range)."""

    year = forms.IntegerField(label=_("Fiscal year"), min_value=YEAR_MIN, max_value=YEAR_MAX)


class PeriodRangeForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    period_from = forms.IntegerField(label=_("From period"), min_value=1, max_value=12, initial=1)
    period_to = forms.IntegerField(label=_("To period"), min_value=1, max_value=12, initial=12)
    org_unit = forms.CharField(label=_("Cost centre"), required=False, max_length=20)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=20)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if (
            data.get("period_from")
            and data.get("period_to")
            and data["period_from"] > data["period_to"]
        ):
            raise forms.ValidationError(_("The first period comes after the last."))
        return data


class StatementForm(forms.Form):
    account = forms.CharField(label=_("Account"), max_length=12)
    date_from = forms.DateField(label=_("From"))
    date_to = forms.DateField(label=_("To"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_inputs(self)


class LocalAccountForm(forms.Form):
    """A local account beneath a common account of the shared chart."""

    parent_number = forms.CharField(label=_("Common account"), max_length=12)
    number = forms.CharField(
        label=_("Number"), max_length=12, help_text=_("Starts with the common account's number.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)


class PostingAccountsForm(forms.Form):
    """The accounts an institution's invoices and payments post to, chosen among its own
    postable, active accounts."""

    payables_account = forms.ChoiceField(label=_("Vendors payable account (kreditorer)"))
    input_vat_account = forms.ChoiceField(label=_("Input VAT account"))
    bank_account = forms.ChoiceField(label=_("Bank account (payments)"))

    def __init__(self, *args: Any, accounts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("payables_account", "input_vat_account", "bank_account"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "---------"), *accounts]
            field.help_text = _(
                "Applies to what is posted from now on; posted entries keep theirs."
            )
