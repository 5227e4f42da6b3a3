"""OIOUBL common rules for tax totals, subtotals, categories and schemes."""

from __future__ import annotations

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    Item,
    Nodes,
    after,
    cac,
    cbc,
    dec,
    div,
    dround,
    dstr,
    dsum,
    eq,
    excluded,
    exclusions,
    fs,
    gc,
    kids,
    listed,
    ne,
    norm,
    nstr,
    num,
    p,
    pm,
    qn,
    rootis,
    sv,
    vo,
    xround,
    xsum,
)

# The UNCL 5305 and OIOUBL tax categories F-LIB404 compares between lines and totals.
_TAX_CATEGORY_LINE_CODES = frozenset(
    {"B", "M", "L", "K", "O", "G", "ZeroRated", "StandardRated", "ReverseCharge"}
)


def _same_tax_category(
    x: Item, category: Nodes, scheme: Nodes, currency: Nodes, amount: str
) -> bool:
    """The predicate of CheckTaxAmountOnHeader: same category, scheme and currency."""
    return (
        gc("=", p(x, "cac:TaxCategory/cbc:ID"), category)
        and gc("=", p(x, "cac:TaxCategory/cac:TaxScheme/cbc:ID"), scheme)
        and gc("=", p(x, amount + "/@currencyID"), currency)
    )


_TAX_SCHEME_CHECK_EXCLUDED = exclusions(
    ("cac:JurisdictionRegionAddress/cbc:ID", "F-LIB041", "[F-LIB041] ID element must be excluded"),
    (
        "cac:JurisdictionRegionAddress/cbc:AddressTypeCode",
        "F-LIB042",
        "[F-LIB042] AddressTypeCode element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:Postbox",
        "F-LIB043",
        "[F-LIB043] Postbox element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:Floor",
        "F-LIB044",
        "[F-LIB044] Floor element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:Room",
        "F-LIB045",
        "[F-LIB045] Room element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:StreetName",
        "F-LIB046",
        "[F-LIB046] StreetName element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:AdditionalStreetName",
        "F-LIB047",
        "[F-LIB047] AdditionalStreetName element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:BlockName",
        "F-LIB048",
        "[F-LIB048] BlockName element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:BuildingName",
        "F-LIB049",
        "[F-LIB049] BuildingName element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:BuildingNumber",
        "F-LIB050",
        "[F-LIB050] BuildingNumber element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:InhouseMail",
        "F-LIB051",
        "[F-LIB051] InhouseMail element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:Department",
        "F-LIB052",
        "[F-LIB052] Department element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:MarkAttention",
        "F-LIB053",
        "[F-LIB053] MarkAttention element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:MarkCare",
        "F-LIB054",
        "[F-LIB054] MarkCare element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:PlotIdentification",
        "F-LIB055",
        "[F-LIB055] PlotIdentification element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:CitySubdivisionName",
        "F-LIB056",
        "[F-LIB056] CitySubdivisionName element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:CityName",
        "F-LIB057",
        "[F-LIB057] CityName element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:PostalZone",
        "F-LIB058",
        "[F-LIB058] PostalZone element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:CountrySubentity",
        "F-LIB059",
        "[F-LIB059] CountrySubentity element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:CountrySubentityCode",
        "F-LIB060",
        "[F-LIB060] CountrySubentityCode element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cbc:TimezoneOffset",
        "F-LIB063",
        "[F-LIB063] TimezoneOffset element must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cac:AddressLine",
        "F-LIB234",
        "[F-LIB234] AddressLine class must be excluded",
    ),
    (
        "cac:JurisdictionRegionAddress/cac:LocationCoordinate",
        "F-LIB064",
        "[F-LIB064] LocationCoordinate class must be excluded",
    ),
)


def tax_scheme_check(e: El, d: Doc) -> None:
    """Abstract rule TaxSchemeCheck."""
    k = kids(e)
    id_scheme_id = p(e, "cbc:ID/@schemeID")
    tax_type_code_list_id = p(e, "cbc:TaxTypeCode/@listID")
    jurisdiction_region_address_country_identification_code = p(
        e, "cac:JurisdictionRegionAddress/cac:Country/cbc:IdentificationCode"
    )
    id_is_63 = eq(k[cbc.ID], "63")
    excluded(e, d, _TAX_SCHEME_CHECK_EXCLUDED)
    if id_is_63 and bool(k[cbc.TaxTypeCode]):
        d.fail(
            e,
            "F-LIB067",
            "[F-LIB067] TaxTypeCode is not allowed when TaxScheme/ID equals '63' (Moms)",
        )
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-LIB065", "[F-LIB065] Invalid TaxScheme/ID. Must contain a value.")
    if norm(fs(k[cbc.Name])) == "":
        d.fail(e, "F-LIB066", "[F-LIB066] Invalid Name. Must contain a value")
    if not (id_is_63 or eq(k[cbc.ID], "VAT")) and not listed(CL.TaxType2, fs(k[cbc.TaxTypeCode])):
        d.fail(
            e,
            "F-LIB197",
            "[F-LIB197] TaxTypeCode must be a value from the '"
            + vo(CL.TaxType_listID2)
            + "' codelist when TaxScheme/ID is different from '63' or 'VAT' (Moms)",
        )
    if not (
        (
            (eq(id_scheme_id, CL.TaxScheme_schemeID) or eq(id_scheme_id, CL.TaxScheme2_schemeID))
            or eq(id_scheme_id, CL.TaxScheme4_schemeID)
        )
        or eq(id_scheme_id, CL.TaxScheme5_schemeID)
    ):
        d.fail(
            e,
            "F-LIB070",
            "[F-LIB070] Invalid schemeID. Must be either '"
            + vo(CL.TaxScheme_schemeID)
            + "', '"
            + vo(CL.TaxScheme2_schemeID)
            + "', '"
            + vo(CL.TaxScheme4_schemeID)
            + "' or '"
            + vo(CL.TaxScheme5_schemeID)
            + "'",
        )
    if bool(k[cbc.TaxTypeCode]) and not (
        eq(tax_type_code_list_id, CL.TaxType_listID)
        or eq(tax_type_code_list_id, CL.TaxType_listID2)
    ):
        d.fail(
            e,
            "F-LIB071",
            "[F-LIB071] Invalid listID. Must be either '"
            + vo(CL.TaxType_listID)
            + "' or '"
            + vo(CL.TaxType_listID2)
            + "'",
        )
    if id_is_63 and ne(k[cbc.Name], "Moms"):
        d.fail(
            e, "F-LIB198", "[F-LIB198] Name must equal 'Moms' when TaxScheme/ID equals '63' (Moms)"
        )
    if ne(k[cbc.ID], "63") and eq(k[cbc.Name], "Moms"):
        d.fail(e, "F-LIB199", "[F-LIB199] Name must correspond to the value of TaxScheme/ID")
    if bool(jurisdiction_region_address_country_identification_code) and not listed(
        CL.CountryCode, fs(jurisdiction_region_address_country_identification_code)
    ):
        d.fail(
            e,
            "F-LIB337",
            "[F-LIB337] Invalid Country/IdentificationCode: '"
            + vo(jurisdiction_region_address_country_identification_code)
            + "'. Must be a value from the country codelist",
        )
    if bool(k[cac.JurisdictionRegionAddress]) and ne(
        p(e, "cac:JurisdictionRegionAddress/cbc:AddressFormatCode"), "StructuredRegion"
    ):
        d.fail(
            e,
            "F-LIB233",
            "[F-LIB233] The AddressFormatCode under JurisdictionRegionAddress must always equal 'StructuredRegion'",
        )


_TAX_CATEGORY_CHECK_EXCLUDED = exclusions(
    ("cbc:TierRange", "F-LIB072", "[F-LIB072] TierRange element must be excluded"),
    ("cbc:TierRatePercent", "F-LIB073", "[F-LIB073] TierRatePercent element must be excluded"),
)


def tax_category_check(e: El, d: Doc) -> None:
    """Abstract rule TaxCategoryCheck."""
    k = kids(e)
    id_scheme_id = p(e, "cbc:ID/@schemeID")
    excluded(e, d, _TAX_CATEGORY_CHECK_EXCLUDED)
    if norm(fs(k[cbc.ID])) == "":
        d.fail(e, "F-LIB074", "[F-LIB074] Invalid TaxCategory/ID. Must contain a value.")
    if not (
        (
            (
                eq(id_scheme_id, CL.TaxCategory1_schemeID)
                or eq(id_scheme_id, CL.TaxCategory2_schemeID)
            )
            or eq(id_scheme_id, CL.TaxCategory3_schemeID)
        )
        or eq(id_scheme_id, CL.TaxCategory4_schemeID)
    ):
        d.fail(
            e,
            "F-LIB075",
            "[F-LIB075] Invalid schemeID. Must be either '"
            + vo(CL.TaxCategory1_schemeID)
            + "', '"
            + vo(CL.TaxCategory2_schemeID)
            + "', '"
            + vo(CL.TaxCategory3_schemeID)
            + "' or '"
            + vo(CL.TaxCategory4_schemeID)
            + "'.",
        )
    if not eq(p(e, "cbc:ID/@schemeAgencyID"), CL.TaxCategory2_agencyID):
        d.fail(e, "W-LIB229", "[W-LIB229] Invalid schemeAgencyID. Must be '320'")
    if (
        (
            (
                eq(id_scheme_id, CL.TaxCategory1_schemeID)
                and not listed(CL.TaxCategory1, fs(k[cbc.ID]))
            )
            or (
                eq(id_scheme_id, CL.TaxCategory2_schemeID)
                and not listed(CL.TaxCategory2, fs(k[cbc.ID]))
            )
        )
        or (
            eq(id_scheme_id, CL.TaxCategory3_schemeID)
            and not listed(CL.TaxCategory3, fs(k[cbc.ID]))
        )
    ) or (
        eq(id_scheme_id, CL.TaxCategory4_schemeID) and not listed(CL.TaxCategory4, fs(k[cbc.ID]))
    ):
        d.fail(
            e,
            "F-LIB309",
            "[F-LIB309] Invalid ID: '" + vo(k[cbc.ID]) + "'. Must be a value from the codelist",
        )
    if ne(k[cbc.Name], "") and "nesubl.eu" not in fs(pm(rootis(d, "doc:Invoice"), "cbc:ProfileID")):
        d.fail(e, "W-LIB230", "[W-LIB230] Name should only be used within NES profiles")
    if bool(k[cbc.PerUnitAmount]) and bool(k[cbc.Percent]):
        d.fail(e, "F-LIB231", "[F-LIB231] Use either PerUnitAmount or Percent")
    if bool(k[cbc.PerUnitAmount]) and not ne(k[cbc.BaseUnitMeasure], ""):
        d.fail(e, "F-LIB232", "[F-LIB232] When PerUnitAmount is used, BaseUnitMeasure is mandatory")
    if eq(k[cbc.ID], "StandardRated") and (
        (fs(k[cbc.Percent]) == "") or (num(fs(k[cbc.Percent])) == 0)
    ):
        d.fail(
            e,
            "F-LIB382",
            "[F-LIB382] When 'TaxCategory\\ID' = 'StandardRated', 'TaxCategory\\Percent' must be present and greater than 0.00. Found value: '"
            + vo(k[cbc.Percent])
            + "'.",
        )


def tax_total_check(e: El, d: Doc) -> None:
    """Abstract rule TaxTotalCheck."""
    k = kids(e)
    if gc(
        "=",
        p(e, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID"),
        p(e, "following-sibling::*/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID"),
    ):
        d.fail(
            e,
            "F-LIB314",
            "[F-LIB314] Using the same TaxScheme ID in two different TaxTotal classes are not allowed.",
        )
    if (
        len(
            [
                x1
                for x1 in pm(p(e, ".."), "cac:TaxTotal")
                if (
                    eq(p(x1, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID"), "63")
                    or eq(p(x1, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID"), "VAT")
                )
            ]
        )
        != 1
    ):
        d.fail(e, "F-LIB306", "[F-LIB306] Exactly one TaxTotal class must contain VAT (Moms)")
    if len(after(fs(k[cbc.TaxAmount]), ".")) != 2:
        d.fail(e, "F-LIB250", "[F-LIB250] Invalid TaxAmount. Must have 2 decimals")
    if bool(k[cbc.RoundingAmount]) and gc("=", k[cbc.RoundingAmount], 0):
        d.fail(e, "F-LIB251", "[F-LIB251] Invalid RoundingAmount. Must not be zero")
    if bool(k[cbc.RoundingAmount]) and (len(after(fs(k[cbc.RoundingAmount]), ".")) != 2):
        d.fail(e, "F-LIB252", "[F-LIB252] Invalid RoundingAmount. Must have 2 decimals")
    if eq(k[cbc.TaxEvidenceIndicator], "false") and ne(
        pm(rootis(d, "doc:Invoice"), "cbc:InvoiceTypeCode"), "325"
    ):
        d.fail(
            e,
            "F-LIB253",
            "[F-LIB253] Can only be false if proforma invoice (InvoiceTypeCode = '325')",
        )
    if bool(k[cbc.TransactionCurrencyTaxAmount]) and not eq(
        p(e, "cac:TaxCategory/cbc:ID"), "StandardRated"
    ):
        d.fail(
            e,
            "F-LIB373",
            "[F-LIB373] TransactionCurrencyTaxAmount only valid when TaxCategory/ID = 'StandardRated'",
        )
    subtotals = p(e, "cac:TaxSubtotal")
    if subtotals:
        total = dsum(pm(subtotals, "cbc:TaxAmount"))
        amount = dec(fs(p(e, "cbc:TaxAmount")))
        rounded = None if total is None else dround(total * 100) / 100
        if amount is None or rounded is None or amount != rounded:
            d.fail(
                e,
                "F-LIB385",
                "[F-LIB385] TaxAmount of '"
                + vo(p(e, "cbc:TaxAmount"))
                + "' must equal the sum of all following TaxSubtotal/TaxAmount '"
                + ("" if total is None else dstr(total))
                + "'",
            )


_TAX_SUBTOTAL_CHECK_EXCLUDED = exclusions(
    ("cbc:Percent", "F-LIB254", "[F-LIB254] Percent element must be excluded"),
    ("cbc:BaseUnitMeasure", "F-LIB255", "[F-LIB255] BaseUnitMeasure element must be excluded"),
    ("cbc:PerUnitAmount", "F-LIB256", "[F-LIB256] PerUnitAmount element must be excluded"),
    ("cbc:TierRange", "F-LIB257", "[F-LIB257] TierRange element must be excluded"),
    ("cbc:TierRatePercent", "F-LIB258", "[F-LIB258] TierRatePercent element must be excluded"),
)


def tax_subtotal_check(e: El, d: Doc) -> None:
    """Abstract rule TaxSubtotalCheck."""
    k = kids(e)
    tax_category_tax_scheme_id = p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID")
    following_tax_category_tax_scheme_id = p(
        e, "following-sibling::*/cac:TaxCategory/cac:TaxScheme/cbc:ID"
    )
    tax_category_id = p(e, "cac:TaxCategory/cbc:ID")
    parent_tax_amount = p(e, "../cbc:TaxAmount")
    tax_category_id_is_standardrated = eq(tax_category_id, "StandardRated")
    v_id63 = eq(tax_category_tax_scheme_id, "63")
    excluded(e, d, _TAX_SUBTOTAL_CHECK_EXCLUDED)
    if norm(fs(k[cbc.TaxableAmount])) == "":
        d.fail(e, "F-LIB259", "[F-LIB259] Invalid TaxableAmount. Must contain a value")
    if (
        v_id63 and gc("=", tax_category_tax_scheme_id, following_tax_category_tax_scheme_id)
    ) and gc("=", tax_category_id, p(e, "following-sibling::*/cac:TaxCategory/cbc:ID")):
        d.fail(
            e,
            "F-LIB315",
            "[F-LIB315] Specifying the same TaxSubtotal.TaxCategory.ID in one TaxTotal class is not allowed",
        )
    if gc("!=", tax_category_tax_scheme_id, following_tax_category_tax_scheme_id):
        d.fail(
            e,
            "F-LIB316",
            "[F-LIB316] Specifying different TaxScheme.ID in same TaxTotal class is not allowed.",
        )
    if len(after(fs(k[cbc.TaxableAmount]), ".")) != 2:
        d.fail(e, "F-LIB261", "[F-LIB261] Invalid TaxableAmount. Must have 2 decimals")
    if len(after(fs(k[cbc.TaxAmount]), ".")) != 2:
        d.fail(e, "F-LIB263", "[F-LIB263] Invalid TaxAmount. Must have 2 decimals")
    if bool(k[cbc.CalculationSequenceNumeric]) and (
        fs(k[cbc.CalculationSequenceNumeric]).startswith("-")
        or gc("=", k[cbc.CalculationSequenceNumeric], 0)
    ):
        d.fail(
            e,
            "F-LIB264",
            "[F-LIB264] Invalid CalculationSequenceNumeric. Must not be negative or zero",
        )
    if (
        (
            bool(k[cbc.TransactionCurrencyTaxAmount])
            and (num(fs(k[cbc.TransactionCurrencyTaxAmount])) != 0)
        )
        and tax_category_id_is_standardrated
    ) and (
        ((num(fs(k[cbc.TransactionCurrencyTaxAmount])) < 0) and (num(fs(parent_tax_amount)) > 0))
        or ((num(fs(k[cbc.TransactionCurrencyTaxAmount])) > 0) and (num(fs(parent_tax_amount)) < 0))
    ):
        d.fail(
            e,
            "F-LIB266",
            "[F-LIB266] Invalid TransactionCurrencyTaxAmount. Must be negative if TaxTotal/TaxAmount is negative, and must be be positive if TaxTotal/TaxAmount is positive",
        )
    if bool(k[cbc.TransactionCurrencyTaxAmount]) and (
        len(after(fs(k[cbc.TransactionCurrencyTaxAmount]), ".")) != 2
    ):
        d.fail(
            e, "F-LIB267", "[F-LIB267] Invalid TransactionCurrencyTaxAmount. Must have 2 decimals"
        )
    v_calculated_vat = div(num(fs(k[cbc.TaxableAmount])), 100) * num(
        fs(p(e, "cac:TaxCategory/cbc:Percent"))
    )
    if (
        (tax_category_id_is_standardrated and (num(fs(k[cbc.TaxableAmount])) > 0))
        and (num(fs(k[cbc.TaxAmount])) == 0)
    ) and (v_calculated_vat >= 0.005):
        d.fail(
            e,
            "F-LIB381",
            "[F-LIB381] Invalid VAT TaxAmount - When TaxCategory/ID are 'StandardRated' and TaxableAmount > 0 ("
            + vo(k[cbc.TaxableAmount])
            + ") TaxAmount can't be '("
            + vo(k[cbc.TaxAmount])
            + ")' unless calculated vat '("
            + vo(v_calculated_vat)
            + ")' are less then 0.005",
        )
    if bool(k[cbc.TransactionCurrencyTaxAmount]) and not tax_category_id_is_standardrated:
        d.fail(
            e,
            "F-LIB373",
            "[F-LIB373] TransactionCurrencyTaxAmount only valid when TaxCategory/ID = 'StandardRated'",
        )


def tax_subtotal_calculation_header(e: El, d: Doc) -> None:
    """Abstract rule TaxSubtotalCalculationHeader."""
    k = kids(e)
    tax_category_tax_scheme_id = p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID")
    tax_category_percent = p(e, "cac:TaxCategory/cbc:Percent")
    tax_category_tax_scheme_id_is_vat = eq(tax_category_tax_scheme_id, "VAT")
    if tax_category_tax_scheme_id_is_vat and not bool(tax_category_percent):
        d.fail(
            e,
            "F-LIB333",
            "[F-LIB333] When TaxCategory/TaxScheme/Id is VAT, the TaxCategory/Percent must be present.",
        )
    if tax_category_tax_scheme_id_is_vat and (
        eq(tax_category_percent, "") or (len(after(fs(tax_category_percent), ".")) > 2)
    ):
        d.fail(
            e,
            "F-LIB334",
            "[F-LIB334] The TaxCategory/Percent must contain a decimal value with maximum 2 decimals.",
        )
    if bool(k[cbc.TransactionCurrencyTaxAmount]) and not eq(
        p(e, "cac:TaxCategory/cbc:ID"), "StandardRated"
    ):
        d.fail(
            e,
            "F-LIB373",
            "[F-LIB373] TransactionCurrencyTaxAmount only valid when TaxCategory/ID = 'StandardRated'",
        )


def tax_subtotal_calculation_line(e: El, d: Doc) -> None:
    """Abstract rule TaxSubtotalCalculationLine."""


def check_values_when_zero_rated(e: El, d: Doc) -> None:
    """Abstract rule CheckValuesWhenZeroRated."""
    k = kids(e)
    parent_tax_amount = p(e, "../cbc:TaxAmount")
    if not (
        ne(k[cbc.ID], "ZeroRated")
        or (
            (num(fs(parent_tax_amount)) == 0)
            and (not bool(k[cbc.Percent]) or (num(norm(fs(k[cbc.Percent]))) == 0))
        )
    ):
        d.fail(
            e,
            "F-LIB400",
            '[F-LIB400] When "TaxCategory/ID" is "ZeroRated", "TaxAmount" and "Percent" must be 0."> Values found: - TaxCategoty/ID: '
            + vo(k[cbc.ID])
            + " - TaxCategory/Percent: "
            + vo(k[cbc.Percent])
            + " - TaxAmount: "
            + vo(parent_tax_amount),
        )


def check_tax_amount(e: El, d: Doc) -> None:
    """Abstract rule CheckTaxAmount."""
    k = kids(e)
    parent_tax_amount = p(e, "../cbc:TaxAmount")
    parent_taxable_amount = p(e, "../cbc:TaxableAmount")
    if not (
        not eq(k[cbc.ID], "StandardRated")
        or (
            ((num(fs(k[cbc.Percent])) == 0) and (num(fs(parent_tax_amount)) == 0))
            or (
                (num(fs(k[cbc.Percent])) > 0)
                and (
                    abs(
                        num(fs(parent_tax_amount))
                        - div(
                            xround(
                                div((num(fs(parent_taxable_amount)) * num(fs(k[cbc.Percent]))), 100)
                                * 100
                            ),
                            100,
                        )
                    )
                    <= 1
                )
            )
        )
    ):
        d.fail(
            e,
            "F-LIB401",
            "[F-LIB401] If Percent is greater than 0, TaxSubtotal/TaxAmount must be correctly calculated within a tolerance of +/- 1. Values found: - TaxCategory/ID: "
            + vo(k[cbc.ID])
            + " - TaxAmount (TaxSubtotal): "
            + vo(parent_tax_amount)
            + " - TaxableAmount: "
            + vo(parent_taxable_amount)
            + " - TaxCategory/Percent: "
            + vo(k[cbc.Percent])
            + " - Calculated TaxAmount (rounded): "
            + vo(
                div(
                    xround(
                        div((num(fs(parent_taxable_amount)) * num(fs(k[cbc.Percent]))), 100) * 100
                    ),
                    100,
                )
            )
            + " - Difference: "
            + vo(
                abs(
                    num(fs(parent_tax_amount))
                    - div(
                        xround(
                            div((num(fs(parent_taxable_amount)) * num(fs(k[cbc.Percent]))), 100)
                            * 100
                        ),
                        100,
                    )
                )
            ),
        )


def check_tax_amount_on_header(e: El, d: Doc) -> None:
    """Abstract rule CheckTaxAmountOnHeader (F-LIB402), on a header TaxSubtotal.

    The taxable amount of a VAT category must equal the line taxable amounts of that category,
    scheme and currency, less allowances and plus charges, within 1; it is not checked when no
    line has that category.
    """
    category = p(e, "cac:TaxCategory/cbc:ID")
    if not (
        eq(category, "StandardRated") or eq(category, "ZeroRated") or eq(category, "ReverseCharge")
    ):
        return
    scheme = p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID")
    currency = p(e, "cbc:TaxableAmount/@currencyID")
    document = p(e, "../..")
    line_subtotals = [
        x
        for x in pm(document, "cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal")
        + pm(document, "cac:CreditNoteLine/cac:TaxTotal/cac:TaxSubtotal")
        if _same_tax_category(x, category, scheme, currency, "cbc:TaxableAmount")
    ]
    if not line_subtotals:
        return
    allowances = 0.0
    charges = 0.0
    for x in pm(document, "cac:AllowanceCharge"):
        if not _same_tax_category(x, category, scheme, currency, "cbc:Amount"):
            continue
        indicator = p(x, "cbc:ChargeIndicator")
        if gc("=", indicator, False):
            allowances += xsum(p(x, "cbc:Amount"))
        if gc("=", indicator, True):
            charges += xsum(p(x, "cbc:Amount"))
    calculated = xsum(pm(line_subtotals, "cbc:TaxableAmount")) - allowances + charges
    taxable = num(fs(p(e, "cbc:TaxableAmount")))
    if abs(taxable - calculated) <= 1:
        return
    name = qn(d.root)
    d.fail(
        e,
        "F-LIB402",
        "[F-LIB402] The taxable amount on the "
        + name
        + " when currency: '"
        + vo(currency)
        + "', Tax Category ID: '"
        + vo(category)
        + "' and Tax Scheme ID: '"
        + vo(scheme)
        + "', does not match the sum of taxable amounts from the invoice or credit note lines, "
        "after adjusting for allowances (discounts) and charges (fees). A rounding difference of "
        "up to +/- 1 is allowed. Values found: - Taxable amount on the "
        + name
        + ": "
        + vo(p(e, "cbc:TaxableAmount"))
        + " - Calculated taxable amount (sum of lines adjusted for discounts and charges): "
        + nstr(div(xround(calculated * 10000), 10000))
        + " - Difference: "
        + nstr(div(xround(abs(taxable - calculated) * 10000), 10000)),
    )


def tax_categoryline_check(e: El, d: Doc) -> None:
    """Abstract rule TaxCategorylineCheck."""
    header = {
        sv(x)
        for x in p(e, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")
        if sv(x) in _TAX_CATEGORY_LINE_CODES
    }
    line_nodes = (
        p(e, "cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")
        + p(e, "cac:CreditNoteLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")
        + p(e, "cac:AllowanceCharge/cac:TaxCategory/cbc:ID")
    )
    lines = {sv(x) for x in line_nodes if sv(x) in _TAX_CATEGORY_LINE_CODES}
    if lines - header or header - lines:
        d.fail(
            e,
            "F-LIB404",
            "[F-LIB404] The values in cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID on lines, "
            "total, and on cac:AllowanceCharge/cac:TaxCategory/cbc:ID must correspond. Values found "
            "- cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID: "
            + vo(p(e, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID"))
            + " - (cac:InvoiceLine | cac:CreditNoteLine)/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID: "
            + vo(
                p(e, "cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")
                + p(e, "cac:CreditNoteLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")
            )
            + " - cac:AllowanceCharge/cac:TaxCategory/cbc:ID: "
            + vo(p(e, "cac:AllowanceCharge/cac:TaxCategory/cbc:ID")),
        )
