"""Invoice handling (IndFak): received documents, vendors and supplier invoices.

Nothing is lost: every received document is stored as received (bytes, sha256, size, time,
channel) in its own transaction before anything else happens, and is never deleted. Reading,
validating and routing follow; a document that cannot be read or has fatal findings is
rejected with its findings and stays visible; one whose receiver endpoint is unknown waits in
the operator's unroutable queue.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet


class Channel(models.TextChoices):
    API = "api", _("API")
    IMPORT = "import", _("Import")
    UPLOAD = "upload", _("Upload")


class DocumentStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    UNROUTABLE = "unroutable", _("Unroutable")


class ReceivedDocument(models.Model):
    """The bytes of a received document exactly as they arrived, and what became of them.

    ``institution`` is empty until the receiver endpoint has routed the document: an
    unroutable document belongs to the operator's queue, not to any institution.
    """

    sha256 = models.CharField(_("content hash"), max_length=64, unique=True)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"))
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.RECEIVED
    )
    institution = models.ForeignKey(
        "tenancy.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_documents",
    )
    syntax = models.CharField(_("syntax"), max_length=10, blank=True)
    document_type = models.CharField(_("document type"), max_length=12, blank=True)
    receiver_scheme = models.CharField(_("receiver scheme"), max_length=10, blank=True)
    receiver_id = models.CharField(_("receiver id"), max_length=50, blank=True)
    findings = models.JSONField(_("findings"), default=list)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("received document")
        verbose_name_plural = _("received documents")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return self.filename or self.sha256[:12]

    @property
    def fatal_findings(self) -> list[dict[str, str]]:
        return [f for f in self.findings if f.get("flag") == "fatal"]


class Vendor(models.Model):
    """A supplier in an institution's vendor master, matched on CVR, GLN or VAT id.

    Created unverified from the first invoice; a person verifies it.
    """

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="vendors"
    )
    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    gln = models.CharField(_("GLN"), max_length=13, blank=True)
    vat_id = models.CharField(_("VAT id"), max_length=30, blank=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["institution", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "cvr"], condition=~Q(cvr=""), name="vendor_cvr_once"
            ),
            models.UniqueConstraint(
                fields=["institution", "gln"], condition=~Q(gln=""), name="vendor_gln_once"
            ),
            models.UniqueConstraint(
                fields=["institution", "vat_id"],
                condition=~Q(vat_id=""),
                name="vendor_vat_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InvoiceState(models.TextChoices):
    RECEIVED = "received", _("Received")
    CODED = "coded", _("Coded")
    ATTESTED = "attested", _("Attested")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    SCHEDULED = "scheduled", _("Scheduled for payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class Invoice(models.Model):
    """A supplier invoice or credit note of an institution, read from a received document."""

    class Kind(models.TextChoices):
        INVOICE = "Invoice", _("Invoice")
        CREDIT_NOTE = "CreditNote", _("Credit note")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="invoices"
    )
    document = models.OneToOneField(
        ReceivedDocument, on_delete=models.PROTECT, related_name="invoice"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100)
    number_key = models.CharField(max_length=100, db_index=True)
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    net_amount = models.DecimalField(_("net amount"), max_digits=18, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=18, decimal_places=2)
    payable_amount = models.DecimalField(_("amount payable"), max_digits=18, decimal_places=2)
    buyer_reference = models.CharField(_("buyer reference"), max_length=200, blank=True)
    order_reference = models.CharField(_("order reference"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=InvoiceState.choices, default=InvoiceState.RECEIVED
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suspected_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_means = models.JSONField(_("payment details"), default=list)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["institution", "-received_at"]
        constraints = [
            # The same vendor's invoice number and issue date can exist once among the
            # invoices that may be paid: a duplicate is stored with duplicate_of set.
            models.UniqueConstraint(
                fields=["institution", "vendor", "kind", "number", "issue_date"],
                condition=Q(duplicate_of__isnull=True),
                name="invoice_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.number}"


class InvoiceLine(models.Model):
    """A line of an invoice as the supplier wrote it, with its coding."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    line_id = models.CharField(max_length=50)
    description = models.CharField(max_length=500, blank=True)
    quantity = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=10, blank=True)
    net_amount = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"))
    vat_category = models.CharField(max_length=4, blank=True)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    classification = models.CharField(max_length=50, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_no"], name="invoice_line_no_once"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.description}"
