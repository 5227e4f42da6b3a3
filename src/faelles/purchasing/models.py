"""Purchasing on framework agreements: agreements, catalogues, requisitions, Peppol orders.

A framework agreement (rammeaftale) is kept by one institution (the one that administers it:
the operator's purchasing unit or the institution itself) and covers the institutions named in
its coverage rows; each covered institution's staff buy from its active catalogue. Catalogues
arrive as Peppol Catalogue (T19) documents, are stored as received, versioned per agreement
and answered with a Catalogue Response. A requisition (indkøbsanmodning) is the basket of one
person for one agreement; approved by a budget holder within their limit it becomes a Peppol
Order (T01) in the outbox. The supplier's Order Response, Despatch Advice and the buyer side's
Order Change and Cancellation are applied to the order; the requester confirms receipt per line.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet

ZERO = Decimal("0.00")


class PriceBasis(models.TextChoices):
    CATALOGUE = "catalogue", _("Catalogue prices")
    FIXED = "fixed", _("Fixed prices for the agreement's period")
    DISCOUNT = "discount", _("List prices less the agreement's discount")


class FrameworkAgreement(models.Model):
    """A framework agreement with one supplier (addressed by its Peppol participant id) for a
    period, covering the institutions of its coverage rows."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("contract reference"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    supplier_name = models.CharField(_("supplier"), max_length=200)
    supplier_scheme = models.CharField(_("supplier's Peppol scheme"), max_length=4, default="0184")
    supplier_endpoint = models.CharField(_("supplier's Peppol id"), max_length=50)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    price_basis = models.CharField(
        _("price basis"), max_length=10, choices=PriceBasis.choices, default=PriceBasis.CATALOGUE
    )
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        ordering = ["institution", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "reference", "supplier_scheme", "supplier_endpoint"],
                name="agreement_reference_once",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="agreement_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    @property
    def supplier_peppol_id(self) -> str:
        return f"{self.supplier_scheme}:{self.supplier_endpoint}"


class AgreementCoverage(models.Model):
    """One institution covered by an agreement: its staff may buy from the agreement.

    Owned by the covered institution, so the access gate shows a person only the agreements
    that cover their own institution."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.CASCADE, related_name="coverage"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement coverage")
        verbose_name_plural = _("agreement coverage")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "institution"], name="coverage_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} → {self.institution_id}"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
    UNROUTABLE = "unroutable", _("Unroutable")


class InboundDocument(models.Model):
    """A received ordering document (catalogue, order response, despatch advice, order change,
    cancellation) exactly as it arrived, and what became of it. Nothing is lost: a rejected
    document stays with its reasons; ``institution`` is empty until it routes."""

    sha256 = models.CharField(_("content hash"), max_length=64, unique=True)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"))
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=10)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    institution = models.ForeignKey(
        "tenancy.Institution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.CharField(_("document"), max_length=40, blank=True)
    document_id = models.CharField(_("document id"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    findings = models.JSONField(_("findings"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    order = models.ForeignKey(
        "PurchaseOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("received ordering document")
        verbose_name_plural = _("received ordering documents")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.filename or self.sha256[:12]


class CatalogueStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded")
    REJECTED = "rejected", _("Rejected")


class Catalogue(models.Model):
    """One version of an agreement's catalogue, from a received Peppol Catalogue. The newest
    accepted version is the active one; the earlier ones are kept, superseded."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.PROTECT, related_name="catalogues"
    )
    document = models.OneToOneField(
        InboundDocument, on_delete=models.PROTECT, related_name="catalogue"
    )
    version = models.PositiveIntegerField(_("version"))
    catalogue_id = models.CharField(_("catalogue id"), max_length=200)
    version_id = models.CharField(_("supplier's version"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    issue_date = models.DateField(_("issue date"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CatalogueStatus.choices)
    reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")
        ordering = ["agreement", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="catalogue_version_once"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status="active"),
                name="catalogue_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_id} v{self.version}"


class CatalogueItem(models.Model):
    """An orderable line of a catalogue version, with its net unit price."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="items")
    line_id = models.CharField(_("line"), max_length=50)
    sellers_id = models.CharField(_("item number"), max_length=100, blank=True)
    standard_id = models.CharField(_("GTIN"), max_length=50, blank=True)
    name = models.CharField(_("item"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="EA")
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, default="DKK")
    tax_percent = models.DecimalField(
        _("VAT rate"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    tax_category = models.CharField(max_length=4, blank=True)
    classification = models.CharField(_("classification"), max_length=50, blank=True)
    minimum_quantity = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["catalogue", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "line_id"], name="catalogue_line_once"),
        ]

    def __str__(self) -> str:
        return self.name


class RequisitionState(models.TextChoices):
    DRAFT = "draft", _("In the basket")
    SUBMITTED = "submitted", _("Awaiting approval")
    ORDERED = "ordered", _("Approved and ordered")
    REJECTED = "rejected", _("Rejected")


class Requisition(models.Model):
    """One person's purchase from one agreement: the basket while a draft, then a request
    for approval with its delivery address and coding (account, cost centre, purpose)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.PROTECT, related_name="requisitions"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RequisitionState.choices,
        default=RequisitionState.DRAFT,
    )
    title = models.CharField(_("what for"), max_length=200, blank=True)
    account = models.CharField(_("account"), max_length=12, blank=True)
    org_unit = models.CharField(_("cost centre"), max_length=20, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, blank=True)
    delivery_name = models.CharField(_("deliver to"), max_length=200, blank=True)
    delivery_street = models.CharField(_("street"), max_length=200, blank=True)
    delivery_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    delivery_city = models.CharField(_("city"), max_length=100, blank=True)
    delivery_gln = models.CharField(_("delivery GLN"), max_length=13, blank=True)
    note = models.TextField(_("note to the supplier"), blank=True)
    net_amount = models.DecimalField(_("net amount"), max_digits=18, decimal_places=2, default=ZERO)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["institution", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"],
                condition=Q(number__isnull=False),
                name="requisition_number_once",
            ),
            # One basket per person and agreement.
            models.UniqueConstraint(
                fields=["institution", "requester", "agreement"],
                condition=Q(state="draft"),
                name="requisition_one_basket",
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.number}" if self.number else f"#{self.pk}"


class RequisitionLine(models.Model):
    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="+")
    line_no = models.PositiveIntegerField()
    name = models.CharField(_("item"), max_length=300)
    sellers_id = models.CharField(_("item number"), max_length=100, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    net_amount = models.DecimalField(_("net amount"), max_digits=18, decimal_places=2)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["requisition", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "line_no"], name="req_line_no_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="req_line_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.line_no} {self.name}"


class OrderState(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted by the supplier")
    REJECTED = "rejected", _("Rejected by the supplier")
    DESPATCHED = "despatched", _("Despatched")
    PARTLY_RECEIVED = "partly_received", _("Partly received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseOrder(models.Model):
    """A Peppol Order (T01) sent to the agreement's supplier, and its state from the
    documents received for it and the goods receipts."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    requisition = models.OneToOneField(Requisition, on_delete=models.PROTECT, related_name="order")
    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.PROTECT, related_name="orders"
    )
    number = models.CharField(_("order number"), max_length=50)
    issue_date = models.DateField(_("issue date"))
    state = models.CharField(
        _("state"), max_length=16, choices=OrderState.choices, default=OrderState.SENT
    )
    currency = models.CharField(_("currency"), max_length=3, default="DKK")
    net_amount = models.DecimalField(_("net amount"), max_digits=18, decimal_places=2)
    # Coding, from the requisition: a matched invoice takes it.
    account = models.CharField(_("account"), max_length=12)
    org_unit = models.CharField(_("cost centre"), max_length=20, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, blank=True)
    sales_order_id = models.CharField(_("supplier's order number"), max_length=100, blank=True)
    response_note = models.TextField(_("supplier's note"), blank=True)
    change_sequence = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["institution", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="order_number_once"),
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(models.Model):
    """A line of an order: what was ordered, confirmed, despatched and received."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    line_id = models.CharField(_("line"), max_length=50)
    name = models.CharField(_("item"), max_length=300)
    sellers_id = models.CharField(_("item number"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10)
    quantity = models.DecimalField(_("ordered"), max_digits=18, decimal_places=4)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    net_amount = models.DecimalField(_("net amount"), max_digits=18, decimal_places=2)
    status_code = models.CharField(_("supplier's answer"), max_length=4, blank=True)
    despatched = models.DecimalField(
        _("despatched"), max_digits=18, decimal_places=4, default=Decimal(0)
    )
    received = models.DecimalField(
        _("received"), max_digits=18, decimal_places=4, default=Decimal(0)
    )
    # The quantity of the matched invoices: an invoice matches only what is received and not
    # invoiced yet.
    invoiced = models.DecimalField(
        _("invoiced"), max_digits=18, decimal_places=4, default=Decimal(0)
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_id"], name="order_line_once"),
            models.CheckConstraint(condition=Q(received__gte=0), name="order_line_received_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.name}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.quantity - self.received, Decimal(0))


class GoodsReceipt(models.Model):
    """The requester's confirmation that goods of an order arrived (all or some lines)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["order", "received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.received_at:%Y-%m-%d}"


class GoodsReceiptLine(models.Model):
    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.ForeignKey(GoodsReceipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_line_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.order_line_id}: {self.quantity}"


class OutgoingKind(models.TextChoices):
    ORDER = "Order", _("Order")
    CATALOGUE_RESPONSE = "CatalogueResponse", _("Catalogue response")


class OutgoingDocument(models.Model):
    """A document we send (an order, a catalogue response), stored before it leaves; the
    transport (the file drop by default, an access point where one is plugged in) sends it
    after the transaction commits and records where it went."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutgoingKind.choices)
    document_id = models.CharField(_("document id"), max_length=200)
    receiver = models.CharField(_("receiver"), max_length=60)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("content hash"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    destination = models.CharField(_("sent to"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    order = models.ForeignKey(
        PurchaseOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing"
    )
    catalogue = models.ForeignKey(
        Catalogue, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["institution", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id}"


class MatchTolerance(models.Model):
    """How far an invoice may differ from its order and still match (per institution):
    the unit price by a percentage of the order's, the quantity invoiced beyond the quantity
    received by a percentage of it. No row: no difference is tolerated (and no invoice is
    approved by its order's approval)."""

    institution = models.OneToOneField(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    price_percent = models.DecimalField(
        _("price tolerance (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    quantity_percent = models.DecimalField(
        _("quantity tolerance (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    # A matched invoice whose net amount is within the order's (plus the price tolerance) is
    # approved as the order's approver, the requisition's approval covering it.
    approve_when_order_covers = models.BooleanField(
        _("approve when the order covers the invoice"), default=False
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching tolerance")
        verbose_name_plural = _("matching tolerances")

    def __str__(self) -> str:
        return f"{self.price_percent} % / {self.quantity_percent} %"
