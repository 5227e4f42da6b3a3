"""Forms of insight: a task of the inventory, its hours in a month, a business case, an item
of it, and a month's realised gain. Forms parse input; the services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faelles.insight import measure
from faelles.insight.models import Task
from faelles.tenancy.models import Responsibility
from faelles.web.forms import DkfdsFormMixin


class MonthField(forms.CharField):
    """A month typed as YYYY-MM; cleans to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("help_text", _("YYYY-MM"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date:
        text = super().clean(value)
        month = measure.parse_month(text)
        if month is None:
            raise forms.ValidationError(_("Write the month as YYYY-MM."), code="month")
        return month


class TaskForm(DkfdsFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Task
        fields = [
            "name",
            "form_code",
            "volume_per_year",
            "hours_per_year",
            "systems",
            "standardisability",
            "bindings",
            "responsibility",
            "measures",
            "note",
        ]
        help_texts = {
            "systems": _("Separated by commas."),
            "standardisability": _("5 = done the same way everywhere, by rules."),
            "bindings": _("5 = no law, local practice or special system ties it here."),
        }

    def __init__(self, *args: Any, institution: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        field = self.fields["responsibility"]
        field.queryset = Responsibility.objects.for_institution(institution).order_by(  # type: ignore[attr-defined]
            "service", "task"
        )


class HoursForm(DkfdsFormMixin, forms.Form):
    month = MonthField(label=_("Month"))
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=10, decimal_places=1)


class BusinessCaseForm(DkfdsFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    start_month = MonthField(label=_("First month of the plan"))

    class Meta:
        from faelles.insight.models import BusinessCase

        model = BusinessCase
        fields = [
            "title",
            "task",
            "current_scenario",
            "future_scenario",
            "start_month",
            "horizon_years",
            "risk_reserve_pct",
            "baseline_figure",
            "baseline_value",
            "target_value",
        ]
        help_texts = {
            "baseline_value": _(
                "Leave empty to take it from the measured key figures of the 12 months "
                "before the plan starts."
            ),
        }

    def __init__(self, *args: Any, institution: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        self.fields["task"].queryset = Task.objects.for_institution(institution)  # type: ignore[attr-defined]


class ItemForm(DkfdsFormMixin, forms.Form):
    from faelles.insight.models import ItemKind

    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    low = forms.DecimalField(label=_("Minimum"), min_value=0, max_digits=18, decimal_places=2)
    likely = forms.DecimalField(
        label=_("Most likely"), min_value=0, max_digits=18, decimal_places=2
    )
    high = forms.DecimalField(label=_("Maximum"), min_value=0, max_digits=18, decimal_places=2)
    from_year = forms.IntegerField(label=_("From year"), min_value=1, max_value=10, initial=1)
    benefit_owner = forms.CharField(label=_("Benefit owner"), max_length=200, required=False)


class RealisedForm(DkfdsFormMixin, forms.Form):
    month = MonthField(label=_("Month"))
    amount = forms.DecimalField(
        label=_("Realised gain (DKK)"), max_digits=18, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
