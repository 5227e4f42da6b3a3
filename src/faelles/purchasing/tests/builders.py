"""Builders of the world purchasing tests need: an institution with a ledger and an endpoint,
people with roles, an agreement with an active catalogue, and the suppliers' documents
(Catalogue, Order Response, Despatch Advice, Order Change, Cancellation) as Peppol XML."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from faelles.ledger.tests.factories import make_institution
from faelles.purchasing import intake, services
from faelles.purchasing.models import CatalogueItem, FrameworkAgreement, PurchaseOrder
from faelles.tenancy.models import Institution, Membership, Role, User
from faelles.tenancy.tests.factories import EndpointFactory, UserFactory, valid_gln

SUPPLIER_CVR = "87654321"
_seq = itertools.count(100)

NS = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)


def buyer(with_endpoint: bool = True) -> tuple[Institution, str]:
    """An institution with chart, cost centres 100/200, purpose P1 and (by default) a GLN."""
    inst = make_institution()
    gln = valid_gln(next(_seq))
    if with_endpoint:
        EndpointFactory(institution=inst, identifier=gln)
    return inst, gln


def member(institution: Institution, role: str = Role.REQUESTER, limit: str | None = None) -> User:
    user = UserFactory()
    Membership.objects.create(
        user=user,
        institution=institution,
        role=role,
        approval_limit=Decimal(limit) if limit is not None else None,
    )
    return user


def admin(institution: Institution) -> User:
    return member(institution, Role.LOCAL_ADMIN)


def agreement(
    institution: Institution,
    *,
    reference: str = "SKI-50.10",
    covered: Sequence[Institution] = (),
    valid_from: date = date(2026, 1, 1),
    valid_to: date = date(2027, 12, 31),
    **kwargs: Any,
) -> FrameworkAgreement:
    actor = admin(institution)
    for other in covered:
        if other == institution:
            continue
        Membership.objects.create(user=actor, institution=other, role=Role.LOCAL_ADMIN)
    return services.agreement_create(
        actor=actor,
        institution=institution,
        reference=reference,
        name=kwargs.pop("name", "Kontorartikler"),
        supplier_name=kwargs.pop("supplier_name", "Kontorartikler A/S"),
        supplier_endpoint=kwargs.pop("supplier_endpoint", SUPPLIER_CVR),
        valid_from=valid_from,
        valid_to=valid_to,
        covered=covered,
        **kwargs,
    )


def _party(tag: str, scheme: str, value: str, name: str) -> str:
    return (
        f'<cac:{tag}><cbc:EndpointID schemeID="{scheme}">{value}</cbc:EndpointID>'
        f'<cac:PartyIdentification><cbc:ID schemeID="{scheme}">{value}</cbc:ID>'
        f"</cac:PartyIdentification><cac:PartyLegalEntity><cbc:RegistrationName>{name}"
        f"</cbc:RegistrationName></cac:PartyLegalEntity></cac:{tag}>"
    )


DEFAULT_LINES = (
    ("1", "KP-100", "Kuglepen, blå", "12.50"),
    ("2", "PA-500", "Kopipapir A4, 500 ark", "39.00"),
    ("3", "HM-10", "Hæftemaskine", "89.95"),
)


def catalogue_xml(
    receiver_gln: str,
    *,
    id: str = "CAT-1",
    contract: str = "SKI-50.10",
    supplier: str = SUPPLIER_CVR,
    lines: Sequence[tuple[str, str, str, str | None]] = DEFAULT_LINES,
    action: str = "Add",
    version: str = "1",
) -> bytes:
    body = "".join(
        "<cac:CatalogueLine>"
        f"<cbc:ID>{line_id}</cbc:ID>"
        + (f"<cbc:ActionCode>{action if action != 'Add' else 'Add'}</cbc:ActionCode>")
        + "<cbc:OrderableIndicator>true</cbc:OrderableIndicator>"
        "<cbc:OrderableUnit>EA</cbc:OrderableUnit>"
        + (
            "<cac:RequiredItemLocationQuantity><cac:Price>"
            f'<cbc:PriceAmount currencyID="DKK">{price}</cbc:PriceAmount>'
            "</cac:Price></cac:RequiredItemLocationQuantity>"
            if price is not None
            else ""
        )
        + f"<cac:Item><cbc:Name>{name}</cbc:Name>"
        f"<cac:SellersItemIdentification><cbc:ID>{number}</cbc:ID>"
        "</cac:SellersItemIdentification>"
        "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>"
        "</cac:Item></cac:CatalogueLine>"
        for line_id, number, name, price in lines
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:catalogue:3</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:catalogue_only:3</cbc:ProfileID>"
        f"<cbc:ID>{id}</cbc:ID><cbc:ActionCode>{action}</cbc:ActionCode>"
        "<cbc:Name>Kontorartikler</cbc:Name><cbc:IssueDate>2026-11-01</cbc:IssueDate>"
        f"<cbc:VersionID>{version}</cbc:VersionID>"
        f"<cac:ReferencedContract><cbc:ID>{contract}</cbc:ID></cac:ReferencedContract>"
        + _party("ProviderParty", "0184", supplier, "Kontorartikler A/S")
        + _party("ReceiverParty", "0088", receiver_gln, "Styrelsen")
        + "<cac:SellerSupplierParty>"
        + _party("Party", "0184", supplier, "Kontorartikler A/S").replace(
            "<cac:Party>", "<cac:Party>"
        )
        + "</cac:SellerSupplierParty>"
        + body
        + "</Catalogue>"
    ).encode()


def _order_parties(order: PurchaseOrder, buyer_gln: str, supplier: str) -> str:
    return (
        "<cac:SellerSupplierParty>"
        + _party("Party", "0184", supplier, "Kontorartikler A/S")
        + "</cac:SellerSupplierParty><cac:BuyerCustomerParty>"
        + _party("Party", "0088", buyer_gln, "Styrelsen")
        + "</cac:BuyerCustomerParty>"
    )


def order_response_xml(
    order: PurchaseOrder,
    buyer_gln: str,
    *,
    code: str = "AP",
    id: str = "OR-1",
    supplier: str = SUPPLIER_CVR,
    lines: Sequence[tuple[str, str, str | None, str | None]] = (),
) -> bytes:
    """``lines``: (order line id, status code, new quantity or None, new price or None)."""
    body = "".join(
        "<cac:OrderLine><cac:LineItem><cbc:ID>"
        + line_id
        + "</cbc:ID>"
        + f"<cbc:LineStatusCode>{status}</cbc:LineStatusCode>"
        + (f'<cbc:Quantity unitCode="EA">{qty}</cbc:Quantity>' if qty else "")
        + (
            f'<cac:Price><cbc:PriceAmount currencyID="DKK">{price}</cbc:PriceAmount></cac:Price>'
            if price
            else ""
        )
        + "<cac:Item><cbc:Name>x</cbc:Name></cac:Item></cac:LineItem>"
        f"<cac:OrderLineReference><cbc:LineID>{line_id}</cbc:LineID></cac:OrderLineReference>"
        "</cac:OrderLine>"
        for line_id, status, qty, price in lines
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order_response:3</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:ordering:3</cbc:ProfileID>"
        f"<cbc:ID>{id}</cbc:ID><cbc:SalesOrderID>SO-77</cbc:SalesOrderID>"
        "<cbc:IssueDate>2026-11-02</cbc:IssueDate>"
        f"<cbc:OrderResponseCode>{code}</cbc:OrderResponseCode>"
        "<cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>"
        f"<cac:OrderReference><cbc:ID>{order.number}</cbc:ID></cac:OrderReference>"
        + _order_parties(order, buyer_gln, supplier)
        + body
        + "</OrderResponse>"
    ).encode()


def despatch_xml(
    order: PurchaseOrder,
    buyer_gln: str,
    *,
    id: str = "DA-1",
    lines: Sequence[tuple[str, str]] = (("1", "10"),),
) -> bytes:
    body = "".join(
        f"<cac:DespatchLine><cbc:ID>{n}</cbc:ID>"
        f'<cbc:DeliveredQuantity unitCode="EA">{qty}</cbc:DeliveredQuantity>'
        f"<cac:OrderLineReference><cbc:LineID>{line_id}</cbc:LineID></cac:OrderLineReference>"
        "<cac:Item><cbc:Name>x</cbc:Name><cac:SellersItemIdentification><cbc:ID>x</cbc:ID>"
        "</cac:SellersItemIdentification></cac:Item></cac:DespatchLine>"
        for n, (line_id, qty) in enumerate(lines, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2" '
        f"{NS}>"
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:despatch_advice:3</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:despatch_advice:3</cbc:ProfileID>"
        f"<cbc:ID>{id}</cbc:ID><cbc:IssueDate>2026-11-03</cbc:IssueDate>"
        f"<cac:OrderReference><cbc:ID>{order.number}</cbc:ID></cac:OrderReference>"
        "<cac:DespatchSupplierParty>"
        + _party("Party", "0184", SUPPLIER_CVR, "Kontorartikler A/S")
        + "</cac:DespatchSupplierParty><cac:DeliveryCustomerParty>"
        + _party("Party", "0088", buyer_gln, "Styrelsen")
        + "</cac:DeliveryCustomerParty>"
        "<cac:Shipment><cbc:ID>1</cbc:ID><cac:Delivery><cac:Despatch>"
        "<cbc:ActualDespatchDate>2026-11-03</cbc:ActualDespatchDate>"
        "</cac:Despatch></cac:Delivery></cac:Shipment>" + body + "</DespatchAdvice>"
    ).encode()


def cancellation_xml(order: PurchaseOrder, buyer_gln: str, *, id: str = "OC-1") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OrderCancellation xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        f'OrderCancellation-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order_cancellation:3"
        "</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3</cbc:ProfileID>"
        f"<cbc:ID>{id}</cbc:ID><cbc:IssueDate>2026-11-02</cbc:IssueDate>"
        "<cbc:CancellationNote>Ikke længere nødvendig</cbc:CancellationNote>"
        f"<cac:OrderReference><cbc:ID>{order.number}</cbc:ID></cac:OrderReference>"
        "<cac:BuyerCustomerParty>"
        + _party("Party", "0088", buyer_gln, "Styrelsen")
        + "</cac:BuyerCustomerParty><cac:SellerSupplierParty>"
        + _party("Party", "0184", SUPPLIER_CVR, "Kontorartikler A/S")
        + "</cac:SellerSupplierParty></OrderCancellation>"
    ).encode()


def order_change_xml(
    order: PurchaseOrder,
    buyer_gln: str,
    *,
    id: str = "CH-1",
    lines: Sequence[tuple[str, str, str, str, str]] = (),
) -> bytes:
    """``lines``: (line id, status code 1/2/3, quantity, price, item name)."""
    body = "".join(
        f"<cac:OrderLine><cac:LineItem><cbc:ID>{line_id}</cbc:ID>"
        f"<cbc:LineStatusCode>{status}</cbc:LineStatusCode>"
        f'<cbc:Quantity unitCode="EA">{qty}</cbc:Quantity>'
        f'<cbc:LineExtensionAmount currencyID="DKK">'
        f"{(Decimal(qty) * Decimal(price)).quantize(Decimal('0.01'))}</cbc:LineExtensionAmount>"
        f'<cac:Price><cbc:PriceAmount currencyID="DKK">{price}</cbc:PriceAmount></cac:Price>'
        f"<cac:Item><cbc:Name>{name}</cbc:Name></cac:Item></cac:LineItem></cac:OrderLine>"
        for line_id, status, qty, price, name in lines
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<OrderChange xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderChange-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order_change:3</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3</cbc:ProfileID>"
        f"<cbc:ID>{id}</cbc:ID><cbc:IssueDate>2026-11-02</cbc:IssueDate>"
        "<cbc:SequenceNumberID>1</cbc:SequenceNumberID>"
        "<cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>"
        f"<cac:OrderReference><cbc:ID>{order.number}</cbc:ID></cac:OrderReference>"
        "<cac:BuyerCustomerParty>"
        + _party("Party", "0088", buyer_gln, "Styrelsen")
        + "</cac:BuyerCustomerParty><cac:SellerSupplierParty>"
        + _party("Party", "0184", SUPPLIER_CVR, "Kontorartikler A/S")
        + "</cac:SellerSupplierParty>"
        + body
        + "</OrderChange>"
    ).encode()


def receive(content: bytes, name: str = "doc.xml") -> intake.Received:
    return intake.document_receive(content=content, filename=name, channel="import")


def active_agreement(
    institution: Institution, gln: str, **kwargs: Any
) -> tuple[FrameworkAgreement, list[CatalogueItem]]:
    """An agreement covering ``institution`` with an accepted catalogue of DEFAULT_LINES."""
    agr = agreement(institution, **kwargs)
    result = receive(catalogue_xml(gln, contract=agr.reference))
    assert result.status == "accepted", (result.document.reason, result.document.findings)
    items = list(CatalogueItem.objects.filter(catalogue__agreement=agr).order_by("line_id"))
    return agr, items
