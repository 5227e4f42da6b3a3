"""Forms of the tenancy management pages. They parse input only; the services validate and
write. Choices are narrowed to the institution being managed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from faelles.tenancy import selectors
from faelles.tenancy.models import (
    Endpoint,
    Institution,
    Operator,
    OrgUnit,
    Responsibility,
    Role,
    Service,
    StaffRole,
    User,
)
from faelles.web.forms import DkfdsFormMixin


class _Form(DkfdsFormMixin, forms.Form):
    pass


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstitutionForm(_Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name"), max_length=30, help_text=_("Unique, e.g. an abbreviation.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Institution.Kind.choices)
    cvr = forms.CharField(
        label=_("CVR number"), max_length=20, required=False, help_text=_("8 digits.")
    )
    parent = forms.ModelChoiceField(
        label=_("Parent"), queryset=Institution.objects.none(), required=False
    )
    requires_two_persons = forms.BooleanField(
        label=_("Requires two persons for manual entries"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: User, instance: Institution | None = None, **kw: Any):
        super().__init__(*args, **kw)
        parents = Institution.objects.filter(
            pk__in=selectors.institutions_managed_by(user).values("pk")
        ) | Institution.objects.filter(pk__in=selectors.institutions_for_user(user).values("pk"))
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents.distinct().order_by("name")  # type: ignore[attr-defined]


class InstitutionEditForm(InstitutionForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class OrgUnitForm(_Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Parent"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, institution: Institution, instance: OrgUnit | None = None, **kw: Any
    ):
        super().__init__(*args, **kw)
        parents = selectors.org_units_for(institution, active_only=True)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class OrgUnitEditForm(OrgUnitForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class EndpointForm(_Form):
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Endpoint.Scheme.choices)
    identifier = forms.CharField(
        label=_("Identifier"),
        max_length=20,
        help_text=_("EAN/GLN: 13 digits with check digit. CVR: 8 digits."),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), required=False
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, institution: Institution, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["org_unit"].queryset = selectors.org_units_for(  # type: ignore[attr-defined]
            institution, active_only=True
        )


class EndpointEditForm(EndpointForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class UserForm(_Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=200, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("The user gets a link here to set their own password."),
    )
    role = forms.ChoiceField(
        label=_("First role in the institution"), choices=Role.choices, initial=Role.REQUESTER
    )


class UserEditForm(_Form):
    display_name = forms.CharField(label=_("Display name"), max_length=200, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class MembershipForm(_Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    approval_limit = forms.DecimalField(
        label=_("Approval limit (DKK)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_(
            "Only for approvers. Above the institution's ceiling it needs an operator "
            "administrator's approval first."
        ),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, institution: Institution, users: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["org_unit"].queryset = selectors.org_units_for(  # type: ignore[attr-defined]
            institution, active_only=True
        )


class MembershipEditForm(_Form):
    approval_limit = forms.DecimalField(
        label=_("Approval limit (DKK)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_(
            "Only for approvers. Above the institution's ceiling it needs an operator "
            "administrator's approval first."
        ),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, institution: Institution, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["org_unit"].queryset = selectors.org_units_for(  # type: ignore[attr-defined]
            institution, active_only=True
        )


class DelegationForm(_Form):
    principal = forms.ModelChoiceField(label=_("Principal"), queryset=User.objects.none())
    substitute = forms.ModelChoiceField(label=_("Substitute"), queryset=User.objects.none())
    valid_from = forms.DateField(label=_("From"), widget=_date_widget())
    valid_to = forms.DateField(label=_("To"), widget=_date_widget())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, institution: Institution, **kw: Any):
        super().__init__(*args, **kw)
        people = selectors.users_in(institution)
        self.fields["principal"].queryset = people  # type: ignore[attr-defined]
        self.fields["substitute"].queryset = people  # type: ignore[attr-defined]


class ServiceAgreementForm(_Form):
    operator = forms.ModelChoiceField(label=_("Operator"), queryset=Operator.objects.all())
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label=_("From"), widget=_date_widget())
    valid_to = forms.DateField(label=_("To"), widget=_date_widget(), required=False)
    staff = forms.ModelMultipleChoiceField(
        label=_("Assigned staff"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    approval_limit_ceiling = forms.DecimalField(
        label=_("Approval limit ceiling (DKK)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_(
            "The highest approval limit the institution may give on its own; a higher one "
            "needs an operator administrator's approval. Empty: every limit above 0 needs it."
        ),
    )

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        staff_ids = selectors.operator_staff().filter(is_active=True).values("user")
        self.fields["staff"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=staff_ids
        ).order_by("username")


class ServiceAgreementEditForm(ServiceAgreementForm):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        del self.fields["operator"]


class ResponsibilityForm(_Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    task = forms.CharField(label=_("Task"), max_length=100)
    owner = forms.ChoiceField(label=_("Owner"), choices=Responsibility.Owner.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, services: list[str] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        if services:
            labels = dict(Service.choices)
            self.fields["service"].choices = [(s, labels.get(s, s)) for s in services]  # type: ignore[attr-defined]


class OperatorStaffForm(_Form):
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.filter(is_active=True).order_by("username")
    )
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)


class PasswordSetForm(DkfdsFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    """The user's own new password, twice (from a one-time link)."""


class LimitRequestDecisionForm(_Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
