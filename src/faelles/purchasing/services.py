"""Every write of purchasing: agreements, the basket, requisitions and their approval into a
Peppol Order, goods receipts. Each service is atomic and records its audit event in the same
transaction; received documents are in :mod:`faelles.purchasing.intake`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.access import user_can
from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.core.numbering import next_number
from faelles.einvoice.model import Address, Identifier
from faelles.einvoice.ordering import model as om
from faelles.einvoice.ordering.validate import validate_bytes
from faelles.einvoice.ordering.writer import order_to_ubl
from faelles.payables.coding import LedgerCodes
from faelles.purchasing import selectors, workflow
from faelles.purchasing.models import (
    AgreementCoverage,
    CatalogueItem,
    FrameworkAgreement,
    GoodsReceipt,
    GoodsReceiptLine,
    MatchTolerance,
    OrderState,
    OutgoingDocument,
    OutgoingKind,
    PriceBasis,
    PurchaseOrder,
    PurchaseOrderLine,
    Requisition,
    RequisitionLine,
    RequisitionState,
)
from faelles.purchasing.outbox import outbox_dispatch
from faelles.tenancy import selectors as tenancy_selectors
from faelles.tenancy.models import Endpoint, Institution, Role, StaffRole, User

CENT = Decimal("0.01")
#: How long the supplier may accept an order (the order's validity end date).
ORDER_VALID_DAYS = 30
AGREEMENT_ROLES = frozenset({Role.LOCAL_ADMIN.value, StaffRole.OPERATOR_ADMIN.value})


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- framework agreements -------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    institution: Institution,
    reference: str,
    name: str,
    supplier_name: str,
    supplier_endpoint: str,
    valid_from: date,
    valid_to: date,
    supplier_scheme: str = "0184",
    price_basis: str = PriceBasis.CATALOGUE,
    discount_percent: Decimal = Decimal("0.00"),
    covered: Sequence[Institution] = (),
) -> FrameworkAgreement:
    """Register a framework agreement kept by ``institution`` and covering ``covered`` (the
    keeping institution itself when none are named). A local administrator of every
    institution concerned, or an operator administrator serving them, registers it."""
    institutions = list(covered) or [institution]
    for inst in {institution, *institutions}:
        if not user_can(actor, inst, AGREEMENT_ROLES):
            raise PermissionDenied(
                _("You may not register agreements for %(inst)s.") % {"inst": inst}
            )
    agreement = FrameworkAgreement(
        institution=institution,
        reference=reference.strip(),
        name=name.strip(),
        supplier_name=supplier_name.strip(),
        supplier_scheme=supplier_scheme.strip(),
        supplier_endpoint=supplier_endpoint.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        price_basis=price_basis,
        discount_percent=Decimal(discount_percent),
    )
    agreement.full_clean()
    agreement.save()
    AgreementCoverage.objects.bulk_create(
        AgreementCoverage(institution=inst, agreement=agreement) for inst in institutions
    )
    record_event(
        institution=institution,
        actor=actor,
        action="purchasing.agreement.create",
        obj=agreement,
        details={
            "reference": agreement.reference,
            "supplier": agreement.supplier_peppol_id,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "price_basis": price_basis,
            "covered": sorted(i.short_name for i in institutions),
        },
    )
    return agreement


@transaction.atomic
def tolerance_set(
    *,
    actor: User,
    institution: Institution,
    price_percent: Decimal,
    quantity_percent: Decimal,
    approve_when_order_covers: bool | None = None,
) -> MatchTolerance:
    """Set how far an invoice may differ from its order and still match, and whether a
    matched invoice within the order's amount is approved as the order's approver (a local or
    operator administrator of the institution; ``None`` keeps that setting)."""
    if not user_can(actor, institution, AGREEMENT_ROLES):
        raise PermissionDenied(_("You may not change the matching tolerances."))
    tolerance = MatchTolerance.objects.select_for_update().filter(
        institution=institution
    ).first() or MatchTolerance(institution=institution)
    old = (tolerance.price_percent, tolerance.quantity_percent) if tolerance.pk else None
    old_covers = tolerance.approve_when_order_covers if tolerance.pk else None
    tolerance.price_percent = Decimal(price_percent)
    tolerance.quantity_percent = Decimal(quantity_percent)
    if approve_when_order_covers is not None:
        tolerance.approve_when_order_covers = bool(approve_when_order_covers)
    errors = []
    for value in (tolerance.price_percent, tolerance.quantity_percent):
        if value < 0 or value > 100:
            errors.append(_("A tolerance is between 0 and 100 %."))
    if errors:
        raise ValidationError(errors[0], code="invalid")
    tolerance.full_clean(exclude=["institution"])
    tolerance.save()
    record_event(
        institution=institution,
        actor=actor,
        action="purchasing.tolerance.set",
        obj=tolerance,
        details={
            "price_percent": tolerance.price_percent,
            "quantity_percent": tolerance.quantity_percent,
            "old": list(old) if old else None,
            "approve_when_order_covers": tolerance.approve_when_order_covers,
            "old_approve_when_order_covers": old_covers,
        },
    )
    return tolerance


# --- the basket -------------------------------------------------------------------------------


def _renumber(requisition: Requisition) -> None:
    total = Decimal("0.00")
    for line in requisition.lines.all():
        total += line.net_amount
    requisition.net_amount = _money(total)


@transaction.atomic
def basket_add(
    *, actor: User, institution: Institution, item: CatalogueItem, quantity: Decimal
) -> Requisition:
    """Put ``quantity`` of a catalogue item into the actor's basket for its agreement (the
    draft requisition, created on the first item). The item must be on the active catalogue
    of an agreement covering the institution and in force today."""
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise _refuse("quantity", "invalid", _("The quantity must be above zero."))
    if not selectors.shop_items(actor, institution).filter(pk=item.pk).exists():
        raise _refuse(
            "item", "not_available", _("The item is not on an agreement of your institution.")
        )
    agreement = item.catalogue.agreement
    requisition = (
        Requisition.objects.select_for_update()
        .filter(
            institution=institution,
            requester=actor,
            agreement=agreement,
            state=RequisitionState.DRAFT,
        )
        .first()
    )
    if requisition is None:
        requisition = Requisition(institution=institution, requester=actor, agreement=agreement)
        requisition.full_clean(exclude=["agreement", "requester", "institution"])
        requisition.save()
    line = requisition.lines.filter(item=item).first()
    if line is None:
        last = requisition.lines.aggregate(n=Max("line_no"))["n"] or 0
        line = RequisitionLine(
            institution=institution,
            requisition=requisition,
            item=item,
            line_no=last + 1,
            name=item.name,
            sellers_id=item.sellers_id,
            quantity=Decimal(0),
            unit=item.unit,
            unit_price=item.unit_price,
            net_amount=Decimal("0.00"),
        )
    line.quantity += quantity
    line.net_amount = _money(line.quantity * line.unit_price)
    line.save()
    _renumber(requisition)
    requisition.save(update_fields=["net_amount"])
    record_event(
        institution=institution,
        actor=actor,
        action="purchasing.basket.add",
        obj=requisition,
        details={"item": item.sellers_id or item.name, "quantity": quantity},
    )
    return requisition


@transaction.atomic
def basket_set_quantity(
    *, actor: User, requisition: Requisition, line_no: int, quantity: Decimal
) -> Requisition:
    """Change (or with 0 remove) a line of the actor's own basket."""
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    if requisition.requester_id != actor.pk or requisition.state != RequisitionState.DRAFT:
        raise _refuse("requisition", "not_basket", _("This is not your basket."))
    line = requisition.lines.filter(line_no=line_no).first()
    if line is None:
        raise _refuse("line", "missing", _("The line is not in the basket."))
    quantity = Decimal(quantity)
    if quantity < 0:
        raise _refuse("quantity", "invalid", _("The quantity cannot be negative."))
    if quantity == 0:
        line.delete()
    else:
        line.quantity = quantity
        line.net_amount = _money(quantity * line.unit_price)
        line.save(update_fields=["quantity", "net_amount"])
    _renumber(requisition)
    requisition.save(update_fields=["net_amount"])
    record_event(
        institution=requisition.institution,
        actor=actor,
        action="purchasing.basket.change",
        obj=requisition,
        details={"line": line_no, "quantity": quantity},
    )
    return requisition


# --- requisitions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    name: str
    street: str
    postcode: str
    city: str
    gln: str = ""


@transaction.atomic
def requisition_submit(
    *,
    actor: User,
    requisition: Requisition,
    title: str,
    account: str,
    org_unit: str = "",
    purpose: str = "",
    delivery: Delivery,
    note: str = "",
) -> Requisition:
    """Send the actor's basket for approval with its coding (checked against the ledger as an
    invoice's coding is) and delivery address; it gets its number now."""
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    if requisition.requester_id != actor.pk or requisition.state != RequisitionState.DRAFT:
        raise _refuse("requisition", "not_basket", _("This is not your basket."))
    errors: dict[str, list[str]] = {}
    if not requisition.lines.exists():
        errors["requisition"] = [_("The basket is empty.")]
    account, org_unit, purpose = account.strip(), org_unit.strip(), purpose.strip()
    if not account:
        errors["account"] = [_("Choose the account the purchase is booked to.")]
    else:
        ledger = LedgerCodes(requisition.institution, {account}, {org_unit}, {purpose}, set())
        for field, message in ledger.problems(account, org_unit, purpose, "").items():
            errors.setdefault(field, []).append(message)
    for field, value in (
        ("delivery_name", delivery.name),
        ("delivery_street", delivery.street),
        ("delivery_postcode", delivery.postcode),
        ("delivery_city", delivery.city),
    ):
        if not value.strip():
            errors.setdefault(field, []).append(_("The delivery address needs this."))
    if errors:
        raise ValidationError(errors)
    requisition.title = title.strip()
    requisition.account, requisition.org_unit, requisition.purpose = account, org_unit, purpose
    requisition.delivery_name = delivery.name.strip()
    requisition.delivery_street = delivery.street.strip()
    requisition.delivery_postcode = delivery.postcode.strip()
    requisition.delivery_city = delivery.city.strip()
    requisition.delivery_gln = delivery.gln.strip()
    requisition.note = note.strip()
    now = timezone.now()
    requisition.number = (
        next_number(
            institution=requisition.institution, series="purchasing.requisition", year=now.year
        )
        + now.year * 100000
    )
    requisition.state = RequisitionState.SUBMITTED
    requisition.submitted_at = now
    requisition.full_clean(exclude=["agreement", "requester", "institution", "decided_by"])
    requisition.save()
    record_event(
        institution=requisition.institution,
        actor=actor,
        action="purchasing.requisition.submit",
        obj=requisition,
        details={
            "number": requisition.number,
            "amount": requisition.net_amount,
            "account": account,
            "org_unit": org_unit,
            "purpose": purpose,
        },
    )
    return requisition


#: The refusals of an approval that are segregation of duties (recorded as audit events).
SOD_CODES = frozenset({"system_admin", "not_approver", "requester", "limit"})


def approval_problems(actor: User, requisition: Requisition) -> list[ValidationError]:
    """Why ``actor`` may not approve ``requisition`` now (empty: they may): the invoice rules'
    counterpart. Only a submitted requisition; only an approver (own limit or as a
    substitute), never the operator's system administrators; never the requester (nor a
    substitute acting for them); within the limit (net amount, DKK)."""
    out: list[ValidationError] = []
    if requisition.state != RequisitionState.SUBMITTED:
        out.append(
            _refuse(
                "state",
                "wrong_state",
                _("Only a requisition awaiting approval can be approved or rejected."),
            )
        )
    limit, system_admin = tenancy_selectors.approver_for(actor, requisition.institution)
    if system_admin:
        out.append(
            _refuse(
                "actor",
                "system_admin",
                _("The operator's system administrators cannot approve purchases."),
            )
        )
    if limit is None:
        out.append(
            _refuse("actor", "not_approver", _("You are not an approver in this institution."))
        )
        return out
    persons = {actor.pk} | ({limit.on_behalf_of.pk} if limit.on_behalf_of else set())
    if requisition.requester_id in persons:
        out.append(
            _refuse(
                "actor",
                "requester",
                _("You asked for this purchase; another person must approve it."),
            )
        )
    if limit.amount < requisition.net_amount:
        out.append(
            _refuse(
                "actor",
                "limit",
                _("The amount %(amount)s DKK exceeds your approval limit of %(limit)s.")
                % {"amount": requisition.net_amount, "limit": limit.amount},
            )
        )
    return out


def _raise_refusal(problems: list[ValidationError], requisition: Requisition, action: str) -> None:
    merged: dict[str, list[ValidationError]] = {}
    for problem in problems:
        for field, errors in problem.error_dict.items():
            merged.setdefault(field, []).extend(errors)
    sod = [e for errs in merged.values() for e in errs if e.code in SOD_CODES]
    if sod:
        refused = Refused(
            " ".join(sod[0].messages),
            code=str(sod[0].code),
            action=action,
            institution=requisition.institution,
            obj=requisition,
            details={"codes": sorted({str(e.code) for e in sod})},
        )
        refused.error_dict = merged
        raise refused
    raise ValidationError(merged)


def buyer_endpoint(institution: Institution) -> Endpoint | None:
    """The institution's Peppol address for orders: its first active GLN, else its CVR."""
    endpoints = list(
        Endpoint.objects.for_institution(institution)
        .filter(is_active=True)
        .order_by("scheme", "pk")
    )
    return next((e for e in endpoints if e.scheme == Endpoint.Scheme.GLN), None) or next(
        iter(endpoints), None
    )


def _buyer_party(institution: Institution, endpoint: Endpoint) -> om.Party:
    ident = Identifier(endpoint.identifier, endpoint.scheme)
    return om.Party(
        endpoint=ident,
        identifiers=(ident,),
        name=institution.name,
        legal_name=institution.name,
        legal_id=Identifier(institution.cvr, "0184") if institution.cvr else None,
    )


def order_document(order: PurchaseOrder, endpoint: Endpoint) -> om.Order:
    """The Peppol Order (T01) of a purchase order: buyer the institution's endpoint, seller
    the agreement's supplier, the agreement as contract, the requisition's coding as the
    buyer's accounting cost and its delivery address."""
    requisition = order.requisition
    agreement = order.agreement
    coding = "/".join(p for p in (order.account, order.org_unit, order.purpose) if p)
    active = agreement.catalogues.filter(status="active").first()
    return om.Order(
        id=order.number,
        issue_date=order.issue_date,
        currency=order.currency,
        order_type_code="220",
        note=requisition.note or None,
        customer_reference=str(requisition.number),
        validity_end=order.issue_date + timedelta(days=ORDER_VALID_DAYS),
        accounting_cost=coding or None,
        catalogue_id=active.catalogue_id if active else None,
        contract_id=agreement.reference,
        buyer=_buyer_party(order.institution, endpoint),
        seller=om.Party(
            endpoint=Identifier(agreement.supplier_endpoint, agreement.supplier_scheme),
            name=agreement.supplier_name,
            legal_name=agreement.supplier_name,
        ),
        delivery_location_id=(
            Identifier(requisition.delivery_gln, "0088") if requisition.delivery_gln else None
        ),
        delivery_address=Address(
            street=requisition.delivery_street,
            additional_street=requisition.delivery_name,
            city=requisition.delivery_city,
            postal_zone=requisition.delivery_postcode,
            country="DK",
        ),
        lines=tuple(
            om.OrderLine(
                id=line.line_id,
                quantity=om.Quantity(line.quantity.normalize(), line.unit),
                price=om.Price(line.unit_price.normalize()),
                line_amount=line.net_amount,
                item=om.Item(name=line.name, sellers_id=line.sellers_id or None),
            )
            for line in order.lines.all()
        ),
    )


def _store_outgoing(
    *,
    institution: Institution,
    kind: str,
    document_id: str,
    receiver: str,
    content: bytes,
    **links: Any,
) -> OutgoingDocument:
    doc = OutgoingDocument(
        institution=institution,
        kind=kind,
        document_id=document_id,
        receiver=receiver,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        **links,
    )
    doc.save()
    return doc


@refusals_recorded
@transaction.atomic
def requisition_approve(*, actor: User, requisition: Requisition) -> PurchaseOrder:
    """Approve a submitted requisition within the approver's limit: it becomes a purchase
    order, written as a Peppol Order, checked with our own T01 rules and stored in the
    outbox, which sends it after the commit. A refusal on segregation of duties is recorded
    (after the rollback)."""
    requisition = (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("institution", "agreement")
        .get(pk=requisition.pk)
    )
    problems = approval_problems(actor, requisition)
    institution = requisition.institution
    endpoint = buyer_endpoint(institution)
    if endpoint is None:
        problems.append(
            _refuse(
                "institution",
                "no_endpoint",
                _("The institution has no Peppol address (endpoint) to order from."),
            )
        )
    if problems:
        _raise_refusal(problems, requisition, "purchasing.requisition.approve")
    assert endpoint is not None
    now = timezone.now()
    limit, _admin = tenancy_selectors.approver_for(actor, institution)
    order = PurchaseOrder(
        institution=institution,
        requisition=requisition,
        agreement=requisition.agreement,
        number="{}-{}-{:05d}".format(
            institution.short_name,
            now.year,
            next_number(institution=institution, series="purchasing.order", year=now.year),
        ),
        issue_date=timezone.localdate(now),
        net_amount=requisition.net_amount,
        account=requisition.account,
        org_unit=requisition.org_unit,
        purpose=requisition.purpose,
    )
    order.save()
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            institution=institution,
            order=order,
            line_id=str(line.line_no),
            name=line.name,
            sellers_id=line.sellers_id,
            unit=line.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            net_amount=line.net_amount,
        )
        for line in requisition.lines.order_by("line_no")
    )
    content = order_to_ubl(order_document(order, endpoint))
    result = validate_bytes(content)
    fatal = [f for f in result.findings if f.flag == "fatal"]
    if fatal:
        raise ValidationError(
            _("The order did not pass the Peppol rules: %(findings)s")
            % {"findings": "; ".join(f"[{f.rule}] {f.message}" for f in fatal)},
            code="order_invalid",
        )
    outgoing = _store_outgoing(
        institution=institution,
        kind=OutgoingKind.ORDER,
        document_id=order.number,
        receiver=requisition.agreement.supplier_peppol_id,
        content=content,
        order=order,
    )
    requisition.state = RequisitionState.ORDERED
    requisition.decided_by = actor
    requisition.decided_at = now
    requisition.save(update_fields=["state", "decided_by", "decided_at"])
    on_behalf_of = limit.on_behalf_of if limit else None
    record_event(
        institution=institution,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action="purchasing.requisition.approve",
        obj=requisition,
        details={"amount": requisition.net_amount, "limit": limit.amount if limit else None},
    )
    record_event(
        institution=institution,
        actor=actor,
        action="purchasing.order.send",
        obj=order,
        details={"number": order.number, "supplier": requisition.agreement.supplier_peppol_id},
    )
    outbox_dispatch([outgoing.pk])
    return order


@refusals_recorded
@transaction.atomic
def requisition_reject(*, actor: User, requisition: Requisition, reason: str) -> Requisition:
    """An approver turns a requisition down, with the reason the requester reads."""
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    problems = [
        p
        for p in approval_problems(actor, requisition)
        if not any(e.code == "limit" for errs in p.error_dict.values() for e in errs)
    ]
    if not reason.strip():
        problems.append(_refuse("reason", "required", _("Say why the purchase is rejected.")))
    if problems:
        _raise_refusal(problems, requisition, "purchasing.requisition.reject")
    requisition.state = RequisitionState.REJECTED
    requisition.decided_by = actor
    requisition.decided_at = timezone.now()
    requisition.rejection_reason = reason.strip()
    requisition.save(update_fields=["state", "decided_by", "decided_at", "rejection_reason"])
    record_event(
        institution=requisition.institution,
        actor=actor,
        action="purchasing.requisition.reject",
        obj=requisition,
        details={"reason": requisition.rejection_reason},
    )
    return requisition


# --- goods receipt --------------------------------------------------------------------------


@transaction.atomic
def order_receive(
    *,
    actor: User,
    order: PurchaseOrder,
    quantities: Mapping[str, Decimal],
    note: str = "",
) -> GoodsReceipt:
    """The requester confirms what arrived, per order line (by line id): all of it or part.
    More than is outstanding on a line is refused."""
    order = PurchaseOrder.objects.select_for_update().select_related("requisition").get(pk=order.pk)
    if order.requisition.requester_id != actor.pk:
        raise _refuse(
            "actor", "not_requester", _("Only the requester confirms the receipt of goods.")
        )
    lines = {line.line_id: line for line in order.lines.select_for_update().order_by("pk")}
    errors: list[str] = []
    wanted: list[tuple[PurchaseOrderLine, Decimal]] = []
    for line_id, raw in quantities.items():
        quantity = Decimal(raw)
        if quantity == 0:
            continue
        line = lines.get(str(line_id))
        if line is None:
            errors.append(_("Line %(line)s is not on the order.") % {"line": line_id})
        elif quantity < 0:
            errors.append(_("Line %(line)s: the quantity cannot be negative.") % {"line": line_id})
        elif quantity > line.outstanding:
            errors.append(
                _("Line %(line)s: %(qty)s received, but only %(out)s are outstanding.")
                % {
                    "line": line_id,
                    "qty": quantity.normalize(),
                    "out": line.outstanding.normalize(),
                }
            )
        else:
            wanted.append((line, quantity))
    if not wanted and not errors:
        errors.append(_("Enter the quantity received on at least one line."))
    if errors:
        raise ValidationError({"quantities": errors})
    for line, quantity in wanted:
        line.received += quantity
        line.save(update_fields=["received"])
    done = all(line.outstanding == 0 for line in lines.values())
    old = workflow.apply(order, workflow.Event.RECEIVE_ALL if done else workflow.Event.RECEIVE_PART)
    order.save(update_fields=["state", "updated_at"])
    receipt = GoodsReceipt.objects.create(
        institution=order.institution, order=order, received_by=actor, note=note.strip()
    )
    GoodsReceiptLine.objects.bulk_create(
        GoodsReceiptLine(
            institution=order.institution, receipt=receipt, order_line=line, quantity=quantity
        )
        for line, quantity in wanted
    )
    record_event(
        institution=order.institution,
        actor=actor,
        action="purchasing.order.receive",
        obj=order,
        details={
            "lines": {line.line_id: quantity for line, quantity in wanted},
            "old_state": old,
            "state": order.state,
        },
    )
    return receipt


__all__ = [
    "Delivery",
    "OrderState",
    "agreement_create",
    "approval_problems",
    "basket_add",
    "basket_set_quantity",
    "order_receive",
    "requisition_approve",
    "requisition_reject",
    "requisition_submit",
]
