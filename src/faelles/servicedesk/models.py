"""Service desk and facility management on one ticket model (issue 14, item 2).

The operator (Statens It, Bygningsstyrelsen's integrated supplier) serves many institutions:

- what an institution buys is its **service catalogue** (:class:`CatalogueService`), read from
  its service agreement: a service, the **service level** it is delivered at
  (:class:`ServiceLevel`: a business calendar and targets per priority) and its price;
- requests, incidents and facility work orders are **tickets** (:class:`Ticket`) with a
  category, a priority from impact × urgency, a team or a supplier under a framework contract
  (:class:`FrameworkContract`, priced by its :class:`PriceListItem` rows) and priced order
  lines (:class:`OrderLine`);
- every change of a ticket is a :class:`TicketEvent`. The SLA clocks are computed from those
  events by ``faelles.sla`` and never stored as truth: the ``*_due`` columns and
  ``sla_state`` are a cache for sorting and escalation, recomputed after every event
  (``faelles.servicedesk.clocks``);
- inbound mail is stored as received (:class:`InboundMail`, the raw bytes) before it creates
  or updates a ticket; attachments are kept (:class:`Attachment`);
- locations (building → floor → room) and assets (IT equipment, installations) per institution,
  a knowledge base (:class:`Article`).

Teams, suppliers, categories and framework contracts belong to the operator (they serve
many institutions); everything about one institution's work carries its ``institution``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet
from faelles.tenancy.models import Institution, Operator, ServiceAgreement


class Kind(models.TextChoices):
    """What a ticket is (ITIL: service request, incident; facility management: work order)."""

    REQUEST = "request", _("Service request")
    INCIDENT = "incident", _("Incident")
    WORK_ORDER = "work_order", _("Work order")


class Domain(models.TextChoices):
    """Which part of the operator delivers: IT operations or facility management."""

    IT = "it", _("IT")
    FACILITIES = "facilities", _("Facility management")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)


class Channel(models.TextChoices):
    PORTAL = "portal", _("Self-service portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    AGENT = "agent", _("Service desk")
    API = "api", _("API")


class SlaState(models.TextChoices):
    """The cached state of the clocks (for the list and escalation; the truth is computed)."""

    NONE = "none", _("No service level")
    RUNNING = "running", _("Running")
    WARNING = "warning", _("Close to breach")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class ServiceLevel(models.Model):
    """A service level of an institution's agreement: the business calendar its clocks count
    in and the response and resolution targets per priority (business minutes).

    ``calendar`` is the calendar in the JSON form of ``faelles.sla`` (timezone, hours,
    holidays, closed); ``targets`` maps a priority ("1" … "4") to
    ``{"response_minutes": n, "resolution_minutes": m}``.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="service_levels"
    )
    agreement = models.ForeignKey(
        ServiceAgreement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_levels",
        verbose_name=_("service agreement"),
    )
    name = models.CharField(_("name"), max_length=100)
    calendar = models.JSONField(_("business calendar"))
    targets = models.JSONField(_("targets per priority"))
    warning_percent = models.PositiveSmallIntegerField(
        _("warn when this share of the target is used (%)"), default=80
    )
    is_default = models.BooleanField(_("default for the institution"), default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="sd_level_name_once"),
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(is_default=True),
                name="sd_level_one_default",
            ),
            models.CheckConstraint(
                condition=Q(warning_percent__gte=1) & Q(warning_percent__lte=100),
                name="sd_level_warning_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from faelles.sla import SlaError, parse_calendar

        errors: dict[str, list[str]] = {}
        try:
            parse_calendar(self.calendar)
        except SlaError as exc:
            errors["calendar"] = [str(exc)]
        targets = self.targets if isinstance(self.targets, dict) else None
        if targets is None or sorted(targets) != ["1", "2", "3", "4"]:
            errors["targets"] = [gettext("Give targets for the priorities 1, 2, 3 and 4.")]
        else:
            for value in targets.values():
                if (
                    not isinstance(value, dict)
                    or sorted(value) != ["resolution_minutes", "response_minutes"]
                    or any(type(v) is not int or v < 0 for v in value.values())
                ):
                    errors["targets"] = [
                        gettext(
                            "Each priority needs response_minutes and resolution_minutes, "
                            "whole numbers of 0 or more."
                        )
                    ]
                    break
        agreement = self.agreement if self.agreement_id is not None else None
        if (
            agreement is not None
            and self.institution_id is not None
            and agreement.institution_id != self.institution_id
        ):
            errors["agreement"] = [gettext("The agreement belongs to another institution.")]
        if errors:
            raise ValidationError(errors)

    def targets_for(self, priority: int) -> tuple[int, int]:
        """(response, resolution) minutes for ``priority``."""
        value = self.targets[str(priority)]
        return int(value["response_minutes"]), int(value["resolution_minutes"])


class CatalogueService(models.Model):
    """One line of an institution's service catalogue: what it buys under its agreement, at
    which service level and at which price (the basis of the chargeback)."""

    class PriceUnit(models.TextChoices):
        MONTH = "month", _("per month")
        USER_MONTH = "user_month", _("per user per month")
        TICKET = "ticket", _("per ticket")
        HOUR = "hour", _("per hour")
        M2_YEAR = "m2_year", _("per m² per year")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="catalogue_services"
    )
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="catalogue_services"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    description = models.TextField(_("description"), blank=True)
    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.PROTECT, related_name="services"
    )
    price = models.DecimalField(_("price (DKK)"), max_digits=14, decimal_places=2)
    price_unit = models.CharField(_("price unit"), max_length=20, choices=PriceUnit.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue service")
        verbose_name_plural = _("service catalogue")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="sd_service_code_once"),
            models.CheckConstraint(condition=Q(price__gte=0), name="sd_service_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.institution_id is not None:
            if (
                self.agreement_id is not None
                and self.agreement.institution_id != self.institution_id
            ):
                errors["agreement"] = [gettext("The agreement belongs to another institution.")]
            if (
                self.service_level_id is not None
                and self.service_level.institution_id != self.institution_id
            ):
                errors["service_level"] = [
                    gettext("The service level belongs to another institution.")
                ]
        if (
            self.agreement_id is not None
            and self.domain
            and self.domain not in (self.agreement.services or [])
        ):
            errors["domain"] = [gettext("The agreement does not include this service.")]
        if errors:
            raise ValidationError(errors)


class Team(models.Model):
    """A team of the operator's staff (first line, network, facility management …)."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="sd_teams")
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sd_teams", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="sd_team_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    """A supplier the operator buys work from (an integrated FM supplier, a hardware vendor)."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="sd_suppliers")
    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    email = models.EmailField(_("e-mail for work orders"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="sd_supplier_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkContract(models.Model):
    """A framework contract with a supplier (rammeaftale), e.g. one FM wave's integrated
    supplier for the institutions of the wave, with its price list."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="sd_contracts")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("reference"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="sd_contracts", verbose_name=_("institutions")
    )

    class Meta:
        verbose_name = _("framework contract")
        verbose_name_plural = _("framework contracts")
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "reference"], name="sd_contract_ref_once"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="sd_contract_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.supplier}"

    def is_current(self, on: Any) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class PriceListItem(models.Model):
    """One priced item of a contract's price list (an hour of a technician, a window cleaning
    per m², a move per workstation)."""

    contract = models.ForeignKey(
        FrameworkContract, on_delete=models.PROTECT, related_name="price_items"
    )
    code = models.CharField(_("code"), max_length=30)
    description = models.CharField(_("description"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = models.DecimalField(_("unit price (DKK)"), max_digits=14, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list")
        ordering = ["contract", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="sd_price_code_once"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sd_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Category(models.Model):
    """A category of the operator's tickets, with the team or contract that takes it by
    default (FM: cleaning, maintenance, moves, canteen, security; IT: access, hardware …)."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="sd_categories")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    default_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    default_contract = models.ForeignKey(
        FrameworkContract, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["domain", "name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "code"], name="sd_category_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place of an institution: building → floor → room."""

    class Level(models.TextChoices):
        BUILDING = "building", _("Building")
        FLOOR = "floor", _("Floor")
        ROOM = "room", _("Room")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="sd_locations"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="sd_location_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    _PARENT_LEVEL = {"building": None, "floor": "building", "room": "floor"}

    def clean(self) -> None:
        expected = self._PARENT_LEVEL.get(self.level)
        parent = self.parent if self.parent_id is not None else None
        if expected is None and parent is not None:
            raise ValidationError({"parent": gettext("A building has no parent.")})
        if expected is not None:
            if parent is None or parent.level != expected:
                raise ValidationError(
                    {"parent": gettext("A floor lies in a building and a room on a floor.")}
                )
            if parent.institution_id != self.institution_id:
                raise ValidationError(
                    {"parent": gettext("The parent belongs to another institution.")}
                )


class Asset(models.Model):
    """A registered asset of an institution: IT equipment or a building installation."""

    class AssetKind(models.TextChoices):
        IT = "it", _("IT equipment")
        INSTALLATION = "installation", _("Installation")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="sd_assets")
    tag = models.CharField(_("asset tag"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sd_assets",
        verbose_name=_("used by"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["institution", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "tag"], name="sd_asset_tag_once"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} {self.name}"

    def clean(self) -> None:
        location = self.location if self.location_id is not None else None
        if (
            location is not None
            and self.institution_id is not None
            and location.institution_id != self.institution_id
        ):
            raise ValidationError(
                {"location": gettext("The location belongs to another institution.")}
            )


class InboundAddress(models.Model):
    """An e-mail address the service desk receives at, routed to one institution (e.g.
    it-support.sst@servicedesk.example)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="sd_addresses"
    )
    address = models.EmailField(_("address"), unique=True)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbound address")
        verbose_name_plural = _("inbound addresses")

    def __str__(self) -> str:
        return self.address

    def clean(self) -> None:
        self.address = (self.address or "").strip().lower()


class Ticket(models.Model):
    """A service request, incident or facility work order of one institution.

    The SLA clocks are computed from the ticket's events (``clocks.clocks_for``); the
    ``response_due``, ``resolution_due`` and ``sla_state`` columns cache the last computation
    for the list's ordering and the escalation job, and are rewritten after every event.
    """

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="tickets")
    reference = models.CharField(_("reference"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    service = models.ForeignKey(
        CatalogueService, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    service_level = models.ForeignKey(
        ServiceLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sd_requested",
        verbose_name=_("requester"),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    #: The name of a person without a user account (a phone call taken by an agent).
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    impact = models.PositiveSmallIntegerField(_("impact"), default=3)
    urgency = models.PositiveSmallIntegerField(_("urgency"), default=3)
    priority = models.PositiveSmallIntegerField(_("priority"), default=4)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sd_assigned",
        verbose_name=_("assignee"),
    )
    contract = models.ForeignKey(
        FrameworkContract,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("supplier contract"),
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    created_at = models.DateTimeField(_("opened"))
    updated_at = models.DateTimeField(_("updated"))
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    # Cache of the computed clocks (never the truth; rewritten after every event).
    response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    sla_state = models.CharField(max_length=10, choices=SlaState.choices, default=SlaState.NONE)
    #: When the running clocks reach the service level's warning share / their target (the
    #: escalation job's work list); empty when no clock runs.
    warning_at = models.DateTimeField(null=True, blank=True)
    breach_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-pk"]
        indexes = [
            # The ticket list: newest first within the institutions served (keyset on id).
            models.Index(fields=["institution", "-id"], name="sd_ticket_inst_id"),
            models.Index(fields=["institution", "status", "-id"], name="sd_ticket_inst_status_id"),
            # One institution's open tickets, newest first (the current institution's queue).
            models.Index(
                fields=["institution", "-id"],
                name="sd_ticket_inst_open_id",
                condition=Q(status__in=["new", "in_progress", "waiting"]),
            ),
            # The queue by due time and the escalation job: open tickets only.
            models.Index(
                fields=["resolution_due", "id"],
                name="sd_ticket_open_due",
                condition=Q(status__in=["new", "in_progress", "waiting"]),
            ),
            models.Index(
                fields=["warning_at"],
                name="sd_ticket_open_warning",
                condition=Q(status__in=["new", "in_progress", "waiting"], warned_at__isnull=True),
            ),
            models.Index(
                fields=["breach_at"],
                name="sd_ticket_open_breach",
                condition=Q(status__in=["new", "in_progress", "waiting"], escalation_level=0),
            ),
            models.Index(fields=["requester", "-id"], name="sd_ticket_requester_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "reference"], name="sd_ticket_reference_once"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3)
                & Q(urgency__gte=1, urgency__lte=3)
                & Q(priority__gte=1, priority__lte=4),
                name="sd_ticket_priority_range",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="sd_ticket_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:ticket-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TicketEvent(models.Model):
    """One thing that happened to a ticket, in order. The SLA clocks are computed from the
    events whose ``kind`` is one of the clock's (opened, responded, paused, resumed, resolved,
    reopened, targets); the others (assigned, comment, priority, closed, rated, warned,
    escalated) are the ticket's history."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["ticket", "at", "pk"]
        indexes = [models.Index(fields=["ticket", "at", "id"], name="sd_event_ticket_at")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Message(models.Model):
    """A message on a ticket: from the requester (portal, e-mail), or from an agent (a reply
    the requester sees, or an internal note)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_email = models.EmailField(blank=True)
    body = models.TextField(_("text"))
    internal = models.BooleanField(_("internal note"), default=False)
    from_agent = models.BooleanField(default=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    inbound = models.ForeignKey(
        "InboundMail", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["ticket", "created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="sd_message_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.created_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file attached to a ticket (from a mail or the portal), kept as received."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class InboundMail(models.Model):
    """A mail as the SMTP endpoint received it (the raw bytes and their hash), stored before
    anything else happens. ``institution`` is empty when no inbound address matched."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Received, not yet read")
        CREATED = "created", _("Created a ticket")
        UPDATED = "updated", _("Updated a ticket")
        UNROUTABLE = "unroutable", _("No institution receives at the address")
        REFUSED = "refused", _("Refused")
        DUPLICATE = "duplicate", _("Received before (same Message-ID)")

    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    mail_from = models.CharField(max_length=320)
    rcpt_to = models.JSONField(default=list)
    message_id = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    raw = models.BinaryField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.RECEIVED)
    reason = models.CharField(max_length=300, blank=True)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_mails"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mail")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.mail_from}: {self.subject}"


class OrderLine(models.Model):
    """A priced line of a ticket's order to a supplier (or of the operator's own work):
    quantity × unit price from the contract's price list at the time of ordering."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="order_lines")
    price_item = models.ForeignKey(
        PriceListItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price (DKK)"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=16, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["ticket", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sd_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="sd_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.quantity} × {self.unit_price}"


class Article(models.Model):
    """A knowledge-base article. ``institution`` empty: the operator's article, seen in every
    institution the operator serves; otherwise one institution's own."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="sd_articles")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="sd_articles"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("knowledge base")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


from faelles.servicedesk import quality_models  # noqa: E402, F401, I001 (issue 14 item 3)
from faelles.servicedesk import chargeback_models  # noqa: E402, F401 (issue 14 item 4)
