"""The Peppol BIS Billing 3 rule set (``peppol-ubl``): Danish rules, code lists, gating.

The documents are built from a small valid Peppol invoice between a Danish supplier and a
Danish customer; each test changes one thing and checks exactly which Peppol rules fire.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

import pytest

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.peppol import RULE_SET, identifiers
from faelles.einvoice.rules.peppol.messages import RULES
from faelles.einvoice.tests.conftest import require_shared
from faelles.einvoice.xml import parse

SUPPLIER_VAT = "DK12345678"
CUSTOMER_VAT = "DK87654321"


def invoice(
    *,
    supplier_country: str = "DK",
    customer_country: str = "DK",
    supplier_vat: str = SUPPLIER_VAT,
    supplier_legal: str = '<cbc:CompanyID schemeID="0184">12345678</cbc:CompanyID>',
    payment_means: str = (
        "<cac:PaymentMeans><cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>"
        "<cac:PayeeFinancialAccount><cbc:ID>1234567890</cbc:ID>"
        "<cac:FinancialInstitutionBranch><cbc:ID>1234</cbc:ID></cac:FinancialInstitutionBranch>"
        "</cac:PayeeFinancialAccount></cac:PaymentMeans>"
    ),
    allowance: str = "",
    type_code: str = "380",
    currency: str = "DKK",
    endpoint: str = '<cbc:EndpointID schemeID="0184">12345678</cbc:EndpointID>',
    note: str = "",
    line_extra: str = "",
) -> bytes:
    """A valid Peppol BIS 3 invoice of 100.00 DKK + 25 % VAT, with the given changes."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
<cbc:ID>INV-1</cbc:ID>
<cbc:IssueDate>2026-05-01</cbc:IssueDate>
<cbc:InvoiceTypeCode>{type_code}</cbc:InvoiceTypeCode>{note}
<cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>
<cbc:BuyerReference>ref</cbc:BuyerReference>
<cac:AccountingSupplierParty><cac:Party>{endpoint}
<cac:PostalAddress><cbc:CityName>Aarhus</cbc:CityName><cac:Country><cbc:IdentificationCode>{supplier_country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>{supplier_vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>Leverandør A/S</cbc:RegistrationName>{supplier_legal}</cac:PartyLegalEntity>
</cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0184">87654321</cbc:EndpointID>
<cac:PostalAddress><cbc:CityName>Odense</cbc:CityName><cac:Country><cbc:IdentificationCode>{customer_country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>{CUSTOMER_VAT}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>Styrelsen</cbc:RegistrationName></cac:PartyLegalEntity>
</cac:Party></cac:AccountingCustomerParty>
{payment_means}{allowance}
<cac:TaxTotal><cbc:TaxAmount currencyID="{currency}">25.00</cbc:TaxAmount>
<cac:TaxSubtotal><cbc:TaxableAmount currencyID="{currency}">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="{currency}">25.00</cbc:TaxAmount>
<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="{currency}">100.00</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="{currency}">100.00</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="{currency}">125.00</cbc:TaxInclusiveAmount>
<cbc:PayableAmount currencyID="{currency}">125.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="EA">4</cbc:InvoicedQuantity>
<cbc:LineExtensionAmount currencyID="{currency}">100.00</cbc:LineExtensionAmount>{line_extra}
<cac:Item><cbc:Name>Kuglepenne</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
<cac:Price><cbc:PriceAmount currencyID="{currency}">25.00</cbc:PriceAmount></cac:Price>
</cac:InvoiceLine>
</Invoice>""".encode()


def fired(document: bytes) -> list[str]:
    return sorted(f.rule for f in RULE_SET.check(parse(document)))


def findings(document: bytes) -> list[Finding]:
    return RULE_SET.check(parse(document))


# The baseline --------------------------------------------------------------------------------


def test_the_danish_baseline_invoice_has_no_peppol_finding() -> None:
    assert findings(invoice()) == []


def test_a_finding_carries_the_official_id_flag_message_and_location() -> None:
    document = invoice(
        payment_means="<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>"
    )

    assert findings(document) == [
        Finding(
            "DK-R-005",
            "fatal",
            "/Invoice/cac:PaymentMeans",
            "[DK-R-005]-For Danish suppliers the following Payment means codes are allowed: "
            "1, 10, 31, 42, 48, 49, 50, 58, 59, 93 and 97",
        )
    ]


def test_the_rule_table_matches_the_published_index() -> None:
    data = require_shared()
    with (data / "rules" / "index.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["rule_set"] == "peppol-ubl"]

    assert {row["id"]: (row["flag"], row["message"]) for row in rows} == RULES
    assert len(RULES) == 165


# Danish rules --------------------------------------------------------------------------------


def test_dk_r_002_and_014_require_a_cvr_legal_entity_from_danish_suppliers() -> None:
    assert fired(invoice(supplier_legal="")) == ["DK-R-002"]
    assert fired(invoice(supplier_legal="<cbc:CompanyID>12345678</cbc:CompanyID>")) == ["DK-R-014"]


def test_dk_r_006_needs_account_and_registration_number_for_code_31() -> None:
    means = (
        "<cac:PaymentMeans><cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>"
        "<cac:PayeeFinancialAccount><cbc:ID>1234567890</cbc:ID></cac:PayeeFinancialAccount>"
        "</cac:PaymentMeans>"
    )
    assert fired(invoice(payment_means=means)) == ["DK-R-006"]


@pytest.mark.parametrize(
    ("payment_id", "account", "expected"),
    [
        ("04#1234567890123456", "1234567", []),
        ("01#", "12345678", []),
        ("04#123", "1234567", ["DK-R-009"]),
        ("02#1234567890123456", "1234567", ["DK-R-008"]),
        ("01#", "123456", ["DK-R-008"]),
    ],
)
def test_dk_giro_payment_means_50(payment_id: str, account: str, expected: list[str]) -> None:
    means = (
        f"<cac:PaymentMeans><cbc:PaymentMeansCode>50</cbc:PaymentMeansCode>"
        f"<cbc:PaymentID>{payment_id}</cbc:PaymentID>"
        f"<cac:PayeeFinancialAccount><cbc:ID>{account}</cbc:ID></cac:PayeeFinancialAccount>"
        f"</cac:PaymentMeans>"
    )
    assert fired(invoice(payment_means=means)) == expected


@pytest.mark.parametrize(
    ("payment_id", "account", "expected"),
    [
        ("71#123456789012345", "12345678", []),
        ("73#", "12345678", []),
        ("71#1234", "12345678", ["DK-R-011"]),
        ("71#123456789012345", "1234567", ["DK-R-010"]),
        ("72#123456789012345", "12345678", ["DK-R-010"]),
    ],
)
def test_dk_fik_payment_means_93(payment_id: str, account: str, expected: list[str]) -> None:
    means = (
        f"<cac:PaymentMeans><cbc:PaymentMeansCode>93</cbc:PaymentMeansCode>"
        f"<cbc:PaymentID>{payment_id}</cbc:PaymentID>"
        f"<cac:PayeeFinancialAccount><cbc:ID>{account}</cbc:ID></cac:PayeeFinancialAccount>"
        f"</cac:PaymentMeans>"
    )
    assert fired(invoice(payment_means=means)) == expected


@pytest.mark.parametrize(
    ("reason", "expected"),
    [("0021", []), ("Afgift#12", []), ("#12", ["DK-R-004"]), ("Miljøafgift", ["DK-R-004"])],
)
def test_dk_r_004_non_vat_tax_charges(reason: str, expected: list[str]) -> None:
    charge = (
        "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
        "<cbc:AllowanceChargeReasonCode>ZZZ</cbc:AllowanceChargeReasonCode>"
        f"<cbc:AllowanceChargeReason>{reason}</cbc:AllowanceChargeReason>"
        '<cbc:Amount currencyID="DKK">0.00</cbc:Amount>'
        "<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>"
    )
    assert fired(invoice(allowance=charge)) == expected


def test_dk_r_003_asks_for_a_known_unspsc_version_of_test_classifications() -> None:
    def classified(version: str) -> bytes:
        item = (
            "<cac:Item><cac:CommodityClassification><cbc:ItemClassificationCode listID='TST' "
            f"listVersionID='{version}'>43211503</cbc:ItemClassificationCode>"
            "</cac:CommodityClassification></cac:Item>"
        )
        return invoice().replace(b"<cac:Item>", item.encode().replace(b"</cac:Item>", b""), 1)

    assert fired(classified("26.08.01")) == []
    assert fired(classified("7.0501")) == ["DK-R-003"]


# Gating of the national rules ----------------------------------------------------------------


def test_danish_rules_need_a_danish_postal_address_of_the_supplier() -> None:
    means = "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>"

    swedish = invoice(
        supplier_country="SE",
        supplier_vat="SE556036079301",
        supplier_legal="<cbc:CompanyID>5560360793</cbc:CompanyID>",
        payment_means=means,
    )
    assert fired(swedish) == []
    # Supplier in DK, customer abroad: only the supplier-level DK rules apply.
    assert fired(invoice(customer_country="SE", payment_means=means, supplier_legal="")) == [
        "DK-R-002"
    ]
    # The DK patterns compare the country code as written: " DK" is not DK.
    assert fired(invoice(supplier_country=" DK", supplier_legal="")) == []


def test_norwegian_rules_follow_the_vat_prefix_not_the_postal_address() -> None:
    # $supplierCountry prefers the VAT number: a NO VAT number makes the supplier Norwegian.
    document = invoice(supplier_vat="NO123456789")

    assert fired(document) == ["NO-R-001", "NO-R-002"]
    assert [f.flag for f in findings(document)] == ["warning", "fatal"]


def test_norwegian_vat_number_with_valid_check_digit_passes_no_r_001() -> None:
    assert fired(invoice(supplier_vat="NO974760673MVA")) == ["NO-R-002"]


def test_german_rules_need_both_parties_in_germany() -> None:
    only_supplier = fired(invoice(supplier_country="DE", supplier_vat="DE123456789"))
    both = fired(invoice(supplier_country="DE", customer_country="DE", supplier_vat="DE123456789"))

    assert [r for r in only_supplier if r.startswith("DE-")] == []
    assert [r for r in both if r.startswith("DE-")] == ["DE-R-002", "DE-R-004", "DE-R-009"]


def test_invoice_type_326_is_only_allowed_between_german_parties() -> None:
    assert fired(invoice(type_code="326")) == ["PEPPOL-EN16931-P0112"]


def test_two_notes_are_only_allowed_between_german_parties() -> None:
    notes = "<cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>"
    assert fired(invoice(note=notes)) == ["PEPPOL-EN16931-R002"]


# Code lists and formats ----------------------------------------------------------------------


def test_an_unknown_currency_fires_cl007_on_every_amount() -> None:
    result = findings(invoice(currency="DKX"))

    assert {f.rule for f in result} == {"PEPPOL-EN16931-CL007"}
    assert len(result) == 9
    assert result[0].location == "/Invoice/cac:TaxTotal/cbc:TaxAmount"


def test_an_amount_in_another_currency_fires_r051() -> None:
    document = invoice().replace(
        b'<cbc:PriceAmount currencyID="DKK">', b'<cbc:PriceAmount currencyID="EUR">'
    )
    result = findings(document)

    assert [(f.rule, f.location) for f in result] == [
        ("PEPPOL-EN16931-R051", "/Invoice/cac:InvoiceLine/cac:Price/cbc:PriceAmount")
    ]


def test_an_unknown_electronic_address_scheme_fires_cl008() -> None:
    endpoint = '<cbc:EndpointID schemeID="9999">12345678</cbc:EndpointID>'
    assert fired(invoice(endpoint=endpoint)) == ["PEPPOL-EN16931-CL008"]


def test_an_invoice_type_outside_the_profile_fires_p0100() -> None:
    assert fired(invoice(type_code="999")) == ["PEPPOL-EN16931-P0100"]


def test_an_empty_element_fires_r008_at_its_location() -> None:
    result = findings(invoice(note="<cbc:Note> </cbc:Note>"))

    assert [(f.rule, f.location) for f in result] == [("PEPPOL-EN16931-R008", "/Invoice/cbc:Note")]


def test_first_match_an_allowance_with_a_percentage_but_no_base_fires_only_r041() -> None:
    line_charge = (
        "<cac:AllowanceCharge><cbc:ChargeIndicator>maybe</cbc:ChargeIndicator>"
        "<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric>"
        '<cbc:Amount currencyID="DKK">0.00</cbc:Amount></cac:AllowanceCharge>'
    )
    # R043 (charge indicator) is in a later rule of the same pattern: not evaluated.
    assert fired(invoice(line_extra=line_charge)) == ["PEPPOL-EN16931-R041"]


def test_r120_checks_the_line_net_amount_within_two_cents() -> None:
    off_by_a_cent = invoice().replace(
        b'<cbc:PriceAmount currencyID="DKK">25.00', b'<cbc:PriceAmount currencyID="DKK">25.005'
    )
    off_by_a_krone = invoice().replace(
        b'<cbc:PriceAmount currencyID="DKK">25.00', b'<cbc:PriceAmount currencyID="DKK">25.25'
    )

    assert fired(off_by_a_cent) == []
    assert fired(off_by_a_krone) == ["PEPPOL-EN16931-R120"]


@pytest.mark.parametrize(
    ("scheme", "value", "rule"),
    [
        ("0088", "4006381333931", None),
        ("0088", "4006381333932", "PEPPOL-COMMON-R040"),
        ("0192", "974760673", None),
        ("0192", "974760674", "PEPPOL-COMMON-R041"),
        ("0184", "DK12345678", None),
        ("0184", "1234567", "PEPPOL-COMMON-R042"),
        ("0208", "0123456749", None),
        ("0208", "0123456748", "PEPPOL-COMMON-R043"),
        ("0007", "5560360793", None),
        ("0007", "1234567890", "PEPPOL-COMMON-R049"),
        ("0151", "51824753556", None),
        ("0151", "51824753557", "PEPPOL-COMMON-R050"),
    ],
)
def test_identifier_check_digits_on_the_endpoint(scheme: str, value: str, rule: str | None) -> None:
    endpoint = f'<cbc:EndpointID schemeID="{scheme}">{value}</cbc:EndpointID>'
    assert fired(invoice(endpoint=endpoint)) == ([rule] if rule else [])


def test_dutch_rules_apply_to_a_supplier_with_a_dutch_postal_address() -> None:
    dutch = invoice(supplier_country="NL", supplier_vat="NL123456789B01")
    both_dutch = invoice(
        supplier_country="NL", customer_country="NL", supplier_vat="NL123456789B01"
    )

    assert fired(dutch) == ["NL-R-002", "NL-R-003"]
    assert fired(both_dutch) == ["NL-R-002", "NL-R-003", "NL-R-004", "NL-R-008"]


def test_a_malformed_dutch_vat_number_is_a_warning() -> None:
    result = findings(invoice(supplier_vat="NL1234"))

    assert [(f.rule, f.flag) for f in result] == [("PEPPOL-COMMON-R056-2", "warning")]


def test_italian_rules_follow_the_vat_prefix() -> None:
    assert fired(invoice(supplier_vat="IT12345678903")) == ["IT-R-002", "IT-R-004"]


def test_greek_sender_rules() -> None:
    document = invoice(supplier_country="GR", supplier_vat="EL094014201")

    assert fired(document) == [
        "GR-R-001-1",
        "GR-R-001-2",
        "GR-R-001-3",
        "GR-R-001-4",
        "GR-R-001-5",
        "GR-R-001-6",
        "GR-R-001-7",
        "GR-R-002",
        "GR-R-004-1",
        "GR-R-005",
        "GR-R-009",
        "GR-S-008-1",
    ]


def test_icelandic_rules_follow_the_postal_address_of_the_supplier() -> None:
    assert fired(invoice(supplier_country="IS")) == ["IS-R-002", "IS-R-003"]


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (identifiers.greek_tin, "094014201", True),
        (identifiers.greek_tin, "094014202", False),
        (identifiers.greek_tin, "09401420", False),
        (identifiers.partita_iva, "IT12345678903", True),
        (identifiers.partita_iva, "IT12345678904", False),
        (identifiers.partita_iva, "DE12345678904", True),
        (identifiers.codice_fiscale, "RSSMRA85T10A562S", True),
        (identifiers.codice_fiscale, "RSSMRA8XT10A562S", False),
        (identifiers.codice_fiscale, "12345678901", True),
        (identifiers.codice_ipa, "UFABCD", True),
        (identifiers.codice_ipa, "UF-BCD", False),
        (identifiers.mod11, "974760673", True),
        (identifiers.mod11, "000000000", False),
    ],
)
def test_identifier_functions(check: Callable[[str], bool], value: str, expected: bool) -> None:
    assert check(value) is expected
