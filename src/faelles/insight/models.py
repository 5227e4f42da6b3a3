"""Insight (the analytical powerhouse of the shared solution): key figures per institution and
month measured from the platform's own data, the task inventory and its ripeness screening,
business cases in the structure of Statens business case-model and the follow-up of their
gains.

Every row belongs to one institution (the access gate narrows by it); the distribution across
institutions beside each figure is computed from the ``KeyFigure`` table, which the refresh
(``services.key_figures_refresh``) materialises month by month.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet


class Figure(models.TextChoices):
    """The key figures, in the order the pages show them."""

    INVOICES = "invoices", _("Invoices received")
    COST_PER_INVOICE = "cost_per_invoice", _("Cost per invoice (DKK)")
    HOURS_TO_APPROVAL = "hours_to_approval", _("Hours from receipt to approval (median)")
    DAYS_TO_PAYMENT = "days_to_payment", _("Days from receipt to payment (median)")
    ON_TIME_SHARE = "on_time_share", _("Paid on time (%)")
    TOUCHLESS_SHARE = "touchless_share", _("Coded and approved without touch (%)")
    INVOICES_PER_FTE = "invoices_per_fte", _("Invoices per FTE")
    CASE_DAYS = "case_days", _("Case time in days (median)")
    SLA_MET_SHARE = "sla_met_share", _("SLA met (%)")
    RETRO_SHARE = "retro_share", _("Payslips corrected by retro runs (%)")


#: Which way is better: ``True`` when a higher value is better (the place counts from the top).
HIGHER_IS_BETTER: dict[str, bool] = {
    Figure.INVOICES: True,
    Figure.COST_PER_INVOICE: False,
    Figure.HOURS_TO_APPROVAL: False,
    Figure.DAYS_TO_PAYMENT: False,
    Figure.ON_TIME_SHARE: True,
    Figure.TOUCHLESS_SHARE: True,
    Figure.INVOICES_PER_FTE: True,
    Figure.CASE_DAYS: False,
    Figure.SLA_MET_SHARE: True,
    Figure.RETRO_SHARE: False,
}


class KeyFigure(models.Model):
    """One figure of one institution in one month (``month``: its first day). ``value`` is
    empty when the month has nothing to measure (no invoices paid, no tickets resolved);
    ``basis`` is how many items it was measured on; ``source`` says how it was measured
    (e.g. cost from registered hours or from touches × the hourly rate)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="insight_key_figures"
    )
    month = models.DateField(_("month"))
    figure = models.CharField(_("key figure"), max_length=30, choices=Figure.choices)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    basis = models.PositiveIntegerField(_("measured on"), default=0)
    source = models.CharField(_("source"), max_length=30, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["month", "institution", "figure"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "month", "figure"], name="insight_figure_once"
            ),
        ]
        indexes = [models.Index(fields=["month", "figure"], name="insight_figure_month")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.month:%Y-%m} {self.figure}={self.value}"


class Task(models.Model):
    """One task of an institution's task inventory: its FORM code (Den Fælles Offentlige
    Forretningsreferencearkitektur's task classification), volume and hours per year, the
    systems it is done in, and the two judged scores of the ripeness screening
    (``screening.py``): how standardisable it is and how free of bindings (law, local
    practice, special systems; 5 = no bindings). ``responsibility`` links it to the task of the
    service agreement it corresponds to; hours registered on a task the agreement gives the
    operator are shadow work. ``measures`` names the key figure its hours feed (hours on
    invoice handling make the cost per invoice)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="insight_tasks"
    )
    name = models.CharField(_("task"), max_length=200)
    form_code = models.CharField(_("FORM code"), max_length=40)
    volume_per_year = models.PositiveIntegerField(_("volume per year"), default=0)
    hours_per_year = models.DecimalField(
        _("hours per year"), max_digits=10, decimal_places=1, default=0
    )
    systems = models.CharField(_("systems used"), max_length=300, blank=True)
    standardisability = models.PositiveSmallIntegerField(_("standardisability (1–5)"), default=3)
    bindings = models.PositiveSmallIntegerField(_("free of bindings (1–5)"), default=3)
    responsibility = models.ForeignKey(
        "tenancy.Responsibility",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agreement task"),
    )
    measures = models.CharField(
        _("feeds key figure"), max_length=30, choices=Figure.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["institution", "form_code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="insight_task_once"),
            models.CheckConstraint(
                condition=models.Q(standardisability__gte=1, standardisability__lte=5),
                name="insight_task_standardisability_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(bindings__gte=1, bindings__lte=5),
                name="insight_task_bindings_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_code} {self.name}"

    @property
    def system_list(self) -> list[str]:
        return [s.strip() for s in self.systems.split(",") if s.strip()]


class TaskHours(models.Model):
    """Hours an institution registered on one task in one month (``month``: its first day)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="insight_task_hours"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="hours")
    month = models.DateField(_("month"))
    hours = models.DecimalField(_("hours"), max_digits=10, decimal_places=1)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered hours")
        verbose_name_plural = _("registered hours")
        ordering = ["task", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "task", "month"], name="insight_task_hours_once"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="insight_task_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.month:%Y-%m}: {self.hours}"


class BusinessCase(models.Model):
    """A business case in the structure of Statens business case-model
    (Digitaliseringsstyrelsen): the current and the future operating scenario, one-off and
    running costs and benefits as three-point estimates (``BusinessCaseItem``), a risk reserve
    on the costs, benefit owners, and a benefit-realisation plan per month
    (``BenefitPlanLine``) that the follow-up sets realised gains (``BenefitRealisation``)
    against. The baseline is taken from the platform's measured key figures where it can be
    (``baseline_source`` says how)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="insight_business_cases"
    )
    title = models.CharField(_("title"), max_length=200)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="business_cases"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    current_scenario = models.TextField(_("current operating scenario"))
    future_scenario = models.TextField(_("future operating scenario"))
    start_month = models.DateField(_("first month of the plan"))
    horizon_years = models.PositiveSmallIntegerField(_("years"), default=5)
    risk_reserve_pct = models.DecimalField(
        _("risk reserve (per cent of costs)"), max_digits=5, decimal_places=2, default=10
    )
    baseline_figure = models.CharField(
        _("baseline key figure"), max_length=30, choices=Figure.choices, blank=True
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    baseline_source = models.CharField(_("baseline source"), max_length=200, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")
        ordering = ["institution", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(horizon_years__gte=1, horizon_years__lte=10),
                name="insight_case_horizon_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_reserve_pct__gte=0, risk_reserve_pct__lte=100),
                name="insight_case_risk_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    ONE_OFF_COST = "one_off_cost", _("One-off cost")
    RUNNING_COST = "running_cost", _("Running cost (per year)")
    ONE_OFF_BENEFIT = "one_off_benefit", _("One-off benefit")
    RUNNING_BENEFIT = "running_benefit", _("Running benefit (per year)")


class BusinessCaseItem(models.Model):
    """One cost or benefit as a three-point estimate in DKK (running ones per year, from year
    ``from_year`` of the case on). Expected value = (low + 4 × likely + high) / 6 (PERT)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="insight_case_items"
    )
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    description = models.CharField(_("description"), max_length=300)
    low = models.DecimalField(_("minimum"), max_digits=18, decimal_places=2)
    likely = models.DecimalField(_("most likely"), max_digits=18, decimal_places=2)
    high = models.DecimalField(_("maximum"), max_digits=18, decimal_places=2)
    from_year = models.PositiveSmallIntegerField(_("from year"), default=1)
    benefit_owner = models.CharField(_("benefit owner"), max_length=200, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost or benefit")
        verbose_name_plural = _("costs and benefits")
        ordering = ["case", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low__gte=0)
                & models.Q(likely__gte=models.F("low"))
                & models.Q(high__gte=models.F("likely")),
                name="insight_item_low_likely_high",
            ),
            models.CheckConstraint(
                condition=models.Q(from_year__gte=1), name="insight_item_from_year_1"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def expected(self) -> Decimal:
        return ((self.low + 4 * self.likely + self.high) / 6).quantize(Decimal("0.01"))

    @property
    def is_benefit(self) -> bool:
        return self.kind in (ItemKind.ONE_OFF_BENEFIT, ItemKind.RUNNING_BENEFIT)

    @property
    def is_running(self) -> bool:
        return self.kind in (ItemKind.RUNNING_COST, ItemKind.RUNNING_BENEFIT)


class BenefitPlanLine(models.Model):
    """The planned gain of one month (DKK), derived from the case's benefits."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="insight_plan_lines"
    )
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="plan")
    month = models.DateField(_("month"))
    planned = models.DecimalField(_("planned gain"), max_digits=18, decimal_places=2)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["case", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "case", "month"], name="insight_plan_month_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.month:%Y-%m}: {self.planned}"


class BenefitRealisation(models.Model):
    """The gain realised in one month (DKK): measured from the key figures (the baseline cost
    per invoice minus the month's, times the month's invoices) or entered with a note."""

    class Source(models.TextChoices):
        MEASURED = "measured", _("Measured")
        ENTERED = "entered", _("Entered")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="insight_realisations"
    )
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="realised")
    month = models.DateField(_("month"))
    realised = models.DecimalField(_("realised gain"), max_digits=18, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["case", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "case", "month"], name="insight_realised_month_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.month:%Y-%m}: {self.realised}"
