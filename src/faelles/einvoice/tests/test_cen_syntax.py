"""EN 16931 UBL code-list and syntax rules (BR-CL, UBL-SR, UBL-CR, UBL-DT) on small documents.

Each test changes one thing in a minimal invoice or credit note and asserts exactly which
findings the change produces, with the official message and the location of the context node.
"""

from __future__ import annotations

import csv
import re

import pytest
from lxml import etree

from faelles.einvoice.rules.cen import syntax, syntax_rules
from faelles.einvoice.rules.cen.syntax_restrictions import NOT_USED
from faelles.einvoice.rules.cen.syntax_rules import Rule
from faelles.einvoice.tests.conftest import require_shared
from faelles.einvoice.xml import parse

NAMESPACES = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)

INVOICE = """<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" {ns}>
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>INV-1</cbc:ID>
  <cbc:IssueDate>2026-01-15</cbc:IssueDate>
  <cbc:InvoiceTypeCode>{type_code}</cbc:InvoiceTypeCode>
  {header}
  <cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>
  {references}
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0088">5790000435975</cbc:EndpointID>
      <cac:PostalAddress>
        <cbc:CityName>Aarhus</cbc:CityName>
        <cac:Country><cbc:IdentificationCode>DK</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      {supplier_tax}
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>Leverandøren A/S</cbc:RegistrationName>
      </cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0184">DK12345678</cbc:EndpointID>
      <cac:PostalAddress>
        <cbc:CityName>København</cbc:CityName>
        <cac:Country><cbc:IdentificationCode>DK</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyLegalEntity><cbc:RegistrationName>Styrelsen</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  {parties}
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>{means}</cbc:PaymentMeansCode>
    {payment}
  </cac:PaymentMeans>
  {allowances}
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
    <cbc:PayableAmount currencyID="{amount_currency}">{payable}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="{unit}">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">100.00</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Konsulentydelse</cbc:Name>
      {item}
    </cac:Item>
    <cac:Price>
      <cbc:PriceAmount currencyID="DKK">{price}</cbc:PriceAmount>
      {price_discount}
    </cac:Price>
  </cac:InvoiceLine>
</Invoice>"""

CLASSIFIED = (
    "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>"
    "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>"
)

DEFAULTS = {
    "type_code": "380",
    "header": "",
    "currency": "DKK",
    "references": "",
    "supplier_tax": "",
    "parties": "",
    "means": "30",
    "payment": "",
    "allowances": "",
    "amount_currency": "DKK",
    "payable": "125.00",
    "unit": "EA",
    "item": CLASSIFIED,
    "price": "100.00",
    "price_discount": "",
}


def invoice(**changes: str) -> bytes:
    return INVOICE.format(ns=NAMESPACES, **{**DEFAULTS, **changes}).encode()


def credit_note(**changes: str) -> bytes:
    text = invoice(**changes).decode()
    text = text.replace("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", CN_NS)
    text = re.sub(r"\bInvoice(TypeCode|Line)\b", r"CreditNote\1", text)
    text = re.sub(r"<(/?)Invoice\b", r"<\1CreditNote", text)
    return text.replace("InvoicedQuantity", "CreditedQuantity").encode()


CN_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"


def findings(data: bytes) -> list[tuple[str, str, str]]:
    return [(f.rule, f.flag, f.location) for f in syntax.check(parse(data))]


def messages(data: bytes) -> dict[str, str]:
    return {f.rule: f.message for f in syntax.check(parse(data))}


# ---------------------------------------------------------------------------- clean documents


def test_minimal_invoice_and_credit_note_have_no_finding() -> None:
    assert findings(invoice()) == []
    assert findings(credit_note(type_code="381")) == []


# ---------------------------------------------------------------------------- BR-CL


def test_document_currency_is_normalized_before_the_lookup() -> None:
    assert findings(invoice(currency=" DKK\n ")) == []
    assert findings(invoice(currency="dkk")) == [
        ("BR-CL-04", "fatal", "/Invoice/cbc:DocumentCurrencyCode")
    ]
    assert messages(invoice(currency="DK K"))["BR-CL-04"] == (
        "[BR-CL-04]-Invoice currency code MUST be coded using ISO code list 4217 alpha-3"
    )


def test_non_breaking_space_is_not_white_space_for_normalize_space() -> None:
    assert findings(invoice(currency="DKK\u00a0")) == [
        ("BR-CL-04", "fatal", "/Invoice/cbc:DocumentCurrencyCode")
    ]


def test_type_code_list_follows_the_element_name() -> None:
    assert findings(invoice(type_code="381")) == [
        ("BR-CL-01", "fatal", "/Invoice/cbc:InvoiceTypeCode")
    ]
    assert findings(credit_note(type_code="381")) == []
    assert findings(credit_note(type_code="380")) == [
        ("BR-CL-01", "fatal", "/CreditNote/cbc:CreditNoteTypeCode")
    ]


def test_amount_without_or_with_unknown_currency_id() -> None:
    assert findings(invoice(amount_currency="XYZ")) == [
        ("BR-CL-03", "fatal", "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount")
    ]


def test_unit_code_on_invoiced_and_credited_quantity() -> None:
    assert findings(invoice(unit="ZZZZ")) == [
        ("BR-CL-23", "fatal", "/Invoice/cac:InvoiceLine/cbc:InvoicedQuantity")
    ]
    assert findings(credit_note(type_code="381", unit="ZZZZ")) == [
        ("BR-CL-23", "fatal", "/CreditNote/cac:CreditNoteLine/cbc:CreditedQuantity")
    ]


def test_note_subject_code_between_hashes() -> None:
    def note(text: str) -> bytes:
        return invoice(header=f"<cbc:Note>{text}</cbc:Note>")

    assert findings(note("#AAI#Generel information")) == []
    assert findings(note("#XYZ#Ukendt emne")) == [("BR-CL-08", "fatal", "/Invoice/cbc:Note")]
    assert findings(note("#AB#kun to tegn")) == []  # not three characters: not a subject code
    assert findings(note("kun #ét hash")) == []
    # The official assert searches the list with contains(), so a three-character string
    # spanning two codes of the list ("AAA AAB") passes, as it does in the reference.
    assert findings(note("#A A#")) == []


def test_sepa_party_identifier_only_for_seller_or_payee() -> None:
    sepa = (
        b'<cac:PartyIdentification><cbc:ID schemeID="SEPA">DK00ZZZ123</cbc:ID>'
        b"</cac:PartyIdentification><cac:PostalAddress>"
    )
    seller = invoice().replace(b"<cac:PostalAddress>", sepa, 1)
    assert findings(seller) == []
    buyer = sepa.join(invoice().rsplit(b"<cac:PostalAddress>", 1))
    assert findings(buyer) == [
        (
            "BR-CL-10",
            "fatal",
            "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID",
        )
    ]
    assert findings(sepa.join(seller.rsplit(b"<cac:PostalAddress>", 1))) == [
        ("UBL-SR-29", "fatal", "/Invoice"),
        (
            "BR-CL-10",
            "fatal",
            "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID",
        ),
    ]


def test_allowance_and_charge_reason_codes_by_charge_indicator() -> None:
    def allowance(indicator: str, code: str) -> bytes:
        return invoice(
            allowances=(
                f"<cac:AllowanceCharge><cbc:ChargeIndicator>{indicator}</cbc:ChargeIndicator>"
                f"<cbc:AllowanceChargeReasonCode>{code}</cbc:AllowanceChargeReasonCode>"
                "</cac:AllowanceCharge>"
            )
        )

    where = "/Invoice/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode"
    assert findings(allowance("false", "95")) == []
    assert findings(allowance("false", "FC")) == [("BR-CL-19", "fatal", where)]
    assert findings(allowance(" true ", "FC")) == []
    assert findings(allowance("1", "95")) == [("BR-CL-20", "fatal", where)]
    # "yes" cannot be cast to xs:boolean: neither context matches
    assert findings(allowance("yes", "nonsense")) == []
    # indicators are compared in document order: a failed cast before a match is an error
    assert findings(allowance("yes</cbc:ChargeIndicator><cbc:ChargeIndicator>false", "FC")) == []
    assert findings(allowance("false</cbc:ChargeIndicator><cbc:ChargeIndicator>yes", "FC")) == [
        ("BR-CL-19", "fatal", where)
    ]


def test_exemption_reason_code_is_upper_cased_but_mime_code_is_verbatim() -> None:
    exempt = invoice().replace(
        b"<cbc:Percent>25</cbc:Percent>\n        <cac:TaxScheme>",
        b"<cbc:Percent>25</cbc:Percent><cbc:TaxExemptionReasonCode>vatex-eu-79-c"
        b"</cbc:TaxExemptionReasonCode>\n        <cac:TaxScheme>",
    )
    assert findings(exempt) == []
    attachment = (
        "<cac:AdditionalDocumentReference><cbc:ID>bilag</cbc:ID><cac:Attachment>"
        '<cbc:EmbeddedDocumentBinaryObject mimeCode="{}" filename="a.pdf">QQ=='
        "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
    )
    assert findings(invoice(references=attachment.format("application/pdf"))) == []
    assert findings(invoice(references=attachment.format(" application/pdf"))) == [
        (
            "BR-CL-24",
            "fatal",
            "/Invoice/cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        )
    ]


# ---------------------------------------------------------------------------- UBL-CR


def test_element_not_used_warns_once_on_the_document_element() -> None:
    data = invoice(header="<cbc:UUID>1</cbc:UUID><cbc:IssueTime>10:00:00</cbc:IssueTime>")
    assert findings(data) == [
        ("UBL-CR-005", "warning", "/Invoice"),
        ("UBL-CR-006", "warning", "/Invoice"),
    ]
    assert messages(data)["UBL-CR-005"] == "[UBL-CR-005]-A UBL invoice should not include the UUID"


def test_line_paths_apply_to_credit_note_lines_and_descendant_paths_anywhere() -> None:
    instance = (
        CLASSIFIED + "<cac:ItemInstance><cbc:LotNumberID>1</cbc:LotNumberID></cac:ItemInstance>"
    )
    assert findings(invoice(item=instance)) == [("UBL-CR-622", "warning", "/Invoice")]
    assert findings(credit_note(type_code="381", item=instance)) == [
        ("UBL-CR-622", "warning", "/CreditNote")
    ]
    deep = invoice(
        payment="<cac:PayeeFinancialAccount><cbc:ID>1</cbc:ID><cac:FinancialInstitutionBranch>"
        "<cbc:ID>2</cbc:ID><cac:FinancialInstitution><cbc:ID>3</cbc:ID></cac:FinancialInstitution>"
        "</cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount>"
    )
    assert findings(deep) == [("UBL-CR-664", "warning", "/Invoice")]


def test_scheme_id_on_the_invoice_number() -> None:
    data = invoice().replace(b"<cbc:ID>INV-1</cbc:ID>", b'<cbc:ID schemeID="X">INV-1</cbc:ID>')
    assert findings(data) == [("UBL-CR-650", "warning", "/Invoice")]


def test_ubl_version_must_be_2_1_when_present() -> None:
    assert findings(invoice(header="<cbc:UBLVersionID>2.1</cbc:UBLVersionID>")) == []
    assert findings(invoice(header="<cbc:UBLVersionID>2.0</cbc:UBLVersionID>")) == [
        ("UBL-CR-002", "warning", "/Invoice")
    ]


def test_payment_due_date_in_payment_means_is_for_invoices_only() -> None:
    due = "<cbc:PaymentDueDate>2026-02-01</cbc:PaymentDueDate>"
    assert findings(invoice(payment=due)) == [("UBL-CR-412", "warning", "/Invoice")]
    assert findings(credit_note(type_code="381", payment=due)) == []


def test_invoiced_object_reference_with_attachment_or_description() -> None:
    data = invoice(
        references=(
            '<cac:AdditionalDocumentReference><cbc:ID schemeID="AAA">1</cbc:ID>'
            "<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>"
            "<cbc:DocumentDescription>x</cbc:DocumentDescription><cac:Attachment/>"
            "</cac:AdditionalDocumentReference>"
        )
    )
    assert findings(data) == [
        ("UBL-CR-666", "fatal", "/Invoice"),
        ("UBL-CR-673", "fatal", "/Invoice"),
    ]
    other = invoice(
        references=(
            '<cac:AdditionalDocumentReference><cbc:ID schemeID="AAA">1</cbc:ID>'
            "<cbc:DocumentTypeCode>916</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>"
        )
    )
    assert findings(other) == [
        ("UBL-CR-665", "warning", "/Invoice"),
        ("UBL-SR-43", "fatal", "/Invoice/cac:AdditionalDocumentReference"),
    ]


def test_restriction_table_covers_every_ubl_cr_rule_once() -> None:
    ids = [row[0] for row in NOT_USED] + [
        "UBL-CR-002",
        "UBL-CR-412",
        "UBL-CR-665",
        "UBL-CR-666",
        "UBL-CR-673",
    ]
    assert len(ids) == len(set(ids)) == 678
    assert {flag for _, flag, _, _ in NOT_USED} == {"warning"}


# ---------------------------------------------------------------------------- UBL-SR


def test_two_invoice_periods_fire_once_on_the_document_element() -> None:
    period = "<cac:InvoicePeriod><cbc:StartDate>2026-01-01</cbc:StartDate></cac:InvoicePeriod>"
    assert findings(invoice(references=period)) == []
    assert findings(invoice(references=period * 2)) == [("UBL-SR-08", "fatal", "/Invoice")]
    assert messages(invoice(references=period * 2))["UBL-SR-08"] == (
        "[UBL-SR-08]-Invoice period shall occur maximum once"
    )


def test_line_needs_exactly_one_classified_tax_category() -> None:
    assert findings(invoice(item="")) == [("UBL-SR-48", "fatal", "/Invoice/cac:InvoiceLine")]
    assert findings(invoice(item=CLASSIFIED * 2)) == [
        ("UBL-SR-48", "fatal", "/Invoice/cac:InvoiceLine")
    ]


def test_payment_ids_and_means_codes_must_agree_across_payment_means() -> None:
    second = "</cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>{}</cbc:PaymentMeansCode><cbc:PaymentID>{}</cbc:PaymentID>"  # fmt: skip
    same = invoice(payment="<cbc:PaymentID>A</cbc:PaymentID>" + second.format("30", "A"))
    assert findings(same) == []
    different = invoice(payment="<cbc:PaymentID>A</cbc:PaymentID>" + second.format("31", "B"))
    assert findings(different) == [
        ("UBL-SR-44", "fatal", "/Invoice"),
        ("UBL-SR-47", "fatal", "/Invoice"),
    ]


def test_seller_vat_identifier_at_most_once() -> None:
    vat = "<cac:PartyTaxScheme><cbc:CompanyID>DK{}</cbc:CompanyID><cac:TaxScheme><cbc:ID>vat</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"  # fmt: skip
    assert findings(invoice(supplier_tax=vat.format(1))) == []
    assert findings(invoice(supplier_tax=vat.format(1) + vat.format(2))) == [
        ("UBL-SR-12", "fatal", "/Invoice")
    ]
    assert findings(invoice(supplier_tax=vat.format(1) * 3)) == [
        ("UBL-SR-12", "fatal", "/Invoice"),
        ("UBL-SR-42", "fatal", "/Invoice/cac:AccountingSupplierParty/cac:Party"),
    ]


def test_payee_party_without_a_name_fails_the_payee_rules() -> None:
    # (cac:PartyName/cbc:Name) != (../…/cbc:RegistrationName) is false for an empty sequence
    payee = invoice(parties="<cac:PayeeParty><cac:PartyIdentification><cbc:ID>1</cbc:ID></cac:PartyIdentification></cac:PayeeParty>")  # fmt: skip
    assert findings(payee) == [
        ("UBL-SR-19", "fatal", "/Invoice/cac:PayeeParty"),
        ("UBL-SR-20", "fatal", "/Invoice/cac:PayeeParty"),
        ("UBL-SR-21", "fatal", "/Invoice/cac:PayeeParty"),
    ]
    named = invoice(parties="<cac:PayeeParty><cac:PartyName><cbc:Name>Factor ApS</cbc:Name></cac:PartyName></cac:PayeeParty>")  # fmt: skip
    assert findings(named) == []


def test_preceding_invoice_reference_needs_its_number() -> None:
    data = invoice(
        references=(
            "<cac:BillingReference><cac:InvoiceDocumentReference>"
            "<cbc:IssueDate>2026-01-01</cbc:IssueDate>"
            "</cac:InvoiceDocumentReference></cac:BillingReference>"
        )
    )
    assert findings(data) == [("UBL-SR-07", "fatal", "/Invoice/cac:BillingReference")]


def test_scheme_id_on_supporting_document_only_for_invoiced_object() -> None:
    def reference(code: str) -> str:
        return (
            '<cac:AdditionalDocumentReference><cbc:ID schemeID="AAA">1</cbc:ID>'
            f"<cbc:DocumentTypeCode>{code}</cbc:DocumentTypeCode>"
            "</cac:AdditionalDocumentReference>"
        )

    assert findings(invoice(references=reference("130"))) == []
    assert findings(credit_note(type_code="381", references=reference("50"))) == [
        ("UBL-CR-665", "warning", "/CreditNote")
    ]
    assert findings(invoice(references=reference("50"))) == [
        ("UBL-CR-665", "warning", "/Invoice"),
        ("UBL-SR-43", "fatal", "/Invoice/cac:AdditionalDocumentReference"),
    ]


# ---------------------------------------------------------------------------- UBL-DT


def test_amounts_have_at_most_two_decimals_except_prices_and_price_discounts() -> None:
    assert findings(invoice(payable="125.001")) == [
        ("UBL-DT-01", "fatal", "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount")
    ]
    assert findings(invoice(price="99.12345")) == []
    discount = (
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        '<cbc:Amount currencyID="DKK">0.125</cbc:Amount>'
        '<cbc:BaseAmount currencyID="DKK">100.125</cbc:BaseAmount></cac:AllowanceCharge>'
    )
    assert findings(invoice(price_discount=discount)) == []
    # the trailing space is part of the string value, so it counts as a third character
    assert [r for r, _, _ in findings(invoice(payable="125.00 "))] == ["UBL-DT-01"]


def test_binary_object_needs_mime_code_and_file_name() -> None:
    data = invoice(
        references="<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cac:Attachment>"
        "<cbc:EmbeddedDocumentBinaryObject>QQ==</cbc:EmbeddedDocumentBinaryObject>"
        "</cac:Attachment></cac:AdditionalDocumentReference>"
    )
    where = "/Invoice/cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"  # fmt: skip
    assert findings(data) == [("UBL-DT-06", "fatal", where), ("UBL-DT-07", "fatal", where)]


def test_attributes_not_used_warn_once_anywhere() -> None:
    data = invoice(unit='EA" unitCodeListID="UNECERec20" listName="x')
    data = data.replace(b"<cbc:CityName>Aarhus", b'<cbc:CityName languageID="da">Aarhus')
    data = data.replace(b"<cbc:CityName>K", b'<cbc:CityName languageID="da">K')
    assert findings(data) == [
        ("UBL-CR-663", "warning", "/Invoice"),
        ("UBL-DT-17", "warning", "/Invoice"),
        ("UBL-DT-19", "warning", "/Invoice"),
    ]


def test_name_attribute_is_allowed_on_payment_means_code_only() -> None:
    named = invoice().replace(
        b"<cbc:PaymentMeansCode>", b'<cbc:PaymentMeansCode name="Kontooverfoersel">'
    )
    assert findings(named) == []
    stray = invoice().replace(b"<cbc:CityName>Aarhus", b'<cbc:CityName name="x">Aarhus')
    assert findings(stray) == [("UBL-DT-18", "warning", "/Invoice")]


# ---------------------------------------------------------------------------- order


def test_findings_come_pattern_by_pattern_in_document_order() -> None:
    data = invoice(
        header="<cbc:Note>#XYZ#</cbc:Note><cbc:UUID>1</cbc:UUID>",
        currency="XXXX",
        payable="1.001",
        item="",
    )
    assert [rule for rule, _, _ in findings(data)] == [
        "BR-CL-08",  # pattern UBL-model
        "UBL-CR-005",  # pattern UBL-syntax: the document element first
        "UBL-DT-01",
        "UBL-SR-48",
        "BR-CL-04",  # pattern Codesmodel
    ]


@pytest.mark.parametrize("tag", ["comment", "pi"])
def test_comments_and_processing_instructions_are_ignored(tag: str) -> None:
    root = parse(invoice())
    node = etree.Comment("x") if tag == "comment" else etree.ProcessingInstruction("x", "y")
    root.insert(0, node)
    assert syntax.check(root) == []


def test_seller_tax_scheme_without_id_counts_as_a_tax_registration() -> None:
    # cac:TaxScheme/upper-case(cbc:ID) != 'VAT' holds when the TaxScheme has no ID ("")
    scheme = "<cac:PartyTaxScheme><cbc:CompanyID>{}</cbc:CompanyID><cac:TaxScheme>{}</cac:TaxScheme></cac:PartyTaxScheme>"  # fmt: skip
    data = invoice(supplier_tax=scheme.format("A", "") + scheme.format("B", "<cbc:ID>TAX</cbc:ID>"))
    assert findings(data) == [
        ("UBL-SR-13", "fatal", "/Invoice"),
        (
            "UBL-SR-53",
            "fatal",
            "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[1]",
        ),
    ]


def test_every_rule_of_the_families_has_the_official_id_flag_and_message() -> None:
    data = require_shared()
    with (data / "rules" / "index.csv").open(encoding="utf-8") as index:
        official = {
            row["id"]: (row["flag"], row["message"])
            for row in csv.DictReader(index)
            if row["rule_set"] == "cen-ubl" and row["id"].startswith(("BR-CL-", "UBL-"))
        }
    ours = {v.id: (v.flag, v.message) for v in vars(syntax_rules).values() if isinstance(v, Rule)}
    ours |= {
        rule.id: (rule.flag, rule.message) for rule in syntax_rules.ATTRIBUTES_NOT_USED.values()
    }
    ours |= {rule.id: (rule.flag, rule.message) for rule, _ in syntax_rules.MAX_ONCE}
    ours |= {rule: (flag, f"[{rule}]-{text}") for rule, flag, _, text in NOT_USED}
    assert len(official) == 779
    assert ours == official
