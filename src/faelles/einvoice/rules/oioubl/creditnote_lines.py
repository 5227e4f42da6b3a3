"""OIOUBL CreditNote line rules (pattern ``creditnoteline``).

``LINE_TABLE`` lists the rules of the pattern in order: the pattern, the context path and the
checks run on each element that path selects.
"""

from __future__ import annotations

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.common import (
    LineAmountRules,
    accounting_cost_check,
    additional_item_property_check,
    allowance_charge_top_check,
    default_item_identification_check,
    description_language_check_new,
    document_reference_check,
    known_document_reference_check,
    line_amount_check,
    number_check,
    period_check,
    pos_number_check,
    pos_zero_number_check,
    price_allowance_charge_top_check_multiplier_factor,
    unit_code_check,
)
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    Table,
    after,
    cac,
    cbc,
    eq,
    excluded,
    exclusions,
    fs,
    gc,
    kids,
    listed,
    nb,
    ne,
    norm,
    p,
    pm,
    sv,
    vo,
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
)
from faelles.einvoice.rules.oioubl.tax import (
    check_tax_amount,
    check_values_when_zero_rated,
    tax_category_check,
    tax_scheme_check,
    tax_subtotal_calculation_line,
    tax_subtotal_check,
    tax_total_check,
)


def _credit_note_line(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine"""
    k = kids(e)
    v_negative_lea = fs(k[cbc.CreditedQuantity]).startswith("-")
    v_negative_pa = fs(p(e, "cac:Price/cbc:PriceAmount")).startswith("-")
    v_negative_allowance_amount = bool(
        [
            x1
            for x1 in pm(p(e, "cac:Price/cac:AllowanceCharge"), "cbc:Amount")
            if sv(x1).startswith("-")
        ]
    )
    if not ne(k[cbc.CreditedQuantity], ""):
        d.fail(e, "F-CRN196", "[F-CRN196] Invalid CreditedQuantity. Must contain a value")
    if len(k[cac.TaxTotal]) == 0:
        d.fail(e, "F-CRN081", "[F-CRN081] One or more TaxTotal class must be present")
    if not nb(len(k[cac.Item])) and not nb(len(k[cac.BillingReference])):
        d.fail(
            e,
            "F-CRN082",
            "[F-CRN082] One Item class must be present when CreditNoteLine/BillingReference is not specified",
        )
    if not nb(len(k[cac.Price])) and not nb(len(k[cac.BillingReference])):
        d.fail(
            e,
            "F-CRN083",
            "[F-CRN083] One Price class must be present when CreditNoteLine/BillingReference is not specified",
        )
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-CRN084", "[F-CRN084] Invalid CreditNoteLine/ID. Must contain a value.")
    accounting_cost_check(e, d)
    if not (v_negative_lea or v_negative_pa) and v_negative_allowance_amount:
        d.fail(
            e,
            "F-CRN203",
            "[F-CRN203] AllowanceCharge.Amount can not be negative, if CreditedQuantity or Price.PriceAmount is not negative.",
        )
    line_amount_check(e, d, _LINE_AMOUNTS)
    if norm(fs(k[cbc.LineExtensionAmount])) == "":
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
    if norm(fs(k[cbc.ReferenceID])) == "":
        d.fail(e, "F-CRN168", "[F-CRN168] Invalid ReferenceID. Must contain a value")
    if bool(k[cbc.ResponseCode]) and bool(k[cbc.Description]):
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
    if norm(fs(k[cbc.LineID])) == "":
        d.fail(e, "F-CRN170", "[F-CRN170] Invalid LineID. Must contain a value")


def _credit_note_line_receipt_line_reference(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:ReceiptLineReference"""
    k = kids(e)
    if norm(fs(k[cbc.LineID])) == "":
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
    if len(k[cac.BillingReferenceLine]) > 1:
        d.fail(
            e, "F-CRN174", "[F-CRN174] No more than one BillingReferenceLine class may be present"
        )


def _credit_note_line_billing_reference_billing_reference_line(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:BillingReference/cac:BillingReferenceLine"""
    k = kids(e)
    if len(k[cac.AllowanceCharge]) > 1:
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
    if not bool(k[cbc.ID]) and not bool(k[cac.Address]):
        d.fail(e, "F-CRN158", "[F-CRN158] Address is mandatory when ID is not specified")


def _credit_note_line_delivery_delivery_party(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Delivery/cac:DeliveryParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-CRN176", "[F-CRN176] No more than one PartyLegalEntity class may be present")


def _credit_note_line_item(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item"""
    k = kids(e)
    if k[cac.OriginCountry]:
        d.fail(e, "F-CRN109", "[F-CRN109] OriginCountry class must be excluded")
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-CRN110", "[F-CRN110] Invalid Name for InvoiceLine. Must contain a value")
    if len(k[cbc.Keyword]) > 1:
        d.fail(e, "F-CRN177", "[F-CRN177] No more than one Keyword element may be present")
    if len(k[cbc.BrandName]) > 1:
        d.fail(e, "F-CRN178", "[F-CRN178] No more than one BrandName element may be present")
    if len(k[cbc.ModelName]) > 1:
        d.fail(e, "F-CRN179", "[F-CRN179] No more than one ModelName element may be present")
    if len(k[cac.ManufacturersItemIdentification]) > 1:
        d.fail(
            e,
            "F-CRN180",
            "[F-CRN180] No more than one ManufacturersItemIdentification class may be present",
        )
    if len(k[cac.AdditionalItemIdentification]) > 1:
        d.fail(
            e,
            "F-CRN181",
            "[F-CRN181] No more than one AdditionalItemIdentification class may be present",
        )
    if len(k[cac.ItemSpecificationDocumentReference]) > 1:
        d.fail(
            e,
            "F-CRN182",
            "[F-CRN182] No more than one ItemSpecificationDocumentReference class may be present",
        )
    description_language_check_new(e, d)


def _credit_note_line_item_sellers_item_identification(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e, "F-CRN115", "[F-CRN115] Invalid SellersItemIdentification/ID. Must contain a value."
        )


def _credit_note_line_item_sellers_item_identification_physical_attribute(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:PhysicalAttribute"""
    k = kids(e)
    if norm(fs(k[cbc.Description])) == "":
        d.fail(e, "F-CRN119", "[F-CRN119] Invalid Description. Must contain a value")
    if norm(fs(k[cbc.AttributeID])) == "":
        d.fail(e, "F-CRN118", "[F-CRN118] Invalid AttributeID. Must contain a value")
    description_language_check_new(e, d)


def _credit_note_line_item_sellers_item_identification_measurement_dimension(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:MeasurementDimension"""
    k = kids(e)
    if norm(fs(k[cbc.AttributeID])) == "":
        d.fail(e, "F-CRN189", "[F-CRN189] Invalid AttributeID. Must contain a value")
    description_language_check_new(e, d)


def _credit_note_line_item_commodity_classification(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:CommodityClassification"""
    k = kids(e)
    if bool(k[cbc.ItemClassificationCode]) and not eq(
        p(e, "cbc:ItemClassificationCode/@listID"), "UNSPSC"
    ):
        d.fail(e, "W-CRN132", "[W-CRN132] Use a Valid UNSPSC 19.0501 code")


def _credit_note_line_item_additional_item_property(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-CRN133", "[F-CRN133] Invalid Name. Must contain a value")
    if norm(fs(k[cbc.Value])) == "":
        d.fail(e, "F-CRN151", "[F-CRN151] Invalid Value. Must contain a value")
    additional_item_property_check(e, d)


def _credit_note_line_item_additional_item_property_item_property_group(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-CRN152", "[F-CRN152] Invalid ID. Must contain a value")


def _credit_note_line_item_item_instance_additional_item_property(e: El, d: Doc) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-CRN190", "[F-CRN190] Invalid Name. Must contain a value")
    if norm(fs(k[cbc.Value])) == "":
        d.fail(e, "F-CRN191", "[F-CRN191] Invalid Value. Must contain a value")


def _credit_note_line_item_item_instance_additional_item_property_item_property_group(
    e: El, d: Doc
) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-CRN192", "[F-CRN192] Invalid ID. Must contain a value")


def _credit_note_line_item_item_instance_lot_identification_additional_item_property(
    e: El, d: Doc
) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-CRN185", "[F-CRN185] Invalid Name. Must contain a value")
    if norm(fs(k[cbc.Value])) == "":
        d.fail(e, "F-CRN186", "[F-CRN186] Invalid Value. Must contain a value")


def _credit_note_line_item_item_instance_lot_identification_additional_item_property_item_property_group(
    e: El, d: Doc
) -> None:
    """doc:CreditNote/cac:CreditNoteLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
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


LINE_TABLE: Table = [
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
    # never runs (an earlier rule of the pattern has this context): doc:CreditNote/cac:CreditNoteLine/cac:DiscrepancyResponse
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
