"""EN 16931 VAT category rules: BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-O, BR-AF, BR-AG, BR-B.

Every family has the same numbered rules, but the official asserts differ in small ways from
one family to the next: whether the VAT scheme is checked, whether a code is compared after
``normalize-space`` or as written, whether "allowances and charges" means the document level
ones or all of them. A finding must follow the official assert, so each ``Family`` names the
variant it uses and the comments say where an assert deviates from its siblings.

A VAT category element is read once into a ``Category`` (its codes, whether its scheme is VAT,
where it sits); the family rules are then counts and sums over those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.cen._common import (
    ACTUAL_DELIVERY_DATE,
    ADDRESS,
    ALLOWANCE_CHARGE,
    AMOUNT,
    CLASSIFIED_TAX_CATEGORY,
    COMPANY_ID,
    COUNTRY_CODE,
    CREDIT_NOTE_LINE,
    CUSTOMER,
    DELIVERY,
    DELIVERY_LOCATION,
    ID,
    IDENTIFICATION_CODE,
    INVOICE_LINE,
    INVOICE_PERIOD,
    ITEM,
    ITEM_CLASSIFIED_TAX_CATEGORY,
    LINE_EXTENSION_AMOUNT,
    LINES,
    PARTY,
    PARTY_LEGAL_ENTITY,
    PARTY_TAX_SCHEME,
    PERCENT,
    SUPPLIER,
    TAX_AMOUNT,
    TAX_CATEGORY,
    TAX_REPRESENTATIVE,
    TAX_SUBTOTAL,
    TAX_TOTAL,
    TAXABLE_AMOUNT,
    Index,
    any_double,
    cbc,
    decimal,
    double,
    equal,
    fail,
    has,
    indicators,
    is_vat_scheme,
    normalize_space,
    round2,
    string_value,
    sum_decimals,
    under,
)

TAX_EXEMPTION_REASON = cbc("TaxExemptionReason")
TAX_EXEMPTION_REASON_CODE = cbc("TaxExemptionReasonCode")
DELIVERY_DATE = f"{DELIVERY}/{ACTUAL_DELIVERY_DATE}"
DELIVERY_COUNTRY = f"{DELIVERY}/{DELIVERY_LOCATION}/{ADDRESS}/{COUNTRY_CODE}"
INVOICE_PERIOD_CHILD = f"{INVOICE_PERIOD}/*"
ZERO = Decimal(0)


class Category:
    """One ``cac:TaxCategory`` or ``cac:ClassifiedTaxCategory`` and the facts rules ask of it."""

    __slots__ = ("allowance", "charge", "code", "codes", "el", "raw", "root_level", "vat")

    def __init__(self, el: etree._Element) -> None:
        ids = [string_value(i) for i in el.iterchildren(ID)]
        self.el = el
        self.raw = ids  # cbc:ID = 'X' compares the text as written
        self.codes = [normalize_space(i) for i in ids]  # cbc:ID[normalize-space(.) = 'X']
        self.code = self.codes[0] if self.codes else ""  # normalize-space(cbc:ID) = 'X'
        self.vat = is_vat_scheme(el)
        self.allowance = self.charge = self.root_level = False

    def percent(self) -> Decimal | None:
        return decimal(self.el.find(PERCENT))


class Parties:
    """Which VAT and legal identifiers the seller, tax representative and buyer have."""

    __slots__ = ("buyer_legal", "buyer_vat", "seller_any", "seller_vat", "tax_rep_vat")

    def __init__(self, idx: Index) -> None:
        seller_schemes = [
            s for p in idx[SUPPLIER] for s in p.iterfind(f"{PARTY}/{PARTY_TAX_SCHEME}")
        ]
        buyer_schemes = [
            s for p in idx[CUSTOMER] for s in p.iterfind(f"{PARTY}/{PARTY_TAX_SCHEME}")
        ]
        tax_rep_schemes = [
            s for p in idx[TAX_REPRESENTATIVE] for s in p.iterchildren(PARTY_TAX_SCHEME)
        ]
        # //cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID, any scheme
        self.seller_any = any(has(s, COMPANY_ID) for s in seller_schemes)
        self.seller_vat = _vat_company_id(seller_schemes)
        self.tax_rep_vat = _vat_company_id(tax_rep_schemes)
        self.buyer_vat = _vat_company_id(buyer_schemes)
        self.buyer_legal = any(
            p.find(f"{PARTY}/{PARTY_LEGAL_ENTITY}/{COMPANY_ID}") is not None for p in idx[CUSTOMER]
        )


def _vat_company_id(schemes: list[etree._Element]) -> bool:
    return any(has(s, COMPANY_ID) and is_vat_scheme(s) for s in schemes)


# Party conditions of rules -02, -03 and -04.
def seller_id(p: Parties) -> bool:
    """Seller VAT id (any tax scheme) or tax representative VAT id."""
    return p.seller_any or p.tax_rep_vat


def seller_vat_id(p: Parties) -> bool:
    """Seller VAT id (VAT scheme) or tax representative VAT id."""
    return p.seller_vat or p.tax_rep_vat


def reverse_charge_ids(p: Parties) -> bool:
    """BR-AE: seller id as ``seller_id`` and buyer VAT id or buyer legal registration id."""
    return (p.seller_any or p.tax_rep_vat) and (p.buyer_vat or p.buyer_legal)


def intra_community_ids(p: Parties) -> bool:
    """BR-IC: seller id as ``seller_vat_id`` and buyer VAT id."""
    return (p.seller_vat or p.tax_rep_vat) and p.buyer_vat


def no_vat_ids(p: Parties) -> bool:
    """BR-O: neither seller, tax representative nor buyer VAT id."""
    return not (p.seller_vat or p.tax_rep_vat or p.buyer_vat)


@dataclass(frozen=True)
class Family:
    prefix: str  # rule id prefix, e.g. "BR-AE"
    code: str  # VAT category code (UNCL5305), e.g. "AE"
    breakdown: Literal["exactly-one", "standard", "igic", "ipsi"]  # rule -01
    parties: Callable[[Parties], bool]  # rules -02, -03, -04
    rate: Literal["zero", "positive", "non-negative", "absent"]  # rules -05, -06, -07
    taxable: Literal["per-category", "per-rate", "standard"]  # rule -08
    tax: Literal["zero", "rate"]  # rule -09
    exemption_reason: bool  # rule -10: required (True) or forbidden (False)


FAMILIES = (
    Family("BR-S", "S", "standard", seller_id, "positive", "standard", "rate", False),
    Family("BR-Z", "Z", "exactly-one", seller_id, "zero", "per-category", "zero", False),
    Family("BR-E", "E", "exactly-one", seller_id, "zero", "per-category", "zero", True),
    Family("BR-AE", "AE", "exactly-one", reverse_charge_ids, "zero", "per-category", "zero", True),
    Family("BR-IC", "K", "exactly-one", intra_community_ids, "zero", "per-category", "zero", True),
    Family("BR-G", "G", "exactly-one", seller_vat_id, "zero", "per-category", "zero", True),
    Family("BR-O", "O", "exactly-one", no_vat_ids, "absent", "per-category", "zero", True),
    Family("BR-AF", "L", "igic", seller_id, "non-negative", "per-rate", "rate", False),
    Family("BR-AG", "M", "ipsi", seller_id, "non-negative", "per-rate", "rate", False),
)


class _Doc:
    """The VAT categories of one document, sorted by where they sit."""

    def __init__(self, root: etree._Element, idx: Index) -> None:
        self.root = root
        self.idx = idx
        self.tax_categories = [Category(el) for el in idx[TAX_CATEGORY]]
        self.classified = [Category(el) for el in idx[CLASSIFIED_TAX_CATEGORY]]
        self.breakdown: list[Category] = []  # cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory
        self.allowance_charge: list[Category] = []  # //cac:AllowanceCharge/cac:TaxCategory
        for category in self.tax_categories:
            parent = category.el.getparent()
            if parent is None:
                continue
            if parent.tag == TAX_SUBTOTAL:
                total = parent.getparent()
                if total is not None and total.tag == TAX_TOTAL and total.getparent() is root:
                    self.breakdown.append(category)
            elif parent.tag == ALLOWANCE_CHARGE:
                category.allowance, category.charge = indicators(parent)
                category.root_level = parent.getparent() is root
                self.allowance_charge.append(category)
        self.line_classified = [
            c for c in self.classified if under(c.el, ITEM, LINES)
        ]  # cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory
        self.has_invoice_lines = bool(idx[INVOICE_LINE])
        self.has_credit_note_lines = bool(idx[CREDIT_NOTE_LINE])


def check(root: etree._Element, idx: Index, out: list[Finding]) -> None:
    """Run the VAT category rules; findings are appended to ``out``."""
    doc = _Doc(root, idx)
    parties = Parties(idx)
    for family in FAMILIES:
        _family(doc, parties, family, out)
    _intra_community_delivery(doc, out)
    _not_subject_alone(doc, out)
    _split_payment(doc, out)


def _fail_unless(out: list[Finding], rule: str, el: etree._Element, ok: bool) -> None:
    if not ok:
        fail(out, rule, el)


def _family(doc: _Doc, parties: Parties, f: Family, out: list[Finding]) -> None:
    x, root, prefix = f.code, doc.root, f.prefix

    # -01: the VAT breakdown has the category when a line, allowance or charge uses it.
    _fail_unless(out, f"{prefix}-01", root, _breakdown_ok(doc, f))

    # -02: lines in the category need the party identifiers. BR-S-02 triggers on any
    # category S, whatever its tax scheme.
    lines_vat = any(c.vat and c.code == x for c in doc.classified)
    trigger = any(c.code == x for c in doc.classified) if x == "S" else lines_vat
    _fail_unless(out, f"{prefix}-02", root, not trigger or (lines_vat and f.parties(parties)))

    # -03 and -04: allowances (charges) in the category need them too. These count every
    # allowance or charge, also on lines, except BR-O-03/04 (document level only); BR-G-03/04
    # confirm without the scheme check and BR-AF-04 triggers on the code as written.
    for rule, want_charge in ((f"{prefix}-03", False), (f"{prefix}-04", True)):
        pool = [
            c
            for c in doc.allowance_charge
            if (c.charge if want_charge else c.allowance) and (c.root_level or x != "O")
        ]
        matching = any(c.vat and c.code == x for c in pool)
        confirm = any(c.code == x for c in pool) if x == "G" else matching
        trigger = matching
        if rule == "BR-AF-04":
            trigger = any(c.vat and "L" in c.raw for c in pool)
        _fail_unless(out, rule, root, not trigger or (confirm and f.parties(parties)))

    # -05, -06, -07: the rate of a line, allowance or charge in the category.
    for c in doc.line_classified:
        if c.vat and c.code == x:
            _fail_unless(out, f"{prefix}-05", c.el, _rate_ok(c, f))
    for c in doc.allowance_charge:
        if c.vat and c.code == x and (c.allowance or c.charge):
            # first match: an allowance charge with both indicators is an allowance
            rule = f"{prefix}-06" if c.allowance else f"{prefix}-07"
            _fail_unless(out, rule, c.el, _rate_ok(c, f))

    # -08, -09, -10: each breakdown of the category.
    for c in doc.breakdown:
        if c.vat and c.code == x:
            subtotal = c.el.getparent()
            assert subtotal is not None
            _fail_unless(out, f"{prefix}-08", c.el, _taxable_ok(doc, f, c, subtotal))
            _fail_unless(out, f"{prefix}-09", c.el, _tax_ok(f, c, subtotal))
            has_reason = has(c.el, TAX_EXEMPTION_REASON) or has(c.el, TAX_EXEMPTION_REASON_CODE)
            _fail_unless(out, f"{prefix}-10", c.el, has_reason == f.exemption_reason)


def _breakdown_ok(doc: _Doc, f: Family) -> bool:
    """Rule -01."""
    x = f.code
    if f.breakdown == "exactly-one":
        used = any(c.vat and x in c.codes for c in doc.tax_categories) or any(
            c.vat and x in c.codes for c in doc.classified
        )
        in_breakdown = sum(c.codes.count(x) for c in doc.breakdown if c.vat)
        return not used or in_breakdown == 1
    # "at least one": BR-S-01 ignores the tax scheme; BR-AF-01 and BR-AG-01 check it except
    # that the breakdown compares the code as written (BR-AF-01 also without the scheme).
    scheme = f.breakdown != "standard"
    used_count = sum(
        1 for c in doc.allowance_charge + doc.classified if c.code == x and (c.vat or not scheme)
    )
    in_breakdown = sum(1 for c in doc.breakdown if c.code == x and (c.vat or not scheme))
    if f.breakdown == "igic":
        as_written = sum(1 for c in doc.breakdown if x in c.raw)
    elif f.breakdown == "ipsi":
        as_written = sum(1 for c in doc.breakdown if x in c.raw and c.vat)
    else:
        as_written = in_breakdown
    return (used_count > 0 and as_written > 0) or (used_count == 0 and in_breakdown == 0)


def _rate_ok(c: Category, f: Family) -> bool:
    """Rules -05, -06, -07."""
    percents = list(c.el.iterchildren(PERCENT))
    if f.rate == "zero":
        return c.percent() == ZERO
    if f.rate == "positive":
        return any_double(percents, ">", 0)
    if f.rate == "non-negative":
        return any_double(percents, ">=", 0)
    return not percents


def _codes_of(parent: etree._Element, path: str) -> list[etree._Element]:
    return list(parent.iterfind(path))


def _matches(categories: list[etree._Element], code: str, rate: Decimal | None) -> bool:
    """``[X/normalize-space(cbc:ID) = code][X/xs:decimal(cbc:Percent) = rate]`` (each predicate
    on its own, as the official asserts write it); no rate means the code alone."""
    if not any(normalize_space(string_value(c.find(ID))) == code for c in categories):
        return False
    if rate is None:
        return True
    return any(decimal(c.find(PERCENT)) == rate for c in categories)


def _basis(doc: _Doc, line_tag: str, code: str, rate: Decimal | None) -> Decimal | None:
    """Σ line net amounts + Σ document charges - Σ document allowances in the category
    (and rate), over the lines of ``line_tag``; ``None`` when an amount is not a decimal."""
    root = doc.root
    amounts: list[etree._Element] = []
    for line in root.iterchildren(line_tag):
        if _matches(_codes_of(line, ITEM_CLASSIFIED_TAX_CATEGORY), code, rate):
            amounts.extend(line.iterchildren(LINE_EXTENSION_AMOUNT))
    charges: list[etree._Element] = []
    allowances: list[etree._Element] = []
    for ac in root.iterchildren(ALLOWANCE_CHARGE):
        allowance, charge = indicators(ac)
        if (allowance or charge) and _matches(list(ac.iterchildren(TAX_CATEGORY)), code, rate):
            if charge:
                charges.extend(ac.iterchildren(AMOUNT))
            if allowance:
                allowances.extend(ac.iterchildren(AMOUNT))
    line_sum = sum_decimals(amounts)
    charge_sum = sum_decimals(charges)
    allowance_sum = sum_decimals(allowances)
    if line_sum is None or charge_sum is None or allowance_sum is None:
        return None
    return line_sum + charge_sum - allowance_sum


def _shifted(el: etree._Element | None, delta: float) -> Decimal | None:
    """``xs:decimal(el + delta)``: the untyped amount is added as an ``xs:double``."""
    value = double(el)
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return Decimal(repr(value + delta))


def _within_one(subtotal: etree._Element, basis: Decimal | None) -> bool:
    """``taxable - 1 < basis`` and ``taxable + 1 > basis``."""
    taxable = subtotal.find(TAXABLE_AMOUNT)
    low, high = _shifted(taxable, -1.0), _shifted(taxable, 1.0)
    return basis is not None and low is not None and high is not None and low < basis < high


def _taxable_ok(doc: _Doc, f: Family, c: Category, subtotal: etree._Element) -> bool:
    """Rule -08: the taxable amount equals the lines, allowances and charges of the category."""
    x = f.code
    if f.taxable == "per-category":
        taxable = decimal(subtotal.find(TAXABLE_AMOUNT))
        return (doc.has_invoice_lines and equal(taxable, _basis(doc, INVOICE_LINE, x, None))) or (
            doc.has_credit_note_lines and equal(taxable, _basis(doc, CREDIT_NOTE_LINE, x, None))
        )
    # per rate: "every $rate in xs:decimal(cbc:Percent)", so no rate passes.
    percent_el = c.el.find(PERCENT)
    if percent_el is None:
        return True
    rate = decimal(percent_el)
    if rate is None:
        return False
    invoice_ok = _within_one(subtotal, _basis(doc, INVOICE_LINE, x, rate))
    credit_ok = _within_one(subtotal, _basis(doc, CREDIT_NOTE_LINE, x, rate))
    if f.taxable == "per-rate":
        return (doc.has_invoice_lines and invoice_ok) or (doc.has_credit_note_lines and credit_ok)
    # BR-S-08 asks for a line or an allowance/charge (at any level, either indicator) with the
    # category and rate, rather than for any line at all.
    with_rate = any(
        _matches(list(ac.iterchildren(TAX_CATEGORY)), x, rate) for ac in doc.idx[ALLOWANCE_CHARGE]
    )
    invoice_lines = any(
        _matches(_codes_of(line, ITEM_CLASSIFIED_TAX_CATEGORY), x, rate)
        for line in doc.idx[INVOICE_LINE]
    )
    credit_lines = any(
        _matches(_codes_of(line, ITEM_CLASSIFIED_TAX_CATEGORY), x, rate)
        for line in doc.idx[CREDIT_NOTE_LINE]
    )
    return ((invoice_lines or with_rate) and invoice_ok) or (
        (credit_lines or with_rate) and credit_ok
    )


def _tax_ok(f: Family, c: Category, subtotal: etree._Element) -> bool:
    """Rule -09: the tax amount is zero, or the taxable amount times the rate (± 1)."""
    tax = decimal(subtotal.find(TAX_AMOUNT))
    if f.tax == "zero":
        return equal(tax, ZERO)
    taxable = decimal(subtotal.find(TAXABLE_AMOUNT))
    rate = c.percent()
    if tax is None or taxable is None or rate is None:
        return False
    expected = round2(abs(taxable) * (rate / 100))
    return abs(tax) - 1 < expected < abs(tax) + 1


def _intra_community_delivery(doc: _Doc, out: list[Finding]) -> None:
    """BR-IC-11 and BR-IC-12: an intra-community supply says when and where it was delivered."""
    if not any(c.vat and "K" in c.codes for c in doc.breakdown):
        return
    root = doc.root
    dated = len(string_value(root.find(DELIVERY_DATE))) > 1
    if not dated and root.find(INVOICE_PERIOD_CHILD) is None:
        fail(out, "BR-IC-11", root)
    if len(string_value(root.find(DELIVERY_COUNTRY))) <= 1:
        fail(out, "BR-IC-12", root)


def _not_subject_alone(doc: _Doc, out: list[Finding]) -> None:
    """BR-O-11…14: "not subject to VAT" excludes every other category in the document."""
    if not any(c.vat and "O" in c.codes for c in doc.breakdown):
        return
    root = doc.root
    if any(c.vat and c.code != "O" for c in doc.breakdown):
        fail(out, "BR-O-11", root)
    if any(c.vat and c.code != "O" for c in doc.classified):
        fail(out, "BR-O-12", root)
    if any(c.vat and c.code != "O" and c.allowance for c in doc.allowance_charge):
        fail(out, "BR-O-13", root)
    if any(c.vat and c.code != "O" and c.charge for c in doc.allowance_charge):
        fail(out, "BR-O-14", root)


def _split_payment(doc: _Doc, out: list[Finding]) -> None:
    """BR-B-01 and BR-B-02 (Italian split payment); codes compared as written."""
    root = doc.root
    if any("B" in c.raw for c in doc.tax_categories + doc.classified) and any(
        string_value(code) != "IT" for code in root.iter(IDENTIFICATION_CODE)
    ):
        fail(out, "BR-B-01", root)
    document_level = (
        doc.breakdown + [c for c in doc.allowance_charge if c.root_level] + doc.classified
    )
    if any("B" in c.raw for c in document_level) and any("S" in c.raw for c in document_level):
        fail(out, "BR-B-02", root)
