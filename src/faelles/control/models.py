"""Cross-institution controls (Den Fælles Dataenhed): control runs and the hits they raise.

A *run* executes one or more controls over every institution an operator serves at once. A
*hit* is one finding: a score (how sure the control is), the money at stake, the objects
involved, the evidence side by side and a reason. A hit belongs to the institution whose money
is at stake (the later invoice, the paying institution) — that institution's controllers see
it on their work list; the operator's staff see every hit of the institutions they serve.

A hit recurs: the next run that finds the same objects (the same ``fingerprint``) refreshes it
instead of raising it again, so a controller's decision (confirmed, dismissed, already known)
stays with it. A dismissed hit's ``pattern`` (e.g. the same payee account and amount) is not
raised again by later runs: the controls learn from the controllers.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet

#: Hits scoring at least this go onto the work lists; lower ones are kept as "possible".
WORK_LIST_THRESHOLD = Decimal("0.600")


class Control(models.TextChoices):
    DUPLICATE_INVOICES = "duplicate_invoices", _("Duplicate invoices")
    DUPLICATE_PAYMENTS = "duplicate_payments", _("Duplicate payments")
    VENDOR_EMPLOYEE_ACCOUNT = "vendor_employee_account", _("Vendor account = employee account")
    SEGREGATION_OF_DUTIES = "segregation_of_duties", _("Segregation of duties")
    VENDOR_EMPLOYEE_MATCH = "vendor_employee_match", _("Vendor matches an employee")


class ControlRun(models.Model):
    """One execution of controls over all institutions an operator serves (``operator``
    empty: every institution, e.g. a command-line run on a one-operator installation)."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    operator = models.ForeignKey(
        "tenancy.Operator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    controls = models.JSONField(_("controls"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("control run")
        verbose_name_plural = _("control runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class HitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    KNOWN = "known", _("Already known")


class Hit(models.Model):
    """One finding of one control: what, how sure, how much money, and what a controller
    decided about it."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="control_hits"
    )
    control = models.CharField(_("control"), max_length=30, choices=Control.choices)
    # sha256 of the control and the objects: the same finding in a later run is this row.
    fingerprint = models.CharField(max_length=64)
    # sha256 of what makes the finding a pattern (e.g. payee account and amount): a dismissed
    # pattern is not raised again.
    pattern = models.CharField(max_length=64, db_index=True)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=3)
    amount = models.DecimalField(_("money at stake"), max_digits=18, decimal_places=2)
    # score × money at stake: the order of the work list.
    priority = models.DecimalField(max_digits=18, decimal_places=2)
    # Every institution whose objects the finding names (pk), the owner first.
    institutions = models.JSONField(default=list)
    # [{"type": "invoice", "id": 12, "institution": 3}, ...]
    objects_involved = models.JSONField(default=list)
    # {"sides": [{...}, {...}], "facts": {...}}: what the hit page shows side by side.
    evidence = models.JSONField(default=dict)
    reason = models.TextField(_("reason"))
    first_run = models.ForeignKey(ControlRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(ControlRun, on_delete=models.PROTECT, related_name="hits")
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("control hit")
        verbose_name_plural = _("control hits")
        ordering = ["-priority", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "control", "fingerprint"], name="control_hit_once"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "-priority"]),
            # a run finds its earlier hits by control and fingerprint, over every institution
            models.Index(fields=["control", "fingerprint"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_control_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("control:hit-detail", args=[self.pk])

    @property
    def on_work_list(self) -> bool:
        return self.score >= WORK_LIST_THRESHOLD
