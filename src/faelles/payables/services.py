"""Every write of invoice handling.

Intake, where nothing is lost:

1. ``document_receive`` stores the bytes as received (sha256, size, time, channel) and commits
   them in a transaction of their own before anything else happens. The same bytes arriving
   again are the same document (the sha256 is unique).
2. ``document_process`` reads and validates the document, routes it by its receiver endpoint,
   matches or creates the vendor, detects duplicates and creates the invoice, in a second
   transaction. A crash between the two leaves a document in status *received*; receiving or
   importing it again processes it then, so nothing is lost and nothing is doubled.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles import einvoice
from faelles.core.audit import record_event
from faelles.einvoice.model import Document, PaymentMeans
from faelles.payables.approval import (
    invoice_approve,
    invoice_attest,
    invoice_mark_paid,
    invoice_post,
    invoice_reject,
    invoice_schedule,
    invoice_set_exchange_rate,
    invoices_post_batch,
)
from faelles.payables.coding import (
    AllocationSpec,
    apply_coding_rules,
    coding_rule_create,
    invoice_code,
)
from faelles.payables.models import (
    Channel,
    DocumentStatus,
    Invoice,
    InvoiceLine,
    InvoiceState,
    ReceivedDocument,
    Vendor,
)
from faelles.payables.routing import (
    invoice_forward,
    route_invoice,
    routing_rule_create,
    set_next_actor,
)
from faelles.payables.vendors import check_payment_details, invoice_confirm_payment_details
from faelles.tenancy import selectors
from faelles.tenancy.models import Endpoint, Institution, StaffRole, User

__all__ = [
    "AllocationSpec",
    "coding_rule_create",
    "document_assign",
    "document_process",
    "document_receive",
    "document_reject",
    "invoice_approve",
    "invoice_attest",
    "invoice_code",
    "invoice_confirm_payment_details",
    "invoice_forward",
    "invoice_mark_paid",
    "invoice_post",
    "invoice_reject",
    "invoice_schedule",
    "invoice_set_exchange_rate",
    "invoices_post_batch",
    "routing_rule_create",
]

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_LEVEL_LINE_ID = "DOC"
SUSPECT_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class Intake:
    """What happened to one received document."""

    document: ReceivedDocument
    status: str  # accepted, rejected, unroutable or duplicate
    invoice: Invoice | None = None

    @property
    def created(self) -> bool:
        return self.status != "duplicate"


def number_key(number: str) -> str:
    """An invoice number without punctuation, spaces and leading zeros, upper case: numbers
    that differ only in those are suspected to be the same invoice."""
    compact = re.sub(r"[^0-9A-Za-z]", "", number).upper()
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", compact)


def document_receive(
    *,
    content: bytes,
    channel: str,
    filename: str = "",
    actor: User | None = None,
) -> Intake:
    """Store the bytes (or find them stored already), then process them once.

    Returns the intake result; ``status == "duplicate"`` when these exact bytes had been
    received and processed before.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    digest = hashlib.sha256(content).hexdigest()
    document, created = _store(content, digest, channel, filename, actor)
    if not created and document.status != DocumentStatus.RECEIVED:
        invoice = Invoice.objects.filter(document=document).first()
        return Intake(document, "duplicate", invoice)
    for _attempt in range(2):
        try:
            return document_process(document=document)
        except IntegrityError:
            # A concurrent intake stored the same vendor's invoice number first; processing
            # again finds it and marks this one as its duplicate.
            continue
    return document_process(document=document)


def _store(
    content: bytes, digest: str, channel: str, filename: str, actor: User | None
) -> tuple[ReceivedDocument, bool]:
    try:
        with transaction.atomic():
            document = ReceivedDocument.objects.create(
                sha256=digest,
                content=content,
                size=len(content),
                filename=filename[:255],
                channel=channel,
                received_by=actor,
            )
            record_event(
                institution=None,
                actor=actor,
                action="payables.document.received",
                obj=document,
                details={
                    "sha256": digest,
                    "size": len(content),
                    "channel": channel,
                    "filename": filename[:255],
                },
            )
        return document, True
    except IntegrityError:
        return ReceivedDocument.objects.get(sha256=digest), False


def _payment_details(means: tuple[PaymentMeans, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for m in means:
        item: dict[str, Any] = {"code": m.code}
        if m.fik:
            item.update(
                kind="fik",
                card_type=m.fik.card_type,
                creditor=m.fik.creditor,
                payment_id=m.fik.payment_id,
            )
        elif m.giro:
            item.update(
                kind="giro",
                card_type=m.giro.card_type,
                account=m.giro.account,
                payment_id=m.giro.payment_id,
            )
        elif m.iban:
            item.update(kind="iban", iban=m.iban, bic=m.account.branch_id if m.account else None)
        elif m.danish_bank_account:
            reg, account = m.danish_bank_account
            item.update(kind="dk_account", reg=reg, account=account)
        elif m.account is not None:
            item.update(kind="account", account=m.account.id)
        else:
            continue
        out.append(item)
    return out


def _route(doc: Document) -> tuple[str, str, Institution | None]:
    endpoint = doc.buyer.endpoint
    if endpoint is None or not endpoint.value:
        return "", "", None
    scheme = endpoint.scheme or ""
    value = endpoint.value.strip()
    if scheme == "0184":
        value = value.removeprefix("DK")
    match = (
        Endpoint.objects.filter(scheme=scheme, identifier=value, is_active=True)
        .select_related("institution")
        .first()
    )
    return scheme, value, match.institution if match else None


def _vendor(institution: Institution, doc: Document) -> Vendor:
    seller = doc.seller
    cvr = seller.cvr or ""
    gln = seller.gln or ""
    vat_id = (seller.vat_id or "").replace(" ", "")
    vendors = Vendor.objects.for_institution(institution)
    for field, value in (("cvr", cvr), ("gln", gln), ("vat_id", vat_id)):
        if value:
            found = vendors.filter(**{field: value}).first()
            if found is not None:
                return found
    name = seller.name or seller.trading_name or _("Unknown vendor")
    vendor = Vendor.objects.create(
        institution=institution, name=name[:200], cvr=cvr[:8], gln=gln[:13], vat_id=vat_id[:30]
    )
    record_event(
        institution=institution,
        actor=None,
        action="payables.vendor.created",
        obj=vendor,
        details={"name": vendor.name, "cvr": cvr, "gln": gln, "vat_id": vat_id, "verified": False},
    )
    return vendor


def _amount(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"))


@transaction.atomic
def document_process(*, document: ReceivedDocument) -> Intake:
    """Read, validate and route a stored document; create its invoice when it is accepted."""
    document = ReceivedDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.RECEIVED:
        invoice = Invoice.objects.filter(document=document).first()
        return Intake(document, "duplicate", invoice)
    return _process(document, None)


def _process(document: ReceivedDocument, assigned: Institution | None) -> Intake:
    now = timezone.now()
    content = bytes(document.content)
    try:
        doc, result = einvoice.read_and_validate(content, max_bytes=MAX_DOCUMENT_BYTES)
    except einvoice.ReadError as exc:
        document.status = DocumentStatus.REJECTED
        document.findings = [
            {"rule": "READ", "flag": "fatal", "location": "/", "message": str(exc)}
        ]
        document.processed_at = now
        document.save()
        _audit_outcome(document, None)
        return Intake(document, "rejected")
    document.syntax = doc.profile.syntax
    document.document_type = doc.profile.document
    document.findings = [f.to_dict() for f in result.findings]
    scheme, receiver, institution = _route(doc)
    if assigned is not None:
        institution = assigned
    document.receiver_scheme, document.receiver_id = scheme, receiver[:50]
    document.institution = institution
    document.processed_at = now
    if not result.valid:
        document.status = DocumentStatus.REJECTED
        document.save()
        _audit_outcome(document, None)
        return Intake(document, "rejected")
    if institution is None:
        document.status = DocumentStatus.UNROUTABLE
        document.save()
        _audit_outcome(document, None)
        return Intake(document, "unroutable")
    document.status = DocumentStatus.ACCEPTED
    document.save()
    invoice = _create_invoice(institution, document, doc)
    _audit_outcome(document, invoice)
    return Intake(document, "accepted", invoice)


def _create_invoice(institution: Institution, document: ReceivedDocument, doc: Document) -> Invoice:
    vendor = _vendor(institution, doc)
    number = (doc.number or "").strip()
    totals = doc.totals
    payable = _amount(totals.payable)
    kind = Invoice.Kind.CREDIT_NOTE if doc.kind == "CreditNote" else Invoice.Kind.INVOICE
    issue_date = doc.issue_date or timezone.localdate()
    same = Invoice.objects.for_institution(institution).filter(
        vendor=vendor, kind=kind, number=number, issue_date=issue_date, duplicate_of__isnull=True
    )
    duplicate_of = same.first()
    key = number_key(number)
    suspected = None
    if duplicate_of is None:
        suspected = (
            Invoice.objects.for_institution(institution)
            .filter(
                vendor=vendor,
                kind=kind,
                payable_amount=payable,
                number_key=key,
                issue_date__gte=issue_date - timedelta(days=SUSPECT_WINDOW_DAYS),
                issue_date__lte=issue_date + timedelta(days=SUSPECT_WINDOW_DAYS),
                duplicate_of__isnull=True,
            )
            .exclude(number=number)
            .first()
        )
    invoice = Invoice(
        institution=institution,
        document=document,
        vendor=vendor,
        kind=kind,
        number=number[:100],
        number_key=key[:100],
        issue_date=issue_date,
        due_date=doc.due_date,
        currency=(doc.currency or "DKK")[:3],
        net_amount=_amount(totals.tax_exclusive),
        vat_amount=_amount(totals.tax),
        payable_amount=payable,
        buyer_reference=(doc.buyer_reference or "")[:200],
        order_reference=(doc.order_reference or "")[:200],
        state=InvoiceState.REJECTED if duplicate_of else InvoiceState.RECEIVED,
        duplicate_of=duplicate_of,
        suspected_duplicate_of=suspected,
        payment_means=_payment_details(doc.payment_means),
    )
    invoice.full_clean(validate_constraints=False)
    invoice.save()
    lines = [
        InvoiceLine(
            institution=institution,
            invoice=invoice,
            line_no=no,
            line_id=line.id[:50],
            description=(line.item.name or line.item.description or "")[:500],
            quantity=line.quantity,
            unit=(line.unit or "")[:10],
            net_amount=_amount(line.net_amount),
            vat_category=(line.item.vat_category or "")[:4],
            vat_rate=line.item.vat_rate,
            classification=(
                line.item.classifications[0].code[:50] if line.item.classifications else ""
            ),
        )
        for no, line in enumerate(doc.lines, start=1)
    ]
    rest = invoice.net_amount - sum((line.net_amount for line in lines), Decimal("0.00"))
    if rest and lines:
        # Allowances and charges on the document level are coded like a line of their own,
        # so the coding always adds up to the invoice's net amount.
        first = lines[0]
        lines.append(
            InvoiceLine(
                institution=institution,
                invoice=invoice,
                line_no=len(lines) + 1,
                line_id=DOCUMENT_LEVEL_LINE_ID,
                description=_("Allowances and charges on the document")[:500],
                net_amount=rest,
                vat_category=first.vat_category,
                vat_rate=first.vat_rate,
            )
        )
    InvoiceLine.objects.bulk_create(lines)
    if duplicate_of is None:
        route_invoice(invoice)
        check_payment_details(invoice)
        apply_coding_rules(invoice, lines)
        set_next_actor(invoice)
        invoice.save()
    return invoice


def _audit_outcome(document: ReceivedDocument, invoice: Invoice | None) -> None:
    details: dict[str, Any] = {
        "status": document.status,
        "receiver": f"{document.receiver_scheme}:{document.receiver_id}",
        "fatal": [f["rule"] for f in document.fatal_findings],
    }
    if invoice is not None:
        details.update(
            invoice=invoice.pk,
            number=invoice.number,
            duplicate_of=invoice.duplicate_of_id,
            suspected_duplicate_of=invoice.suspected_duplicate_of_id,
            requester=invoice.requester_id,
            routing_rule=invoice.routing_rule_id,
            coded_automatically=invoice.coded_automatically,
            payment_blocked=invoice.payment_blocked,
        )
    record_event(
        institution=document.institution,
        actor=None,
        action=f"payables.document.{document.status}",
        obj=document,
        details=details,
    )


ASSIGN_ROLES = frozenset({StaffRole.CASE_WORKER, StaffRole.OPERATOR_ADMIN})


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _unroutable(document: ReceivedDocument) -> ReceivedDocument:
    locked = ReceivedDocument.objects.select_for_update().get(pk=document.pk)
    if locked.status != DocumentStatus.UNROUTABLE:
        raise _refuse(
            "status",
            "not_unroutable",
            _("The document is %(status)s, not waiting in the unroutable queue.")
            % {"status": locked.get_status_display()},
        )
    return locked


@transaction.atomic
def document_assign(*, actor: User, document: ReceivedDocument, institution: Institution) -> Intake:
    """Operator staff serving ``institution`` assign an unroutable document to it; it is then
    read, validated and turned into an invoice as if it had been routed there."""
    if not selectors.own_roles_for(actor, institution) & ASSIGN_ROLES:
        raise _refuse(
            "institution",
            "not_permitted",
            _("You do not serve %(inst)s as operator staff.") % {"inst": institution},
        )
    document = _unroutable(document)
    record_event(
        institution=None,
        actor=actor,
        action="payables.document.assigned",
        obj=document,
        details={"institution": institution.pk, "receiver": document.receiver_id},
    )
    document.status = DocumentStatus.RECEIVED
    return _process(document, institution)


@transaction.atomic
def document_reject(*, actor: User, document: ReceivedDocument, reason: str) -> ReceivedDocument:
    """Operator staff reject an unroutable document, with the reason kept as a finding."""
    reason = reason.strip()
    if not reason:
        raise _refuse("reason", "required", _("Give a reason for the rejection."))
    if not selectors.staff_roles_for(actor) & ASSIGN_ROLES:
        raise _refuse(
            "actor", "not_permitted", _("Only the operator's staff handle unroutable documents.")
        )
    document = _unroutable(document)
    document.status = DocumentStatus.REJECTED
    document.findings = [
        *document.findings,
        {"rule": "UNROUTABLE", "flag": "fatal", "location": "/", "message": reason[:1000]},
    ]
    document.save(update_fields=["status", "findings"])
    record_event(
        institution=None,
        actor=actor,
        action="payables.document.rejected",
        obj=document,
        details={"reason": reason[:1000], "receiver": document.receiver_id},
    )
    return document
