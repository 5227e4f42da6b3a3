"""The operator, its customer institutions, their org units, endpoints, users and roles.

An institution is the tenant: every tenant-owned row elsewhere has a non-null FK to it.
The operator is the organisation that runs the shared solution; its staff act for the
institutions whose service agreements assign them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet
from faelles.tenancy.validators import clean_cvr, clean_gln, compact_cvr


def _check_no_cycle(obj: Any, parent: Any, field: str = "parent") -> None:
    """Refuse a parent that is the object itself or one of its descendants."""
    seen: set[Any] = set()
    node = parent
    while node is not None:
        if obj.pk is not None and node.pk == obj.pk:
            raise ValidationError(
                {field: gettext("The parent cannot be the item itself or one of its children.")},
                code="cycle",
            )
        if node.pk in seen:  # an existing cycle; stop walking
            break
        seen.add(node.pk)
        node = getattr(node, field)


class User(AbstractUser):
    """A person who logs in. What they may do comes from memberships and staff roles."""

    display_name = models.CharField(_("display name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Operator(models.Model):
    """The organisation that runs the shared solution (driftsherre), e.g. Statens Administration."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        self.cvr = compact_cvr(self.cvr)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if self.cvr:
            try:
                self.cvr = clean_cvr(self.cvr)
            except ValidationError as exc:
                raise ValidationError({"cvr": exc.messages}) from None


class Institution(models.Model):
    """A customer of the operator and the tenant of all its data; ministry → agency → unit."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        INSTITUTION = "institution", _("Institution")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    requires_two_persons = models.BooleanField(
        _("requires two persons for manual entries"), default=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="institution_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        self.cvr = compact_cvr(self.cvr)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.cvr:
            try:
                self.cvr = clean_cvr(self.cvr)
            except ValidationError as exc:
                errors["cvr"] = exc.messages
        if self.parent_id is not None:
            try:
                _check_no_cycle(self, self.parent)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    def ancestors(self) -> list[Institution]:
        """Parent, grandparent, … up to the top (a ministry)."""
        chain: list[Institution] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class OrgUnit(models.Model):
    """A unit inside an institution (omkostningssted): the cost-centre dimension."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="org_units")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="orgunit_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.institution_id is not None and self.parent.institution_id != self.institution_id:
            raise ValidationError(
                {"parent": gettext("The parent unit must belong to the same institution.")},
                code="foreign_parent",
            )
        _check_no_cycle(self, self.parent)


class Endpoint(models.Model):
    """An electronic address that documents are sent to. Each routes to exactly one institution."""

    class Scheme(models.TextChoices):
        GLN = "0088", _("EAN/GLN (0088)")
        CVR = "0184", _("CVR (0184)")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="endpoints")
    scheme = models.CharField(_("scheme"), max_length=4, choices=Scheme.choices)
    identifier = models.CharField(_("identifier"), max_length=20)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="endpoints"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")
        ordering = ["scheme", "identifier"]
        constraints = [
            # Global, not per institution: one address routes to exactly one institution.
            models.UniqueConstraint(fields=["scheme", "identifier"], name="endpoint_routes_once"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        identifier = (self.identifier or "").strip()
        try:
            if self.scheme == self.Scheme.GLN:
                self.identifier = clean_gln(identifier)
            elif self.scheme == self.Scheme.CVR:
                self.identifier = clean_cvr(identifier)
        except ValidationError as exc:
            errors["identifier"] = exc.messages
        if "identifier" not in errors and self.scheme and self.identifier:
            other = (
                Endpoint.objects.filter(scheme=self.scheme, identifier=self.identifier)
                .exclude(pk=self.pk)
                .select_related("institution")
                .first()
            )
            if other is not None:
                if other.institution_id == self.institution_id:
                    msg = gettext("%(endpoint)s is already an endpoint of this institution.")
                else:
                    msg = gettext(
                        "%(endpoint)s is already routed to another institution: %(other)s."
                    )
                errors["identifier"] = [
                    msg
                    % {"endpoint": f"{self.scheme}:{self.identifier}", "other": other.institution}
                ]
        if (
            self.org_unit is not None
            and self.institution_id is not None
            and self.org_unit.institution_id != self.institution_id
        ):
            errors["org_unit"] = [gettext("The org unit must belong to the same institution.")]
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    """Roles a person holds in one institution (a membership names one)."""

    INVOICE_RECEIVER = "invoice_receiver", _("Invoice receiver")
    REQUESTER = "requester", _("Requester")
    APPROVER = "approver", _("Approver")
    BOOKKEEPER = "bookkeeper", _("Bookkeeper")
    PAYER = "payer", _("Payer")
    CONTROLLER = "controller", _("Controller")
    LOCAL_ADMIN = "local_admin", _("Local administrator")
    #: Keeps payroll master data and calculates and approves pay runs (lønbehandler).
    PAYROLL_OFFICER = "payroll_officer", _("Payroll officer")
    #: Logs in only to see their own payslips (self-service).
    PAYROLL_EMPLOYEE = "payroll_employee", _("Employee (own payslips)")
    #: Works the tasks of cases (sagsbehandler).
    CASE_HANDLER = "case_handler", _("Case handler")
    #: Approves decisions on cases (sagsansvarlig).
    CASE_MANAGER = "case_manager", _("Case manager")


class StaffRole(models.TextChoices):
    """Roles of the operator's own staff."""

    OPERATOR_ADMIN = "operator_admin", _("Operator administrator")
    CASE_WORKER = "case_worker", _("Operator case worker")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Membership(models.Model):
    """One role of one user in one institution; an approver carries an approval limit (prokura)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    approval_limit = models.DecimalField(
        _("approval limit (DKK)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "user", "role"], name="membership_role_once"
            ),
            models.CheckConstraint(
                condition=Q(approval_limit__isnull=True) | Q(approval_limit__gte=0),
                name="membership_limit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.institution}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.role == Role.APPROVER:
            if self.approval_limit is None:
                errors["approval_limit"] = [
                    gettext("An approver needs an approval limit (prokura).")
                ]
            elif self.approval_limit < 0:
                errors["approval_limit"] = [gettext("The approval limit cannot be negative.")]
        elif self.approval_limit is not None:
            errors["approval_limit"] = [
                gettext("Only an approver has an approval limit; leave it empty for this role.")
            ]
        if (
            self.org_unit is not None
            and self.institution_id is not None
            and self.org_unit.institution_id != self.institution_id
        ):
            errors["org_unit"] = [gettext("The org unit must belong to the same institution.")]
        if errors:
            raise ValidationError(errors)


class OperatorStaff(models.Model):
    """A role of a user on the operator's staff."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=30, choices=StaffRole.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("operator staff role")
        verbose_name_plural = _("operator staff roles")
        constraints = [
            models.UniqueConstraint(fields=["operator", "user", "role"], name="staff_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Delegation(models.Model):
    """A substitute (stedfortræder) acts for a principal in one institution between two dates."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="delegations"
    )
    principal = models.ForeignKey(User, on_delete=models.PROTECT, related_name="delegations_given")
    substitute = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="delegations_received"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="delegation_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("substitute")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} for {self.principal} {self.valid_from}–{self.valid_to}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if (
            self.principal_id is not None
            and self.substitute_id is not None
            and self.principal_id == self.substitute_id
        ):
            errors["substitute"] = [gettext("A person cannot be their own substitute.")]
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = [gettext("The end date must not be before the start date.")]
        if errors:
            raise ValidationError(errors)
        if self.institution_id is None or self.principal_id is None or self.substitute_id is None:
            return
        for field, user_id in (
            ("principal", self.principal_id),
            ("substitute", self.substitute_id),
        ):
            if not Membership.objects.filter(
                institution_id=self.institution_id, user_id=user_id, is_active=True
            ).exists():
                errors[field] = [
                    gettext("%(user)s has no active membership in this institution.")
                    % {"user": getattr(self, field)}
                ]
        if self.revoked_at is None and self.valid_from and self.valid_to:
            overlap = (
                Delegation.objects.filter(
                    institution_id=self.institution_id,
                    principal_id=self.principal_id,
                    revoked_at__isnull=True,
                    valid_from__lte=self.valid_to,
                    valid_to__gte=self.valid_from,
                )
                .exclude(pk=self.pk)
                .select_related("substitute")
                .first()
            )
            if overlap is not None:
                errors["valid_from"] = [
                    gettext(
                        "%(principal)s already has a substitute (%(substitute)s) from %(start)s "
                        "to %(end)s; delegations for the same person must not overlap."
                    )
                    % {
                        "principal": self.principal,
                        "substitute": overlap.substitute,
                        "start": overlap.valid_from.isoformat(),
                        "end": overlap.valid_to.isoformat(),
                    }
                ]
        if errors:
            raise ValidationError(errors)


class Service(models.TextChoices):
    """Services an operator can deliver to an institution."""

    PAYABLES = "payables", _("Invoice handling")
    LEDGER = "ledger", _("Accounting")
    PAYROLL = "payroll", _("Payroll")
    IT = "it", _("IT operations")
    FACILITIES = "facilities", _("Facility management")
    CASES = "cases", _("Case handling")


class ServiceAgreement(models.Model):
    """What the operator does for an institution, from when, and who on the staff serves it."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="service_agreements"
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="service_agreements"
    )
    services = models.JSONField(_("services"), default=list)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    staff = models.ManyToManyField(
        User, blank=True, related_name="served_agreements", verbose_name=_("assigned staff")
    )
    note = models.TextField(_("note"), blank=True)
    approval_limit_ceiling = models.DecimalField(
        _("approval limit ceiling (DKK)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The highest approval limit the institution may give on its own. A higher limit "
            "needs an operator administrator's approval; empty: every limit above 0 needs it."
        ),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("service agreement")
        verbose_name_plural = _("service agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "operator", "valid_from"], name="agreement_once_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agreement_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(approval_limit_ceiling__isnull=True) | Q(approval_limit_ceiling__gte=0),
                name="agreement_ceiling_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} → {self.institution}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        services = self.services if isinstance(self.services, list) else None
        if not services:
            errors["services"] = [gettext("Choose at least one service.")]
        else:
            unknown = sorted({str(s) for s in services} - set(Service.values))
            if unknown:
                errors["services"] = [
                    gettext("Unknown services: %(names)s.") % {"names": ", ".join(unknown)}
                ]
            else:
                self.services = [s for s in Service.values if s in services]
        if self.approval_limit_ceiling is not None and self.approval_limit_ceiling < 0:
            errors["approval_limit_ceiling"] = [gettext("The ceiling cannot be negative.")]
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = [gettext("The end date must not be before the start date.")]
        elif self.valid_from and self.institution_id is not None and self.operator_id is not None:
            overlapping = ServiceAgreement.objects.filter(
                institution_id=self.institution_id,
                operator_id=self.operator_id,
            ).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to is not None:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors["valid_from"] = [
                    gettext(
                        "The institution already has an agreement with this operator "
                        "in that period."
                    )
                ]
        if errors:
            raise ValidationError(errors)

    def is_current(self, on: Any) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class Responsibility(models.Model):
    """One task of an agreement and who owns it: the operator or the institution.

    The matrix is the clear split between shared solution and institution; a task owned by
    the institution that the operator also performs is a shadow function.
    """

    class Owner(models.TextChoices):
        OPERATOR = "operator", _("Operator")
        INSTITUTION = "institution", _("Institution")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="responsibilities"
    )
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.CASCADE, related_name="responsibilities"
    )
    service = models.CharField(_("service"), max_length=30, choices=Service.choices)
    task = models.CharField(_("task"), max_length=100)
    owner = models.CharField(_("owner"), max_length=20, choices=Owner.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "agreement", "service", "task"],
                name="responsibility_task_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.get_owner_display()}"

    def clean(self) -> None:
        if self.agreement_id is None:
            return
        if self.institution_id is not None and self.agreement.institution_id != self.institution_id:
            raise ValidationError(
                {"agreement": gettext("The agreement belongs to another institution.")}
            )
        if self.service and self.service not in (self.agreement.services or []):
            raise ValidationError(
                {"service": gettext("The agreement does not include this service.")}
            )


class ApprovalLimitRequest(models.Model):
    """An approval limit above the institution's ceiling, waiting for an operator administrator.

    The membership's ``approval_limit`` stays the limit in force until a second person (an
    operator administrator who is neither the requester nor the membership's user) approves;
    then the requested limit is written to the membership.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="approval_limit_requests"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="limit_requests"
    )
    requested_limit = models.DecimalField(
        _("requested approval limit (DKK)"), max_digits=18, decimal_places=2
    )
    limit_before = models.DecimalField(
        _("limit in force when requested (DKK)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
    )
    ceiling = models.DecimalField(_("ceiling (DKK)"), max_digits=18, decimal_places=2)
    requested_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        related_name="limit_requests_made",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="limit_requests_decided",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval limit request")
        verbose_name_plural = _("approval limit requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_limit__gte=0), name="limit_request_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(state="requested", decided_at__isnull=True)
                | (~Q(state="requested") & Q(decided_at__isnull=False)),
                name="limit_request_decided_once",
            ),
            # At most one open request per membership: a newer one withdraws the older.
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(state="requested"),
                name="limit_request_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} → {self.requested_limit}"

    def clean(self) -> None:
        if (
            self.membership_id is not None
            and self.institution_id is not None
            and self.membership.institution_id != self.institution_id
        ):
            raise ValidationError(
                {"membership": gettext("The membership belongs to another institution.")}
            )
