"""One walk over a UBL document, collecting what the EN 16931 business rules look at.

Element lookups dominate the cost of the rules (``find`` goes through ElementPath), so the
document is read once: ``index`` lists the elements that rule contexts name at any depth, and
each element a rule looks into has its children grouped by tag once (``kids``). The VAT
categories, allowances/charges and lines are then turned into small fact objects that both
``business`` and ``business_vat`` use.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from faelles.einvoice.rules.cen._common import (
    ALLOWANCE_CHARGE,
    CHARGE_INDICATOR,
    CLASSIFIED_TAX_CATEGORY,
    COMPANY_ID,
    CREDIT_NOTE_LINE,
    CUSTOMER,
    ID,
    INVOICE_LINE,
    ITEM,
    LINES,
    PARTY,
    PARTY_TAX_SCHEME,
    PERCENT,
    SUPPLIER,
    TAX_CATEGORY,
    TAX_EXEMPTION_REASON,
    TAX_EXEMPTION_REASON_CODE,
    TAX_REPRESENTATIVE,
    TAX_SCHEME,
    TAX_SUBTOTAL,
    TAX_TOTAL,
    Index,
    Kids,
    boolean,
    child,
    decimal,
    index,
    normalize_space,
    string_value,
)
from faelles.einvoice.rules.tree import Tree, tree_of


def is_vat(scheme_holder: etree._Element) -> bool:
    """``cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'`` on ``scheme_holder``."""
    for el in scheme_holder:
        if el.tag == TAX_SCHEME and normalize_space(string_value(child(el, ID)).upper()) == "VAT":
            return True
    return False


class Category:
    """A ``cac:TaxCategory`` or ``cac:ClassifiedTaxCategory`` and what rules ask of it."""

    __slots__ = (
        "_rate",
        "allowance",
        "breakdown",
        "charge",
        "code",
        "codes",
        "document_level",
        "el",
        "exemption_reason",
        "in_allowance_charge",
        "is_tax_category",
        "line_item",
        "percents",
        "raw",
        "vat",
    )

    def __init__(self, el: etree._Element) -> None:
        self.el = el
        raw: list[str] = []
        percents: list[etree._Element] = []
        vat = exemption_reason = False
        for ch in el:
            tag = ch.tag
            if tag == ID:
                raw.append(string_value(ch))
            elif tag == PERCENT:
                percents.append(ch)
            elif tag == TAX_SCHEME:
                vat = vat or normalize_space(string_value(child(ch, ID)).upper()) == "VAT"
            elif tag in (TAX_EXEMPTION_REASON, TAX_EXEMPTION_REASON_CODE):
                exemption_reason = True
        self.raw = raw  # cbc:ID = 'X' compares the text as written
        self.codes = [normalize_space(i) for i in raw]  # cbc:ID[normalize-space(.) = 'X']
        self.code = self.codes[0] if raw else ""  # normalize-space(cbc:ID) = 'X'
        self.vat = vat  # cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'
        self.percents = percents
        self._rate: Decimal | None = decimal(percents[0]) if percents else None
        self.exemption_reason = exemption_reason
        # Set by Facts: in cac:TaxTotal/cac:TaxSubtotal at the root (a VAT breakdown), or in
        # an allowance or charge (with its indicators, and whether that is at the root).
        self.is_tax_category = el.tag == TAX_CATEGORY
        self.line_item = False  # cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory
        self.breakdown = False
        self.in_allowance_charge = self.allowance = self.charge = self.document_level = False

    def percent(self) -> etree._Element | None:
        """The first ``cbc:Percent``."""
        return self.percents[0] if self.percents else None

    def rate(self) -> Decimal | None:
        """``xs:decimal(cbc:Percent)`` of the first ``cbc:Percent``."""
        return self._rate


class PartyTaxScheme:
    """A ``cac:PartyTaxScheme``: whose it is, whether it is VAT and has a ``cbc:CompanyID``."""

    __slots__ = ("company_id", "el", "owner", "vat")

    def __init__(self, el: etree._Element) -> None:
        self.el = el
        self.company_id: etree._Element | None = None
        self.vat = False
        for ch in el:
            tag = ch.tag
            if tag == COMPANY_ID:
                if self.company_id is None:
                    self.company_id = ch
            elif tag == TAX_SCHEME and not self.vat:
                self.vat = normalize_space(string_value(child(ch, ID)).upper()) == "VAT"
        # "seller" (cac:AccountingSupplierParty/cac:Party), "buyer", "tax representative"
        self.owner = ""
        parent = el.getparent()
        if parent is not None:
            if parent.tag == TAX_REPRESENTATIVE:
                self.owner = "tax representative"
            elif parent.tag == PARTY:
                role = parent.getparent()
                if role is not None and role.tag == SUPPLIER:
                    self.owner = "seller"
                elif role is not None and role.tag == CUSTOMER:
                    self.owner = "buyer"


class AllowanceCharge:
    """A ``cac:AllowanceCharge`` anywhere, with its indicators and VAT categories."""

    __slots__ = ("allowance", "categories", "charge", "codes", "el", "kids", "parent", "rates")

    def __init__(self, el: etree._Element, k: Kids) -> None:
        self.el = el
        self.kids = k  # the children by tag (the tree's: do not modify)
        self.parent = el.getparent()
        values = [boolean(ci) for ci in k.get(CHARGE_INDICATOR, ())]
        # cbc:ChargeIndicator = false() / true(); text that is no boolean matches neither
        self.allowance = False in values
        self.charge = True in values
        self.categories: list[Category] = []
        self.codes: set[str] = set()  # cac:TaxCategory/normalize-space(cbc:ID)
        self.rates: set[Decimal] = set()  # cac:TaxCategory/xs:decimal(cbc:Percent)


class Line:
    """A ``cac:InvoiceLine`` or ``cac:CreditNoteLine`` and its item's VAT categories."""

    __slots__ = ("categories", "codes", "el", "kids", "rates")

    def __init__(self, el: etree._Element, k: Kids) -> None:
        self.el = el
        self.kids = k  # the children by tag (the tree's: do not modify)
        self.categories: list[Category] = []  # cac:Item/cac:ClassifiedTaxCategory
        self.codes: set[str] = set()  # cac:Item/cac:ClassifiedTaxCategory/normalize-space(cbc:ID)
        self.rates: set[Decimal] = set()  # cac:Item/cac:ClassifiedTaxCategory/xs:decimal(…)


class Facts:
    """Everything the business rules read from one document."""

    def __init__(self, root: etree._Element, tree: Tree | None = None) -> None:
        self.root = root
        self.tree = tree = tree_of(root, tree)
        self.kids = tree.kids
        """The children of an element by tag, computed once per element (do not modify)."""
        self._decimals: dict[etree._Element, Decimal | None] = {}
        self.root_kids: Kids = self.kids(root)
        self.idx: Index = index(tree)
        idx = self.idx
        kids = self.kids
        self.lines = [Line(el, kids(el)) for el in idx[INVOICE_LINE] + idx[CREDIT_NOTE_LINE]]
        self.invoice_lines = [line for line in self.lines if line.el.tag == INVOICE_LINE]
        self.credit_note_lines = [line for line in self.lines if line.el.tag == CREDIT_NOTE_LINE]
        self.allowance_charges = [AllowanceCharge(el, kids(el)) for el in idx[ALLOWANCE_CHARGE]]
        self.document_allowance_charges = [ac for ac in self.allowance_charges if ac.parent is root]

        by_ac = {ac.el: ac for ac in self.allowance_charges}
        self.category_of: dict[etree._Element, Category] = {}
        self.tax_categories: list[Category] = []  # //cac:TaxCategory
        self.breakdown: list[Category] = []  # cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory
        self.on_allowance_charge: list[Category] = []  # //cac:AllowanceCharge/cac:TaxCategory
        for el in idx[TAX_CATEGORY]:
            category = Category(el)
            self.category_of[el] = category
            self.tax_categories.append(category)
            parent = el.getparent()
            if parent is None:
                continue
            if parent.tag == TAX_SUBTOTAL:
                total = parent.getparent()
                if total is not None and total.tag == TAX_TOTAL and total.getparent() is root:
                    category.breakdown = True
                    self.breakdown.append(category)
            elif parent.tag == ALLOWANCE_CHARGE:
                ac = by_ac[parent]
                ac.categories.append(category)
                category.in_allowance_charge = True
                category.allowance, category.charge = ac.allowance, ac.charge
                category.document_level = ac.parent is root
                self.on_allowance_charge.append(category)

        by_line = {line.el: line for line in self.lines}
        self.classified: list[Category] = []  # //cac:ClassifiedTaxCategory
        self.line_classified: list[Category] = []  # cac:InvoiceLine/cac:Item/cac:Classified…
        for el in idx[CLASSIFIED_TAX_CATEGORY]:
            category = Category(el)
            self.classified.append(category)
            item = el.getparent()
            if item is not None and item.tag == ITEM:
                line_el = item.getparent()
                if line_el is not None and line_el.tag in LINES:
                    by_line[line_el].categories.append(category)
                    category.line_item = True
                    self.line_classified.append(category)

        holders: list[Line | AllowanceCharge] = [*self.lines, *self.allowance_charges]
        for holder in holders:
            for category in holder.categories:
                holder.codes.add(category.code)
                rate = category.rate()
                if rate is not None:
                    holder.rates.add(rate)

        self.by_code: dict[str, list[Category]] = {}
        """The categories with a code, normalized or as written (``cbc:ID``), by code."""
        for category in self.tax_categories + self.classified:
            for code in {*category.codes, *category.raw}:
                self.by_code.setdefault(code, []).append(category)

        self.party_tax_schemes = [PartyTaxScheme(el) for el in idx[PARTY_TAX_SCHEME]]

    def decimal(self, el: etree._Element | None) -> Decimal | None:
        """``decimal(el)``, computed once per element."""
        if el is None:
            return None
        try:
            return self._decimals[el]
        except KeyError:
            value = self._decimals[el] = decimal(el)
            return value
