"""OIOUBL common rules (``OIOUBL_Common_Schematron``, schematron 1.17.2): document, profile,
currency, number, period, reference, allowance and item rules.

The abstract rules that the Invoice and CreditNote patterns extend are one function each,
named after the rule (``UUIDCheck`` is :func:`uuid_check`); the party, payment and tax rules
are in :mod:`.parties`, :mod:`.payment` and :mod:`.tax`. Each function runs its asserts on
the context element ``e`` and records the failures in ``d``. Abstract rules that no Invoice or
CreditNote rule extends are left out.
"""

from __future__ import annotations

from typing import NamedTuple

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    after,
    cac,
    cbc,
    div,
    eq,
    excluded,
    exclusions,
    fmt,
    fs,
    gc,
    kids,
    listed,
    lname,
    lname_ns,
    nb,
    ne,
    norm,
    num,
    p,
    pm,
    qn,
    sv,
    translate,
    vo,
    xround,
)


def line_amount_check(e: El, d: Doc, rules: LineAmountRules) -> None:
    """The line amount rules of an InvoiceLine or CreditNoteLine.

    A line that is not free of charge must have LineExtensionAmount = price x quantity (per
    base quantity, or times OrderableUnitFactorRate when the unit codes differ), times or
    divided by the document's PricingExchangeRate/CalculationRate when there is one, within
    1.00. Which of the published rules applies follows from the unit codes, the exchange rate
    and its operator, and the factor rate, exactly as in the rule tests.
    """
    k = kids(e)
    free = k[cbc.FreeOfChargeIndicator]
    if free and not eq(free, "false"):
        return
    line_amount = k[cbc.LineExtensionAmount]
    quantity = p(e, rules.quantity)
    price = p(e, "cac:Price/cbc:PriceAmount")
    factor = p(e, "cac:Price/cbc:OrderableUnitFactorRate")
    base_nodes = p(e, "cac:Price/cbc:BaseQuantity")
    base = vo(base_nodes) if base_nodes or rules.default_base is None else rules.default_base
    base_number = num(base if rules.default_base is not None else fs(base_nodes))
    quantity_codes = p(e, rules.quantity + "/@unitCode")
    base_codes = p(e, "cac:Price/cbc:BaseQuantity/@unitCode")
    different = gc("!=", quantity_codes, base_codes)
    equal = gc("=", quantity_codes, base_codes)
    per_unit = num(fs(price)) * num(fs(quantity))
    cases = (
        (different, 0, per_unit * num(fs(factor))),
        (equal, 1, div(per_unit, base_number)),
        (not different and not equal, 2, div(per_unit, base_number)),
    )
    formatted = fmt(num(fs(line_amount)), "#.00")

    def fail(rule: str) -> None:
        values = {
            "id": vo(k[cbc.ID]),
            "amount": vo(line_amount),
            "quantity": vo(quantity),
            "price": vo(price),
            "factor": vo(factor),
            "base": base,
            "formatted": formatted,
        }
        d.fail(e, rule, rules.messages[rule].format(**values))

    rates = p(e, "../cac:PricingExchangeRate")
    if not rates:
        for applies, case, expected in cases:
            if applies and _outside(num(formatted), expected):
                fail(rules.plain[case])
        return
    operator = pm(rates, "cbc:MathematicOperatorCode")
    calculation_rate = pm(rates, "cbc:CalculationRate")
    if not calculation_rate or not operator:
        fail(rules.not_evaluated)
        return
    amount = num(fs(line_amount))
    rate = num(fs(calculation_rate))
    if eq(operator, "multiply"):
        ids = rules.multiply_factor if factor else rules.multiply
        for applies, case, expected in cases:
            if applies and _outside(amount, expected * rate):
                fail(ids[case])
    if eq(operator, "divide"):
        ids = rules.divide_factor if factor else rules.divide
        for applies, case, expected in cases:
            if applies and _outside(amount, div(expected, rate)):
                fail(ids[case])


def _outside(amount: float, expected: float) -> bool:
    """More than 1.00 from the expected amount (never, when either is not a number)."""
    return amount < expected - 1 or amount > expected + 1


def ublextensions_check(e: El, d: Doc) -> None:
    """Abstract rule UBLExtensionsCheck."""
    ublextensions_ublextension_id = p(e, "ext:UBLExtensions/ext:UBLExtension/cbc:ID")
    if eq(
        p(e, "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionAgencyID"), "Digitaliseringsstyrelsen"
    ) and (
        gc("<", ublextensions_ublextension_id, "1001")
        or gc(">", ublextensions_ublextension_id, "1999")
    ):
        d.fail(
            e,
            "F-LIB313",
            "[F-LIB313] Invalid UBLExtension/ID when UBLExtension/ExtensionAgencyID is equal to 'Digitaliseringsstyrelsen'. ID must be an assigned value between '1001' and '1999'.",
        )


def ublversion_id_check(e: El, d: Doc) -> None:
    """Abstract rule UBLVersionIDCheck."""
    k = kids(e)
    if not (eq(k[cbc.UBLVersionID], "2.0") or eq(k[cbc.UBLVersionID], "2.1")):
        d.fail(e, "F-LIB001", "[F-LIB001] Invalid UBLVersionID. Must be '2.0' or '2.1'")


def customization_id_check(e: El, d: Doc) -> None:
    """Abstract rule CustomizationIDCheck."""
    k = kids(e)
    if not (
        (eq(k[cbc.CustomizationID], "OIOUBL-2.01") or eq(k[cbc.CustomizationID], "OIOUBL-2.02"))
        or eq(k[cbc.CustomizationID], "OIOUBL-2.1")
    ):
        d.fail(
            e,
            "F-LIB002",
            "[F-LIB002]Invalid CustomizationID. Must be either 'OIOUBL-2.01', 'OIOUBL-2.02' or 'OIOUBL-2.1'",
        )


def profile_id_check(e: El, d: Doc) -> None:
    """Abstract rule ProfileIDCheck."""
    k = kids(e)
    profile_id_scheme_id = p(e, "cbc:ProfileID/@schemeID")
    if not (
        (
            (
                (
                    (
                        eq(profile_id_scheme_id, CL.Profile1_schemeID)
                        or eq(profile_id_scheme_id, CL.Profile2_schemeID)
                    )
                    or eq(profile_id_scheme_id, CL.Profile3_schemeID)
                )
                or eq(profile_id_scheme_id, CL.Profile4_schemeID)
            )
            or eq(profile_id_scheme_id, CL.Profile5_schemeID)
        )
        or eq(profile_id_scheme_id, CL.Profile6_schemeID)
    ):
        d.fail(
            e,
            "W-LIB003",
            "[W-LIB003] Invalid schemeID. Must be '"
            + vo(CL.Profile1_schemeID)
            + "' or '"
            + vo(CL.Profile2_schemeID)
            + "' or '"
            + vo(CL.Profile3_schemeID)
            + "' or '"
            + vo(CL.Profile4_schemeID)
            + "' or '"
            + vo(CL.Profile5_schemeID)
            + "' or '"
            + vo(CL.Profile6_schemeID)
            + "'",
        )
    if not eq(p(e, "cbc:ProfileID/@schemeAgencyID"), CL.Profile1_agencyID):
        d.fail(
            e,
            "W-LIB203",
            "[W-LIB203] Invalid schemeAgencyID. Must be '" + vo(CL.Profile1_agencyID) + "'",
        )
    if eq(profile_id_scheme_id, CL.Profile1_schemeID) and not listed(
        CL.Profile1, fs(k[cbc.ProfileID])
    ):
        d.fail(
            e,
            "F-LIB004",
            "[F-LIB004] Invalid ProfileID: '"
            + vo(k[cbc.ProfileID])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile2_schemeID) and not listed(
        CL.Profile2, fs(k[cbc.ProfileID])
    ):
        d.fail(
            e,
            "F-LIB302",
            "[F-LIB302] Invalid ProfileID: '"
            + vo(k[cbc.ProfileID])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile3_schemeID) and not listed(
        CL.Profile3, fs(k[cbc.ProfileID])
    ):
        d.fail(
            e,
            "F-LIB308",
            "[F-LIB308] Invalid ProfileID: '"
            + vo(k[cbc.ProfileID])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile4_schemeID) and not listed(
        CL.Profile4, fs(k[cbc.ProfileID])
    ):
        d.fail(
            e,
            "F-LIB325",
            "[F-LIB325] Invalid ProfileID: '"
            + vo(k[cbc.ProfileID])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile5_schemeID) and not listed(
        CL.Profile5, fs(k[cbc.ProfileID])
    ):
        d.fail(
            e,
            "F-LIB327",
            "[F-LIB327] Invalid ProfileID: '"
            + vo(k[cbc.ProfileID])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile6_schemeID) and not listed(
        CL.Profile6, fs(k[cbc.ProfileID])
    ):
        d.fail(
            e,
            "F-LIB351",
            "[F-LIB351] Invalid ProfileID: '"
            + vo(k[cbc.ProfileID])
            + "'. Must be a value from the codelist",
        )
    v_profile = k[cbc.ProfileID]
    v_document = lname_ns([d.root])
    if eq(v_profile, "Procurement-OrdRes-1.0") and v_document != "OrderResponse":
        d.fail(
            e,
            "F-LIB328",
            "[F-LIB328] The profile '"
            + vo(v_profile)
            + "' is not allowed in the document type '"
            + v_document
            + "'",
        )
    if eq(v_profile, "Procurement-BilSimReminderOnly-1.0") and v_document != "Reminder":
        d.fail(
            e,
            "F-LIB352",
            "[F-LIB352] The profile '"
            + vo(v_profile)
            + "' is not allowed in the document type '"
            + v_document
            + "'",
        )


def uuid_check(e: El, d: Doc) -> None:
    """Abstract rule UUIDCheck."""
    if len(sv(e)) != 36:
        d.fail(
            e,
            "F-LIB006",
            "[F-LIB006] Invalid "
            + qn(e)
            + ". Must be of this form '6E09886B-DC6E-439F-82D1-7CCAC7F4E3B1'",
        )


def currency_code_check(e: El, d: Doc) -> None:
    """Abstract rule CurrencyCodeCheck."""
    list_id = p(e, "@listID")
    list_agency_id = p(e, "@listAgencyID")
    if bool(list_id) and ne(list_id, CL.CurrencyCode_listID):
        d.fail(
            e, "F-LIB296", "[F-LIB296] Invalid listID. Must be '" + vo(CL.CurrencyCode_listID) + "'"
        )
    if bool(list_agency_id) and ne(list_agency_id, CL.CurrencyCode_agencyID):
        d.fail(
            e,
            "F-LIB297",
            "[F-LIB297] Invalid listAgencyID. Must be '" + vo(CL.CurrencyCode_agencyID) + "'",
        )
    if not listed(CL.CurrencyCode, sv(e)):
        d.fail(
            e,
            "F-LIB298",
            "[F-LIB298] Invalid CurrencyCode: '" + vo([e]) + "'. Must be a value from the codelist",
        )


def unit_code_check(e: El, d: Doc) -> None:
    """Abstract rule unitCodeCheck."""
    unit_code = p(e, "@unitCode")
    if not bool(unit_code):
        d.fail(e, "F-LIB007", "[F-LIB007] Attribute unitCode must be used for " + qn(e))
    if not (len(fs(unit_code)) > 1):
        d.fail(
            e,
            "W-LIB008",
            "[W-LIB008] The value of unitCode attribute should be a valid UOM measure",
        )
    if not listed(CL.Quantity_unitCode, fs(unit_code)):
        d.fail(
            e,
            "F-LIB318",
            "[F-LIB318] Invalid unitCode: '"
            + vo(unit_code)
            + "'. Must be a value from the codelist urn:un:unece:uncefact:codelist:specification:66411:2001.",
        )


def note_check(e: El, d: Doc) -> None:
    """Abstract rule NoteCheck."""
    language_id = p(e, "@languageID")
    if (len(p(e, "../cbc:Note")) > 1) and not bool(language_id):
        d.fail(
            e,
            "W-LIB011",
            "[W-LIB011] The attribute languageID should be used when more than one "
            + qn(e)
            + " element is present",
        )
    if gc("=", p(e, "following-sibling::*/@languageID"), language_id):
        d.fail(
            e,
            "W-LIB012",
            "[W-LIB012] Multilanguage error. Replicated "
            + qn(e)
            + " elements with same languageID attribute value",
        )


def description_language_check_new(e: El, d: Doc) -> None:
    """Abstract rule DescriptionLanguageCheckNew."""
    k = kids(e)
    if (len(k[cbc.Description]) > 1) and not nb(
        1.0 if (len(k[cbc.Description]) == len(p(e, "cbc:Description/@languageID"))) else 0.0
    ):
        d.fail(
            e,
            "W-LIB222",
            "[W-LIB222] The attribute languageID should be used when more than one Description element is present",
        )


def preceding_dec_check(e: El, d: Doc) -> None:
    """Abstract rule PrecedingDecCheck."""


def currency_check(e: El, d: Doc) -> None:
    """Abstract rule CurrencyCheck."""
    currency_id = p(e, "@currencyID")
    if not (not lname(e).endswith("Amount") or listed(CL.CurrencyCode, fs(currency_id))):
        d.fail(
            e,
            "F-LIB403",
            "[F-LIB403] Invalid CurrencyCode: '"
            + vo(currency_id)
            + "'. Must be a value from the codelist",
        )


def pos_zero_dec_number_check(e: El, d: Doc) -> None:
    """Abstract rule PosZeroDecNumberCheck."""
    if not (not sv(e).startswith("-") and gc("!=", [e], 0)):
        d.fail(e, "F-LIB013", "[F-LIB013] Invalid " + qn(e) + ". Must not be negative or zero")
    dec_number_check(e, d)


def pos_zero_dec_number_or_converted_check(e: El, d: Doc) -> None:
    """Abstract rule PosZeroDecNumberOrConvertedCheck."""
    if not (
        (not sv(e).startswith("-") and gc("!=", [e], 0))
        or eq(
            [
                x1
                for x1 in pm(
                    pm([d.root], "cac:AdditionalDocumentReference"), "cbc:DocumentTypeCode"
                )
                if eq(p(x1, "@listAgencyName"), "ERST")
            ],
            "PEPPOLBIS32OIOUBL",
        )
    ):
        d.fail(
            e,
            "F-LIB374",
            "[F-LIB374] Invalid "
            + qn(e)
            + ". Must not be negative or zero, unless it has been converted from PEPPOL BIS3",
        )
    dec_number_check(e, d)


def zero_dec_number_check(e: El, d: Doc) -> None:
    """Abstract rule ZeroDecNumberCheck."""
    if not gc("!=", [e], 0):
        d.fail(e, "F-LIB303", "[F-LIB303] Invalid " + qn(e) + ". Must not be zero")
    dec_number_check(e, d)


def pos_dec_number_check(e: El, d: Doc) -> None:
    """Abstract rule PosDecNumberCheck."""
    if sv(e).startswith("-"):
        d.fail(e, "F-LIB016", "[F-LIB016] Invalid " + qn(e) + ". Must not be negative")
    dec_number_check(e, d)


def pos_dec_number_or_converted_check(e: El, d: Doc) -> None:
    """Abstract rule PosDecNumberOrConvertedCheck."""
    if not (
        not sv(e).startswith("-")
        or eq(
            [
                x1
                for x1 in pm(
                    pm([d.root], "cac:AdditionalDocumentReference"), "cbc:DocumentTypeCode"
                )
                if eq(p(x1, "@listAgencyName"), "ERST")
            ],
            "PEPPOLBIS32OIOUBL",
        )
    ):
        d.fail(
            e,
            "F-LIB375",
            "[F-LIB375] Invalid "
            + qn(e)
            + ". Must not be negative, unless it has been converted from PEPPOL BIS3",
        )
    dec_number_check(e, d)


def pos_zero_number_check(e: El, d: Doc) -> None:
    """Abstract rule PosZeroNumberCheck."""
    if not (not sv(e).startswith("-") and gc("!=", [e], 0)):
        d.fail(e, "F-LIB019", "[F-LIB019] Invalid " + qn(e) + ". Must not be negative or zero")


def number_check(e: El, d: Doc) -> None:
    """Abstract rule NumberCheck."""


def zero_number_check(e: El, d: Doc) -> None:
    """Abstract rule ZeroNumberCheck."""
    if not gc("!=", [e], 0):
        d.fail(e, "F-LIB317", "[F-LIB317] Invalid " + qn(e) + ". Must not be zero")


def pos_number_check(e: El, d: Doc) -> None:
    """Abstract rule PosNumberCheck."""
    if sv(e).startswith("-"):
        d.fail(e, "F-LIB020", "[F-LIB020] Invalid " + qn(e) + ". Must not be negative")


def dec_number_check(e: El, d: Doc) -> None:
    """Abstract rule DecNumberCheck."""
    number_check(e, d)
    if len(after(sv(e), ".")) != 2:
        d.fail(e, "F-LIB014", "[F-LIB014] Invalid " + qn(e) + ". Must have 2 decimals")


def accounting_cost_check(e: El, d: Doc) -> None:
    """Abstract rule AccountingCostCheck."""
    k = kids(e)
    if bool(k[cbc.AccountingCost]) and bool(k[cbc.AccountingCostCode]):
        d.fail(e, "F-LIB021", "[F-LIB021] Use either AccountingCost or AccountingCostCode")


_PERIOD_CHECK_EXCLUDED = exclusions(
    ("cbc:DurationMeasure", "F-LIB076", "[F-LIB076] DurationMeasure element must be excluded"),
    ("cbc:DescriptionCode", "F-LIB077", "[F-LIB077] DescriptionCode element must be excluded"),
)


def period_check(e: El, d: Doc) -> None:
    """Abstract rule PeriodCheck."""
    k = kids(e)
    excluded(e, d, _PERIOD_CHECK_EXCLUDED)
    if bool(k[cbc.StartTime]) and (not bool(k[cbc.StartDate]) or eq(k[cbc.StartDate], "")):
        d.fail(e, "F-LIB078", "[F-LIB078] There must be a StartDate if you have a StartTime")
    if bool(k[cbc.EndTime]) and (not bool(k[cbc.EndDate]) or eq(k[cbc.EndDate], "")):
        d.fail(e, "F-LIB079", "[F-LIB079] There must be a EndDate if you have a EndTime")
    if (bool(k[cbc.StartDate]) and bool(k[cbc.EndDate])) and not (
        (
            num(translate(fs(k[cbc.EndDate]), "-", ""))
            > num(translate(fs(k[cbc.StartDate]), "-", ""))
        )
        or (
            num(translate(fs(k[cbc.EndDate]), "-", ""))
            == num(translate(fs(k[cbc.StartDate]), "-", ""))
        )
    ):
        d.fail(e, "F-LIB080", "[F-LIB080] The EndDate must be greater or equal to the startdate")
    if (bool(k[cbc.StartTime]) and bool(k[cbc.EndTime])) and not (
        (
            num(translate(fs(k[cbc.EndTime]), ":", ""))
            > num(translate(fs(k[cbc.StartTime]), ":", ""))
        )
        or (
            num(translate(fs(k[cbc.EndTime]), ":", ""))
            == num(translate(fs(k[cbc.StartTime]), ":", ""))
        )
    ):
        d.fail(e, "F-LIB081", "[F-LIB081] EndTime must be greater or equal to StartTime")


def exchange_rate_check(e: El, d: Doc) -> None:
    """Abstract rule ExchangeRateCheck."""
    k = kids(e)
    if (
        bool(k[cac.ForeignExchangeContract])
        and norm(fs(p(e, "cac:ForeignExchangeContract/cbc:ID"))) == ""
    ):
        d.fail(
            e,
            "F-LIB238",
            "[F-LIB238] Invalid TaxExchangeRate/ForeignExchangeRate/ID. Must contain a value.",
        )
    if norm(fs(k[cbc.SourceCurrencyCode])) == "":
        d.fail(e, "F-LIB083", "[F-LIB083] Invalid SourceCurrencyCode. Must contain a value")
    if norm(fs(k[cbc.TargetCurrencyCode])) == "":
        d.fail(e, "F-LIB084", "[F-LIB084] Invalid TargetCurrencyCode. Must contain a value")
    if bool(k[cbc.SourceCurrencyBaseRate]) and (
        fs(k[cbc.SourceCurrencyBaseRate]).startswith("-")
        or gc("=", k[cbc.SourceCurrencyBaseRate], 0)
    ):
        d.fail(
            e, "F-LIB085", "[F-LIB085] Invalid SourceCurrencyBaseRate. Must not be negative or zero"
        )
    if bool(k[cbc.SourceCurrencyBaseRate]) and (
        len(after(fs(k[cbc.SourceCurrencyBaseRate]), ".")) != 4
    ):
        d.fail(e, "F-LIB086", "[F-LIB086] Invalid SourceCurrencyBaseRate. Must have 4 decimals")
    if bool(k[cbc.TargetCurrencyBaseRate]) and (
        fs(k[cbc.TargetCurrencyBaseRate]).startswith("-")
        or gc("=", k[cbc.TargetCurrencyBaseRate], 0)
    ):
        d.fail(
            e, "F-LIB087", "[F-LIB087] Invalid TargetCurrencyBaseRate. Must not be negative or zero"
        )
    if bool(k[cbc.TargetCurrencyBaseRate]) and (
        len(after(fs(k[cbc.TargetCurrencyBaseRate]), ".")) != 4
    ):
        d.fail(e, "F-LIB088", "[F-LIB088] Invalid TargetCurrencyBaseRate. Must have 4 decimals")
    if bool(k[cbc.CalculationRate]) and (
        fs(k[cbc.CalculationRate]).startswith("-") or gc("=", k[cbc.CalculationRate], 0)
    ):
        d.fail(e, "F-LIB089", "[F-LIB089] Invalid CalculationRate. Must not be negative or zero")
    if bool(k[cbc.CalculationRate]) and (len(after(fs(k[cbc.CalculationRate]), ".")) != 4):
        d.fail(e, "F-LIB090", "[F-LIB090] Invalid CalculationRate. Must have 4 decimals")
    if ne(k[cbc.MathematicOperatorCode], "multiply") and ne(
        k[cbc.MathematicOperatorCode], "divide"
    ):
        d.fail(
            e,
            "F-LIB310",
            "[F-LIB310] Invalid MathematicOperatorCode. Must either be 'multiply' or 'divide'",
        )
    if bool(p(e, "cac:ForeignExchangeContract/cbc:ContractTypeCode")) and bool(
        p(e, "cac:ForeignExchangeContract/cbc:ContractType")
    ):
        d.fail(e, "F-LIB239", "[F-LIB239] Use either ContractTypeCode or ContractType")
    if len(p(e, "cac:ForeignExchangeContract/cac:ContractDocumentReference")) > 1:
        d.fail(
            e,
            "F-LIB240",
            "[F-LIB240] No more than one ContractDocumentReference class may be present",
        )


def document_reference_check(e: El, d: Doc) -> None:
    """Abstract rule DocumentReferenceCheck."""
    k = kids(e)
    attachment_embedded_document_binary_object = p(
        e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    )
    attachment_external_reference = p(e, "cac:Attachment/cac:ExternalReference")
    attachment_embedded_document_binary_object_mime_code = p(
        e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"
    )
    if not (bool(k[cbc.DocumentType]) or bool(k[cbc.DocumentTypeCode])):
        d.fail(e, "F-LIB092", "[F-LIB092] Use either DocumentType or DocumentTypeCode")
    if bool(k[cac.Attachment]) and bool(k[cbc.XPath]):
        d.fail(e, "F-LIB093", "[F-LIB093] Use either Attachment or XPath")
    if bool(attachment_embedded_document_binary_object) and bool(attachment_external_reference):
        d.fail(
            e, "F-LIB095", "[F-LIB095] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(k[cbc.UUID]) and len(fs(k[cbc.UUID])) != 36:
        d.fail(
            e,
            "F-LIB097",
            "[F-LIB097] Invalid UUID. Must be of this form '6E09886B-DC6E-439F-82D1-7CCAC7F4E3B1'",
        )
    if bool(attachment_embedded_document_binary_object) and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        eq(
                                            attachment_embedded_document_binary_object_mime_code,
                                            "image/tiff",
                                        )
                                        or eq(
                                            attachment_embedded_document_binary_object_mime_code,
                                            "image/png",
                                        )
                                    )
                                    or eq(
                                        attachment_embedded_document_binary_object_mime_code,
                                        "image/jpeg",
                                    )
                                )
                                or eq(
                                    attachment_embedded_document_binary_object_mime_code,
                                    "image/gif",
                                )
                            )
                            or eq(
                                attachment_embedded_document_binary_object_mime_code,
                                "application/pdf",
                            )
                        )
                        or eq(attachment_embedded_document_binary_object_mime_code, "text/xml")
                    )
                    or eq(attachment_embedded_document_binary_object_mime_code, "text/csv")
                )
                or eq(
                    attachment_embedded_document_binary_object_mime_code, "application/vnd.ms-excel"
                )
            )
            or eq(
                attachment_embedded_document_binary_object_mime_code,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        or eq(
            attachment_embedded_document_binary_object_mime_code,
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    ):
        d.fail(e, "F-LIB098", "[F-LIB098] Attribute mimeCode must be a value from the codelist")
    if bool(attachment_external_reference) and not ne(
        p(e, "cac:Attachment/cac:ExternalReference/cbc:URI"), ""
    ):
        d.fail(e, "F-LIB279", "[F-LIB279] When using ExternalReference, URI is mandatory")
    if eq(k[cbc.DocumentTypeCode], "PersonalSecure") and not listed(
        CL.PersonalSecure, fs(k[cbc.ID])
    ):
        d.fail(
            e,
            "F-LIB335",
            "[F-LIB335] When DocumentTypeCode equals 'PersonalSecure', the ID must be either '1' or '2'.",
        )


_KNOWN_DOCUMENT_REFERENCE_CHECK_EXCLUDED = exclusions(
    ("cbc:DocumentType", "F-LIB170", "[F-LIB170] DocumentType element must be excluded"),
    ("cbc:DocumentTypeCode", "F-LIB172", "[F-LIB172] DocumentTypeCode element must be excluded"),
)


def known_document_reference_check(e: El, d: Doc) -> None:
    """Abstract rule KnownDocumentReferenceCheck."""
    k = kids(e)
    attachment_embedded_document_binary_object = p(
        e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    )
    attachment_external_reference = p(e, "cac:Attachment/cac:ExternalReference")
    attachment_embedded_document_binary_object_mime_code = p(
        e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"
    )
    excluded(e, d, _KNOWN_DOCUMENT_REFERENCE_CHECK_EXCLUDED)
    if bool(k[cac.Attachment]) and bool(k[cbc.XPath]):
        d.fail(e, "F-LIB169", "[F-LIB169] Use either Attachment or XPath")
    if bool(attachment_embedded_document_binary_object) and bool(attachment_external_reference):
        d.fail(
            e, "F-LIB171", "[F-LIB171] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(k[cbc.UUID]) and len(fs(k[cbc.UUID])) != 36:
        d.fail(
            e,
            "F-LIB173",
            "[F-LIB173] Invalid UUID. Must be of this form '6E09886B-DC6E-439F-82D1-7CCAC7F4E3B1'",
        )
    if bool(attachment_embedded_document_binary_object) and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        eq(
                                            attachment_embedded_document_binary_object_mime_code,
                                            "image/tiff",
                                        )
                                        or eq(
                                            attachment_embedded_document_binary_object_mime_code,
                                            "image/png",
                                        )
                                    )
                                    or eq(
                                        attachment_embedded_document_binary_object_mime_code,
                                        "image/jpeg",
                                    )
                                )
                                or eq(
                                    attachment_embedded_document_binary_object_mime_code,
                                    "image/gif",
                                )
                            )
                            or eq(
                                attachment_embedded_document_binary_object_mime_code,
                                "application/pdf",
                            )
                        )
                        or eq(attachment_embedded_document_binary_object_mime_code, "text/xml")
                    )
                    or eq(attachment_embedded_document_binary_object_mime_code, "text/csv")
                )
                or eq(
                    attachment_embedded_document_binary_object_mime_code, "application/vnd.ms-excel"
                )
            )
            or eq(
                attachment_embedded_document_binary_object_mime_code,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        or eq(
            attachment_embedded_document_binary_object_mime_code,
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    ):
        d.fail(e, "F-LIB174", "[F-LIB174] Attribute mimeCode must be a value from the codelist")
    if bool(attachment_external_reference) and not ne(
        p(e, "cac:Attachment/cac:ExternalReference/cbc:URI"), ""
    ):
        d.fail(e, "F-LIB096", "[F-LIB096] When using ExternalReference, URI is mandatory")


_DEFAULT_ITEM_IDENTIFICATION_CHECK_EXCLUDED = exclusions(
    ("cac:PhysicalAttribute", "F-LIB175", "[F-LIB175] PhysicalAttribute class must be excluded"),
    (
        "cac:MeasurementDimension",
        "F-LIB176",
        "[F-LIB176] MeasurementDimension class must be excluded",
    ),
)


def default_item_identification_check(e: El, d: Doc) -> None:
    """Abstract rule DefaultItemIdentificationCheck."""
    k = kids(e)
    excluded(e, d, _DEFAULT_ITEM_IDENTIFICATION_CHECK_EXCLUDED)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-LIB177", "[F-LIB177] Invalid ItemIdentification/ID. Must contain a value.")


_ALLOWANCE_CHARGE_TOP_CHECK_EXCLUDED = exclusions(
    ("cac:TaxTotal", "F-LIB224", "[F-LIB224] TaxTotal class must be excluded"),
    ("cac:PaymentMeans", "F-LIB225", "[F-LIB225] PaymentMeans class must be excluded"),
)


def allowance_charge_top_check(e: El, d: Doc) -> None:
    """Abstract rule AllowanceChargeTopCheck."""
    k = kids(e)
    excluded(e, d, _ALLOWANCE_CHARGE_TOP_CHECK_EXCLUDED)
    if len(k[cac.TaxCategory]) != 1:
        d.fail(e, "F-LIB226", "[F-LIB226] One TaxCategory class must be present")
    if bool(k[cbc.MultiplierFactorNumeric]) and not ne(k[cbc.BaseAmount], ""):
        d.fail(
            e,
            "F-LIB248",
            "[F-LIB248] When MultiplierFactorNumeric is used, BaseAmount is mandatory",
        )
    if fs(k[cbc.MultiplierFactorNumeric]).startswith("-"):
        d.fail(e, "F-LIB227", "[F-LIB227] MultiplierFactorNumeric must be a positive number")
    if bool(k[cbc.MultiplierFactorNumeric]) and (
        (
            (
                num(fs(k[cbc.Amount]))
                - (num(fs(k[cbc.BaseAmount])) * num(fs(k[cbc.MultiplierFactorNumeric])))
            )
            < -1
        )
        or (
            (
                num(fs(k[cbc.Amount]))
                - (num(fs(k[cbc.BaseAmount])) * num(fs(k[cbc.MultiplierFactorNumeric])))
            )
            > 1
        )
    ):
        d.fail(e, "F-LIB228", "[F-LIB228] Amount must equal BaseAmount * MultiplierFactorNumeric")


def price_allowance_charge_top_check(e: El, d: Doc) -> None:
    """Abstract rule PriceAllowanceChargeTopCheck."""
    k = kids(e)
    if fs(k[cbc.MultiplierFactorNumeric]).startswith("-"):
        d.fail(e, "F-LIB271", "[F-LIB271] MultiplierFactorNumeric must be a positive number")
    price_allowance_charge_top_check_common(e, d)


def price_allowance_charge_top_check_multiplier_factor(e: El, d: Doc) -> None:
    """Abstract rule PriceAllowanceChargeTopCheckMultiplierFactor."""
    price_allowance_charge_top_check_common(e, d)


_PRICE_ALLOWANCE_CHARGE_TOP_CHECK_COMMON_EXCLUDED = exclusions(
    ("cac:TaxTotal", "F-LIB268", "[F-LIB268] TaxTotal class must be excluded"),
    ("cac:PaymentMeans", "F-LIB269", "[F-LIB269] PaymentMeans class must be excluded"),
    (
        "cbc:AccountingCostCode",
        "F-LIB273",
        "[F-LIB273] AccountingCostCode element must be excluded",
    ),
    ("cbc:AccountingCost", "F-LIB274", "[F-LIB274] AccountingCost element must be excluded"),
)


def price_allowance_charge_top_check_common(e: El, d: Doc) -> None:
    """Abstract rule PriceAllowanceChargeTopCheckCommon."""
    k = kids(e)
    excluded(e, d, _PRICE_ALLOWANCE_CHARGE_TOP_CHECK_COMMON_EXCLUDED)
    if bool(k[cbc.MultiplierFactorNumeric]) and not ne(k[cbc.BaseAmount], ""):
        d.fail(
            e,
            "F-LIB270",
            "[F-LIB270] When MultiplierFactorNumeric is used, BaseAmount is mandatory",
        )
    if bool(k[cbc.MultiplierFactorNumeric]) and (
        (
            (
                num(fs(k[cbc.Amount]))
                - (num(fs(k[cbc.BaseAmount])) * num(fs(k[cbc.MultiplierFactorNumeric])))
            )
            < -1
        )
        or (
            (
                num(fs(k[cbc.Amount]))
                - (num(fs(k[cbc.BaseAmount])) * num(fs(k[cbc.MultiplierFactorNumeric])))
            )
            > 1
        )
    ):
        d.fail(e, "F-LIB228", "[F-LIB228] Amount must equal BaseAmount * MultiplierFactorNumeric")


def attachment_check(e: El, d: Doc) -> None:
    """Abstract rule AttachmentCheck."""
    k = kids(e)
    embedded_document_binary_object_mime_code = p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode")
    if bool(k[cbc.EmbeddedDocumentBinaryObject]) and bool(k[cac.ExternalReference]):
        d.fail(
            e, "F-LIB284", "[F-LIB284] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(k[cbc.EmbeddedDocumentBinaryObject]) and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        eq(embedded_document_binary_object_mime_code, "image/tiff")
                                        or eq(
                                            embedded_document_binary_object_mime_code, "image/png"
                                        )
                                    )
                                    or eq(embedded_document_binary_object_mime_code, "image/jpeg")
                                )
                                or eq(embedded_document_binary_object_mime_code, "image/gif")
                            )
                            or eq(embedded_document_binary_object_mime_code, "application/pdf")
                        )
                        or eq(embedded_document_binary_object_mime_code, "text/xml")
                    )
                    or eq(embedded_document_binary_object_mime_code, "text/csv")
                )
                or eq(embedded_document_binary_object_mime_code, "application/vnd.ms-excel")
            )
            or eq(
                embedded_document_binary_object_mime_code,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        or eq(
            embedded_document_binary_object_mime_code,
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    ):
        d.fail(e, "F-LIB285", "[F-LIB285] Attribute mimeCode must be a value from the codelist")
    if bool(k[cac.ExternalReference]) and not ne(p(e, "cac:ExternalReference/cbc:URI"), ""):
        d.fail(e, "F-LIB286", "[F-LIB286] When using ExternalReference, URI is mandatory")


class LineAmountRules(NamedTuple):
    """The ids and messages of the line amount rules of one document type.

    Each tuple of ids is for the three unit-code cases: the line quantity and
    Price/BaseQuantity have different unit codes, the same unit code, or neither (no base
    quantity unit code to compare).
    """

    quantity: str
    default_base: str | None
    not_evaluated: str
    plain: tuple[str, str, str]
    multiply: tuple[str, str, str]
    divide: tuple[str, str, str]
    multiply_factor: tuple[str, str, str]
    divide_factor: tuple[str, str, str]
    messages: dict[str, str]


def additional_item_property_check(e: El, d: Doc) -> None:
    """Abstract rule AdditionalItemPropertyCheck."""
    k = kids(e)
    parent = p(e, "..")
    parent_parent_invoiced_quantity = p(e, "../../cbc:InvoicedQuantity")
    name_is_emissionfactor = eq(k[cbc.Name], "EmissionFactor")
    if not (not name_is_emissionfactor or (num(fs(k[cbc.Value])) == num(fs(k[cbc.Value])))):
        d.fail(
            e,
            "OIOUBL-Common-GP004",
            "[OIOUBL-Common-GP004] If AdditionalItemProperty/Name is 'EmissionFactor', then the AdditionalItemProperty/Value must be a valid numeric value",
        )
    if not (
        not eq(k[cbc.Name], "NetEmissionQuantity")
        or (
            (
                div(
                    xround(
                        (
                            (
                                num(
                                    fs(
                                        pm(
                                            [
                                                x1
                                                for x1 in pm(parent, "cac:AdditionalItemProperty")
                                                if eq(p(x1, "cbc:Name"), "EmissionFactor")
                                            ],
                                            "cbc:Value",
                                        )
                                    )
                                )
                                * num(fs(parent_parent_invoiced_quantity))
                            )
                            * 10000
                        )
                    ),
                    10000,
                )
                == div(xround((num(fs(k[cbc.Value])) * 10000)), 10000)
            )
            or (
                div(
                    xround(
                        (
                            num(
                                fs(
                                    pm(
                                        [
                                            x1
                                            for x1 in pm(parent, "cac:AdditionalItemProperty")
                                            if eq(p(x1, "cbc:Name"), "EmissionFactor")
                                        ],
                                        "cbc:Value",
                                    )
                                )
                            )
                            * num(fs(p(e, "../../cbc:CreditedQuantity")))
                        )
                        * 10000
                    ),
                    10000,
                )
                == div(xround(num(fs(k[cbc.Value])) * 10000), 10000)
            )
        )
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP005",
            "[OIOUBL-Common-GP005] if Name is 'NetEmissionQuantity', then its Value must equal EmissionFactor * Quantity (InvoicedQuantity / CreditedQuantity)\" Values found - NetEmissionQuantity value "
            + vo(num(fs(k[cbc.Value])))
            + "' - NetEmissionFactor value "
            + vo(
                num(
                    fs(
                        pm(
                            [
                                x1
                                for x1 in pm(parent, "cac:AdditionalItemProperty")
                                if eq(p(x1, "cbc:Name"), "EmissionFactor")
                            ],
                            "cbc:Value",
                        )
                    )
                )
            )
            + "' - Quantity "
            + vo(num(fs(parent_parent_invoiced_quantity)))
            + "'",
        )
    if not (
        not eq(k[cbc.Name], "EmissionFactorSource")
        or (eq(k[cbc.Value], "Database") or eq(k[cbc.Value], "Internal"))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP006",
            "[OIOUBL-Common-GP006] If AdditionalItemProperty/Name is 'EmissionFactorSource', then AdditionalItemProperty/Value must be either 'Database' or 'Internal'",
        )
    if not (
        not name_is_emissionfactor
        or bool(
            [
                x1
                for x1 in pm(parent, "cac:AdditionalItemProperty")
                if eq(p(x1, "cbc:Name"), "EmissionFactorSource")
            ]
        )
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP007",
            "[OIOUBL-Common-GP007] If AdditionalItemProperty/Name is 'EmissionFactor', then another AdditionalItemProperty/Name = 'EmissionFactorSource' must exist",
        )
    if not (
        not eq(k[cbc.Name], "EmissionFactorCalculationUnit")
        or listed(CL.Quantity_unitCode, norm(fs(k[cbc.Value])))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP008",
            "[OIOUBL-Common-GP008] If AdditionalItemProperty/Name equals 'EmissionFactorCalculationUnit' then AdditionalItemProperty/Value must have a valid UnitCode value from the codelist urn:un:unece:uncefact:codelist:specification:66411:2001.",
        )
    if not (
        not eq(k[cbc.Name], "CalculationRate") or (num(fs(k[cbc.Value])) == num(fs(k[cbc.Value])))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP009",
            "[OIOUBL-Common-GP009] If AdditionalItemProperty/Name is 'CalculationRate', then the AdditionalItemProperty/Value must be a valid numeric value",
        )


def currency_attribute_check(e: El, d: Doc) -> None:
    """``//*[@currencyID]``: CurrencyCheck (PrecedingDecCheck has no asserts)."""
    currency = e.get("currencyID") or ""
    if e.tag.endswith("Amount") and not listed(CL.CurrencyCode, currency):
        d.fail(
            e,
            "F-LIB403",
            "[F-LIB403] Invalid CurrencyCode: '"
            + currency
            + "'. Must be a value from the codelist",
        )
