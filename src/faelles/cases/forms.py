"""Forms: a user task's form built from its declaration, opening a case, uploading a model."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faelles.cases.models import CaseParty, CaseType
from faelles.cases.registry import FormSpec

_WIDGET_CLASS = "form-input"


def _field(spec: Any) -> forms.Field:
    common: dict[str, Any] = {
        "label": spec.label,
        "required": spec.required and spec.kind != "bool",
    }
    if spec.kind == "bool":
        return forms.BooleanField(required=False, label=spec.label)
    if spec.kind == "int":
        return forms.IntegerField(min_value=spec.minimum, max_value=spec.maximum, **common)
    if spec.kind == "decimal":
        return forms.DecimalField(max_digits=18, decimal_places=2, min_value=0, **common)
    if spec.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *spec.choices], **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, **common)


class TaskForm(forms.Form):
    """The form of one user task, from its :class:`FormSpec` (the service validates again)."""

    def __init__(self, *args: Any, spec: FormSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        for field_spec in spec.all_fields():
            field = _field(field_spec)
            field.widget.attrs.setdefault(
                "class", "form-checkbox" if field_spec.kind == "bool" else _WIDGET_CLASS
            )
            self.fields[field_spec.name] = field

    def data_for_service(self) -> dict[str, Any]:
        return {k: ("" if v is None else v) for k, v in self.cleaned_data.items()}


class CaseOpenForm(forms.Form):
    case_type = forms.ModelChoiceField(queryset=CaseType.objects.none(), label=_("Case type"))
    title = forms.CharField(max_length=300, label=_("Title"))
    party_name = forms.CharField(max_length=200, label=_("Complainant or applicant"))
    party_kind = forms.ChoiceField(
        choices=[
            (CaseParty.Kind.CITIZEN, _("Citizen (CPR)")),
            (CaseParty.Kind.COMPANY, _("Company (CVR)")),
        ],
        label=_("Kind"),
    )
    party_number = forms.CharField(max_length=11, label=_("CPR or CVR number"))
    document = forms.FileField(required=False, label=_("Incoming document"))

    def __init__(self, *args: Any, case_types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = case_types  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", _WIDGET_CLASS)


class _MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class ModelUploadForm(forms.Form):
    #: Read by the view with ``request.FILES.getlist("files")``.
    files = forms.FileField(  # type: ignore[assignment]
        label=_("BPMN file and its DMN files"), required=False, widget=_MultipleFiles()
    )
    code = forms.SlugField(required=False, label=_("Code (default: the process id)"))
    name = forms.CharField(required=False, max_length=200, label=_("Name"))
    task_code = forms.CharField(required=False, max_length=40, label=_("FORM task code"))
    kle = forms.CharField(required=False, max_length=40, label=_("KLE classification"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", _WIDGET_CLASS)
