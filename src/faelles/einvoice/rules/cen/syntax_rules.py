"""The rules of ``syntax``: ids, flags and messages as in cen-ubl 1.3.16, and the simple tables.

Messages are the official ones, white space normalized as in the rule index.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from lxml import etree

from faelles.einvoice.findings import Finding, Flag
from faelles.einvoice.xml import location


class Rule(NamedTuple):
    """One official assert."""

    id: str
    flag: Flag
    message: str

    def at(self, el: etree._Element) -> Finding:
        return Finding(self.id, self.flag, location(el), self.message)


def rule(rule_id: str, flag: Flag, text: str) -> Rule:
    """The assert ``rule_id``; its message is ``[rule_id]-text``."""
    return Rule(rule_id, flag, f"[{rule_id}]-{text}")


BR_CL_01 = rule("BR-CL-01", "fatal", "The document type code MUST be coded by the invoice and credit note related code lists of UNTDID 1001.")  # fmt: skip
BR_CL_03 = rule("BR-CL-03", "fatal", "currencyID MUST be coded using ISO code list 4217 alpha-3")
BR_CL_04 = rule("BR-CL-04", "fatal", "Invoice currency code MUST be coded using ISO code list 4217 alpha-3")  # fmt: skip
BR_CL_05 = rule("BR-CL-05", "fatal", "Tax currency code MUST be coded using ISO code list 4217 alpha-3")  # fmt: skip
BR_CL_06 = rule("BR-CL-06", "fatal", "Value added tax point date code MUST be coded using a restriction of UNTDID 2005.")  # fmt: skip
BR_CL_07 = rule("BR-CL-07", "fatal", "Object identifier identification scheme identifier MUST be coded using a restriction of UNTDID 1153.")  # fmt: skip
BR_CL_08 = rule("BR-CL-08", "fatal", "Invoiced note subject code shall be coded using UNCL4451")
BR_CL_10 = rule("BR-CL-10", "fatal", "Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.")  # fmt: skip
BR_CL_11 = rule("BR-CL-11", "fatal", "Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.")  # fmt: skip
BR_CL_13 = rule("BR-CL-13", "fatal", "Item classification identifier identification scheme identifier MUST be coded using one of the UNTDID 7143 list.")  # fmt: skip
BR_CL_14 = rule("BR-CL-14", "fatal", "Country codes in an invoice MUST be coded using ISO code list 3166-1")  # fmt: skip
BR_CL_15 = rule("BR-CL-15", "fatal", "Country codes in an invoice MUST be coded using ISO code list 3166-1")  # fmt: skip
BR_CL_16 = rule("BR-CL-16", "fatal", "Payment means in an invoice MUST be coded using UNCL4461 code list")  # fmt: skip
BR_CL_17 = rule("BR-CL-17", "fatal", "Invoice tax categories MUST be coded using UNCL5305 code list")  # fmt: skip
BR_CL_18 = rule("BR-CL-18", "fatal", "Invoice tax categories MUST be coded using UNCL5305 code list")  # fmt: skip
BR_CL_19 = rule("BR-CL-19", "fatal", "Coded allowance reasons MUST belong to the UNCL 5189 code list")  # fmt: skip
BR_CL_20 = rule("BR-CL-20", "fatal", "Coded charge reasons MUST belong to the UNCL 7161 code list")  # fmt: skip
BR_CL_21 = rule("BR-CL-21", "fatal", "Item standard identifier scheme identifier MUST belong to the ISO 6523 ICD code list")  # fmt: skip
BR_CL_22 = rule("BR-CL-22", "fatal", "Tax exemption reason code identifier scheme identifier MUST belong to the CEF VATEX code list")  # fmt: skip
BR_CL_23 = rule("BR-CL-23", "fatal", "Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension")  # fmt: skip
BR_CL_24 = rule("BR-CL-24", "fatal", "For Mime code in attribute use MIMEMediaType.")
BR_CL_25 = rule("BR-CL-25", "fatal", "Endpoint identifier scheme identifier MUST belong to the CEF EAS code list")  # fmt: skip
BR_CL_26 = rule("BR-CL-26", "fatal", "Delivery location identifier scheme identifier MUST belong to the ISO 6523 ICD code list")  # fmt: skip

UBL_DT_01 = rule("UBL-DT-01", "fatal", "Amounts shall be decimal up to two fraction digits")
UBL_DT_06 = rule("UBL-DT-06", "fatal", "Binary object elements shall contain the mime code attribute")  # fmt: skip
UBL_DT_07 = rule("UBL-DT-07", "fatal", "Binary object elements shall contain the file name attribute")  # fmt: skip
UBL_DT_18 = rule("UBL-DT-18", "warning", "Name attribute should not be present")

# UBL-DT-08 … -28 (but -18): ``not(//@attribute)`` on the document element.
# fmt: off
ATTRIBUTES_NOT_USED: Final[dict[str | bytes, Rule]] = {
    "schemeName": rule("UBL-DT-08", "warning", "Scheme name attribute should not be present"),
    "schemeAgencyName": rule("UBL-DT-09", "warning", "Scheme agency name attribute should not be present"),
    "schemeDataURI": rule("UBL-DT-10", "warning", "Scheme data uri attribute should not be present"),
    "schemeURI": rule("UBL-DT-11", "warning", "Scheme uri attribute should not be present"),
    "format": rule("UBL-DT-12", "warning", "Format attribute should not be present"),
    "unitCodeListIdentifier": rule("UBL-DT-13", "warning", "Unit code list identifier attribute should not be present"),
    "unitCodeListAgencyIdentifier": rule("UBL-DT-14", "warning", "Unit code list agency identifier attribute should not be present"),
    "unitCodeListAgencyName": rule("UBL-DT-15", "warning", "Unit code list agency name attribute should not be present"),
    "listAgencyName": rule("UBL-DT-16", "warning", "List agency name attribute should not be present"),
    "listName": rule("UBL-DT-17", "warning", "List name attribute should not be present"),
    "languageID": rule("UBL-DT-19", "warning", "Language identifier attribute should not be present"),
    "listURI": rule("UBL-DT-20", "warning", "List uri attribute should not be present"),
    "listSchemeURI": rule("UBL-DT-21", "warning", "List scheme uri attribute should not be present"),
    "languageLocaleID": rule("UBL-DT-22", "warning", "Language local identifier attribute should not be present"),
    "uri": rule("UBL-DT-23", "warning", "Uri attribute should not be present"),
    "currencyCodeListVersionID": rule("UBL-DT-24", "warning", "Currency code list version id should not be present"),
    "characterSetCode": rule("UBL-DT-25", "warning", "CharacterSetCode attribute should not be present"),
    "encodingCode": rule("UBL-DT-26", "warning", "EncodingCode attribute should not be present"),
    "schemeAgencyID": rule("UBL-DT-27", "warning", "Scheme Agency ID attribute should not be present"),
    "listAgencyID": rule("UBL-DT-28", "warning", "List Agency ID attribute should not be present"),
}
# fmt: on

# UBL-SR rules of the form ``count(path) <= 1`` on the document element.
# fmt: off
MAX_ONCE: Final[tuple[tuple[Rule, str], ...]] = (
    (rule("UBL-SR-01", "fatal", "Contract identifier shall occur maximum once."), "cac:ContractDocumentReference/cbc:ID"),
    (rule("UBL-SR-02", "fatal", "Receive advice identifier shall occur maximum once"), "cac:ReceiptDocumentReference/cbc:ID"),
    (rule("UBL-SR-03", "fatal", "Despatch advice identifier shall occur maximum once"), "cac:DespatchDocumentReference/cbc:ID"),
    (rule("UBL-SR-05", "fatal", "Payment terms shall occur maximum once"), "cac:PaymentTerms/cbc:Note"),
    (rule("UBL-SR-08", "fatal", "Invoice period shall occur maximum once"), "cac:InvoicePeriod"),
    (rule("UBL-SR-09", "fatal", "Seller name shall occur maximum once"), "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    (rule("UBL-SR-10", "fatal", "Seller trader name shall occur maximum once"), "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name"),
    (rule("UBL-SR-11", "fatal", "Seller legal registration identifier shall occur maximum once"), "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
    (rule("UBL-SR-14", "fatal", "Seller additional legal information shall occur maximum once"), "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm"),
    (rule("UBL-SR-15", "fatal", "Buyer name shall occur maximum once"), "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    (rule("UBL-SR-16", "fatal", "Buyer identifier shall occur maximum once"), "cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID"),
    (rule("UBL-SR-17", "fatal", "Buyer legal registration identifier shall occur maximum once"), "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
    (rule("UBL-SR-24", "fatal", "Deliver to information shall occur maximum once"), "cac:Delivery"),
    (rule("UBL-SR-39", "fatal", "Project reference shall occur maximum once."), "cac:ProjectReference/cbc:ID"),
    (rule("UBL-SR-40", "fatal", "Buyer trade name shall occur maximum once"), "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name"),
    (rule("UBL-SR-45", "fatal", "Due Date shall occur maximum once"), "cac:PaymentMeans/cbc:PaymentDueDate"),
    (rule("UBL-SR-46", "fatal", "Payment means text shall occur maximum once"), "cac:PaymentMeans/cbc:PaymentMeansCode/@name"),
    (rule("UBL-SR-49", "fatal", "Value tax point date shall occur maximum once"), "cac:InvoicePeriod/cbc:DescriptionCode"),
    (rule("UBL-SR-54", "fatal", "An Invoice shall contain maximum one Payment Card account (BG-18)."), "cac:PaymentMeans/cac:CardAccount"),
    (rule("UBL-SR-55", "fatal", "An Invoice shall contain maximum one Payment Mandate (BG-19)."), "cac:PaymentMeans/cac:PaymentMandate"),
    (rule("UBL-SR-56", "fatal", "An Invoice shall contain maximum one Originator document reference identifier (BT-17)."), "cac:OriginatorDocumentReference/cbc:ID"),
)
# fmt: on

UBL_SR_04 = rule("UBL-SR-04", "fatal", "Invoice object identifier shall occur maximum once")
UBL_SR_06 = rule("UBL-SR-06", "fatal", "Preceding invoice reference shall occur maximum once")
UBL_SR_07 = rule("UBL-SR-07", "fatal", "If there is a preceding invoice reference, the preceding invoice number shall be present")  # fmt: skip
UBL_SR_12 = rule("UBL-SR-12", "fatal", "Seller VAT identifier shall occur maximum once")
UBL_SR_13 = rule("UBL-SR-13", "fatal", "Seller tax registration shall occur maximum once")
UBL_SR_18 = rule("UBL-SR-18", "fatal", "Buyer VAT identifier shall occur maximum once")
UBL_SR_19 = rule("UBL-SR-19", "fatal", "Payee name shall occur maximum once, if the Payee is different from the Seller")  # fmt: skip
UBL_SR_20 = rule("UBL-SR-20", "fatal", "Payee identifier shall occur maximum once, if the Payee is different from the Seller")  # fmt: skip
UBL_SR_21 = rule("UBL-SR-21", "fatal", "Payee legal registration identifier shall occur maximum once, if the Payee is different from the Seller")  # fmt: skip
UBL_SR_22 = rule("UBL-SR-22", "fatal", "Seller tax representative name shall occur maximum once, if the Seller has a tax representative")  # fmt: skip
UBL_SR_23 = rule("UBL-SR-23", "fatal", "Seller tax representative VAT identifier shall occur maximum once, if the Seller has a tax representative")  # fmt: skip
UBL_SR_25 = rule("UBL-SR-25", "fatal", "Deliver to party name shall occur maximum once")
UBL_SR_26 = rule("UBL-SR-26", "fatal", "Payment reference shall occur maximum once")
UBL_SR_27 = rule("UBL-SR-27", "fatal", "Payment means text shall occur maximum once")
UBL_SR_28 = rule("UBL-SR-28", "fatal", "Mandate reference identifier shall occur maximum once")
UBL_SR_29 = rule("UBL-SR-29", "fatal", "Bank creditor reference shall occur maximum once")
UBL_SR_30 = rule("UBL-SR-30", "fatal", "Document level allowance reason shall occur maximum once")
UBL_SR_31 = rule("UBL-SR-31", "fatal", "Document level charge reason shall occur maximum once")
UBL_SR_32 = rule("UBL-SR-32", "fatal", "VAT exemption reason text shall occur maximum once")
UBL_SR_33 = rule("UBL-SR-33", "fatal", "Supporting document description shall occur maximum once")
UBL_SR_34 = rule("UBL-SR-34", "fatal", "Invoice line note shall occur maximum once")
UBL_SR_35 = rule("UBL-SR-35", "fatal", "Referenced purchase order line identifier shall occur maximum once")  # fmt: skip
UBL_SR_36 = rule("UBL-SR-36", "fatal", "Invoice line period shall occur maximum once")
UBL_SR_37 = rule("UBL-SR-37", "fatal", "Item price discount shall occur maximum once")
UBL_SR_42 = rule("UBL-SR-42", "fatal", "Party tax scheme shall occur maximum twice in accounting supplier party")  # fmt: skip
UBL_SR_43 = rule("UBL-SR-43", "fatal", "Scheme identifier shall only be used for invoiced object (document type code with value 130 or 50)")  # fmt: skip
UBL_SR_44 = rule("UBL-SR-44", "fatal", "An Invoice may only have one unique PaymentID, but the PaymentID may be used for multiple PaymentMeans")  # fmt: skip
UBL_SR_47 = rule("UBL-SR-47", "fatal", "When there are more than one payment means code, they shall be equal")  # fmt: skip
UBL_SR_48 = rule("UBL-SR-48", "fatal", "Invoice lines shall have one and only one classified tax category.")  # fmt: skip
UBL_SR_50 = rule("UBL-SR-50", "fatal", "Item description shall occur maximum once")
UBL_SR_51 = rule("UBL-SR-51", "fatal", "An address can only have one third line.")
UBL_SR_52 = rule("UBL-SR-52", "fatal", "Document reference shall occur maximum once")
UBL_SR_53 = rule("UBL-SR-53", "fatal", " CompanyID (VAT Identifier) must be stated when providing the PartyTaxScheme/TaxScheme/ID.")  # fmt: skip

# The conditional UBL-CR rules (the others are the table in syntax_restrictions).
UBL_CR_002 = rule("UBL-CR-002", "warning", "A UBL invoice should not include the UBLVersionID or it should be 2.1")  # fmt: skip
UBL_CR_412 = rule("UBL-CR-412", "warning", "A UBL invoice should not include the PaymentMeans PaymentDueDate")  # fmt: skip
UBL_CR_665 = rule("UBL-CR-665", "warning", "A UBL invoice should not include the AdditionalDocumentReference ID schemeID unless the DocumentTypeCode equals '130'")  # fmt: skip
UBL_CR_666 = rule("UBL-CR-666", "fatal", "A UBL invoice shall not include an AdditionalDocumentReference simultaneously referring an Invoice Object Identifier and an Attachment")  # fmt: skip
UBL_CR_673 = rule("UBL-CR-673", "fatal", "A UBL invoice shall not include an AdditionalDocumentReference simultaneously referring an Invoice Object Identifier and an Document Description")  # fmt: skip
