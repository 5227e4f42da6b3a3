"""EN 16931 UBL syntax binding and code-list rules (cen-ubl, CEN validation artefacts 1.3.16).

The families BR-CL-* (code lists), UBL-SR-* (syntax restrictions: "shall occur maximum once"),
UBL-CR-* (elements EN 16931 does not use) and UBL-DT-* (data types), with the official ids,
flags and messages. ``check`` makes one pass over the tree:

* the ~680 UBL-CR rules and the UBL-SR rules that count a path from the document element are
  a trie of element names (``syntax_restrictions.NOT_USED`` and ``r.MAX_ONCE``), followed
  step by step while descending, so each element costs one dict lookup;
* rules whose context is an element anywhere ("cac:PaymentMeans", "cac:Country/
  cbc:IdentificationCode") are handlers looked up by the element's name (and its parent's);
* attribute rules (UBL-DT-08 … -28) look at each element's attribute names.

It reproduces the XPath of the official asserts where the suites rely on it: values are
compared after ``normalize-space`` where the assert does so and verbatim where it does not,
general comparisons are existential (``cbc:DocumentTypeCode = '130'`` holds when any of
several codes is 130), ``cbc:ChargeIndicator = false()`` casts the text to a boolean, and
within one Schematron pattern a node is tested only by the first rule whose context matches.
Findings come in the validator's order: pattern by pattern (UBL-model, UBL-syntax,
Codesmodel), document order within a pattern, assert order within a context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final, NamedTuple, cast

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.cen import codelists as cl
from faelles.einvoice.rules.cen import syntax_rules as r
from faelles.einvoice.rules.cen.syntax_restrictions import NOT_USED
from faelles.einvoice.rules.cen.syntax_rules import Rule
from faelles.einvoice.rules.tree import Tree
from faelles.einvoice.xml import CAC, CBC, CREDIT_NOTE_NS, EXT, location

Element = etree._Element


def _cac(name: str) -> str:
    return f"{{{CAC}}}{name}"


def _cbc(name: str) -> str:
    return f"{{{CBC}}}{name}"


_PREFIXES: Final = {"cac": CAC, "cbc": CBC, "ext": EXT}


def _clark(qname: str) -> str:
    prefix, local = qname.split(":")
    return f"{{{_PREFIXES[prefix]}}}{local}"


# Element names used below.
ACCOUNTING_CUSTOMER_PARTY = _cac("AccountingCustomerParty")
ACCOUNTING_SUPPLIER_PARTY = _cac("AccountingSupplierParty")
ADDITIONAL_DOCUMENT_REFERENCE = _cac("AdditionalDocumentReference")
ADDRESS = _cac("Address")
ADDRESS_LINE = _cac("AddressLine")
ALLOWANCE_CHARGE = _cac("AllowanceCharge")
ALLOWANCE_CHARGE_REASON = _cbc("AllowanceChargeReason")
ALLOWANCE_CHARGE_REASON_CODE = _cbc("AllowanceChargeReasonCode")
AMOUNT = _cbc("Amount")
ATTACHMENT = _cac("Attachment")
BASE_QUANTITY = _cbc("BaseQuantity")
BILLING_REFERENCE = _cac("BillingReference")
CHARGE_INDICATOR = _cbc("ChargeIndicator")
CLASSIFIED_TAX_CATEGORY = _cac("ClassifiedTaxCategory")
COMMODITY_CLASSIFICATION = _cac("CommodityClassification")
COMPANY_ID = _cbc("CompanyID")
COUNTRY = _cac("Country")
CREDIT_NOTE_LINE = _cac("CreditNoteLine")
CREDIT_NOTE_TYPE_CODE = _cbc("CreditNoteTypeCode")
CREDITED_QUANTITY = _cbc("CreditedQuantity")
DELIVERY = _cac("Delivery")
DELIVERY_LOCATION = _cac("DeliveryLocation")
DELIVERY_PARTY = _cac("DeliveryParty")
DESCRIPTION = _cbc("Description")
DESCRIPTION_CODE = _cbc("DescriptionCode")
DOCUMENT_CURRENCY_CODE = _cbc("DocumentCurrencyCode")
DOCUMENT_DESCRIPTION = _cbc("DocumentDescription")
DOCUMENT_REFERENCE = _cac("DocumentReference")
DOCUMENT_TYPE_CODE = _cbc("DocumentTypeCode")
EMBEDDED_DOCUMENT = _cbc("EmbeddedDocumentBinaryObject")
ENDPOINT_ID = _cbc("EndpointID")
ID = _cbc("ID")
IDENTIFICATION_CODE = _cbc("IdentificationCode")
INVOICE_DOCUMENT_REFERENCE = _cac("InvoiceDocumentReference")
INVOICE_LINE = _cac("InvoiceLine")
INVOICE_PERIOD = _cac("InvoicePeriod")
INVOICE_TYPE_CODE = _cbc("InvoiceTypeCode")
INVOICED_QUANTITY = _cbc("InvoicedQuantity")
ITEM = _cac("Item")
ITEM_CLASSIFICATION_CODE = _cbc("ItemClassificationCode")
LINE_ID = _cbc("LineID")
NAME = _cbc("Name")
NOTE = _cbc("Note")
ORDER_LINE_REFERENCE = _cac("OrderLineReference")
ORIGIN_COUNTRY = _cac("OriginCountry")
PARTY = _cac("Party")
PARTY_IDENTIFICATION = _cac("PartyIdentification")
PARTY_LEGAL_ENTITY = _cac("PartyLegalEntity")
PARTY_NAME = _cac("PartyName")
PARTY_TAX_SCHEME = _cac("PartyTaxScheme")
PAYEE_PARTY = _cac("PayeeParty")
PAYMENT_ID = _cbc("PaymentID")
PAYMENT_MANDATE = _cac("PaymentMandate")
PAYMENT_MEANS = _cac("PaymentMeans")
PAYMENT_MEANS_CODE = _cbc("PaymentMeansCode")
POSTAL_ADDRESS = _cac("PostalAddress")
PRICE = _cac("Price")
REGISTRATION_NAME = _cbc("RegistrationName")
STANDARD_ITEM_IDENTIFICATION = _cac("StandardItemIdentification")
TAX_CATEGORY = _cac("TaxCategory")
TAX_CURRENCY_CODE = _cbc("TaxCurrencyCode")
TAX_EXEMPTION_REASON = _cbc("TaxExemptionReason")
TAX_EXEMPTION_REASON_CODE = _cbc("TaxExemptionReasonCode")
TAX_REPRESENTATIVE_PARTY = _cac("TaxRepresentativeParty")
TAX_SCHEME = _cac("TaxScheme")
TAX_SUBTOTAL = _cac("TaxSubtotal")
UBL_VERSION_ID = _cbc("UBLVersionID")

CREDIT_NOTE_ROOT: Final = f"{{{CREDIT_NOTE_NS}}}CreditNote"

# --------------------------------------------------------------------------------------------
# XPath helpers


_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _normalize(value: str) -> str:
    """XPath ``normalize-space``: only the four XML white-space characters count."""
    if value.isascii():  # str.split() then splits on XML white space only
        return " ".join(value.split())
    return _XML_SPACE.sub(" ", value).strip(" ")


def _string(el: Element) -> str:
    """The XPath string value of an element."""
    if len(el):
        return "".join(cast("Iterable[str]", el.itertext()))
    return el.text or ""


def _coded(value: str | None, codes: frozenset[str]) -> bool:
    """The code-list idiom ``not(contains(normalize-space(v), ' ')) and contains(' A B ', …)``."""
    if value in codes:  # no code has white space, so the value is already normalized
        return True
    normalized = _normalize(value or "")
    return " " not in normalized and normalized in codes


# Loops over the children: cheaper than iterchildren(tag) for the few children UBL has.


def _count(el: Element, tag: str) -> int:
    """count(tag)"""
    n = 0
    for child in el:
        if child.tag == tag:
            n += 1
    return n


def _count2(el: Element, tag: str, child_tag: str) -> int:
    """count(tag/child_tag)"""
    n = 0
    for child in el:
        if child.tag == tag:
            n += _count(child, child_tag)
    return n


def _has(el: Element, tag: str) -> bool:
    return any(child.tag == tag for child in el)


def _boolean(indicator: Element) -> bool | None:
    """``cbc:ChargeIndicator = true()/false()`` casts the text to xs:boolean.

    A text that is not a boolean cannot be cast, so neither comparison holds for it.
    """
    text = _normalize(_string(indicator))
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return None


def _charge_indicator_is(allowance_charge: Element, value: bool) -> bool:
    """The predicate ``[cbc:ChargeIndicator = true()/false()]`` of a rule context.

    The indicators are compared in document order; one that cannot be cast before a match is
    a dynamic error, and a context whose predicate fails so does not match the node.
    """
    for child in allowance_charge:
        if child.tag == CHARGE_INDICATOR:
            indicator = _boolean(child)
            if indicator is None:
                return False
            if indicator is value:
                return True
    return False


def _has_ancestor(el: Element, tags: tuple[str, ...]) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag in tags:
            return True
        node = node.getparent()
    return False


_FAMILY_ORDER: Final = {"UBL-CR": 0, "UBL-DT": 1, "UBL-SR": 2}


def _root_order(rule: Rule) -> tuple[int, int]:
    """Assert order of the document-element rule in the sch: UBL-CR, then UBL-DT, then UBL-SR."""
    family, _, number = rule.id.rpartition("-")
    return _FAMILY_ORDER[family], int(number)


# --------------------------------------------------------------------------------------------
# Paths from the document element: a trie of element names.


class _Step:
    """One element name on a path from the document element, and what its presence counts for."""

    __slots__ = ("attribute_rules", "children", "rules")

    def __init__(self) -> None:
        self.children: dict[str, _Step] = {}
        self.rules: list[Rule] = []
        self.attribute_rules: list[tuple[str, Rule]] = []


class _Descendant(NamedTuple):
    """A ``//a/b/c[/@attr]`` rule: keyed by ``c``, ``ancestors`` are ``(b, a)``."""

    ancestors: tuple[str, ...]
    attribute: str | None
    rule: Rule


_ROOT_STEPS: Final[dict[str, _Step]] = {}
_LIMITS: Final[dict[Rule, int]] = {}
_DESCENDANTS: Final[dict[str, list[_Descendant]]] = {}
_ANY_ATTRIBUTE: Final[dict[str | bytes, Rule]] = {**r.ATTRIBUTES_NOT_USED}
_UNION = re.compile(r"\(([^)]*)\)")


def _add_path(path: str, rule: Rule, limit: int) -> None:
    """Compile one path of the restriction tables (see ``syntax_restrictions``)."""
    if path.startswith("//@"):  # an attribute anywhere
        _ANY_ATTRIBUTE[path[3:]] = rule
        return
    attribute = None
    if "/@" in path:
        path, _, attribute = path.rpartition("/@")
    if path.startswith("//"):
        assert limit == 0, path
        names = [_clark(step) for step in path[2:].split("/")]
        _DESCENDANTS.setdefault(names[-1], []).append(
            _Descendant(tuple(reversed(names[:-1])), attribute, rule)
        )
        return
    _LIMITS[rule] = limit
    levels: list[dict[str, _Step]] = [_ROOT_STEPS]
    steps = path.split("/")
    for index, step in enumerate(steps):
        match = _UNION.fullmatch(step)
        alternatives = match.group(1).split("|") if match else [step]
        reached: list[_Step] = []
        for level in levels:
            for qname in alternatives:
                reached.append(level.setdefault(_clark(qname), _Step()))
        if index == len(steps) - 1:
            for node in reached:
                if attribute is None:
                    node.rules.append(rule)
                else:
                    node.attribute_rules.append((attribute, rule))
        levels = [node.children for node in reached]


for _id, _flag, _path, _text in NOT_USED:
    _add_path(_path, r.rule(_id, _flag, _text), 0)
for _max_once_rule, _path in r.MAX_ONCE:
    _add_path(_path, _max_once_rule, 1)
_add_path("cac:PaymentMeans/cbc:PaymentDueDate", r.UBL_CR_412, 0)  # not for a CreditNote, below
# The attribute names ``_attributes`` acts on: most elements have none of them.
_ATTRIBUTE_NAMES: Final = frozenset(_ANY_ATTRIBUTE) | {"name"}

# --------------------------------------------------------------------------------------------
# The walk


class _Walk:
    """What one pass over a document found."""

    __slots__ = (
        "buyer_vat_ids",
        "codes",
        "credit_note",
        "invoiced_object_ids",
        "model",
        "payment_ids",
        "payment_means_codes",
        "root",
        "root_fired",
        "root_hits",
        "seller_tax_registrations",
        "seller_vat_ids",
        "sepa_ids",
        "syntax",
        "ubl_versions",
    )

    def __init__(self, root: Element) -> None:
        self.root = root
        self.credit_note = etree.QName(root).localname == "CreditNote"
        self.model: list[Finding] = []  # pattern UBL-model (BR-CL-08)
        self.syntax: list[Finding] = []  # pattern UBL-syntax, below the document element
        self.codes: list[Finding] = []  # pattern Codesmodel
        self.root_hits: list[Rule] = []  # one entry per element on a counted path
        self.root_fired: set[Rule] = set()  # document-element rules that fail
        self.payment_ids: set[str] = set()
        self.payment_means_codes: set[str] = set()
        self.ubl_versions: list[str] = []
        self.invoiced_object_ids = 0
        self.seller_vat_ids = 0
        self.seller_tax_registrations = 0
        self.buyer_vat_ids = 0
        self.sepa_ids = 0


Handler = Callable[[_Walk, Element, Element], None]


class _TagInfo(NamedTuple):
    """What an element name takes part in, worked out once per name."""

    handler: Handler | None
    by_parent: dict[str, Handler] | None
    descendants: tuple[_Descendant, ...]  # without an attribute
    attribute_descendants: tuple[_Descendant, ...]  # looked at only when there are attributes
    amount: bool
    binary: bool


_PLAIN: Final = _TagInfo(None, None, (), (), False, False)
_TAG_INFO: dict[object, _TagInfo] = {}


def _walk(
    w: _Walk, parent: Element, parent_tag: str, steps: dict[str, _Step] | None, in_price: bool
) -> None:
    for el in parent:
        tag = el.tag
        children: dict[str, _Step] | None = None
        if steps:
            step = steps.get(tag)
            if step is not None:
                if step.rules:
                    w.root_hits.extend(step.rules)
                if step.attribute_rules:
                    for attribute, rule in step.attribute_rules:
                        if el.get(attribute) is not None:
                            w.root_hits.append(rule)
                children = step.children
        info = _TAG_INFO.get(tag) or _tag_info(tag)
        keys = el.keys()
        if info is not _PLAIN:
            handler, by_parent, descendants, attribute_descendants, amount, binary = info
            if handler is not None:
                handler(w, el, parent)
            if by_parent is not None:
                handler = by_parent.get(parent_tag)
                if handler is not None:
                    handler(w, el, parent)
            for descendant in descendants:
                _check_descendant(w, parent, descendant)
            if keys:
                for descendant in attribute_descendants:
                    if descendant.attribute in keys:
                        _check_descendant(w, parent, descendant)
            # UBL-DT-01: string-length(substring-after(., '.')) <= 2
            if amount and not in_price and len(_string(el).partition(".")[2]) > 2:
                w.syntax.append(r.UBL_DT_01.at(el))
            if binary:
                if "mimeCode" not in keys:
                    w.syntax.append(r.UBL_DT_06.at(el))
                if "filename" not in keys:
                    w.syntax.append(r.UBL_DT_07.at(el))
        if keys and not _ATTRIBUTE_NAMES.isdisjoint(keys):
            _attributes(w, tag, keys)
        if len(el):
            _walk(w, el, tag, children, in_price or (tag == PRICE and _has(el, ALLOWANCE_CHARGE)))


def _tag_info(tag: object) -> _TagInfo:
    if not isinstance(tag, str):  # a comment or processing instruction
        return _PLAIN
    descendants = _DESCENDANTS.get(tag, [])
    info = _TagInfo(
        _HANDLERS.get(tag),
        _BY_PARENT.get(tag),
        tuple(d for d in descendants if d.attribute is None),
        tuple(d for d in descendants if d.attribute is not None),
        # UBL-DT-01 context: ends-with(name(), 'Amount') and not(ends-with(name(), 'PriceAmount'))
        tag.endswith("Amount") and not tag.endswith("PriceAmount"),
        tag.endswith("BinaryObject"),  # UBL-DT-06, -07
    )
    if info == _PLAIN:
        info = _PLAIN
    if len(_TAG_INFO) < 10_000:
        _TAG_INFO[tag] = info
    return info


def _check_descendant(w: _Walk, parent: Element, rule: _Descendant) -> None:
    node: Element | None = parent
    for name in rule.ancestors:
        if node is None or node.tag != name:
            return
        node = node.getparent()
    w.root_fired.add(rule.rule)


def _attributes(w: _Walk, tag: object, names: Iterable[str | bytes]) -> None:
    for name in names:
        rule = _ANY_ATTRIBUTE.get(name)
        if rule is not None:
            w.root_fired.add(rule)
        elif name == "name" and tag != PAYMENT_MEANS_CODE:
            # UBL-DT-18: count(//@name) - count(//cbc:PaymentMeansCode/@name) <= 0
            w.root_fired.add(r.UBL_DT_18)


# --------------------------------------------------------------------------------------------
# Pattern UBL-model: BR-CL-08


def _root_note(w: _Walk, el: Element, parent: Element) -> None:
    """BR-CL-08 on /ubl:Invoice/cbc:Note | /cn:CreditNote/cbc:Note: a ``#CODE#`` subject."""
    if parent is not w.root:
        return
    text = _string(el)
    if "#" not in text:
        return
    after = text.partition("#")[2]
    code = after.partition("#")[0] if "#" in after else ""  # substring-before(…, '#')
    # the list is searched with contains(), unpadded, as the official assert does
    if len(code) == 3 and code not in _UNCL_4451_TEXT:
        w.model.append(r.BR_CL_08.at(el))


_UNCL_4451_TEXT: Final = " " + " ".join(cl.UNCL_4451) + " "

# --------------------------------------------------------------------------------------------
# Pattern UBL-syntax, contexts below the document element


def _address(w: _Walk, el: Element, parent: Element) -> None:
    if _count(el, ADDRESS_LINE) > 1:
        w.syntax.append(r.UBL_SR_51.at(el))


def _supplier_party(w: _Walk, el: Element, parent: Element) -> None:
    if _count(el, PARTY_TAX_SCHEME) > 2:
        w.syntax.append(r.UBL_SR_42.at(el))


def _additional_document(w: _Walk, el: Element, parent: Element) -> None:
    type_codes = [_string(c) for c in el.iterchildren(DOCUMENT_TYPE_CODE)]
    ids = list(el.iterchildren(ID))
    has_scheme = any(i.get("schemeID") is not None for i in ids)
    invoiced_object = "130" in type_codes
    if _count(el, DOCUMENT_DESCRIPTION) > 1:
        w.syntax.append(r.UBL_SR_33.at(el))
    if not (
        invoiced_object
        or (w.credit_note and "50" in type_codes)
        or (not has_scheme and not type_codes)
    ):
        w.syntax.append(r.UBL_SR_43.at(el))
    # UBL-CR-665, -666, -673 test //cac:AdditionalDocumentReference from the document element
    if has_scheme and (not type_codes or any(c != "130" for c in type_codes)):
        w.root_fired.add(r.UBL_CR_665)
    if invoiced_object:
        if _has(el, ATTACHMENT):
            w.root_fired.add(r.UBL_CR_666)
        if _has(el, DOCUMENT_DESCRIPTION):
            w.root_fired.add(r.UBL_CR_673)
        if parent is w.root:  # UBL-SR-04
            w.invoiced_object_ids += len(ids)


def _delivery(w: _Walk, el: Element, parent: Element) -> None:
    names = 0
    for child in el:
        if child.tag == DELIVERY_PARTY:
            names += _count2(child, PARTY_NAME, NAME)
    if names > 1:
        w.syntax.append(r.UBL_SR_25.at(el))


def _allowance_charge(w: _Walk, el: Element, parent: Element) -> None:
    if _count(el, ALLOWANCE_CHARGE_REASON) > 1:
        if _charge_indicator_is(el, False):  # the allowance context comes first in the pattern
            w.syntax.append(r.UBL_SR_30.at(el))
        elif _charge_indicator_is(el, True):
            w.syntax.append(r.UBL_SR_31.at(el))


def _party_tax_scheme(w: _Walk, el: Element, parent: Element) -> None:
    company_ids = 0
    has_scheme_id = False
    schemes: list[str] = []  # cac:TaxScheme/upper-case(cbc:ID), one value per TaxScheme
    for child in el:
        tag = child.tag
        if tag == COMPANY_ID:
            company_ids += 1
        elif tag == TAX_SCHEME:
            ids = [_string(i).upper() for i in child if i.tag == ID]
            has_scheme_id = has_scheme_id or bool(ids)
            # upper-case(()) is "", so a TaxScheme without ID is not 'VAT'; with several IDs
            # the reference raises a type error, and every ID is taken here
            schemes.extend(ids or [""])
    if not (has_scheme_id and company_ids):
        w.syntax.append(r.UBL_SR_53.at(el))
    # UBL-SR-12, -13, -18 count the seller's and buyer's ids from the document element
    if company_ids and parent.tag == PARTY:
        party_of = parent.getparent()
        if party_of is None or party_of.getparent() is not w.root:
            return
        if party_of.tag == ACCOUNTING_SUPPLIER_PARTY:
            if "VAT" in schemes:
                w.seller_vat_ids += company_ids
            if any(s != "VAT" for s in schemes):
                w.seller_tax_registrations += company_ids
        elif party_of.tag == ACCOUNTING_CUSTOMER_PARTY and "VAT" in schemes:
            w.buyer_vat_ids += company_ids


def _line(w: _Walk, el: Element, parent: Element) -> None:
    notes = line_ids = periods = discounts = categories = descriptions = references = 0
    for child in el:
        tag = child.tag
        if tag == NOTE:
            notes += 1
        elif tag == ORDER_LINE_REFERENCE:
            line_ids += _count(child, LINE_ID)
        elif tag == INVOICE_PERIOD:
            periods += 1
        elif tag == PRICE:
            discounts += _count2(child, ALLOWANCE_CHARGE, AMOUNT)
        elif tag == ITEM:
            for item_child in child:
                item_tag = item_child.tag
                if item_tag == CLASSIFIED_TAX_CATEGORY:
                    categories += 1
                elif item_tag == DESCRIPTION:
                    descriptions += 1
        elif tag == DOCUMENT_REFERENCE:
            references += 1
    if notes > 1:
        w.syntax.append(r.UBL_SR_34.at(el))
    if line_ids > 1:
        w.syntax.append(r.UBL_SR_35.at(el))
    if periods > 1:
        w.syntax.append(r.UBL_SR_36.at(el))
    if discounts > 1:
        w.syntax.append(r.UBL_SR_37.at(el))
    if categories != 1:
        w.syntax.append(r.UBL_SR_48.at(el))
    if descriptions > 1:
        w.syntax.append(r.UBL_SR_50.at(el))
    if references > 1:
        w.syntax.append(r.UBL_SR_52.at(el))


def _payee_party(w: _Walk, el: Element, parent: Element) -> None:
    names = [_string(n) for p in el.iterchildren(PARTY_NAME) for n in p.iterchildren(NAME)]
    seller_names = [
        _string(n)
        for s in parent.iterchildren(ACCOUNTING_SUPPLIER_PARTY)
        for p in s.iterchildren(PARTY)
        for e in p.iterchildren(PARTY_LEGAL_ENTITY)
        for n in e.iterchildren(REGISTRATION_NAME)
    ]
    # (cac:PartyName/cbc:Name) != (../…/cbc:RegistrationName): some pair differs
    differs = any(a != b for a in names for b in seller_names)
    if not (len(names) <= 1 and differs):
        w.syntax.append(r.UBL_SR_19.at(el))
    # upper-case(@schemeID) != 'SEPA' holds for an ID without schemeID too
    ids = sum(
        1
        for p in el.iterchildren(PARTY_IDENTIFICATION)
        for i in p.iterchildren(ID)
        if (i.get("schemeID") or "").upper() != "SEPA"
    )
    if not (ids <= 1 and differs):
        w.syntax.append(r.UBL_SR_20.at(el))
    if not (_count2(el, PARTY_LEGAL_ENTITY, COMPANY_ID) <= 1 and differs):
        w.syntax.append(r.UBL_SR_21.at(el))


def _payment_means(w: _Walk, el: Element, parent: Element) -> None:
    payment_ids = codes = mandate_ids = 0
    for child in el:
        tag = child.tag
        if tag == PAYMENT_ID:
            payment_ids += 1
        elif tag == PAYMENT_MEANS_CODE:
            codes += 1
        elif tag == PAYMENT_MANDATE:
            mandate_ids += _count(child, ID)
    if payment_ids > 1:
        w.syntax.append(r.UBL_SR_26.at(el))
    if codes > 1:
        w.syntax.append(r.UBL_SR_27.at(el))
    if mandate_ids > 1:
        w.syntax.append(r.UBL_SR_28.at(el))


def _billing_reference(w: _Walk, el: Element, parent: Element) -> None:
    references = list(el.iterchildren(INVOICE_DOCUMENT_REFERENCE))
    if len(references) > 1:
        w.syntax.append(r.UBL_SR_06.at(el))
    if not any(_has(r, ID) for r in references):
        w.syntax.append(r.UBL_SR_07.at(el))


def _tax_representative(w: _Walk, el: Element, parent: Element) -> None:
    if _count2(el, PARTY_NAME, NAME) > 1:
        w.syntax.append(r.UBL_SR_22.at(el))
    if _count2(el, PARTY_TAX_SCHEME, COMPANY_ID) > 1:
        w.syntax.append(r.UBL_SR_23.at(el))


def _tax_subtotal(w: _Walk, el: Element, parent: Element) -> None:
    if _count2(el, TAX_CATEGORY, TAX_EXEMPTION_REASON) > 1:
        w.syntax.append(r.UBL_SR_32.at(el))


def _payment_id(w: _Walk, el: Element, parent: Element) -> None:
    w.payment_ids.add(_string(el))  # UBL-SR-44


def _ubl_version(w: _Walk, el: Element, parent: Element) -> None:
    if parent is w.root:  # UBL-CR-002
        w.ubl_versions.append(_string(el))


# --------------------------------------------------------------------------------------------
# Pattern Codesmodel


def _document_type_code(w: _Walk, el: Element, parent: Element) -> None:
    codes = cl.UNTDID_1001_INVOICE if el.tag == INVOICE_TYPE_CODE else cl.UNTDID_1001_CREDIT_NOTE
    if not _coded(_string(el), codes):
        w.codes.append(r.BR_CL_01.at(el))


def _currency_id(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(el.get("currencyID"), cl.ISO_4217):
        w.codes.append(r.BR_CL_03.at(el))


def _document_currency(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(_string(el), cl.ISO_4217):
        w.codes.append(r.BR_CL_04.at(el))


def _tax_currency(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(_string(el), cl.ISO_4217):
        w.codes.append(r.BR_CL_05.at(el))


def _vat_date_code(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(_string(el), cl.UNTDID_2005_VAT_DATE):
        w.codes.append(r.BR_CL_06.at(el))


def _document_reference_id(w: _Walk, el: Element, parent: Element) -> None:
    scheme = el.get("schemeID")
    if scheme is None:
        return
    if "130" not in (_string(c) for c in parent.iterchildren(DOCUMENT_TYPE_CODE)):
        return
    if not _coded(scheme, cl.UNTDID_1153):
        w.codes.append(r.BR_CL_07.at(el))


def _party_identifier(w: _Walk, el: Element, parent: Element) -> None:
    scheme = el.get("schemeID")
    if scheme is None:
        return
    if scheme.upper() == "SEPA":  # UBL-SR-29
        w.sepa_ids += 1
    if _coded(scheme, cl.ISO_6523_ICD):
        return
    sepa = _normalize(scheme) == "SEPA"
    if not (sepa and _has_ancestor(el, (ACCOUNTING_SUPPLIER_PARTY, PAYEE_PARTY))):
        w.codes.append(r.BR_CL_10.at(el))


def _legal_registration(w: _Walk, el: Element, parent: Element) -> None:
    scheme = el.get("schemeID")
    if scheme is not None and not _coded(scheme, cl.ISO_6523_ICD):
        w.codes.append(r.BR_CL_11.at(el))


def _item_classification(w: _Walk, el: Element, parent: Element) -> None:
    list_id = el.get("listID")
    if list_id is not None and not _coded(list_id, cl.UNTDID_7143):
        w.codes.append(r.BR_CL_13.at(el))


def _country(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(_string(el), cl.ISO_3166):
        w.codes.append(r.BR_CL_14.at(el))


def _origin_country(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(_string(el), cl.ISO_3166):
        w.codes.append(r.BR_CL_15.at(el))


def _payment_means_code(w: _Walk, el: Element, parent: Element) -> None:
    w.payment_means_codes.add(_string(el))  # UBL-SR-47 counts them anywhere
    if parent.tag == PAYMENT_MEANS and not _coded(_string(el), cl.UNCL_4461):
        w.codes.append(r.BR_CL_16.at(el))


def _tax_category(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(_string(el), cl.UNCL_5305):
        w.codes.append(r.BR_CL_17.at(el))


def _classified_tax_category(w: _Walk, el: Element, parent: Element) -> None:
    if not _coded(_string(el), cl.UNCL_5305):
        w.codes.append(r.BR_CL_18.at(el))


def _reason_code(w: _Walk, el: Element, parent: Element) -> None:
    if _charge_indicator_is(parent, False):  # the allowance context comes first in the pattern
        if not _coded(_string(el), cl.UNCL_5189):
            w.codes.append(r.BR_CL_19.at(el))
    elif _charge_indicator_is(parent, True) and not _coded(_string(el), cl.UNCL_7161):
        w.codes.append(r.BR_CL_20.at(el))


def _standard_item_id(w: _Walk, el: Element, parent: Element) -> None:
    scheme = el.get("schemeID")
    if scheme is not None and not _coded(scheme, cl.ISO_6523_ICD):
        w.codes.append(r.BR_CL_21.at(el))


def _exemption_reason_code(w: _Walk, el: Element, parent: Element) -> None:
    text = _string(el)
    # not(contains(normalize-space(.), ' ')) and contains(…, normalize-space(upper-case(.)))
    if " " in _normalize(text) or _normalize(text.upper()) not in cl.VATEX:
        w.codes.append(r.BR_CL_22.at(el))


def _quantity(w: _Walk, el: Element, parent: Element) -> None:
    unit = el.get("unitCode")
    if unit is not None and not _coded(unit, cl.UNECE_REC20_21):
        w.codes.append(r.BR_CL_23.at(el))


def _embedded_document(w: _Walk, el: Element, parent: Element) -> None:
    mime = el.get("mimeCode")
    if mime is not None and mime not in cl.MIME_CODES:  # compared verbatim
        w.codes.append(r.BR_CL_24.at(el))


def _endpoint(w: _Walk, el: Element, parent: Element) -> None:
    scheme = el.get("schemeID")
    if scheme is not None and not _coded(scheme, cl.CEF_EAS):
        w.codes.append(r.BR_CL_25.at(el))


def _delivery_location_id(w: _Walk, el: Element, parent: Element) -> None:
    scheme = el.get("schemeID")
    if scheme is not None and not _coded(scheme, cl.ISO_6523_ICD):
        w.codes.append(r.BR_CL_26.at(el))


def _both(*handlers: Handler) -> Handler:
    def run(w: _Walk, el: Element, parent: Element) -> None:
        for handler in handlers:
            handler(w, el, parent)

    return run


_AMOUNTS: Final = (
    "Amount", "BaseAmount", "PriceAmount", "TaxAmount", "TaxableAmount", "LineExtensionAmount",
    "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount",
    "PrepaidAmount", "PayableRoundingAmount", "PayableAmount",
)  # fmt: skip

# Contexts that are one element name, anywhere in the document.
_HANDLERS: Final[dict[str, Handler]] = {
    POSTAL_ADDRESS: _address,
    ADDRESS: _address,
    ADDITIONAL_DOCUMENT_REFERENCE: _additional_document,
    DELIVERY: _delivery,
    ALLOWANCE_CHARGE: _allowance_charge,
    PARTY_TAX_SCHEME: _party_tax_scheme,
    INVOICE_LINE: _line,
    CREDIT_NOTE_LINE: _line,
    PAYEE_PARTY: _payee_party,
    PAYMENT_MEANS: _payment_means,
    BILLING_REFERENCE: _billing_reference,
    TAX_REPRESENTATIVE_PARTY: _tax_representative,
    TAX_SUBTOTAL: _tax_subtotal,
    PAYMENT_ID: _payment_id,
    UBL_VERSION_ID: _ubl_version,
    NOTE: _root_note,
    INVOICE_TYPE_CODE: _document_type_code,
    CREDIT_NOTE_TYPE_CODE: _document_type_code,
    **{_cbc(name): _currency_id for name in _AMOUNTS},
    DOCUMENT_CURRENCY_CODE: _document_currency,
    TAX_CURRENCY_CODE: _tax_currency,
    PAYMENT_MEANS_CODE: _payment_means_code,
    TAX_EXEMPTION_REASON_CODE: _exemption_reason_code,
    INVOICED_QUANTITY: _quantity,
    BASE_QUANTITY: _quantity,
    CREDITED_QUANTITY: _quantity,
    EMBEDDED_DOCUMENT: _embedded_document,
    ENDPOINT_ID: _endpoint,
}

# Contexts of the form parent/element.
_BY_PARENT: Final[dict[str, dict[str, Handler]]] = {
    PARTY: {ACCOUNTING_SUPPLIER_PARTY: _supplier_party},
    DESCRIPTION_CODE: {INVOICE_PERIOD: _vat_date_code},
    ID: {
        ADDITIONAL_DOCUMENT_REFERENCE: _document_reference_id,
        DOCUMENT_REFERENCE: _document_reference_id,
        PARTY_IDENTIFICATION: _party_identifier,
        TAX_CATEGORY: _tax_category,
        CLASSIFIED_TAX_CATEGORY: _classified_tax_category,
        STANDARD_ITEM_IDENTIFICATION: _standard_item_id,
        DELIVERY_LOCATION: _delivery_location_id,
    },
    COMPANY_ID: {PARTY_LEGAL_ENTITY: _legal_registration},
    ITEM_CLASSIFICATION_CODE: {COMMODITY_CLASSIFICATION: _item_classification},
    IDENTIFICATION_CODE: {COUNTRY: _country, ORIGIN_COUNTRY: _origin_country},
    ALLOWANCE_CHARGE_REASON_CODE: {ALLOWANCE_CHARGE: _reason_code},
}

# --------------------------------------------------------------------------------------------


def _document_element_rules(w: _Walk) -> list[Finding]:
    """The asserts whose context is /ubl:Invoice | /cn:CreditNote, in the sch's order."""
    fired = w.root_fired
    counts: dict[Rule, int] = {}
    for rule in w.root_hits:
        counts[rule] = counts.get(rule, 0) + 1
    for rule, count in counts.items():
        if count > _LIMITS[rule]:
            fired.add(rule)
    # ../cn:CreditNote: UBL-CR-412 is for invoices only
    if w.root.tag == CREDIT_NOTE_ROOT:
        fired.discard(r.UBL_CR_412)
    if w.ubl_versions and "2.1" not in w.ubl_versions:
        fired.add(r.UBL_CR_002)
    if w.invoiced_object_ids > 1:
        fired.add(r.UBL_SR_04)
    if w.seller_vat_ids > 1:
        fired.add(r.UBL_SR_12)
    if w.seller_tax_registrations > 1:
        fired.add(r.UBL_SR_13)
    if w.buyer_vat_ids > 1:
        fired.add(r.UBL_SR_18)
    if w.sepa_ids > 1:
        fired.add(r.UBL_SR_29)
    if len(w.payment_ids) > 1:
        fired.add(r.UBL_SR_44)
    if len(w.payment_means_codes) > 1:
        fired.add(r.UBL_SR_47)
    if not fired:
        return []
    where = location(w.root)
    return [
        Finding(rule.id, rule.flag, where, rule.message) for rule in sorted(fired, key=_root_order)
    ]


def check(root: Element, tree: Tree | None = None) -> list[Finding]:
    """Run the BR-CL, UBL-SR, UBL-CR and UBL-DT asserts of cen-ubl on a parsed document.

    ``tree`` only keeps the element proxies alive during the walk (see ``rules.tree``).
    """
    alive = tree.elements if tree is not None and tree.root is root else list(root.iter())
    w = _Walk(root)
    keys = root.keys()
    if keys:
        _attributes(w, root.tag, keys)
    _walk(w, root, root.tag, _ROOT_STEPS, False)
    del alive
    return w.model + _document_element_rules(w) + w.syntax + w.codes
