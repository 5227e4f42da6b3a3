"""OIOUBL rules, one minimal change at a time.

There is no official unit suite for OIOUBL, so each case takes a published example (which has
no finding at all), applies one small change with lxml, and asserts exactly which rule ids
fire. Every pattern of the Invoice and CreditNote schematron has at least one case, and every
arithmetic and total rule has one.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from faelles.einvoice.rules.oioubl import RULE_SET
from faelles.einvoice.rules.oioubl.nodes import CodeList, fmt, gc, listed, nstr, num
from faelles.einvoice.tests.conftest import EINVOICE_DATA, require_shared
from faelles.einvoice.xml import CAC, CBC, EXT, NS, parse

Change = Callable[[etree._Element], None]

INVOICE = "OIOUBL_Invoice_v2p2.xml"
CREDIT_NOTE = "OIOUBL_CreditNote_v2p2.xml"
EXTENSIONS = "OIOUBL_Invoice_UBLExtensions_v2p2.xml"
_PREFIXES = {"cac": CAC, "cbc": CBC, "ext": EXT}


@cache
def _example(name: str) -> etree._Element:
    return parse((EINVOICE_DATA / "examples" / "oioubl" / name).read_bytes())


def _fired(root: etree._Element) -> set[str]:
    return {f.rule for f in RULE_SET.check(root)}


def _find(root: etree._Element, path: str) -> etree._Element:
    if path == ".":
        return root
    found = root.find(path, NS)
    assert found is not None, path
    return found


def _element(name: str, text: str | None = None, **attrs: str) -> etree._Element:
    prefix, local = name.split(":")
    el = etree.Element(f"{{{_PREFIXES[prefix]}}}{local}", attrs)
    el.text = text
    return el


def text(path: str, value: str) -> Change:
    def change(root: etree._Element) -> None:
        _find(root, path).text = value

    return change


def attr(path: str, name: str, value: str | None) -> Change:
    def change(root: etree._Element) -> None:
        el = _find(root, path)
        if value is None:
            del el.attrib[name]
        else:
            el.set(name, value)

    return change


def remove(path: str) -> Change:
    def change(root: etree._Element) -> None:
        el = _find(root, path)
        parent = el.getparent()
        assert parent is not None
        parent.remove(el)

    return change


def add(path: str, xml: str, index: int | None = None) -> Change:
    """Add ``xml`` (one element, prefixes cac/cbc/ext) as a child of ``path``."""

    def change(root: etree._Element) -> None:
        decl = " ".join(f'xmlns:{p}="{uri}"' for p, uri in _PREFIXES.items())
        wrapper = etree.fromstring(f"<w {decl}>{xml}</w>")
        parent = _find(root, path)
        for el in list(wrapper):
            if index is None:
                parent.append(el)
            else:
                parent.insert(index, el)

    return change


# Paths used often.
LMT = "cac:LegalMonetaryTotal"
SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "cac:AccountingCustomerParty/cac:Party"
PM = "cac:PaymentMeans"
HEADER_SUBTOTAL = "cac:TaxTotal/cac:TaxSubtotal"
LINE1 = "cac:InvoiceLine[1]"
LINE1_SUBTOTAL = LINE1 + "/cac:TaxTotal/cac:TaxSubtotal"
CN_LINE1 = "cac:CreditNoteLine[1]"
ADDRESS = SUPPLIER + "/cac:PostalAddress"
TAX_SCHEME = SUPPLIER + "/cac:PartyTaxScheme/cac:TaxScheme"
PRICING_RATE_MULTIPLY = (
    "<cac:PricingExchangeRate><cbc:SourceCurrencyCode>DKK</cbc:SourceCurrencyCode>"
    "<cbc:TargetCurrencyCode>EUR</cbc:TargetCurrencyCode>"
    "<cbc:CalculationRate>2.0000</cbc:CalculationRate>"
    "<cbc:MathematicOperatorCode>multiply</cbc:MathematicOperatorCode></cac:PricingExchangeRate>"
)
PRICING_RATE_DIVIDE = PRICING_RATE_MULTIPLY.replace("multiply", "divide")
ALLOWANCE = (
    "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
    '<cbc:Amount currencyID="DKK">50.00</cbc:Amount>'
    "<cac:TaxCategory>"
    '<cbc:ID schemeAgencyID="320" schemeID="urn:oioubl:id:taxcategoryid-1.1">StandardRated</cbc:ID>'
    "<cbc:Percent>25</cbc:Percent><cac:TaxScheme>"
    '<cbc:ID schemeAgencyID="320" schemeID="urn:oioubl:id:taxschemeid-1.1">63</cbc:ID>'
    "<cbc:Name>Moms</cbc:Name></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>"
)
SECOND_PAYMENT_TERMS = (
    '<cac:PaymentTerms><cbc:ID>2</cbc:ID><cbc:Amount currencyID="DKK">1.00</cbc:Amount>'
    "</cac:PaymentTerms>"
)


def case(
    rules: str | set[str], *changes: Change, example: str = INVOICE, label: str = ""
) -> object:
    expected = {rules} if isinstance(rules, str) else rules
    name = label or ",".join(sorted(expected))
    return pytest.param(example, changes, expected, id=name)


CASES = [
    # profile, UBL version, customization, extensions
    case("F-LIB001", text("cbc:UBLVersionID", "2.2")),
    case("F-LIB002", text("cbc:CustomizationID", "OIOUBL-2.3")),
    case("W-LIB003", attr("cbc:ProfileID", "schemeID", "urn:oioubl:id:profileid-9")),
    case("W-LIB203", attr("cbc:ProfileID", "schemeAgencyID", "9")),
    case("F-LIB302", text("cbc:ProfileID", "Procurement-Unknown-1.0")),
    case(
        "F-LIB328",
        text("cbc:ProfileID", "Procurement-OrdRes-1.0"),
        attr("cbc:ProfileID", "schemeID", "urn:oioubl:id:profileid-1.6"),
    ),
    case(
        "F-INV002",
        text("cbc:ProfileID", "Procurement-OrdSimR-BilSim-1.0"),
        remove("cac:OrderReference"),
        remove(LINE1 + "/cac:OrderLineReference"),
        remove("cac:InvoiceLine[2]/cac:OrderLineReference"),
    ),
    case(
        "F-LIB313",
        text("ext:UBLExtensions/ext:UBLExtension/cbc:ID", "0999"),
        example=EXTENSIONS,
    ),
    # invoice header
    case(
        {"F-INV007", "F-INV012", "F-INV013", "F-INV014", "F-LIB298"},
        text("cbc:DocumentCurrencyCode", ""),
    ),
    case("F-INV009", text("cbc:ID", " ")),
    case("F-LIB021", add(".", "<cbc:AccountingCostCode>1</cbc:AccountingCostCode>")),
    case(
        "F-INV004",
        add(
            ".", "<cac:InvoicePeriod><cbc:StartDate>2005-11-01</cbc:StartDate></cac:InvoicePeriod>"
        ),
        add(
            ".", "<cac:InvoicePeriod><cbc:StartDate>2005-11-02</cbc:StartDate></cac:InvoicePeriod>"
        ),
    ),
    case("F-LIB006", text("cbc:UUID", "9756b4d0")),
    case("W-INV010", attr("cbc:InvoiceTypeCode", "listID", "urn:oioubl:codelist:other")),
    case("W-INV005", attr("cbc:InvoiceTypeCode", "listAgencyID", "6")),
    case("F-INV011", text("cbc:InvoiceTypeCode", "390")),
    case(
        "F-INV337",
        text("cbc:InvoiceTypeCode", "999"),
        attr("cbc:InvoiceTypeCode", "listID", "urn:oioubl:codelist:invoicetypecode-1.2"),
    ),
    case(
        "W-LIB011",
        add(".", "<cbc:Note>a</cbc:Note>", 6),
        add(".", "<cbc:Note>b</cbc:Note>", 6),
    ),
    case(
        "W-LIB012",
        add(".", '<cbc:Note languageID="da">a</cbc:Note>', 6),
        add(".", '<cbc:Note languageID="da">b</cbc:Note>', 6),
    ),
    case(
        {"F-INV012", "F-LIB296"},
        attr(LINE1 + "/cbc:LineExtensionAmount", "currencyID", "EUR"),
        attr("cbc:DocumentCurrencyCode", "listID", "ISO 4217"),
    ),
    case("F-INV013", attr(LMT + "/cbc:LineExtensionAmount", "currencyID", "EUR")),
    case("F-INV014", attr(LMT + "/cbc:PayableAmount", "currencyID", "EUR")),
    case(
        {"F-INV012", "F-INV013", "F-INV014", "F-LIB298", "F-LIB403"},
        text("cbc:DocumentCurrencyCode", "XXX"),
        attr(LINE1 + "/cbc:LineExtensionAmount", "currencyID", "XXX"),
        label="F-LIB298-and-F-LIB403",
    ),
    case(
        {"F-INV012", "F-INV013", "F-INV014", "F-LIB298"},
        text("cbc:DocumentCurrencyCode", "XXY"),
        label="F-LIB298",
    ),
    case(
        {"F-INV014", "F-LIB403"},
        attr(LMT + "/cbc:PayableAmount", "currencyID", "XXY"),
        label="F-LIB403",
    ),
    case("F-LIB403", attr("cac:PaymentTerms/cbc:Amount", "currencyID", "XXY")),
    case(
        {"F-INV016", "F-INV018"},
        add(".", "<cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>", 10),
    ),
    case(
        {"F-INV019", "F-INV020"},
        add(".", "<cbc:PricingCurrencyCode>EUR</cbc:PricingCurrencyCode>", 10),
    ),
    case("F-INV021", add(".", "<cbc:PaymentCurrencyCode>DKK</cbc:PaymentCurrencyCode>", 10)),
    case(
        "F-INV022",
        add(
            ".", "<cbc:PaymentAlternativeCurrencyCode>DKK</cbc:PaymentAlternativeCurrencyCode>", 10
        ),
    ),
    # invoice period and other periods
    case(
        "F-LIB080",
        add(
            ".",
            "<cac:InvoicePeriod><cbc:StartDate>2005-11-02</cbc:StartDate>"
            "<cbc:EndDate>2005-11-01</cbc:EndDate></cac:InvoicePeriod>",
        ),
    ),
    case(
        "F-LIB078",
        add(".", "<cac:InvoicePeriod><cbc:StartTime>10:00:00</cbc:StartTime></cac:InvoicePeriod>"),
    ),
    case(
        "W-LIB222",
        add(
            ".",
            "<cac:InvoicePeriod><cbc:Description>a</cbc:Description>"
            "<cbc:Description>b</cbc:Description></cac:InvoicePeriod>",
        ),
    ),
    # references
    case("F-INV024", text("cac:OrderReference/cbc:ID", "")),
    case(
        "F-INV025",
        add(
            ".",
            "<cac:BillingReference><cac:DebitNoteDocumentReference><cbc:ID>1</cbc:ID>"
            "</cac:DebitNoteDocumentReference></cac:BillingReference>",
        ),
    ),
    case(
        "F-LIB172",
        add(
            ".",
            "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>1</cbc:ID>"
            "<cbc:DocumentTypeCode>380</cbc:DocumentTypeCode></cac:InvoiceDocumentReference>"
            "</cac:BillingReference>",
        ),
    ),
    case(
        "F-LIB173",
        add(
            ".",
            "<cac:DespatchDocumentReference><cbc:ID>1</cbc:ID><cbc:UUID>1</cbc:UUID>"
            "</cac:DespatchDocumentReference>",
            11,
        ),
    ),
    case(
        "F-LIB170",
        add(
            ".",
            "<cac:ContractDocumentReference><cbc:ID>1</cbc:ID>"
            "<cbc:DocumentType>x</cbc:DocumentType></cac:ContractDocumentReference>",
            11,
        ),
    ),
    case(
        "F-LIB096",
        add(
            ".",
            "<cac:ReceiptDocumentReference><cbc:ID>1</cbc:ID><cac:Attachment>"
            "<cac:ExternalReference/></cac:Attachment></cac:ReceiptDocumentReference>",
            11,
        ),
    ),
    case(
        "F-LIB171",
        add(
            ".",
            "<cac:OriginatorDocumentReference><cbc:ID>1</cbc:ID><cac:Attachment>"
            '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">AA==</cbc:EmbeddedDocumentBinaryObject>'
            "<cac:ExternalReference><cbc:URI>x</cbc:URI></cac:ExternalReference></cac:Attachment>"
            "</cac:OriginatorDocumentReference>",
            11,
        ),
    ),
    case(
        "F-LIB092",
        add(
            ".",
            "<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID></cac:AdditionalDocumentReference>",
            11,
        ),
    ),
    case(
        "F-LIB098",
        add(
            ".",
            "<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cbc:DocumentType>x</cbc:DocumentType>"
            '<cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="image/bmp">AA==</cbc:EmbeddedDocumentBinaryObject>'
            "</cac:Attachment></cac:AdditionalDocumentReference>",
            11,
        ),
    ),
    case(
        "F-LIB335",
        add(
            ".",
            "<cac:AdditionalDocumentReference><cbc:ID>3</cbc:ID>"
            "<cbc:DocumentTypeCode>PersonalSecure</cbc:DocumentTypeCode>"
            "</cac:AdditionalDocumentReference>",
            11,
        ),
    ),
    # signature
    case(
        {"F-INV027", "F-LIB022"},
        add(".", "<cac:Signature><cbc:ID/><cac:SignatoryParty/></cac:Signature>", 11),
    ),
    case(
        "F-LIB285",
        add(
            ".",
            "<cac:Signature><cbc:ID>1</cbc:ID><cac:DigitalSignatureAttachment>"
            '<cbc:EmbeddedDocumentBinaryObject mimeCode="image/bmp">AA==</cbc:EmbeddedDocumentBinaryObject>'
            "</cac:DigitalSignatureAttachment></cac:Signature>",
            11,
        ),
    ),
    # supplier party and the common party rules
    case(
        "F-INV029",
        add(
            "cac:AccountingSupplierParty",
            "<cbc:DataSendingCapability>x</cbc:DataSendingCapability>",
            0,
        ),
    ),
    case({"F-INV031", "F-LIB180"}, text(SUPPLIER + "/cbc:EndpointID", "")),
    case(
        "F-LIB186",
        add(SUPPLIER + "/cac:PartyLegalEntity", "<cac:CorporateRegistrationScheme/>"),
        label="F-LIB186",
    ),
    case("F-LIB186", add(SUPPLIER + "/cac:PartyLegalEntity", "<cac:CorporateRegistrationScheme/>")),
    case(
        {"F-LIB187", "F-LIB189"},
        remove(SUPPLIER + "/cac:PartyLegalEntity/cbc:CompanyID"),
        label="F-LIB187",
    ),
    case("F-INV034", remove(SUPPLIER + "/cac:PartyLegalEntity")),
    case("F-LIB166", add(SUPPLIER, "<cbc:MarkCareIndicator>false</cbc:MarkCareIndicator>", 0)),
    case("F-LIB180", text(SUPPLIER + "/cbc:EndpointID", "16356706")),
    case("F-LIB179", attr(SUPPLIER + "/cbc:EndpointID", "schemeID", "XX:NOPE")),
    case("F-LIB181", text(CUSTOMER + "/cbc:EndpointID", "57980098")),
    case("F-LIB184", text(SUPPLIER + "/cac:PartyIdentification/cbc:ID", "DK163567")),
    case("F-LIB183", attr(SUPPLIER + "/cac:PartyIdentification/cbc:ID", "schemeID", "XX")),
    case("F-LIB185", text(CUSTOMER + "/cac:PartyIdentification/cbc:ID", "579800")),
    case(
        {"W-LIB219"},
        add(SUPPLIER, "<cac:PartyName><cbc:Name>Other</cbc:Name></cac:PartyName>", 3),
    ),
    case("F-LIB190", text(SUPPLIER + "/cac:PartyLegalEntity/cbc:CompanyID", "16356706")),
    case("F-LIB189", attr(SUPPLIER + "/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "DK:SE")),
    case("F-LIB196", text(SUPPLIER + "/cac:PartyTaxScheme/cbc:CompanyID", "16356706")),
    case("F-LIB195", attr(SUPPLIER + "/cac:PartyTaxScheme/cbc:CompanyID", "schemeID", "DK:CVR")),
    case(
        "F-LIB192",
        add(SUPPLIER + "/cac:PartyTaxScheme", "<cbc:TaxLevelCode>1</cbc:TaxLevelCode>", 1),
    ),
    case("F-LIB235", add(SUPPLIER, "<cac:Contact/>")),
    case("F-LIB024", add(SUPPLIER, "<cac:Person><cbc:MiddleName>x</cbc:MiddleName></cac:Person>")),
    # addresses
    case("F-LIB210", add(ADDRESS, "<cbc:BlockName>x</cbc:BlockName>")),
    case({"F-LIB025", "F-LIB027"}, text(ADDRESS + "/cbc:AddressFormatCode", " ")),
    case("F-LIB026", attr(ADDRESS + "/cbc:AddressFormatCode", "listID", "x")),
    case("F-LIB027", text(ADDRESS + "/cbc:AddressFormatCode", "Structured")),
    case("F-LIB033", remove(ADDRESS + "/cbc:PostalZone")),
    case("F-LIB034", remove(ADDRESS + "/cbc:StreetName")),
    case("F-LIB035", remove(ADDRESS + "/cbc:BuildingNumber")),
    case("F-LIB032", add(ADDRESS, "<cac:AddressLine><cbc:Line>x</cbc:Line></cac:AddressLine>")),
    case("F-LIB031", text(ADDRESS + "/cbc:AddressFormatCode", "Unstructured")),
    case({"F-LIB037", "F-LIB038"}, text(ADDRESS + "/cbc:AddressFormatCode", "StructuredID")),
    case("F-LIB040", text(ADDRESS + "/cbc:AddressFormatCode", "StructuredRegion")),
    case("F-LIB301", text(ADDRESS + "/cac:Country/cbc:IdentificationCode", "XX")),
    case({"F-LIB213", "F-LIB301"}, text(ADDRESS + "/cac:Country/cbc:IdentificationCode", "")),
    case({"F-LIB028", "F-LIB029"}, add(ADDRESS, "<cbc:ID>1</cbc:ID>", 0)),
    case(
        "F-LIB204",
        add(ADDRESS, '<cbc:AddressTypeCode listAgencyID="320">Home</cbc:AddressTypeCode>', 0),
    ),
    # tax schemes
    case("F-LIB198", text(TAX_SCHEME + "/cbc:Name", "VAT")),
    case({"F-LIB197", "F-LIB199"}, text(TAX_SCHEME + "/cbc:ID", "9")),
    case("F-LIB070", attr(TAX_SCHEME + "/cbc:ID", "schemeID", "x")),
    case({"F-LIB067", "F-LIB071"}, add(TAX_SCHEME, "<cbc:TaxTypeCode>ZeroRated</cbc:TaxTypeCode>")),
    case(
        "F-LIB041",
        add(
            TAX_SCHEME,
            "<cac:JurisdictionRegionAddress><cbc:ID>1</cbc:ID></cac:JurisdictionRegionAddress>",
        ),
    ),
    # other parties
    case(
        "F-INV043",
        add(
            "cac:AccountingCustomerParty",
            '<cac:Party><cbc:EndpointID schemeID="GLN">5798009811578</cbc:EndpointID><cac:PartyName><cbc:Name>x</cbc:Name></cac:PartyName><cac:Contact><cbc:ID>1</cbc:ID></cac:Contact></cac:Party>',
        ),
    ),
    case("F-INV046", remove(CUSTOMER + "/cac:Contact")),
    case("F-INV051", text(CUSTOMER + "/cac:Contact/cbc:ID", " ")),
    case({"F-INV044", "F-LIB181"}, text(CUSTOMER + "/cbc:EndpointID", " ")),
    case(
        "F-LIB022",
        remove(CUSTOMER + "/cac:PartyIdentification"),
        remove(CUSTOMER + "/cac:PartyName"),
    ),
    case(
        "F-INV319",
        add(
            ".",
            "<cac:PayeeParty><cac:PartyName><cbc:Name>x</cbc:Name></cac:PartyName>"
            '<cac:PartyLegalEntity><cbc:CompanyID schemeID="DK:CVR">DK16356706</cbc:CompanyID></cac:PartyLegalEntity>'
            '<cac:PartyLegalEntity><cbc:CompanyID schemeID="DK:CVR">DK16356706</cbc:CompanyID></cac:PartyLegalEntity>'
            "</cac:PayeeParty>",
            22,
        ),
    ),
    case("F-INV061", add(".", "<cac:BuyerCustomerParty/>", 22)),
    case(
        {"F-INV071", "F-INV070"},
        add(
            ".",
            "<cac:SellerSupplierParty><cbc:DataSendingCapability>x</cbc:DataSendingCapability></cac:SellerSupplierParty>",
            22,
        ),
    ),
    case(
        {"F-LIB353", "F-LIB354", "F-LIB371", "F-LIB357"},
        add(
            ".",
            '<cac:TaxRepresentativeParty><cbc:EndpointID schemeID="GLN">5798009811578</cbc:EndpointID></cac:TaxRepresentativeParty>',
            22,
        ),
    ),
    # delivery and delivery terms
    case("F-INV082", add("cac:Delivery", "<cbc:ID>1</cbc:ID>", 0)),
    case(
        "F-INV239",
        add(
            "cac:Delivery",
            "<cac:DeliveryLocation><cbc:Description>x</cbc:Description></cac:DeliveryLocation>",
        ),
    ),
    case(
        "F-INV299",
        add(
            "cac:Delivery",
            '<cac:DeliveryParty><cac:PartyName><cbc:Name>x</cbc:Name></cac:PartyName><cac:PartyLegalEntity><cbc:CompanyID schemeID="DK:CVR">DK16356706</cbc:CompanyID></cac:PartyLegalEntity><cac:PartyLegalEntity><cbc:CompanyID schemeID="DK:CVR">DK16356706</cbc:CompanyID></cac:PartyLegalEntity></cac:DeliveryParty>',
        ),
    ),
    case(
        {"F-INV102", "W-INV301"},
        add(
            ".",
            "<cac:DeliveryTerms><cbc:ID>EXW</cbc:ID><cbc:SpecialTerms>x</cbc:SpecialTerms></cac:DeliveryTerms>",
            26,
        ),
    ),
    case(
        "F-INV302",
        add(
            ".",
            "<cac:DeliveryTerms><cac:DeliveryLocation><cbc:Description>x</cbc:Description></cac:DeliveryLocation></cac:DeliveryTerms>",
            26,
        ),
    ),
    # payment means (code 42 in the example) and other codes
    case("F-LIB100", text(PM + "/cbc:PaymentMeansCode", "2")),
    case({"F-LIB128", "F-LIB321"}, text(PM + "/cbc:PaymentChannelCode", "DK:GIRO")),
    case("F-LIB131", text(PM + "/cac:PayeeFinancialAccount/cbc:ID", "12345678901")),
    case(
        {"F-LIB132", "F-LIB311"},
        text(PM + "/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", "12x45"),
    ),
    case(
        "F-LIB133", text(PM + "/cac:PayeeFinancialAccount/cbc:PaymentNote", "123456789012345678901")
    ),
    case(
        "F-LIB122",
        add(PM, "<cac:CreditAccount><cbc:AccountID>1</cbc:AccountID></cac:CreditAccount>"),
    ),
    case(
        {"F-LIB144", "F-LIB147", "F-LIB146", "F-LIB321"},
        text(PM + "/cbc:PaymentMeansCode", "50"),
    ),
    case(
        {"F-LIB152", "F-LIB155", "F-LIB277", "F-LIB305"},
        text(PM + "/cbc:PaymentMeansCode", "93"),
    ),
    case(
        {"F-LIB106", "F-LIB116", "F-LIB117", "F-LIB276"},
        text(PM + "/cbc:PaymentMeansCode", "31"),
        attr(PM + "/cbc:PaymentChannelCode", "listID", "x"),
        text(PM + "/cbc:PaymentChannelCode", "ZZZ"),
        remove(PM + "/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch"),
    ),
    case(
        {"F-LIB290", "F-LIB291"},
        text(PM + "/cbc:PaymentMeansCode", "49"),
    ),
    case(
        {"F-LIB158", "F-LIB164"},
        text(PM + "/cbc:PaymentMeansCode", "97"),
    ),
    case(
        {"F-LIB365", "F-LIB369", "F-LIB342"},
        text(PM + "/cbc:PaymentMeansCode", "48"),
    ),
    case(
        "F-LIB379",
        text(PM + "/cbc:PaymentMeansCode", "58"),
        text(PM + "/cbc:PaymentChannelCode", "DK:BANK"),
    ),
    case("F-LIB380", text(PM + "/cbc:PaymentMeansCode", "59")),
    case(
        "W-LIB241",
        add(
            ".",
            "<cac:PaymentMeans><cbc:PaymentMeansCode>1</cbc:PaymentMeansCode></cac:PaymentMeans>",
            23,
        ),
    ),
    # payment terms
    case(
        "W-LIB245",
        add(
            ".",
            '<cac:PaymentTerms><cbc:Amount currencyID="DKK">1.00</cbc:Amount></cac:PaymentTerms>',
            24,
        ),
    ),
    case("F-LIB246", text("cac:PaymentTerms/cbc:ID", "Factoring")),
    case(
        {"F-INV134", "F-LIB020"}, text("cac:PaymentTerms/cbc:Amount", "-6312.50"), label="F-LIB020"
    ),
    # allowances and charges on the header
    case({"F-INV122", "F-LIB402"}, add(".", ALLOWANCE, 26), label="F-INV122"),
    case(
        {"F-INV122", "F-LIB226", "F-LIB402"},
        add(".", ALLOWANCE, 26),
        add(
            "cac:AllowanceCharge",
            '<cac:TaxCategory><cbc:ID schemeID="urn:oioubl:id:taxcategoryid-1.1" schemeAgencyID="320">StandardRated</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID schemeID="urn:oioubl:id:taxschemeid-1.1" schemeAgencyID="320">63</cbc:ID><cbc:Name>Moms</cbc:Name></cac:TaxScheme></cac:TaxCategory>',
        ),
    ),
    case(
        {"F-INV122", "F-LIB228", "F-LIB402"},
        add(".", ALLOWANCE, 26),
        add(
            "cac:AllowanceCharge",
            "<cbc:MultiplierFactorNumeric>0.5</cbc:MultiplierFactorNumeric>",
            1,
        ),
        add("cac:AllowanceCharge", '<cbc:BaseAmount currencyID="DKK">200.00</cbc:BaseAmount>', 3),
    ),
    case(
        {"F-INV122", "F-LIB019", "F-LIB402"},
        add(".", ALLOWANCE, 26),
        text("cac:AllowanceCharge/cbc:Amount", "-50.00"),
    ),
    # exchange rates
    case({"F-LIB083", "F-LIB084"}, add(".", "<cac:TaxExchangeRate/>", 27)),
    case(
        {"F-LIB090", "W-INV323"},
        add(
            ".",
            PRICING_RATE_MULTIPLY.replace("2.0000", "2.0").replace(
                "<cbc:MathematicOperatorCode>multiply</cbc:MathematicOperatorCode>", ""
            ),
            26,
        ),
        label="W-INV323",
    ),
    case(
        "F-LIB310",
        add(
            ".",
            "<cac:PaymentExchangeRate><cbc:SourceCurrencyCode>DKK</cbc:SourceCurrencyCode><cbc:TargetCurrencyCode>EUR</cbc:TargetCurrencyCode><cbc:MathematicOperatorCode>add</cbc:MathematicOperatorCode></cac:PaymentExchangeRate>",
            27,
        ),
    ),
    case(
        "F-LIB085",
        add(
            ".",
            "<cac:PaymentAlternativeExchangeRate><cbc:SourceCurrencyCode>DKK</cbc:SourceCurrencyCode><cbc:TargetCurrencyCode>EUR</cbc:TargetCurrencyCode><cbc:SourceCurrencyBaseRate>-1.0000</cbc:SourceCurrencyBaseRate></cac:PaymentAlternativeExchangeRate>",
            27,
        ),
    ),
    # tax totals and subtotals
    case({"F-INV008", "F-INV127", "F-INV128", "F-INV133", "F-LIB404"}, remove("cac:TaxTotal")),
    case("F-LIB385", text("cac:TaxTotal/cbc:TaxAmount", "1262.60"), label="F-LIB385"),
    case("F-LIB250", text("cac:TaxTotal/cbc:TaxAmount", "1262.5"), label="F-LIB250"),
    case({"F-LIB261"}, text(HEADER_SUBTOTAL + "/cbc:TaxableAmount", "5050.0")),
    case("F-LIB263", text(HEADER_SUBTOTAL + "/cbc:TaxAmount", "1262.5")),
    case("F-LIB254", add(HEADER_SUBTOTAL, "<cbc:Percent>25</cbc:Percent>", 2)),
    case("F-LIB402", text(HEADER_SUBTOTAL + "/cbc:TaxableAmount", "5060.00")),
    case(
        {"F-INV127", "F-INV128", "F-INV133", "F-LIB381"},
        text(HEADER_SUBTOTAL + "/cbc:TaxAmount", "0.00"),
        text("cac:TaxTotal/cbc:TaxAmount", "0.00"),
        label="F-LIB381",
    ),
    case(
        {"F-LIB197", "F-LIB306"},
        text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID", "9"),
        text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:Name", "x"),
    ),
    case(
        {"F-LIB373", "F-LIB404"},
        add(
            HEADER_SUBTOTAL,
            '<cbc:TransactionCurrencyTaxAmount currencyID="EUR">100.00</cbc:TransactionCurrencyTaxAmount>',
            2,
        ),
        text(HEADER_SUBTOTAL + "/cac:TaxCategory/cbc:ID", "ZeroRated"),
        label="F-LIB373",
    ),
    case(
        {"F-LIB333", "F-LIB382"},
        remove(HEADER_SUBTOTAL + "/cac:TaxCategory/cbc:Percent"),
        text(HEADER_SUBTOTAL + "/cac:TaxCategory/cac:TaxScheme/cbc:ID", "VAT"),
        text(HEADER_SUBTOTAL + "/cac:TaxCategory/cac:TaxScheme/cbc:Name", "VAT"),
    ),
    # tax categories
    case("F-LIB075", attr(HEADER_SUBTOTAL + "/cac:TaxCategory/cbc:ID", "schemeID", "x")),
    case("W-LIB229", attr(HEADER_SUBTOTAL + "/cac:TaxCategory/cbc:ID", "schemeAgencyID", "9")),
    case(
        {"F-LIB309", "F-LIB402"},
        text(LINE1_SUBTOTAL + "/cac:TaxCategory/cbc:ID", "Standard"),
        label="F-LIB309",
    ),
    case("F-LIB382", text(HEADER_SUBTOTAL + "/cac:TaxCategory/cbc:Percent", "0")),
    case(
        {"F-LIB400", "F-LIB402", "F-LIB404"},
        text(LINE1_SUBTOTAL + "/cac:TaxCategory/cbc:ID", "ZeroRated"),
        label="F-LIB400",
    ),
    case("F-LIB401", text(LINE1_SUBTOTAL + "/cac:TaxCategory/cbc:Percent", "20")),
    # totals
    case(
        {"F-INV120", "F-INV128", "F-INV133", "F-LIB014"}, text(LMT + "/cbc:LineExtensionAmount", "")
    ),
    case(
        {"F-INV126", "F-INV128", "F-INV133", "F-LIB014"},
        text(LMT + "/cbc:LineExtensionAmount", "5050.1"),
    ),
    case({"F-INV126", "F-INV128", "F-INV133"}, text(LMT + "/cbc:LineExtensionAmount", "5060.00")),
    case("F-INV127", text(LMT + "/cbc:TaxExclusiveAmount", "5050.00")),
    case("F-INV128", text(LMT + "/cbc:TaxInclusiveAmount", "6312.60")),
    case(
        {"F-INV128", "F-INV129", "F-INV133"},
        add(LMT, '<cbc:AllowanceTotalAmount currencyID="DKK">10.00</cbc:AllowanceTotalAmount>', 3),
    ),
    case(
        {"F-INV128", "F-INV130", "F-INV133"},
        add(LMT, '<cbc:ChargeTotalAmount currencyID="DKK">10.00</cbc:ChargeTotalAmount>', 3),
    ),
    case(
        {"F-INV131", "F-INV133"},
        add(LMT, '<cbc:PrepaidAmount currencyID="DKK">10.00</cbc:PrepaidAmount>', 3),
    ),
    case(
        {"F-INV124"},
        add(
            ".",
            '<cac:PrepaidPayment><cbc:PaidAmount currencyID="DKK">10.00</cbc:PaidAmount></cac:PrepaidPayment>',
            26,
        ),
    ),
    case(
        {"F-INV125"},
        add("cac:TaxTotal", '<cbc:RoundingAmount currencyID="DKK">0.01</cbc:RoundingAmount>', 1),
    ),
    case(
        {"F-INV128", "F-INV132", "F-INV133"},
        add("cac:TaxTotal", '<cbc:RoundingAmount currencyID="DKK">0.01</cbc:RoundingAmount>', 1),
        add(LMT, '<cbc:PayableRoundingAmount currencyID="DKK">0.02</cbc:PayableRoundingAmount>', 3),
    ),
    case(
        {"F-INV128", "F-INV133", "F-INV338"},
        add(
            LMT, '<cbc:PayableRoundingAmount currencyID="DKK">11.00</cbc:PayableRoundingAmount>', 3
        ),
    ),
    case({"F-INV133", "F-INV134"}, text(LMT + "/cbc:PayableAmount", "6312.51")),
    case("F-INV134", text("cac:PaymentTerms/cbc:Amount", "6312.51")),
    case(
        {"F-INV128", "F-LIB016"},
        text("cac:PaymentTerms/cbc:Amount", "6312.50"),
        text(LMT + "/cbc:TaxInclusiveAmount", "-1.00"),
        label="F-LIB016",
    ),
    case(
        {"F-LIB303"},
        add(LMT, '<cbc:PayableRoundingAmount currencyID="DKK">0.00</cbc:PayableRoundingAmount>', 3),
    ),
    # invoice lines
    case("F-INV135", add(LINE1, "<cac:PaymentTerms/>")),
    case("F-INV137", text(LINE1 + "/cbc:InvoicedQuantity", "")),
    case({"F-INV138", "F-LIB402"}, remove(LINE1 + "/cac:TaxTotal")),
    case("F-INV139", remove(LINE1 + "/cac:Price")),
    case("W-INV237", text("cac:InvoiceLine[2]/cbc:ID", "1")),
    case("F-INV140", text(LINE1 + "/cbc:ID", " ")),
    case({"F-INV142"}, remove("cac:OrderReference")),
    case(
        "F-INV330",
        add(
            LINE1,
            "<cac:Delivery><cbc:ActualDeliveryDate>2005-11-15</cbc:ActualDeliveryDate></cac:Delivery>",
            5,
        ),
    ),
    case(
        "F-INV335",
        add(
            LINE1 + "/cac:Price",
            '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="DKK">-1.00</cbc:Amount></cac:AllowanceCharge>',
        ),
    ),
    case(
        {"F-INV147", "F-INV340"},
        text(LINE1 + "/cbc:InvoicedQuantity", "0"),
        text(LINE1 + "/cac:Price/cbc:PriceAmount", "0.00"),
        text(LINE1 + "/cbc:LineExtensionAmount", "5000.00"),
        label="F-INV147",
    ),
    case(
        {"F-LIB007", "W-LIB008", "F-LIB318"},
        attr(LINE1 + "/cbc:InvoicedQuantity", "unitCode", None),
    ),
    case(
        "F-LIB318",
        attr(LINE1 + "/cbc:InvoicedQuantity", "unitCode", "XYZ"),
        attr(LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", "XYZ"),
    ),
    case({"F-INV149"}, text(LINE1 + "/cbc:LineExtensionAmount", "5000.0")),
    case("F-INV153", text(LINE1 + "/cac:OrderLineReference/cbc:LineID", "")),
    case("F-INV155", add(LINE1, "<cac:Delivery><cbc:ID>1</cbc:ID></cac:Delivery>", 5)),
    case("F-INV163", text(LINE1 + "/cac:Item/cbc:Name", "")),
    case(
        "F-INV307",
        add(LINE1 + "/cac:Item", "<cbc:Keyword>a</cbc:Keyword><cbc:Keyword>b</cbc:Keyword>", 2),
    ),
    case("F-INV167", text(LINE1 + "/cac:Item/cac:SellersItemIdentification/cbc:ID", "")),
    case(
        "F-LIB177",
        add(
            LINE1 + "/cac:Item",
            "<cac:BuyersItemIdentification><cbc:ID/></cac:BuyersItemIdentification>",
            2,
        ),
    ),
    case(
        "W-INV184",
        add(
            LINE1 + "/cac:Item",
            '<cac:CommodityClassification><cbc:ItemClassificationCode listID="X">1</cbc:ItemClassificationCode></cac:CommodityClassification>',
        ),
    ),
    case(
        {"F-INV234", "F-INV235"},
        add(
            LINE1 + "/cac:Item",
            "<cac:AdditionalItemProperty><cbc:Name/><cbc:Value/></cac:AdditionalItemProperty>",
        ),
    ),
    case(
        {"OIOUBL-Common-GP004", "OIOUBL-Common-GP007"},
        add(
            LINE1 + "/cac:Item",
            "<cac:AdditionalItemProperty><cbc:Name>EmissionFactor</cbc:Name><cbc:Value>x</cbc:Value></cac:AdditionalItemProperty>",
        ),
    ),
    case(
        "OIOUBL-Common-GP005",
        add(
            LINE1 + "/cac:Item",
            "<cac:AdditionalItemProperty><cbc:Name>EmissionFactor</cbc:Name><cbc:Value>2</cbc:Value></cac:AdditionalItemProperty>",
        ),
        add(
            LINE1 + "/cac:Item",
            "<cac:AdditionalItemProperty><cbc:Name>EmissionFactorSource</cbc:Name><cbc:Value>Database</cbc:Value></cac:AdditionalItemProperty>",
        ),
        add(
            LINE1 + "/cac:Item",
            "<cac:AdditionalItemProperty><cbc:Name>NetEmissionQuantity</cbc:Name><cbc:Value>3</cbc:Value></cac:AdditionalItemProperty>",
        ),
    ),
    case(
        "OIOUBL-Common-GP006",
        add(
            LINE1 + "/cac:Item",
            "<cac:AdditionalItemProperty><cbc:Name>EmissionFactorSource</cbc:Name><cbc:Value>Guess</cbc:Value></cac:AdditionalItemProperty>",
        ),
    ),
    case(
        {"F-INV351"},
        add(
            LINE1 + "/cac:Item",
            "<cac:Certificate><cbc:ID>NOT_A_LABEL</cbc:ID><cbc:CertificateTypeCode>x</cbc:CertificateTypeCode><cbc:CertificateType>x</cbc:CertificateType></cac:Certificate>",
        ),
    ),
    case(
        "W-INV322",
        add(
            LINE1 + "/cac:Price",
            "<cac:ValidityPeriod><cbc:StartDate>2005-01-01</cbc:StartDate></cac:ValidityPeriod>",
        ),
    ),
    case("F-INV196", add(LINE1 + "/cac:Price", "<cbc:PriceTypeCode>AAA</cbc:PriceTypeCode>")),
    case(
        {"F-INV340", "F-LIB019"},
        text(LINE1 + "/cac:Price/cbc:BaseQuantity", "0"),
        label="F-LIB019-base-quantity",
    ),
    case(
        "F-LIB019",
        text(LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate", "-1"),
        label="F-LIB019-factor",
    ),
    case(
        "F-LIB317",
        add(
            LINE1,
            '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="DKK">0</cbc:Amount><cac:TaxCategory><cbc:ID schemeID="urn:oioubl:id:taxcategoryid-1.1" schemeAgencyID="320">StandardRated</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID schemeID="urn:oioubl:id:taxschemeid-1.1" schemeAgencyID="320">63</cbc:ID><cbc:Name>Moms</cbc:Name></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>',
            5,
        ),
    ),
    # line amount = quantity x price, without and with a pricing exchange rate
    case("F-INV340", text(LINE1 + "/cac:Price/cbc:PriceAmount", "6000.00")),
    case(
        "F-INV343",
        text(LINE1 + "/cac:Price/cbc:PriceAmount", "6000.00"),
        attr(LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
    ),
    case(
        "F-INV348",
        text(LINE1 + "/cac:Price/cbc:PriceAmount", "6000.00"),
        remove(LINE1 + "/cac:Price/cbc:BaseQuantity"),
    ),
    case("F-INV341", add(".", PRICING_RATE_MULTIPLY, 26)),
    case("F-INV342", add(".", PRICING_RATE_DIVIDE, 26)),
    case(
        "F-INV328",
        add(".", PRICING_RATE_MULTIPLY, 26),
        attr(LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
        attr("cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
    ),
    case(
        "F-INV329",
        add(".", PRICING_RATE_DIVIDE, 26),
        attr(LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
        attr("cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
    ),
    case(
        "F-INV349",
        add(".", PRICING_RATE_MULTIPLY, 26),
        remove(LINE1 + "/cac:Price/cbc:BaseQuantity"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity"),
    ),
    case(
        "F-INV350",
        add(".", PRICING_RATE_DIVIDE, 26),
        remove(LINE1 + "/cac:Price/cbc:BaseQuantity"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity"),
    ),
    case(
        "F-INV344",
        add(".", PRICING_RATE_MULTIPLY, 26),
        remove(LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:OrderableUnitFactorRate"),
    ),
    case(
        "F-INV345",
        add(".", PRICING_RATE_DIVIDE, 26),
        remove(LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:OrderableUnitFactorRate"),
    ),
    case(
        "F-INV346",
        add(".", PRICING_RATE_MULTIPLY, 26),
        remove(LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:OrderableUnitFactorRate"),
        remove(LINE1 + "/cac:Price/cbc:BaseQuantity"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity"),
    ),
    case(
        "F-INV347",
        add(".", PRICING_RATE_DIVIDE, 26),
        remove(LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:OrderableUnitFactorRate"),
        remove(LINE1 + "/cac:Price/cbc:BaseQuantity"),
        remove("cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity"),
    ),
    # credit note
    case(
        {"F-CRN004", "F-CRN007", "F-CRN008", "F-CRN009", "F-LIB298"},
        text("cbc:DocumentCurrencyCode", ""),
        example=CREDIT_NOTE,
    ),
    case("F-CRN006", text("cbc:ID", ""), example=CREDIT_NOTE),
    case(
        "F-CRN007",
        attr(CN_LINE1 + "/cbc:LineExtensionAmount", "currencyID", "EUR"),
        example=CREDIT_NOTE,
    ),
    case("F-CRN161", text("cac:DiscrepancyResponse/cbc:ReferenceID", ""), example=CREDIT_NOTE),
    case(
        {"F-CRN188", "F-CRN018", "F-CRN160"},
        add("cac:DiscrepancyResponse", "<cbc:ResponseCode>Billing1</cbc:ResponseCode>", 1),
        example=CREDIT_NOTE,
    ),
    case(
        {"F-CRN193", "F-CRN188"},
        add(
            "cac:DiscrepancyResponse",
            '<cbc:ResponseCode listID="urn:oioubl:codelist:discrepancyresponsecode-1.1" listAgencyID="320">Wrong</cbc:ResponseCode>',
            1,
        ),
        example=CREDIT_NOTE,
    ),
    case(
        "F-CRN023",
        add(
            "cac:BillingReference",
            "<cac:DebitNoteDocumentReference><cbc:ID>1</cbc:ID></cac:DebitNoteDocumentReference>",
        ),
        example=CREDIT_NOTE,
    ),
    case("F-CRN031", remove(SUPPLIER + "/cac:PartyLegalEntity"), example=CREDIT_NOTE),
    case("F-CRN042", remove(CUSTOMER + "/cac:Contact"), example=CREDIT_NOTE),
    case("F-CRN084", text(CN_LINE1 + "/cbc:ID", ""), example=CREDIT_NOTE),
    case(
        "F-CRN196",
        text(CN_LINE1 + "/cbc:CreditedQuantity", ""),
        example=CREDIT_NOTE,
        label="F-CRN196",
    ),
    case(
        {"F-CRN089", "F-CRN207"},
        text(CN_LINE1 + "/cbc:LineExtensionAmount", " "),
        example=CREDIT_NOTE,
        label="F-CRN207",
    ),
    case(
        {"F-CRN081", "F-LIB402"},
        remove(CN_LINE1 + "/cac:TaxTotal"),
        example=CREDIT_NOTE,
        label="F-CRN081",
    ),
    case("F-CRN083", remove(CN_LINE1 + "/cac:Price"), example=CREDIT_NOTE),
    case(
        {"F-CRN066", "F-CRN074", "F-CRN079", "F-LIB014"},
        text(LMT + "/cbc:LineExtensionAmount", ""),
        example=CREDIT_NOTE,
    ),
    case(
        {"F-CRN072", "F-CRN074", "F-CRN079"},
        text(LMT + "/cbc:LineExtensionAmount", "5060.00"),
        example=CREDIT_NOTE,
    ),
    case("F-CRN073", text(LMT + "/cbc:TaxExclusiveAmount", "5050.00"), example=CREDIT_NOTE),
    case("F-CRN074", text(LMT + "/cbc:TaxInclusiveAmount", "6312.60"), example=CREDIT_NOTE),
    case(
        {"F-CRN074", "F-CRN075", "F-CRN079"},
        add(LMT, '<cbc:AllowanceTotalAmount currencyID="DKK">10.00</cbc:AllowanceTotalAmount>', 3),
        example=CREDIT_NOTE,
    ),
    case(
        {"F-CRN074", "F-CRN076", "F-CRN079"},
        add(LMT, '<cbc:ChargeTotalAmount currencyID="DKK">10.00</cbc:ChargeTotalAmount>', 3),
        example=CREDIT_NOTE,
    ),
    case({"F-CRN068", "F-LIB402"}, add(".", ALLOWANCE, 27), example=CREDIT_NOTE),
    case(
        "F-CRN071",
        add("cac:TaxTotal", '<cbc:RoundingAmount currencyID="DKK">0.01</cbc:RoundingAmount>', 1),
        example=CREDIT_NOTE,
    ),
    case(
        {"F-CRN078", "F-CRN074", "F-CRN079"},
        add("cac:TaxTotal", '<cbc:RoundingAmount currencyID="DKK">0.01</cbc:RoundingAmount>', 1),
        add(LMT, '<cbc:PayableRoundingAmount currencyID="DKK">0.02</cbc:PayableRoundingAmount>', 3),
        example=CREDIT_NOTE,
    ),
    case(
        {"F-CRN208", "F-CRN074", "F-CRN079"},
        add(
            LMT, '<cbc:PayableRoundingAmount currencyID="DKK">-11.00</cbc:PayableRoundingAmount>', 3
        ),
        example=CREDIT_NOTE,
    ),
    case("F-CRN079", text(LMT + "/cbc:PayableAmount", "6312.51"), example=CREDIT_NOTE),
    case("F-CRN210", text(CN_LINE1 + "/cac:Price/cbc:PriceAmount", "6000.00"), example=CREDIT_NOTE),
    case(
        "F-CRN194",
        text(CN_LINE1 + "/cac:Price/cbc:PriceAmount", "6000.00"),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
        example=CREDIT_NOTE,
    ),
    case("F-CRN217", add(".", PRICING_RATE_MULTIPLY, 27), example=CREDIT_NOTE),
    case("F-CRN219", add(".", PRICING_RATE_DIVIDE, 27), example=CREDIT_NOTE),
    case(
        "F-CRN213",
        add(".", PRICING_RATE_MULTIPLY, 27),
        remove(CN_LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        remove("cac:CreditNoteLine[2]/cac:Price/cbc:OrderableUnitFactorRate"),
        example=CREDIT_NOTE,
    ),
    case(
        "F-CRN215",
        add(".", PRICING_RATE_DIVIDE, 27),
        remove(CN_LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        remove("cac:CreditNoteLine[2]/cac:Price/cbc:OrderableUnitFactorRate"),
        example=CREDIT_NOTE,
    ),
    case(
        "F-CRN203",
        add(
            CN_LINE1 + "/cac:Price",
            '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="DKK">-1.00</cbc:Amount></cac:AllowanceCharge>',
        ),
        example=CREDIT_NOTE,
    ),
    case(
        "F-LIB402",
        text(HEADER_SUBTOTAL + "/cbc:TaxableAmount", "5060.00"),
        example=CREDIT_NOTE,
        label="F-LIB402-credit-note",
    ),
    case(
        "F-LIB081",
        add(
            ".",
            "<cac:InvoicePeriod><cbc:StartDate>2005-11-01</cbc:StartDate>"
            "<cbc:StartTime>12:00:00</cbc:StartTime><cbc:EndDate>2005-11-01</cbc:EndDate>"
            "<cbc:EndTime>11:00:00</cbc:EndTime></cac:InvoicePeriod>",
            11,
        ),
    ),
    case(
        "F-LIB266",
        add(
            HEADER_SUBTOTAL,
            '<cbc:TransactionCurrencyTaxAmount currencyID="EUR">-100.00</cbc:TransactionCurrencyTaxAmount>',
            2,
        ),
    ),
    case(
        "W-CRN154",
        add(
            ".",
            PRICING_RATE_MULTIPLY.replace("<cbc:CalculationRate>2.0000</cbc:CalculationRate>", ""),
            27,
        ),
        example=CREDIT_NOTE,
    ),
    case(
        {"F-CRN216", "F-LIB007", "F-LIB318", "W-LIB008"},
        text(CN_LINE1 + "/cac:Price/cbc:PriceAmount", "6000.00"),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", None),
        example=CREDIT_NOTE,
        label="F-CRN216",
    ),
    case(
        "F-CRN200",
        add(".", PRICING_RATE_MULTIPLY, 27),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
        attr("cac:CreditNoteLine[2]/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
        example=CREDIT_NOTE,
        label="F-CRN200",
    ),
    case(
        "F-CRN201",
        add(".", PRICING_RATE_DIVIDE, 27),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
        attr("cac:CreditNoteLine[2]/cac:Price/cbc:BaseQuantity", "unitCode", "KGM"),
        example=CREDIT_NOTE,
        label="F-CRN201",
    ),
    case(
        {"F-CRN217", "F-CRN218", "F-LIB007", "F-LIB318", "W-LIB008"},
        add(".", PRICING_RATE_MULTIPLY, 27),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", None),
        example=CREDIT_NOTE,
        label="F-CRN218",
    ),
    case(
        {"F-CRN219", "F-CRN220", "F-LIB007", "F-LIB318", "W-LIB008"},
        add(".", PRICING_RATE_DIVIDE, 27),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", None),
        example=CREDIT_NOTE,
        label="F-CRN220",
    ),
    case(
        {"F-CRN198", "F-CRN217", "F-LIB007", "F-LIB318", "W-LIB008"},
        add(".", PRICING_RATE_MULTIPLY, 27),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", None),
        remove(CN_LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        example=CREDIT_NOTE,
        label="F-CRN198",
    ),
    case(
        {"F-CRN199", "F-CRN219", "F-LIB007", "F-LIB318", "W-LIB008"},
        add(".", PRICING_RATE_DIVIDE, 27),
        attr(CN_LINE1 + "/cac:Price/cbc:BaseQuantity", "unitCode", None),
        remove(CN_LINE1 + "/cac:Price/cbc:OrderableUnitFactorRate"),
        example=CREDIT_NOTE,
        label="F-CRN199",
    ),
    # credit note header
    case(
        {"F-CRN005", "F-CRN073", "F-CRN074", "F-CRN079", "F-LIB404"},
        remove("cac:TaxTotal"),
        example=CREDIT_NOTE,
        label="F-CRN005",
    ),
    case(
        {"F-CRN011", "F-CRN013"},
        add(".", "<cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>", 8),
        example=CREDIT_NOTE,
        label="F-CRN011",
    ),
    case(
        {"F-CRN014", "F-CRN015"},
        add(".", "<cbc:PricingCurrencyCode>EUR</cbc:PricingCurrencyCode>", 8),
        example=CREDIT_NOTE,
        label="F-CRN015",
    ),
    case(
        "F-CRN016",
        add(".", "<cbc:PaymentCurrencyCode>DKK</cbc:PaymentCurrencyCode>", 8),
        example=CREDIT_NOTE,
        label="F-CRN016",
    ),
    case(
        "F-CRN017",
        add(".", "<cbc:PaymentAlternativeCurrencyCode>DKK</cbc:PaymentAlternativeCurrencyCode>", 8),
        example=CREDIT_NOTE,
        label="F-CRN017",
    ),
    case(
        "F-CRN159",
        add(
            ".",
            "<cac:InvoicePeriod><cbc:StartDate>2005-11-01</cbc:StartDate></cac:InvoicePeriod>",
            9,
        ),
        add(
            ".",
            "<cac:InvoicePeriod><cbc:StartDate>2005-11-02</cbc:StartDate></cac:InvoicePeriod>",
            9,
        ),
        example=CREDIT_NOTE,
        label="F-CRN159",
    ),
    case("F-CRN022", text("cac:OrderReference/cbc:ID", ""), example=CREDIT_NOTE, label="F-CRN022"),
    case(
        "F-CRN025",
        add(".", "<cac:Signature><cbc:ID/></cac:Signature>", 12),
        example=CREDIT_NOTE,
        label="F-CRN025",
    ),
    case(
        {"F-CRN028", "F-LIB180"},
        text(SUPPLIER + "/cbc:EndpointID", " "),
        example=CREDIT_NOTE,
        label="F-CRN028",
    ),
    case(
        {"F-CRN040", "F-LIB181"},
        text(CUSTOMER + "/cbc:EndpointID", " "),
        example=CREDIT_NOTE,
        label="F-CRN040",
    ),
    case(
        "F-CRN047",
        text(CUSTOMER + "/cac:Contact/cbc:ID", " "),
        example=CREDIT_NOTE,
        label="F-CRN047",
    ),
    case(
        "F-CRN164",
        add(
            CUSTOMER,
            '<cac:PartyLegalEntity><cbc:CompanyID schemeID="DK:CVR">DK16356706</cbc:CompanyID></cac:PartyLegalEntity>'
            '<cac:PartyLegalEntity><cbc:CompanyID schemeID="DK:CVR">DK16356706</cbc:CompanyID></cac:PartyLegalEntity>',
            5,
        ),
        example=CREDIT_NOTE,
        label="F-CRN164",
    ),
    case(
        "F-CRN002",
        text("cbc:ProfileID", "Procurement-OrdSimR-BilSim-1.0"),
        remove("cac:OrderReference"),
        example=CREDIT_NOTE,
        label="F-CRN002",
    ),
    # credit note lines
    case(
        {"F-CRN088", "F-CRN210"},
        text(CN_LINE1 + "/cbc:CreditedQuantity", "0"),
        example=CREDIT_NOTE,
        label="F-CRN088",
    ),
    case(
        "F-CRN090",
        text(CN_LINE1 + "/cbc:LineExtensionAmount", "5000.00001"),
        example=CREDIT_NOTE,
        label="F-CRN090",
    ),
    case("F-CRN082", remove(CN_LINE1 + "/cac:Item"), example=CREDIT_NOTE, label="F-CRN082"),
    case(
        "F-CRN110",
        text(CN_LINE1 + "/cac:Item/cbc:Name", " "),
        example=CREDIT_NOTE,
        label="F-CRN110",
    ),
    case(
        "F-CRN177",
        add(CN_LINE1 + "/cac:Item", "<cbc:Keyword>a</cbc:Keyword><cbc:Keyword>b</cbc:Keyword>", 2),
        example=CREDIT_NOTE,
        label="F-CRN177",
    ),
    case(
        "F-CRN109",
        add(CN_LINE1 + "/cac:Item", "<cac:OriginCountry/>"),
        example=CREDIT_NOTE,
        label="F-CRN109",
    ),
    case(
        {"F-CRN133", "F-CRN151"},
        add(
            CN_LINE1 + "/cac:Item",
            "<cac:AdditionalItemProperty><cbc:Name/><cbc:Value/></cac:AdditionalItemProperty>",
        ),
        example=CREDIT_NOTE,
        label="F-CRN133",
    ),
    case(
        "F-CRN141",
        add(CN_LINE1 + "/cac:Price", "<cbc:PriceTypeCode>AAA</cbc:PriceTypeCode>"),
        example=CREDIT_NOTE,
        label="F-CRN141",
    ),
    case(
        {"F-CRN091", "F-CRN167", "F-CRN168", "F-CRN169"},
        add(
            CN_LINE1,
            "<cac:DiscrepancyResponse><cbc:ReferenceID/><cbc:ResponseCode>x</cbc:ResponseCode>"
            "<cbc:Description>x</cbc:Description></cac:DiscrepancyResponse>",
            4,
        ),
        example=CREDIT_NOTE,
        label="F-CRN168",
    ),
    case(
        "F-CRN172",
        add(
            CN_LINE1,
            "<cac:BillingReference><cac:DebitNoteDocumentReference><cbc:ID>1</cbc:ID>"
            "</cac:DebitNoteDocumentReference></cac:BillingReference>",
            5,
        ),
        example=CREDIT_NOTE,
        label="F-CRN172",
    ),
    case(
        "F-CRN157",
        add(CN_LINE1, "<cac:Delivery><cac:DeliveryAddress/></cac:Delivery>", 5),
        example=CREDIT_NOTE,
        label="F-CRN157",
    ),
    case(
        "F-CRN158",
        add(
            CN_LINE1,
            "<cac:Delivery><cac:DeliveryLocation><cbc:Description>x</cbc:Description></cac:DeliveryLocation></cac:Delivery>",
            5,
        ),
        example=CREDIT_NOTE,
        label="F-CRN158",
    ),
]

# Elements and classes that must be excluded, one per context that has such a table.
EXCLUDED = [
    ("F-LIB211", ADDRESS, "<cbc:TimezoneOffset>1</cbc:TimezoneOffset>", INVOICE),
    ("F-LIB212", ADDRESS, "<cac:LocationCoordinate/>", INVOICE),
    (
        "F-LIB046",
        TAX_SCHEME,
        "<cac:JurisdictionRegionAddress><cbc:StreetName>x</cbc:StreetName></cac:JurisdictionRegionAddress>",
        INVOICE,
    ),
    (
        "F-LIB064",
        TAX_SCHEME,
        "<cac:JurisdictionRegionAddress><cac:LocationCoordinate/></cac:JurisdictionRegionAddress>",
        INVOICE,
    ),
    (
        "F-LIB167",
        CUSTOMER,
        "<cbc:MarkAttentionIndicator>false</cbc:MarkAttentionIndicator>",
        INVOICE,
    ),
    ("F-LIB168", CUSTOMER, "<cac:AgentParty/>", INVOICE),
    ("F-LIB072", HEADER_SUBTOTAL + "/cac:TaxCategory", "<cbc:TierRange>1</cbc:TierRange>", INVOICE),
    (
        "F-LIB073",
        HEADER_SUBTOTAL + "/cac:TaxCategory",
        "<cbc:TierRatePercent>1</cbc:TierRatePercent>",
        INVOICE,
    ),
    ("F-LIB255", HEADER_SUBTOTAL, "<cbc:BaseUnitMeasure>1</cbc:BaseUnitMeasure>", INVOICE),
    (
        "F-LIB256",
        HEADER_SUBTOTAL,
        '<cbc:PerUnitAmount currencyID="DKK">1.00</cbc:PerUnitAmount>',
        INVOICE,
    ),
    (
        "F-LIB151",
        PM,
        "<cac:PayerFinancialAccount><cac:FinancialInstitutionBranch><cbc:ID>1234</cbc:ID>"
        "<cac:Address/></cac:FinancialInstitutionBranch></cac:PayerFinancialAccount>",
        INVOICE,
    ),
    ("F-LIB244", PM + "/cac:PayeeFinancialAccount", "<cac:Country/>", INVOICE),
    ("F-INV083", "cac:Delivery", "<cbc:Quantity>1</cbc:Quantity>", INVOICE),
    (
        "F-INV086",
        "cac:Delivery",
        "<cbc:ActualDeliveryTime>10:00:00</cbc:ActualDeliveryTime>",
        INVOICE,
    ),
    ("F-INV238", "cac:Delivery", "<cac:DeliveryAddress/>", INVOICE),
    ("F-INV089", "cac:Delivery", "<cac:PromisedDeliveryPeriod/>", INVOICE),
    ("F-INV136", LINE1, "<cac:DeliveryTerms/>", INVOICE),
    ("F-INV211", LINE1 + "/cac:Item", "<cac:OriginCountry/>", INVOICE),
    (
        "F-INV026",
        ".",
        "<cac:BillingReference><cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID></cac:AdditionalDocumentReference></cac:BillingReference>",
        INVOICE,
    ),
    (
        "F-CRN024",
        "cac:BillingReference",
        "<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID></cac:AdditionalDocumentReference>",
        CREDIT_NOTE,
    ),
    (
        "F-CRN162",
        "cac:BillingReference",
        "<cac:BillingReferenceLine><cbc:ID>1</cbc:ID></cac:BillingReferenceLine>",
        CREDIT_NOTE,
    ),
    (
        "F-CRN026",
        "cac:AccountingSupplierParty",
        "<cbc:DataSendingCapability>x</cbc:DataSendingCapability>",
        CREDIT_NOTE,
    ),
    ("F-LIB210", ADDRESS, "<cbc:BlockName>x</cbc:BlockName>", CREDIT_NOTE),
    ("F-LIB257", HEADER_SUBTOTAL, "<cbc:TierRange>1</cbc:TierRange>", CREDIT_NOTE),
]


@pytest.mark.parametrize(
    ("rule", "path", "xml", "example"),
    [pytest.param(*entry, id=f"{entry[0]}-{entry[3].split('_')[1]}") for entry in EXCLUDED],
)
def test_excluded_element_fires_its_rule(rule: str, path: str, xml: str, example: str) -> None:
    require_shared()
    changed = copy.deepcopy(_example(example))
    add(path, xml, 11 if path == "." else None)(changed)
    assert _fired(changed) == {rule}


@pytest.mark.parametrize(("example", "changes", "expected"), CASES)
def test_rule_fires_on_a_minimal_change(
    example: str, changes: tuple[Change, ...], expected: set[str]
) -> None:
    require_shared()
    original = _example(example)
    assert _fired(original) == set()
    changed = copy.deepcopy(original)
    for change in changes:
        change(changed)
    assert _fired(changed) == expected


def test_findings_carry_flag_location_and_message() -> None:
    require_shared()
    changed = copy.deepcopy(_example(INVOICE))
    text("cbc:InvoiceTypeCode", "390")(changed)
    attr("cbc:InvoiceTypeCode", "listAgencyID", "6")(changed)
    findings = {f.rule: f for f in RULE_SET.check(changed)}
    assert findings["F-INV011"].flag == "fatal"
    assert findings["F-INV011"].location == "/Invoice/cbc:InvoiceTypeCode"
    assert findings["F-INV011"].message == (
        "[F-INV011] Invalid InvoiceTypeCode: '390'. Must be a value from the codelist"
    )
    assert findings["W-INV005"].flag == "warning"
    assert findings["W-INV005"].message == "[W-INV005] Invalid listAgencyID. Must be '320'"


def test_examples_are_read_from_the_shared_folder() -> None:
    require_shared()
    assert Path(EINVOICE_DATA / "examples" / "oioubl" / INVOICE).is_file()


def test_random_corruption_never_crashes_the_rules() -> None:
    require_shared()
    rng = random.Random(5)
    values = ["", "abc", "-1", "1e400", "NaN", "1,2", " ", "0", "-0.001", "INF", "StandardRated"]
    values += ["63", "VAT", "false", "31", "42", "48", "49", "50", "93", "97", "2005-13-40"]
    attributes = ["currencyID", "unitCode", "schemeID", "listID", "languageID", "mimeCode"]
    for name in (INVOICE, CREDIT_NOTE):
        for _ in range(150):
            root = copy.deepcopy(_example(name))
            elements = list(root.iter())[1:]
            for _ in range(rng.randint(1, 5)):
                el = rng.choice(elements)
                parent = el.getparent()
                if parent is None:
                    continue
                action = rng.random()
                if action < 0.5:
                    el.text = rng.choice(values)
                elif action < 0.7:
                    parent.remove(el)
                elif action < 0.85:
                    el.set(rng.choice(attributes), rng.choice(values))
                else:
                    parent.append(copy.deepcopy(el))
            findings = RULE_SET.check(root)
            assert all(
                f.flag in ("fatal", "warning") and f.location.startswith("/") for f in findings
            )


def test_xpath_helpers_keep_the_xpath_meaning() -> None:
    assert fmt(0.5, "##.00") == ".50"
    assert fmt(0.5, "#0.00") == "0.50"
    assert fmt(-0.001, "#0.00") == "-0.00"
    assert fmt(2.665, "#0.00") == "2.66"
    assert fmt(math.nan, "#0.00") == "NaN"
    assert nstr(1262.0) == "1262"
    assert nstr(1e7) == "1.0E7"
    assert nstr(100.1 + 200.2) == "300.29999999999995"
    assert listed(CodeList("DKK,EUR"), "DKK")
    assert listed(CodeList("DKK,EUR"), "DKK,EUR")
    assert not listed(CodeList("DKK,EUR"), "")
    assert not listed(CodeList("DKK,EUR"), "DK")
    assert num(" 1e5 ") == 100000.0
    assert math.isnan(num("1,5"))
    # untyped values compare as strings with strings (XPath 2.0) and as numbers with numbers
    assert not gc("<", ["999"], "1001")
    assert gc("<", ["999"], 1001.0)
    assert gc("!=", ["abc"], 0)
    assert gc("=", ["false"], False)
