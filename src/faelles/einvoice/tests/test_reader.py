"""Reading Peppol BIS 3 and OIOUBL 2.1 into the EN 16931 model, and writing it back."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from faelles.einvoice.model import (
    FIK,
    Attachment,
    FinancialAccount,
    Giro,
    Identifier,
    PaymentMeans,
)
from faelles.einvoice.profiles import PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE
from faelles.einvoice.reader import read
from faelles.einvoice.tests import builders
from faelles.einvoice.tests.conftest import require_shared
from faelles.einvoice.validate import read_and_validate, validate_bytes
from faelles.einvoice.writer import to_ubl
from faelles.einvoice.xml import ReadError

OIOUBL_INVOICE = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:UBLVersionID>2.0</cbc:UBLVersionID>
 <cbc:CustomizationID>OIOUBL-2.1</cbc:CustomizationID>
 <cbc:ProfileID schemeAgencyID="320" schemeID="urn:oioubl:id:profileid-1.2"
  >Procurement-BilSim-1.0</cbc:ProfileID>
 <cbc:ID>F-77</cbc:ID>
 <cbc:IssueDate>2026-11-02</cbc:IssueDate>
 <cbc:InvoiceTypeCode listAgencyID="320"
  listID="urn:oioubl:codelist:invoicetypecode-1.1">380</cbc:InvoiceTypeCode>
 <cbc:Note>Tak for handlen</cbc:Note>
 <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
 <cac:OrderReference><cbc:ID>PO-9</cbc:ID><cbc:IssueDate>2026-10-01</cbc:IssueDate>
 </cac:OrderReference>
 <cac:AccountingSupplierParty><cac:Party>
  <cbc:EndpointID schemeID="DK:CVR">DK12345674</cbc:EndpointID>
  <cac:PartyIdentification><cbc:ID schemeID="DK:CVR">DK12345674</cbc:ID></cac:PartyIdentification>
  <cac:PartyName><cbc:Name>Leverandøren</cbc:Name></cac:PartyName>
  <cac:PostalAddress>
   <cbc:AddressFormatCode listAgencyID="320"
    listID="urn:oioubl:codelist:addressformatcode-1.1">StructuredDK</cbc:AddressFormatCode>
   <cbc:StreetName>Vejen</cbc:StreetName><cbc:BuildingNumber>7</cbc:BuildingNumber>
   <cbc:CityName>Aarhus C</cbc:CityName><cbc:PostalZone>8000</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>DK</cbc:IdentificationCode></cac:Country>
  </cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID schemeID="DK:SE">DK12345674</cbc:CompanyID>
   <cac:TaxScheme><cbc:ID schemeAgencyID="320" schemeID="urn:oioubl:id:taxschemeid-1.1">63</cbc:ID>
   <cbc:Name>Moms</cbc:Name></cac:TaxScheme></cac:PartyTaxScheme>
  <cac:PartyLegalEntity><cbc:RegistrationName>Leverandøren A/S</cbc:RegistrationName>
   <cbc:CompanyID schemeID="DK:CVR">DK12345674</cbc:CompanyID></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party>
  <cbc:EndpointID schemeAgencyID="9" schemeID="GLN">5798009811578</cbc:EndpointID>
  <cac:PartyIdentification><cbc:ID schemeAgencyID="9" schemeID="GLN">5798009811578</cbc:ID>
  </cac:PartyIdentification>
  <cac:PartyName><cbc:Name>Styrelsen</cbc:Name></cac:PartyName>
  <cac:PostalAddress><cbc:StreetName>Torvet</cbc:StreetName><cbc:BuildingNumber>1</cbc:BuildingNumber>
   <cbc:CityName>København K</cbc:CityName><cbc:PostalZone>1000</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>DK</cbc:IdentificationCode></cac:Country>
  </cac:PostalAddress>
  <cac:Contact><cbc:ID>ref-4711</cbc:ID><cbc:Name>Hans Hansen</cbc:Name></cac:Contact>
 </cac:Party></cac:AccountingCustomerParty>
 <cac:PaymentMeans>
  <cbc:ID>1</cbc:ID><cbc:PaymentMeansCode>93</cbc:PaymentMeansCode>
  <cbc:PaymentDueDate>2026-12-02</cbc:PaymentDueDate>
  <cbc:PaymentChannelCode listAgencyID="320"
   listID="urn:oioubl:codelist:paymentchannelcode-1.1">DK:FIK</cbc:PaymentChannelCode>
  <cbc:InstructionID>000000000012345</cbc:InstructionID>
  <cbc:PaymentID schemeAgencyID="320" schemeID="urn:oioubl:id:paymentid-1.1">71</cbc:PaymentID>
  <cac:CreditAccount><cbc:AccountID>87654321</cbc:AccountID></cac:CreditAccount>
 </cac:PaymentMeans>
 <cac:PaymentMeans>
  <cbc:ID>2</cbc:ID><cbc:PaymentMeansCode>50</cbc:PaymentMeansCode>
  <cbc:PaymentChannelCode>DK:GIRO</cbc:PaymentChannelCode>
  <cbc:InstructionID>1234567890123456</cbc:InstructionID>
  <cbc:PaymentID>04</cbc:PaymentID>
  <cac:PayeeFinancialAccount><cbc:ID>1234567</cbc:ID></cac:PayeeFinancialAccount>
 </cac:PaymentMeans>
 <cac:PaymentMeans>
  <cbc:ID>3</cbc:ID><cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>
  <cbc:PaymentChannelCode>IBAN</cbc:PaymentChannelCode>
  <cac:PayeeFinancialAccount><cbc:ID>DK5000400440116243</cbc:ID>
   <cac:FinancialInstitutionBranch><cac:FinancialInstitution><cbc:ID>DABADKKK</cbc:ID>
   </cac:FinancialInstitution></cac:FinancialInstitutionBranch>
  </cac:PayeeFinancialAccount>
 </cac:PaymentMeans>
 <cac:AllowanceCharge>
  <cbc:ID>1</cbc:ID><cbc:ChargeIndicator>true</cbc:ChargeIndicator>
  <cbc:AllowanceChargeReason>Fragt</cbc:AllowanceChargeReason>
  <cbc:Amount currencyID="DKK">100.00</cbc:Amount>
  <cac:TaxCategory><cbc:ID schemeID="urn:oioubl:id:taxcategoryid-1.1">StandardRated</cbc:ID>
   <cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>63</cbc:ID></cac:TaxScheme></cac:TaxCategory>
 </cac:AllowanceCharge>
 <cac:TaxTotal>
  <cbc:TaxAmount currencyID="DKK">285.00</cbc:TaxAmount>
  <cac:TaxSubtotal><cbc:TaxableAmount currencyID="DKK">1100.00</cbc:TaxableAmount>
   <cbc:TaxAmount currencyID="DKK">275.00</cbc:TaxAmount>
   <cac:TaxCategory><cbc:ID>StandardRated</cbc:ID><cbc:Percent>25</cbc:Percent>
   <cac:TaxScheme><cbc:ID>63</cbc:ID><cbc:Name>Moms</cbc:Name></cac:TaxScheme></cac:TaxCategory>
  </cac:TaxSubtotal>
  <cac:TaxSubtotal><cbc:TaxableAmount currencyID="DKK">1000.00</cbc:TaxableAmount>
   <cbc:TaxAmount currencyID="DKK">10.00</cbc:TaxAmount>
   <cac:TaxCategory><cbc:ID>3010</cbc:ID>
   <cac:TaxScheme><cbc:ID>9</cbc:ID><cbc:Name>Afgift</cbc:Name></cac:TaxScheme></cac:TaxCategory>
  </cac:TaxSubtotal>
 </cac:TaxTotal>
 <cac:LegalMonetaryTotal>
  <cbc:LineExtensionAmount currencyID="DKK">1000.00</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="DKK">285.00</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="DKK">1385.00</cbc:TaxInclusiveAmount>
  <cbc:ChargeTotalAmount currencyID="DKK">100.00</cbc:ChargeTotalAmount>
  <cbc:PayableAmount currencyID="DKK">1385.00</cbc:PayableAmount>
 </cac:LegalMonetaryTotal>
 <cac:InvoiceLine>
  <cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="EA">4</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="DKK">1000.00</cbc:LineExtensionAmount>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">250.00</cbc:TaxAmount>
   <cac:TaxSubtotal><cbc:TaxableAmount currencyID="DKK">1000.00</cbc:TaxableAmount>
   <cbc:TaxAmount currencyID="DKK">250.00</cbc:TaxAmount>
   <cac:TaxCategory><cbc:ID>StandardRated</cbc:ID><cbc:Percent>25</cbc:Percent>
   <cac:TaxScheme><cbc:ID>63</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:Item><cbc:Description>Printerpapir A4</cbc:Description><cbc:Name>Papir</cbc:Name>
   <cac:StandardItemIdentification><cbc:ID schemeID="GTIN">5712345780121</cbc:ID>
   </cac:StandardItemIdentification>
   <cac:CommodityClassification><cbc:ItemClassificationCode listID="UNSPSC"
    listVersionID="19.05.01">14111507</cbc:ItemClassificationCode></cac:CommodityClassification>
  </cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="DKK">250.00</cbc:PriceAmount>
   <cbc:BaseQuantity unitCode="EA">1</cbc:BaseQuantity></cac:Price>
 </cac:InvoiceLine>
</Invoice>
"""


def test_oioubl_invoice_is_detected_with_its_profile() -> None:
    doc = read(OIOUBL_INVOICE.encode())

    assert doc.profile.syntax == "oioubl"
    assert doc.profile.document == "Invoice"
    assert doc.profile.profile_id == "Procurement-BilSim-1.0"
    assert doc.profile.known_profile is True
    assert doc.profile.rule_sets == ("oioubl",)


def test_oioubl_header_maps_to_en16931_terms() -> None:
    doc = read(OIOUBL_INVOICE.encode())

    assert (doc.number, doc.issue_date, doc.type_code, doc.currency) == (
        "F-77",
        date(2026, 11, 2),
        "380",
        "DKK",
    )
    assert doc.due_date == date(2026, 12, 2)
    assert doc.buyer_reference == "ref-4711"
    assert doc.order_reference == "PO-9"
    assert doc.notes == ("Tak for handlen",)


def test_oioubl_parties_get_iso6523_schemes() -> None:
    doc = read(OIOUBL_INVOICE.encode())

    assert doc.seller.endpoint == Identifier("12345674", "0184")
    assert doc.seller.legal_id == Identifier("12345674", "0184")
    assert doc.seller.vat_id == "DK12345674"
    assert doc.seller.cvr == "12345674"
    assert doc.seller.name == "Leverandøren A/S"
    assert doc.seller.address is not None and doc.seller.address.street == "Vejen 7"
    assert doc.buyer.endpoint == Identifier("5798009811578", "0088")
    assert doc.buyer.gln == "5798009811578"
    assert doc.buyer.name == "Styrelsen"


def test_oioubl_fik_giro_and_iban_payment_means() -> None:
    fik, giro, iban = read(OIOUBL_INVOICE.encode()).payment_means

    assert fik == PaymentMeans(
        code="93", payment_id="71#000000000012345", account=FinancialAccount("87654321")
    )
    assert fik.fik == FIK("71", "000000000012345", "87654321")
    assert giro.giro == Giro("04", "1234567890123456", "1234567")
    assert iban.iban == "DK5000400440116243"
    assert iban.account == FinancialAccount("DK5000400440116243", branch_id="DABADKKK")


def test_oioubl_totals_use_en16931_tax_exclusive_and_vat_only() -> None:
    doc = read(OIOUBL_INVOICE.encode())

    assert doc.totals.tax_exclusive == Decimal("1100.00")
    assert doc.totals.tax == Decimal("275.00")
    assert doc.totals.charge_total == Decimal("100.00")
    assert [(b.category, b.rate, b.taxable_amount) for b in doc.vat_breakdown] == [
        ("S", Decimal("25"), Decimal("1100.00"))
    ]
    assert doc.allowances_charges[0].vat_category == "S"


def test_oioubl_line_takes_vat_from_line_tax_total() -> None:
    (line,) = read(OIOUBL_INVOICE.encode()).lines

    assert (line.item.vat_category, line.item.vat_rate) == ("S", Decimal("25"))
    assert line.item.standard_id == Identifier("5712345780121", "0160")
    assert line.item.classifications[0].list_id == "TST"
    assert (line.quantity, line.unit, line.price.net) == (Decimal("4"), "EA", Decimal("250.00"))


def test_oioubl_converts_to_peppol_and_reads_back_equal() -> None:
    doc = read(OIOUBL_INVOICE.encode())

    converted = read(to_ubl(doc))

    assert converted.profile.syntax == "peppol"
    assert converted.profile.customization_id == PEPPOL_CUSTOMIZATION
    assert converted.profile.profile_id == PEPPOL_PROFILE
    assert dataclasses.replace(converted, profile=doc.profile) == doc


def test_built_invoice_round_trips() -> None:
    doc = builders.invoice(5, fik=True)

    assert read(to_ubl(doc)) == doc


def test_built_credit_note_round_trips_with_due_date_on_payment_means() -> None:
    invoice = builders.invoice(2)
    doc = dataclasses.replace(
        invoice,
        profile=dataclasses.replace(invoice.profile, document="CreditNote"),
        type_code="381",
    )

    data = to_ubl(doc)

    assert b"<cbc:PaymentDueDate>2026-12-02</cbc:PaymentDueDate>" in data
    assert b"<cac:CreditNoteLine>" in data
    assert read(data) == doc


def test_unreadable_amount_names_its_location() -> None:
    data = OIOUBL_INVOICE.replace(
        '<cbc:PayableAmount currencyID="DKK">1385.00', '<cbc:PayableAmount currencyID="DKK">12,5'
    ).encode()

    with pytest.raises(ReadError, match=r"LegalMonetaryTotal/cbc:PayableAmount: '12,5' is not a"):
        read(data)


def test_unreadable_date_names_its_location() -> None:
    data = OIOUBL_INVOICE.replace("<cbc:IssueDate>2026-11-02", "<cbc:IssueDate>2.11.2026").encode()

    with pytest.raises(ReadError, match=r"/Invoice/cbc:IssueDate: '2.11.2026' is not a date"):
        read(data)


def test_attachment_payload_is_kept_once_and_measured_without_decoding() -> None:
    doc = builders.invoice(1)

    with_pdf = dataclasses.replace(
        doc,
        attachments=(
            Attachment(
                "A1",
                "Timeseddel",
                mime_code="application/pdf",
                filename="t.pdf",
                content_base64="JVBERi0xLjQK",
            ),
        ),
    )

    back = read(to_ubl(with_pdf))
    meta_only = read(to_ubl(with_pdf), attachments=False)

    assert back == with_pdf
    assert back.attachments[0].size == 9
    assert back.attachments[0].content() == b"%PDF-1.4\n"
    assert meta_only.attachments[0].content_base64 is None
    assert meta_only.attachments[0].filename == "t.pdf"


def test_shared_peppol_example_reads_its_terms() -> None:
    data_dir = require_shared()
    doc = read((data_dir / "examples" / "peppol" / "base-example.xml").read_bytes())

    assert doc.profile.syntax == "peppol"
    assert doc.number == "Snippet1"
    assert doc.totals.payable == Decimal("1656.25")
    assert doc.allowances_charges[0].charge is True
    assert [ln.net_amount for ln in doc.lines] == [Decimal("2800"), Decimal("-1500")]
    assert doc.payment_means[0].account == FinancialAccount(
        "IBAN32423940", "AccountName", "BIC324098"
    )
    assert read(to_ubl(doc)) == doc


@pytest.mark.parametrize("name", ["OIOUBL_Invoice_v2p2.xml", "OIOUBL_CreditNote_v2p2.xml"])
def test_shared_oioubl_example_converts_to_valid_peppol(name: str) -> None:
    data_dir = require_shared()
    doc = read((data_dir / "examples" / "oioubl" / name).read_bytes())

    result = validate_bytes(to_ubl(doc))

    assert result.profile.rule_sets == ("cen-ubl", "peppol-ubl")
    assert [f"{f.rule} at {f.location}" for f in result.findings if f.is_fatal] == []


def test_read_and_validate_uses_one_parse_for_both() -> None:
    doc = builders.invoice(2)

    read_back, result = read_and_validate(to_ubl(doc))

    assert read_back == doc
    assert result.profile == doc.profile
    assert result.valid is True
