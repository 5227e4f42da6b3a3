"""Cross-cutting models: the tenant queryset, the audit chain, numbering sequences and the
personal-data access log. ``core`` refers to the tenant model only by its label, so it
imports no domain app.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

INSTITUTION_MODEL = "tenancy.Institution"

_M = TypeVar("_M", bound=models.Model)


class TenantQuerySet(models.QuerySet[_M]):
    """The one way into tenant-owned rows: ``Model.objects.for_institution(inst)``."""

    def for_institution(self, institution: Any) -> TenantQuerySet[_M]:
        if institution is None:
            return self.none()
        return self.filter(institution=institution)

    def for_institutions(self, institutions: Any) -> TenantQuerySet[_M]:
        return self.filter(institution__in=institutions)


class AuditImmutableError(Exception):
    """Raised when code tries to change or remove a recorded audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events can be added and read, never changed or removed through the ORM."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("audit events are never deleted")

    def for_institution(self, institution: Any) -> AuditEventQuerySet:
        if institution is None:
            return self.none()
        return self.filter(institution=institution)


class AuditEvent(models.Model):
    """One change, in a tamper-evident chain per institution (operator-level events: chain "op").

    ``hash = sha256(prev_hash + canonical_json(event))``; written in the same transaction as
    the change it records. Rows are never updated or deleted: ``save()`` on a stored row and
    ``delete()`` raise, and ``faelles audit verify`` finds changes made around the ORM.
    """

    # The unique (chain, seq) key serves every chain walk; the foreign keys carry no index of
    # their own, so appending stays cheap on the busiest table.
    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    institution = models.ForeignKey(
        INSTITUTION_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("audit events are never deleted")


class AuditChainHead(models.Model):
    """The last sequence number and hash of one audit chain.

    Appending locks this row (``select_for_update``), so concurrent writers to the same chain
    queue up while other chains proceed; verification also compares the chain's last event to
    the head, which reveals a removed tail.
    """

    chain = models.CharField(max_length=40, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.chain}#{self.last_seq}"


class NumberSequence(models.Model):
    """A gap-free counter per institution, series and year (e.g. journal entry numbers)."""

    institution = models.ForeignKey(INSTITUTION_MODEL, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last_value = models.PositiveBigIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "series", "year"], name="number_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last_value}"


class PersonalDataAccess(models.Model):
    """Who read which person's data, for what purpose. The CPR number itself is never stored
    here: the subject is named by its object reference and a keyed hash of the CPR."""

    institution = models.ForeignKey(
        INSTITUTION_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    subject_ref = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=200)
    fields = models.JSONField(default=list)
    accessed_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.actor_id} read {self.subject_type}:{self.subject_id} ({self.purpose})"


class OutgoingMail(models.Model):
    """One mail to one recipient, written in the transaction that decided to send it and sent
    after that transaction commits by a background task (``faelles.core.mail``).

    The row is the truth about the mail: it is ``sent`` only once the mail server has taken
    it, a failed attempt is counted with its (CPR-scrubbed) error, and a mail that failed
    every attempt stays ``failed`` and visible until someone sends it again. ``kind`` and the
    related object (app label and model, id) say what it is about; ``core`` knows no domain.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")
        SUPPLIER_RESPONSE = "supplier_response", _("Response to the supplier")
        OTHER = "other", _("Other")

    institution = models.ForeignKey(
        INSTITUTION_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "state"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="outgoing_mail_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.state})"
