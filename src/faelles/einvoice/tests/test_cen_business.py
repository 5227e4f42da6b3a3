"""EN 16931 business rules: the XPath 2.0 semantics the official asserts rely on.

Each test takes a small valid invoice, changes one thing and checks exactly which business
rules fire. The conformance suite covers the rules broadly; these cover the corners it does not
(first match within a pattern, rounding, numbers that are not numbers, missing values).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from faelles.einvoice.rules.cen import business
from faelles.einvoice.rules.cen._common import (
    decimal,
    decimals_after_point,
    double,
    normalize_space,
    round2,
    xpath_round,
)
from faelles.einvoice.rules.cen.business_messages import RULES
from faelles.einvoice.xml import CAC, CBC, parse

INVOICE = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>INV-1</cbc:ID>
  <cbc:IssueDate>2026-01-15</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0184">DK12345678</cbc:EndpointID>
      <cac:PostalAddress>
        <cac:Country><cbc:IdentificationCode>DK</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>DK12345678</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>Sælger A/S</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0184">DK87654321</cbc:EndpointID>
      <cac:PostalAddress>
        <cac:Country><cbc:IdentificationCode>DK</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyLegalEntity><cbc:RegistrationName>Styrelsen</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="DKK">25.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="DKK">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="DKK">25.00</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>25</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">125.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="DKK">125.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">4</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">100.00</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Kontorstole</cbc:Name>
      <cac:ClassifiedTaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>25</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">25.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""

NS = {"cac": CAC, "cbc": CBC}


def _doc() -> etree._Element:
    return parse(INVOICE.encode())


def _one(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list) and len(found) == 1, path
    el = found[0]
    assert isinstance(el, etree._Element)
    return el


def _set(root: etree._Element, path: str, text: str) -> None:
    _one(root, path).text = text


def _add(root: etree._Element, parent: str, xml: str, before: str | None = None) -> None:
    """Insert ``xml`` (with the cac/cbc prefixes) into ``parent``, before ``before`` if given."""
    wrapper = etree.fromstring(f'<w xmlns:cac="{CAC}" xmlns:cbc="{CBC}">{xml}</w>')
    target = _one(root, parent)
    position = len(target)
    if before is not None:
        position = target.index(_one(root, before))
    for offset, el in enumerate(list(wrapper)):
        target.insert(position + offset, el)


def _remove(root: etree._Element, path: str) -> None:
    el = _one(root, path)
    parent = el.getparent()
    assert parent is not None
    parent.remove(el)


def _rules(root: etree._Element) -> list[str]:
    return sorted(f.rule for f in business.check(root))


# The values the rules compute with


def test_the_base_invoice_breaks_no_business_rule() -> None:
    assert business.check(_doc()) == []


def test_xpath_round_goes_half_towards_positive_infinity() -> None:
    assert xpath_round(Decimal("2.5")) == 3
    assert xpath_round(Decimal("-2.5")) == -2
    assert xpath_round(Decimal("-2.51")) == -3
    assert round2(Decimal("0.125")) == Decimal("0.13")
    assert round2(Decimal("-0.125")) == Decimal("-0.12")


def test_decimal_accepts_the_xs_decimal_lexical_form_only() -> None:
    def cast(text: str) -> Decimal | None:
        el = etree.Element("x")
        el.text = text
        return decimal(el)

    assert cast(" 12.50\n") == Decimal("12.5")
    assert cast("+.5") == Decimal("0.5")
    assert cast("7.") == Decimal(7)
    assert cast("1e2") is None
    assert cast("NaN") is None
    assert cast("1_000") is None
    assert cast("12,50") is None
    assert decimal(None) is None


def test_double_accepts_exponents_and_nan_like_a_general_comparison() -> None:
    el = etree.Element("x")
    el.text = "1E2"
    assert double(el) == 100.0
    el.text = "NaN"
    value = double(el)
    assert value is not None and value != value
    el.text = "ten"
    assert double(el) is None


def test_normalize_space_collapses_xml_whitespace_only() -> None:
    assert normalize_space(" \t a \n\n b\r ") == "a b"
    assert normalize_space("\u00a0a") == "\u00a0a"


def test_decimals_are_counted_on_the_text_as_written() -> None:
    el = etree.Element("x")
    el.text = "100.00 "
    assert decimals_after_point(el) == 3
    el.text = "100"
    assert decimals_after_point(el) == 0


# Findings: id, flag, location and message as upstream


def test_a_finding_carries_the_official_id_flag_location_and_message() -> None:
    root = _doc()
    _add(
        root,
        "/*",
        "<cac:PaymentMeans><cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>"
        "<cac:CardAccount><cbc:PrimaryAccountNumberID>1234567890123456</cbc:PrimaryAccountNumberID>"
        "<cbc:NetworkID>VISA</cbc:NetworkID></cac:CardAccount></cac:PaymentMeans>",
        before="cac:TaxTotal",
    )
    [finding] = business.check(root)
    assert finding.rule == "BR-51"
    assert finding.flag == "warning"
    assert (
        finding.location == "/Invoice/cac:PaymentMeans/cac:CardAccount/cbc:PrimaryAccountNumberID"
    )
    assert finding.message == RULES["BR-51"][1]
    assert finding.message.startswith("[BR-51]-In accordance with card payments security")


def test_every_business_rule_has_a_fatal_flag_except_br_51() -> None:
    assert len(RULES) == 200
    assert {rule for rule, (flag, _) in RULES.items() if flag != "fatal"} == {"BR-51"}


# First match within a pattern


def test_an_allowance_charge_with_both_indicators_is_checked_as_an_allowance_only() -> None:
    root = _doc()
    _add(
        root,
        "/*",
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        "<cbc:ChargeIndicator>true</cbc:ChargeIndicator></cac:AllowanceCharge>",
        before="cac:TaxTotal",
    )
    fired = _rules(root)
    assert {"BR-31", "BR-32", "BR-33", "BR-CO-21"} <= set(fired)
    assert not {"BR-36", "BR-37", "BR-38", "BR-CO-22"} & set(fired)


def test_a_line_period_is_checked_by_the_line_rules_not_the_document_rules() -> None:
    root = _doc()
    _add(
        root,
        "cac:InvoiceLine",
        "<cac:InvoicePeriod><cbc:StartDate>2026-02-01</cbc:StartDate>"
        "<cbc:EndDate>2026-01-01</cbc:EndDate></cac:InvoicePeriod>",
        before="cac:InvoiceLine/cac:Item",
    )
    assert _rules(root) == ["BR-30"]


def test_a_document_period_ending_before_it_starts_breaks_br_29() -> None:
    root = _doc()
    _add(
        root,
        "/*",
        "<cac:InvoicePeriod><cbc:StartDate>2026-02-01</cbc:StartDate>"
        "<cbc:EndDate>2026-01-01</cbc:EndDate></cac:InvoicePeriod>",
        before="cac:AccountingSupplierParty",
    )
    assert _rules(root) == ["BR-29"]


def test_a_document_period_with_only_a_description_code_is_filled() -> None:
    root = _doc()
    _add(
        root,
        "/*",
        "<cac:InvoicePeriod><cbc:DescriptionCode>35</cbc:DescriptionCode></cac:InvoicePeriod>",
        before="cac:AccountingSupplierParty",
    )
    assert _rules(root) == []
    _add(
        root, "/*", "<cbc:TaxPointDate>2026-01-15</cbc:TaxPointDate>", before="cbc:InvoiceTypeCode"
    )
    assert _rules(root) == ["BR-CO-03"]


# Arithmetic


def test_the_line_sum_is_rounded_half_up_before_it_is_compared() -> None:
    root = _doc()
    _set(root, "cac:InvoiceLine/cbc:LineExtensionAmount", "100.005")
    # 100.005 rounds to 100.01, so the document total of 100.00 no longer matches; the line
    # amount also has three decimals.
    assert _rules(root) == ["BR-CO-10", "BR-DEC-23"]
    _set(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "100.01")
    assert "BR-CO-10" not in _rules(root)


def test_totals_with_allowances_and_charges() -> None:
    root = _doc()
    _add(
        root,
        "cac:LegalMonetaryTotal",
        '<cbc:AllowanceTotalAmount currencyID="DKK">10.00</cbc:AllowanceTotalAmount>',
        before="cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    )
    # No allowance is given, so the stated total of allowances disagrees with their sum (0)
    # and the total without VAT no longer equals lines - allowances.
    assert _rules(root) == ["BR-CO-11", "BR-CO-13"]


def test_a_missing_total_without_vat_fails_the_sums_that_use_it() -> None:
    root = _doc()
    _remove(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")
    assert _rules(root) == ["BR-13", "BR-CO-13", "BR-CO-15"]


def test_the_amount_due_takes_the_paid_and_rounding_amounts_into_account() -> None:
    root = _doc()
    _add(
        root,
        "cac:LegalMonetaryTotal",
        '<cbc:PrepaidAmount currencyID="DKK">25.00</cbc:PrepaidAmount>'
        '<cbc:PayableRoundingAmount currencyID="DKK">0.25</cbc:PayableRoundingAmount>',
        before="cac:LegalMonetaryTotal/cbc:PayableAmount",
    )
    _set(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", "100.25")
    assert _rules(root) == []
    _set(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", "100.00")
    assert _rules(root) == ["BR-CO-16"]


def test_vat_category_tax_amount_may_differ_by_less_than_one() -> None:
    root = _doc()
    _set(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "25.99")
    _set(root, "cac:TaxTotal/cbc:TaxAmount", "25.99")
    _set(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "125.99")
    _set(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", "125.99")
    assert _rules(root) == []
    _set(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "26.00")
    _set(root, "cac:TaxTotal/cbc:TaxAmount", "26.00")
    _set(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "126.00")
    _set(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", "126.00")
    assert _rules(root) == ["BR-CO-17", "BR-S-09"]


def test_the_standard_rated_taxable_amount_may_differ_by_less_than_one() -> None:
    root = _doc()
    _set(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "100.99")
    assert _rules(root) == []
    _set(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "101.00")
    assert _rules(root) == ["BR-S-08"]


def test_a_zero_rated_taxable_amount_must_match_exactly() -> None:
    root = _doc()
    for path in (
        "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory",
        "cac:InvoiceLine//cac:ClassifiedTaxCategory",
    ):
        _set(root, f"{path}/cbc:ID", "Z")
        _set(root, f"{path}/cbc:Percent", "0")
    for path in (
        "cac:TaxTotal/cbc:TaxAmount",
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount",
    ):
        _set(root, path, "0.00")
    _set(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "100.00")
    _set(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", "100.00")
    assert _rules(root) == []
    _set(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "100.01")
    assert _rules(root) == ["BR-Z-08"]


# Numbers that are not numbers, and missing values


def test_a_price_that_is_not_a_number_is_not_at_least_zero() -> None:
    root = _doc()
    _set(root, "cac:InvoiceLine/cac:Price/cbc:PriceAmount", "NaN")
    assert _rules(root) == ["BR-27"]


def test_a_missing_price_breaks_both_the_presence_and_the_sign_rule() -> None:
    root = _doc()
    _remove(root, "cac:InvoiceLine/cac:Price/cbc:PriceAmount")
    assert _rules(root) == ["BR-26", "BR-27"]


def test_a_negative_price_breaks_br_27_and_a_negative_gross_price_br_28() -> None:
    root = _doc()
    _set(root, "cac:InvoiceLine/cac:Price/cbc:PriceAmount", "-1E1")
    _add(
        root,
        "cac:InvoiceLine/cac:Price",
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        '<cbc:Amount currencyID="DKK">1.00</cbc:Amount>'
        '<cbc:BaseAmount currencyID="DKK">-26.00</cbc:BaseAmount></cac:AllowanceCharge>',
    )
    assert _rules(root) == ["BR-27", "BR-28"]


def test_an_amount_with_an_exponent_is_no_decimal_so_the_sums_fail() -> None:
    root = _doc()
    _set(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", "1.25E2")
    # "25E2" follows the full stop, so BR-DEC-18 counts four decimals.
    assert _rules(root) == ["BR-CO-16", "BR-DEC-18"]


def test_whitespace_after_an_amount_counts_as_a_decimal() -> None:
    root = _doc()
    _set(root, "cac:LegalMonetaryTotal/cbc:PayableAmount", "125.00 ")
    assert _rules(root) == ["BR-DEC-18"]


def test_br_dec_13_never_fires_because_its_predicate_looks_for_a_child() -> None:
    root = _doc()
    _set(root, "cac:TaxTotal/cbc:TaxAmount", "25.000")
    assert _rules(root) == []


def test_a_tax_currency_needs_a_vat_total_in_that_currency() -> None:
    root = _doc()
    _add(
        root,
        "/*",
        "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>",
        before="cac:AccountingSupplierParty",
    )
    assert _rules(root) == ["BR-53"]
    _add(
        root,
        "/*",
        '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">3.35</cbc:TaxAmount></cac:TaxTotal>',
        before="cac:LegalMonetaryTotal",
    )
    assert _rules(root) == []


# Codes: as written, normalized, and the VAT scheme


@pytest.mark.parametrize(
    ("company_id", "fired"),
    [("EL123456789", []), ("DK12345678", []), ("XX123", ["BR-CO-09"]), ("", [])],
)
def test_vat_identifiers_start_with_a_country_code(company_id: str, fired: list[str]) -> None:
    root = _doc()
    _set(root, "cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID", company_id)
    assert _rules(root) == fired


def test_a_category_code_is_compared_after_normalize_space() -> None:
    root = _doc()
    _set(root, "cac:InvoiceLine//cac:ClassifiedTaxCategory/cbc:ID", " S\n")
    assert _rules(root) == []


def test_a_standard_rated_line_outside_the_vat_scheme_still_needs_a_seller_vat_id() -> None:
    # BR-S-02 triggers on any category S but is satisfied only by one in the VAT scheme.
    root = _doc()
    _set(root, "cac:InvoiceLine//cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID", "GST")
    assert _rules(root) == ["BR-CO-04", "BR-S-02"]


def test_a_line_without_a_vat_category_is_not_categorized() -> None:
    root = _doc()
    _remove(root, "cac:InvoiceLine//cac:ClassifiedTaxCategory")
    # The S breakdown is left without a line: nothing uses S (BR-S-01) and no line has
    # the breakdown's rate (BR-S-08).
    assert _rules(root) == ["BR-CO-04", "BR-S-01", "BR-S-08"]


def test_the_vat_scheme_is_compared_upper_cased() -> None:
    root = _doc()
    _set(root, "cac:InvoiceLine//cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID", " vat ")
    assert _rules(root) == []


def test_a_not_subject_to_vat_breakdown_excludes_every_other_category() -> None:
    root = _doc()
    _add(
        root,
        "cac:TaxTotal",
        '<cac:TaxSubtotal><cbc:TaxableAmount currencyID="DKK">0.00</cbc:TaxableAmount>'
        '<cbc:TaxAmount currencyID="DKK">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>O</cbc:ID>'
        "<cbc:TaxExemptionReason>Not subject to VAT</cbc:TaxExemptionReason>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>",
    )
    # The O breakdown has no line of its own (BR-O-08 is met by 0 = 0) but sits beside S.
    assert _rules(root) == ["BR-O-11", "BR-O-12"]


def test_split_payment_is_for_domestic_italian_invoices() -> None:
    root = _doc()
    _set(root, "cac:InvoiceLine//cac:ClassifiedTaxCategory/cbc:ID", "B")
    # BR-B-01: the addresses are Danish; the breakdown S no longer has a standard rated line.
    fired = _rules(root)
    assert "BR-B-01" in fired
    assert "BR-B-02" in fired
    for path in ("cac:AccountingSupplierParty", "cac:AccountingCustomerParty"):
        _set(root, f"{path}//cac:Country/cbc:IdentificationCode", "IT")
    assert "BR-B-01" not in _rules(root)


def test_a_payee_named_like_the_seller_breaks_br_17() -> None:
    root = _doc()
    _add(
        root,
        "cac:AccountingSupplierParty/cac:Party",
        "<cac:PartyName><cbc:Name>Sælger</cbc:Name></cac:PartyName>",
        before="cac:AccountingSupplierParty//cac:PostalAddress",
    )
    _add(
        root,
        "/*",
        "<cac:PayeeParty><cac:PartyName><cbc:Name>Factor</cbc:Name></cac:PartyName></cac:PayeeParty>",
        before="cac:TaxTotal",
    )
    assert _rules(root) == []
    _set(root, "cac:PayeeParty/cac:PartyName/cbc:Name", "Sælger")
    assert _rules(root) == ["BR-17"]


def test_credit_transfer_needs_an_account() -> None:
    root = _doc()
    _add(
        root,
        "/*",
        "<cac:PaymentMeans><cbc:PaymentMeansCode> 58 </cbc:PaymentMeansCode>"
        "<cac:PayeeFinancialAccount><cbc:Name>Konto</cbc:Name></cac:PayeeFinancialAccount>"
        "</cac:PaymentMeans>",
        before="cac:TaxTotal",
    )
    # BR-61 normalizes the code; BR-50's context compares it as written, so it does not apply.
    assert _rules(root) == ["BR-61"]
    _set(root, "cac:PaymentMeans/cbc:PaymentMeansCode", "58")
    assert _rules(root) == ["BR-50", "BR-61"]


def test_a_credit_note_uses_credit_note_lines_and_credited_quantities() -> None:
    text = (
        INVOICE.replace("xsd:Invoice-2", "xsd:CreditNote-2")
        .replace("<Invoice ", "<CreditNote ")
        .replace("</Invoice>", "</CreditNote>")
        .replace("InvoiceTypeCode>380", "CreditNoteTypeCode>381")
        .replace("InvoiceTypeCode", "CreditNoteTypeCode")
        .replace("InvoiceLine", "CreditNoteLine")
        .replace("InvoicedQuantity", "CreditedQuantity")
    )
    root = parse(text.encode())
    assert _rules(root) == []
    _remove(root, "cac:CreditNoteLine/cbc:CreditedQuantity")
    assert _rules(root) == ["BR-22", "BR-23"]
