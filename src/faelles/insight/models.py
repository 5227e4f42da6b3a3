"""Insight (the analytical powerhouse of the shared solution): key figures per institution and
month measured from the platform's own data, the task inventory and its ripeness screening,
business cases in the structure of Statens business case-model and the follow-up of their
gains.

Every row belongs to one institution (the access gate narrows by it); the distribution across
institutions beside each figure is computed from the ``KeyFigure`` table, which the refresh
(``services.key_figures_refresh``) materialises month by month.
"""

from __future__ import annotations

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
