"""Invoice handling (IndFak): received documents, vendors and supplier invoices.

Nothing is lost: every received document is stored as received (bytes, sha256, size, time,
channel) in its own transaction before anything else happens, and is never deleted. Reading,
validating and routing follow; a document that cannot be read or has fatal findings is
rejected with its findings and stays visible; one whose receiver endpoint is unknown waits in
the operator's unroutable queue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
    # DKK per unit of the invoice's currency, recorded by a bookkeeper (foreign currency).
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=6, null=True, blank=True
    )

    # Routing inside the institution: the requester (rekvirent) confirms receipt; who must
    # act next is a role (``next_role``) and, when one person is known, ``assigned_to``.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    routing_rule = models.ForeignKey(
        "RoutingRule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    next_role = models.CharField(_("next step by"), max_length=30, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who did what is kept on the invoice for the rules and the page; those columns are never
    # searched, so they have no index (each index costs every write of a busy table).
    # Coding: everyone who ever coded the invoice is kept (segregation of duties).
    coded_automatically = models.BooleanField(_("coded automatically"), default=False)
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    coder_ids = models.JSONField(default=list, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    attested_at = models.DateTimeField(null=True, blank=True)
    # Everyone who attested or gave the first approval, substitutes and their principals
    # alike: none of them may give the (final) approval.
    attester_ids = models.JSONField(default=list, blank=True)
    first_approver_ids = models.JSONField(default=list, blank=True)
    # Above the first approver's limit a second approver with a high enough limit approves.
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    posting_error = models.TextField(_("why posting waits"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_run = models.ForeignKey(
        "PaymentRun", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    # Payment details that differ from the vendor master block payment until a person other
    # than the approver confirms them; that person may then not approve the invoice.
    payment_blocked = models.BooleanField(_("payment blocked"), default=False)
    payment_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_in_state = models.CharField(max_length=12, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["institution", "-received_at"]
        # The orders the lists read in, so a page is an index range, not a sort of every
        # matching row (docs/design/operations.md, "Under load"): the invoice API (newest
        # first, also by state) and the inbox (by role, or all, earliest due first).
        indexes = [
            models.Index(fields=["institution", "received_at", "id"], name="invoice_list"),
            models.Index(
                fields=["institution", "state", "received_at", "id"], name="invoice_list_state"
            ),
            models.Index(
                fields=["institution", "next_role", "due_date", "received_at", "id"],
                name="invoice_inbox",
            ),
            models.Index(
                fields=["institution", "due_date", "received_at", "id"], name="invoice_due"
            ),
        ]
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        from faelles.payables import workflow

        update_fields = kwargs.get("update_fields")
        if update_fields is None or "state" in update_fields:
            old = workflow.NEW if self._state.adding else self._stored_state
            if old is not None:
                workflow.check_change(old, self.state)
        super().save(*args, **kwargs)
        self._stored_state = self.state

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("payables:invoice-detail", args=[self.pk])

    # The state as stored, so that ``save`` refuses a change the life cycle does not have
    # (``payables.workflow``); the batch paths check each change with ``workflow.transition``.
    _stored_state: str | None = None

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Invoice:
        instance = super().from_db(db, field_names, values)
        if "state" in field_names:
            instance._stored_state = instance.state
        return instance

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        fields = kwargs.get("fields", args[1] if len(args) > 1 else None)
        if fields is None or "state" in fields:
            self._stored_state = self.state

    @property
    def next_role_label(self) -> str:
        """The role that acts next, in words."""
        from faelles.tenancy.models import Role

        return str(Role(self.next_role).label) if self.next_role in Role.values else ""

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE


#: The invoice fields the batch paths leave out of ``clean_fields``: the relations (set by the
#: services to objects they hold; ``full_clean`` would query each of them per row) and the
#: JSON lists of people and payment details (empty lists are valid although the fields are not
#: ``blank``).
INVOICE_UNCHECKED_FIELDS: frozenset[str] = frozenset(
    [f.name for f in Invoice._meta.fields if f.is_relation]
    + ["payment_means", "coder_ids", "attester_ids", "first_approver_ids"]
)


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


class InvoiceAllocation(models.Model):
    """Part of an invoice line's net amount coded to an account and its dimensions.

    A line may be split across several allocations; their amounts sum to the line's net
    amount. Accounts, cost centres, purposes and VAT codes are ledger codes, checked against
    the institution's ledger when coding and again when posting.
    """

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="allocations")
    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="allocations")
    account = models.CharField(_("account"), max_length=12)
    org_unit = models.CharField(_("cost centre"), max_length=20, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, blank=True)
    vat_code = models.CharField(_("VAT code"), max_length=10, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        ordering = ["invoice", "line__line_no", "pk"]

    def __str__(self) -> str:
        return f"{self.account} {self.org_unit} {self.amount}"


class RoutingRule(models.Model):
    """Who an institution's incoming invoices go to: the first active rule (by priority) whose
    criteria all match names the requester. Empty criteria match anything; a rule needs at
    least one."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payables_routing_rules"
    )
    priority = models.PositiveIntegerField(_("priority"), default=100)
    buyer_reference = models.CharField(_("buyer or person reference"), max_length=200, blank=True)
    order_reference = models.CharField(_("order reference"), max_length=200, blank=True)
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), null=True, blank=True, on_delete=models.PROTECT
    )
    endpoint = models.CharField(_("receiver endpoint (EAN/GLN/CVR)"), max_length=50, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["institution", "priority", "pk"]

    def __str__(self) -> str:
        return f"{self.priority}: {self.requester}"


class CodingRule(models.Model):
    """Automatic coding: a line matching all of the rule's criteria (vendor, item
    classification such as UNSPSC, text contained in the line) is coded to the rule's account
    and dimensions. An invoice is coded automatically when every line matches a rule."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payables_coding_rules"
    )
    priority = models.PositiveIntegerField(_("priority"), default=100)
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), null=True, blank=True, on_delete=models.PROTECT
    )
    classification = models.CharField(_("item classification"), max_length=50, blank=True)
    text_contains = models.CharField(_("text contains"), max_length=100, blank=True)
    account = models.CharField(_("account"), max_length=12)
    org_unit = models.CharField(_("cost centre"), max_length=20, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, blank=True)
    vat_code = models.CharField(_("VAT code"), max_length=10, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("coding rule")
        verbose_name_plural = _("coding rules")
        ordering = ["institution", "priority", "pk"]

    def __str__(self) -> str:
        return f"{self.priority}: {self.account}"


class VendorPaymentDetails(models.Model):
    """One version of a vendor's bank details (IBAN, reg. + account, FIK, giro). The newest
    row is the vendor master; older rows are the history. The first comes from the vendor's
    first invoice; every later change is confirmed by a named person."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="payment_details")
    key = models.CharField(_("payment details"), max_length=200)
    details = models.JSONField(default=list)
    source_invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor payment details")
        verbose_name_plural = _("vendor payment details")
        ordering = ["vendor", "-pk"]

    def __str__(self) -> str:
        return self.key


class VendorBankChange(models.Model):
    """A change of a vendor's bank details, as an object of its own: requested (by intake when
    an invoice names details that differ from the vendor master, or by a person who enters
    new details), then confirmed or refused by a second person.

    The confirmer is neither a requester nor an approver of an unpaid invoice to the account
    (nor of an invoice in the same payment run as one). Until the change is confirmed, no
    invoice to the account is approved; once confirmed, the new details become the vendor
    master (a new :class:`VendorPaymentDetails` row, the old one stays as history) and the
    invoices to the account are unblocked. Whoever requested or confirmed a change never
    approves an invoice paid to that account (Rigsrevisionen 7/2020: a bank-account change is
    the most common fraud against public payables).
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="bank_changes")
    key = models.CharField(_("new payment details"), max_length=200)
    details = models.JSONField(default=list)
    previous = models.ForeignKey(
        VendorPaymentDetails,
        verbose_name=_("payment details before"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # ``None``: requested by intake (an invoice arrived with other details).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Everyone who requested it, substitutes and their principals alike: none of them confirms.
    requester_ids = models.JSONField(default=list, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decider_ids = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    result = models.ForeignKey(
        VendorPaymentDetails, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank-account change")
        verbose_name_plural = _("bank-account changes")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One pending change per vendor and account: later invoices join it.
            models.UniqueConstraint(
                fields=["institution", "vendor", "key"],
                condition=Q(state="requested"),
                name="bank_change_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor_id}: {self.key}"


class PaymentRun(models.Model):
    """A payment run of an institution: the posted, due, unblocked invoices it pays, net of the
    same vendors' credit notes, and the ISO 20022 pain.001.001.03 file a payer released."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RELEASED = "released", _("Released")
        PAID = "paid", _("Paid")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payment_runs"
    )
    execution_date = models.DateField(_("execution date"))
    debtor_iban = models.CharField(_("paying account (IBAN)"), max_length=34)
    debtor_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2, default=Decimal(0))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The creator and whom they acted for as a substitute: none of them releases the run.
    creator_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    # Made by a background task after the release commits (empty meanwhile: "being made").
    file = models.BinaryField(_("pain.001 file"), null=True, blank=True)
    file_sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64, blank=True)
    file_made_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["institution", "-execution_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution} {self.execution_date} #{self.pk}"


class PaymentRequest(models.Model):
    """A payment another part of the platform asks payables to make — a grant, a period of a
    benefit — to a payee who sent no invoice. It is posted when it is made (the expense and the
    payable in the ledger); the institution's next payment run on or after ``due_date`` pays
    it beside the invoices, in the same pain.001 file, and marking the run paid settles it."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        SCHEDULED = "scheduled", _("In a payment run")
        PAID = "paid", _("Paid")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payment_requests"
    )
    payee_name = models.CharField(_("payee"), max_length=200)
    #: Where to pay, as an invoice names it (``faelles.payables.bank``).
    payment_means = models.JSONField(_("payment details"), default=list)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    #: The message on the transfer (the case number, the period).
    reference = models.CharField(_("reference"), max_length=140)
    due_date = models.DateField(_("due date"))
    #: What asked for the payment: ``cases.case`` and the case's number and step, say.
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=100)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    payment_run = models.ForeignKey(
        PaymentRun,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_requests",
    )
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["institution", "due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "source_type", "source_id"],
                name="paymentrequest_source_once",
            )
        ]
        indexes = [
            models.Index(fields=["institution", "state", "due_date"], name="paymentrequest_open")
        ]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount} ({self.reference})"
