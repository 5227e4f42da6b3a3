"""XPath 2.0 value semantics the EN 16931 rules rely on, in plain Python.

The official rules are Schematron asserts evaluated by an XSLT 2 processor. The helpers here
reproduce the parts of XPath 2.0 those asserts use, so that a rule written in Python gives the
same answer on odd input as the official stylesheet:

* ``normalize_space`` strips and collapses XML whitespace only (space, tab, CR, LF).
* ``decimal`` casts untyped text to ``xs:decimal``: whitespace is collapsed, then only the
  lexical form ``[+-]?digits[.digits]`` is accepted (no exponent, no ``NaN``, no ``_``).
* ``double`` casts untyped text to ``xs:double`` the way a general comparison such as
  ``(cbc:Percent) > 0`` does (exponents, ``INF`` and ``NaN`` allowed).
* ``xpath_round`` is ``fn:round``: halves go towards positive infinity (``round(-2.5) = -2``).
* ``boolean`` casts untyped text to ``xs:boolean`` (``true``, ``false``, ``1``, ``0``).
* ``date`` casts untyped text to ``xs:date`` (an optional timezone is accepted and ignored).

A value that cannot be cast is ``None``. In XPath that is a dynamic error which aborts the
official validator; here every comparison with ``None`` is false, so the assert that needed the
value fails and the document is reported instead of crashing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_FLOOR, Decimal

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.cen.business_messages import RULES
from faelles.einvoice.rules.tree import Tree
from faelles.einvoice.xml import CAC, CBC, location

XML_WS = " \t\r\n"
_WS_RUN = re.compile(r"[ \t\r\n]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"(?:[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF))|NaN")
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_HALF = Decimal("0.5")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def cac(name: str) -> str:
    """Clark-notation tag of a UBL aggregate component, e.g. ``cac("Party")``."""
    return f"{{{CAC}}}{name}"


def cbc(name: str) -> str:
    """Clark-notation tag of a UBL basic component, e.g. ``cbc("ID")``."""
    return f"{{{CBC}}}{name}"


def string_value(el: etree._Element | None) -> str:
    """The XPath string value of an element (its text and its descendants'); "" for none."""
    if el is None:
        return ""
    return (el.text or "") if not len(el) else "".join(str(t) for t in el.itertext())


def normalize_space(value: str) -> str:
    """``fn:normalize-space``: strip XML whitespace and collapse inner runs to one space."""
    value = value.strip(XML_WS)
    if "  " in value or "\t" in value or "\n" in value or "\r" in value:
        value = _WS_RUN.sub(" ", value)
    return value


def norm(el: etree._Element | None) -> str:
    """``normalize-space(el)`` for an optional element."""
    if el is None:
        return ""
    return normalize_space((el.text or "") if not len(el) else string_value(el))


def decimal(el: etree._Element | None) -> Decimal | None:
    """``xs:decimal(el)``; ``None`` when ``el`` is absent or not a decimal."""
    if el is None:
        return None
    text = ((el.text or "") if not len(el) else string_value(el)).strip(XML_WS)
    if _DECIMAL.fullmatch(text) is None:
        return None
    return Decimal(text)


def double(el: etree._Element | None) -> float | None:
    """``el`` cast to ``xs:double`` as a general comparison does; ``None`` when impossible."""
    if el is None:
        return None
    text = string_value(el).strip(XML_WS)
    if _DOUBLE.fullmatch(text) is None:
        return None
    return float(text.replace("INF", "inf"))


def any_double(elements: Iterable[etree._Element], predicate: str, limit: int) -> bool:
    """The general comparison ``(elements) <op> limit`` with an untyped left side.

    ``predicate`` is ``">"`` or ``">="``; true when any element's value satisfies it.
    """
    for el in elements:
        value = double(el)
        if value is None:
            continue
        if value > limit or (predicate == ">=" and value == limit):
            return True
    return False


def xpath_round(value: Decimal) -> Decimal:
    """``fn:round`` on an ``xs:decimal``: nearest integer, halves towards positive infinity."""
    return (value + _HALF).to_integral_value(rounding=ROUND_FLOOR)


def round2(value: Decimal) -> Decimal:
    """``round(value * 10 * 10) div 100``, the two-decimal rounding the CEN rules write."""
    return xpath_round(value * HUNDRED) / HUNDRED


def boolean(el: etree._Element) -> bool | None:
    """``xs:boolean(el)``; ``None`` when the text is not a boolean literal."""
    text = string_value(el).strip(XML_WS)
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return None


def date(el: etree._Element | None) -> datetime.date | None:
    """``xs:date(el)``; ``None`` when absent or not a valid date."""
    if el is None:
        return None
    match = _DATE.fullmatch(string_value(el).strip(XML_WS))
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def decimals_after_point(el: etree._Element | None) -> int:
    """``string-length(substring-after(el, '.'))``: characters after the first full stop."""
    if el is None:
        return 0
    text = (el.text or "") if not len(el) else string_value(el)
    point = text.find(".")
    return 0 if point < 0 else len(text) - point - 1


# Tags of the elements a rule context names at any depth.
ADDITIONAL_DOCUMENT_REFERENCE = cac("AdditionalDocumentReference")
ADDITIONAL_ITEM_PROPERTY = cac("AdditionalItemProperty")
ADDRESS = cac("Address")
ALLOWANCE_CHARGE = cac("AllowanceCharge")
BILLING_REFERENCE = cac("BillingReference")
CLASSIFIED_TAX_CATEGORY = cac("ClassifiedTaxCategory")
CREDIT_NOTE_LINE = cac("CreditNoteLine")
CUSTOMER = cac("AccountingCustomerParty")
ENDPOINT_ID = cbc("EndpointID")
INVOICE_LINE = cac("InvoiceLine")
INVOICE_PERIOD = cac("InvoicePeriod")
ITEM_CLASSIFICATION_CODE = cbc("ItemClassificationCode")
LEGAL_MONETARY_TOTAL = cac("LegalMonetaryTotal")
PARTY_TAX_SCHEME = cac("PartyTaxScheme")
PAYEE_FINANCIAL_ACCOUNT = cac("PayeeFinancialAccount")
PAYEE_PARTY = cac("PayeeParty")
PAYMENT_MEANS = cac("PaymentMeans")
POSTAL_ADDRESS = cac("PostalAddress")
PRIMARY_ACCOUNT_NUMBER_ID = cbc("PrimaryAccountNumberID")
STANDARD_ITEM_IDENTIFICATION = cac("StandardItemIdentification")
SUPPLIER = cac("AccountingSupplierParty")
TAX_CATEGORY = cac("TaxCategory")
TAX_REPRESENTATIVE = cac("TaxRepresentativeParty")
TAX_SUBTOTAL = cac("TaxSubtotal")
TAX_TOTAL = cac("TaxTotal")

INDEXED = (
    ADDITIONAL_DOCUMENT_REFERENCE,
    ADDITIONAL_ITEM_PROPERTY,
    ADDRESS,
    ALLOWANCE_CHARGE,
    BILLING_REFERENCE,
    CLASSIFIED_TAX_CATEGORY,
    CREDIT_NOTE_LINE,
    CUSTOMER,
    ENDPOINT_ID,
    INVOICE_LINE,
    INVOICE_PERIOD,
    ITEM_CLASSIFICATION_CODE,
    LEGAL_MONETARY_TOTAL,
    PARTY_TAX_SCHEME,
    PAYEE_FINANCIAL_ACCOUNT,
    PAYEE_PARTY,
    PAYMENT_MEANS,
    POSTAL_ADDRESS,
    PRIMARY_ACCOUNT_NUMBER_ID,
    STANDARD_ITEM_IDENTIFICATION,
    SUPPLIER,
    TAX_CATEGORY,
    TAX_REPRESENTATIVE,
    TAX_SUBTOTAL,
    TAX_TOTAL,
)
LINES = (INVOICE_LINE, CREDIT_NOTE_LINE)

# Child tags.
ACTUAL_DELIVERY_DATE = cbc("ActualDeliveryDate")
ALLOWANCE_CHARGE_REASON = cbc("AllowanceChargeReason")
ALLOWANCE_CHARGE_REASON_CODE = cbc("AllowanceChargeReasonCode")
ALLOWANCE_TOTAL_AMOUNT = cbc("AllowanceTotalAmount")
AMOUNT = cbc("Amount")
BASE_AMOUNT = cbc("BaseAmount")
CARD_ACCOUNT = cac("CardAccount")
CHARGE_INDICATOR = cbc("ChargeIndicator")
CHARGE_TOTAL_AMOUNT = cbc("ChargeTotalAmount")
COMMODITY_CLASSIFICATION = cac("CommodityClassification")
COMPANY_ID = cbc("CompanyID")
COUNTRY = cac("Country")
CREDITED_QUANTITY = cbc("CreditedQuantity")
CREDIT_NOTE_TYPE_CODE = cbc("CreditNoteTypeCode")
CUSTOMIZATION_ID = cbc("CustomizationID")
DELIVERY = cac("Delivery")
DELIVERY_LOCATION = cac("DeliveryLocation")
DESCRIPTION_CODE = cbc("DescriptionCode")
DOCUMENT_CURRENCY_CODE = cbc("DocumentCurrencyCode")
END_DATE = cbc("EndDate")
ID = cbc("ID")
IDENTIFICATION_CODE = cbc("IdentificationCode")
INVOICED_QUANTITY = cbc("InvoicedQuantity")
INVOICE_DOCUMENT_REFERENCE = cac("InvoiceDocumentReference")
INVOICE_TYPE_CODE = cbc("InvoiceTypeCode")
ISSUE_DATE = cbc("IssueDate")
ITEM = cac("Item")
LINE_EXTENSION_AMOUNT = cbc("LineExtensionAmount")
NAME = cbc("Name")
PARTY = cac("Party")
PARTY_IDENTIFICATION = cac("PartyIdentification")
PARTY_LEGAL_ENTITY = cac("PartyLegalEntity")
PARTY_NAME = cac("PartyName")
PAYABLE_AMOUNT = cbc("PayableAmount")
PAYABLE_ROUNDING_AMOUNT = cbc("PayableRoundingAmount")
PAYMENT_MEANS_CODE = cbc("PaymentMeansCode")
PERCENT = cbc("Percent")
PREPAID_AMOUNT = cbc("PrepaidAmount")
PRICE = cac("Price")
PRICE_AMOUNT = cbc("PriceAmount")
REGISTRATION_NAME = cbc("RegistrationName")
START_DATE = cbc("StartDate")
TAXABLE_AMOUNT = cbc("TaxableAmount")
TAX_AMOUNT = cbc("TaxAmount")
TAX_CURRENCY_CODE = cbc("TaxCurrencyCode")
TAX_EXEMPTION_REASON = cbc("TaxExemptionReason")
TAX_EXEMPTION_REASON_CODE = cbc("TaxExemptionReasonCode")
TAX_EXCLUSIVE_AMOUNT = cbc("TaxExclusiveAmount")
TAX_INCLUSIVE_AMOUNT = cbc("TaxInclusiveAmount")
TAX_POINT_DATE = cbc("TaxPointDate")
TAX_SCHEME = cac("TaxScheme")
VALUE = cbc("Value")

COUNTRY_CODE = f"{COUNTRY}/{IDENTIFICATION_CODE}"


Index = dict[str, list[etree._Element]]


def index(tree: Tree) -> Index:
    """The elements that rule contexts name anywhere in the document, by tag, in document order.

    The lists are the tree's own: do not modify them.
    """
    by_tag = tree.by_tag
    return {tag: by_tag.get(tag) or [] for tag in INDEXED}


def fail(out: list[Finding], rule: str, el: etree._Element) -> None:
    """Record that ``rule`` failed on the context node ``el``."""
    flag, message = RULES[rule]
    out.append(Finding(rule, flag, location(el), message))


def parent_tag(el: etree._Element) -> str | None:
    parent = el.getparent()
    return parent.tag if parent is not None else None


def under(el: etree._Element, *tags: str | tuple[str, ...]) -> bool:
    """Whether ``el``'s parent, grandparent … have ``tags`` (a tuple allows alternatives)."""
    node = el.getparent()
    for tag in tags:
        if node is None or (node.tag != tag if isinstance(tag, str) else node.tag not in tag):
            return False
        node = node.getparent()
    return True


Kids = dict[str, list[etree._Element]]


def kids(el: etree._Element) -> Kids:
    """The children of ``el`` grouped by tag, in document order (one pass, no ElementPath)."""
    grouped: Kids = {}
    for ch in el:
        grouped.setdefault(ch.tag, []).append(ch)
    return grouped


def child(el: etree._Element | None, tag: str) -> etree._Element | None:
    """The first child of ``el`` with ``tag``; cheaper than ``find`` on small elements."""
    if el is not None:
        for ch in el:
            if ch.tag == tag:
                return ch
    return None


def first(grouped: Kids, tag: str) -> etree._Element | None:
    """The first of ``grouped[tag]``, or ``None``."""
    found = grouped.get(tag)
    return found[0] if found else None


def path(el: etree._Element | None, *tags: str) -> etree._Element | None:
    """``el/tags[0]/tags[1]/…``: the first element on that path in document order."""
    if el is None:
        return None
    head = tags[0]
    if len(tags) == 1:
        for ch in el:
            if ch.tag == head:
                return ch
        return None
    if len(tags) == 2:
        tail = tags[1]
        for ch in el:
            if ch.tag == head:
                for grandchild in ch:
                    if grandchild.tag == tail:
                        return grandchild
        return None
    for ch in el:
        if ch.tag == head:
            found = path(ch, *tags[1:])
            if found is not None:
                return found
    return None


def sum_decimals(
    elements: list[etree._Element],
    cast: Callable[[etree._Element | None], Decimal | None] = decimal,
) -> Decimal | None:
    """``sum(elements/xs:decimal(.))``; ``None`` when a value is not a decimal."""
    total = Decimal(0)
    for el in elements:
        value = cast(el)
        if value is None:
            return None
        total += value
    return total


def equal(a: Decimal | None, b: Decimal | None) -> bool:
    """XPath ``a = b`` on two optional decimals: false when either is empty."""
    return a is not None and b is not None and a == b
