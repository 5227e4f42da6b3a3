"""What a case-type model may refer to: roles (lanes), forms (user tasks) and services.

A model is checked against these registries when it is uploaded (an unknown name is refused
with the element that names it). Institutions model their own case types out of these
building blocks without a programmer; a new kind of service or form is a code change here.

Forms are declared as data (fields with a kind, bounds and choices) so that the same
declaration renders the page, validates the input in the service, and tells the simulator
which values to try on every branch (``samples``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from faelles.tenancy.roles import CASE_LANES

#: The lane names a model may use, and the roles whose holders work them.
ROLES: Mapping[str, frozenset[str]] = CASE_LANES


@dataclass(frozen=True)
class FieldSpec:
    """One field of a task form. ``kind``: bool, int, decimal, text, choice, date."""

    name: str
    kind: str
    label: Any
    required: bool = True
    choices: tuple[tuple[str, Any], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    #: Values the simulator tries (every branch); defaults: both booleans, every choice.
    samples: tuple[Any, ...] = ()

    def sample_values(self) -> tuple[Any, ...]:
        if self.samples:
            return self.samples
        if self.kind == "bool":
            return (True, False)
        if self.kind == "choice":
            return tuple(value for value, _label in self.choices)
        return (self.default_sample(),)

    def default_sample(self) -> Any:
        if self.kind == "int":
            return self.minimum if self.minimum is not None else 1
        if self.kind == "decimal":
            return "1000.00"
        if self.kind == "date":
            return "2026-06-30"
        if self.kind == "choice":
            return self.choices[0][0]
        if self.kind == "bool":
            return True
        return "Simulated text"

    def clean(self, raw: Any) -> Any:
        """The value as stored in the case's data (JSON-able), or ``ValueError`` with why."""
        if raw is None or raw == "":
            if self.kind == "bool":
                return False
            if self.required:
                raise ValueError(str(_("This field is required.")))
            return None
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            return str(raw).lower() in ("1", "true", "on", "yes", "ja")
        if self.kind == "int":
            try:
                value = int(str(raw))
            except ValueError:
                raise ValueError(str(_("Enter a whole number."))) from None
            if self.minimum is not None and value < self.minimum:
                raise ValueError(str(_("The number is too small.")))
            if self.maximum is not None and value > self.maximum:
                raise ValueError(str(_("The number is too large.")))
            return value
        if self.kind == "decimal":
            try:
                amount = Decimal(str(raw)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                raise ValueError(str(_("Enter an amount."))) from None
            if amount < 0:
                raise ValueError(str(_("The amount may not be negative.")))
            return str(amount)
        if self.kind == "date":
            try:
                return dt.date.fromisoformat(str(raw)).isoformat()
            except ValueError:
                raise ValueError(str(_("Enter a date (YYYY-MM-DD)."))) from None
        if self.kind == "choice":
            if str(raw) not in {value for value, _label in self.choices}:
                raise ValueError(str(_("Choose one of the options.")))
            return str(raw)
        text = str(raw).strip()
        if len(text) > 10000:
            raise ValueError(str(_("The text is too long.")))
        if self.required and not text:
            raise ValueError(str(_("This field is required.")))
        return text


MINUTES = FieldSpec(
    "minutes", "int", _("Time spent (minutes)"), required=False, minimum=0, maximum=6000
)


@dataclass(frozen=True)
class FormSpec:
    """A user task's form. ``four_eyes_after``: the form whose completer may not complete this
    one on the same case (a decision is approved by someone other than its drafter)."""

    name: str
    title: Any
    fields: tuple[FieldSpec, ...]
    four_eyes_after: str = ""
    help_text: Any = ""

    def all_fields(self) -> tuple[FieldSpec, ...]:
        return (*self.fields, MINUTES)

    def clean(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """(cleaned data, errors by field)."""
        data: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for spec in self.all_fields():
            try:
                data[spec.name] = spec.clean(raw.get(spec.name))
            except ValueError as exc:
                errors[spec.name] = str(exc)
        return data, errors


OUTCOMES = (
    ("upheld", _("Upheld (the complaint succeeds)")),
    ("partly_upheld", _("Partly upheld")),
    ("not_upheld", _("Not upheld")),
    ("remitted", _("Remitted for a new decision")),
    ("granted", _("Granted")),
    ("refused", _("Refused")),
    ("decided", _("Decided")),
)

FORMS: dict[str, FormSpec] = {}


def register_form(form: FormSpec) -> FormSpec:
    FORMS[form.name] = form
    return form


register_form(
    FormSpec(
        "complaint_register",
        _("Register the complaint"),
        (
            FieldSpec(
                "complainant_is_party", "bool", _("The complainant is a party to the decision")
            ),
            FieldSpec(
                "days_since_decision",
                "int",
                _("Days from the decision to the complaint"),
                minimum=0,
                maximum=3650,
                samples=(10, 40),
            ),
            FieldSpec("summary", "text", _("Summary of the complaint"), required=False),
        ),
    )
)
register_form(
    FormSpec(
        "hearing_statements",
        _("Statements from the parties"),
        (FieldSpec("statements", "text", _("Statements received"), required=False),),
        help_text=_("Register the parties' statements before the hearing deadline."),
    )
)
register_form(
    FormSpec(
        "decision_draft",
        _("Draft the decision"),
        (
            FieldSpec("outcome", "choice", _("Outcome"), choices=OUTCOMES, samples=("upheld",)),
            FieldSpec("reasons", "text", _("Reasons (begrundelse)")),
            FieldSpec("legal_basis", "text", _("Legal basis")),
        ),
    )
)
register_form(
    FormSpec(
        "decision_approve",
        _("Approve the decision"),
        (
            FieldSpec("approved", "bool", _("Approve the decision as drafted")),
            FieldSpec("approval_comment", "text", _("Comment"), required=False),
        ),
        four_eyes_after="decision_draft",
    )
)
register_form(
    FormSpec(
        "appeal_register",
        _("Appeal"),
        (
            FieldSpec("appealed", "bool", _("The decision has been appealed")),
            FieldSpec("appeal_reason", "text", _("Grounds of appeal"), required=False),
        ),
    )
)
# Grant pools
register_form(
    FormSpec(
        "pool_advertise",
        _("Advertise the pool"),
        (
            FieldSpec("pool_amount", "decimal", _("Amount in the pool (DKK)")),
            FieldSpec(
                "application_days",
                "int",
                _("Days open for applications"),
                minimum=1,
                maximum=365,
                samples=(30,),
            ),
        ),
    )
)
#: Where a grant or a benefit is paid (a Danish account: registration and account number).
PAYEE_FIELDS = (
    FieldSpec(
        "payee_reg", "text", _("Registration number of the account paid to"), samples=("1551",)
    ),
    FieldSpec("payee_account", "text", _("Account number paid to"), samples=("3179681",)),
)
register_form(
    FormSpec(
        "grant_application",
        _("Register the application"),
        (
            FieldSpec("applicant_eligible", "bool", _("The applicant is eligible")),
            FieldSpec(
                "requested_amount", "decimal", _("Amount applied for (DKK)"), samples=("250000.00",)
            ),
            *PAYEE_FIELDS,
        ),
    )
)
register_form(
    FormSpec(
        "grant_assessment",
        _("Assess the application"),
        (
            FieldSpec("quality", "int", _("Quality (1–5)"), minimum=1, maximum=5, samples=(2, 5)),
            FieldSpec("relevance", "int", _("Relevance (1–5)"), minimum=1, maximum=5, samples=(4,)),
        ),
    )
)
register_form(
    FormSpec(
        "grant_decision_approve",
        _("Approve the grant decision"),
        (FieldSpec("approved", "bool", _("Approve the decision")),),
        four_eyes_after="grant_assessment",
    )
)
register_form(
    FormSpec(
        "final_report",
        _("Review the final report"),
        (FieldSpec("report_accepted", "bool", _("The final report is accepted")),),
    )
)
# Benefits
register_form(
    FormSpec(
        "benefit_assess",
        _("Assess the benefit application"),
        (
            FieldSpec("entitled", "bool", _("The applicant is entitled")),
            FieldSpec("monthly_amount", "decimal", _("Monthly amount (DKK)"), samples=("4500.00",)),
            FieldSpec(
                "months", "int", _("Number of payments"), minimum=1, maximum=36, samples=(2,)
            ),
            *PAYEE_FIELDS,
        ),
    )
)
register_form(
    FormSpec(
        "benefit_review",
        _("Review before the next payment"),
        (FieldSpec("still_entitled", "bool", _("Still entitled")),),
    )
)


# --- services -----------------------------------------------------------------------------------

#: ``(context, params, data) -> JSON-able result``; ``context`` is faelles.cases.services.StepContext.
ServiceFunc = Callable[[Any, dict[str, Any], dict[str, Any]], Any]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    func: ServiceFunc
    description: str = ""
    params: tuple[str, ...] = field(default_factory=tuple)


SERVICES: dict[str, ServiceSpec] = {}


def service_task(
    name: str, *, params: tuple[str, ...] = (), description: str = ""
) -> Callable[[ServiceFunc], ServiceFunc]:
    """Register a Python callable as the service task ``name`` (models refer to it by name)."""

    def decorate(func: ServiceFunc) -> ServiceFunc:
        SERVICES[name] = ServiceSpec(
            name, func, description or (func.__doc__ or "").strip(), params
        )
        return func

    return decorate


def known_services() -> set[str]:
    from faelles.cases import steps  # noqa: F401 - registers the services

    return set(SERVICES)
