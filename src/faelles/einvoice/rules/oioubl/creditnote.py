"""OIOUBL CreditNote rules (``OIOUBL_CreditNote_Schematron``, schematron 1.17.2).

``TABLE`` lists the rules of every pattern in order: the pattern, the context path and the
checks run on each element that path selects. Checks are the document's own asserts
(functions below) and the common abstract rules they extend.
"""

from __future__ import annotations

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.common import (
    accounting_cost_check,
    allowance_charge_top_check,
    attachment_check,
    currency_code_check,
    customization_id_check,
    dec_number_check,
    description_language_check_new,
    document_reference_check,
    exchange_rate_check,
    known_document_reference_check,
    note_check,
    number_check,
    period_check,
    pos_dec_number_check,
    pos_dec_number_or_converted_check,
    pos_number_check,
    pos_zero_dec_number_or_converted_check,
    profile_id_check,
    ublextensions_check,
    ublversion_id_check,
    uuid_check,
    zero_dec_number_check,
)
from faelles.einvoice.rules.oioubl.creditnote_lines import LINE_TABLE
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    Item,
    Table,
    cac,
    cbc,
    eq,
    excluded,
    exclusions,
    fmt,
    fs,
    gc,
    kids,
    listed,
    lname,
    ne,
    norm,
    nsuri,
    num,
    p,
    pd,
    pm,
    sv,
    vo,
    xsum,
)
from faelles.einvoice.rules.oioubl.parties import (
    address_check,
    address_id_check,
    contact_check,
    endpoint_id_check,
    party_excluded_check,
    party_identification_check,
    party_legal_entity_check,
    party_name_check,
    party_name_language_check,
    party_tax_scheme_check,
    person_first_name_check,
    tax_representative_party_check,
)
from faelles.einvoice.rules.oioubl.tax import (
    check_tax_amount_on_header,
    tax_category_check,
    tax_categoryline_check,
    tax_scheme_check,
    tax_subtotal_calculation_header,
    tax_subtotal_check,
    tax_total_check,
)

_SIMPLE_PROFILES = frozenset(
    {
        "Procurement-OrdSimR-BilSim-1.0",
        "Procurement-OrdAdv-BilSim-1.0",
        "urn:www.nesubl.eu:profiles:profile7:ver1.0",
        "urn:www.nesubl.eu:profiles:profile7:ver2.0",
    }
)


def _not_free(line: Item) -> bool:
    """``not(cbc:FreeOfChargeIndicator) or cbc:FreeOfChargeIndicator = 'false'``."""
    free = p(line, "cbc:FreeOfChargeIndicator")
    return not free or eq(free, "false")


def _simple_profile(d: Doc) -> bool:
    """The global ``$Simple``: a profile that requires an OrderReference."""
    return any(sv(x) in _SIMPLE_PROFILES for x in p(d.root, "cbc:ProfileID"))


def _document_node(e: El, d: Doc) -> None:
    """/ (the document node: the walker passes the root element)"""
    if lname(e) != "CreditNote":
        d.fail(e, "F-CRN001", "[F-CRN001] Root element must be CreditNote")
    if nsuri(e) != "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2":
        d.fail(
            e,
            "F-CRN204",
            "[F-CRN204] The documenttype does not match an OIOUBL CreditNote and can not be validated by this schematron.",
        )


def _profile_root(e: El, d: Doc) -> None:
    """doc:CreditNote"""
    k = kids(e)
    ublversion_id_check(e, d)
    customization_id_check(e, d)
    profile_id_check(e, d)
    if _simple_profile(d) and not bool(k[cac.OrderReference]):
        d.fail(e, "F-CRN002", "[F-CRN002] There must be an OrderReference class for this profileID")


def _creditnote_root(e: El, d: Doc) -> None:
    """doc:CreditNote"""
    k = kids(e)
    if not ne(k[cbc.DocumentCurrencyCode], ""):
        d.fail(e, "F-CRN004", "[F-CRN004] Invalid DocumentCurrencyCode. Must contain a value")
    if len(k[cac.TaxTotal]) == 0:
        d.fail(e, "F-CRN005", "[F-CRN005] One or more TaxTotal class must be present")
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e,
            "F-CRN006",
            "[F-CRN006] Invalid CreditNote/ID (Creditnote number). Must contain a value.",
        )
    accounting_cost_check(e, d)
    if len(k[cac.InvoicePeriod]) > 1:
        d.fail(e, "F-CRN159", "[F-CRN159] No more than one InvoicePeriod class may be present")
    tax_categoryline_check(e, d)


def _document_currency_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cbc:DocumentCurrencyCode"""
    if bool(
        [
            x1
            for x1 in [
                x1
                for x1 in pm(pm([d.root], "cac:CreditNoteLine"), "cbc:LineExtensionAmount")
                if bool(p(x1, "@currencyID"))
            ]
            if ne(p(x1, "@currencyID"), sv(e))
        ]
    ):
        d.fail(
            e,
            "F-CRN007",
            "[F-CRN007] There is a LineExtensionAmount for one or more CreditNoteLines where the currencyID does not equal the DocumentCurrencyCode",
        )
    if bool(
        [
            x1
            for x1 in [
                x1
                for x1 in pm(pm([d.root], "cac:LegalMonetaryTotal"), "cbc:LineExtensionAmount")
                if bool(p(x1, "@currencyID"))
            ]
            if ne(p(x1, "@currencyID"), sv(e))
        ]
    ):
        d.fail(
            e,
            "F-CRN008",
            "[F-CRN008] There is a LineExtensionAmount where the currencyID does not equal the DocumentCurrencyCode",
        )
    if bool(
        [
            x1
            for x1 in [
                x1
                for x1 in pm(pm([d.root], "cac:LegalMonetaryTotal"), "cbc:PayableAmount")
                if bool(p(x1, "@currencyID"))
            ]
            if ne(p(x1, "@currencyID"), sv(e))
        ]
    ):
        d.fail(
            e,
            "F-CRN009",
            "[F-CRN009] There is a PayableAmount where the currencyID does not equal the DocumentCurrencyCode",
        )
    currency_code_check(e, d)


def _tax_currency_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cbc:TaxCurrencyCode"""
    if not (eq([e], "DKK") or eq([e], "EUR")):
        d.fail(e, "F-CRN011", "[F-CRN011] TaxCurrencyCode must be either DKK or EUR")
    if len(pm([d.root], "cac:TaxTotal/cac:TaxSubtotal/cbc:TransactionCurrencyTaxAmount")) == 0:
        d.fail(
            e,
            "F-CRN013",
            "[F-CRN013] One TransactionCurrencyTaxAmount element must be present when TaxCurrencyCode element is used",
        )
    currency_code_check(e, d)
    if bool(
        [
            x1
            for x1 in pm(
                pm(pd(d, "cac:TaxTotal"), "cac:TaxSubtotal"), "cbc:TransactionCurrencyTaxAmount"
            )
            if ne(p(x1, "@currencyID"), sv(e))
        ]
    ):
        d.fail(
            e,
            "F-CRN209",
            "[F-CRN209] There is a TransactionCurrencyTaxAmount where the currencyID does not equal the TaxCurrencyCode ('"
            + vo([e])
            + "').",
        )


def _pricing_currency_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cbc:PricingCurrencyCode"""
    if bool(
        [
            x1
            for x1 in [
                x1
                for x1 in pm(pm([d.root], "cac:CreditNoteLine/cac:Price"), "cbc:PriceAmount")
                if bool(p(x1, "@currencyID"))
            ]
            if ne(p(x1, "@currencyID"), sv(e))
        ]
    ):
        d.fail(
            e,
            "F-CRN014",
            "[F-CRN014] There is a PriceAmount where the currencyID does not equal the PricingCurrencyCode",
        )
    if len(pm([d.root], "cac:PricingExchangeRate")) == 0:
        d.fail(
            e,
            "F-CRN015",
            "[F-CRN015] One PricingExchangeRate class must be present when PricingCurrencyCode element is used",
        )
    currency_code_check(e, d)


def _payment_currency_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cbc:PaymentCurrencyCode"""
    if len(pm([d.root], "cac:PaymentExchangeRate")) == 0:
        d.fail(
            e,
            "F-CRN016",
            "[F-CRN016] One PaymentExchangeRate class must be present when PaymentCurrencyCode element is used",
        )
    currency_code_check(e, d)


def _payment_alternative_currency_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cbc:PaymentAlternativeCurrencyCode"""
    if len(pm([d.root], "cac:PaymentAlternativeExchangeRate")) == 0:
        d.fail(
            e,
            "F-CRN017",
            "[F-CRN017] One PaymentAlternativeExchangeRate class must be present when PaymentAlternativeCurrencyCode element is used",
        )
    currency_code_check(e, d)


def _discrepancy_response(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:DiscrepancyResponse"""
    k = kids(e)
    if norm(fs(k[cbc.ReferenceID])) == "":
        d.fail(e, "F-CRN161", "[F-CRN161] Invalid ReferenceID. Must contain a value")
    if bool(k[cbc.ResponseCode]) and bool(k[cbc.Description]):
        d.fail(e, "F-CRN188", "[F-CRN188] Use either ResponseCode or Description")


def _discrepancy_response_response_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:DiscrepancyResponse/cbc:ResponseCode"""
    list_id = p(e, "@listID")
    list_agency_id = p(e, "@listAgencyID")
    if ne(list_id, CL.Discrepancy_listID) or not bool(list_id):
        d.fail(
            e, "F-CRN018", "[F-CRN018] Invalid listID. Must be '" + vo(CL.Discrepancy_listID) + "'"
        )
    if ne(list_agency_id, CL.Discrepancy_agencyID) or not bool(list_agency_id):
        d.fail(
            e,
            "F-CRN160",
            "[F-CRN160] Invalid listAgencyID. Must be '" + vo(CL.Discrepancy_agencyID) + "'",
        )
    if not listed(CL.Discrepancy, sv(e)):
        d.fail(
            e,
            "F-CRN193",
            "[F-CRN193] Invalid ResponseCode: '" + vo([e]) + "'. Must be a value from the codelist",
        )


def _order_reference(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:OrderReference"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-CRN022", "[F-CRN022] Invalid OrderReference/ID. Must contain a value.")


_BILLING_REFERENCE_EXCLUDED = exclusions(
    (
        "cac:DebitNoteDocumentReference",
        "F-CRN023",
        "[F-CRN023] DebitNoteDocumentReference class must be excluded",
    ),
    (
        "cac:AdditionalDocumentReference",
        "F-CRN024",
        "[F-CRN024] AdditionalDocumentReference class must be excluded",
    ),
    (
        "cac:BillingReferenceLine",
        "F-CRN162",
        "[F-CRN162] BillingReferenceLine class must be excluded",
    ),
)


def _billing_reference(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:BillingReference"""
    excluded(e, d, _BILLING_REFERENCE_EXCLUDED)


def _signature(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:Signature"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-CRN025", "[F-CRN025] Invalid Signature/ID. Must contain a value.")


def _signature_signatory_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:Signature/cac:SignatoryParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-CRN163", "[F-CRN163] No more than one PartyLegalEntity class may be present")


def _accounting_supplier_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingSupplierParty"""
    k = kids(e)
    if k[cbc.DataSendingCapability]:
        d.fail(e, "F-CRN026", "[F-CRN026] DataSendingCapability element must be excluded")
    if len(k[cac.Party]) != 1:
        d.fail(e, "F-CRN027", "[F-CRN027] Party class must be present")


def _accounting_supplier_party_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingSupplierParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    if norm(fs(k[cbc.EndpointID])) == "":
        d.fail(e, "F-CRN028", "[F-CRN028] Invalid EndpointID. Must contain a value")
    if len(k[cac.PartyLegalEntity]) != 1:
        d.fail(e, "F-CRN031", "[F-CRN031] One PartyLegalEntity class must be present")
    party_name_check(e, d)
    endpoint_id_check(e, d)


def _accounting_customer_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingCustomerParty"""
    k = kids(e)
    if len(k[cac.Party]) != 1:
        d.fail(e, "F-CRN039", "[F-CRN039] One Party class must be present")


def _accounting_customer_party_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingCustomerParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    if norm(fs(k[cbc.EndpointID])) == "":
        d.fail(e, "F-CRN040", "[F-CRN040] Invalid EndpointID. Must contain a value")
    if len(k[cac.Contact]) != 1:
        d.fail(e, "F-CRN042", "[F-CRN042] One Contact class must be present")
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-CRN164", "[F-CRN164] No more than one PartyLegalEntity class may be present")


def _accounting_customer_party_party_contact(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:Contact"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e,
            "F-CRN047",
            "[F-CRN047] Invalid AccountingCustomerParty/Contact/ID. Must contain a value.",
        )
    contact_check(e, d)


def _payee_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:PayeeParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-CRN166", "[F-CRN166] No more than one PartyLegalEntity class may be present")


def _legal_monetary_total(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:LegalMonetaryTotal: the totals against lines, allowances, charges,
    tax and rounding."""
    k = kids(e)
    up = p(e, "..")
    lines = pm(up, "cac:CreditNoteLine")
    tax = xsum(pm(up, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"))
    allowances = [
        x for x in pm(up, "cac:AllowanceCharge") if eq(p(x, "cbc:ChargeIndicator"), "false")
    ]
    charges = [x for x in pm(up, "cac:AllowanceCharge") if eq(p(x, "cbc:ChargeIndicator"), "true")]
    rounding = pm(up, "cac:TaxTotal/cbc:RoundingAmount")
    line_extension = k[cbc.LineExtensionAmount]
    tax_exclusive = k[cbc.TaxExclusiveAmount]
    tax_inclusive = k[cbc.TaxInclusiveAmount]
    allowance_total = k[cbc.AllowanceTotalAmount]
    charge_total = k[cbc.ChargeTotalAmount]
    prepaid = k[cbc.PrepaidAmount]
    payable_rounding = k[cbc.PayableRoundingAmount]
    payable = k[cbc.PayableAmount]
    if norm(fs(line_extension)) == "":
        d.fail(e, "F-CRN066", "[F-CRN066] Invalid LineExtensionAmount. Must contain a value")
    if allowances and not allowance_total:
        d.fail(
            e,
            "F-CRN068",
            "[F-CRN068] AllowanceTotalAmount is mandatory when AllowanceCharge classes (with ChargeIndicator='false') are present",
        )
    if charges and not charge_total:
        d.fail(
            e,
            "F-CRN069",
            "[F-CRN069] ChargeTotalAmount is mandatory when AllowanceCharge classes (with ChargeIndicator='true') are present",
        )
    if rounding and not payable_rounding:
        d.fail(
            e,
            "F-CRN071",
            "[F-CRN071] PayableRoundingAmount is mandatory when TaxTotal/RoundingAmount elements are present",
        )
    # The test sums every line; the message shows the sum of the lines that are not free.
    difference = num(fs(line_extension)) - xsum(pm(lines, "cbc:LineExtensionAmount"))
    if difference > 0.0055 or difference < -0.0055:
        not_free = [x for x in lines if _not_free(x)]
        d.fail(
            e,
            "F-CRN072",
            "[F-CRN072] The sum of CreditNoteLine/LineExtensionAmount ('"
            + fmt(xsum(pm(not_free, "cbc:LineExtensionAmount")), "##.00")
            + "') elements must equal LineExtensionAmount ('"
            + vo(line_extension)
            + "')",
        )
    if tax_exclusive and fmt(num(fs(tax_exclusive)), "##.00") != fmt(tax, "##.00"):
        d.fail(
            e,
            "F-CRN073",
            "[F-CRN073] The sum of TaxTotal/TaxSubtotal/TaxAmount elements must equal TaxExclusiveAmount",
        )
    adjusted = xsum(line_extension) + tax + xsum(charge_total) - xsum(allowance_total)
    if tax_inclusive and fmt(num(fs(tax_inclusive)), "##.00") != fmt(
        adjusted + xsum(payable_rounding), "##.00"
    ):
        d.fail(e, "F-CRN074", "[F-CRN074] TaxInclusiveAmount is calculated incorrectly")
    if allowance_total and fmt(num(fs(allowance_total)), "##.00") != fmt(
        xsum(pm(allowances, "cbc:Amount")), "##.00"
    ):
        d.fail(
            e,
            "F-CRN075",
            "[F-CRN075] The sum of AllowanceCharge/Amount elements (with ChargeIndicator='false') must equal AllowanceTotalAmount",
        )
    if charge_total and fmt(num(fs(charge_total)), "##.00") != fmt(
        xsum(pm(charges, "cbc:Amount")), "##.00"
    ):
        d.fail(
            e,
            "F-CRN076",
            "[F-CRN076] The sum of AllowanceCharge/Amount elements (with ChargeIndicator='true') must equal cbc:ChargeTotalAmount",
        )
    if (
        payable_rounding
        and rounding
        and fmt(num(fs(payable_rounding)), "##.00") != fmt(xsum(rounding), "##.00")
    ):
        d.fail(
            e,
            "F-CRN078",
            "[F-CRN078] The sum of TaxTotal/RoundingAmount elements must equal PayableRoundingAmount",
        )
    if payable_rounding and (gc("<", payable_rounding, -10.0) or gc(">", payable_rounding, 10.0)):
        d.fail(
            e,
            "F-CRN208",
            "[F-CRN208] The LegalMonetaryTotal/PayableRoundingAmount must NOT be less then -10.00 or greater then 10.00.",
        )
    payable_sum = fmt(xsum(payable), "#0.00")
    total_sum = fmt(adjusted - xsum(prepaid) + xsum(payable_rounding), "#0.00")
    # xsl:variable AlteredPayableSum: a total that rounds to minus zero is written 0.00
    altered_payable_sum = "0.00" if num(total_sum) == 0 else total_sum
    if altered_payable_sum != payable_sum:
        d.fail(
            e,
            "F-CRN079",
            "[F-CRN079] PayableAmount is calculated incorrectly - PayableAmount ('"
            + payable_sum
            + "' ) don't match total calculation ('"
            + altered_payable_sum
            + "' )",
        )


TABLE: Table = [
    ("ublextensions", "doc:CreditNote", (ublextensions_check,)),
    ("profile", "/", (_document_node,)),
    ("profile", "doc:CreditNote", (_profile_root,)),
    ("creditnote", "doc:CreditNote", (_creditnote_root,)),
    ("creditnote", "doc:CreditNote/cbc:UUID", (uuid_check,)),
    ("creditnote", "doc:CreditNote/cbc:Note", (note_check,)),
    ("creditnote", "doc:CreditNote/cbc:DocumentCurrencyCode", (_document_currency_code,)),
    ("creditnote", "doc:CreditNote/cbc:TaxCurrencyCode", (_tax_currency_code,)),
    ("creditnote", "doc:CreditNote/cbc:PricingCurrencyCode", (_pricing_currency_code,)),
    ("creditnote", "doc:CreditNote/cbc:PaymentCurrencyCode", (_payment_currency_code,)),
    (
        "creditnote",
        "doc:CreditNote/cbc:PaymentAlternativeCurrencyCode",
        (_payment_alternative_currency_code,),
    ),
    ("invoiceperiod", "doc:CreditNote/cac:InvoicePeriod", (period_check,)),
    # never runs (an earlier rule of the pattern has this context): doc:CreditNote/cac:InvoicePeriod
    ("discrepancyresponse", "doc:CreditNote/cac:DiscrepancyResponse", (_discrepancy_response,)),
    (
        "discrepancyresponse",
        "doc:CreditNote/cac:DiscrepancyResponse/cbc:ResponseCode",
        (_discrepancy_response_response_code,),
    ),
    # never runs (an earlier rule of the pattern has this context): doc:CreditNote/cac:DiscrepancyResponse
    ("orderreference", "doc:CreditNote/cac:OrderReference", (_order_reference,)),
    ("orderreference", "doc:CreditNote/cac:OrderReference/cbc:UUID", (uuid_check,)),
    (
        "orderreference",
        "doc:CreditNote/cac:OrderReference/cac:DocumentReference",
        (known_document_reference_check,),
    ),
    ("billingreference", "doc:CreditNote/cac:BillingReference", (_billing_reference,)),
    (
        "billingreference",
        "doc:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:CreditNote/cac:BillingReference/cac:SelfBilledInvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:CreditNote/cac:BillingReference/cac:CreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:CreditNote/cac:BillingReference/cac:SelfBilledCreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:CreditNote/cac:BillingReference/cac:ReminderDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "despatchdocumentreference",
        "doc:CreditNote/cac:DespatchDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "receiptdocumentreference",
        "doc:CreditNote/cac:ReceiptDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "contractdocumentreference",
        "doc:CreditNote/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "additionaldocumentreference",
        "doc:CreditNote/cac:AdditionalDocumentReference",
        (document_reference_check,),
    ),
    ("signature", "doc:CreditNote/cac:Signature", (_signature,)),
    ("signature", "doc:CreditNote/cac:Signature/cac:SignatoryParty", (_signature_signatory_party,)),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PostalAddress",
        (address_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation/cac:ValidityPeriod",
        (period_check,),
    ),
    # never runs (an earlier rule of the pattern has this context): doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation/cac:ValidityPeriod
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    ("signature", "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:Contact", (contact_check,)),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:Person",
        (person_first_name_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:DigitalSignatureAttachment",
        (attachment_check,),
    ),
    (
        "signature",
        "doc:CreditNote/cac:Signature/cac:OriginalDocumentReference",
        (document_reference_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty",
        (_accounting_supplier_party,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party",
        (_accounting_supplier_party_party,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress",
        (address_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:Contact",
        (contact_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:Party/cac:Person",
        (person_first_name_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:DespatchContact",
        (contact_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:AccountingContact",
        (contact_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:CreditNote/cac:AccountingSupplierParty/cac:SellerContact",
        (contact_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty",
        (_accounting_customer_party,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party",
        (_accounting_customer_party_party,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress",
        (address_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:Contact",
        (_accounting_customer_party_party_contact,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:Person",
        (person_first_name_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:DeliveryContact",
        (contact_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:AccountingContact",
        (contact_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:CreditNote/cac:AccountingCustomerParty/cac:BuyerContact",
        (contact_check,),
    ),
    ("payeeparty", "doc:CreditNote/cac:PayeeParty", (_payee_party,)),
    (
        "payeeparty",
        "doc:CreditNote/cac:PayeeParty/cac:PartyIdentification",
        (party_identification_check,),
    ),
    ("payeeparty", "doc:CreditNote/cac:PayeeParty/cac:PartyName", (party_name_language_check,)),
    ("payeeparty", "doc:CreditNote/cac:PayeeParty/cac:PostalAddress", (address_check,)),
    ("payeeparty", "doc:CreditNote/cac:PayeeParty/cac:PhysicalLocation", (address_id_check,)),
    (
        "payeeparty",
        "doc:CreditNote/cac:PayeeParty/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "payeeparty",
        "doc:CreditNote/cac:PayeeParty/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    ("payeeparty", "doc:CreditNote/cac:PayeeParty/cac:PartyTaxScheme", (party_tax_scheme_check,)),
    (
        "payeeparty",
        "doc:CreditNote/cac:PayeeParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "payeeparty",
        "doc:CreditNote/cac:PayeeParty/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    ("payeeparty", "doc:CreditNote/cac:PayeeParty/cac:Contact", (contact_check,)),
    ("payeeparty", "doc:CreditNote/cac:PayeeParty/cac:Person", (person_first_name_check,)),
    (
        "taxRepresentativeParty",
        "doc:CreditNote/cac:TaxRepresentativeParty",
        (tax_representative_party_check,),
    ),
    (
        "taxRepresentativeParty",
        "doc:CreditNote/cac:TaxRepresentativeParty/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "taxRepresentativeParty",
        "doc:CreditNote/cac:TaxRepresentativeParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("taxexchangerate", "doc:CreditNote/cac:TaxExchangeRate", (exchange_rate_check,)),
    (
        "taxexchangerate",
        "doc:CreditNote/cac:TaxExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "taxexchangerate",
        "doc:CreditNote/cac:TaxExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    ("pricingexchangerate", "doc:CreditNote/cac:PricingExchangeRate", (exchange_rate_check,)),
    (
        "pricingexchangerate",
        "doc:CreditNote/cac:PricingExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "pricingexchangerate",
        "doc:CreditNote/cac:PricingExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    ("paymentexchangerate", "doc:CreditNote/cac:PaymentExchangeRate", (exchange_rate_check,)),
    (
        "paymentexchangerate",
        "doc:CreditNote/cac:PaymentExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "paymentexchangerate",
        "doc:CreditNote/cac:PaymentExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "paymentalternativeexchangerate",
        "doc:CreditNote/cac:PaymentAlternativeExchangeRate",
        (exchange_rate_check,),
    ),
    (
        "paymentalternativeexchangerate",
        "doc:CreditNote/cac:PaymentAlternativeExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "paymentalternativeexchangerate",
        "doc:CreditNote/cac:PaymentAlternativeExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "allowancecharge",
        "doc:CreditNote/cac:AllowanceCharge",
        (allowance_charge_top_check, accounting_cost_check),
    ),
    (
        "allowancecharge",
        "doc:CreditNote/cac:AllowanceCharge/cbc:SequenceNumeric",
        (pos_number_check,),
    ),
    ("allowancecharge", "doc:CreditNote/cac:AllowanceCharge/cbc:Amount", (number_check,)),
    ("allowancecharge", "doc:CreditNote/cac:AllowanceCharge/cbc:BaseAmount", (number_check,)),
    (
        "allowancecharge",
        "doc:CreditNote/cac:AllowanceCharge/cac:TaxCategory",
        (tax_category_check,),
    ),
    (
        "allowancecharge",
        "doc:CreditNote/cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("taxtotal", "doc:CreditNote/cac:TaxTotal", (tax_total_check,)),
    (
        "taxtotal",
        "doc:CreditNote/cac:TaxTotal/cac:TaxSubtotal",
        (tax_subtotal_check, tax_subtotal_calculation_header, check_tax_amount_on_header),
    ),
    (
        "taxtotal",
        "doc:CreditNote/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory",
        (tax_category_check,),
    ),
    (
        "taxtotal",
        "doc:CreditNote/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("legalmonetarytotal", "doc:CreditNote/cac:LegalMonetaryTotal", (_legal_monetary_total,)),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
        (dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
        (dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
        (pos_dec_number_or_converted_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount",
        (dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:ChargeTotalAmount",
        (dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:PrepaidAmount",
        (pos_zero_dec_number_or_converted_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:PayableRoundingAmount",
        (zero_dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount",
        (pos_dec_number_check,),
    ),
    *LINE_TABLE,
]
