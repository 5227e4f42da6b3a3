"""Receiving ordering documents: catalogues, order responses, despatch advices, order changes
and cancellations, from the API or ``faelles purchasing import``.

As for invoices: each document is stored as received (bytes, sha256) in its own transaction
before anything else; the same bytes again are a duplicate. Then it is validated (the UBL 2.1
schema and our PEPPOLBIS-Txx rules), routed by its receiving party's endpoint to an
institution, and applied: a catalogue becomes a new version of its agreement's catalogue and
is answered with a Catalogue Response (accepted, or rejected with the reason); a response,
despatch advice, change or cancellation moves the order it names. A document that cannot be
applied is rejected with the reason and stays visible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.einvoice.ordering import model as om
from faelles.einvoice.ordering.reader import read_root
from faelles.einvoice.ordering.validate import parse, validate_root
from faelles.einvoice.ordering.writer import catalogue_response, catalogue_response_to_ubl
from faelles.purchasing import workflow
from faelles.purchasing.models import (
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    FrameworkAgreement,
    InboundDocument,
    InboundStatus,
    OutgoingDocument,
    OutgoingKind,
    PurchaseOrder,
    PurchaseOrderLine,
)
from faelles.purchasing.outbox import outbox_dispatch
from faelles.tenancy.models import Endpoint, Institution, User

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Received:
    """What became of one received document: ``accepted``, ``rejected``, ``duplicate`` or
    ``unroutable`` (the statuses of ``faelles payables import``)."""

    document: InboundDocument
    status: str


class _Reject(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def documents_receive(
    *, sources: Iterable[tuple[bytes, str]], channel: str, actor: User | None = None
) -> list[Received]:
    """Store, validate, route and apply each document; one transaction per document."""
    return [
        document_receive(content=c, filename=n, channel=channel, actor=actor) for c, n in sources
    ]


def document_receive(
    *, content: bytes, filename: str, channel: str, actor: User | None = None
) -> Received:
    digest = hashlib.sha256(content).hexdigest()
    existing = InboundDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        return Received(existing, "duplicate")
    try:
        with transaction.atomic():
            doc = InboundDocument.objects.create(
                sha256=digest,
                content=content,
                size=len(content),
                filename=filename[:255],
                channel=channel,
            )
            record_event(
                institution=None,
                actor=actor,
                action="purchasing.document.receive",
                obj=doc,
                details={"sha256": digest, "size": len(content), "channel": channel},
            )
    except IntegrityError:
        return Received(InboundDocument.objects.get(sha256=digest), "duplicate")
    with transaction.atomic():
        doc = InboundDocument.objects.select_for_update().get(pk=doc.pk)
        return _process(doc, actor)


def receiving_institution(content: bytes) -> Institution | None:
    """The institution a document is addressed to (its receiving or buyer party's endpoint),
    ``None`` when it cannot be read or names no endpoint of ours: the API checks the caller
    may deliver there before anything is stored."""
    try:
        parsed = read_root(parse(content))
    except Exception:
        return None
    return _institution_of(_buyer_side(parsed))


def _finding_dicts(findings: Iterable[Any]) -> list[dict[str, str]]:
    return [f.to_dict() for f in findings]


def _institution_of(party: om.Party | None) -> Institution | None:
    if party is None or party.endpoint is None:
        return None
    endpoint = (
        Endpoint.objects.filter(
            scheme=party.endpoint.scheme or "", identifier=party.endpoint.value, is_active=True
        )
        .select_related("institution")
        .first()
    )
    return endpoint.institution if endpoint is not None else None


def _same_endpoint(party: om.Party | None, agreement: FrameworkAgreement) -> bool:
    return (
        party is not None
        and party.endpoint is not None
        and party.endpoint.value == agreement.supplier_endpoint
        and (party.endpoint.scheme or "") == agreement.supplier_scheme
    )


def _finish(
    doc: InboundDocument, status: str, actor: User | None, reason: str = "", **details: Any
) -> Received:
    doc.status = status
    doc.reason = reason
    doc.save(
        update_fields=[
            "status",
            "reason",
            "findings",
            "institution",
            "document",
            "document_id",
            "order",
        ]
    )
    record_event(
        institution=doc.institution,
        actor=actor,
        action=f"purchasing.document.{status}",
        obj=doc,
        details={
            "document": doc.document,
            "document_id": doc.document_id,
            "reason": reason,
            **details,
        },
    )
    outcome = {
        InboundStatus.APPLIED: "accepted",
        InboundStatus.REJECTED: "rejected",
        InboundStatus.UNROUTABLE: "unroutable",
    }[InboundStatus(status)]
    return Received(doc, outcome)


def _process(doc: InboundDocument, actor: User | None) -> Received:
    content = bytes(doc.content)
    try:
        root = parse(content)
        result = validate_root(root)
    except Exception as exc:
        doc.findings = [
            {"rule": "FAELLES-READ", "flag": "fatal", "location": "/", "message": str(exc)[:500]}
        ]
        return _finish(doc, InboundStatus.REJECTED, actor, _("The document cannot be read."))
    doc.document = result.profile.document
    doc.findings = _finding_dicts(result.findings)
    fatal = [f for f in result.findings if f.flag == "fatal"]
    try:
        parsed = read_root(root)
    except Exception as exc:
        reason = _reasons(fatal) if fatal else str(exc)[:500]
        return _finish(doc, InboundStatus.REJECTED, actor, reason)
    doc.document_id = parsed.id[:200]
    try:
        if isinstance(parsed, om.Catalogue) and doc.document == "Catalogue":
            return _catalogue(doc, parsed, fatal, actor)
        if fatal:
            doc.institution = _institution_of(_buyer_side(parsed))
            raise _Reject(_reasons(fatal))
        if isinstance(parsed, om.OrderResponse):
            return _order_response(doc, parsed, actor)
        if isinstance(parsed, om.DespatchAdvice):
            return _despatch(doc, parsed, actor)
        if isinstance(parsed, om.Order) and parsed.is_change:
            return _order_change(doc, parsed, actor)
        if isinstance(parsed, om.OrderCancellation):
            return _cancellation(doc, parsed, actor)
        raise _Reject(
            _("A %(document)s is not a document purchasing receives.") % {"document": doc.document}
        )
    except _Reject as exc:
        if doc.institution is None and not isinstance(parsed, om.Catalogue):
            return _finish(doc, InboundStatus.UNROUTABLE, actor, exc.reason)
        return _finish(doc, InboundStatus.REJECTED, actor, exc.reason)


def _reasons(fatal: list[Any]) -> str:
    """The validator's fatal findings as the reason (the first five)."""
    return "; ".join(f"[{f.rule}] {f.message}" for f in fatal[:5])[:2000]


def _buyer_side(parsed: om.OrderingDocument) -> om.Party | None:
    if isinstance(parsed, om.DespatchAdvice):
        return parsed.delivery_customer or parsed.buyer
    if isinstance(parsed, om.Catalogue):
        return parsed.receiver
    return getattr(parsed, "buyer", None)


# --- catalogues --------------------------------------------------------------------------------


def _respond(
    doc: InboundDocument,
    catalogue_doc: om.Catalogue,
    *,
    accept: bool,
    reason: str | None,
    rejected_lines: list[tuple[str, str | None]],
    catalogue: Catalogue | None,
) -> OutgoingDocument | None:
    """Write the Catalogue Response to the outbox (none when the catalogue's parties lack
    what a response must name; the reason is then on the received document)."""
    assert doc.institution is not None
    response_id = f"CR-{doc.pk}"
    response = catalogue_response(
        catalogue_doc,
        id=response_id,
        issue_date=timezone.localdate(),
        accept=accept,
        reason=reason,
        rejected_lines=rejected_lines,
    )
    try:
        content = catalogue_response_to_ubl(response)
    except ValueError:
        return None
    provider = catalogue_doc.provider
    receiver = (
        f"{provider.endpoint.scheme}:{provider.endpoint.value}"
        if provider is not None and provider.endpoint is not None
        else ""
    )
    outgoing = OutgoingDocument.objects.create(
        institution=doc.institution,
        kind=OutgoingKind.CATALOGUE_RESPONSE,
        document_id=response_id,
        receiver=receiver,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        catalogue=catalogue,
    )
    outbox_dispatch([outgoing.pk])
    return outgoing


def _catalogue(
    doc: InboundDocument, parsed: om.Catalogue, fatal: list[Any], actor: User | None
) -> Received:
    institution = _institution_of(parsed.receiver)
    if institution is None:
        return _finish(
            doc,
            InboundStatus.UNROUTABLE,
            actor,
            _("The catalogue's receiver is no endpoint of ours."),
        )
    doc.institution = institution
    agreements = FrameworkAgreement.objects.for_institution(institution).filter(
        reference=parsed.contract_id or ""
    )
    agreement = next(
        (
            a
            for a in agreements
            if _same_endpoint(parsed.provider, a) or _same_endpoint(parsed.seller, a)
        ),
        None,
    )
    reason = ""
    if fatal:
        reason = _reasons(fatal)
    elif agreement is None:
        reason = _(
            "The catalogue names no agreement of ours with this supplier (contract %(ref)s)."
        ) % {"ref": parsed.contract_id or "-"}
    elif not agreement.is_active:
        reason = _("Agreement %(ref)s is no longer active.") % {"ref": agreement.reference}
    catalogue: Catalogue | None = None
    if agreement is not None:
        # One catalogue of an agreement at a time: the version numbers and the one active
        # version are decided under the agreement's lock.
        agreement = FrameworkAgreement.objects.select_for_update().get(pk=agreement.pk)
        version = (
            Catalogue.objects.filter(agreement=agreement).aggregate(n=Max("version"))["n"] or 0
        ) + 1
        catalogue = Catalogue(
            institution=institution,
            agreement=agreement,
            document=doc,
            version=version,
            catalogue_id=parsed.id[:200],
            version_id=(parsed.version_id or "")[:50],
            name=(parsed.name or "")[:200],
            issue_date=parsed.issue_date,
            valid_from=parsed.validity.start if parsed.validity else None,
            valid_to=parsed.validity.end if parsed.validity else None,
            status=CatalogueStatus.REJECTED if reason else CatalogueStatus.ACTIVE,
            reason=reason,
        )
    rejected_lines: list[tuple[str, str | None]] = []
    if catalogue is not None and not reason:
        items, rejected_lines = _items(agreement, parsed)  # type: ignore[arg-type]
        Catalogue.objects.filter(agreement=agreement, status=CatalogueStatus.ACTIVE).update(
            status=CatalogueStatus.SUPERSEDED
        )
        catalogue.save()
        for item in items:
            item.institution = institution
            item.catalogue = catalogue
        CatalogueItem.objects.bulk_create(items)
    elif catalogue is not None:
        catalogue.save()
    response = _respond(
        doc,
        parsed,
        accept=not reason,
        reason=reason or None,
        rejected_lines=rejected_lines,
        catalogue=catalogue,
    )
    details: dict[str, Any] = {
        "catalogue": catalogue.pk if catalogue else None,
        "version": catalogue.version if catalogue else None,
        "response": response.document_id if response else None,
    }
    if reason:
        return _finish(doc, InboundStatus.REJECTED, actor, reason, **details)
    return _finish(doc, InboundStatus.APPLIED, actor, "", **details)


def _items(
    agreement: FrameworkAgreement, parsed: om.Catalogue
) -> tuple[list[CatalogueItem], list[tuple[str, str | None]]]:
    """The new version's items: a full catalogue (Add, Replace) is its lines; an Update starts
    from the active version and applies each line's Add, Update or Delete. A line without a
    price cannot be ordered and is rejected in the response."""
    items: dict[str, CatalogueItem] = {}
    if (parsed.action_code or "").lower() == "update":
        active = Catalogue.objects.filter(
            agreement=agreement, status=CatalogueStatus.ACTIVE
        ).first()
        if active is not None:
            for kept in active.items.all():
                kept.pk = None
                items[kept.line_id] = kept
    rejected: list[tuple[str, str | None]] = []
    for line in parsed.lines:
        if (line.action_code or "").lower() == "delete":
            items.pop(line.id, None)
            continue
        if line.orderable is False:
            items.pop(line.id, None)
            continue
        price = line.price
        if price is None:
            rejected.append((line.id, _("The line has no price.")))
            continue
        unit_price = price.amount
        if price.base_quantity is not None and price.base_quantity.value:
            unit_price = price.amount / price.base_quantity.value
        discount = agreement.discount_percent if agreement.price_basis == "discount" else 0
        if discount:
            unit_price = unit_price * (Decimal(100) - discount) / Decimal(100)
        product = line.item
        items[line.id] = CatalogueItem(
            line_id=line.id[:50],
            sellers_id=(product.sellers_id or "")[:100],
            standard_id=(product.standard_id.value if product.standard_id else "")[:50],
            name=(product.name or product.description or line.id)[:300],
            description=product.description or "",
            unit=(
                line.orderable_unit
                or (price.base_quantity.unit if price.base_quantity else None)
                or "EA"
            )[:10],
            unit_price=unit_price.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
            currency=price.currency or "DKK",
            tax_percent=product.tax_percent,
            tax_category=(product.tax_category or "")[:4],
            classification=(product.classifications[0].value if product.classifications else "")[
                :50
            ],
            minimum_quantity=line.minimum_quantity.value if line.minimum_quantity else None,
        )
    return list(items.values()), rejected


# --- documents about an order -----------------------------------------------------------------


def _order_for(
    doc: InboundDocument, buyer: om.Party | None, seller: om.Party | None, order_id: str | None
) -> PurchaseOrder:
    institution = _institution_of(buyer)
    doc.institution = institution
    if institution is None:
        raise _Reject(_("The buyer's endpoint is no endpoint of ours."))
    order = (
        PurchaseOrder.objects.for_institution(institution)
        .select_for_update()
        .select_related("agreement")
        .filter(number=order_id or "")
        .first()
    )
    if order is None:
        raise _Reject(_("The document names no order of ours (%(id)s).") % {"id": order_id or "-"})
    if (
        seller is not None
        and seller.endpoint is not None
        and not _same_endpoint(seller, order.agreement)
    ):
        raise _Reject(_("The supplier is not the order's supplier."))
    doc.order = order
    return order


def _move(doc: InboundDocument, order: PurchaseOrder, event: workflow.Event) -> str:
    try:
        old = workflow.apply(order, event)
    except Exception as exc:  # ValidationError: the life cycle does not allow it now
        raise _Reject(" ".join(getattr(exc, "messages", [str(exc)]))) from None
    return old


def _order_response(doc: InboundDocument, parsed: om.OrderResponse, actor: User | None) -> Received:
    order = _order_for(doc, parsed.buyer, parsed.seller, parsed.order_id)
    code = parsed.response_code or ""
    if not code and "order_agreement" in parsed.customization_id:
        code = "AP"  # an Order Agreement (T110) is the supplier's acceptance as agreed
    if code == "RE":
        old = _move(doc, order, workflow.Event.REJECT)
    elif code in {"AP", "CA"}:
        old = _move(doc, order, workflow.Event.ACCEPT)
    elif code == "AB":
        old = order.state  # acknowledged: a decision follows
    else:
        raise _Reject(_("Unknown response code %(code)s.") % {"code": code or "-"})
    lines = {line.line_id: line for line in order.lines.all()}
    changed = []
    for answer in parsed.lines:
        line = lines.get(answer.order_line_id or answer.id)
        if line is None:
            continue
        line.status_code = (answer.status_code or "")[:4]
        if code == "CA" and answer.status_code == "3":
            if answer.quantity is not None:
                line.quantity = answer.quantity.value
            if answer.price is not None:
                line.unit_price = answer.price.unit_price
            line.net_amount = (line.quantity * line.unit_price).quantize(CENT, ROUND_HALF_UP)
        if answer.status_code == "7":
            line.quantity = Decimal(0)
            line.net_amount = Decimal("0.00")
        changed.append(line)
    PurchaseOrderLine.objects.bulk_update(
        changed, ["status_code", "quantity", "unit_price", "net_amount"]
    )
    order.sales_order_id = (parsed.sales_order_id or order.sales_order_id)[:100]
    order.response_note = parsed.note or order.response_note
    _save_order(order)
    _order_event(order, actor, "purchasing.order.response", old, code=code, document=doc.pk)
    return _finish(doc, InboundStatus.APPLIED, actor, order=order.number)


def _save_order(order: PurchaseOrder) -> None:
    total = sum((line.net_amount for line in order.lines.all()), Decimal("0.00"))
    order.net_amount = total.quantize(CENT)
    order.save()


def _order_event(
    order: PurchaseOrder, actor: User | None, action: str, old: str, **details: Any
) -> None:
    record_event(
        institution=order.institution,
        actor=actor,
        action=action,
        obj=order,
        details={"old_state": old, "state": order.state, **details},
    )


def _despatch(doc: InboundDocument, parsed: om.DespatchAdvice, actor: User | None) -> Received:
    order_id = parsed.order_id or next((x.order_id for x in parsed.lines if x.order_id), None)
    order = _order_for(
        doc,
        parsed.delivery_customer or parsed.buyer,
        parsed.despatch_supplier or parsed.seller,
        order_id,
    )
    old = _move(doc, order, workflow.Event.DESPATCH)
    lines = {line.line_id: line for line in order.lines.all()}
    changed = []
    for despatched in parsed.lines:
        line = lines.get(despatched.order_line_id or "")
        if line is None or despatched.delivered is None:
            continue
        line.despatched += despatched.delivered.value
        changed.append(line)
    PurchaseOrderLine.objects.bulk_update(changed, ["despatched"])
    order.save(update_fields=["state", "updated_at"])
    _order_event(order, actor, "purchasing.order.despatch", old, document=doc.pk)
    return _finish(doc, InboundStatus.APPLIED, actor, order=order.number)


def _order_change(doc: InboundDocument, parsed: om.Order, actor: User | None) -> Received:
    order = _order_for(doc, parsed.buyer, parsed.seller, parsed.order_id)
    old = _move(doc, order, workflow.Event.CHANGE)
    lines = {line.line_id: line for line in order.lines.all()}
    for changed in parsed.lines:
        line = lines.get(changed.id)
        status = changed.status_code or ""
        if line is None and status == "1" and changed.quantity is not None and changed.price:
            PurchaseOrderLine.objects.create(
                institution=order.institution,
                order=order,
                line_id=changed.id[:50],
                name=(changed.item.name or changed.id)[:300],
                sellers_id=(changed.item.sellers_id or "")[:100],
                unit=(changed.quantity.unit or "EA")[:10],
                quantity=changed.quantity.value,
                unit_price=changed.price.unit_price,
                net_amount=(changed.quantity.value * changed.price.unit_price).quantize(CENT),
            )
        elif line is not None and status in {"2", "3"}:
            if status == "2":
                line.quantity = line.received
            else:
                if changed.quantity is not None:
                    line.quantity = max(changed.quantity.value, line.received)
                if changed.price is not None:
                    line.unit_price = changed.price.unit_price
            line.net_amount = (line.quantity * line.unit_price).quantize(CENT, ROUND_HALF_UP)
            line.save(update_fields=["quantity", "unit_price", "net_amount"])
    order.change_sequence = (parsed.sequence_number or "")[:20]
    _save_order(order)
    _order_event(order, actor, "purchasing.order.change", old, document=doc.pk)
    return _finish(doc, InboundStatus.APPLIED, actor, order=order.number)


def _cancellation(
    doc: InboundDocument, parsed: om.OrderCancellation, actor: User | None
) -> Received:
    order = _order_for(doc, parsed.buyer, parsed.seller, parsed.order_id)
    old = _move(doc, order, workflow.Event.CANCEL)
    order.response_note = parsed.note or order.response_note
    order.save(update_fields=["state", "response_note", "updated_at"])
    _order_event(order, actor, "purchasing.order.cancel", old, document=doc.pk)
    return _finish(doc, InboundStatus.APPLIED, actor, order=order.number)
