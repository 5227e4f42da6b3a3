"""Write the twelve Peppol BIS post-award documents as UBL 2.1.

One function per kind of document, each taking the :mod:`.model` value :mod:`.reader` reads:
:func:`order_to_ubl` (T01), :func:`order_change_to_ubl` (T114), :func:`order_response_to_ubl`
(T76 Order Response, T110 Order Agreement, T116 Order Response Advanced, as the response's
CustomizationID says), :func:`order_cancellation_to_ubl` (T115), :func:`catalogue_to_ubl`
(T19, and T77 Punch Out; :func:`punch_out_to_ubl` fills in the punch out ids),
:func:`despatch_advice_to_ubl` (T16) and :func:`application_response_to_ubl` (T58 Catalogue
Response, T111 Invoice Response, T71 Message Level Response). :func:`catalogue_response`
builds the answer to a received :class:`~.model.Catalogue` (accepting it, or rejecting it or
some of its lines) and :func:`catalogue_response_to_ubl` writes it with the T58 party subset.
The elements are written in the order of the UBL 2.1 schema, amounts with two decimals
(prices and quantities as given), so the output passes the schema and the PEPPOLBIS-Txx
rules; ``tests/test_writer.py`` checks that on every document it writes and
``tests/test_writer_roundtrip.py`` reads, writes and reads back every published example.

Where an order or order change leaves them out, the writer derives what the rules tie
together: a line's net amount (quantity times unit price, plus charges, less allowances) and
the anticipated totals (:func:`anticipated_totals`). Responses and agreements are written as
given. What the model does not keep is not written (``docs/design/einvoice.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from faelles.einvoice.model import Address, Identifier
from faelles.einvoice.ordering.model import (
    AllowanceCharge,
    ApplicationResponse,
    Catalogue,
    CatalogueLine,
    DespatchAdvice,
    DespatchLine,
    Item,
    LineResponse,
    MonetaryTotal,
    Order,
    OrderCancellation,
    OrderLine,
    OrderResponse,
    Party,
    Period,
    Quantity,
    TaxSubtotal,
)
from faelles.einvoice.ordering.transactions import (
    APPLICATION_RESPONSE_NS,
    BY_CODE,
    CATALOGUE_NS,
    DESPATCH_ADVICE_NS,
    ORDER_CANCELLATION_NS,
    ORDER_CHANGE_NS,
    ORDER_NS,
    ORDER_RESPONSE_NS,
)
from faelles.einvoice.xml import CAC, CBC

__all__ = [
    "anticipated_totals",
    "application_response_to_ubl",
    "catalogue_response",
    "catalogue_response_to_ubl",
    "catalogue_to_ubl",
    "despatch_advice_to_ubl",
    "line_amount",
    "order_cancellation_to_ubl",
    "order_change_to_ubl",
    "order_response_to_ubl",
    "order_to_ubl",
    "punch_out_to_ubl",
]

CENT = Decimal("0.01")
DEFAULT_UNIT = "EA"
CATALOGUE_RESPONSE = BY_CODE["T58"]


def _nsmap(default: str) -> dict[str, str]:
    """The root's namespace map: the document's namespace as default, ``cac`` and ``cbc``.

    (lxml takes None as the default namespace's key; its stubs do not say so.)
    """
    return {None: default, "cac": CAC, "cbc": CBC}  # type: ignore[dict-item]


def _money(value: Decimal) -> str:
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def _plain(value: Decimal) -> str:
    """A decimal as XML Schema writes it: no exponent."""
    return format(value, "f")


def _cbc(parent: etree._Element, tag: str, value: str | None, **attrs: str | None) -> None:
    if value is None or value == "":
        return
    el = etree.SubElement(parent, f"{{{CBC}}}{tag}")
    el.text = value
    for key, attr in attrs.items():
        if attr is not None:
            el.set(key, attr)


def _cac(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{tag}")


def _amount(parent: etree._Element, tag: str, value: Decimal | None, currency: str | None) -> None:
    if value is not None:
        _cbc(parent, tag, _money(value), currencyID=currency)


def _identifier(parent: etree._Element, tag: str, ident: Identifier | None) -> None:
    if ident is not None:
        _cbc(parent, tag, ident.value, schemeID=ident.scheme)


def _quantity(parent: etree._Element, tag: str, quantity: Quantity | None) -> None:
    if quantity is not None:
        _cbc(parent, tag, _plain(quantity.value), unitCode=quantity.unit or DEFAULT_UNIT)


def _address(parent: etree._Element, tag: str, address: Address | None) -> None:
    if address is None:
        return
    el = _cac(parent, tag)
    _cbc(el, "StreetName", address.street)
    _cbc(el, "AdditionalStreetName", address.additional_street)
    _cbc(el, "CityName", address.city)
    _cbc(el, "PostalZone", address.postal_zone)
    _cbc(el, "CountrySubentity", address.subdivision)
    if address.line:
        _cbc(_cac(el, "AddressLine"), "Line", address.line)
    if address.country:
        _cbc(_cac(el, "Country"), "IdentificationCode", address.country)
    if len(el) == 0:
        parent.remove(el)


def _party_content(el: etree._Element, party: Party) -> None:
    """The children of a ``PartyType`` element, in the schema's order."""
    _identifier(el, "EndpointID", party.endpoint)
    for ident in party.identifiers:
        _identifier(_cac(el, "PartyIdentification"), "ID", ident)
    if party.name:
        _cbc(_cac(el, "PartyName"), "Name", party.name)
    _address(el, "PostalAddress", party.address)
    if party.vat_id:
        scheme = _cac(el, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_id)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    if party.legal_name or party.legal_id:
        legal = _cac(el, "PartyLegalEntity")
        _cbc(legal, "RegistrationName", party.legal_name)
        _identifier(legal, "CompanyID", party.legal_id)
    contact = party.contact
    if contact is not None and (contact.name or contact.telephone or contact.email):
        el_contact = _cac(el, "Contact")
        _cbc(el_contact, "Name", contact.name)
        _cbc(el_contact, "Telephone", contact.telephone)
        _cbc(el_contact, "ElectronicMail", contact.email)


def _role(parent: etree._Element, tag: str, party: Party | None) -> None:
    """A role such as ``cac:BuyerCustomerParty`` holding a ``cac:Party``."""
    if party is not None:
        _party_content(_cac(_cac(parent, tag), "Party"), party)


def _period(parent: etree._Element, tag: str, period: Period | None) -> None:
    if period is None or (period.start is None and period.end is None):
        return
    el = _cac(parent, tag)
    _cbc(el, "StartDate", period.start.isoformat() if period.start else None)
    _cbc(el, "EndDate", period.end.isoformat() if period.end else None)


def _allowance_charge(
    parent: etree._Element, ac: AllowanceCharge, currency: str | None, *, tax: bool
) -> None:
    el = _cac(parent, "AllowanceCharge")
    _cbc(el, "ChargeIndicator", "true" if ac.charge else "false")
    _cbc(el, "AllowanceChargeReasonCode", ac.reason_code)
    _cbc(el, "AllowanceChargeReason", ac.reason)
    _amount(el, "Amount", ac.amount, currency)
    if tax and ac.tax_category:
        category = _cac(el, "TaxCategory")
        _cbc(category, "ID", ac.tax_category)
        _cbc(category, "Percent", _plain(ac.tax_percent) if ac.tax_percent is not None else None)
        _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _item(parent: etree._Element, item: Item) -> None:
    el = _cac(parent, "Item")
    _cbc(el, "Description", item.description)
    _cbc(el, "Name", item.name)
    if item.buyers_id:
        _cbc(_cac(el, "BuyersItemIdentification"), "ID", item.buyers_id)
    if item.sellers_id:
        _cbc(_cac(el, "SellersItemIdentification"), "ID", item.sellers_id)
    if item.standard_id is not None:
        _identifier(_cac(el, "StandardItemIdentification"), "ID", item.standard_id)
    for code in item.classifications:
        classification = _cac(el, "CommodityClassification")
        _cbc(classification, "ItemClassificationCode", code.value, listID=code.scheme)
    if item.tax_category:
        category = _cac(el, "ClassifiedTaxCategory")
        _cbc(category, "ID", item.tax_category)
        percent = item.tax_percent
        _cbc(category, "Percent", _plain(percent) if percent is not None else None)
        _cbc(_cac(category, "TaxScheme"), "ID", "VAT")
    for name, value in item.properties:
        prop = _cac(el, "AdditionalItemProperty")
        _cbc(prop, "Name", name)
        _cbc(prop, "Value", value)


def line_amount(line: OrderLine) -> Decimal | None:
    """The line's net amount: as given, or quantity x unit price + charges - allowances
    (rounded to cents), the amount PEPPOL-T01-R024 checks; None without quantity or price."""
    if line.line_amount is not None:
        return line.line_amount
    if line.quantity is None or line.price is None:
        return None
    amount = line.quantity.value * line.price.unit_price
    for ac in line.allowances_charges:
        amount += ac.amount if ac.charge else -ac.amount
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def anticipated_totals(order: Order) -> MonetaryTotal | None:
    """The order's totals as given, or derived from its lines, document level allowances
    and charges and tax amount (None when a line has no amount to sum)."""
    if order.totals is not None:
        return order.totals
    amounts = [line_amount(line) for line in order.lines]
    if any(a is None for a in amounts):
        return None
    lines = sum((a for a in amounts if a is not None), Decimal(0))
    allowances = sum((ac.amount for ac in order.allowances_charges if not ac.charge), Decimal(0))
    charges = sum((ac.amount for ac in order.allowances_charges if ac.charge), Decimal(0))
    exclusive = lines - allowances + charges
    inclusive = exclusive + order.tax_amount if order.tax_amount is not None else None
    has_allowances = any(not ac.charge for ac in order.allowances_charges)
    has_charges = any(ac.charge for ac in order.allowances_charges)
    return MonetaryTotal(
        line_extension=lines,
        tax_exclusive=exclusive,
        tax_inclusive=inclusive,
        allowances=allowances if has_allowances else None,
        charges=charges if has_charges else None,
        payable=inclusive if inclusive is not None else exclusive,
    )


def _check_order(order: Order) -> None:
    problems = []
    for role, party in (("buyer", order.buyer), ("seller", order.seller)):
        if party is None or party.endpoint is None:
            problems.append(f"the {role} needs a Peppol endpoint id")
    if not order.lines:
        problems.append("an order needs at least one line")
    for line in order.lines:
        if line.quantity is None:
            problems.append(f"line {line.id} needs a quantity")
        if not line.item.name:
            problems.append(f"line {line.id} needs an item name")
    if len({line.id for line in order.lines}) != len(order.lines):
        problems.append("line ids must be unique")
    if problems:
        raise ValueError("cannot write the order: " + "; ".join(problems))


def order_to_ubl(order: Order, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Order (T01) as UBL 2.1 XML bytes (UTF-8, with an XML declaration).

    Raises ValueError when the order lacks what every Peppol order has (buyer and seller
    endpoint ids, lines with a quantity and an item name, unique line ids).
    """
    _check_order(order)
    currency = order.currency
    root = etree.Element(f"{{{ORDER_NS}}}Order", nsmap=_nsmap(ORDER_NS))
    _cbc(root, "CustomizationID", order.customization_id)
    _cbc(root, "ProfileID", order.profile_id)
    _cbc(root, "ID", order.id)
    _cbc(root, "IssueDate", order.issue_date.isoformat())
    _cbc(root, "OrderTypeCode", order.order_type_code)
    _cbc(root, "Note", order.note)
    _cbc(root, "DocumentCurrencyCode", currency)
    _cbc(root, "CustomerReference", order.customer_reference)
    _cbc(root, "AccountingCost", order.accounting_cost)
    if order.validity_end is not None:
        _cbc(_cac(root, "ValidityPeriod"), "EndDate", order.validity_end.isoformat())
    if order.quotation_id:
        _cbc(_cac(root, "QuotationDocumentReference"), "ID", order.quotation_id)
    if order.catalogue_id:
        _cbc(_cac(root, "CatalogueReference"), "ID", order.catalogue_id)
    if order.contract_id:
        _cbc(_cac(root, "Contract"), "ID", order.contract_id)
    if order.project_id:
        _cbc(_cac(root, "ProjectReference"), "ID", order.project_id)
    _role(root, "BuyerCustomerParty", order.buyer)
    _role(root, "SellerSupplierParty", order.seller)
    _role(root, "OriginatorCustomerParty", order.originator)
    _role(root, "AccountingCustomerParty", order.invoicee)
    _delivery(root, order)
    for ac in order.allowances_charges:
        _allowance_charge(root, ac, currency, tax=True)
    _totals_of(root, order, currency)
    for line in order.lines:
        _order_line(root, line, currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def _check_change(order: Order) -> None:
    problems = []
    for role, party in (("buyer", order.buyer), ("seller", order.seller)):
        if party is None or party.endpoint is None:
            problems.append(f"the {role} needs a Peppol endpoint id")
    if not order.order_id:
        problems.append("an order change needs the id of the order it changes")
    if not order.sequence_number:
        problems.append("an order change needs a sequence number")
    if len({line.id for line in order.lines}) != len(order.lines):
        problems.append("line ids must be unique")
    if problems:
        raise ValueError("cannot write the order change: " + "; ".join(problems))


def order_change_to_ubl(order: Order, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Order Change (T114) as UBL 2.1 XML bytes: an :class:`~.model.Order`
    with ``sequence_number`` and ``order_id`` (the order it changes).

    The OrderChange schema has no order type code, catalogue or project reference, so
    ``order_type_code``, ``catalogue_id`` and ``project_id`` are not written. Raises
    ValueError without buyer and seller endpoint ids, the order id or the sequence number.
    """
    _check_change(order)
    currency = order.currency
    root = etree.Element(f"{{{ORDER_CHANGE_NS}}}OrderChange", nsmap=_nsmap(ORDER_CHANGE_NS))
    _cbc(root, "CustomizationID", order.customization_id)
    _cbc(root, "ProfileID", order.profile_id)
    _cbc(root, "ID", order.id)
    _cbc(root, "IssueDate", order.issue_date.isoformat())
    _cbc(root, "SequenceNumberID", order.sequence_number)
    _cbc(root, "Note", order.note)
    _cbc(root, "DocumentCurrencyCode", currency)
    _cbc(root, "CustomerReference", order.customer_reference)
    _cbc(root, "AccountingCost", order.accounting_cost)
    if order.validity_end is not None:
        _cbc(_cac(root, "ValidityPeriod"), "EndDate", order.validity_end.isoformat())
    _cbc(_cac(root, "OrderReference"), "ID", order.order_id)
    if order.quotation_id:
        _cbc(_cac(root, "QuotationDocumentReference"), "ID", order.quotation_id)
    if order.contract_id:
        _cbc(_cac(root, "Contract"), "ID", order.contract_id)
    _role(root, "BuyerCustomerParty", order.buyer)
    _role(root, "SellerSupplierParty", order.seller)
    _role(root, "OriginatorCustomerParty", order.originator)
    _role(root, "AccountingCustomerParty", order.invoicee)
    _delivery(root, order)
    for ac in order.allowances_charges:
        _allowance_charge(root, ac, currency, tax=True)
    _totals_of(root, order, currency)
    for line in order.lines:
        _order_line(root, line, currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def _totals_of(root: etree._Element, order: Order, currency: str | None) -> None:
    """TaxTotal and AnticipatedMonetaryTotal of an order or order change."""
    if order.tax_amount is not None:
        _amount(_cac(root, "TaxTotal"), "TaxAmount", order.tax_amount, currency)
    _monetary_total(root, "AnticipatedMonetaryTotal", anticipated_totals(order), currency)


def _monetary_total(
    root: etree._Element, tag: str, totals: MonetaryTotal | None, currency: str | None
) -> None:
    if totals is None:
        return
    total = _cac(root, tag)
    _amount(total, "LineExtensionAmount", totals.line_extension, currency)
    _amount(total, "TaxExclusiveAmount", totals.tax_exclusive, currency)
    _amount(total, "TaxInclusiveAmount", totals.tax_inclusive, currency)
    _amount(total, "AllowanceTotalAmount", totals.allowances, currency)
    _amount(total, "ChargeTotalAmount", totals.charges, currency)
    _amount(total, "PrepaidAmount", totals.prepaid, currency)
    _amount(total, "PayableRoundingAmount", totals.rounding, currency)
    _amount(total, "PayableAmount", totals.payable, currency)


def _delivery(root: etree._Element, order: Order) -> None:
    has_location = order.delivery_location_id is not None or order.delivery_address is not None
    if not (has_location or order.delivery_period or order.delivery_party):
        return
    delivery = _cac(root, "Delivery")
    if has_location:
        place = _cac(delivery, "DeliveryLocation")
        _identifier(place, "ID", order.delivery_location_id)
        _address(place, "Address", order.delivery_address)
    _period(delivery, "RequestedDeliveryPeriod", order.delivery_period)
    if order.delivery_party is not None:
        _party_content(_cac(delivery, "DeliveryParty"), order.delivery_party)


def _order_line(
    root: etree._Element, line: OrderLine, currency: str | None, *, response: bool = False
) -> None:
    """An ``cac:OrderLine``: an order's or order change's (``response`` False: the line
    amount derived when missing, the requested delivery period) or an order response's (the
    line amount as given, the promised delivery period, the substituted item)."""
    order_line = _cac(root, "OrderLine")
    _cbc(order_line, "Note", line.note)
    item = _cac(order_line, "LineItem")
    _cbc(item, "ID", line.id)
    _cbc(item, "LineStatusCode", line.status_code)
    _quantity(item, "Quantity", line.quantity)
    amount = line.line_amount if response else line_amount(line)
    _amount(item, "LineExtensionAmount", amount, currency)
    if line.partial_delivery is not None:
        _cbc(item, "PartialDeliveryIndicator", "true" if line.partial_delivery else "false")
    _cbc(item, "AccountingCost", line.accounting_cost)
    if line.delivery_period is not None:
        period_tag = "PromisedDeliveryPeriod" if response else "RequestedDeliveryPeriod"
        delivery = _cac(item, "Delivery")
        _period(delivery, period_tag, line.delivery_period)
        if len(delivery) == 0:
            item.remove(delivery)
    for ac in line.allowances_charges:
        _allowance_charge(item, ac, currency, tax=False)
    if line.price is not None:
        price = _cac(item, "Price")
        price_currency = line.price.currency or currency
        _cbc(price, "PriceAmount", _plain(line.price.amount), currencyID=price_currency)
        _quantity(price, "BaseQuantity", line.price.base_quantity)
    _item(item, line.item)
    if line.substitute is not None:
        substituted = _cac(order_line, "SellerSubstitutedLineItem")
        _cbc(substituted, "ID", line.id)
        _item(substituted, line.substitute)
    if line.order_line_id:
        _cbc(_cac(order_line, "OrderLineReference"), "LineID", line.order_line_id)


# --- catalogue response ------------------------------------------------------------------


def catalogue_response(
    catalogue: Catalogue,
    *,
    id: str,
    issue_date: date,
    accept: bool = True,
    reason: str | None = None,
    rejected_lines: Sequence[tuple[str, str | None]] = (),
    note: str | None = None,
) -> ApplicationResponse:
    """The Catalogue Response (T58) to a received catalogue: ``AP`` (accepted) or ``RE``
    (rejected, with ``reason``). ``rejected_lines`` (line id, reason) rejects single lines of
    an accepted catalogue. The receiver of the catalogue sends it to its provider."""
    code = "AP" if accept else "RE"
    return ApplicationResponse(
        id=id,
        issue_date=issue_date,
        customization_id=CATALOGUE_RESPONSE.customization_id,
        profile_id=catalogue.profile_id or CATALOGUE_RESPONSE.profile_id,
        response_code=code,
        document_id=catalogue.id,
        document_version=catalogue.version_id,
        description=reason,
        note=note,
        sender=catalogue.receiver,
        receiver=catalogue.provider,
        lines=tuple(LineResponse(line_id, "RE", why) for line_id, why in rejected_lines),
    )


def _check_response(response: ApplicationResponse) -> None:
    problems = []
    for role, party in (("sender", response.sender), ("receiver", response.receiver)):
        if party is None or party.endpoint is None:
            problems.append(f"the {role} needs a Peppol endpoint id")
        elif not (party.legal_name or party.name):
            problems.append(f"the {role} needs a name")
    if problems:
        raise ValueError("cannot write the catalogue response: " + "; ".join(problems))


def _response_party(root: etree._Element, tag: str, party: Party | None) -> None:
    if party is None:
        return
    # A Catalogue Response names each party by endpoint, identifier and legal name only.
    legal_name = party.legal_name or party.name
    el = _cac(root, tag)
    _identifier(el, "EndpointID", party.endpoint)
    for ident in party.identifiers[:1]:
        _identifier(_cac(el, "PartyIdentification"), "ID", ident)
    _cbc(_cac(el, "PartyLegalEntity"), "RegistrationName", legal_name)


def catalogue_response_to_ubl(response: ApplicationResponse, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Catalogue Response (T58) as UBL 2.1 XML bytes.

    Raises ValueError when the sender or receiver lacks an endpoint id or a name.
    """
    _check_response(response)
    root = etree.Element(
        f"{{{APPLICATION_RESPONSE_NS}}}ApplicationResponse",
        nsmap=_nsmap(APPLICATION_RESPONSE_NS),
    )
    _cbc(root, "CustomizationID", response.customization_id)
    _cbc(root, "ProfileID", response.profile_id or CATALOGUE_RESPONSE.profile_id)
    _cbc(root, "ID", response.id)
    _cbc(root, "IssueDate", response.issue_date.isoformat())
    _cbc(root, "Note", response.note)
    _response_party(root, "SenderParty", response.sender)
    _response_party(root, "ReceiverParty", response.receiver)
    document = _cac(root, "DocumentResponse")
    answer = _cac(document, "Response")
    _cbc(answer, "ResponseCode", response.response_code)
    _cbc(answer, "Description", response.description)
    reference = _cac(document, "DocumentReference")
    _cbc(reference, "ID", response.document_id)
    _cbc(reference, "VersionID", response.document_version)
    for line in response.lines:
        line_response = _cac(document, "LineResponse")
        _cbc(_cac(line_response, "LineReference"), "LineID", line.line_id)
        line_answer = _cac(line_response, "Response")
        _cbc(line_answer, "ResponseCode", line.response_code)
        _cbc(line_answer, "Description", line.description)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


# --- order response, order agreement, order response advanced ----------------------------


def _check_parties(kind: str, **parties: Party | None) -> None:
    problems = [
        f"the {role} needs a Peppol endpoint id"
        for role, party in parties.items()
        if party is None or party.endpoint is None
    ]
    if problems:
        raise ValueError(f"cannot write the {kind}: " + "; ".join(problems))


def order_response_to_ubl(response: OrderResponse, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Order Response (T76), Order Agreement (T110) or Order Response Advanced
    (T116) as UBL 2.1 XML bytes, the transaction as the response's ``customization_id`` says
    (take it and the profile from :data:`.transactions.BY_CODE`).

    Line amounts and totals are written as given (an agreement's LegalMonetaryTotal), not
    derived. ``order_change_id`` is not written: the UBL 2.1 OrderResponse schema has no
    ``cac:OrderChangeDocumentReference``. Raises ValueError without seller and buyer
    endpoint ids.
    """
    _check_parties("order response", seller=response.seller, buyer=response.buyer)
    currency = response.currency
    root = etree.Element(f"{{{ORDER_RESPONSE_NS}}}OrderResponse", nsmap=_nsmap(ORDER_RESPONSE_NS))
    _cbc(root, "CustomizationID", response.customization_id)
    _cbc(root, "ProfileID", response.profile_id)
    _cbc(root, "ID", response.id)
    _cbc(root, "SalesOrderID", response.sales_order_id)
    _cbc(root, "IssueDate", response.issue_date.isoformat())
    _cbc(root, "OrderResponseCode", response.response_code)
    _cbc(root, "Note", response.note)
    _cbc(root, "DocumentCurrencyCode", currency)
    _cbc(root, "CustomerReference", response.customer_reference)
    if response.order_id:
        _cbc(_cac(root, "OrderReference"), "ID", response.order_id)
    _role(root, "SellerSupplierParty", response.seller)
    _role(root, "BuyerCustomerParty", response.buyer)
    period = response.promised_period
    if period is not None and (period.start or period.end):
        _period(_cac(root, "Delivery"), "PromisedDeliveryPeriod", period)
    for ac in response.allowances_charges:
        _allowance_charge(root, ac, currency, tax=True)
    if response.tax_amount is not None:
        tax_total = _cac(root, "TaxTotal")
        _amount(tax_total, "TaxAmount", response.tax_amount, currency)
        for sub in response.tax_subtotals:
            _tax_subtotal(tax_total, sub, currency)
    _monetary_total(root, "LegalMonetaryTotal", response.totals, currency)
    for line in response.lines:
        _order_line(root, line, currency, response=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def _tax_subtotal(parent: etree._Element, sub: TaxSubtotal, currency: str | None) -> None:
    el = _cac(parent, "TaxSubtotal")
    _amount(el, "TaxableAmount", sub.taxable, currency)
    _amount(el, "TaxAmount", sub.tax, currency)
    category = _cac(el, "TaxCategory")
    _cbc(category, "ID", sub.category)
    _cbc(category, "Percent", _plain(sub.percent) if sub.percent is not None else None)
    _cbc(category, "TaxExemptionReason", sub.exemption_reason)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


# --- order cancellation ------------------------------------------------------------------


def order_cancellation_to_ubl(cancellation: OrderCancellation, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Order Cancellation (T115) as UBL 2.1 XML bytes.

    Raises ValueError without the cancelled order's id or buyer and seller endpoint ids.
    """
    _check_parties("order cancellation", buyer=cancellation.buyer, seller=cancellation.seller)
    if not cancellation.order_id:
        raise ValueError("cannot write the order cancellation: it needs the order's id")
    root = etree.Element(
        f"{{{ORDER_CANCELLATION_NS}}}OrderCancellation", nsmap=_nsmap(ORDER_CANCELLATION_NS)
    )
    _cbc(root, "CustomizationID", cancellation.customization_id)
    _cbc(root, "ProfileID", cancellation.profile_id)
    _cbc(root, "ID", cancellation.id)
    _cbc(root, "IssueDate", cancellation.issue_date.isoformat())
    _cbc(root, "CancellationNote", cancellation.note)
    _cbc(_cac(root, "OrderReference"), "ID", cancellation.order_id)
    _role(root, "BuyerCustomerParty", cancellation.buyer)
    _role(root, "SellerSupplierParty", cancellation.seller)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


# --- catalogue and punch out -------------------------------------------------------------


def _catalogue_line(root: etree._Element, line: CatalogueLine) -> None:
    el = _cac(root, "CatalogueLine")
    _cbc(el, "ID", line.id)
    _cbc(el, "ActionCode", line.action_code)
    if line.orderable is not None:
        _cbc(el, "OrderableIndicator", "true" if line.orderable else "false")
    _cbc(el, "OrderableUnit", line.orderable_unit)
    _quantity(el, "ContentUnitQuantity", line.content_quantity)
    _quantity(el, "MinimumOrderQuantity", line.minimum_quantity)
    _quantity(el, "MaximumOrderQuantity", line.maximum_quantity)
    _period(el, "LineValidityPeriod", line.validity)
    for price in line.prices:
        price_el = _cac(_cac(el, "RequiredItemLocationQuantity"), "Price")
        _cbc(price_el, "PriceAmount", _plain(price.amount), currencyID=price.currency)
        _quantity(price_el, "BaseQuantity", price.base_quantity)
        _cbc(price_el, "PriceType", price.price_type)
        _period(price_el, "ValidityPeriod", price.validity)
    _item(el, line.item)


def catalogue_to_ubl(catalogue: Catalogue, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Catalogue (T19) or Punch Out shopping cart (T77) as UBL 2.1 XML bytes,
    the transaction as the catalogue's ``customization_id`` says.

    Provider and receiver are written as parties of their own (``cac:ProviderParty``,
    ``cac:ReceiverParty``), seller and customer inside their roles. Raises ValueError
    without provider and receiver endpoint ids or without lines.
    """
    _check_parties("catalogue", provider=catalogue.provider, receiver=catalogue.receiver)
    if not catalogue.lines:
        raise ValueError("cannot write the catalogue: it needs at least one line")
    root = etree.Element(f"{{{CATALOGUE_NS}}}Catalogue", nsmap=_nsmap(CATALOGUE_NS))
    _cbc(root, "CustomizationID", catalogue.customization_id)
    _cbc(root, "ProfileID", catalogue.profile_id)
    _cbc(root, "ID", catalogue.id)
    _cbc(root, "ActionCode", catalogue.action_code)
    _cbc(root, "Name", catalogue.name)
    _cbc(root, "IssueDate", catalogue.issue_date.isoformat())
    _cbc(root, "VersionID", catalogue.version_id)
    _period(root, "ValidityPeriod", catalogue.validity)
    if catalogue.contract_id:
        _cbc(_cac(root, "ReferencedContract"), "ID", catalogue.contract_id)
    for tag, party in (
        ("ProviderParty", catalogue.provider),
        ("ReceiverParty", catalogue.receiver),
    ):
        if party is not None:
            _party_content(_cac(root, tag), party)
    _role(root, "SellerSupplierParty", catalogue.seller)
    _role(root, "ContractorCustomerParty", catalogue.customer)
    for line in catalogue.lines:
        _catalogue_line(root, line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def punch_out_to_ubl(cart: Catalogue, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Punch Out shopping cart (T77): :func:`catalogue_to_ubl` with the punch
    out CustomizationID and ProfileID when the cart names no other."""
    punch_out = BY_CODE["T77"]
    if not cart.customization_id:
        cart = replace(cart, customization_id=punch_out.customization_id)
    if not cart.profile_id:
        cart = replace(cart, profile_id=punch_out.profile_id)
    return catalogue_to_ubl(cart, pretty=pretty)


# --- despatch advice ---------------------------------------------------------------------


def _despatch_line(root: etree._Element, line: DespatchLine) -> None:
    el = _cac(root, "DespatchLine")
    _cbc(el, "ID", line.id)
    _cbc(el, "Note", line.note)
    _quantity(el, "DeliveredQuantity", line.delivered)
    _quantity(el, "OutstandingQuantity", line.outstanding)
    _cbc(el, "OutstandingReason", line.outstanding_reason)
    if line.order_line_id:
        reference = _cac(el, "OrderLineReference")
        _cbc(reference, "LineID", line.order_line_id)
        if line.order_id:
            _cbc(_cac(reference, "OrderReference"), "ID", line.order_id)
    _item(el, line.item)
    if line.serial_id or line.lot_number:
        item = el[-1]
        instance = _cac(item, "ItemInstance")
        _cbc(instance, "SerialID", line.serial_id)
        if line.lot_number:
            _cbc(_cac(instance, "LotIdentification"), "LotNumberID", line.lot_number)


def despatch_advice_to_ubl(advice: DespatchAdvice, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Despatch Advice (T16) as UBL 2.1 XML bytes.

    A line's order id is written only with its order line id (``cac:OrderLineReference``
    needs a LineID). Raises ValueError without despatch supplier and delivery customer
    endpoint ids or without lines.
    """
    _check_parties(
        "despatch advice",
        despatch_supplier=advice.despatch_supplier,
        delivery_customer=advice.delivery_customer,
    )
    if not advice.lines:
        raise ValueError("cannot write the despatch advice: it needs at least one line")
    root = etree.Element(
        f"{{{DESPATCH_ADVICE_NS}}}DespatchAdvice", nsmap=_nsmap(DESPATCH_ADVICE_NS)
    )
    _cbc(root, "CustomizationID", advice.customization_id)
    _cbc(root, "ProfileID", advice.profile_id or BY_CODE["T16"].profile_id)
    _cbc(root, "ID", advice.id)
    _cbc(root, "IssueDate", advice.issue_date.isoformat())
    _cbc(root, "Note", advice.note)
    if advice.order_id:
        _cbc(_cac(root, "OrderReference"), "ID", advice.order_id)
    _role(root, "DespatchSupplierParty", advice.despatch_supplier)
    _role(root, "DeliveryCustomerParty", advice.delivery_customer)
    _role(root, "BuyerCustomerParty", advice.buyer)
    _role(root, "SellerSupplierParty", advice.seller)
    _role(root, "OriginatorCustomerParty", advice.originator)
    estimated = advice.estimated_delivery
    has_estimate = estimated is not None and (estimated.start or estimated.end)
    if advice.despatch_date or advice.tracking_id or has_estimate:
        shipment = _cac(root, "Shipment")
        _cbc(shipment, "ID", "NA")
        delivery = _cac(shipment, "Delivery")
        _cbc(delivery, "TrackingID", advice.tracking_id)
        _period(delivery, "EstimatedDeliveryPeriod", estimated)
        if advice.despatch_date is not None:
            despatch = _cac(delivery, "Despatch")
            _cbc(despatch, "ActualDespatchDate", advice.despatch_date.isoformat())
    for line in advice.lines:
        _despatch_line(root, line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


# --- application responses: catalogue response, invoice response, MLR -------------------


def application_response_to_ubl(response: ApplicationResponse, *, pretty: bool = False) -> bytes:
    """A Peppol BIS Catalogue Response (T58), Invoice Response (T111) or Message Level
    Response (T71) as UBL 2.1 XML bytes, the transaction as the response's
    ``customization_id`` says (take it and the profile from :data:`.transactions.BY_CODE`).

    Sender and receiver are written with everything the model has of them (a received
    response round-trips); :func:`catalogue_response_to_ubl` writes the T58 party subset.
    Raises ValueError without sender and receiver endpoint ids.
    """
    _check_parties("application response", sender=response.sender, receiver=response.receiver)
    root = etree.Element(
        f"{{{APPLICATION_RESPONSE_NS}}}ApplicationResponse",
        nsmap=_nsmap(APPLICATION_RESPONSE_NS),
    )
    _cbc(root, "CustomizationID", response.customization_id)
    _cbc(root, "ProfileID", response.profile_id)
    _cbc(root, "ID", response.id)
    _cbc(root, "IssueDate", response.issue_date.isoformat())
    _cbc(root, "Note", response.note)
    for tag, party in (("SenderParty", response.sender), ("ReceiverParty", response.receiver)):
        if party is not None:
            _party_content(_cac(root, tag), party)
    _document_response(root, response)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def _document_response(root: etree._Element, response: ApplicationResponse) -> None:
    document = _cac(root, "DocumentResponse")
    answer = _cac(document, "Response")
    _cbc(answer, "ResponseCode", response.response_code)
    _cbc(answer, "Description", response.description)
    for code, reason in response.statuses:
        status = _cac(answer, "Status")
        _cbc(status, "StatusReasonCode", code)
        _cbc(status, "StatusReason", reason)
    reference = _cac(document, "DocumentReference")
    _cbc(reference, "ID", response.document_id)
    _cbc(reference, "DocumentTypeCode", response.document_type_code)
    _cbc(reference, "VersionID", response.document_version)
    for line in response.lines:
        line_response = _cac(document, "LineResponse")
        _cbc(_cac(line_response, "LineReference"), "LineID", line.line_id)
        line_answer = _cac(line_response, "Response")
        _cbc(line_answer, "ResponseCode", line.response_code)
        _cbc(line_answer, "Description", line.description)
