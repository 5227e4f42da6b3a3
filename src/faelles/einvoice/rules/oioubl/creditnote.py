"""OIOUBL CreditNote rules (``OIOUBL_CreditNote_Schematron``, schematron 1.17.2).

``TABLE`` lists the rules of every pattern in order: the pattern, the context path and the
checks run on each element that path selects. Checks are the document's own asserts
(functions below) and the common abstract rules they extend.
"""

from __future__ import annotations

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.common import (
    LineAmountRules,
    accounting_cost_check,
    additional_item_property_check,
    address_check,
    address_id_check,
    allowance_charge_top_check,
    attachment_check,
    check_tax_amount,
    check_tax_amount_on_header,
    check_values_when_zero_rated,
    contact_check,
    currency_code_check,
    customization_id_check,
    dec_number_check,
    default_item_identification_check,
    description_language_check_new,
    document_reference_check,
    endpoint_id_check,
    exchange_rate_check,
    known_document_reference_check,
    line_amount_check,
    note_check,
    number_check,
    party_excluded_check,
    party_identification_check,
    party_legal_entity_check,
    party_name_check,
    party_name_language_check,
    party_tax_scheme_check,
    period_check,
    person_first_name_check,
    pos_dec_number_check,
    pos_dec_number_or_converted_check,
    pos_number_check,
    pos_zero_dec_number_or_converted_check,
    pos_zero_number_check,
    price_allowance_charge_top_check_multiplier_factor,
    profile_id_check,
    tax_category_check,
    tax_categoryline_check,
    tax_representative_party_check,
    tax_scheme_check,
    tax_subtotal_calculation_header,
    tax_subtotal_calculation_line,
    tax_subtotal_check,
    tax_total_check,
    ublextensions_check,
    ublversion_id_check,
    unit_code_check,
    uuid_check,
    zero_dec_number_check,
)
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    Item,
    after,
    eq,
    excluded,
    exclusions,
    fmt,
    fs,
    gc,
    kids,
    listed,
    lname,
    nb,
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


def _root(e: El, d: Doc) -> None:
    """/"""
    if lname(e) != "CreditNote":
        d.fail(e, "F-CRN001", "[F-CRN001] Root element must be CreditNote")
    if nsuri(e) != "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2":
        d.fail(
            e,
            "F-CRN204",
            "[F-CRN204] The documenttype does not match an OIOUBL CreditNote and can not be validated by this schematron.",
        )


def _root_2(e: El, d: Doc) -> None:
    """doc:CreditNote"""
    k = kids(e)
    ublversion_id_check(e, d)
    customization_id_check(e, d)
    profile_id_check(e, d)
    if _simple_profile(d) and not bool(k["cac:OrderReference"]):
        d.fail(e, "F-CRN002", "[F-CRN002] There must be an OrderReference class for this profileID")


def _root_3(e: El, d: Doc) -> None:
    """doc:CreditNote"""
    k = kids(e)
    if not ne(k["cbc:DocumentCurrencyCode"], ""):
        d.fail(e, "F-CRN004", "[F-CRN004] Invalid DocumentCurrencyCode. Must contain a value")
    if len(k["cac:TaxTotal"]) == 0:
        d.fail(e, "F-CRN005", "[F-CRN005] One or more TaxTotal class must be present")
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(
            e,
            "F-CRN006",
            "[F-CRN006] Invalid CreditNote/ID (Creditnote number). Must contain a value.",
        )
    accounting_cost_check(e, d)
    if len(k["cac:InvoicePeriod"]) > 1:
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
    if norm(fs(k["cbc:ReferenceID"])) == "":
        d.fail(e, "F-CRN161", "[F-CRN161] Invalid ReferenceID. Must contain a value")
    if bool(k["cbc:ResponseCode"]) and bool(k["cbc:Description"]):
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
    if norm(fs(k["cbc:ID"])) == "":
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
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(e, "F-CRN025", "[F-CRN025] Invalid Signature/ID. Must contain a value.")


def _signature_signatory_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:Signature/cac:SignatoryParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k["cac:PartyLegalEntity"]) > 1:
        d.fail(e, "F-CRN163", "[F-CRN163] No more than one PartyLegalEntity class may be present")


def _accounting_supplier_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingSupplierParty"""
    k = kids(e)
    if k["cbc:DataSendingCapability"]:
        d.fail(e, "F-CRN026", "[F-CRN026] DataSendingCapability element must be excluded")
    if len(k["cac:Party"]) != 1:
        d.fail(e, "F-CRN027", "[F-CRN027] Party class must be present")


def _accounting_supplier_party_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingSupplierParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    if norm(fs(k["cbc:EndpointID"])) == "":
        d.fail(e, "F-CRN028", "[F-CRN028] Invalid EndpointID. Must contain a value")
    if len(k["cac:PartyLegalEntity"]) != 1:
        d.fail(e, "F-CRN031", "[F-CRN031] One PartyLegalEntity class must be present")
    party_name_check(e, d)
    endpoint_id_check(e, d)


def _accounting_customer_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingCustomerParty"""
    k = kids(e)
    if len(k["cac:Party"]) != 1:
        d.fail(e, "F-CRN039", "[F-CRN039] One Party class must be present")


def _accounting_customer_party_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingCustomerParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    if norm(fs(k["cbc:EndpointID"])) == "":
        d.fail(e, "F-CRN040", "[F-CRN040] Invalid EndpointID. Must contain a value")
    if len(k["cac:Contact"]) != 1:
        d.fail(e, "F-CRN042", "[F-CRN042] One Contact class must be present")
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k["cac:PartyLegalEntity"]) > 1:
        d.fail(e, "F-CRN164", "[F-CRN164] No more than one PartyLegalEntity class may be present")


def _accounting_customer_party_party_contact(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:AccountingCustomerParty/cac:Party/cac:Contact"""
    k = kids(e)
    if norm(fs(k["cbc:ID"])) == "":
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
    if len(k["cac:PartyLegalEntity"]) > 1:
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
    line_extension = k["cbc:LineExtensionAmount"]
    tax_exclusive = k["cbc:TaxExclusiveAmount"]
    tax_inclusive = k["cbc:TaxInclusiveAmount"]
    allowance_total = k["cbc:AllowanceTotalAmount"]
    charge_total = k["cbc:ChargeTotalAmount"]
    prepaid = k["cbc:PrepaidAmount"]
    payable_rounding = k["cbc:PayableRoundingAmount"]
    payable = k["cbc:PayableAmount"]
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


def _credit_note_line(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine"""
    k = kids(e)
    v_negative_lea = fs(k["cbc:CreditedQuantity"]).startswith("-")
    v_negative_pa = fs(p(e, "cac:Price/cbc:PriceAmount")).startswith("-")
    v_negative_allowance_amount = bool(
        [
            x1
            for x1 in pm(p(e, "cac:Price/cac:AllowanceCharge"), "cbc:Amount")
            if sv(x1).startswith("-")
        ]
    )
    if not ne(k["cbc:CreditedQuantity"], ""):
        d.fail(e, "F-CRN196", "[F-CRN196] Invalid CreditedQuantity. Must contain a value")
    if len(k["cac:TaxTotal"]) == 0:
        d.fail(e, "F-CRN081", "[F-CRN081] One or more TaxTotal class must be present")
    if not nb(len(k["cac:Item"])) and not nb(len(k["cac:BillingReference"])):
        d.fail(
            e,
            "F-CRN082",
            "[F-CRN082] One Item class must be present when CreditNoteLine/BillingReference is not specified",
        )
    if not nb(len(k["cac:Price"])) and not nb(len(k["cac:BillingReference"])):
        d.fail(
            e,
            "F-CRN083",
            "[F-CRN083] One Price class must be present when CreditNoteLine/BillingReference is not specified",
        )
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(e, "F-CRN084", "[F-CRN084] Invalid CreditNoteLine/ID. Must contain a value.")
    accounting_cost_check(e, d)
    if not (v_negative_lea or v_negative_pa) and v_negative_allowance_amount:
        d.fail(
            e,
            "F-CRN203",
            "[F-CRN203] AllowanceCharge.Amount can not be negative, if CreditedQuantity or Price.PriceAmount is not negative.",
        )
    line_amount_check(e, d, _LINE_AMOUNTS)
    if norm(fs(k["cbc:LineExtensionAmount"])) == "":
        d.fail(
            e,
            "F-CRN207",
            "[F-CRN207] For each CreditNoteLine, LineExtensionAmount must be present and contain a value.",
        )


def _credit_note_line_credited_quantity(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cbc:CreditedQuantity"""
    unit_code_check(e, d)
    if not gc("!=", [e], 0):
        d.fail(e, "F-CRN088", "[F-CRN088] Invalid CreditedQuantity. Must not be zero")


def _credit_note_line_line_extension_amount(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cbc:LineExtensionAmount"""
    if len(after(sv(e), ".")) < 2:
        d.fail(
            e, "F-CRN089", "[F-CRN089] Invalid LineExtensionAmount. Must have at least 2 decimals"
        )
    if len(after(sv(e), ".")) > 4:
        d.fail(e, "F-CRN090", "[F-CRN090] Invalid LineExtensionAmount. No more than 4 decimals")


def _credit_note_line_discrepancy_response(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:DiscrepancyResponse"""
    k = kids(e)
    if norm(fs(k["cbc:ReferenceID"])) == "":
        d.fail(e, "F-CRN168", "[F-CRN168] Invalid ReferenceID. Must contain a value")
    if bool(k["cbc:ResponseCode"]) and bool(k["cbc:Description"]):
        d.fail(e, "F-CRN169", "[F-CRN169] Use either ResponseCode or Description")


def _credit_note_line_discrepancy_response_response_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:DiscrepancyResponse/cbc:ResponseCode"""
    if not eq(p(e, "@listID"), "urn:oioubl:codelist:lineresponsecode-1.0"):
        d.fail(
            e,
            "F-CRN091",
            "[F-CRN091] Invalid listID. Must be 'urn:oioubl:codelist:lineresponsecode-1.0'",
        )
    if not eq(p(e, "@listAgencyID"), "320"):
        d.fail(e, "F-CRN167", "[F-CRN167] Invalid listAgencyID. Must be '320'")


def _credit_note_line_despatch_line_reference(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:DespatchLineReference"""
    k = kids(e)
    if norm(fs(k["cbc:LineID"])) == "":
        d.fail(e, "F-CRN170", "[F-CRN170] Invalid LineID. Must contain a value")


def _credit_note_line_receipt_line_reference(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:ReceiptLineReference"""
    k = kids(e)
    if norm(fs(k["cbc:LineID"])) == "":
        d.fail(e, "F-CRN171", "[F-CRN171] Invalid LineID. Must contain a value")


_CREDIT_NOTE_LINE_BILLING_REFERENCE_EXCLUDED = exclusions(
    (
        "cac:DebitNoteDocumentReference",
        "F-CRN172",
        "[F-CRN172] DebitNoteDocumentReference class must be excluded",
    ),
    (
        "cac:AdditionalDocumentReference",
        "F-CRN173",
        "[F-CRN173] AdditionalDocumentReference class must be excluded",
    ),
)


def _credit_note_line_billing_reference(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:BillingReference"""
    k = kids(e)
    excluded(e, d, _CREDIT_NOTE_LINE_BILLING_REFERENCE_EXCLUDED)
    if len(k["cac:BillingReferenceLine"]) > 1:
        d.fail(
            e, "F-CRN174", "[F-CRN174] No more than one BillingReferenceLine class may be present"
        )


def _credit_note_line_billing_reference_billing_reference_line(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine"""
    k = kids(e)
    if len(k["cac:AllowanceCharge"]) > 1:
        d.fail(e, "F-CRN175", "[F-CRN175] No more than one AllowanceCharge class may be present")


_CREDIT_NOTE_LINE_DELIVERY_EXCLUDED = exclusions(
    (
        "cbc:LatestDeliveryDate",
        "F-CRN098",
        "[F-CRN098] LatestDeliveryDate element must be excluded",
    ),
    (
        "cbc:LatestDeliveryTime",
        "F-CRN099",
        "[F-CRN099] LatestDeliveryTime element must be excluded",
    ),
    ("cac:DeliveryAddress", "F-CRN157", "[F-CRN157] DeliveryAddress class must be excluded"),
    (
        "cac:PromisedDeliveryPeriod",
        "F-CRN100",
        "[F-CRN100] PromisedDeliveryPeriod class must be excluded",
    ),
    (
        "cac:EstimatedDeliveryPeriod",
        "F-CRN101",
        "[F-CRN101] EstimatedDeliveryPeriod class must be excluded",
    ),
)


def _credit_note_line_delivery(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Delivery"""
    excluded(e, d, _CREDIT_NOTE_LINE_DELIVERY_EXCLUDED)


def _credit_note_line_delivery_delivery_location(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryLocation"""
    k = kids(e)
    if not bool(k["cbc:ID"]) and not bool(k["cac:Address"]):
        d.fail(e, "F-CRN158", "[F-CRN158] Address is mandatory when ID is not specified")


def _credit_note_line_delivery_delivery_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k["cac:PartyLegalEntity"]) > 1:
        d.fail(e, "F-CRN176", "[F-CRN176] No more than one PartyLegalEntity class may be present")


def _credit_note_line_item(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item"""
    k = kids(e)
    if k["cac:OriginCountry"]:
        d.fail(e, "F-CRN109", "[F-CRN109] OriginCountry class must be excluded")
    if norm(fs(k["cbc:Name"])) == "":
        d.fail(e, "F-CRN110", "[F-CRN110] Invalid Name for InvoiceLine. Must contain a value")
    if len(k["cbc:Keyword"]) > 1:
        d.fail(e, "F-CRN177", "[F-CRN177] No more than one Keyword element may be present")
    if len(k["cbc:BrandName"]) > 1:
        d.fail(e, "F-CRN178", "[F-CRN178] No more than one BrandName element may be present")
    if len(k["cbc:ModelName"]) > 1:
        d.fail(e, "F-CRN179", "[F-CRN179] No more than one ModelName element may be present")
    if len(k["cac:ManufacturersItemIdentification"]) > 1:
        d.fail(
            e,
            "F-CRN180",
            "[F-CRN180] No more than one ManufacturersItemIdentification class may be present",
        )
    if len(k["cac:AdditionalItemIdentification"]) > 1:
        d.fail(
            e,
            "F-CRN181",
            "[F-CRN181] No more than one AdditionalItemIdentification class may be present",
        )
    if len(k["cac:ItemSpecificationDocumentReference"]) > 1:
        d.fail(
            e,
            "F-CRN182",
            "[F-CRN182] No more than one ItemSpecificationDocumentReference class may be present",
        )
    description_language_check_new(e, d)


def _credit_note_line_item_sellers_item_identification(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification"""
    k = kids(e)
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(
            e, "F-CRN115", "[F-CRN115] Invalid SellersItemIdentification/ID. Must contain a value."
        )


def _credit_note_line_item_sellers_item_identification_physical_attribute(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:PhysicalAttribute"""
    k = kids(e)
    if norm(fs(k["cbc:Description"])) == "":
        d.fail(e, "F-CRN119", "[F-CRN119] Invalid Description. Must contain a value")
    if norm(fs(k["cbc:AttributeID"])) == "":
        d.fail(e, "F-CRN118", "[F-CRN118] Invalid AttributeID. Must contain a value")
    description_language_check_new(e, d)


def _credit_note_line_item_sellers_item_identification_measurement_dimension(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:MeasurementDimension"""
    k = kids(e)
    if norm(fs(k["cbc:AttributeID"])) == "":
        d.fail(e, "F-CRN189", "[F-CRN189] Invalid AttributeID. Must contain a value")
    description_language_check_new(e, d)


def _credit_note_line_item_commodity_classification(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:CommodityClassification"""
    k = kids(e)
    if bool(k["cbc:ItemClassificationCode"]) and not eq(
        p(e, "cbc:ItemClassificationCode/@listID"), "UNSPSC"
    ):
        d.fail(e, "W-CRN132", "[W-CRN132] Use a Valid UNSPSC 19.0501 code")


def _credit_note_line_item_additional_item_property(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k["cbc:Name"])) == "":
        d.fail(e, "F-CRN133", "[F-CRN133] Invalid Name. Must contain a value")
    if norm(fs(k["cbc:Value"])) == "":
        d.fail(e, "F-CRN151", "[F-CRN151] Invalid Value. Must contain a value")
    additional_item_property_check(e, d)


def _credit_note_line_item_additional_item_property_item_property_group(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(e, "F-CRN152", "[F-CRN152] Invalid ID. Must contain a value")


def _credit_note_line_item_item_instance_additional_item_property(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k["cbc:Name"])) == "":
        d.fail(e, "F-CRN190", "[F-CRN190] Invalid Name. Must contain a value")
    if norm(fs(k["cbc:Value"])) == "":
        d.fail(e, "F-CRN191", "[F-CRN191] Invalid Value. Must contain a value")


def _credit_note_line_item_item_instance_additional_item_property_item_property_group(
    e: El, d: Doc
) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(e, "F-CRN192", "[F-CRN192] Invalid ID. Must contain a value")


def _credit_note_line_item_item_instance_lot_identification_additional_item_property(
    e: El, d: Doc
) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k["cbc:Name"])) == "":
        d.fail(e, "F-CRN185", "[F-CRN185] Invalid Name. Must contain a value")
    if norm(fs(k["cbc:Value"])) == "":
        d.fail(e, "F-CRN186", "[F-CRN186] Invalid Value. Must contain a value")


def _credit_note_line_item_item_instance_lot_identification_additional_item_property_item_property_group(
    e: El, d: Doc
) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(e, "F-CRN187", "[F-CRN187] Invalid ID. Must contain a value")


def _credit_note_line_item_certificate_id(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:Certificate/cbc:ID"""
    if norm(sv(e)) == "":
        d.fail(e, "F-CRN203", "[F-CRN203] cbc:ID must contain a value.")
    if not listed(CL.Environment_Value, sv(e)):
        d.fail(
            e,
            "F-CRN211",
            "[F-CRN211] Invalid cac:CertificateTypeCode: '"
            + vo([e])
            + "' Must be a value from the codelist: PackagingMarkedLabelAccreditationCode from GS1 Global Data Dictionary.",
        )


def _credit_note_line_item_certificate_certificate_type_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:Certificate/cbc:CertificateTypeCode"""
    if norm(sv(e)) == "":
        d.fail(e, "F-CRN204", "[F-CRN204] cac:CertificateTypeCode must contain a value.")


def _credit_note_line_item_certificate_certificate_type(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:Certificate/cbc:CertificateType"""
    if norm(sv(e)) == "":
        d.fail(e, "F-CRN205", "[F-CRN205] cbc:CertificateType must contain a value.")


def _credit_note_line_price_price_change_reason(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Price/cbc:PriceChangeReason"""
    language_id = p(e, "@languageID")
    if (len(p(e, "../cbc:PriceChangeReason")) > 1) and not bool(language_id):
        d.fail(
            e,
            "W-CRN139",
            "[W-CRN139] The attribute languageID should be used when more than one PriceChangeReason element is present",
        )
    if gc("=", p(e, "following-sibling::*/@languageID"), language_id):
        d.fail(
            e,
            "W-CRN140",
            "[W-CRN140] Multilanguage error. Replicated PriceChangeReason elements with same languageID attribute value",
        )


def _credit_note_line_price_price_type_code(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Price/cbc:PriceTypeCode"""
    if not eq(p(e, "@listID"), "UN/ECE 5387"):
        d.fail(e, "F-CRN141", "[F-CRN141] Invalid listID. Must be 'UN/ECE 5387'")


TABLE = [
    ("ublextensions", "doc:CreditNote", (ublextensions_check,)),
    ("profile", "/", (_root,)),
    ("profile", "doc:CreditNote", (_root_2,)),
    ("creditnote", "doc:CreditNote", (_root_3,)),
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
    # shadowed: first match in pattern doc:CreditNote/cac:InvoicePeriod
    ("discrepancyresponse", "doc:CreditNote/cac:DiscrepancyResponse", (_discrepancy_response,)),
    (
        "discrepancyresponse",
        "doc:CreditNote/cac:DiscrepancyResponse/cbc:ResponseCode",
        (_discrepancy_response_response_code,),
    ),
    # shadowed: first match in pattern doc:CreditNote/cac:DiscrepancyResponse
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
    # shadowed: first match in pattern doc:CreditNote/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation/cac:ValidityPeriod
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
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine", (_credit_note_line,)),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cbc:CreditedQuantity",
        (_credit_note_line_credited_quantity,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cbc:LineExtensionAmount",
        (_credit_note_line_line_extension_amount,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:DiscrepancyResponse",
        (_credit_note_line_discrepancy_response,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:DiscrepancyResponse/cbc:ResponseCode",
        (_credit_note_line_discrepancy_response_response_code,),
    ),
    # shadowed: first match in pattern doc:CreditNote/cac:CreditNoteLine/cac:DiscrepancyResponse
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:DespatchLineReference",
        (_credit_note_line_despatch_line_reference,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:DespatchLineReference/cac:DocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:ReceiptLineReference",
        (_credit_note_line_receipt_line_reference,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:ReceiptLineReference/cac:DocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference",
        (_credit_note_line_billing_reference,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:InvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:SelfBilledInvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:CreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:SelfBilledCreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:ReminderDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine",
        (_credit_note_line_billing_reference_billing_reference_line,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge",
        (allowance_charge_top_check, accounting_cost_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cbc:SequenceNumeric",
        (pos_number_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cbc:Amount",
        (number_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cbc:BaseAmount",
        (number_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cac:TaxCategory",
        (tax_category_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:DocumentReference",
        (document_reference_check,),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:PricingReference", ()),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery",
        (_credit_note_line_delivery,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryLocation",
        (_credit_note_line_delivery_delivery_location,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryLocation/cac:Address",
        (address_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:RequestedDeliveryPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty",
        (_credit_note_line_delivery_delivery_party,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PostalAddress",
        (address_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:Contact",
        (contact_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty/cac:Person",
        (person_first_name_check,),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:TaxTotal", (tax_total_check,)),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:TaxTotal/cac:TaxSubtotal",
        (tax_subtotal_check, tax_subtotal_calculation_line),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory",
        (tax_category_check, check_values_when_zero_rated, check_tax_amount),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:Item", (_credit_note_line_item,)),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:BuyersItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification",
        (_credit_note_line_item_sellers_item_identification,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:PhysicalAttribute",
        (_credit_note_line_item_sellers_item_identification_physical_attribute,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:MeasurementDimension",
        (_credit_note_line_item_sellers_item_identification_measurement_dimension,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ManufacturersItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:CatalogueItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:CatalogueDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemSpecificationDocumentReference",
        (document_reference_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:CommodityClassification",
        (_credit_note_line_item_commodity_classification,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:TransactionConditions",
        (description_language_check_new,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:TransactionConditions/cac:DocumentReference",
        (document_reference_check,),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:HazardousItem", ()),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory",
        (tax_category_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty",
        (_credit_note_line_item_additional_item_property,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:UsabilityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
        (_credit_note_line_item_additional_item_property_item_property_group,),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ManufacturerParty", ()),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:InformationContentProviderParty",
        (),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:OriginAddress",
        (address_check,),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance", ()),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty",
        (_credit_note_line_item_item_instance_additional_item_property,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty/cac:UsabilityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
        (_credit_note_line_item_item_instance_additional_item_property_item_property_group,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification",
        (),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty",
        (_credit_note_line_item_item_instance_lot_identification_additional_item_property,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty/cac:UsabilityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
        (
            _credit_note_line_item_item_instance_lot_identification_additional_item_property_item_property_group,
        ),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:Certificate/cbc:ID",
        (_credit_note_line_item_certificate_id,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:Certificate/cbc:CertificateTypeCode",
        (_credit_note_line_item_certificate_certificate_type_code,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:Certificate/cbc:CertificateType",
        (_credit_note_line_item_certificate_certificate_type,),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:Price", ()),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cbc:BaseQuantity",
        (unit_code_check, pos_zero_number_check),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cbc:PriceChangeReason",
        (_credit_note_line_price_price_change_reason,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cbc:PriceTypeCode",
        (_credit_note_line_price_price_type_code,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cbc:OrderableUnitFactorRate",
        (pos_zero_number_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    ("creditnoteline", "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:PriceList", ()),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:AllowanceCharge",
        (price_allowance_charge_top_check_multiplier_factor,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:SequenceNumeric",
        (pos_number_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:Amount",
        (number_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:BaseAmount",
        (number_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cac:TaxCategory",
        (tax_category_check,),
    ),
    (
        "creditnoteline",
        "doc:CreditNote/cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
]


_LINE_AMOUNTS = LineAmountRules(
    quantity="cbc:CreditedQuantity",
    default_base=None,
    not_evaluated="W-CRN154",
    plain=("F-CRN194", "F-CRN210", "F-CRN216"),
    multiply=("F-CRN212", "F-CRN213", "F-CRN198"),
    divide=("F-CRN214", "F-CRN215", "F-CRN199"),
    multiply_factor=("F-CRN200", "F-CRN217", "F-CRN218"),
    divide_factor=("F-CRN201", "F-CRN219", "F-CRN220"),
    messages={
        "W-CRN154": "[W-CRN154] CreditNote line '{id}' with lineExtensionAmount ({amount}) cannot be evaluated since either 'cbc:CalculationRate', 'cbc:MathematicOperatorCode' or both are not present in 'CreditNote/cac:PricingExchangeRate'",
        "F-CRN212": "[F-CRN212] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal CreditedQuantity ({quantity}) * Price.PriceAmount ({price}) * CreditNote.PricingExchangeRate.CalculationRate) (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply' and OrderableUnitFactorRate is not present) +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-CRN213": "[F-CRN213] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal ((Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * CreditedQuantity ({quantity})) * CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply' and OrderableUnitFactorRate is not present) +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-CRN198": "[F-CRN198] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * CreditedQuantity ({quantity}) * CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply' and OrderableUnitFactorRate is not present) +/- 1.00.",
        "F-CRN214": "[F-CRN214] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal (CreditedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor})) div CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide' and OrderableUnitFactorRate is not present) +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-CRN215": "[F-CRN215] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal ((Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * CreditedQuantity ({quantity})) div CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide' and OrderableUnitFactorRate is not present) +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-CRN199": "[F-CRN199] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * CreditedQuantity ({quantity}) div CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide' and OrderableUnitFactorRate is not present) +/- 1.00.",
        "F-CRN194": "[F-CRN194] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal CreditedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor}) +/- 1.00 (CreditedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-CRN210": "[F-CRN210] CreditNote line '{id}' with lineExtensionAmount ({formatted}) must equal (Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * CreditedQuantity ({quantity}) +/- 1.00 (CreditedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-CRN216": "[F-CRN216] CreditNote line '{id}' with lineExtensionAmount ({formatted}) must equal Price.PriceAmount ({price}) * CreditedQuantity ({quantity}) +/- 1.00.",
        "F-CRN200": "[F-CRN200] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal CreditedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor}) * CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply') +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-CRN217": "[F-CRN217] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal (Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * CreditedQuantity ({quantity}) * CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply') +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-CRN218": "[F-CRN218] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * CreditedQuantity * CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply') +/- 1.00.",
        "F-CRN201": "[F-CRN201] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal (CreditedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor})) div CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide') +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-CRN219": "[F-CRN219] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal ((Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * CreditedQuantity ({quantity})) div CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide') +/- 1.00 (CreditNotedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-CRN220": "[F-CRN220] CreditNote line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * CreditedQuantity ({quantity}) div CreditNote.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide') +/- 1.00.",
    },
)
