"""Read Peppol BIS post-award documents into :mod:`.model`.

:func:`read` parses the bytes safely and returns the model of whatever post-award document
they are (an :class:`~.model.Order`, :class:`~.model.OrderResponse`, ...); :func:`read_root`
does the same for a document already parsed (e.g. after :func:`.validate.validate_root`).
The reader is lenient as the invoice reader is: it takes what is there and leaves out what is
not. A date or number it cannot read raises :class:`faelles.einvoice.xml.ReadError` naming
the element, as does a missing document id or issue date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from faelles.einvoice.model import Address, Contact, Identifier
from faelles.einvoice.ordering.model import (
    AllowanceCharge,
    ApplicationResponse,
    Catalogue,
    CatalogueLine,
    CataloguePrice,
    DespatchAdvice,
    DespatchLine,
    Item,
    LineResponse,
    MonetaryTotal,
    Order,
    OrderCancellation,
    OrderingDocument,
    OrderLine,
    OrderResponse,
    Party,
    Period,
    Price,
    Quantity,
    TaxSubtotal,
)
from faelles.einvoice.ordering.transactions import ROOTS
from faelles.einvoice.ordering.validate import parse
from faelles.einvoice.xml import CAC, CBC, DEFAULT_MAX_BYTES, ReadError, location

Element = etree._Element

__all__ = ["read", "read_root"]


def _path(path: str) -> str:
    return path.replace("cac:", f"{{{CAC}}}").replace("cbc:", f"{{{CBC}}}")


def _find(el: Element | None, path: str) -> Element | None:
    return None if el is None else el.find(_path(path))


def _findall(el: Element | None, path: str) -> list[Element]:
    return [] if el is None else el.findall(_path(path))


def _text(el: Element | None, path: str) -> str | None:
    found = _find(el, path)
    if found is None:
        return None
    value = " ".join("".join(str(t) for t in found.itertext()).split())
    return value or None


def _required(el: Element, path: str) -> str:
    value = _text(el, path)
    if value is None:
        raise ReadError(f"{location(el)}/{path} is missing")
    return value


def _decimal(el: Element | None, path: str) -> Decimal | None:
    found = _find(el, path)
    if found is None:
        return None
    try:
        return Decimal((found.text or "").strip())
    except InvalidOperation:
        raise ReadError(f"{location(found)} is not a number: {found.text!r}") from None


def _date(el: Element | None, path: str) -> date | None:
    found = _find(el, path)
    if found is None:
        return None
    try:
        return date.fromisoformat((found.text or "").strip()[:10])
    except ValueError:
        raise ReadError(f"{location(found)} is not a date: {found.text!r}") from None


def _required_date(el: Element, path: str) -> date:
    value = _date(el, path)
    if value is None:
        raise ReadError(f"{location(el)}/{path} is missing")
    return value


def _bool(el: Element | None, path: str) -> bool | None:
    value = _text(el, path)
    return None if value is None else value == "true"


def _identifier(el: Element | None, path: str, scheme: str = "schemeID") -> Identifier | None:
    found = _find(el, path)
    value = _text(el, path)
    if found is None or value is None:
        return None
    return Identifier(value, found.get(scheme))


def _quantity(el: Element | None, path: str) -> Quantity | None:
    found = _find(el, path)
    value = _decimal(el, path)
    if found is None or value is None:
        return None
    return Quantity(value, found.get("unitCode"))


def _period(el: Element | None) -> Period | None:
    if el is None:
        return None
    return Period(_date(el, "cbc:StartDate"), _date(el, "cbc:EndDate"))


def _address(el: Element | None) -> Address | None:
    if el is None:
        return None
    return Address(
        street=_text(el, "cbc:StreetName"),
        additional_street=_text(el, "cbc:AdditionalStreetName"),
        line=_text(el, "cac:AddressLine/cbc:Line"),
        city=_text(el, "cbc:CityName"),
        postal_zone=_text(el, "cbc:PostalZone"),
        subdivision=_text(el, "cbc:CountrySubentity"),
        country=_text(el, "cac:Country/cbc:IdentificationCode"),
    )


def _party(el: Element | None) -> Party | None:
    """A ``cac:Party`` (or a party element of the same type, e.g. ``cac:SenderParty``)."""
    if el is None:
        return None
    vat = None
    for scheme in _findall(el, "cac:PartyTaxScheme"):
        if _text(scheme, "cac:TaxScheme/cbc:ID") == "VAT":
            vat = _text(scheme, "cbc:CompanyID")
            break
    contact = _find(el, "cac:Contact")
    return Party(
        endpoint=_identifier(el, "cbc:EndpointID"),
        identifiers=tuple(
            Identifier(value, ident.get("schemeID"))
            for ident in _findall(el, "cac:PartyIdentification/cbc:ID")
            if (value := " ".join((ident.text or "").split()))
        ),
        name=_text(el, "cac:PartyName/cbc:Name"),
        legal_name=_text(el, "cac:PartyLegalEntity/cbc:RegistrationName"),
        legal_id=_identifier(el, "cac:PartyLegalEntity/cbc:CompanyID"),
        vat_id=vat,
        address=_address(_find(el, "cac:PostalAddress")),
        contact=None
        if contact is None
        else Contact(
            _text(contact, "cbc:Name"),
            _text(contact, "cbc:Telephone"),
            _text(contact, "cbc:ElectronicMail"),
        ),
    )


def _item(el: Element | None) -> Item:
    if el is None:
        return Item()
    return Item(
        name=_text(el, "cbc:Name"),
        description=_text(el, "cbc:Description"),
        sellers_id=_text(el, "cac:SellersItemIdentification/cbc:ID"),
        buyers_id=_text(el, "cac:BuyersItemIdentification/cbc:ID"),
        standard_id=_identifier(el, "cac:StandardItemIdentification/cbc:ID"),
        classifications=tuple(
            Identifier(" ".join((code.text or "").split()), code.get("listID"))
            for code in _findall(el, "cac:CommodityClassification/cbc:ItemClassificationCode")
        ),
        tax_category=_text(el, "cac:ClassifiedTaxCategory/cbc:ID"),
        tax_percent=_decimal(el, "cac:ClassifiedTaxCategory/cbc:Percent"),
        properties=tuple(
            (_text(p, "cbc:Name") or "", _text(p, "cbc:Value") or "")
            for p in _findall(el, "cac:AdditionalItemProperty")
        ),
    )


def _price(el: Element | None) -> Price | None:
    amount = _decimal(el, "cbc:PriceAmount")
    if el is None or amount is None:
        return None
    found = _find(el, "cbc:PriceAmount")
    currency = found.get("currencyID") if found is not None else None
    return Price(amount, currency, _quantity(el, "cbc:BaseQuantity"))


def _allowances(el: Element) -> tuple[AllowanceCharge, ...]:
    return tuple(
        AllowanceCharge(
            charge=_text(ac, "cbc:ChargeIndicator") == "true",
            amount=_decimal(ac, "cbc:Amount") or Decimal(0),
            reason=_text(ac, "cbc:AllowanceChargeReason"),
            reason_code=_text(ac, "cbc:AllowanceChargeReasonCode"),
            tax_category=_text(ac, "cac:TaxCategory/cbc:ID"),
            tax_percent=_decimal(ac, "cac:TaxCategory/cbc:Percent"),
        )
        for ac in _findall(el, "cac:AllowanceCharge")
    )


def _totals(el: Element | None) -> MonetaryTotal | None:
    if el is None:
        return None
    return MonetaryTotal(
        line_extension=_decimal(el, "cbc:LineExtensionAmount"),
        tax_exclusive=_decimal(el, "cbc:TaxExclusiveAmount"),
        tax_inclusive=_decimal(el, "cbc:TaxInclusiveAmount"),
        allowances=_decimal(el, "cbc:AllowanceTotalAmount"),
        charges=_decimal(el, "cbc:ChargeTotalAmount"),
        prepaid=_decimal(el, "cbc:PrepaidAmount"),
        rounding=_decimal(el, "cbc:PayableRoundingAmount"),
        payable=_decimal(el, "cbc:PayableAmount"),
    )


def _tax_subtotals(root: Element) -> tuple[TaxSubtotal, ...]:
    return tuple(
        TaxSubtotal(
            taxable=_decimal(sub, "cbc:TaxableAmount") or Decimal(0),
            tax=_decimal(sub, "cbc:TaxAmount") or Decimal(0),
            category=_text(sub, "cac:TaxCategory/cbc:ID"),
            percent=_decimal(sub, "cac:TaxCategory/cbc:Percent"),
            exemption_reason=_text(sub, "cac:TaxCategory/cbc:TaxExemptionReason"),
        )
        for sub in _findall(root, "cac:TaxTotal/cac:TaxSubtotal")
    )


def _order_line(line: Element) -> OrderLine:
    item = _find(line, "cac:LineItem")
    if item is None:
        raise ReadError(f"{location(line)}/cac:LineItem is missing")
    delivery = _find(item, "cac:Delivery")
    period = _find(delivery, "cac:RequestedDeliveryPeriod")
    if period is None:
        period = _find(delivery, "cac:PromisedDeliveryPeriod")
    substitute = _find(line, "cac:SellerSubstitutedLineItem/cac:Item")
    return OrderLine(
        id=_required(item, "cbc:ID"),
        item=_item(_find(item, "cac:Item")),
        quantity=_quantity(item, "cbc:Quantity"),
        line_amount=_decimal(item, "cbc:LineExtensionAmount"),
        price=_price(_find(item, "cac:Price")),
        note=_text(item, "cbc:Note") or _text(line, "cbc:Note"),
        status_code=_text(item, "cbc:LineStatusCode"),
        delivery_period=_period(period),
        partial_delivery=_bool(item, "cbc:PartialDeliveryIndicator"),
        accounting_cost=_text(item, "cbc:AccountingCost"),
        allowances_charges=_allowances(item),
        order_line_id=_text(line, "cac:OrderLineReference/cbc:LineID"),
        substitute=None if substitute is None else _item(substitute),
    )


def _read_order(root: Element) -> Order:
    delivery = _find(root, "cac:Delivery")
    location_el = _find(delivery, "cac:DeliveryLocation")
    return Order(
        id=_required(root, "cbc:ID"),
        issue_date=_required_date(root, "cbc:IssueDate"),
        customization_id=_text(root, "cbc:CustomizationID") or "",
        profile_id=_text(root, "cbc:ProfileID") or "",
        currency=_text(root, "cbc:DocumentCurrencyCode"),
        order_type_code=_text(root, "cbc:OrderTypeCode"),
        note=_text(root, "cbc:Note"),
        customer_reference=_text(root, "cbc:CustomerReference"),
        accounting_cost=_text(root, "cbc:AccountingCost"),
        validity_end=_date(root, "cac:ValidityPeriod/cbc:EndDate"),
        quotation_id=_text(root, "cac:QuotationDocumentReference/cbc:ID"),
        catalogue_id=_text(root, "cac:CatalogueReference/cbc:ID"),
        contract_id=_text(root, "cac:Contract/cbc:ID"),
        project_id=_text(root, "cac:ProjectReference/cbc:ID"),
        buyer=_party(_find(root, "cac:BuyerCustomerParty/cac:Party")),
        seller=_party(_find(root, "cac:SellerSupplierParty/cac:Party")),
        originator=_party(_find(root, "cac:OriginatorCustomerParty/cac:Party")),
        invoicee=_party(_find(root, "cac:AccountingCustomerParty/cac:Party")),
        delivery_location_id=_identifier(location_el, "cbc:ID"),
        delivery_address=_address(_find(location_el, "cac:Address")),
        delivery_period=_period(_find(delivery, "cac:RequestedDeliveryPeriod")),
        delivery_party=_party(_find(delivery, "cac:DeliveryParty")),
        allowances_charges=_allowances(root),
        tax_amount=_decimal(root, "cac:TaxTotal/cbc:TaxAmount"),
        totals=_totals(_find(root, "cac:AnticipatedMonetaryTotal")),
        lines=tuple(_order_line(line) for line in _findall(root, "cac:OrderLine")),
        sequence_number=_text(root, "cbc:SequenceNumberID"),
        order_id=_text(root, "cac:OrderReference/cbc:ID"),
    )


def _read_order_response(root: Element) -> OrderResponse:
    return OrderResponse(
        id=_required(root, "cbc:ID"),
        issue_date=_required_date(root, "cbc:IssueDate"),
        customization_id=_text(root, "cbc:CustomizationID") or "",
        profile_id=_text(root, "cbc:ProfileID"),
        response_code=_text(root, "cbc:OrderResponseCode"),
        order_id=_text(root, "cac:OrderReference/cbc:ID"),
        order_change_id=_text(root, "cac:OrderChangeDocumentReference/cbc:ID"),
        sales_order_id=_text(root, "cbc:SalesOrderID"),
        note=_text(root, "cbc:Note"),
        currency=_text(root, "cbc:DocumentCurrencyCode"),
        customer_reference=_text(root, "cbc:CustomerReference"),
        buyer=_party(_find(root, "cac:BuyerCustomerParty/cac:Party")),
        seller=_party(_find(root, "cac:SellerSupplierParty/cac:Party")),
        promised_period=_period(_find(root, "cac:Delivery/cac:PromisedDeliveryPeriod")),
        tax_amount=_decimal(root, "cac:TaxTotal/cbc:TaxAmount"),
        totals=_totals(_find(root, "cac:LegalMonetaryTotal")),
        lines=tuple(_order_line(line) for line in _findall(root, "cac:OrderLine")),
        allowances_charges=_allowances(root),
        tax_subtotals=_tax_subtotals(root),
    )


def _read_cancellation(root: Element) -> OrderCancellation:
    return OrderCancellation(
        id=_required(root, "cbc:ID"),
        issue_date=_required_date(root, "cbc:IssueDate"),
        order_id=_text(root, "cac:OrderReference/cbc:ID"),
        note=_text(root, "cbc:CancellationNote"),
        customization_id=_text(root, "cbc:CustomizationID") or "",
        profile_id=_text(root, "cbc:ProfileID") or "",
        buyer=_party(_find(root, "cac:BuyerCustomerParty/cac:Party")),
        seller=_party(_find(root, "cac:SellerSupplierParty/cac:Party")),
    )


def _catalogue_line(line: Element) -> CatalogueLine:
    prices = []
    for quantity in _findall(line, "cac:RequiredItemLocationQuantity"):
        price = _find(quantity, "cac:Price")
        amount = _decimal(price, "cbc:PriceAmount")
        if price is None or amount is None:
            continue
        amount_el = _find(price, "cbc:PriceAmount")
        prices.append(
            CataloguePrice(
                amount,
                amount_el.get("currencyID") if amount_el is not None else None,
                _quantity(price, "cbc:BaseQuantity"),
                _period(_find(price, "cac:ValidityPeriod")),
                _text(price, "cbc:PriceType"),
            )
        )
    return CatalogueLine(
        id=_required(line, "cbc:ID"),
        item=_item(_find(line, "cac:Item")),
        action_code=_text(line, "cbc:ActionCode"),
        orderable=_bool(line, "cbc:OrderableIndicator"),
        orderable_unit=_text(line, "cbc:OrderableUnit"),
        content_quantity=_quantity(line, "cbc:ContentUnitQuantity"),
        minimum_quantity=_quantity(line, "cbc:MinimumOrderQuantity"),
        maximum_quantity=_quantity(line, "cbc:MaximumOrderQuantity"),
        validity=_period(_find(line, "cac:LineValidityPeriod")),
        prices=tuple(prices),
    )


def _read_catalogue(root: Element) -> Catalogue:
    return Catalogue(
        id=_required(root, "cbc:ID"),
        issue_date=_required_date(root, "cbc:IssueDate"),
        customization_id=_text(root, "cbc:CustomizationID") or "",
        profile_id=_text(root, "cbc:ProfileID"),
        name=_text(root, "cbc:Name"),
        action_code=_text(root, "cbc:ActionCode"),
        version_id=_text(root, "cbc:VersionID"),
        validity=_period(_find(root, "cac:ValidityPeriod")),
        contract_id=_text(root, "cac:ReferencedContract/cbc:ID"),
        provider=_party(_find(root, "cac:ProviderParty")),
        receiver=_party(_find(root, "cac:ReceiverParty")),
        seller=_party(_find(root, "cac:SellerSupplierParty/cac:Party")),
        customer=_party(_find(root, "cac:ContractorCustomerParty/cac:Party")),
        lines=tuple(_catalogue_line(line) for line in _findall(root, "cac:CatalogueLine")),
    )


def _despatch_line(line: Element) -> DespatchLine:
    item = _find(line, "cac:Item")
    return DespatchLine(
        id=_required(line, "cbc:ID"),
        item=_item(item),
        delivered=_quantity(line, "cbc:DeliveredQuantity"),
        outstanding=_quantity(line, "cbc:OutstandingQuantity"),
        outstanding_reason=_text(line, "cbc:OutstandingReason"),
        note=_text(line, "cbc:Note"),
        order_line_id=_text(line, "cac:OrderLineReference/cbc:LineID"),
        order_id=_text(line, "cac:OrderLineReference/cac:OrderReference/cbc:ID"),
        lot_number=_text(item, "cac:ItemInstance/cac:LotIdentification/cbc:LotNumberID"),
        serial_id=_text(item, "cac:ItemInstance/cbc:SerialID"),
    )


def _read_despatch(root: Element) -> DespatchAdvice:
    delivery = _find(root, "cac:Shipment/cac:Delivery")
    return DespatchAdvice(
        id=_required(root, "cbc:ID"),
        issue_date=_required_date(root, "cbc:IssueDate"),
        customization_id=_text(root, "cbc:CustomizationID") or "",
        profile_id=_text(root, "cbc:ProfileID"),
        note=_text(root, "cbc:Note"),
        order_id=_text(root, "cac:OrderReference/cbc:ID"),
        despatch_supplier=_party(_find(root, "cac:DespatchSupplierParty/cac:Party")),
        delivery_customer=_party(_find(root, "cac:DeliveryCustomerParty/cac:Party")),
        buyer=_party(_find(root, "cac:BuyerCustomerParty/cac:Party")),
        seller=_party(_find(root, "cac:SellerSupplierParty/cac:Party")),
        originator=_party(_find(root, "cac:OriginatorCustomerParty/cac:Party")),
        despatch_date=_date(delivery, "cac:Despatch/cbc:ActualDespatchDate"),
        estimated_delivery=_period(_find(delivery, "cac:EstimatedDeliveryPeriod")),
        tracking_id=_text(delivery, "cbc:TrackingID"),
        lines=tuple(_despatch_line(line) for line in _findall(root, "cac:DespatchLine")),
    )


def _read_application_response(root: Element) -> ApplicationResponse:
    response = _find(root, "cac:DocumentResponse")
    if response is None:
        raise ReadError(f"{location(root)}/cac:DocumentResponse is missing")
    return ApplicationResponse(
        id=_required(root, "cbc:ID"),
        issue_date=_required_date(root, "cbc:IssueDate"),
        customization_id=_text(root, "cbc:CustomizationID") or "",
        response_code=_required(response, "cac:Response/cbc:ResponseCode"),
        document_id=_required(response, "cac:DocumentReference/cbc:ID"),
        profile_id=_text(root, "cbc:ProfileID"),
        note=_text(root, "cbc:Note"),
        sender=_party(_find(root, "cac:SenderParty")),
        receiver=_party(_find(root, "cac:ReceiverParty")),
        description=_text(response, "cac:Response/cbc:Description"),
        document_type_code=_text(response, "cac:DocumentReference/cbc:DocumentTypeCode"),
        document_version=_text(response, "cac:DocumentReference/cbc:VersionID"),
        statuses=tuple(
            (_text(status, "cbc:StatusReasonCode") or "", _text(status, "cbc:StatusReason"))
            for status in _findall(response, "cac:Response/cac:Status")
        ),
        lines=tuple(
            LineResponse(
                _required(line, "cac:LineReference/cbc:LineID"),
                _text(line, "cac:Response/cbc:ResponseCode"),
                _text(line, "cac:Response/cbc:Description"),
            )
            for line in _findall(response, "cac:LineResponse")
        ),
    )


_READERS: dict[str, Callable[[Element], OrderingDocument]] = {
    "Order": _read_order,
    "OrderChange": _read_order,
    "OrderResponse": _read_order_response,
    "OrderCancellation": _read_cancellation,
    "Catalogue": _read_catalogue,
    "DespatchAdvice": _read_despatch,
    "ApplicationResponse": _read_application_response,
}


def read_root(root: Element) -> OrderingDocument:
    """The model of a parsed post-award document (see :func:`.validate.parse`)."""
    name = ROOTS.get(root.tag)
    if name is None:
        raise ReadError(f"root element {root.tag!r} is not a Peppol post-award document")
    reader = _READERS[name]
    return reader(root)


def read(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> OrderingDocument:
    """Parse ``data`` safely and read the post-award document it holds."""
    return read_root(parse(data, max_bytes=max_bytes))
