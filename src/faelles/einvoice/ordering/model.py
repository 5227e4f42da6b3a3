"""The post-award documents as small typed values: what a purchasing system needs of them.

Frozen dataclasses with Decimal amounts and quantities, one per UBL document, read by
:mod:`.reader` and written by :mod:`.writer`. They keep the identifiers, the parties (with
their Peppol endpoint ids), the lines (item ids, quantities, prices, status codes) and the
references between documents (to the order, the order line, the catalogue), not every field
UBL allows. A field is ``None`` (or an empty tuple) when the document does not carry it.

Identifier, Address and Contact are the invoice model's (:mod:`faelles.einvoice.model`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faelles.einvoice.model import Address, Contact, Identifier

__all__ = [
    "Address",
    "AllowanceCharge",
    "ApplicationResponse",
    "Catalogue",
    "CatalogueLine",
    "CataloguePrice",
    "Contact",
    "DespatchAdvice",
    "DespatchLine",
    "Identifier",
    "Item",
    "LineResponse",
    "MonetaryTotal",
    "Order",
    "OrderCancellation",
    "OrderLine",
    "OrderResponse",
    "OrderingDocument",
    "Party",
    "Period",
    "Price",
    "Quantity",
    "TaxSubtotal",
]


@dataclass(frozen=True, slots=True)
class Party:
    """A party (``cac:Party`` or a party of its own, e.g. ``cac:SenderParty``)."""

    endpoint: Identifier | None = None  # EndpointID: the Peppol participant id
    identifiers: tuple[Identifier, ...] = ()  # PartyIdentification/ID
    name: str | None = None  # PartyName/Name
    legal_name: str | None = None  # PartyLegalEntity/RegistrationName
    legal_id: Identifier | None = None  # PartyLegalEntity/CompanyID
    vat_id: str | None = None  # PartyTaxScheme/CompanyID (scheme VAT)
    address: Address | None = None  # PostalAddress
    contact: Contact | None = None

    @property
    def display_name(self) -> str | None:
        return self.name or self.legal_name


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal
    unit: str | None = None  # unitCode (UN/ECE Rec 20)


@dataclass(frozen=True, slots=True)
class Period:
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Price:
    """The net price of one ``base_quantity`` (one unit when not given)."""

    amount: Decimal
    currency: str | None = None
    base_quantity: Quantity | None = None

    @property
    def unit_price(self) -> Decimal:
        """The price of one unit."""
        base = self.base_quantity.value if self.base_quantity else Decimal(1)
        return self.amount / base if base else self.amount


@dataclass(frozen=True, slots=True)
class Item:
    name: str | None = None
    description: str | None = None
    sellers_id: str | None = None  # SellersItemIdentification/ID
    buyers_id: str | None = None  # BuyersItemIdentification/ID
    standard_id: Identifier | None = None  # StandardItemIdentification/ID (e.g. GTIN, 0160)
    classifications: tuple[Identifier, ...] = ()  # ItemClassificationCode with its listID
    tax_category: str | None = None  # ClassifiedTaxCategory/ID
    tax_percent: Decimal | None = None  # ClassifiedTaxCategory/Percent
    properties: tuple[tuple[str, str], ...] = ()  # AdditionalItemProperty name, value


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    charge: bool  # ChargeIndicator: true for a charge, false for an allowance
    amount: Decimal
    reason: str | None = None
    reason_code: str | None = None
    tax_category: str | None = None
    tax_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MonetaryTotal:
    """AnticipatedMonetaryTotal (order, order change) or LegalMonetaryTotal (agreement)."""

    line_extension: Decimal | None = None
    tax_exclusive: Decimal | None = None
    tax_inclusive: Decimal | None = None
    allowances: Decimal | None = None
    charges: Decimal | None = None
    prepaid: Decimal | None = None
    rounding: Decimal | None = None
    payable: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TaxSubtotal:
    """``cac:TaxTotal/cac:TaxSubtotal`` (order agreement): one tax category's amounts."""

    taxable: Decimal  # TaxableAmount
    tax: Decimal  # TaxAmount
    category: str | None = None  # TaxCategory/ID
    percent: Decimal | None = None  # TaxCategory/Percent
    exemption_reason: str | None = None  # TaxCategory/TaxExemptionReason


@dataclass(frozen=True, slots=True)
class OrderLine:
    """``cac:OrderLine/cac:LineItem`` of an order, order change, response or agreement."""

    id: str
    item: Item = Item()
    quantity: Quantity | None = None
    line_amount: Decimal | None = None  # LineExtensionAmount
    price: Price | None = None
    note: str | None = None
    status_code: str | None = (
        None  # LineStatusCode (UNCL 1229: 1 added, 3 changed, 5 accepted, 7 rejected ...)
    )
    delivery_period: Period | None = None  # requested (order) or promised (response)
    partial_delivery: bool | None = None
    accounting_cost: str | None = None
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    order_line_id: str | None = None  # OrderLineReference/LineID: the order's line
    substitute: Item | None = None  # SellerSubstitutedLineItem/Item (response)


@dataclass(frozen=True, slots=True)
class Order:
    """An Order (T01) or, with ``sequence_number`` and ``order_id``, an Order Change (T114)."""

    id: str
    issue_date: date
    customization_id: str = "urn:fdc:peppol.eu:poacc:trns:order:3"
    profile_id: str = "urn:fdc:peppol.eu:poacc:bis:ordering:3"
    currency: str | None = None  # DocumentCurrencyCode
    order_type_code: str | None = None  # 220 (order), 227 (consignment order) ...
    note: str | None = None
    customer_reference: str | None = None  # the buyer's reference (e.g. for the invoice)
    accounting_cost: str | None = None
    validity_end: date | None = None  # ValidityPeriod/EndDate
    quotation_id: str | None = None  # QuotationDocumentReference/ID
    catalogue_id: str | None = None  # CatalogueReference/ID
    contract_id: str | None = None  # Contract/ID
    project_id: str | None = None  # ProjectReference/ID
    buyer: Party | None = None  # BuyerCustomerParty
    seller: Party | None = None  # SellerSupplierParty
    originator: Party | None = None  # OriginatorCustomerParty
    invoicee: Party | None = None  # AccountingCustomerParty
    delivery_location_id: Identifier | None = None  # Delivery/DeliveryLocation/ID
    delivery_address: Address | None = None  # Delivery/DeliveryLocation/Address
    delivery_period: Period | None = None  # Delivery/RequestedDeliveryPeriod
    delivery_party: Party | None = None  # Delivery/DeliveryParty
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    tax_amount: Decimal | None = None  # TaxTotal/TaxAmount
    totals: MonetaryTotal | None = None  # AnticipatedMonetaryTotal
    lines: tuple[OrderLine, ...] = ()
    sequence_number: str | None = None  # SequenceNumberID (order change)
    order_id: str | None = None  # OrderReference/ID (order change: the order it changes)

    @property
    def is_change(self) -> bool:
        return self.customization_id.startswith("urn:fdc:peppol.eu:poacc:trns:order_change:3")


@dataclass(frozen=True, slots=True)
class OrderResponse:
    """An Order Response (T76), Order Response Advanced (T116) or Order Agreement (T110)."""

    id: str
    issue_date: date
    customization_id: str
    profile_id: str | None = None
    response_code: str | None = None  # OrderResponseCode (UNCL 1225: AP, RE, CA, AB)
    order_id: str | None = None  # OrderReference/ID: the order answered
    order_change_id: str | None = None  # OrderChangeDocumentReference/ID (advanced)
    sales_order_id: str | None = None  # the seller's order number
    note: str | None = None
    currency: str | None = None
    customer_reference: str | None = None
    buyer: Party | None = None
    seller: Party | None = None
    promised_period: Period | None = None  # Delivery/PromisedDeliveryPeriod
    tax_amount: Decimal | None = None
    totals: MonetaryTotal | None = None  # LegalMonetaryTotal (order agreement)
    lines: tuple[OrderLine, ...] = ()
    allowances_charges: tuple[AllowanceCharge, ...] = ()  # document level (order agreement)
    tax_subtotals: tuple[TaxSubtotal, ...] = ()  # TaxTotal/TaxSubtotal (order agreement)

    @property
    def accepted(self) -> bool:
        return self.response_code == "AP"

    @property
    def rejected(self) -> bool:
        return self.response_code == "RE"


@dataclass(frozen=True, slots=True)
class OrderCancellation:
    """An Order Cancellation (T115)."""

    id: str
    issue_date: date
    order_id: str | None = None  # OrderReference/ID: the order cancelled
    note: str | None = None  # CancellationNote
    customization_id: str = "urn:fdc:peppol.eu:poacc:trns:order_cancellation:3"
    profile_id: str = "urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3"
    buyer: Party | None = None
    seller: Party | None = None


@dataclass(frozen=True, slots=True)
class CataloguePrice:
    amount: Decimal
    currency: str | None = None
    base_quantity: Quantity | None = None
    validity: Period | None = None
    price_type: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogueLine:
    id: str
    item: Item = Item()
    action_code: str | None = None  # Add, Update, Delete
    orderable: bool | None = None  # OrderableIndicator
    orderable_unit: str | None = None
    content_quantity: Quantity | None = None  # ContentUnitQuantity
    minimum_quantity: Quantity | None = None  # MinimumOrderQuantity
    maximum_quantity: Quantity | None = None  # MaximumOrderQuantity
    validity: Period | None = None  # LineValidityPeriod
    prices: tuple[CataloguePrice, ...] = ()  # RequiredItemLocationQuantity/Price

    @property
    def price(self) -> CataloguePrice | None:
        return self.prices[0] if self.prices else None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A Catalogue (T19) or Punch Out shopping cart (T77)."""

    id: str
    issue_date: date
    customization_id: str
    profile_id: str | None = None
    name: str | None = None
    action_code: str | None = None  # Add, Replace, Update, Delete
    version_id: str | None = None
    validity: Period | None = None
    contract_id: str | None = None  # ReferencedContract/ID
    provider: Party | None = None  # ProviderParty (the sender)
    receiver: Party | None = None  # ReceiverParty
    seller: Party | None = None  # SellerSupplierParty/Party
    customer: Party | None = None  # ContractorCustomerParty/Party
    lines: tuple[CatalogueLine, ...] = ()


@dataclass(frozen=True, slots=True)
class DespatchLine:
    id: str
    item: Item = Item()
    delivered: Quantity | None = None  # DeliveredQuantity
    outstanding: Quantity | None = None  # OutstandingQuantity
    outstanding_reason: str | None = None
    note: str | None = None
    order_line_id: str | None = None  # OrderLineReference/LineID
    order_id: str | None = None  # OrderLineReference/OrderReference/ID
    lot_number: str | None = None  # Item/ItemInstance/LotIdentification/LotNumberID
    serial_id: str | None = None  # Item/ItemInstance/SerialID


@dataclass(frozen=True, slots=True)
class DespatchAdvice:
    """A Despatch Advice (T16)."""

    id: str
    issue_date: date
    customization_id: str = "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3"
    profile_id: str | None = None
    note: str | None = None
    order_id: str | None = None  # OrderReference/ID
    despatch_supplier: Party | None = None  # DespatchSupplierParty/Party
    delivery_customer: Party | None = None  # DeliveryCustomerParty/Party
    buyer: Party | None = None
    seller: Party | None = None
    originator: Party | None = None
    despatch_date: date | None = None  # Shipment/Delivery/Despatch/ActualDespatchDate
    estimated_delivery: Period | None = None  # Shipment/Delivery/EstimatedDeliveryPeriod
    tracking_id: str | None = None  # Shipment/Delivery/TrackingID
    lines: tuple[DespatchLine, ...] = ()


@dataclass(frozen=True, slots=True)
class LineResponse:
    """``cac:LineResponse``: the answer to one line of the document responded to."""

    line_id: str
    response_code: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ApplicationResponse:
    """A Catalogue Response (T58), Invoice Response (T111) or Message Level Response (T71)."""

    id: str
    issue_date: date
    customization_id: str
    response_code: str  # Response/ResponseCode (AP, RE; T111: UNCL 4343 subset; T71: AB/AP/RE)
    document_id: str  # DocumentReference/ID: the document answered
    profile_id: str | None = None
    note: str | None = None
    sender: Party | None = None  # SenderParty
    receiver: Party | None = None  # ReceiverParty
    description: str | None = None  # Response/Description
    document_type_code: str | None = None  # DocumentReference/DocumentTypeCode
    document_version: str | None = None  # DocumentReference/VersionID (catalogue version)
    statuses: tuple[tuple[str, str | None], ...] = ()  # Status/StatusReasonCode, StatusReason
    lines: tuple[LineResponse, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.response_code == "AP"


OrderingDocument = (
    Order | OrderResponse | OrderCancellation | Catalogue | DespatchAdvice | ApplicationResponse
)
"""Any post-award document :func:`faelles.einvoice.ordering.reader.read` returns."""
