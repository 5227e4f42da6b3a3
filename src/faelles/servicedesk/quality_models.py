"""Quality and suppliers (issue 14, item 3): INSTA 800 cleaning inspections, satisfaction
surveys and the supplier scorecard with its penalty rules.

- **INSTA 800** (the Nordic standard for cleaning quality, DS/INSTA 800): the rooms a
  supplier cleans are registered with a room type (:class:`CleanedRoom`); the contract says
  which quality level (QL 1 … 5) each room type is cleaned to (:class:`QualitySpec`). An
  inspection (:class:`CleaningInspection`) of one building's lot draws a sample of rooms by the
  sampling table (``faelles.servicedesk.quality.SAMPLING_TABLE``), assesses each sampled room
  (:class:`InspectedRoom`: defects per object group against the acceptance limits of its
  quality level → approved / not approved), and is approved when the not-approved rooms are
  within the acceptance number of the sample size.
- **Satisfaction** (:class:`SurveyResponse`): a short survey after a ticket is closed, and a
  yearly survey per institution; scores 1 … 5.
- **Scorecard** (:class:`PenaltyRule`, :class:`Scorecard`): per framework contract and period,
  SLA met %, inspections approved %, satisfaction, and the penalties its rules give. Computed
  live; *issuing* a scorecard stores the figures as issued (they never change afterwards).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet
from faelles.servicedesk.models import FrameworkContract, Location, Ticket
from faelles.tenancy.models import Institution


class RoomType(models.TextChoices):
    """INSTA 800 room types (rumkategorier) an FM contract prices and specifies by."""

    OFFICE = "office", _("Office")
    MEETING = "meeting", _("Meeting room")
    CORRIDOR = "corridor", _("Corridor and stairs")
    SANITARY = "sanitary", _("Toilet and bath")
    KITCHEN = "kitchen", _("Kitchen and canteen")
    RECEPTION = "reception", _("Reception and entrance")
    STORAGE = "storage", _("Storage and archive")


class ObjectGroup(models.TextChoices):
    """What the inspector assesses in a room: the defect types of INSTA 800 (loose dirt and
    litter, stains, dust, adhering dirt), counted per room."""

    LITTER = "litter", _("Litter and loose dirt")
    STAINS = "stains", _("Stains")
    DUST = "dust", _("Dust")
    ADHERING = "adhering", _("Adhering dirt")


class CleanedRoom(models.Model):
    """A room in a cleaning contract, with its INSTA 800 room type (the lot of an inspection
    is a building's cleaned rooms)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    room = models.OneToOneField(
        Location, on_delete=models.PROTECT, related_name="cleaning", verbose_name=_("room")
    )
    building = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("building")
    )
    room_type = models.CharField(_("room type"), max_length=20, choices=RoomType.choices)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("cleaned room")
        verbose_name_plural = _("cleaned rooms")
        ordering = ["building", "room"]
        indexes = [models.Index(fields=["building", "room_type"], name="sd_cleaned_building")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.room_type}"

    def clean(self) -> None:
        room = self.room if self.room_id is not None else None
        if room is not None and room.level != Location.Level.ROOM:
            raise ValidationError({"room": gettext("Choose a room.")})
        if room is not None and room.institution_id != self.institution_id:
            raise ValidationError({"room": gettext("The room belongs to another institution.")})


class QualitySpec(models.Model):
    """The quality level (QL 1 … 5, INSTA 800) a contract cleans a room type to at an
    institution: QL 5 the highest (hardly any defects accepted), QL 1 the lowest."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        FrameworkContract, on_delete=models.PROTECT, related_name="quality_specs"
    )
    room_type = models.CharField(_("room type"), max_length=20, choices=RoomType.choices)
    quality_level = models.PositiveSmallIntegerField(_("quality level (QL)"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality level")
        verbose_name_plural = _("quality levels")
        ordering = ["contract", "institution", "room_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "institution", "room_type"], name="sd_quality_spec_once"
            ),
            models.CheckConstraint(
                condition=Q(quality_level__gte=1, quality_level__lte=5), name="sd_quality_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_type} QL{self.quality_level}"


class CleaningInspection(models.Model):
    """An INSTA 800 control inspection of one building's cleaning under a contract.

    ``lot_size``, ``sample_size`` and ``acceptance_number`` are fixed when the sample is drawn
    (from the sampling table); ``not_approved`` and ``approved`` when the inspection is
    completed. A completed inspection never changes."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Sample drawn")
        COMPLETED = "completed", _("Completed")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        FrameworkContract, on_delete=models.PROTECT, related_name="inspections"
    )
    building = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("building")
    )
    inspected_on = models.DateField(_("inspection date"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    lot_size = models.PositiveIntegerField(_("rooms in the lot"))
    sample_size = models.PositiveIntegerField(_("rooms in the sample"))
    acceptance_number = models.PositiveIntegerField(_("acceptance number"))
    not_approved = models.PositiveIntegerField(_("rooms not approved"), null=True, blank=True)
    approved = models.BooleanField(_("approved"), null=True, blank=True)
    seed = models.CharField(max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("cleaning inspection")
        verbose_name_plural = _("cleaning inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [
            models.Index(fields=["institution", "-inspected_on"], name="sd_inspection_inst"),
            models.Index(fields=["contract", "inspected_on"], name="sd_inspection_contract"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_size__lte=models.F("lot_size")), name="sd_sample_within_lot"
            ),
            models.CheckConstraint(
                condition=Q(state="planned", approved__isnull=True)
                | Q(state="completed", approved__isnull=False, not_approved__isnull=False),
                name="sd_inspection_result_when_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building_id} {self.inspected_on}"


class InspectedRoom(models.Model):
    """One sampled room of an inspection: its room type and quality level at the time, the
    defects found per object group, and whether it is approved (every group within the
    acceptance limit of the quality level)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        CleaningInspection, on_delete=models.PROTECT, related_name="rooms"
    )
    room = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    room_type = models.CharField(_("room type"), max_length=20, choices=RoomType.choices)
    quality_level = models.PositiveSmallIntegerField(_("quality level (QL)"))
    defects = models.JSONField(_("defects per object group"), default=dict, blank=True)
    approved = models.BooleanField(_("approved"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspected room")
        verbose_name_plural = _("inspected rooms")
        ordering = ["inspection", "room__code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "room"], name="sd_inspected_room_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.room_id}"


class SurveyResponse(models.Model):
    """A satisfaction answer: after a closed ticket (``ticket`` set) or the yearly survey of
    an institution (``year`` set). Scores 1 (very dissatisfied) … 5 (very satisfied)."""

    class Kind(models.TextChoices):
        TICKET = "ticket", _("After a closed ticket")
        YEARLY = "yearly", _("Yearly survey")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="survey"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("overall satisfaction"))
    answers = models.JSONField(_("answers per question"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_at", "-pk"]
        indexes = [models.Index(fields=["institution", "answered_at"], name="sd_survey_inst")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="sd_survey_1_5"),
            models.CheckConstraint(
                condition=Q(kind="ticket", ticket__isnull=False, year__isnull=True)
                | Q(kind="yearly", ticket__isnull=True, year__isnull=False),
                name="sd_survey_kind_fields",
            ),
            models.UniqueConstraint(
                fields=["institution", "year", "respondent"],
                condition=Q(kind="yearly"),
                name="sd_survey_yearly_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.score}"


class PenaltyRule(models.Model):
    """A penalty clause of a contract (bodsbestemmelse): when a scorecard metric of a period is
    below its threshold, the supplier pays ``amount`` — once, or per whole point (percentage
    point, or tenth of a satisfaction point) below — capped at ``cap``."""

    class Metric(models.TextChoices):
        SLA_MET = "sla_met", _("Service targets met (%)")
        INSPECTIONS = "inspections", _("Inspections approved (%)")
        SATISFACTION = "satisfaction", _("Satisfaction (1–5)")

    class Basis(models.TextChoices):
        ONCE = "once", _("Once when below")
        PER_POINT = "per_point", _("Per point below")

    contract = models.ForeignKey(
        FrameworkContract, on_delete=models.PROTECT, related_name="penalty_rules"
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=6, decimal_places=2)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=14, decimal_places=2)
    cap = models.DecimalField(
        _("cap per period (DKK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("penalty rule")
        verbose_name_plural = _("penalty rules")
        ordering = ["contract", "metric", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="sd_penalty_amount"),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="sd_penalty_threshold"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} < {self.threshold}"


class Scorecard(models.Model):
    """An issued supplier scorecard: the figures of a contract for a period as they were when
    issued (JSON, Decimals as strings) and the penalties. Issued once; never changed."""

    contract = models.ForeignKey(
        FrameworkContract, on_delete=models.PROTECT, related_name="scorecards"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    figures = models.JSONField(_("figures"))
    penalty_total = models.DecimalField(_("penalties (DKK)"), max_digits=14, decimal_places=2)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["contract", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period_start", "period_end"], name="sd_scorecard_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="sd_scorecard_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.period_start}–{self.period_end}"
