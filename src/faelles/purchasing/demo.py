"""Demo purchasing: ``faelles demo`` gives every demo institution with the whole cast
(requester, approver, local administrator), a GLN endpoint and the ledger's account 2210 two
framework agreements with catalogues, received as Peppol Catalogues through the intake (so
Catalogue Responses are in the outbox), and a few dozen requisitions and orders at every
state: baskets, requisitions awaiting approval and rejected, orders sent, accepted, rejected
and cancelled by the supplier, despatched, partly and fully received; the supplier's Order
Responses, Despatch Advices and Cancellations, the requester's goods receipts, and invoices
received through payables' intake that match their order (coded and attested by the receipt)
or do not (a price above the order's, more than was received), plus invoices from the
agreement's supplier without an order and for items that are not on the agreement (maverick
spend for the compliance charts).

Idempotent: an institution that already keeps the demo agreement is left alone. Small on
purpose (about 20 orders per institution): the whole ``faelles demo`` must stay quick.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from faelles.einvoice.reader import read
from faelles.einvoice.writer import to_ubl
from faelles.ledger.models import Account
from faelles.payables import demo as payables_demo
from faelles.payables import services as payables_services
from faelles.purchasing import intake, services
from faelles.purchasing.models import (
    CatalogueItem,
    FrameworkAgreement,
    PurchaseOrder,
    Requisition,
)
from faelles.tenancy.models import Endpoint, Institution, Membership, OrgUnit, Role, User

NS = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)

#: reference, name, supplier name, supplier CVR (valid modulus 11), items
#: (item number, name, UNSPSC, net unit price)
AGREEMENTS: list[tuple[str, str, str, str, list[tuple[str, str, str, str]]]] = [
    (
        "SKI 50.10",
        "Kontorartikler",
        "Kontorforsyningen A/S",
        "41000902",
        [
            ("KF-100", "Kuglepen, blå (10 stk.)", "44121704", "24.50"),
            ("KF-200", "Kopipapir A4, 500 ark", "14111507", "38.00"),
            ("KF-300", "Hæftemaskine", "44121615", "89.95"),
            ("KF-400", "Ringbind A4, sort", "44122003", "17.25"),
            ("KF-500", "Post-it, gul (12 blokke)", "14111514", "64.00"),
        ],
    ),
    (
        "SKI 02.19",
        "It-tilbehør",
        "Datagrossisten ApS",
        "41000910",
        [
            ("DG-10", "Mus, trådløs", "43211708", "149.00"),
            ("DG-20", "Tastatur, dansk", "43211706", "229.00"),
            ("DG-30", 'Skærm 24"', "43211902", "1095.00"),
            ("DG-40", "USB-C dockingstation", "43201404", "1249.00"),
        ],
    ),
]

#: What becomes of each demo order, in turn (item indexes and quantities per line).
ORDER_PLAN: list[tuple[str, int, list[tuple[int, int]]]] = [
    # (target state, agreement index, [(item index, quantity)])
    ("sent", 0, [(0, 5), (1, 10)]),
    ("sent", 1, [(0, 2)]),
    ("accepted", 0, [(2, 1), (3, 6)]),
    ("accepted", 1, [(1, 3)]),
    ("rejected", 1, [(3, 1)]),
    ("cancelled", 0, [(4, 2)]),
    ("despatched", 0, [(1, 20)]),
    ("despatched", 1, [(2, 2)]),
    ("partly_received", 0, [(0, 10), (1, 5)]),
    ("partly_received", 1, [(0, 4), (1, 4)]),
    ("received", 0, [(0, 4), (1, 8)]),
    ("received", 0, [(2, 2), (4, 3)]),
    ("received", 1, [(2, 1), (0, 1)]),
    ("received", 0, [(3, 12)]),
    ("received", 1, [(3, 2)]),
    ("received", 0, [(1, 15)]),
]

#: How the invoice of each partly or fully received order (in ORDER_PLAN's order) differs
#: from it: "" is the order as ordered (matches a received order; a partly received one is
#: invoiced in full, more than was received); "price" asks 10 % more per unit on the first
#: line; "quantity" invoices 2 more than were received on the first line.
INVOICE_PLAN = ["", "", "", "", "price", "", "quantity", ""]


class _Out(Protocol):
    def write(self, msg: str, /) -> Any: ...


def _party(tag: str, scheme: str, value: str, name: str) -> str:
    return (
        f'<cac:{tag}><cbc:EndpointID schemeID="{scheme}">{value}</cbc:EndpointID>'
        f'<cac:PartyIdentification><cbc:ID schemeID="{scheme}">{value}</cbc:ID>'
        f"</cac:PartyIdentification><cac:PartyLegalEntity><cbc:RegistrationName>{name}"
        f"</cbc:RegistrationName></cac:PartyLegalEntity></cac:{tag}>"
    )


def catalogue_xml(
    agreement: FrameworkAgreement, receiver_gln: str, receiver_name: str, issue: date
) -> bytes:
    """The supplier's Peppol Catalogue (T19) of a demo agreement."""
    spec = next(a for a in AGREEMENTS if a[0] == agreement.reference)
    supplier = _party("ProviderParty", "0184", agreement.supplier_endpoint, agreement.supplier_name)
    lines = "".join(
        f"<cac:CatalogueLine><cbc:ID>{n}</cbc:ID><cbc:ActionCode>Add</cbc:ActionCode>"
        "<cbc:OrderableIndicator>true</cbc:OrderableIndicator>"
        "<cbc:OrderableUnit>EA</cbc:OrderableUnit>"
        "<cac:RequiredItemLocationQuantity><cac:Price>"
        f'<cbc:PriceAmount currencyID="DKK">{price}</cbc:PriceAmount>'
        "</cac:Price></cac:RequiredItemLocationQuantity>"
        f"<cac:Item><cbc:Name>{name}</cbc:Name>"
        f"<cac:SellersItemIdentification><cbc:ID>{number}</cbc:ID>"
        "</cac:SellersItemIdentification>"
        f'<cac:CommodityClassification><cbc:ItemClassificationCode listID="TST">{unspsc}'
        "</cbc:ItemClassificationCode></cac:CommodityClassification>"
        "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>"
        "</cac:Item></cac:CatalogueLine>"
        for n, (number, name, unspsc, price) in enumerate(spec[4], start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:catalogue:3</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:catalogue_only:3</cbc:ProfileID>"
        f"<cbc:ID>{agreement.reference.replace(' ', '-')}-{receiver_gln}</cbc:ID>"
        "<cbc:ActionCode>Add</cbc:ActionCode>"
        f"<cbc:Name>{agreement.name}</cbc:Name><cbc:IssueDate>{issue.isoformat()}</cbc:IssueDate>"
        "<cbc:VersionID>1</cbc:VersionID>"
        f"<cac:ReferencedContract><cbc:ID>{agreement.reference}</cbc:ID></cac:ReferencedContract>"
        + supplier
        + _party("ReceiverParty", "0088", receiver_gln, receiver_name)
        + "<cac:SellerSupplierParty>"
        + _party("Party", "0184", agreement.supplier_endpoint, agreement.supplier_name)
        + "</cac:SellerSupplierParty>"
        + lines
        + "</Catalogue>"
    ).encode()


def _buyer_seller(order: PurchaseOrder, gln: str, buyer_first: bool) -> str:
    seller = (
        "<cac:SellerSupplierParty>"
        + _party("Party", "0184", order.agreement.supplier_endpoint, order.agreement.supplier_name)
        + "</cac:SellerSupplierParty>"
    )
    buyer = (
        "<cac:BuyerCustomerParty>"
        + _party("Party", "0088", gln, order.institution.name)
        + "</cac:BuyerCustomerParty>"
    )
    return buyer + seller if buyer_first else seller + buyer


def order_response_xml(order: PurchaseOrder, gln: str, code: str, issue: date) -> bytes:
    note = "<cbc:Note>Varerne er udgået af sortimentet.</cbc:Note>" if code == "RE" else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order_response:3</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:ordering:3</cbc:ProfileID>"
        f"<cbc:ID>SVAR-{order.number}</cbc:ID><cbc:SalesOrderID>S-{order.number}</cbc:SalesOrderID>"
        f"<cbc:IssueDate>{issue.isoformat()}</cbc:IssueDate>"
        f"<cbc:OrderResponseCode>{code}</cbc:OrderResponseCode>{note}"
        "<cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>"
        f"<cac:OrderReference><cbc:ID>{order.number}</cbc:ID></cac:OrderReference>"
        + _buyer_seller(order, gln, buyer_first=False)
        + "</OrderResponse>"
    ).encode()


def despatch_xml(order: PurchaseOrder, gln: str, issue: date) -> bytes:
    body = "".join(
        f"<cac:DespatchLine><cbc:ID>{n}</cbc:ID>"
        f'<cbc:DeliveredQuantity unitCode="{line.unit}">{format(line.quantity.normalize(), "f")}'
        "</cbc:DeliveredQuantity>"
        f"<cac:OrderLineReference><cbc:LineID>{line.line_id}</cbc:LineID></cac:OrderLineReference>"
        f"<cac:Item><cbc:Name>{line.name}</cbc:Name><cac:SellersItemIdentification>"
        f"<cbc:ID>{line.sellers_id or line.line_id}</cbc:ID>"
        "</cac:SellersItemIdentification></cac:Item></cac:DespatchLine>"
        for n, line in enumerate(order.lines.order_by("pk"), start=1)
    )
    agreement = order.agreement
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2" '
        f"{NS}>"
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:despatch_advice:3</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:despatch_advice:3</cbc:ProfileID>"
        f"<cbc:ID>FS-{order.number}</cbc:ID><cbc:IssueDate>{issue.isoformat()}</cbc:IssueDate>"
        f"<cac:OrderReference><cbc:ID>{order.number}</cbc:ID></cac:OrderReference>"
        "<cac:DespatchSupplierParty>"
        + _party("Party", "0184", agreement.supplier_endpoint, agreement.supplier_name)
        + "</cac:DespatchSupplierParty><cac:DeliveryCustomerParty>"
        + _party("Party", "0088", gln, order.institution.name)
        + "</cac:DeliveryCustomerParty>"
        "<cac:Shipment><cbc:ID>1</cbc:ID><cac:Delivery><cac:Despatch>"
        f"<cbc:ActualDespatchDate>{issue.isoformat()}</cbc:ActualDespatchDate>"
        "</cac:Despatch></cac:Delivery></cac:Shipment>" + body + "</DespatchAdvice>"
    ).encode()


def cancellation_xml(order: PurchaseOrder, gln: str, issue: date) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OrderCancellation xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        f'OrderCancellation-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order_cancellation:3"
        "</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3</cbc:ProfileID>"
        f"<cbc:ID>ANN-{order.number}</cbc:ID><cbc:IssueDate>{issue.isoformat()}</cbc:IssueDate>"
        "<cbc:CancellationNote>Bestilt ved en fejl</cbc:CancellationNote>"
        f"<cac:OrderReference><cbc:ID>{order.number}</cbc:ID></cac:OrderReference>"
        + _buyer_seller(order, gln, buyer_first=True)
        + "</OrderCancellation>"
    ).encode()


def _member(institution: Institution, role: str) -> User | None:
    membership = (
        Membership.objects.for_institution(institution)
        .filter(role=role, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("-approval_limit", "user__username")
        .first()
    )
    return membership.user if membership else None


def load_demo(*, stdout: _Out | None = None, today: date | None = None) -> None:
    """Fill the demo institutions (see the module docstring)."""
    today = today or timezone.localdate()
    filled = orders = 0
    for institution in Institution.objects.filter(is_active=True).order_by("pk"):
        cast = {
            role: _member(institution, role)
            for role in (Role.REQUESTER, Role.APPROVER, Role.LOCAL_ADMIN)
        }
        endpoint = (
            Endpoint.objects.for_institution(institution)
            .filter(scheme=Endpoint.Scheme.GLN, is_active=True, org_unit__isnull=True)
            .order_by("pk")
            .first()
        )
        unit = (
            OrgUnit.objects.for_institution(institution)
            .filter(is_active=True)
            .order_by("code")
            .first()
        )
        if (
            None in cast.values()
            or endpoint is None
            or unit is None
            or not Account.objects.for_institution(institution).filter(number="2210").exists()
        ):
            continue
        if FrameworkAgreement.objects.filter(
            institution=institution, reference=AGREEMENTS[0][0]
        ).exists():
            continue
        people: dict[str, User] = {k: v for k, v in cast.items() if v is not None}
        orders += _fill(institution, people, endpoint.identifier, unit.code, today)
        filled += 1
    if stdout is not None:
        stdout.write(f"purchasing: {filled} institutions, {orders} demo orders\n")


def _fill(
    institution: Institution, cast: dict[str, User], gln: str, cost_centre: str, today: date
) -> int:
    requester, approver = cast[Role.REQUESTER], cast[Role.APPROVER]
    agreements: list[FrameworkAgreement] = []
    items: list[list[CatalogueItem]] = []
    with transaction.atomic():
        for reference, name, supplier, cvr, _items in AGREEMENTS:
            agreements.append(
                services.agreement_create(
                    actor=cast[Role.LOCAL_ADMIN],
                    institution=institution,
                    reference=reference,
                    name=name,
                    supplier_name=supplier,
                    supplier_endpoint=cvr,
                    valid_from=date(today.year, 1, 1),
                    valid_to=date(today.year + 2, 12, 31),
                )
            )
    for agreement in agreements:
        received = intake.document_receive(
            content=catalogue_xml(agreement, gln, institution.name, today),
            filename=f"demo-katalog-{institution.short_name}-{agreement.pk}.xml",
            channel="import",
        )
        assert received.status == "accepted", received.document.reason
        items.append(
            list(
                CatalogueItem.objects.filter(
                    catalogue__agreement=agreement, catalogue__status="active"
                ).order_by("pk")
            )
        )

    def requisition(agreement_no: int, lines: list[tuple[int, int]], title: str) -> Requisition:
        basket: Requisition | None = None
        for item_no, qty in lines:
            basket = services.basket_add(
                actor=requester,
                institution=institution,
                item=items[agreement_no][item_no],
                quantity=Decimal(qty),
            )
        assert basket is not None
        return services.requisition_submit(
            actor=requester,
            requisition=basket,
            title=title,
            account="2210",
            org_unit=cost_centre,
            delivery=services.Delivery(
                institution.name, "Slotsholmen 1", "1216", "København K", ""
            ),
        )

    def receive(content: bytes, name: str) -> None:
        intake.document_receive(
            content=content, filename=f"demo-{institution.short_name}-{name}.xml", channel="api"
        )

    count = 0
    day = today - timedelta(days=1)
    invoiceable: list[PurchaseOrder] = []
    for n, (target, agreement_no, lines) in enumerate(ORDER_PLAN, start=1):
        req = requisition(agreement_no, lines, f"Indkøb {n}")
        order = services.requisition_approve(actor=approver, requisition=req)
        count += 1
        if target == "sent":
            continue
        if target == "rejected":
            receive(order_response_xml(order, gln, "RE", day), f"svar-{n}")
            continue
        if target == "cancelled":
            receive(cancellation_xml(order, gln, day), f"annullering-{n}")
            continue
        receive(order_response_xml(order, gln, "AP", day), f"svar-{n}")
        if target == "accepted":
            continue
        receive(despatch_xml(order, gln, day), f"følgeseddel-{n}")
        if target == "despatched":
            continue
        order.refresh_from_db()
        quantities = {
            line.line_id: (line.quantity if target == "received" else line.quantity / 2)
            for line in order.lines.order_by("pk")
        }
        services.order_receive(actor=requester, order=order, quantities=quantities)
        invoiceable.append(order)
    # Requisitions not yet ordered: awaiting approval, rejected, and a basket.
    requisition(1, [(0, 1), (1, 1)], "Ny mus og tastatur")
    requisition(0, [(4, 10)], "Post-it til mødelokalerne")
    rejected = requisition(1, [(3, 5)], "Dockingstationer til hele kontoret")
    services.requisition_reject(
        actor=approver, requisition=rejected, reason="Afventer næste års budget."
    )
    services.basket_add(
        actor=requester, institution=institution, item=items[0][1], quantity=Decimal(3)
    )
    # Invoices for the received orders (some match, some do not) and maverick buying.
    for invoice_no, (order, deviation) in enumerate(
        zip(invoiceable, INVOICE_PLAN, strict=True), start=1
    ):
        order.refresh_from_db()
        invoice_lines: list[tuple[str, str, Decimal, Decimal]] = []
        for i, line in enumerate(order.lines.order_by("pk")):
            qty, price = line.quantity, line.unit_price
            if deviation == "price" and i == 0:
                price = (price * Decimal("1.10")).quantize(Decimal("0.01"))
            if deviation == "quantity" and i == 0:
                qty += 2
            invoice_lines.append((line.name, "44121704", qty, price))
        _invoice(
            institution,
            order.agreement,
            gln,
            f"{invoice_no:03d}",
            invoice_lines,
            today,
            order.number,
        )
    office = agreements[0]
    for n, (text, unspsc, qty, price) in enumerate(
        [
            ("Kaffemaskine", "52141526", Decimal(1), Decimal("2495.00")),
            ("Kopipapir A4, 500 ark", "14111507", Decimal(20), Decimal("38.00")),
        ],
        start=1,
    ):
        _invoice(institution, office, gln, f"UO-{n}", [(text, unspsc, qty, price)], today, "")
    return count


def _invoice(
    institution: Institution,
    agreement: FrameworkAgreement,
    gln: str,
    number: str,
    lines: list[tuple[str, str, Decimal, Decimal]],
    today: date,
    order_reference: str,
) -> None:
    prefix = "".join(w[0] for w in agreement.supplier_name.split()[:1]).upper()
    content = payables_demo._document(
        number=f"{prefix}-{institution.short_name}-{number}",
        issue=today,
        buyer_gln=gln,
        buyer_name=institution.name,
        vendor=(agreement.supplier_name, agreement.supplier_endpoint, "DK5000400440116243", []),
        lines=lines,
        buyer_reference=order_reference or "Indkøb",
    )
    if order_reference:
        content = to_ubl(dataclasses.replace(read(content), order_reference=order_reference))
    payables_services.document_receive(
        content=content,
        channel="import",
        filename=f"demo-indkob-{institution.short_name}-{agreement.pk}-{number}.xml",
    )
