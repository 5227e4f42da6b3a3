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
    AMOUNT,
    COMPANY_ID,
    COUNTRY,
    CUSTOMER,
    DELIVERY,
    DELIVERY_LOCATION,
    IDENTIFICATION_CODE,
    INVOICE_PERIOD,
    LINE_EXTENSION_AMOUNT,
    PARTY,
    PARTY_LEGAL_ENTITY,
    TAX_AMOUNT,
    TAXABLE_AMOUNT,
    ZERO,
    Kids,
    any_double,
    double,
    equal,
    fail,
    first,
    path,
    round2,
    string_value,
)
from faelles.einvoice.rules.cen.business_facts import AllowanceCharge, Category, Facts, Line


class Parties:
    """Which VAT and legal identifiers the seller, tax representative and buyer have."""

    __slots__ = ("buyer_vat", "facts", "seller_any", "seller_vat", "tax_rep_vat")

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.seller_any = self.seller_vat = self.tax_rep_vat = self.buyer_vat = False
        for scheme in facts.party_tax_schemes:
            if scheme.company_id is None:
                continue
            if scheme.owner == "seller":
                # //cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID
                self.seller_any = True
                self.seller_vat = self.seller_vat or scheme.vat
            elif scheme.vat and scheme.owner == "buyer":
                self.buyer_vat = True
            elif scheme.vat and scheme.owner == "tax representative":
                self.tax_rep_vat = True

    @property
    def buyer_legal(self) -> bool:
        """``//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID``."""
        return any(
            path(party, PARTY_LEGAL_ENTITY, COMPANY_ID) is not None
            for buyer in self.facts.idx[CUSTOMER]
            for party in self.facts.kids(buyer).get(PARTY, ())
        )


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
    """One VAT category family and which variant of each numbered rule its asserts use."""

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


def check(facts: Facts, out: list[Finding]) -> None:
    """Run the VAT category rules; findings are appended to ``out``."""
    parties: Parties | None = None
    for family in FAMILIES:
        # A family whose code appears nowhere has nothing to check: every assert is then
        # either "not used, so fine" or has no context node.
        pool = facts.by_code.get(family.code)
        if pool:
            if parties is None:
                parties = Parties(facts)
            _family(facts, pool, parties, family, out)
    if "K" in facts.by_code:
        _intra_community_delivery(facts, out)
    if "O" in facts.by_code:
        _not_subject_alone(facts, out)
    if "B" in facts.by_code:
        _split_payment(facts, out)


def _family(
    facts: Facts, pool: list[Category], parties: Parties, f: Family, out: list[Finding]
) -> None:
    """The numbered rules of one family; ``pool`` holds the categories carrying its code."""
    x, root, prefix = f.code, facts.root, f.prefix

    # -01: the VAT breakdown has the category when a line, allowance or charge uses it.
    if not _breakdown_ok(pool, f):
        fail(out, f"{prefix}-01", root)

    # -02: lines in the category need the party identifiers. BR-S-02 triggers on any
    # category S, whatever its tax scheme.
    classified = [c for c in pool if not c.is_tax_category and c.code == x]
    confirm = any(c.vat for c in classified)
    trigger = bool(classified) if x == "S" else confirm
    if trigger and not (confirm and f.parties(parties)):
        fail(out, f"{prefix}-02", root)

    # -03 and -04: allowances (charges) in the category need them too. These count every
    # allowance or charge, also on lines, except BR-O-03/04 (document level only); BR-G-03/04
    # confirm without the scheme check and BR-AF-04 triggers on the code as written.
    for rule, want_charge in ((f"{prefix}-03", False), (f"{prefix}-04", True)):
        on_ac = [
            c
            for c in pool
            if (c.charge if want_charge else c.allowance) and (c.document_level or x != "O")
        ]
        confirm = any(c.code == x and (c.vat or x == "G") for c in on_ac)
        if rule == "BR-AF-04":
            trigger = any(c.vat and "L" in c.raw for c in on_ac)
        else:
            trigger = any(c.vat and c.code == x for c in on_ac)
        if trigger and not (confirm and f.parties(parties)):
            fail(out, rule, root)

    for c in pool:
        if not c.vat or c.code != x:
            continue
        if c.line_item:
            # -05: the rate of a line in the category.
            if not _rate_ok(c, f):
                fail(out, f"{prefix}-05", c.el)
        elif c.allowance or c.charge:
            # -06, -07: the rate of an allowance or charge; with both indicators the
            # allowance rule matches first.
            if not _rate_ok(c, f):
                fail(out, f"{prefix}-06" if c.allowance else f"{prefix}-07", c.el)
        elif c.breakdown:
            # -08, -09, -10: each VAT breakdown of the category.
            parent = c.el.getparent()
            assert parent is not None
            subtotal = facts.kids(parent)
            if not _taxable_ok(facts, f, c, subtotal):
                fail(out, f"{prefix}-08", c.el)
            if not _tax_ok(facts, f, c, subtotal):
                fail(out, f"{prefix}-09", c.el)
            if c.exemption_reason != f.exemption_reason:
                fail(out, f"{prefix}-10", c.el)


def _breakdown_ok(pool: list[Category], f: Family) -> bool:
    """Rule -01."""
    x = f.code
    if f.breakdown == "exactly-one":
        used = any(c.vat and x in c.codes for c in pool)
        return not used or sum(c.codes.count(x) for c in pool if c.breakdown and c.vat) == 1
    # "at least one": BR-S-01 ignores the tax scheme; BR-AF-01 and BR-AG-01 check it except
    # that the breakdown compares the code as written (BR-AF-01 also without the scheme).
    scheme = f.breakdown != "standard"
    used_count = sum(
        1
        for c in pool
        if (c.in_allowance_charge or not c.is_tax_category)
        and c.code == x
        and (c.vat or not scheme)
    )
    in_breakdown = sum(1 for c in pool if c.breakdown and c.code == x and (c.vat or not scheme))
    if f.breakdown == "igic":
        as_written = sum(1 for c in pool if c.breakdown and x in c.raw)
    elif f.breakdown == "ipsi":
        as_written = sum(1 for c in pool if c.breakdown and x in c.raw and c.vat)
    else:
        as_written = in_breakdown
    return (used_count > 0 and as_written > 0) or (used_count == 0 and in_breakdown == 0)


def _rate_ok(c: Category, f: Family) -> bool:
    """Rules -05, -06, -07."""
    percents = c.percents
    if f.rate == "zero":
        return c.rate() == ZERO
    if f.rate == "positive":
        return any_double(percents, ">", 0)
    if f.rate == "non-negative":
        return any_double(percents, ">=", 0)
    return not percents


def _matches(holder: Line | AllowanceCharge, code: str, rate: Decimal | None) -> bool:
    """``[…/normalize-space(cbc:ID) = code][…/xs:decimal(cbc:Percent) = rate]``: each
    predicate on its own, as the official asserts write it; no rate means the code alone."""
    return code in holder.codes and (rate is None or rate in holder.rates)


def _basis(facts: Facts, lines: list[Line], code: str, rate: Decimal | None) -> Decimal | None:
    """Σ line net amounts + Σ document level charges - Σ document level allowances in the
    category (and rate); ``None`` when an amount is not a decimal."""
    root = facts.root
    total = Decimal(0)
    for line in lines:
        if (
            code in line.codes
            and (rate is None or rate in line.rates)
            and line.el.getparent() is root
        ):
            for amount in line.kids.get(LINE_EXTENSION_AMOUNT, ()):
                value = facts.decimal(amount)
                if value is None:
                    return None
                total += value
    for ac in facts.document_allowance_charges:
        if code in ac.codes and (rate is None or rate in ac.rates):
            for amount in ac.kids.get(AMOUNT, ()):
                value = facts.decimal(amount)
                if value is None:
                    return None
                # an allowance charge with both indicators counts on both sides
                if ac.charge:
                    total += value
                if ac.allowance:
                    total -= value
    return total


def _shifted(el: etree._Element | None, delta: float) -> Decimal | None:
    """``xs:decimal(el + delta)``: the untyped amount is added as an ``xs:double``."""
    value = double(el)
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return Decimal(repr(value + delta))


def _within_one(taxable: etree._Element | None, basis: Decimal | None) -> bool:
    """``xs:decimal(taxable - 1) < basis`` and ``xs:decimal(taxable + 1) > basis``."""
    low, high = _shifted(taxable, -1.0), _shifted(taxable, 1.0)
    return basis is not None and low is not None and high is not None and low < basis < high


def _taxable_ok(facts: Facts, f: Family, c: Category, subtotal: Kids) -> bool:
    """Rule -08: the taxable amount equals the lines, allowances and charges of the category."""
    x = f.code
    if f.taxable == "per-category":
        taxable = facts.decimal(first(subtotal, TAXABLE_AMOUNT))
        return (
            bool(facts.invoice_lines)
            and equal(taxable, _basis(facts, facts.invoice_lines, x, None))
        ) or (
            bool(facts.credit_note_lines)
            and equal(taxable, _basis(facts, facts.credit_note_lines, x, None))
        )
    # per rate: "every $rate in xs:decimal(cbc:Percent)", so no rate passes.
    percent_el = c.percent()
    if percent_el is None:
        return True
    rate = c.rate()
    if rate is None:
        return False
    taxable_el = first(subtotal, TAXABLE_AMOUNT)

    def invoice_ok() -> bool:
        return _within_one(taxable_el, _basis(facts, facts.invoice_lines, x, rate))

    def credit_ok() -> bool:
        return _within_one(taxable_el, _basis(facts, facts.credit_note_lines, x, rate))

    if f.taxable == "per-rate":
        return (bool(facts.invoice_lines) and invoice_ok()) or (
            bool(facts.credit_note_lines) and credit_ok()
        )
    # BR-S-08 asks for a line or an allowance/charge (at any level, either indicator) with the
    # category and rate, rather than for any line at all.
    with_rate = any(_matches(ac, x, rate) for ac in facts.allowance_charges)
    if (with_rate or any(_matches(li, x, rate) for li in facts.invoice_lines)) and (invoice_ok()):
        return True
    return (
        with_rate or any(_matches(li, x, rate) for li in facts.credit_note_lines)
    ) and credit_ok()


def _tax_ok(facts: Facts, f: Family, c: Category, subtotal: Kids) -> bool:
    """Rule -09: the tax amount is zero, or the taxable amount times the rate (± 1)."""
    tax = facts.decimal(first(subtotal, TAX_AMOUNT))
    if f.tax == "zero":
        return equal(tax, ZERO)
    taxable = facts.decimal(first(subtotal, TAXABLE_AMOUNT))
    rate = c.rate()
    if tax is None or taxable is None or rate is None:
        return False
    expected = round2(abs(taxable) * (rate / 100))
    return abs(tax) - 1 < expected < abs(tax) + 1


def _first_path(parents: list[etree._Element], *tags: str) -> etree._Element | None:
    for parent in parents:
        found = path(parent, *tags)
        if found is not None:
            return found
    return None


def _intra_community_delivery(facts: Facts, out: list[Finding]) -> None:
    """BR-IC-11 and BR-IC-12: an intra-community supply says when and where it was delivered."""
    if not any(c.vat and "K" in c.codes for c in facts.breakdown):
        return
    root = facts.root
    k = facts.root_kids
    deliveries = k.get(DELIVERY, [])
    dated = len(string_value(_first_path(deliveries, ACTUAL_DELIVERY_DATE))) > 1
    if not dated and not any(len(period) for period in k.get(INVOICE_PERIOD, ())):
        fail(out, "BR-IC-11", root)
    country = _first_path(deliveries, DELIVERY_LOCATION, ADDRESS, COUNTRY, IDENTIFICATION_CODE)
    if len(string_value(country)) <= 1:
        fail(out, "BR-IC-12", root)


def _not_subject_alone(facts: Facts, out: list[Finding]) -> None:
    """BR-O-11…14: "not subject to VAT" excludes every other category in the document."""
    if not any(c.vat and "O" in c.codes for c in facts.breakdown):
        return
    root = facts.root
    if any(c.vat and c.code != "O" for c in facts.breakdown):
        fail(out, "BR-O-11", root)
    if any(c.vat and c.code != "O" for c in facts.classified):
        fail(out, "BR-O-12", root)
    if any(c.vat and c.code != "O" and c.allowance for c in facts.on_allowance_charge):
        fail(out, "BR-O-13", root)
    if any(c.vat and c.code != "O" and c.charge for c in facts.on_allowance_charge):
        fail(out, "BR-O-14", root)


def _split_payment(facts: Facts, out: list[Finding]) -> None:
    """BR-B-01 and BR-B-02 (Italian split payment); codes compared as written."""
    root = facts.root
    if any("B" in c.raw for c in facts.tax_categories + facts.classified) and any(
        string_value(code) != "IT" for code in root.iter(IDENTIFICATION_CODE)
    ):
        fail(out, "BR-B-01", root)
    document_level = (
        facts.breakdown
        + [c for c in facts.on_allowance_charge if c.document_level]
        + facts.classified
    )
    if any("B" in c.raw for c in document_level) and any("S" in c.raw for c in document_level):
        fail(out, "BR-B-02", root)
