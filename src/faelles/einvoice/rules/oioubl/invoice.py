"""OIOUBL Invoice rules (``OIOUBL_Invoice_Schematron``, schematron 1.17.2).

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
    pos_number_check,
    pos_zero_dec_number_check,
    pos_zero_number_check,
    profile_id_check,
    ublextensions_check,
    ublversion_id_check,
    uuid_check,
    zero_dec_number_check,
)
from faelles.einvoice.rules.oioubl.invoice_lines import LINE_TABLE
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
from faelles.einvoice.rules.oioubl.payment import (
    payment_means_check,
    payment_means_code31_check,
    payment_means_code42_check,
    payment_means_code48_check,
    payment_means_code49_check,
    payment_means_code50_check,
    payment_means_code58_check,
    payment_means_code59_check,
    payment_means_code93_check,
    payment_means_code97_check,
    payment_terms_check,
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
    if lname(e) != "Invoice":
        d.fail(e, "F-INV001", "[F-INV001] Root element must be Invoice")
    if nsuri(e) != "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2":
        d.fail(
            e,
            "F-INV336",
            "[F-INV336] The documenttype does not match an OIOUBL Invoice and can not be validated by this schematron.",
        )


def _profile_root(e: El, d: Doc) -> None:
    """doc:Invoice"""
    k = kids(e)
    ublversion_id_check(e, d)
    customization_id_check(e, d)
    profile_id_check(e, d)
    if _simple_profile(d) and not bool(k[cac.OrderReference]):
        d.fail(e, "F-INV002", "[F-INV002] There must be an OrderReference class for this profileID")


def _invoice_root(e: El, d: Doc) -> None:
    """doc:Invoice"""
    k = kids(e)
    if not ne(k[cbc.DocumentCurrencyCode], ""):
        d.fail(e, "F-INV007", "[F-INV007] Invalid DocumentCurrencyCode. Must contain a value")
    if len(k[cac.TaxTotal]) == 0:
        d.fail(e, "F-INV008", "[F-INV008] One or more TaxTotal class must be present")
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e, "F-INV009", "[F-INV009] Invalid Invoice/ID (Invoice number). Must contain a value."
        )
    accounting_cost_check(e, d)
    if len(k[cac.InvoicePeriod]) > 1:
        d.fail(e, "F-INV004", "[F-INV004] No more than one InvoicePeriod class may be present")
    tax_categoryline_check(e, d)


def _invoice_type_code(e: El, d: Doc) -> None:
    """doc:Invoice/cbc:InvoiceTypeCode"""
    list_id = p(e, "@listID")
    if not (eq(list_id, CL.InvTypeCode_listID) or eq(list_id, CL.InvTypeCode2_listID)):
        d.fail(
            e,
            "W-INV010",
            "[W-INV010] Invalid listID. Must be '"
            + vo(CL.InvTypeCode_listID)
            + "' or '"
            + vo(CL.InvTypeCode2_listID)
            + "'",
        )
    if not eq(p(e, "@listAgencyID"), CL.InvTypeCode_agencyID):
        d.fail(
            e,
            "W-INV005",
            "[W-INV005] Invalid listAgencyID. Must be '" + vo(CL.InvTypeCode_agencyID) + "'",
        )
    if eq(list_id, CL.InvTypeCode_listID) and not listed(CL.InvTypeCode, sv(e)):
        d.fail(
            e,
            "F-INV011",
            "[F-INV011] Invalid InvoiceTypeCode: '"
            + vo([e])
            + "'. Must be a value from the codelist",
        )
    if eq(list_id, CL.InvTypeCode2_listID) and not listed(CL.InvTypeCode2, sv(e)):
        d.fail(
            e,
            "F-INV337",
            "[F-INV337] Invalid InvoiceTypeCode: '"
            + vo([e])
            + "'. Must be a value from the codelist",
        )


def _document_currency_code(e: El, d: Doc) -> None:
    """doc:Invoice/cbc:DocumentCurrencyCode"""
    if bool(
        [
            x1
            for x1 in [
                x1
                for x1 in pm(pm([d.root], "cac:InvoiceLine"), "cbc:LineExtensionAmount")
                if bool(p(x1, "@currencyID"))
            ]
            if ne(p(x1, "@currencyID"), sv(e))
        ]
    ):
        d.fail(
            e,
            "F-INV012",
            "[F-INV012] There is a LineExtensionAmount for one or more invoice lines where the currencyID does not equal the DocumentCurrencyCode",
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
            "F-INV013",
            "[F-INV013] There is a LineExtensionAmount where the currencyID does not equal the DocumentCurrencyCode",
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
            "F-INV014",
            "[F-INV014] There is a PayableAmount where the currencyID does not equal the DocumentCurrencyCode",
        )
    currency_code_check(e, d)


def _tax_currency_code(e: El, d: Doc) -> None:
    """doc:Invoice/cbc:TaxCurrencyCode"""
    if not (eq([e], "DKK") or eq([e], "EUR")):
        d.fail(e, "F-INV016", "[F-INV016] TaxCurrencyCode must be either DKK or EUR")
    if len(pm([d.root], "cac:TaxTotal/cac:TaxSubtotal/cbc:TransactionCurrencyTaxAmount")) == 0:
        d.fail(
            e,
            "F-INV018",
            "[F-INV018] One TransactionCurrencyTaxAmount element must be present when TaxCurrencyCode element is used",
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
            "F-INV339",
            "[F-INV339] There is a TransactionCurrencyTaxAmount where the currencyID does not equal the TaxCurrencyCode ('"
            + vo([e])
            + "').",
        )


def _pricing_currency_code(e: El, d: Doc) -> None:
    """doc:Invoice/cbc:PricingCurrencyCode"""
    if bool(
        [
            x1
            for x1 in [
                x1
                for x1 in pm(pm([d.root], "cac:InvoiceLine/cac:Price"), "cbc:PriceAmount")
                if bool(p(x1, "@currencyID"))
            ]
            if ne(p(x1, "@currencyID"), sv(e))
        ]
    ):
        d.fail(
            e,
            "F-INV019",
            "[F-INV019] There is a PriceAmount where the currencyID does not equal the PricingCurrencyCode",
        )
    if len(pm([d.root], "cac:PricingExchangeRate")) == 0:
        d.fail(
            e,
            "F-INV020",
            "[F-INV020] One PricingExchangeRate class must be present when PricingCurrencyCode element is used",
        )
    currency_code_check(e, d)


def _payment_currency_code(e: El, d: Doc) -> None:
    """doc:Invoice/cbc:PaymentCurrencyCode"""
    if len(pm([d.root], "cac:PaymentExchangeRate")) == 0:
        d.fail(
            e,
            "F-INV021",
            "[F-INV021] One PaymentExchangeRate class must be present when PaymentCurrencyCode element is used",
        )
    currency_code_check(e, d)


def _payment_alternative_currency_code(e: El, d: Doc) -> None:
    """doc:Invoice/cbc:PaymentAlternativeCurrencyCode"""
    if len(pm([d.root], "cac:PaymentAlternativeExchangeRate")) == 0:
        d.fail(
            e,
            "F-INV022",
            "[F-INV022] One PaymentAlternativeExchangeRate class must be present when PaymentAlternativeCurrencyCode element is used",
        )
    currency_code_check(e, d)


def _order_reference(e: El, d: Doc) -> None:
    """doc:Invoice/cac:OrderReference"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-INV024", "[F-INV024] Invalid OrderReference/ID. Must contain a value.")


_BILLING_REFERENCE_EXCLUDED = exclusions(
    (
        "cac:DebitNoteDocumentReference",
        "F-INV025",
        "[F-INV025] DebitNoteDocumentReference class must be excluded",
    ),
    (
        "cac:AdditionalDocumentReference",
        "F-INV026",
        "[F-INV026] AdditionalDocumentReference class must be excluded",
    ),
    (
        "cac:BillingReferenceLine",
        "F-INV295",
        "[F-INV295] BillingReferenceLine class must be excluded",
    ),
)


def _billing_reference(e: El, d: Doc) -> None:
    """doc:Invoice/cac:BillingReference"""
    excluded(e, d, _BILLING_REFERENCE_EXCLUDED)


def _signature(e: El, d: Doc) -> None:
    """doc:Invoice/cac:Signature"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-INV027", "[F-INV027] Invalid Signature/ID. Must contain a value")


def _signature_signatory_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:Signature/cac:SignatoryParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-INV297", "[F-INV297] No more than one PartyLegalEntity class may be present")


def _accounting_supplier_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:AccountingSupplierParty"""
    k = kids(e)
    if k[cbc.DataSendingCapability]:
        d.fail(e, "F-INV029", "[F-INV029] DataSendingCapability element must be excluded")
    if len(k[cac.Party]) != 1:
        d.fail(e, "F-INV030", "[F-INV030] Party class must be present")


def _accounting_supplier_party_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:AccountingSupplierParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    if norm(fs(k[cbc.EndpointID])) == "":
        d.fail(e, "F-INV031", "[F-INV031] Invalid EndpointID. Must contain a value")
    if len(k[cac.PartyLegalEntity]) != 1:
        d.fail(e, "F-INV034", "[F-INV034] One PartyLegalEntity class must be present")
    party_name_check(e, d)
    endpoint_id_check(e, d)


def _accounting_customer_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:AccountingCustomerParty"""
    k = kids(e)
    if len(k[cac.Party]) != 1:
        d.fail(e, "F-INV043", "[F-INV043] One Party class must be present")


def _accounting_customer_party_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:AccountingCustomerParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    if norm(fs(k[cbc.EndpointID])) == "":
        d.fail(e, "F-INV044", "[F-INV044] Invalid EndpointID. Must contain a value")
    if len(k[cac.Contact]) != 1:
        d.fail(e, "F-INV046", "[F-INV046] One Contact class must be present")
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-INV045", "[F-INV045] No more than one PartyLegalEntity class may be present")


def _accounting_customer_party_party_contact(e: El, d: Doc) -> None:
    """doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:Contact"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e,
            "F-INV051",
            "[F-INV051] Invalid AccountingCustomerParty/Contact/ID. Must contain a value.",
        )
    contact_check(e, d)


def _payee_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:PayeeParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-INV319", "[F-INV319] No more than one PartyLegalEntity class may be present")


def _buyer_customer_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:BuyerCustomerParty"""
    k = kids(e)
    if len(k[cac.Party]) != 1:
        d.fail(e, "F-INV061", "[F-INV061] Party class must be present")


def _buyer_customer_party_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:BuyerCustomerParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-INV320", "[F-INV320] No more than one PartyLegalEntity class may be present")


def _seller_supplier_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:SellerSupplierParty"""
    k = kids(e)
    if k[cbc.DataSendingCapability]:
        d.fail(e, "F-INV070", "[F-INV070] DataSendingCapability element must be excluded")
    if len(k[cac.Party]) != 1:
        d.fail(e, "F-INV071", "[F-INV071] Party class must be present")


def _seller_supplier_party_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:SellerSupplierParty/cac:Party"""
    k = kids(e)
    party_excluded_check(e, d)
    if len(k[cac.PartyLegalEntity]) != 1:
        d.fail(e, "F-INV075", "[F-INV075] One PartyLegalEntity class must be present")
    party_name_check(e, d)
    endpoint_id_check(e, d)


_DELIVERY_EXCLUDED = exclusions(
    ("cbc:ID", "F-INV082", "[F-INV082] ID element must be excluded"),
    ("cbc:Quantity", "F-INV083", "[F-INV083] Quantity element must be excluded"),
    ("cbc:MinimumQuantity", "F-INV084", "[F-INV084] MinimumQuantity element must be excluded"),
    ("cbc:MaximumQuantity", "F-INV085", "[F-INV085] MaximumQuantity element must be excluded"),
    (
        "cbc:ActualDeliveryTime",
        "F-INV086",
        "[F-INV086] ActualDeliveryTime element must be excluded",
    ),
    (
        "cbc:LatestDeliveryDate",
        "F-INV087",
        "[F-INV087] LatestDeliveryDate element must be excluded",
    ),
    (
        "cbc:LatestDeliveryTime",
        "F-INV088",
        "[F-INV088] LatestDeliveryTime element must be excluded",
    ),
    ("cac:DeliveryAddress", "F-INV238", "[F-INV238] DeliveryAddress class must be excluded"),
    (
        "cac:PromisedDeliveryPeriod",
        "F-INV089",
        "[F-INV089] PromisedDeliveryPeriod class must be excluded",
    ),
    (
        "cac:EstimatedDeliveryPeriod",
        "F-INV090",
        "[F-INV090] EstimatedDeliveryPeriod class must be excluded",
    ),
)


def _delivery(e: El, d: Doc) -> None:
    """doc:Invoice/cac:Delivery"""
    excluded(e, d, _DELIVERY_EXCLUDED)


def _delivery_delivery_location(e: El, d: Doc) -> None:
    """doc:Invoice/cac:Delivery/cac:DeliveryLocation"""
    k = kids(e)
    if not bool(k[cbc.ID]) and not bool(k[cac.Address]):
        d.fail(e, "F-INV239", "[F-INV239] Address is mandatory when ID is not specified")


def _delivery_delivery_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:Delivery/cac:DeliveryParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-INV299", "[F-INV299] No more than one PartyLegalEntity class may be present")


def _delivery_terms(e: El, d: Doc) -> None:
    """doc:Invoice/cac:DeliveryTerms"""
    k = kids(e)
    if k[cac.AllowanceCharge]:
        d.fail(e, "F-INV101", "[F-INV101] AllowanceCharge class must be excluded")
    if bool(k[cbc.ID]) and bool(k[cbc.SpecialTerms]):
        d.fail(e, "F-INV102", "[F-INV102] Use either ID or SpecialTerms")
    if bool(k[cbc.ID]) and not (eq(k[cbc.ID], "Incoterms") or eq(k[cbc.ID], "INCOTERMS")):
        d.fail(e, "W-INV301", "[W-INV301] If used, use INCO terms (ID = 'INCOTERMS')")
    if bool(k[cbc.LossRiskResponsibilityCode]) and bool(k[cbc.LossRisk]):
        d.fail(e, "F-INV103", "[F-INV103] Use either LossRiskResponsibilityCode or LossRisk")


def _delivery_terms_delivery_location(e: El, d: Doc) -> None:
    """doc:Invoice/cac:DeliveryTerms/cac:DeliveryLocation"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e,
            "F-INV302",
            "[F-INV302] Invalid DeliveryTerms/DeliveryLocation/ID. Must contain a value.",
        )


def _legal_monetary_total(e: El, d: Doc) -> None:
    """doc:Invoice/cac:LegalMonetaryTotal: the totals against lines, allowances, charges,
    prepaid amounts, tax, rounding and payment terms."""
    k = kids(e)
    up = p(e, "..")
    line_amounts = pm(
        [x for x in pm(up, "cac:InvoiceLine") if _not_free(x)], "cbc:LineExtensionAmount"
    )
    tax = xsum(pm(up, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"))
    allowances = [
        x for x in pm(up, "cac:AllowanceCharge") if eq(p(x, "cbc:ChargeIndicator"), "false")
    ]
    charges = [x for x in pm(up, "cac:AllowanceCharge") if eq(p(x, "cbc:ChargeIndicator"), "true")]
    paid = pm(up, "cac:PrepaidPayment/cbc:PaidAmount")
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
        d.fail(e, "F-INV120", "[F-INV120] Invalid LineExtensionAmount. Must contain a value")
    if allowances and not allowance_total:
        d.fail(
            e,
            "F-INV122",
            "[F-INV122] AllowanceTotalAmount is mandatory when AllowanceCharge classes (with ChargeIndicator='false') are present",
        )
    if charges and not charge_total:
        d.fail(
            e,
            "F-INV123",
            "[F-INV123] ChargeTotalAmount is mandatory when AllowanceCharge classes (with ChargeIndicator='true') are present",
        )
    if paid and not prepaid:
        d.fail(
            e,
            "F-INV124",
            "[F-INV124] PrepaidAmount is mandatory when PrepaidPayment/PaidAmount elements are present",
        )
    if rounding and not payable_rounding:
        d.fail(
            e,
            "F-INV125",
            "[F-INV125] PayableRoundingAmount is mandatory when TaxTotal/RoundingAmount elements are present",
        )
    difference = num(fs(line_extension)) - xsum(line_amounts)
    if difference > 0.0055 or difference < -0.0055:
        d.fail(
            e,
            "F-INV126",
            "[F-INV126] The sum of InvoiceLine/LineExtensionAmount ('"
            + fmt(xsum(line_amounts), "##.00")
            + "') elements must equal LegalMonetaryTotal/LineExtensionAmount ('"
            + vo(line_extension)
            + "')",
        )
    if tax_exclusive and fmt(num(fs(tax_exclusive)), "##.00") != fmt(tax, "##.00"):
        d.fail(
            e,
            "F-INV127",
            "[F-INV127] The sum of TaxTotal/TaxSubtotal/TaxAmount elements must equal TaxExclusiveAmount",
        )
    adjusted = xsum(line_extension) + tax + xsum(charge_total) - xsum(allowance_total)
    if tax_inclusive and fmt(num(fs(tax_inclusive)), "##.00") != fmt(
        adjusted + xsum(payable_rounding), "##.00"
    ):
        d.fail(e, "F-INV128", "[F-INV128] TaxInclusiveAmount is calculated incorrectly")
    if allowance_total and fmt(num(fs(allowance_total)), "##.00") != fmt(
        xsum(pm(allowances, "cbc:Amount")), "##.00"
    ):
        d.fail(
            e,
            "F-INV129",
            "[F-INV129] The sum of AllowanceCharge/Amount elements (with ChargeIndicator='false') must equal AllowanceTotalAmount",
        )
    if charge_total and fmt(num(fs(charge_total)), "##.00") != fmt(
        xsum(pm(charges, "cbc:Amount")), "##.00"
    ):
        d.fail(
            e,
            "F-INV130",
            "[F-INV130] The sum of AllowanceCharge/Amount elements (with ChargeIndicator='true') must equal cbc:ChargeTotalAmount",
        )
    if prepaid and fmt(num(fs(prepaid)), "##.00") != fmt(xsum(paid), "##.00"):
        d.fail(
            e,
            "F-INV131",
            "[F-INV131] The sum of PrepaidPayment/PaidAmount elements must equal PrepaidAmount",
        )
    if (
        payable_rounding
        and rounding
        and fmt(num(fs(payable_rounding)), "##.00") != fmt(xsum(rounding), "##.00")
    ):
        d.fail(
            e,
            "F-INV132",
            "[F-INV132] The sum of TaxTotal/RoundingAmount elements must equal PayableRoundingAmount",
        )
    if payable_rounding and (gc("<", payable_rounding, -10.0) or gc(">", payable_rounding, 10.0)):
        d.fail(
            e,
            "F-INV338",
            "[F-INV338] The LegalMonetaryTotal/PayableRoundingAmount must NOT be less then -10.00 or greater then 10.00.",
        )
    payable_sum = fmt(xsum(payable), "#0.00")
    total_sum = fmt(adjusted - xsum(prepaid) + xsum(payable_rounding), "#0.00")
    # xsl:variable AlteredPayableSum: a total that rounds to minus zero is written 0.00
    altered_payable_sum = "0.00" if num(total_sum) == 0 else total_sum
    if altered_payable_sum != payable_sum:
        d.fail(
            e,
            "F-INV133",
            "[F-INV133] PayableAmount is calculated incorrectly - PayableAmount ('"
            + payable_sum
            + "' ) don't match total calculation ('"
            + altered_payable_sum
            + "' )",
        )
    terms = pm(up, "cac:PaymentTerms")
    if terms:
        payable_text = fmt(num(fs(payable)), "#0.00")
        if payable_text != fmt(xsum(pm(terms, "cbc:Amount")), "#0.00") and payable_text != fmt(
            num(fs(p(terms[0], "cbc:Amount"))), "#0.00"
        ):
            d.fail(
                e,
                "F-INV134",
                "[F-INV134] The sum of PaymentTerms/Amount elements or the value of the first PaymentTerms/Amount must equal PayableAmount",
            )


TABLE: Table = [
    ("ublextensions", "doc:Invoice", (ublextensions_check,)),
    ("profile", "/", (_document_node,)),
    ("profile", "doc:Invoice", (_profile_root,)),
    ("invoice", "doc:Invoice", (_invoice_root,)),
    ("invoice", "doc:Invoice/cbc:UUID", (uuid_check,)),
    ("invoice", "doc:Invoice/cbc:InvoiceTypeCode", (_invoice_type_code,)),
    ("invoice", "doc:Invoice/cbc:Note", (note_check,)),
    ("invoice", "doc:Invoice/cbc:DocumentCurrencyCode", (_document_currency_code,)),
    ("invoice", "doc:Invoice/cbc:TaxCurrencyCode", (_tax_currency_code,)),
    ("invoice", "doc:Invoice/cbc:PricingCurrencyCode", (_pricing_currency_code,)),
    ("invoice", "doc:Invoice/cbc:PaymentCurrencyCode", (_payment_currency_code,)),
    (
        "invoice",
        "doc:Invoice/cbc:PaymentAlternativeCurrencyCode",
        (_payment_alternative_currency_code,),
    ),
    (
        "invoiceperiod",
        "doc:Invoice/cac:InvoicePeriod",
        (period_check, description_language_check_new),
    ),
    ("orderreference", "doc:Invoice/cac:OrderReference", (_order_reference,)),
    ("orderreference", "doc:Invoice/cac:OrderReference/cbc:UUID", (uuid_check,)),
    (
        "orderreference",
        "doc:Invoice/cac:OrderReference/cac:DocumentReference",
        (known_document_reference_check,),
    ),
    ("billingreference", "doc:Invoice/cac:BillingReference", (_billing_reference,)),
    (
        "billingreference",
        "doc:Invoice/cac:BillingReference/cac:InvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:Invoice/cac:BillingReference/cac:SelfBilledInvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:Invoice/cac:BillingReference/cac:CreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:Invoice/cac:BillingReference/cac:SelfBilledCreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "billingreference",
        "doc:Invoice/cac:BillingReference/cac:ReminderDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "despatchdocumentreference",
        "doc:Invoice/cac:DespatchDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "receiptdocumentreference",
        "doc:Invoice/cac:ReceiptDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "originatordocumentreference",
        "doc:Invoice/cac:OriginatorDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "contractdocumentreference",
        "doc:Invoice/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "additionaldocumentreference",
        "doc:Invoice/cac:AdditionalDocumentReference",
        (document_reference_check,),
    ),
    ("signature", "doc:Invoice/cac:Signature", (_signature,)),
    ("signature", "doc:Invoice/cac:Signature/cac:SignatoryParty", (_signature_signatory_party,)),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PostalAddress",
        (address_check,),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    ("signature", "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:Contact", (contact_check,)),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:SignatoryParty/cac:Person",
        (person_first_name_check,),
    ),
    ("signature", "doc:Invoice/cac:Signature/cac:DigitalSignatureAttachment", (attachment_check,)),
    (
        "signature",
        "doc:Invoice/cac:Signature/cac:OriginalDocumentReference",
        (document_reference_check,),
    ),
    # never runs (an earlier rule of the pattern has this context): doc:Invoice/cac:Signature/cac:DigitalSignatureAttachment
    # never runs (an earlier rule of the pattern has this context): doc:Invoice/cac:Signature/cac:OriginalDocumentReference
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty",
        (_accounting_supplier_party,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party",
        (_accounting_supplier_party_party,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress",
        (address_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:Contact",
        (contact_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:Party/cac:Person",
        (person_first_name_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:DespatchContact",
        (contact_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:AccountingContact",
        (contact_check,),
    ),
    (
        "accountingsupplierparty",
        "doc:Invoice/cac:AccountingSupplierParty/cac:SellerContact",
        (contact_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty",
        (_accounting_customer_party,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party",
        (_accounting_customer_party_party,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress",
        (address_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:Contact",
        (_accounting_customer_party_party_contact,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:Party/cac:Person",
        (person_first_name_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:DeliveryContact",
        (contact_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:AccountingContact",
        (contact_check,),
    ),
    (
        "accountingcustomerparty",
        "doc:Invoice/cac:AccountingCustomerParty/cac:BuyerContact",
        (contact_check,),
    ),
    ("payeeparty", "doc:Invoice/cac:PayeeParty", (_payee_party,)),
    (
        "payeeparty",
        "doc:Invoice/cac:PayeeParty/cac:PartyIdentification",
        (party_identification_check,),
    ),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:PartyName", (party_name_language_check,)),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:PostalAddress", (address_check,)),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:PhysicalLocation", (address_id_check,)),
    (
        "payeeparty",
        "doc:Invoice/cac:PayeeParty/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:PhysicalLocation/cac:Address", (address_check,)),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:PartyTaxScheme", (party_tax_scheme_check,)),
    (
        "payeeparty",
        "doc:Invoice/cac:PayeeParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:PartyLegalEntity", (party_legal_entity_check,)),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:Contact", (contact_check,)),
    ("payeeparty", "doc:Invoice/cac:PayeeParty/cac:Person", (person_first_name_check,)),
    ("buyercustomerparty", "doc:Invoice/cac:BuyerCustomerParty", (_buyer_customer_party,)),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party",
        (_buyer_customer_party_party,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PostalAddress",
        (address_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:Contact",
        (contact_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:Party/cac:Person",
        (person_first_name_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:DeliveryContact",
        (contact_check,),
    ),
    (
        "buyercustomerparty",
        "doc:Invoice/cac:BuyerCustomerParty/cac:AccountingContact",
        (contact_check,),
    ),
    ("buyercustomerparty", "doc:Invoice/cac:BuyerCustomerParty/cac:BuyerContact", (contact_check,)),
    ("sellersupplierparty", "doc:Invoice/cac:SellerSupplierParty", (_seller_supplier_party,)),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party",
        (_seller_supplier_party_party,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PostalAddress",
        (address_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:Contact",
        (contact_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:Party/cac:Person",
        (person_first_name_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:DespatchContact",
        (contact_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:AccountingContact",
        (contact_check,),
    ),
    (
        "sellersupplierparty",
        "doc:Invoice/cac:SellerSupplierParty/cac:SellerContact",
        (contact_check,),
    ),
    (
        "taxRepresentativeParty",
        "doc:Invoice/cac:TaxRepresentativeParty",
        (tax_representative_party_check,),
    ),
    (
        "taxRepresentativeParty",
        "doc:Invoice/cac:TaxRepresentativeParty/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "taxRepresentativeParty",
        "doc:Invoice/cac:TaxRepresentativeParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("delivery", "doc:Invoice/cac:Delivery", (_delivery,)),
    ("delivery", "doc:Invoice/cac:Delivery/cac:DeliveryLocation", (_delivery_delivery_location,)),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    ("delivery", "doc:Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address", (address_check,)),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:RequestedDeliveryPeriod",
        (description_language_check_new, period_check),
    ),
    ("delivery", "doc:Invoice/cac:Delivery/cac:DeliveryParty", (_delivery_delivery_party,)),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PartyName",
        (party_name_language_check,),
    ),
    ("delivery", "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PostalAddress", (address_check,)),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    ("delivery", "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:Contact", (contact_check,)),
    (
        "delivery",
        "doc:Invoice/cac:Delivery/cac:DeliveryParty/cac:Person",
        (person_first_name_check,),
    ),
    ("deliveryterms", "doc:Invoice/cac:DeliveryTerms", (_delivery_terms,)),
    (
        "deliveryterms",
        "doc:Invoice/cac:DeliveryTerms/cac:DeliveryLocation",
        (_delivery_terms_delivery_location,),
    ),
    (
        "deliveryterms",
        "doc:Invoice/cac:DeliveryTerms/cac:DeliveryLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "deliveryterms",
        "doc:Invoice/cac:DeliveryTerms/cac:DeliveryLocation/cac:Address",
        (address_check,),
    ),
    (
        "paymentmeans",
        "doc:Invoice/cac:PaymentMeans",
        (
            payment_means_check,
            payment_means_code31_check,
            payment_means_code42_check,
            payment_means_code48_check,
            payment_means_code49_check,
            payment_means_code50_check,
            payment_means_code58_check,
            payment_means_code59_check,
            payment_means_code93_check,
            payment_means_code97_check,
        ),
    ),
    ("paymentterms", "doc:Invoice/cac:PaymentTerms", (payment_terms_check,)),
    ("paymentterms", "doc:Invoice/cac:PaymentTerms/cbc:PaymentMeansID", ()),
    ("paymentterms", "doc:Invoice/cac:PaymentTerms/cbc:Amount", (pos_number_check,)),
    (
        "paymentterms",
        "doc:Invoice/cac:PaymentTerms/cac:SettlementPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "paymentterms",
        "doc:Invoice/cac:PaymentTerms/cac:PenaltyPeriod",
        (description_language_check_new, period_check),
    ),
    ("prepaidpayment", "doc:Invoice/cac:PrepaidPayment", ()),
    (
        "allowancecharge",
        "doc:Invoice/cac:AllowanceCharge",
        (allowance_charge_top_check, accounting_cost_check),
    ),
    ("allowancecharge", "doc:Invoice/cac:AllowanceCharge/cbc:SequenceNumeric", (pos_number_check,)),
    (
        "allowancecharge",
        "doc:Invoice/cac:AllowanceCharge/cbc:Amount",
        (pos_zero_number_check, number_check),
    ),
    ("allowancecharge", "doc:Invoice/cac:AllowanceCharge/cbc:BaseAmount", (pos_zero_number_check,)),
    ("allowancecharge", "doc:Invoice/cac:AllowanceCharge/cac:TaxCategory", (tax_category_check,)),
    (
        "allowancecharge",
        "doc:Invoice/cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("taxexchangerate", "doc:Invoice/cac:TaxExchangeRate", (exchange_rate_check,)),
    (
        "taxexchangerate",
        "doc:Invoice/cac:TaxExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "taxexchangerate",
        "doc:Invoice/cac:TaxExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    ("pricingexchangerate", "doc:Invoice/cac:PricingExchangeRate", (exchange_rate_check,)),
    (
        "pricingexchangerate",
        "doc:Invoice/cac:PricingExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "pricingexchangerate",
        "doc:Invoice/cac:PricingExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    ("paymentexchangerate", "doc:Invoice/cac:PaymentExchangeRate", (exchange_rate_check,)),
    (
        "paymentexchangerate",
        "doc:Invoice/cac:PaymentExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "paymentexchangerate",
        "doc:Invoice/cac:PaymentExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "paymentalternativeexchangerate",
        "doc:Invoice/cac:PaymentAlternativeExchangeRate",
        (exchange_rate_check,),
    ),
    (
        "paymentalternativeexchangerate",
        "doc:Invoice/cac:PaymentAlternativeExchangeRate/cac:ForeignExchangeContract/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "paymentalternativeexchangerate",
        "doc:Invoice/cac:PaymentAlternativeExchangeRate/cac:ForeignExchangeContract/cac:ContractDocumentReference",
        (known_document_reference_check,),
    ),
    ("taxtotal", "doc:Invoice/cac:TaxTotal", (tax_total_check,)),
    (
        "taxtotal",
        "doc:Invoice/cac:TaxTotal/cac:TaxSubtotal",
        (tax_subtotal_check, check_tax_amount_on_header, tax_subtotal_calculation_header),
    ),
    ("taxtotal", "doc:Invoice/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", (tax_category_check,)),
    (
        "taxtotal",
        "doc:Invoice/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("legalmonetarytotal", "doc:Invoice/cac:LegalMonetaryTotal", (_legal_monetary_total,)),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
        (dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
        (dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
        (pos_dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount",
        (pos_zero_dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:ChargeTotalAmount",
        (pos_zero_dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:PrepaidAmount",
        (pos_zero_dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:PayableRoundingAmount",
        (zero_dec_number_check,),
    ),
    (
        "legalmonetarytotal",
        "doc:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
        (pos_dec_number_check,),
    ),
    *LINE_TABLE,
]
