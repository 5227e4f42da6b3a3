"""OIOUBL Invoice line rules (pattern ``invoiceline``).

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
    period_check,
    pos_number_check,
    pos_zero_number_check,
    price_allowance_charge_top_check,
    unit_code_check,
    zero_number_check,
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
    norm,
    p,
    pm,
    repeated_later,
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

_INVOICE_LINE_EXCLUDED = exclusions(
    ("cac:PaymentTerms", "F-INV135", "[F-INV135] PaymentTerms class must be excluded"),
    ("cac:DeliveryTerms", "F-INV136", "[F-INV136] DeliveryTerms class must be excluded"),
)


def _invoice_line(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine"""
    k = kids(e)
    v_negative_lea = fs(k[cbc.InvoicedQuantity]).startswith("-")
    v_negative_pa = fs(p(e, "cac:Price/cbc:PriceAmount")).startswith("-")
    excluded(e, d, _INVOICE_LINE_EXCLUDED)
    if norm(fs(k[cbc.InvoicedQuantity])) == "":
        d.fail(e, "F-INV137", "[F-INV137] Invalid InvoicedQuantity. Must contain a value")
    if len(k[cac.TaxTotal]) == 0:
        d.fail(e, "F-INV138", "[F-INV138] One or more TaxTotal classes must be present")
    if len(k[cac.Price]) != 1:
        d.fail(e, "F-INV139", "[F-INV139] One Price class must be present")
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-INV140", "[F-INV140] Invalid InvoiceLine/ID. Must contain a value.")
    if repeated_later(e, cbc.ID):
        d.fail(e, "W-INV237", "[W-INV237] ID must be unique within the document instance")
    accounting_cost_check(e, d)
    if bool(k[cac.OrderLineReference]) and not nb(len(p(e, "../cac:OrderReference"))):
        d.fail(
            e,
            "F-INV142",
            "[F-INV142] Invoice/OrderReference is mandatory when OrderLineReference class is present",
        )
    if bool(p(e, "cac:Delivery/cbc:ActualDeliveryDate")) and nb(
        len(p(e, "../cac:Delivery/cbc:ActualDeliveryDate"))
    ):
        d.fail(
            e,
            "F-INV330",
            "[F-INV330] Only use Delivery.ActualDeliveryDate if not specified on header level (Invoice.Delivery)",
        )
    if bool(p(e, "cac:Delivery/cac:RequestedDeliveryPeriod")) and nb(
        len(p(e, "../cac:Delivery/cac:RequestedDeliveryPeriod"))
    ):
        d.fail(
            e,
            "F-INV331",
            "[F-INV331] Only use Delivery.RequestedDeliveryPeriod if not specified on header level (Invoice.Delivery)",
        )
    if bool(p(e, "cac:Delivery/cac:DeliveryLocation")) and nb(
        len(p(e, "../cac:Delivery/cac:DeliveryLocation"))
    ):
        d.fail(
            e,
            "F-INV332",
            "[F-INV332] Only use Delivery.DeliveryLocation if not specified on header level (Invoice.Delivery)",
        )
    if bool(p(e, "cac:Delivery/cac:DeliveryParty")) and nb(
        len(p(e, "../cac:Delivery/cac:DeliveryParty"))
    ):
        d.fail(
            e,
            "F-INV333",
            "[F-INV333] Only use Delivery.DeliveryParty if not specified on header level (Invoice.Delivery)",
        )
    if not (v_negative_lea or v_negative_pa) and bool(
        [
            x1
            for x1 in pm(p(e, "cac:Price/cac:AllowanceCharge"), "cbc:Amount")
            if sv(x1).startswith("-")
        ]
    ):
        d.fail(
            e,
            "F-INV335",
            "[F-INV335] AllowanceCharge.Amount can not be negative, if InvoicedQuantity or Price.PriceAmount is not negative.",
        )
    if not (v_negative_lea or v_negative_pa) and bool(
        [x1 for x1 in pm(k[cac.AllowanceCharge], "cbc:Amount") if sv(x1).startswith("-")]
    ):
        d.fail(
            e,
            "F-INV335",
            "[F-INV335] AllowanceCharge.Amount can not be negative, if InvoicedQuantity or Price.PriceAmount is not negative.",
        )
    line_amount_check(e, d, _LINE_AMOUNTS)


def _invoice_line_invoiced_quantity(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cbc:InvoicedQuantity"""
    unit_code_check(e, d)
    if not gc("!=", [e], 0):
        d.fail(e, "F-INV147", "[F-INV147] Invalid InvoicedQuantity. Must not be zero")


def _invoice_line_line_extension_amount(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cbc:LineExtensionAmount"""
    if len(after(sv(e), ".")) < 2:
        d.fail(
            e, "F-INV149", "[F-INV149] Invalid LineExtensionAmount. Must have at least 2 decimals"
        )


def _invoice_line_order_line_reference(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:OrderLineReference"""
    k = kids(e)
    if norm(fs(k[cbc.LineID])) == "":
        d.fail(e, "F-INV153", "[F-INV153] Invalid LineID. Must contain a value")


def _invoice_line_despatch_line_reference(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:DespatchLineReference"""
    k = kids(e)
    if norm(fs(k[cbc.LineID])) == "":
        d.fail(e, "F-INV314", "[F-INV314] Invalid LineID. Must contain a value")


def _invoice_line_receipt_line_reference(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:ReceiptLineReference"""
    k = kids(e)
    if norm(fs(k[cbc.LineID])) == "":
        d.fail(e, "F-INV315", "[F-INV315] Invalid LineID. Must contain a value")


_INVOICE_LINE_BILLING_REFERENCE_EXCLUDED = exclusions(
    (
        "cac:DebitNoteDocumentReference",
        "F-INV303",
        "[F-INV303] DebitNoteDocumentReference class must be excluded",
    ),
    (
        "cac:AdditionalDocumentReference",
        "F-INV304",
        "[F-INV304] AdditionalDocumentReference class must be excluded",
    ),
)


def _invoice_line_billing_reference(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:BillingReference"""
    k = kids(e)
    excluded(e, d, _INVOICE_LINE_BILLING_REFERENCE_EXCLUDED)
    if len(k[cac.BillingReferenceLine]) > 1:
        d.fail(
            e, "F-INV305", "[F-INV305] No more than one BillingReferenceLine class may be present"
        )


def _invoice_line_billing_reference_billing_reference_line(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine"""
    k = kids(e)
    if len(k[cac.AllowanceCharge]) > 1:
        d.fail(e, "F-INV306", "[F-INV306] No more than one AllowanceCharge class may be present")


_INVOICE_LINE_DELIVERY_EXCLUDED = exclusions(
    ("cbc:ID", "F-INV155", "[F-INV155] ID element must be excluded"),
    ("cbc:MinimumQuantity", "F-INV156", "[F-INV156] MinimumQuantity element must be excluded"),
    ("cbc:MaximumQuantity", "F-INV157", "[F-INV157] MaximumQuantity element must be excluded"),
    (
        "cbc:ActualDeliveryTime",
        "F-INV158",
        "[F-INV158] ActualDeliveryTime element must be excluded",
    ),
    (
        "cbc:LatestDeliveryDate",
        "F-INV159",
        "[F-INV159] LatestDeliveryDate element must be excluded",
    ),
    (
        "cbc:LatestDeliveryTime",
        "F-INV160",
        "[F-INV160] LatestDeliveryTime element must be excluded",
    ),
    ("cac:DeliveryAddress", "F-INV240", "[F-INV240] DeliveryAddress class must be excluded"),
    (
        "cac:PromisedDeliveryPeriod",
        "F-INV161",
        "[F-INV161] PromisedDeliveryPeriod class must be excluded",
    ),
    (
        "cac:EstimatedDeliveryPeriod",
        "F-INV162",
        "[F-INV162] EstimatedDeliveryPeriod class must be excluded",
    ),
)


def _invoice_line_delivery(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Delivery"""
    excluded(e, d, _INVOICE_LINE_DELIVERY_EXCLUDED)


def _invoice_line_delivery_delivery_location(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryLocation"""
    k = kids(e)
    if not bool(k[cbc.ID]) and not bool(k[cac.Address]):
        d.fail(e, "F-INV241", "[F-INV241] Address is mandatory when ID is not specified")


def _invoice_line_delivery_delivery_party(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty"""
    k = kids(e)
    party_excluded_check(e, d)
    party_name_check(e, d)
    endpoint_id_check(e, d)
    if len(k[cac.PartyLegalEntity]) > 1:
        d.fail(e, "F-INV300", "[F-INV300] No more than one PartyLegalEntity class may be present")


def _invoice_line_item(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item"""
    k = kids(e)
    if k[cac.OriginCountry]:
        d.fail(e, "F-INV211", "[F-INV211] OriginCountry class must be excluded")
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-INV163", "[F-INV163] Invalid Name for InvoiceLine. Must contain a value")
    if len(k[cbc.Keyword]) > 1:
        d.fail(e, "F-INV307", "[F-INV307] No more than one Keyword element may be present")
    if len(k[cbc.BrandName]) > 1:
        d.fail(e, "F-INV308", "[F-INV308] No more than one BrandName element may be present")
    if len(k[cbc.ModelName]) > 1:
        d.fail(e, "F-INV309", "[F-INV309] No more than one ModelName element may be present")
    if len(k[cac.ManufacturersItemIdentification]) > 1:
        d.fail(
            e,
            "F-INV312",
            "[F-INV312] No more than one ManufacturersItemIdentification class may be present",
        )
    if len(k[cac.AdditionalItemIdentification]) > 1:
        d.fail(
            e,
            "F-INV313",
            "[F-INV313] No more than one AdditionalItemIdentification class may be present",
        )
    if len(k[cac.ItemSpecificationDocumentReference]) > 1:
        d.fail(
            e,
            "F-INV321",
            "[F-INV321] No more than one ItemSpecificationDocumentReference class may be present",
        )
    description_language_check_new(e, d)


def _invoice_line_item_sellers_item_identification(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:SellersItemIdentification"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e, "F-INV167", "[F-INV167] Invalid SellersItemIdentification/ID. Must contain a value"
        )


def _invoice_line_item_sellers_item_identification_physical_attribute(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cac:PhysicalAttribute"""
    k = kids(e)
    description_language_check_new(e, d)
    if norm(fs(k[cbc.AttributeID])) == "":
        d.fail(e, "F-INV170", "[F-INV170] Invalid AttributeID. Must contain a value")


def _invoice_line_item_sellers_item_identification_measurement_dimension(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cac:MeasurementDimension"""
    k = kids(e)
    if norm(fs(k[cbc.AttributeID])) == "":
        d.fail(e, "F-INV227", "[F-INV227] Invalid AttributeID. Must contain a value")
    description_language_check_new(e, d)


def _invoice_line_item_commodity_classification(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:CommodityClassification"""
    k = kids(e)
    if bool(k[cbc.ItemClassificationCode]) and not eq(
        p(e, "cbc:ItemClassificationCode/@listID"), "UNSPSC"
    ):
        d.fail(e, "W-INV184", "[W-INV184] Use a Valid UNSPSC 19.0501 code")


def _invoice_line_item_additional_item_property(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-INV234", "[F-INV234] Invalid Name. Must contain a value")
    if norm(fs(k[cbc.Value])) == "":
        d.fail(e, "F-INV235", "[F-INV235] Invalid Value. Must contain a value")
    additional_item_property_check(e, d)


def _invoice_line_item_additional_item_property_item_property_group(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e,
            "F-INV185",
            "[F-INV185] Invalid Item Property Group ID in InvoiceLine. Must contain a value",
        )


def _invoice_line_item_item_instance_additional_item_property(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-INV228", "[F-INV228] Invalid Name. Must contain a value")
    if norm(fs(k[cbc.Value])) == "":
        d.fail(e, "F-INV310", "[F-INV310] Invalid Value. Must contain a value")


def _invoice_line_item_item_instance_additional_item_property_item_property_group(
    e: El, d: Doc
) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e,
            "F-INV311",
            "[F-INV311] Invalid Item Property Group ID in InvoiceLine. Must contain a value",
        )


def _invoice_line_item_item_instance_lot_identification_additional_item_property(
    e: El, d: Doc
) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty"""
    k = kids(e)
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-INV316", "[F-INV316] Invalid Name. Must contain a value")
    if norm(fs(k[cbc.Value])) == "":
        d.fail(e, "F-INV317", "[F-INV317] Invalid Value. Must contain a value")


def _invoice_line_item_item_instance_lot_identification_additional_item_property_item_property_group(
    e: El, d: Doc
) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty/cac:ItemPropertyGroup"""
    k = kids(e)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(
            e,
            "F-INV318",
            "[F-INV318] Invalid Item Property Group ID in InvoiceLine. Must contain a value",
        )


def _invoice_line_item_certificate_id(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:Certificate/cbc:ID"""
    if norm(sv(e)) == "":
        d.fail(e, "F-INV335", "[F-INV335] cbc:ID must contain a value.")
    if not listed(CL.Environment_Value, sv(e)):
        d.fail(
            e,
            "F-INV351",
            "[F-INV351] Invalid cac:CertificateTypeCode: '"
            + vo([e])
            + "' Must be a value from the codelist: PackagingMarkedLabelAccreditationCode from GS1 Global Data Dictionary.",
        )


def _invoice_line_item_certificate_certificate_type_code(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:Certificate/cbc:CertificateTypeCode"""
    if norm(sv(e)) == "":
        d.fail(e, "F-INV336", "[F-INV336] cac:CertificateTypeCode must contain a value.")


def _invoice_line_item_certificate_certificate_type(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Item/cac:Certificate/cbc:CertificateType"""
    if norm(sv(e)) == "":
        d.fail(e, "F-INV338", "[F-INV338] cbc:CertificateType must contain a value.")


def _invoice_line_price(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Price"""
    k = kids(e)
    if bool(k[cac.ValidityPeriod]):
        d.fail(
            e,
            "W-INV322",
            "[W-INV322] The ValidityPeriod class may only be used when Preordering is the case",
        )


def _invoice_line_price_price_change_reason(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Price/cbc:PriceChangeReason"""
    language_id = p(e, "@languageID")
    if (len(p(e, "../cbc:PriceChangeReason")) > 1) and not bool(language_id):
        d.fail(
            e,
            "W-INV194",
            "[W-INV194] The attribute languageID should be used when more than one PriceChangeReason element is present",
        )
    if gc("=", p(e, "following-sibling::*/@languageID"), language_id):
        d.fail(
            e,
            "W-INV195",
            "[W-INV195] Multilanguage error. Replicated PriceChangeReason elements with same languageID attribute value",
        )


def _invoice_line_price_price_type_code(e: El, d: Doc) -> None:
    """doc:Invoice/cac:InvoiceLine/cac:Price/cbc:PriceTypeCode"""
    if not eq(p(e, "@listID"), "UN/ECE 5387"):
        d.fail(e, "F-INV196", "[F-INV196] Invalid listID. Must be 'UN/ECE 5387'")


_LINE_AMOUNTS = LineAmountRules(
    quantity="cbc:InvoicedQuantity",
    default_base="1",
    not_evaluated="W-INV323",
    plain=("F-INV343", "F-INV340", "F-INV348"),
    multiply=("F-INV326", "F-INV344", "F-INV346"),
    divide=("F-INV327", "F-INV345", "F-INV347"),
    multiply_factor=("F-INV328", "F-INV341", "F-INV349"),
    divide_factor=("F-INV329", "F-INV342", "F-INV350"),
    messages={
        "W-INV323": "[W-INV323] Invoice line '{id}' with lineExtensionAmount ({amount}) cannot be evaluated since either 'cbc:CalculationRate', 'cbc:MathematicOperatorCode' or both are not present in 'Invoice/cac:PricingExchangeRate'",
        "F-INV326": "[F-INV326] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal InvoicedQuantity ({quantity}) * Price.PriceAmount ({price}) * Invoice.PricingExchangeRate.CalculationRate) (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply' and OrderableUnitFactorRate is not present) +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-INV344": "[F-INV344] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal ((Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * InvoicedQuantity ({quantity})) * Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply' and OrderableUnitFactorRate is not present) +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-INV346": "[F-INV346] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * InvoicedQuantity ({quantity}) * Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply' and OrderableUnitFactorRate is not present) +/- 1.00.",
        "F-INV327": "[F-INV327] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal (InvoicedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor})) div Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide' and OrderableUnitFactorRate is not present) +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-INV345": "[F-INV345] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal ((Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * InvoicedQuantity ({quantity})) div Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide' and OrderableUnitFactorRate is not present) +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-INV347": "[F-INV347] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * InvoicedQuantity ({quantity}) div Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide' and OrderableUnitFactorRate is not present) +/- 1.00.",
        "F-INV343": "[F-INV343] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal InvoicedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor}) +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-INV340": "[F-INV340] Invoice line '{id}' with lineExtensionAmount ({formatted}) must equal (Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * InvoicedQuantity ({quantity}) +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-INV348": "[F-INV348] Invoice line '{id}' with lineExtensionAmount ({formatted}) must equal Price.PriceAmount ({price}) * InvoicedQuantity ({quantity}) +/- 1.00.",
        "F-INV328": "[F-INV328] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal InvoicedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor}) * Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply') +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-INV341": "[F-INV341] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal (Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * InvoicedQuantity ({quantity}) * Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply') +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-INV349": "[F-INV349] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * InvoicedQuantity * Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'multiply') +/- 1.00.",
        "F-INV329": "[F-INV329] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal (InvoicedQuantity ({quantity}) * Price.PriceAmount ({price}) * Price.OrderableUnitFactorRate ({factor})) div Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide') +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are not equal)",
        "F-INV342": "[F-INV342] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal ((Price.PriceAmount ({price}) / Price.BaseQuantity ({base}) ) * InvoicedQuantity ({quantity})) div Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide') +/- 1.00 (InvoicedQuantity unitCode and Price.BaseQuantity unitCode are equal)",
        "F-INV350": "[F-INV350] Invoice line '{id}' with lineExtensionAmount ({amount}) must equal Price.PriceAmount ({price}) * InvoicedQuantity ({quantity}) div Invoice.PricingExchangeRate.CalculationRate (when '../cac:PricingExchangeRate' is present with MathematicOperatorCode = 'divide') +/- 1.00.",
    },
)


LINE_TABLE: Table = [
    ("invoiceline", "doc:Invoice/cac:InvoiceLine", (_invoice_line,)),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cbc:InvoicedQuantity",
        (_invoice_line_invoiced_quantity,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cbc:LineExtensionAmount",
        (_invoice_line_line_extension_amount,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:OrderLineReference",
        (_invoice_line_order_line_reference,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:OrderLineReference/cac:OrderReference/cac:DocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:DespatchLineReference",
        (_invoice_line_despatch_line_reference,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:DespatchLineReference/cac:DocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:ReceiptLineReference",
        (_invoice_line_receipt_line_reference,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:ReceiptLineReference/cac:DocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference",
        (_invoice_line_billing_reference,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:InvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:SelfBilledInvoiceDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:CreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:SelfBilledCreditNoteDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:ReminderDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine",
        (_invoice_line_billing_reference_billing_reference_line,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge",
        (allowance_charge_top_check, accounting_cost_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cbc:SequenceNumeric",
        (pos_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cbc:Amount",
        (pos_zero_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cbc:BaseAmount",
        (pos_zero_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cac:TaxCategory",
        (tax_category_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:BillingReference/cac:BillingReferenceLine/cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:DocumentReference",
        (document_reference_check,),
    ),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:PricingReference", ()),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:OriginatorParty", ()),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Delivery", (_invoice_line_delivery,)),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryLocation",
        (_invoice_line_delivery_delivery_location,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryLocation/cac:Address",
        (address_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:RequestedDeliveryPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty",
        (_invoice_line_delivery_delivery_party,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PartyIdentification",
        (party_identification_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PartyName",
        (party_name_language_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PostalAddress",
        (address_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation",
        (address_id_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation/cac:Address",
        (address_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PartyTaxScheme",
        (party_tax_scheme_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PartyTaxScheme/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:PartyLegalEntity",
        (party_legal_entity_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:Contact",
        (contact_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Delivery/cac:DeliveryParty/cac:Person",
        (person_first_name_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:AllowanceCharge",
        (allowance_charge_top_check, accounting_cost_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:AllowanceCharge/cbc:SequenceNumeric",
        (pos_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:AllowanceCharge/cbc:Amount",
        (zero_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:AllowanceCharge/cbc:BaseAmount",
        (zero_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:AllowanceCharge/cac:TaxCategory",
        (tax_category_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:TaxTotal", (tax_total_check,)),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal",
        (tax_subtotal_check, tax_subtotal_calculation_line),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory",
        (tax_category_check, check_values_when_zero_rated, check_tax_amount),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Item", (_invoice_line_item,)),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:BuyersItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:SellersItemIdentification",
        (_invoice_line_item_sellers_item_identification,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cac:PhysicalAttribute",
        (_invoice_line_item_sellers_item_identification_physical_attribute,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cac:MeasurementDimension",
        (_invoice_line_item_sellers_item_identification_measurement_dimension,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ManufacturersItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:StandardItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:CatalogueItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:AdditionalItemIdentification",
        (default_item_identification_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:CatalogueDocumentReference",
        (known_document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemSpecificationDocumentReference",
        (document_reference_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:CommodityClassification",
        (_invoice_line_item_commodity_classification,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:TransactionConditions",
        (description_language_check_new,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:TransactionConditions/cac:DocumentReference",
        (document_reference_check,),
    ),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Item/cac:HazardousItem", ()),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory",
        (tax_category_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty",
        (_invoice_line_item_additional_item_property,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cac:UsabilityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
        (_invoice_line_item_additional_item_property_item_property_group,),
    ),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ManufacturerParty", ()),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Item/cac:InformationContentProviderParty", ()),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Item/cac:OriginAddress", (address_check,)),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance", ()),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty",
        (_invoice_line_item_item_instance_additional_item_property,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty/cac:UsabilityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
        (_invoice_line_item_item_instance_additional_item_property_item_property_group,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:LotIdentification",
        (),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty",
        (_invoice_line_item_item_instance_lot_identification_additional_item_property,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty/cac:UsabilityPeriod",
        (description_language_check_new, period_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:ItemInstance/cac:LotIdentification/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
        (
            _invoice_line_item_item_instance_lot_identification_additional_item_property_item_property_group,
        ),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:Certificate/cbc:ID",
        (_invoice_line_item_certificate_id,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:Certificate/cbc:CertificateTypeCode",
        (_invoice_line_item_certificate_certificate_type_code,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Item/cac:Certificate/cbc:CertificateType",
        (_invoice_line_item_certificate_certificate_type,),
    ),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Price", (_invoice_line_price,)),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cbc:BaseQuantity",
        (unit_code_check, pos_zero_number_check),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cbc:PriceChangeReason",
        (_invoice_line_price_price_change_reason,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cbc:PriceTypeCode",
        (_invoice_line_price_price_type_code,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cbc:OrderableUnitFactorRate",
        (pos_zero_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cac:ValidityPeriod",
        (description_language_check_new, period_check),
    ),
    ("invoiceline", "doc:Invoice/cac:InvoiceLine/cac:Price/cac:PriceList", ()),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cac:AllowanceCharge",
        (price_allowance_charge_top_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:SequenceNumeric",
        (pos_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:Amount",
        (zero_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:BaseAmount",
        (zero_number_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cac:TaxCategory",
        (tax_category_check,),
    ),
    (
        "invoiceline",
        "doc:Invoice/cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme",
        (tax_scheme_check,),
    ),
]
