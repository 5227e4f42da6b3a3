"""Forms of the web shell and the helpers that give every form the DKFDS look."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from faelles.web import throttle
from faelles.web.permissions import may_log_in

_INPUT_TYPES = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
)


def dkfds_widgets(form: forms.BaseForm) -> forms.BaseForm:
    """Give each widget the DKFDS class for its kind (form-input, form-select …)."""
    for field in form.fields.values():
        widget = field.widget
        css = widget.attrs.get("class", "")
        if isinstance(widget, forms.CheckboxInput):
            extra = "form-checkbox"
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            extra = ""
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            extra = "form-select"
        elif isinstance(widget, (forms.Textarea, *_INPUT_TYPES)):
            extra = "form-input"
        else:
            extra = ""
        if extra and extra not in css.split():
            widget.attrs["class"] = f"{css} {extra}".strip()
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
    return form


# The bounds every number and date a form takes must stay within, so that no input reaches the
# database or date arithmetic out of range (a form error, never a 500): integers within the
# database's 32-bit integer columns, dates within years the platform can book or plan for.
INTEGER_MAX = 2**31 - 1
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)
DECIMAL_MAX_DIGITS = 18


def bound_inputs(form: forms.BaseForm) -> forms.BaseForm:
    """Give every integer, decimal and date field of ``form`` the bounds above, unless it
    declares tighter ones itself."""
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
            if field.max_value is None or field.max_value > INTEGER_MAX:
                field.max_value = INTEGER_MAX
                field.validators.append(MaxValueValidator(INTEGER_MAX))
                field.widget.attrs.setdefault("max", INTEGER_MAX)
            if field.min_value is None or field.min_value < -INTEGER_MAX:
                field.min_value = -INTEGER_MAX
                field.validators.append(MinValueValidator(-INTEGER_MAX))
        if isinstance(field, forms.DecimalField) and field.max_digits is None:
            field.max_digits = DECIMAL_MAX_DIGITS
            field.validators.append(DecimalValidator(DECIMAL_MAX_DIGITS, field.decimal_places))
        if isinstance(field, forms.DateField):
            field.validators.append(
                MinValueValidator(
                    DATE_MIN,
                    message=_("Give a date in %(year)s or later.") % {"year": DATE_MIN.year},
                )
            )
            field.validators.append(
                MaxValueValidator(
                    DATE_MAX,
                    message=_("Give a date in %(year)s or earlier.") % {"year": DATE_MAX.year},
                )
            )
    return form


class DkfdsFormMixin:
    """Mix into a form so that it renders with DKFDS markup and classes, and with every number
    and date bounded (``bound_inputs``)."""

    template_name = "web/forms/div.html"
    template_name_div = "web/forms/div.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dkfds_widgets(self)  # type: ignore[arg-type]
        bound_inputs(self)  # type: ignore[arg-type]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names if the form has that
    field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def locked_error(wait_seconds: int) -> ValidationError:
    """The message shown while the login throttle holds a username or address."""
    minutes = max(1, math.ceil(wait_seconds / 60))
    return ValidationError(
        ngettext(
            "Too many failed login attempts. Try again in %(minutes)d minute.",
            "Too many failed login attempts. Try again in %(minutes)d minutes.",
            minutes,
        ),
        code="locked",
        params={"minutes": minutes},
    )


class ThrottledLoginMixin:
    """Login throttling for an AuthenticationForm: counts failures per username and per client
    address; while locked, answers with a clear message and does not check the password."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        address = throttle.client_address(self.request)
        wait = throttle.locked_for_seconds(username, address)
        if wait:
            raise locked_error(wait)
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except ValidationError as exc:
            if any(e.code == "invalid_login" for e in exc.error_list):
                throttle.login_failure_record(username=username, address=address)
            raise
        if username:
            throttle.login_success_record(username=username)
        return cleaned


class LoginForm(DkfdsFormMixin, ThrottledLoginMixin, AuthenticationForm):
    """Username and password; refused while throttled and for people with nowhere to work."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_membership": _(
            "Your user has no role in any institution, so you cannot log in. "
            "Ask your local administrator to give you a role."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not may_log_in(user):
            raise ValidationError(self.error_messages["no_membership"], code="no_membership")


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The Django admin's login, throttled like the application's."""


class InstitutionSwitchForm(forms.Form):
    institution = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    next = forms.CharField(required=False, max_length=2000)


class PasswordChangeForm(DkfdsFormMixin, forms.Form):
    """The user's own password: the current one, and the new one twice."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits and not a common password."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        one, two = cleaned.get("new_password1"), cleaned.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("The two new passwords differ."))
        return cleaned
