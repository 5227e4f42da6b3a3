"""Write Peppol BIS Orders (T01) and Catalogue Responses (T58) as UBL 2.1.

:func:`order_to_ubl` writes an :class:`~.model.Order`; :func:`catalogue_response_to_ubl` an
:class:`~.model.ApplicationResponse` answering a catalogue, which :func:`catalogue_response`
builds from the received :class:`~.model.Catalogue` (accepting it, or rejecting it or some of
its lines). The elements are written in the order of the UBL 2.1 schema, amounts with two
decimals (prices as given), so the output passes the schema and the PEPPOLBIS-T01/T58 rules;
``tests/test_writer.py`` checks both on every document it writes.

Where the order leaves them out, the writer derives what the rules tie together: a line's
net amount (quantity times unit price, plus charges, less allowances) and the anticipated
totals (:func:`anticipated_totals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from faelles.einvoice.model import Address, Identifier
from faelles.einvoice.ordering.model import (
    AllowanceCharge,
    ApplicationResponse,
    Catalogue,
    Item,
    LineResponse,
    MonetaryTotal,
    Order,
    OrderLine,
    Party,
    Period,
    Quantity,
)
from faelles.einvoice.ordering.transactions import APPLICATION_RESPONSE_NS, BY_CODE, ORDER_NS
from faelles.einvoice.xml import CAC, CBC

__all__ = [
    "anticipated_totals",
    "catalogue_response",
    "catalogue_response_to_ubl",
    "line_amount",
    "order_to_ubl",
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
    if order.tax_amount is not None:
        _amount(_cac(root, "TaxTotal"), "TaxAmount", order.tax_amount, currency)
    totals = anticipated_totals(order)
    if totals is not None:
        total = _cac(root, "AnticipatedMonetaryTotal")
        _amount(total, "LineExtensionAmount", totals.line_extension, currency)
        _amount(total, "TaxExclusiveAmount", totals.tax_exclusive, currency)
        _amount(total, "TaxInclusiveAmount", totals.tax_inclusive, currency)
        _amount(total, "AllowanceTotalAmount", totals.allowances, currency)
        _amount(total, "ChargeTotalAmount", totals.charges, currency)
        _amount(total, "PrepaidAmount", totals.prepaid, currency)
        _amount(total, "PayableRoundingAmount", totals.rounding, currency)
        _amount(total, "PayableAmount", totals.payable, currency)
    for line in order.lines:
        _order_line(root, line, currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


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


def _order_line(root: etree._Element, line: OrderLine, currency: str | None) -> None:
    order_line = _cac(root, "OrderLine")
    _cbc(order_line, "Note", line.note)
    item = _cac(order_line, "LineItem")
    _cbc(item, "ID", line.id)
    _quantity(item, "Quantity", line.quantity)
    _amount(item, "LineExtensionAmount", line_amount(line), currency)
    if line.partial_delivery is not None:
        _cbc(item, "PartialDeliveryIndicator", "true" if line.partial_delivery else "false")
    _cbc(item, "AccountingCost", line.accounting_cost)
    if line.delivery_period is not None:
        _period(_cac(item, "Delivery"), "RequestedDeliveryPeriod", line.delivery_period)
    for ac in line.allowances_charges:
        _allowance_charge(item, ac, currency, tax=False)
    if line.price is not None:
        price = _cac(item, "Price")
        _cbc(price, "PriceAmount", _plain(line.price.amount), currencyID=currency)
        _quantity(price, "BaseQuantity", line.price.base_quantity)
    _item(item, line.item)


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
