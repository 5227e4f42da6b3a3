"""OIOUBL common rules (``OIOUBL_Common_Schematron``, schematron 1.17.2).

The abstract rules that the Invoice and CreditNote patterns extend, one function each, named
after the rule (``AddressCheck`` is :func:`address_check`), plus the one concrete rule of the
file, the currency check on every ``@currencyID``. Each function runs its asserts on the
context element ``e`` and records the failures in ``d``.
"""

from __future__ import annotations

from typing import NamedTuple

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    Item,
    Nodes,
    after,
    dec,
    div,
    dround,
    dstr,
    dsum,
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
    matches,
    nb,
    ne,
    norm,
    nstr,
    num,
    p,
    pm,
    qn,
    rootis,
    substr,
    sv,
    translate,
    vo,
    xround,
    xsum,
)

# The UNCL 5305 and OIOUBL tax categories F-LIB404 compares between lines and totals.
_TAX_CATEGORY_LINE_CODES = frozenset(
    {"B", "M", "L", "K", "O", "G", "ZeroRated", "StandardRated", "ReverseCharge"}
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
    free = k["cbc:FreeOfChargeIndicator"]
    if free and not eq(free, "false"):
        return
    line_amount = k["cbc:LineExtensionAmount"]
    quantity = k[rules.quantity]
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
    values = {
        "id": vo(k["cbc:ID"]),
        "amount": vo(line_amount),
        "quantity": vo(quantity),
        "price": vo(price),
        "factor": vo(factor),
        "base": base,
        "formatted": formatted,
    }

    def fail(rule: str) -> None:
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


def _same_tax_category(
    x: Item, category: Nodes, scheme: Nodes, currency: Nodes, amount: str
) -> bool:
    """The predicate of CheckTaxAmountOnHeader: same category, scheme and currency."""
    return (
        gc("=", p(x, "cac:TaxCategory/cbc:ID"), category)
        and gc("=", p(x, "cac:TaxCategory/cac:TaxScheme/cbc:ID"), scheme)
        and gc("=", p(x, amount + "/@currencyID"), currency)
    )


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
    if not (eq(k["cbc:UBLVersionID"], "2.0") or eq(k["cbc:UBLVersionID"], "2.1")):
        d.fail(e, "F-LIB001", "[F-LIB001] Invalid UBLVersionID. Must be '2.0' or '2.1'")


def customization_id_check(e: El, d: Doc) -> None:
    """Abstract rule CustomizationIDCheck."""
    k = kids(e)
    if not (
        (eq(k["cbc:CustomizationID"], "OIOUBL-2.01") or eq(k["cbc:CustomizationID"], "OIOUBL-2.02"))
        or eq(k["cbc:CustomizationID"], "OIOUBL-2.1")
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
        CL.Profile1, fs(k["cbc:ProfileID"])
    ):
        d.fail(
            e,
            "F-LIB004",
            "[F-LIB004] Invalid ProfileID: '"
            + vo(k["cbc:ProfileID"])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile2_schemeID) and not listed(
        CL.Profile2, fs(k["cbc:ProfileID"])
    ):
        d.fail(
            e,
            "F-LIB302",
            "[F-LIB302] Invalid ProfileID: '"
            + vo(k["cbc:ProfileID"])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile3_schemeID) and not listed(
        CL.Profile3, fs(k["cbc:ProfileID"])
    ):
        d.fail(
            e,
            "F-LIB308",
            "[F-LIB308] Invalid ProfileID: '"
            + vo(k["cbc:ProfileID"])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile4_schemeID) and not listed(
        CL.Profile4, fs(k["cbc:ProfileID"])
    ):
        d.fail(
            e,
            "F-LIB325",
            "[F-LIB325] Invalid ProfileID: '"
            + vo(k["cbc:ProfileID"])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile5_schemeID) and not listed(
        CL.Profile5, fs(k["cbc:ProfileID"])
    ):
        d.fail(
            e,
            "F-LIB327",
            "[F-LIB327] Invalid ProfileID: '"
            + vo(k["cbc:ProfileID"])
            + "'. Must be a value from the codelist",
        )
    if eq(profile_id_scheme_id, CL.Profile6_schemeID) and not listed(
        CL.Profile6, fs(k["cbc:ProfileID"])
    ):
        d.fail(
            e,
            "F-LIB351",
            "[F-LIB351] Invalid ProfileID: '"
            + vo(k["cbc:ProfileID"])
            + "'. Must be a value from the codelist",
        )
    v_profile = k["cbc:ProfileID"]
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


def country_code_check(e: El, d: Doc) -> None:
    """Abstract rule CountryCodeCheck."""
    country_identification_code = p(e, "cac:Country/cbc:IdentificationCode")
    if bool(country_identification_code) and not listed(
        CL.CountryCode, fs(country_identification_code)
    ):
        d.fail(
            e,
            "F-LIB301",
            "[F-LIB301] Invalid Country/IdentificationCode: '"
            + vo(country_identification_code)
            + "'. Must be a value from the codelist",
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
    if (len(k["cbc:Description"]) > 1) and not nb(
        1.0 if (len(k["cbc:Description"]) == len(p(e, "cbc:Description/@languageID"))) else 0.0
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
    if bool(k["cbc:AccountingCost"]) and bool(k["cbc:AccountingCostCode"]):
        d.fail(e, "F-LIB021", "[F-LIB021] Use either AccountingCost or AccountingCostCode")


def party_name_check(e: El, d: Doc) -> None:
    """Abstract rule PartyNameCheck."""
    k = kids(e)
    if (
        not bool(k["cac:PartyIdentification"]) or eq(p(e, "cac:PartyIdentification/cbc:ID"), "")
    ) and (not bool(k["cac:PartyName"]) or eq(p(e, "cac:PartyName/cbc:Name"), "")):
        d.fail(
            e,
            "F-LIB022",
            "[F-LIB022] PartyName/Name is mandatory if PartyIdentification/ID is not found",
        )


def party_name_language_check(e: El, d: Doc) -> None:
    """Abstract rule PartyNameLanguageCheck."""
    name_language_id = p(e, "cbc:Name/@languageID")
    if (len(p(e, "../cac:PartyName")) > 1) and not bool(name_language_id):
        d.fail(
            e,
            "W-LIB219",
            "[W-LIB219] The attribute Name@languageID should be used when more than one PartyName class is present",
        )
    if gc("=", p(e, "following-sibling::*/cbc:Name/@languageID"), name_language_id):
        d.fail(
            e,
            "W-LIB220",
            "[W-LIB220] Multilanguage error. Replicated PartyName classes with same Name@languageID attribute value",
        )


def address_id_check(e: El, d: Doc) -> None:
    """Abstract rule AddressIDCheck."""
    k = kids(e)
    if (not bool(k["cbc:ID"]) or eq(k["cbc:ID"], "")) and (len(k["cac:Address"]) == 0):
        d.fail(e, "F-LIB221", "[F-LIB221] If ID not specified, Address is mandatory")


def contact_check(e: El, d: Doc) -> None:
    """Abstract rule ContactCheck."""
    k = kids(e)
    if (
        (
            (
                (
                    (
                        (not bool(k["cbc:ID"]) or eq(k["cbc:ID"], ""))
                        and (not bool(k["cbc:Name"]) or eq(k["cbc:Name"], ""))
                    )
                    and (not bool(k["cbc:Telephone"]) or eq(k["cbc:Telephone"], ""))
                )
                and (not bool(k["cbc:Telefax"]) or eq(k["cbc:Telefax"], ""))
            )
            and (not bool(k["cbc:ElectronicMail"]) or eq(k["cbc:ElectronicMail"], ""))
        )
        and (not bool(k["cbc:Note"]) or eq(k["cbc:Note"], ""))
    ) and not bool(k["cac:OtherCommunication"]):
        d.fail(
            e, "F-LIB235", "[F-LIB235] At least one field in the Contact class should be specified"
        )
    if bool(p(e, "cac:OtherCommunication/cbc:ChannelCode")) and bool(
        p(e, "cac:OtherCommunication/cbc:Channel")
    ):
        d.fail(e, "F-LIB236", "[F-LIB236] Use either ChannelCode or Channel")
    if eq(p(e, "cac:OtherCommunication/cbc:Value"), ""):
        d.fail(
            e,
            "F-LIB237",
            "[F-LIB237] When Contact/OtherCommunication is used, the element Contact/OtherCommunication/Value must be filled out.",
        )


def person_first_name_check(e: El, d: Doc) -> None:
    """Abstract rule Person/FirstNameCheck."""
    k = kids(e)
    if (not bool(k["cbc:FamilyName"]) or eq(k["cbc:FamilyName"], "")) and (
        not bool(k["cbc:FirstName"]) or eq(k["cbc:FirstName"], "")
    ):
        d.fail(
            e, "F-LIB024", "[F-LIB024] There must be a FirstName if the FamilyName is not present"
        )


_ADDRESS_CHECK_EXCLUDED = exclusions(
    ("cbc:BlockName", "F-LIB210", "[F-LIB210] BlockName element must be excluded"),
    ("cbc:TimezoneOffset", "F-LIB211", "[F-LIB211] TimezoneOffset element must be excluded"),
    ("cac:LocationCoordinate", "F-LIB212", "[F-LIB212] LocationCoordinate class must be excluded"),
)


def address_check(e: El, d: Doc) -> None:
    """Abstract rule AddressCheck."""
    k = kids(e)
    address_format_code_list_id = p(e, "cbc:AddressFormatCode/@listID")
    address_format_code_list_agency_id = p(e, "cbc:AddressFormatCode/@listAgencyID")
    id_scheme_id = p(e, "cbc:ID/@schemeID")
    excluded(e, d, _ADDRESS_CHECK_EXCLUDED)
    if norm(fs(k["cbc:AddressFormatCode"])) == "":
        d.fail(e, "F-LIB025", "[F-LIB025] Invalid AddressFormatCode. Must contain a value")
    if bool(k["cbc:AddressTypeCode"]) and not eq(
        p(e, "cbc:AddressTypeCode/@listID"), "urn:oioubl:codelist:addresstypecode-1.1"
    ):
        d.fail(
            e,
            "F-LIB204",
            "[F-LIB204] Invalid listID. Must be 'urn:oioubl:codelist:addresstypecode-1.1'",
        )
    if bool(k["cbc:AddressTypeCode"]) and not eq(p(e, "cbc:AddressTypeCode/@listAgencyID"), "320"):
        d.fail(e, "F-LIB205", "[F-LIB205] Invalid listAgencyID. Must be '320'")
    if bool(k["cbc:AddressTypeCode"]) and not (
        eq(k["cbc:AddressTypeCode"], "Home") or eq(k["cbc:AddressTypeCode"], "Business")
    ):
        d.fail(
            e, "F-LIB206", "[F-LIB206] Invalid AddressTypeCode. Must be a value from the codelist"
        )
    if not (
        eq(address_format_code_list_id, "urn:oioubl:codelist:addressformatcode-1.1")
        or eq(address_format_code_list_id, "UN/ECE 3477")
    ):
        d.fail(
            e,
            "F-LIB026",
            "[F-LIB026] Invalid listID. Must be either 'urn:oioubl:codelist:addressformatcode-1.1' or 'UN/ECE 3477'",
        )
    if eq(address_format_code_list_id, "urn:oioubl:codelist:addressformatcode-1.1") and not eq(
        address_format_code_list_agency_id, "320"
    ):
        d.fail(e, "F-LIB207", "[F-LIB207] Invalid listAgencyID. Must be '320'")
    if eq(address_format_code_list_id, "urn:oioubl:codelist:addressformatcode-1.1") and not (
        (
            (
                (
                    (norm(fs(k["cbc:AddressFormatCode"])) == "StructuredDK")
                    or (norm(fs(k["cbc:AddressFormatCode"])) == "StructuredLax")
                )
                or (norm(fs(k["cbc:AddressFormatCode"])) == "StructuredID")
            )
            or (norm(fs(k["cbc:AddressFormatCode"])) == "StructuredRegion")
        )
        or (norm(fs(k["cbc:AddressFormatCode"])) == "Unstructured")
    ):
        d.fail(
            e, "F-LIB027", "[F-LIB027] Invalid AddressFormatCode. Must be a value from the codelist"
        )
    if eq(address_format_code_list_id, "UN/ECE 3477") and not eq(
        address_format_code_list_agency_id, "6"
    ):
        d.fail(e, "F-LIB208", "[F-LIB208] Invalid listAgencyID. Must be '6'")
    if eq(address_format_code_list_id, "UN/ECE 3477") and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    eq(k["cbc:AddressFormatCode"], "1")
                                    or eq(k["cbc:AddressFormatCode"], "2")
                                )
                                or eq(k["cbc:AddressFormatCode"], "3")
                            )
                            or eq(k["cbc:AddressFormatCode"], "4")
                        )
                        or eq(k["cbc:AddressFormatCode"], "5")
                    )
                    or eq(k["cbc:AddressFormatCode"], "6")
                )
                or eq(k["cbc:AddressFormatCode"], "7")
            )
            or eq(k["cbc:AddressFormatCode"], "8")
        )
        or eq(k["cbc:AddressFormatCode"], "9")
    ):
        d.fail(
            e, "F-LIB209", "[F-LIB209] Invalid AddressFormatCode. Must be a value from the codelist"
        )
    if bool(k["cac:Country"]) and not ne(p(e, "cac:Country/cbc:IdentificationCode"), ""):
        d.fail(
            e,
            "F-LIB213",
            "[F-LIB213] When Country is used, the element Country/IdentificationCode must be filled out",
        )
    unstructured_check(e, d)
    structured_dk_check(e, d)
    structured_lax_check(e, d)
    structured_id_check(e, d)
    structured_region_check(e, d)
    if bool(k["cbc:ID"]) and not (len(fs(id_scheme_id)) > 0):
        d.fail(
            e,
            "F-LIB028",
            "[F-LIB028] When ID is used under Address the attribute schemeID is used to give an addressregister",
        )
    if bool(k["cbc:ID"]) and not bool(id_scheme_id):
        d.fail(e, "F-LIB029", "[F-LIB029] schemeID attribute must be present on an address ID")
    country_code_check(e, d)


def unstructured_check(e: El, d: Doc) -> None:
    """Abstract rule UnstructuredCheck."""
    k = kids(e)
    if eq(k["cbc:AddressFormatCode"], "Unstructured") and (
        (
            (
                ((len(k["cbc:StreetName"]) != 0) or (len(k["cbc:BuildingNumber"]) != 0))
                or (len(k["cbc:CityName"]) != 0)
            )
            or (len(k["cbc:PostalZone"]) != 0)
        )
        or (len(k["cac:Country"]) != 0)
    ):
        d.fail(
            e,
            "F-LIB031",
            "[F-LIB031] An Unstructured address is only allowed to have AddressLine elements",
        )


def structured_dk_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredDKCheck."""
    k = kids(e)
    if eq(k["cbc:AddressFormatCode"], "StructuredDK") and bool(k["cac:AddressLine"]):
        d.fail(
            e,
            "F-LIB032",
            "[F-LIB032] AddressLine elements not allowed for a StructuredDK address type",
        )
    if eq(k["cbc:AddressFormatCode"], "StructuredDK") and (
        not bool(k["cbc:PostalZone"]) or (norm(fs(k["cbc:PostalZone"])) == "")
    ):
        d.fail(e, "F-LIB033", "[F-LIB033] PostalZone is mandatory for a StructuredDK address type")
    if eq(k["cbc:AddressFormatCode"], "StructuredDK") and (
        (not bool(k["cbc:StreetName"]) or (norm(fs(k["cbc:StreetName"])) == ""))
        and (not bool(k["cbc:Postbox"]) or (norm(fs(k["cbc:Postbox"])) == ""))
    ):
        d.fail(
            e,
            "F-LIB034",
            "[F-LIB034] There should be either a StreetName or a Postbox for a StructuredDK address type",
        )
    if eq(k["cbc:AddressFormatCode"], "StructuredDK") and (
        (not bool(k["cbc:BuildingNumber"]) or (norm(fs(k["cbc:BuildingNumber"])) == ""))
        and (not bool(k["cbc:Postbox"]) or (norm(fs(k["cbc:Postbox"])) == ""))
    ):
        d.fail(
            e,
            "F-LIB035",
            "[F-LIB035] There should be either a BuildingNumber or a Postbox for a StructuredDK address type",
        )


def structured_lax_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredLaxCheck."""
    k = kids(e)
    if eq(k["cbc:AddressFormatCode"], "StructuredLax") and bool(k["cac:AddressLine"]):
        d.fail(
            e,
            "F-LIB036",
            "[F-LIB036] AddressLine elements not allowed for a StructuredLax address type",
        )


def structured_id_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredIDCheck."""
    k = kids(e)
    if eq(k["cbc:AddressFormatCode"], "StructuredID") and (
        not bool(k["cbc:ID"]) or eq(k["cbc:ID"], "")
    ):
        d.fail(e, "F-LIB037", "[F-LIB037] ID is required for a StructuredID address type")
    if eq(k["cbc:AddressFormatCode"], "StructuredID") and (
        (
            (
                ((len(k["cbc:StreetName"]) != 0) or (len(k["cbc:BuildingNumber"]) != 0))
                or (len(k["cbc:CityName"]) != 0)
            )
            or (len(k["cbc:PostalZone"]) != 0)
        )
        or (len(k["cac:Country"]) != 0)
    ):
        d.fail(e, "F-LIB038", "[F-LIB038] Only the ID is used for a StructuredID address type")


def structured_region_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredRegionCheck."""
    k = kids(e)
    country_identification_code = p(e, "cac:Country/cbc:IdentificationCode")
    if eq(k["cbc:AddressFormatCode"], "StructuredRegion") and (
        (
            (not bool(country_identification_code) or eq(country_identification_code, ""))
            and (not bool(k["cbc:Region"]) or eq(k["cbc:Region"], ""))
        )
        and (not bool(k["cbc:District"]) or eq(k["cbc:District"], ""))
    ):
        d.fail(
            e,
            "F-LIB039",
            "[F-LIB039] Region or District or Country/IdentificationCode is required for a StructuredRegion address type",
        )
    if eq(k["cbc:AddressFormatCode"], "StructuredRegion") and (
        (
            ((len(k["cbc:StreetName"]) != 0) or (len(k["cbc:BuildingNumber"]) != 0))
            or (len(k["cbc:CityName"]) != 0)
        )
        or (len(k["cbc:PostalZone"]) != 0)
    ):
        d.fail(
            e,
            "F-LIB040",
            "[F-LIB040] Only Region, District, and/or Country/IdentificationCode can be used for a StructuredRegion address type",
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
    excluded(e, d, _TAX_SCHEME_CHECK_EXCLUDED)
    if eq(k["cbc:ID"], "63") and bool(k["cbc:TaxTypeCode"]):
        d.fail(
            e,
            "F-LIB067",
            "[F-LIB067] TaxTypeCode is not allowed when TaxScheme/ID equals '63' (Moms)",
        )
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(e, "F-LIB065", "[F-LIB065] Invalid TaxScheme/ID. Must contain a value.")
    if norm(fs(k["cbc:Name"])) == "":
        d.fail(e, "F-LIB066", "[F-LIB066] Invalid Name. Must contain a value")
    if not (eq(k["cbc:ID"], "63") or eq(k["cbc:ID"], "VAT")) and not listed(
        CL.TaxType2, fs(k["cbc:TaxTypeCode"])
    ):
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
    if bool(k["cbc:TaxTypeCode"]) and not (
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
    if eq(k["cbc:ID"], "63") and ne(k["cbc:Name"], "Moms"):
        d.fail(
            e, "F-LIB198", "[F-LIB198] Name must equal 'Moms' when TaxScheme/ID equals '63' (Moms)"
        )
    if ne(k["cbc:ID"], "63") and eq(k["cbc:Name"], "Moms"):
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
    if bool(k["cac:JurisdictionRegionAddress"]) and ne(
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
    if norm(fs(k["cbc:ID"])) == "":
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
                and not listed(CL.TaxCategory1, fs(k["cbc:ID"]))
            )
            or (
                eq(id_scheme_id, CL.TaxCategory2_schemeID)
                and not listed(CL.TaxCategory2, fs(k["cbc:ID"]))
            )
        )
        or (
            eq(id_scheme_id, CL.TaxCategory3_schemeID)
            and not listed(CL.TaxCategory3, fs(k["cbc:ID"]))
        )
    ) or (
        eq(id_scheme_id, CL.TaxCategory4_schemeID) and not listed(CL.TaxCategory4, fs(k["cbc:ID"]))
    ):
        d.fail(
            e,
            "F-LIB309",
            "[F-LIB309] Invalid ID: '" + vo(k["cbc:ID"]) + "'. Must be a value from the codelist",
        )
    if ne(k["cbc:Name"], "") and "nesubl.eu" not in fs(
        pm(rootis(d, "doc:Invoice"), "cbc:ProfileID")
    ):
        d.fail(e, "W-LIB230", "[W-LIB230] Name should only be used within NES profiles")
    if bool(k["cbc:PerUnitAmount"]) and bool(k["cbc:Percent"]):
        d.fail(e, "F-LIB231", "[F-LIB231] Use either PerUnitAmount or Percent")
    if bool(k["cbc:PerUnitAmount"]) and not ne(k["cbc:BaseUnitMeasure"], ""):
        d.fail(e, "F-LIB232", "[F-LIB232] When PerUnitAmount is used, BaseUnitMeasure is mandatory")
    if eq(k["cbc:ID"], "StandardRated") and (
        (fs(k["cbc:Percent"]) == "") or (num(fs(k["cbc:Percent"])) == 0)
    ):
        d.fail(
            e,
            "F-LIB382",
            "[F-LIB382] When 'TaxCategory\\ID' = 'StandardRated', 'TaxCategory\\Percent' must be present and greater than 0.00. Found value: '"
            + vo(k["cbc:Percent"])
            + "'.",
        )


_PERIOD_CHECK_EXCLUDED = exclusions(
    ("cbc:DurationMeasure", "F-LIB076", "[F-LIB076] DurationMeasure element must be excluded"),
    ("cbc:DescriptionCode", "F-LIB077", "[F-LIB077] DescriptionCode element must be excluded"),
)


def period_check(e: El, d: Doc) -> None:
    """Abstract rule PeriodCheck."""
    k = kids(e)
    excluded(e, d, _PERIOD_CHECK_EXCLUDED)
    if bool(k["cbc:StartTime"]) and (not bool(k["cbc:StartDate"]) or eq(k["cbc:StartDate"], "")):
        d.fail(e, "F-LIB078", "[F-LIB078] There must be a StartDate if you have a StartTime")
    if bool(k["cbc:EndTime"]) and (not bool(k["cbc:EndDate"]) or eq(k["cbc:EndDate"], "")):
        d.fail(e, "F-LIB079", "[F-LIB079] There must be a EndDate if you have a EndTime")
    if (bool(k["cbc:StartDate"]) and bool(k["cbc:EndDate"])) and not (
        (
            num(translate(fs(k["cbc:EndDate"]), "-", ""))
            > num(translate(fs(k["cbc:StartDate"]), "-", ""))
        )
        or (
            num(translate(fs(k["cbc:EndDate"]), "-", ""))
            == num(translate(fs(k["cbc:StartDate"]), "-", ""))
        )
    ):
        d.fail(e, "F-LIB080", "[F-LIB080] The EndDate must be greater or equal to the startdate")
    if (bool(k["cbc:StartTime"]) and bool(k["cbc:EndTime"])) and not (
        (
            num(translate(fs(k["cbc:EndTime"]), ":", ""))
            > num(translate(fs(k["cbc:StartTime"]), ":", ""))
        )
        or (
            num(translate(fs(k["cbc:EndTime"]), ":", ""))
            == num(translate(fs(k["cbc:StartTime"]), ":", ""))
        )
    ):
        d.fail(e, "F-LIB081", "[F-LIB081] EndTime must be greater or equal to StartTime")


def exchange_rate_check(e: El, d: Doc) -> None:
    """Abstract rule ExchangeRateCheck."""
    k = kids(e)
    if (
        bool(k["cac:ForeignExchangeContract"])
        and norm(fs(p(e, "cac:ForeignExchangeContract/cbc:ID"))) == ""
    ):
        d.fail(
            e,
            "F-LIB238",
            "[F-LIB238] Invalid TaxExchangeRate/ForeignExchangeRate/ID. Must contain a value.",
        )
    if norm(fs(k["cbc:SourceCurrencyCode"])) == "":
        d.fail(e, "F-LIB083", "[F-LIB083] Invalid SourceCurrencyCode. Must contain a value")
    if norm(fs(k["cbc:TargetCurrencyCode"])) == "":
        d.fail(e, "F-LIB084", "[F-LIB084] Invalid TargetCurrencyCode. Must contain a value")
    if bool(k["cbc:SourceCurrencyBaseRate"]) and (
        fs(k["cbc:SourceCurrencyBaseRate"]).startswith("-")
        or gc("=", k["cbc:SourceCurrencyBaseRate"], 0)
    ):
        d.fail(
            e, "F-LIB085", "[F-LIB085] Invalid SourceCurrencyBaseRate. Must not be negative or zero"
        )
    if bool(k["cbc:SourceCurrencyBaseRate"]) and (
        len(after(fs(k["cbc:SourceCurrencyBaseRate"]), ".")) != 4
    ):
        d.fail(e, "F-LIB086", "[F-LIB086] Invalid SourceCurrencyBaseRate. Must have 4 decimals")
    if bool(k["cbc:TargetCurrencyBaseRate"]) and (
        fs(k["cbc:TargetCurrencyBaseRate"]).startswith("-")
        or gc("=", k["cbc:TargetCurrencyBaseRate"], 0)
    ):
        d.fail(
            e, "F-LIB087", "[F-LIB087] Invalid TargetCurrencyBaseRate. Must not be negative or zero"
        )
    if bool(k["cbc:TargetCurrencyBaseRate"]) and (
        len(after(fs(k["cbc:TargetCurrencyBaseRate"]), ".")) != 4
    ):
        d.fail(e, "F-LIB088", "[F-LIB088] Invalid TargetCurrencyBaseRate. Must have 4 decimals")
    if bool(k["cbc:CalculationRate"]) and (
        fs(k["cbc:CalculationRate"]).startswith("-") or gc("=", k["cbc:CalculationRate"], 0)
    ):
        d.fail(e, "F-LIB089", "[F-LIB089] Invalid CalculationRate. Must not be negative or zero")
    if bool(k["cbc:CalculationRate"]) and (len(after(fs(k["cbc:CalculationRate"]), ".")) != 4):
        d.fail(e, "F-LIB090", "[F-LIB090] Invalid CalculationRate. Must have 4 decimals")
    if ne(k["cbc:MathematicOperatorCode"], "multiply") and ne(
        k["cbc:MathematicOperatorCode"], "divide"
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
    if not (bool(k["cbc:DocumentType"]) or bool(k["cbc:DocumentTypeCode"])):
        d.fail(e, "F-LIB092", "[F-LIB092] Use either DocumentType or DocumentTypeCode")
    if bool(k["cac:Attachment"]) and bool(k["cbc:XPath"]):
        d.fail(e, "F-LIB093", "[F-LIB093] Use either Attachment or XPath")
    if bool(attachment_embedded_document_binary_object) and bool(attachment_external_reference):
        d.fail(
            e, "F-LIB095", "[F-LIB095] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(k["cbc:UUID"]) and len(fs(k["cbc:UUID"])) != 36:
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
    if eq(k["cbc:DocumentTypeCode"], "PersonalSecure") and not listed(
        CL.PersonalSecure, fs(k["cbc:ID"])
    ):
        d.fail(
            e,
            "F-LIB335",
            "[F-LIB335] When DocumentTypeCode equals 'PersonalSecure', the ID must be either '1' or '2'.",
        )


_TAX_REPRESENTATIVE_PARTY_CHECK_EXCLUDED = exclusions(
    ("cbc:WebsiteURI", "F-LIB355", "[F-LIB355] WebsiteURI element must be excluded"),
    ("cbc:LogoReferenceID", "F-LIB356", "[F-LIB356] LogoReferenceID element must be excluded"),
    ("cbc:EndpointID", "F-LIB357", "[F-LIB357] EndpointID element must be excluded"),
    (
        "cac:PartyIdentification",
        "F-LIB358",
        "[F-LIB358] PartyIdentification element must be excluded",
    ),
    ("cac:Language", "F-LIB359", "[F-LIB359] Language element must be excluded"),
    ("cac:PhysicalLocation", "F-LIB360", "[F-LIB360] PhysicalLocation element must be excluded"),
    ("cac:PartyLegalEntity", "F-LIB361", "[F-LIB361] PartyLegalEntity element must be excluded"),
    ("cac:Contact", "F-LIB362", "[F-LIB362] Contact element must be excluded"),
    ("cac:Person", "F-LIB363", "[F-LIB363] Person element must be excluded"),
)


def tax_representative_party_check(e: El, d: Doc) -> None:
    """Abstract rule TaxRepresentativePartyCheck."""
    k = kids(e)
    party_name_name = p(e, "cac:PartyName/cbc:Name")
    postal_address_address_format_code = p(e, "cac:PostalAddress/cbc:AddressFormatCode")
    excluded(e, d, _TAX_REPRESENTATIVE_PARTY_CHECK_EXCLUDED)
    if not (
        (bool(k["cac:PartyName"]) and bool(party_name_name)) and (norm(fs(party_name_name)) != "")
    ):
        d.fail(e, "F-LIB353", "[F-LIB353] PartyName/Name is mandatory in TaxRepresentativeParty")
    if not (
        (bool(k["cac:PostalAddress"]) and bool(postal_address_address_format_code))
        and (norm(fs(postal_address_address_format_code)) != "")
    ):
        d.fail(
            e,
            "F-LIB354",
            "[F-LIB354] PostalAddress/AddressFormatCode is mandatory in TaxRepresentativeParty",
        )
    if not bool(k["cac:PartyTaxScheme"]):
        d.fail(e, "F-LIB371", "[F-LIB371] PartyTaxScheme is mandatory in TaxRepresentativeParty")
    if not (not bool(k["cac:PartyTaxScheme"]) or bool(p(e, "cac:PartyTaxScheme/cac:TaxScheme"))):
        d.fail(
            e,
            "F-LIB372",
            "[F-LIB372] PartyTaxScheme/TaxScheme is mandatory in TaxRepresentativeParty",
        )


_PAYMENT_MEANS_CHECK_EXCLUDED = exclusions(
    (
        "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cac:Address",
        "F-LIB151",
        "[F-LIB151] Address class must be excluded",
    ),
    (
        "cac:PayerFinancialAccount/cac:Country",
        "F-LIB162",
        "[F-LIB162] Country class must be excluded",
    ),
    (
        "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cac:Address",
        "F-LIB243",
        "[F-LIB243] Address class must be excluded",
    ),
    (
        "cac:PayeeFinancialAccount/cac:Country",
        "F-LIB244",
        "[F-LIB244] Country class must be excluded",
    ),
)


def payment_means_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCheck."""
    k = kids(e)
    payer_financial_account_account_type_code = p(
        e, "cac:PayerFinancialAccount/cbc:AccountTypeCode"
    )
    payee_financial_account_account_type_code = p(
        e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode"
    )
    # extends CardAccountCheck: not defined in the published rules
    excluded(e, d, _PAYMENT_MEANS_CHECK_EXCLUDED)
    if not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        (
                                            (
                                                eq(k["cbc:PaymentMeansCode"], "1")
                                                or eq(k["cbc:PaymentMeansCode"], "10")
                                            )
                                            or eq(k["cbc:PaymentMeansCode"], "20")
                                        )
                                        or eq(k["cbc:PaymentMeansCode"], "31")
                                    )
                                    or eq(k["cbc:PaymentMeansCode"], "42")
                                )
                                or eq(k["cbc:PaymentMeansCode"], "48")
                            )
                            or eq(k["cbc:PaymentMeansCode"], "49")
                        )
                        or eq(k["cbc:PaymentMeansCode"], "50")
                    )
                    or eq(k["cbc:PaymentMeansCode"], "58")
                )
                or eq(k["cbc:PaymentMeansCode"], "59")
            )
            or eq(k["cbc:PaymentMeansCode"], "93")
        )
        or eq(k["cbc:PaymentMeansCode"], "97")
    ):
        d.fail(
            e, "F-LIB100", "[F-LIB100] Invalid PaymentMeansCode. Must be a value from the codelist"
        )
    if (len(p(e, "../cac:PaymentMeans")) > 1) and not ne(k["cbc:ID"], ""):
        d.fail(
            e,
            "W-LIB241",
            "[W-LIB241] PaymentMeans/ID should be used when more than one instance of the PaymentMeans class is present.",
        )
    if bool(payer_financial_account_account_type_code) and not eq(
        p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode/@listID"),
        "urn:oioubl:codelist:accounttypecode-1.1",
    ):
        d.fail(
            e,
            "F-LIB105",
            "[F-LIB105] Invalid listID. Must be 'urn:oioubl:codelist:accounttypecode-1.1'",
        )
    if bool(payer_financial_account_account_type_code) and not eq(
        p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode/@listAgencyID"), "320"
    ):
        d.fail(e, "W-LIB121", "[W-LIB121] Invalid listAgencyID. Must be '320'")
    if bool(payee_financial_account_account_type_code) and not eq(
        p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode/@listID"),
        "urn:oioubl:codelist:accounttypecode-1.1",
    ):
        d.fail(
            e,
            "F-LIB136",
            "[F-LIB136] Invalid listID. Must be 'urn:oioubl:codelist:accounttypecode-1.1'",
        )
    if bool(payee_financial_account_account_type_code) and not eq(
        p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode/@listAgencyID"), "320"
    ):
        d.fail(e, "W-LIB141", "[W-LIB141] Invalid listAgencyID. Must be '320'")


def payment_means_code31_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode31Check."""
    k = kids(e)
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    payee_financial_account_financial_institution_branch_id = p(
        e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    if eq(k["cbc:PaymentMeansCode"], "31") and bool(k["cbc:InstructionNote"]):
        d.fail(
            e, "F-LIB103", "[F-LIB103] PaymentMeansCode = 31, InstructionNote element not allowed"
        )
    if eq(k["cbc:PaymentMeansCode"], "31") and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB106",
            "[F-LIB106] PaymentMeansCode = 31, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if eq(k["cbc:PaymentMeansCode"], "31") and not bool(payee_financial_account_id):
        d.fail(e, "F-LIB107", "[F-LIB107] PaymentMeansCode = 31, ID element is mandatory")
    if eq(k["cbc:PaymentMeansCode"], "31") and not (
        eq(k["cbc:PaymentChannelCode"], "IBAN") or eq(k["cbc:PaymentChannelCode"], "ZZZ")
    ):
        d.fail(
            e,
            "F-LIB109",
            "[F-LIB109] PaymentMeansCode = 31, PaymentChannelCode must equal IBAN or ZZZ",
        )
    if eq(k["cbc:PaymentMeansCode"], "31") and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB110",
            "[F-LIB110] PaymentMeansCode = 31, PaymentNote must be no more than 20 characters",
        )
    if eq(k["cbc:PaymentMeansCode"], "31") and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB111",
            "[F-LIB111] PaymentMeansCode = 31, PaymentNote must be no more than 20 characters",
        )
    if eq(k["cbc:PaymentMeansCode"], "31") and (
        len(fs(p(e, "cac:CreditAccount/cbc:AccountID"))) > 8
    ):
        d.fail(
            e,
            "F-LIB112",
            "[F-LIB112] PaymentMeansCode = 31, AccountID must be no more than 8 characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "31") and eq(k["cbc:PaymentChannelCode"], "IBAN")) and bool(
        payee_financial_account_financial_institution_branch_id
    ):
        d.fail(
            e,
            "F-LIB108",
            "[F-LIB108] PaymentMeansCode = 31, FinancialInstitutionBranch/ID (Registreringsnummer) element is not used, when PaymentChannelCode equals IBAN",
        )
    if (
        eq(k["cbc:PaymentMeansCode"], "31") and eq(k["cbc:PaymentChannelCode"], "IBAN")
    ) and not bool(
        p(
            e,
            "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID",
        )
    ):
        d.fail(e, "F-LIB113", "[F-LIB113] PaymentMeansCode = 31, ID element is mandatory")
    if (eq(k["cbc:PaymentMeansCode"], "31") and eq(k["cbc:PaymentChannelCode"], "IBAN")) and (
        len(fs(payee_financial_account_id)) > 34
    ):
        d.fail(
            e,
            "F-LIB114",
            "[F-LIB114] PaymentMeansCode = 31, Account ID must be no more than 34 characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "31") and eq(k["cbc:PaymentChannelCode"], "IBAN")) and (
        len(fs(payee_financial_account_id)) < 1
    ):
        d.fail(
            e, "F-LIB115", "[F-LIB115] PaymentMeansCode = 31, Account ID must must not be empty."
        )
    if (
        eq(k["cbc:PaymentMeansCode"], "31") and eq(k["cbc:PaymentChannelCode"], "ZZZ")
    ) and not bool(payee_financial_account_financial_institution_branch_id):
        d.fail(
            e,
            "F-LIB276",
            "[F-LIB276] PaymentMeansCode = 31, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory, when PaymentChannelCode equals ZZZ",
        )
    if (
        eq(k["cbc:PaymentMeansCode"], "31") and eq(k["cbc:PaymentChannelCode"], "ZZZ")
    ) and not bool(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:Name")):
        d.fail(
            e,
            "F-LIB116",
            "[F-LIB116] PaymentMeansCode = 31, FinancialInstitutionBranch/Name element is mandatory",
        )
    if (
        eq(k["cbc:PaymentMeansCode"], "31") and eq(k["cbc:PaymentChannelCode"], "ZZZ")
    ) and not bool(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:Address")):
        d.fail(
            e,
            "F-LIB117",
            "[F-LIB117] PaymentMeansCode = 31, FinancialInstitutionBranch/Address class is mandatory",
        )


def payment_means_code42_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode42Check."""
    k = kids(e)
    payer_financial_account_financial_institution_branch_id = p(
        e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    payee_financial_account_financial_institution_branch_id = p(
        e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    if eq(k["cbc:PaymentMeansCode"], "42") and bool(k["cac:CreditAccount"]):
        d.fail(e, "F-LIB122", "[F-LIB122] PaymentMeansCode = 42, CreditAccount class not allowed")
    if eq(k["cbc:PaymentMeansCode"], "42") and bool(k["cbc:InstructionNote"]):
        d.fail(
            e, "F-LIB119", "[F-LIB119] PaymentMeansCode = 42, InstructionNote element not allowed"
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB123",
            "[F-LIB123] PaymentMeansCode = 42, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and ne(k["cbc:PaymentChannelCode"], "DK:BANK"):
        d.fail(
            e, "F-LIB128", "[F-LIB128] PaymentMeansCode = 42, PaymentChannelCode must equal DK:BANK"
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB129",
            "[F-LIB129] PaymentMeansCode = 42, PaymentNote must be no more than 20 characters",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB133",
            "[F-LIB133] PaymentMeansCode = 42, PaymentNote must be no more than 20 characters",
        )
    if (
        eq(k["cbc:PaymentMeansCode"], "42")
        and bool(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch"))
    ) and not bool(payer_financial_account_financial_institution_branch_id):
        d.fail(
            e,
            "F-LIB124",
            "[F-LIB124] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and not bool(k["cac:PayeeFinancialAccount"]):
        d.fail(
            e,
            "F-LIB125",
            "[F-LIB125] PaymentMeansCode = 42, PayeeFinancialAccount class is mandatory",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and not bool(payee_financial_account_id):
        d.fail(e, "F-LIB126", "[F-LIB126] PaymentMeansCode = 42, Account ID element is mandatory")
    if eq(k["cbc:PaymentMeansCode"], "42") and not bool(
        payee_financial_account_financial_institution_branch_id
    ):
        d.fail(
            e,
            "F-LIB127",
            "[F-LIB127] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and (
        len(fs(payer_financial_account_financial_institution_branch_id)) > 4
    ):
        d.fail(
            e,
            "F-LIB130",
            "[F-LIB130] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) must be no more than 4 numerical characters",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and (len(fs(payee_financial_account_id)) > 10):
        d.fail(
            e,
            "F-LIB131",
            "[F-LIB131] PaymentMeansCode = 42, Account ID must be no more than 10 characters",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and (
        len(fs(payee_financial_account_financial_institution_branch_id)) > 4
    ):
        d.fail(
            e,
            "F-LIB132",
            "[F-LIB132] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) must be no more than 4 numerical characters",
        )
    if eq(k["cbc:PaymentMeansCode"], "42") and not nb(
        num(fs(payee_financial_account_financial_institution_branch_id))
    ):
        d.fail(
            e,
            "F-LIB311",
            "[F-LIB311] FinancialInstitutionBranch/ID (Registreringsnummer) must contain a numerical value",
        )


def payment_means_code48_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode48Check."""
    k = kids(e)
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(k["cbc:PaymentChannelCode"]):
        d.fail(
            e,
            "F-LIB365",
            "[F-LIB365] When PaymentMeansCode is '48', PaymentChannelCode class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(k["cbc:InstructionID"]):
        d.fail(
            e,
            "F-LIB366",
            "[F-LIB366] When PaymentMeansCode is '48', InstructionID class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(k["cbc:InstructionNote"]):
        d.fail(
            e,
            "F-LIB367",
            "[F-LIB367] When PaymentMeansCode is '48', InstructionNote class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(k["cac:PayerFinancialAccount"]):
        d.fail(
            e,
            "F-LIB368",
            "[F-LIB368] When PaymentMeansCode is '48', PayerFinancialAccount class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(k["cac:PayeeFinancialAccount"]):
        d.fail(
            e,
            "F-LIB369",
            "[F-LIB369] When PaymentMeansCode is '48', PayeeFinancialAccount class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(k["cac:CreditAccount"]):
        d.fail(
            e,
            "F-LIB370",
            "[F-LIB370] When PaymentMeansCode is '48', CreditAccount class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and not bool(k["cac:CardAccount"]):
        d.fail(
            e,
            "F-LIB342",
            "[F-LIB342] When PaymentMeansCode is '48', the CardAccount class must be used",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:CardTypeCode")):
        d.fail(
            e,
            "F-LIB343",
            "[F-LIB343] When PaymentMeansCode is '48', CardAccount/CardTypeCode class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:ValidityStartDate")):
        d.fail(
            e,
            "F-LIB344",
            "[F-LIB344] When PaymentMeansCode is '48', CardAccount/ValidityStartDate class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:ExpiryDate")):
        d.fail(
            e,
            "F-LIB345",
            "[F-LIB345] When PaymentMeansCode is '48', CardAccount/ExpiryDate class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:IssuerID")):
        d.fail(
            e,
            "F-LIB346",
            "[F-LIB346] When PaymentMeansCode is '48', CardAccount/IssuerID class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:IssueNumberID")):
        d.fail(
            e,
            "F-LIB347",
            "[F-LIB347] When PaymentMeansCode is '48', CardAccount/IssueNumberID class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:CV2ID")):
        d.fail(
            e,
            "F-LIB348",
            "[F-LIB348] When PaymentMeansCode is '48', CardAccount/CV2ID class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:CardChipCode")):
        d.fail(
            e,
            "F-LIB349",
            "[F-LIB349] When PaymentMeansCode is '48', CardAccount/CardChipCode class must be excluded",
        )
    if eq(k["cbc:PaymentMeansCode"], "48") and bool(p(e, "cac:CardAccount/cbc:ChipApplicationID")):
        d.fail(
            e,
            "F-LIB350",
            "[F-LIB350] When PaymentMeansCode is '48', CardAccount/ChipApplicationID class must be excluded",
        )


def payment_means_code49_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode49Check."""
    k = kids(e)
    payer_financial_account_id = p(e, "cac:PayerFinancialAccount/cbc:ID")
    payer_financial_account_financial_institution_branch_id = p(
        e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    if eq(k["cbc:PaymentMeansCode"], "49") and bool(k["cbc:InstructionNote"]):
        d.fail(
            e, "F-LIB135", "[F-LIB135] PaymentMeansCode = 49, InstructionNote element not allowed"
        )
    if eq(k["cbc:PaymentMeansCode"], "49") and bool(k["cac:CreditAccount"]):
        d.fail(e, "F-LIB137", "[F-LIB137] PaymentMeansCode = 49, CreditAccount class not allowed")
    if (eq(k["cbc:PaymentMeansCode"], "49") and bool(k["cbc:PaymentChannelCode"])) and bool(
        k["cbc:InstructionID"]
    ):
        d.fail(
            e,
            "F-LIB134",
            "[F-LIB134] PaymentMeansCode = 49, Use either PaymentChannelCode or InstructionID element",
        )
    if eq(k["cbc:PaymentMeansCode"], "49") and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB288",
            "[F-LIB288] PaymentMeansCode = 49, PaymentNote must be no more than 20 characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "49") and bool(k["cbc:PaymentChannelCode"])) and not (
        eq(k["cbc:PaymentChannelCode"], "IBAN") or eq(k["cbc:PaymentChannelCode"], "DK:BANK")
    ):
        d.fail(
            e,
            "F-LIB289",
            "[F-LIB289] PaymentMeansCode = 49, If present, PaymentChannelCode must equal IBAN or DK:BANK",
        )
    if eq(k["cbc:PaymentMeansCode"], "49") and (len(fs(k["cbc:InstructionID"])) > 60):
        d.fail(
            e,
            "F-LIB140",
            "[F-LIB140] PaymentMeansCode = 49, InstructionID must be no more than 60 characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "49") and eq(k["cbc:PaymentChannelCode"], "DK:BANK")) and (
        len(fs(payer_financial_account_id)) != 10
    ):
        d.fail(
            e,
            "F-LIB290",
            "[F-LIB290] PaymentMeansCode = 49, For DK:BANK, Account ID must be 10 characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "49") and eq(k["cbc:PaymentChannelCode"], "DK:BANK")) and (
        len(fs(payer_financial_account_financial_institution_branch_id)) != 4
    ):
        d.fail(
            e,
            "F-LIB291",
            "[F-LIB291] PaymentMeansCode = 49, For DK:BANK, FinancialInstitutionBranch/ID (Registreringsnummer) must be 4 numerical characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "49") and eq(k["cbc:PaymentChannelCode"], "IBAN")) and (
        len(fs(payer_financial_account_id)) > 34
    ):
        d.fail(
            e,
            "F-LIB292",
            "[F-LIB292] PaymentMeansCode = 49, For IBAN, Account ID must be no more than 34 characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "49") and eq(k["cbc:PaymentChannelCode"], "IBAN")) and (
        len(fs(payer_financial_account_id)) < 18
    ):
        d.fail(
            e,
            "F-LIB293",
            "[F-LIB293] PaymentMeansCode = 49, For IBAN, Account ID must be at least 18 characters",
        )
    if (eq(k["cbc:PaymentMeansCode"], "49") and eq(k["cbc:PaymentChannelCode"], "IBAN")) and bool(
        payer_financial_account_financial_institution_branch_id
    ):
        d.fail(
            e,
            "F-LIB294",
            "[F-LIB294] PaymentMeansCode = 49, FinancialInstitutionBranch/ID (Registreringsnummer) element is not used, when PaymentChannelCode equals IBAN",
        )
    if (
        eq(k["cbc:PaymentMeansCode"], "49") and eq(k["cbc:PaymentChannelCode"], "IBAN")
    ) and not bool(
        p(
            e,
            "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID",
        )
    ):
        d.fail(e, "F-LIB295", "[F-LIB295] PaymentMeansCode = 49, For IBAN, ID element is mandatory")


def payment_means_code50_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode50Check."""
    k = kids(e)
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    if eq(k["cbc:PaymentMeansCode"], "50") and bool(k["cac:CreditAccount"]):
        d.fail(e, "F-LIB142", "[F-LIB142] PaymentMeansCode = 50, CreditAccount class not allowed")
    if eq(k["cbc:PaymentMeansCode"], "50") and not bool(k["cbc:PaymentID"]):
        d.fail(e, "F-LIB144", "[F-LIB144] PaymentMeansCode = 50, PaymentID element is mandatory")
    if eq(k["cbc:PaymentMeansCode"], "50") and not bool(k["cac:PayeeFinancialAccount"]):
        d.fail(
            e,
            "F-LIB319",
            "[F-LIB319] PaymentMeansCode = 50, PayeeFinancialAccount class is mandatory.",
        )
    if eq(k["cbc:PaymentMeansCode"], "50") and not bool(payee_financial_account_id):
        d.fail(
            e,
            "F-LIB320",
            "[F-LIB320] PaymentMeansCode = 50, PayeeFinancialAccount.ID element is mandatory.",
        )
    if (
        eq(k["cbc:PaymentMeansCode"], "50")
        and (eq(k["cbc:PaymentID"], "04") or eq(k["cbc:PaymentID"], "15"))
    ) and not bool(k["cbc:InstructionID"]):
        d.fail(
            e,
            "F-LIB145",
            "[F-LIB145] PaymentMeansCode = 50, InstructionID is mandatory when PaymentID equals 04 or 15",
        )
    if (eq(k["cbc:PaymentMeansCode"], "50") and bool(k["cbc:PaymentChannelCode"])) and ne(
        k["cbc:PaymentChannelCode"], "DK:GIRO"
    ):
        d.fail(
            e, "F-LIB146", "[F-LIB146] PaymentMeansCode = 50, PaymentChannelCode must equal DK:GIRO"
        )
    if (eq(k["cbc:PaymentMeansCode"], "50") and bool(k["cbc:PaymentChannelCode"])) and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB143",
            "[F-LIB143] PaymentMeansCode = 50, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if eq(k["cbc:PaymentMeansCode"], "50") and not (
        (eq(k["cbc:PaymentID"], "01") or eq(k["cbc:PaymentID"], "04"))
        or eq(k["cbc:PaymentID"], "15")
    ):
        d.fail(e, "F-LIB147", "[F-LIB147] PaymentMeansCode = 50, PaymentID must equal 01, 04 or 15")
    if (eq(k["cbc:PaymentMeansCode"], "50") and bool(k["cbc:InstructionNote"])) and not eq(
        k["cbc:PaymentID"], "01"
    ):
        d.fail(
            e,
            "F-LIB148",
            "[F-LIB148] PaymentMeansCode = 50, InstructionNote only allowed if PaymentID equals 01",
        )
    if eq(k["cbc:PaymentMeansCode"], "50") and (len(fs(k["cbc:InstructionID"])) > 16):
        d.fail(
            e,
            "F-LIB149",
            "[F-LIB149] PaymentMeansCode = 50, InstructionID must be no more than 16 characters",
        )
    if eq(k["cbc:PaymentMeansCode"], "50") and (
        (eq(k["cbc:PaymentID"], "04") or eq(k["cbc:PaymentID"], "15"))
        and eq(k["cbc:InstructionID"], "")
    ):
        d.fail(
            e,
            "F-LIB312",
            "[F-LIB312] When PaymentMeansCode = 50 and PaymentID = '04' or '15', InstructionID must not be blank.",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "50")
        and (eq(p(e, "cbc:PaymentID"), "04") or eq(p(e, "cbc:PaymentID"), "15"))
        and matches(fs(p(e, "cbc:InstructionID")), r"[^\d]+")
    ):
        d.fail(
            e,
            "F-LIB390",
            "[F-LIB390] When PaymentMeansCode = 50 and PaymentID = '04' or '15', InstructionID must be numeric.",
        )
    if (eq(k["cbc:PaymentMeansCode"], "50") or eq(k["cbc:PaymentChannelCode"], "DK:GIRO")) and (
        ((len(fs(payee_financial_account_id)) < 7) or (len(fs(payee_financial_account_id)) > 8))
        or (nstr(num(fs(payee_financial_account_id))) == "NaN")
    ):
        d.fail(
            e,
            "F-LIB321",
            "[F-LIB321] PaymentMeansCode = 50 or PaymentChannelCode = DK:GIRO, PayeeFinancialAccount.ID must consist of 7 or 8 numerical characters.",
        )


def payment_means_code58_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode58Check."""
    k = kids(e)
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    if eq(k["cbc:PaymentMeansCode"], "58") and (
        not bool(payee_financial_account_id) or (norm(fs(payee_financial_account_id)) == "")
    ):
        d.fail(
            e, "F-LIB377", "[F-LIB377] PaymentMeansCode = 58, PayeeFinancialAccount.ID must be used"
        )
    if (eq(k["cbc:PaymentMeansCode"], "58") and bool(k["cbc:PaymentChannelCode"])) and not eq(
        k["cbc:PaymentChannelCode"], "IBAN"
    ):
        d.fail(
            e,
            "F-LIB379",
            "[F-LIB379] PaymentMeansCode = 58, when PaymentChannelCode is used it must be 'IBAN'.",
        )


def payment_means_code59_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode59Check."""
    k = kids(e)
    if (eq(k["cbc:PaymentMeansCode"], "59") and bool(k["cbc:PaymentChannelCode"])) and not eq(
        k["cbc:PaymentChannelCode"], "IBAN"
    ):
        d.fail(
            e,
            "F-LIB380",
            "[F-LIB380] PaymentMeansCode = 59, when PaymentChannelCode is used it must be 'IBAN'.",
        )


def payment_means_code93_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode93Check."""
    k = kids(e)
    if eq(k["cbc:PaymentMeansCode"], "93") and not bool(k["cbc:PaymentID"]):
        d.fail(e, "F-LIB152", "[F-LIB152] PaymentMeansCode = 93, PaymentID element is mandatory")
    if (
        eq(k["cbc:PaymentMeansCode"], "93")
        and (eq(k["cbc:PaymentID"], "71") or eq(k["cbc:PaymentID"], "75"))
    ) and not bool(k["cbc:InstructionID"]):
        d.fail(
            e,
            "F-LIB153",
            "[F-LIB153] PaymentMeansCode = 93, InstructionID is mandatory when PaymentID equals 71 or 75",
        )
    if (eq(k["cbc:PaymentMeansCode"], "93") and bool(k["cbc:PaymentChannelCode"])) and ne(
        k["cbc:PaymentChannelCode"], "DK:FIK"
    ):
        d.fail(
            e, "F-LIB277", "[F-LIB277] PaymentMeansCode = 93, PaymentChannelCode must equal DK:FIK"
        )
    if (eq(k["cbc:PaymentMeansCode"], "93") and bool(k["cbc:PaymentChannelCode"])) and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB278",
            "[F-LIB278] PaymentMeansCode = 93, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if (eq(k["cbc:PaymentMeansCode"], "93") and bool(k["cbc:InstructionNote"])) and not (
        eq(k["cbc:PaymentID"], "73") or eq(k["cbc:PaymentID"], "75")
    ):
        d.fail(
            e,
            "F-LIB154",
            "[F-LIB154] PaymentMeansCode = 93, InstructionNote only allowed if PaymentID equals 73 or 75",
        )
    if eq(k["cbc:PaymentMeansCode"], "93") and not (
        (eq(k["cbc:PaymentID"], "71") or eq(k["cbc:PaymentID"], "73"))
        or eq(k["cbc:PaymentID"], "75")
    ):
        d.fail(e, "F-LIB155", "[F-LIB155] PaymentMeansCode = 93, PaymentID must equal 71, 73 or 75")
    if (eq(k["cbc:PaymentMeansCode"], "93") and eq(k["cbc:PaymentID"], "71")) and (
        len(fs(k["cbc:InstructionID"])) != 15
    ):
        d.fail(
            e,
            "F-LIB156",
            "[F-LIB156] PaymentMeansCode = 93, InstructionID must be equal to 15 characters (when PaymentID equals 71)",
        )
    if (eq(k["cbc:PaymentMeansCode"], "93") and eq(k["cbc:PaymentID"], "75")) and (
        len(fs(k["cbc:InstructionID"])) != 16
    ):
        d.fail(
            e,
            "F-LIB157",
            "[F-LIB157] PaymentMeansCode = 93, InstructionID must be equal to 16 characters (when PaymentID equals 75)",
        )
    instruction_id = p(e, "cbc:InstructionID")
    if eq(p(e, "cbc:PaymentMeansCode"), "93") and (
        (
            (eq(p(e, "cbc:PaymentID"), "71") or eq(p(e, "cbc:PaymentID"), "75"))
            and (not instruction_id or matches(fs(instruction_id), r"[^\d]+"))
        )
        or eq(instruction_id, "")
    ):
        d.fail(
            e,
            "F-LIB336",
            "[F-LIB336] PaymentMeansCode = 93, InstructionID must be a numeric value when PaymentID equals 71 or 75.",
        )
    if (eq(k["cbc:PaymentMeansCode"], "93") and eq(k["cbc:PaymentID"], "73")) and bool(
        k["cbc:InstructionID"]
    ):
        d.fail(
            e,
            "F-LIB275",
            "[F-LIB275] PaymentMeansCode = 93, InstructionID only allowed if PaymentID equals 71 or 75",
        )
    if eq(k["cbc:PaymentMeansCode"], "93") and (
        len(fs(p(e, "cac:CreditAccount/cbc:AccountID"))) != 8
    ):
        d.fail(e, "F-LIB305", "[F-LIB305] PaymentMeansCode = 93, AccountID must be 8 characters")


def payment_means_code97_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode97Check."""
    k = kids(e)
    if (eq(k["cbc:PaymentMeansCode"], "97") and bool(k["cbc:PaymentChannelCode"])) and not eq(
        k["cbc:PaymentChannelCode"], "DK:NEMKONTO"
    ):
        d.fail(
            e,
            "F-LIB158",
            '[F-LIB158] PaymentMeansCode = 97, PaymentChannelCode element only allowed with value = "DK:NEMKONTO"',
        )
    if eq(k["cbc:PaymentMeansCode"], "97") and bool(k["cbc:InstructionID"]):
        d.fail(e, "F-LIB159", "[F-LIB159] PaymentMeansCode = 97, InstructionID element not allowed")
    if eq(k["cbc:PaymentMeansCode"], "97") and bool(k["cbc:InstructionNote"]):
        d.fail(
            e, "F-LIB160", "[F-LIB160] PaymentMeansCode = 97, InstructionNote element not allowed"
        )
    if eq(k["cbc:PaymentMeansCode"], "97") and bool(k["cbc:PaymentID"]):
        d.fail(e, "F-LIB161", "[F-LIB161] PaymentMeansCode = 97, PaymentID element not allowed")
    if eq(k["cbc:PaymentMeansCode"], "97") and bool(k["cac:PayerFinancialAccount"]):
        d.fail(
            e,
            "F-LIB163",
            "[F-LIB163] PaymentMeansCode = 97, PayerFinancialAccount class not allowed",
        )
    if eq(k["cbc:PaymentMeansCode"], "97") and bool(k["cac:PayeeFinancialAccount"]):
        d.fail(
            e,
            "F-LIB164",
            "[F-LIB164] PaymentMeansCode = 97, PayeeFinancialAccount class not allowed",
        )
    if eq(k["cbc:PaymentMeansCode"], "97") and bool(k["cac:CreditAccount"]):
        d.fail(e, "F-LIB165", "[F-LIB165] PaymentMeansCode = 97, CreditAccount class not allowed")


def payment_terms_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentTermsCheck."""
    k = kids(e)
    if (len(p(e, "../cac:PaymentTerms")) > 1) and not ne(k["cbc:ID"], ""):
        d.fail(
            e,
            "W-LIB245",
            "[W-LIB245]: ID should be used when more than one instance of the PaymentTerms class is present",
        )
    if eq(k["cbc:ID"], "Factoring") and not ne(k["cbc:Note"], ""):
        d.fail(
            e,
            "F-LIB246",
            "[F-LIB246] when ID equals 'Factoring', Note element is mandatory (factoring note)",
        )
    if len(k["cbc:Note"]) > 1:
        d.fail(e, "F-LIB247", "[F-LIB247] No more than one Note element may be present")


_PARTY_EXCLUDED_CHECK_EXCLUDED = exclusions(
    ("cbc:MarkCareIndicator", "F-LIB166", "[F-LIB166] MarkCareIndicator element must be excluded"),
    (
        "cbc:MarkAttentionIndicator",
        "F-LIB167",
        "[F-LIB167] MarkAttentionIndicator element must be excluded",
    ),
    ("cac:AgentParty", "F-LIB168", "[F-LIB168] AgentParty class must be excluded"),
)


def party_excluded_check(e: El, d: Doc) -> None:
    """Abstract rule PartyExcludedCheck."""
    excluded(e, d, _PARTY_EXCLUDED_CHECK_EXCLUDED)


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
    if bool(k["cac:Attachment"]) and bool(k["cbc:XPath"]):
        d.fail(e, "F-LIB169", "[F-LIB169] Use either Attachment or XPath")
    if bool(attachment_embedded_document_binary_object) and bool(attachment_external_reference):
        d.fail(
            e, "F-LIB171", "[F-LIB171] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(k["cbc:UUID"]) and len(fs(k["cbc:UUID"])) != 36:
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
    if norm(fs(k["cbc:ID"])) == "":
        d.fail(e, "F-LIB177", "[F-LIB177] Invalid ItemIdentification/ID. Must contain a value.")


def endpoint_id_check(e: El, d: Doc) -> None:
    """Abstract rule EndpointIDCheck."""
    k = kids(e)
    endpoint_id_scheme_id = p(e, "cbc:EndpointID/@schemeID")
    if bool(k["cbc:EndpointID"]) and not listed(CL.EndpointID_schemeID, fs(endpoint_id_scheme_id)):
        d.fail(
            e,
            "F-LIB179",
            "[F-LIB179] Invalid schemeID: '"
            + vo(endpoint_id_scheme_id)
            + "'. Must be a value from the codelist: '"
            + vo(CL.EndpointID_schemeID)
            + "'",
        )
    if eq(endpoint_id_scheme_id, "DK:CVR") and (
        (len(fs(k["cbc:EndpointID"])) != 10) or (substr(fs(k["cbc:EndpointID"]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB180",
            "[F-LIB180] schemeID = DK:CVR, EndpointID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(k["cbc:EndpointID"])
            + "')",
        )
    if eq(endpoint_id_scheme_id, "GLN") and len(fs(k["cbc:EndpointID"])) != 13:
        d.fail(
            e,
            "F-LIB181",
            "[F-LIB181] schemeID = GLN, EndpointID must be a valid GLN number (like '1234567890123', value found: '"
            + vo(k["cbc:EndpointID"])
            + "')",
        )
    if eq(endpoint_id_scheme_id, "EAN") and len(fs(k["cbc:EndpointID"])) != 13:
        d.fail(
            e,
            "F-LIB216",
            "[F-LIB216] schemeID = EAN, EndpointID must be a valid EAN number (like '1234567890123', value found: '"
            + vo(k["cbc:EndpointID"])
            + "')",
        )


def party_identification_check(e: El, d: Doc) -> None:
    """Abstract rule PartyIdentificationCheck."""
    k = kids(e)
    id_scheme_id = p(e, "cbc:ID/@schemeID")
    if not listed(CL.PartyID_schemeID, fs(id_scheme_id)):
        d.fail(
            e,
            "F-LIB183",
            "[F-LIB183] Invalid schemeID: '"
            + vo(id_scheme_id)
            + "'. Must be a value from the codelist: '"
            + vo(CL.PartyID_schemeID)
            + "'",
        )
    if eq(id_scheme_id, "DK:CVR") and (
        (len(fs(k["cbc:ID"])) != 10) or (substr(fs(k["cbc:ID"]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB184",
            "[F-LIB184] schemeID = DK:CVR, ID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(k["cbc:ID"])
            + "')",
        )
    if eq(id_scheme_id, "DK:CPR") and len(fs(k["cbc:ID"])) != 10:
        d.fail(
            e,
            "F-LIB217",
            "[F-LIB217] schemeID = DK:CPR, ID must be a valid CPR number (like '1234560000', value found: '"
            + vo(k["cbc:ID"])
            + "')",
        )
    if eq(id_scheme_id, "GLN") and len(fs(k["cbc:ID"])) != 13:
        d.fail(
            e,
            "F-LIB185",
            "[F-LIB185] schemeID = GLN, ID must be a valid GLN number (like '1234567890123', value found: '"
            + vo(k["cbc:ID"])
            + "')",
        )
    if eq(id_scheme_id, "EAN") and len(fs(k["cbc:ID"])) != 13:
        d.fail(
            e,
            "F-LIB218",
            "[F-LIB218] schemeID = EAN, ID must be a valid EAN number (like '1234567890123', value found: '"
            + vo(k["cbc:ID"])
            + "')",
        )
    if eq(id_scheme_id, "DK:P") and len(fs(k["cbc:ID"])) != 10:
        d.fail(
            e,
            "F-LIB287",
            "[F-LIB287] schemeID = DK:P, ID must be a valid P number (like '1234567890', value found: '"
            + vo(k["cbc:ID"])
            + "')",
        )


def party_legal_entity_check(e: El, d: Doc) -> None:
    """Abstract rule PartyLegalEntityCheck."""
    k = kids(e)
    company_id_scheme_id = p(e, "cbc:CompanyID/@schemeID")
    if k["cac:CorporateRegistrationScheme"]:
        d.fail(e, "F-LIB186", "[F-LIB186] CorporateRegistrationScheme class must be excluded")
    if norm(fs(k["cbc:CompanyID"])) == "":
        d.fail(e, "F-LIB187", "[F-LIB187] Invalid CompanyID. Must contain a value")
    if not (ne(company_id_scheme_id, "") and listed(CL.PartyLegalID, fs(company_id_scheme_id))):
        d.fail(
            e,
            "F-LIB189",
            "[F-LIB189] Invalid schemeID. Must be a valid scheme for PartyLegalEntity/CompanyID",
        )
    if eq(company_id_scheme_id, "DK:CVR") and (
        (len(norm(fs(k["cbc:CompanyID"]))) != 10) or (substr(fs(k["cbc:CompanyID"]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB190",
            "[F-LIB190] schemeID = DK:CVR, CompanyID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(k["cbc:CompanyID"])
            + "')",
        )
    if eq(company_id_scheme_id, "DK:CPR") and len(fs(k["cbc:CompanyID"])) != 10:
        d.fail(
            e,
            "F-LIB191",
            "[F-LIB191] schemeID = DK:CPR, CompanyID must be a valid CPR number (like '1234560000', value found: '"
            + vo(k["cbc:CompanyID"])
            + "')",
        )


def party_tax_scheme_check(e: El, d: Doc) -> None:
    """Abstract rule PartyTaxSchemeCheck."""
    k = kids(e)
    company_id_scheme_id = p(e, "cbc:CompanyID/@schemeID")
    if k["cbc:TaxLevelCode"]:
        d.fail(e, "F-LIB192", "[F-LIB192] TaxLevelCode element must be excluded")
    if norm(fs(k["cbc:CompanyID"])) == "":
        d.fail(e, "F-LIB193", "[F-LIB193] Invalid CompanyID. Must contain a value")
    if not (eq(company_id_scheme_id, "DK:SE") or eq(company_id_scheme_id, "ZZZ")):
        d.fail(
            e,
            "F-LIB195",
            "[F-LIB195] Invalid schemeID. Must be a valid scheme for PartyTaxScheme/CompanyID",
        )
    if eq(company_id_scheme_id, "DK:SE") and (
        (len(norm(fs(k["cbc:CompanyID"]))) != 10) or (substr(fs(k["cbc:CompanyID"]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB196",
            "[F-LIB196] schemeID = DK:SE, CompanyID must be a valid SE number (like 'DK12345678', value found: '"
            + vo(k["cbc:CompanyID"])
            + "')",
        )


_ALLOWANCE_CHARGE_TOP_CHECK_EXCLUDED = exclusions(
    ("cac:TaxTotal", "F-LIB224", "[F-LIB224] TaxTotal class must be excluded"),
    ("cac:PaymentMeans", "F-LIB225", "[F-LIB225] PaymentMeans class must be excluded"),
)


def allowance_charge_top_check(e: El, d: Doc) -> None:
    """Abstract rule AllowanceChargeTopCheck."""
    k = kids(e)
    excluded(e, d, _ALLOWANCE_CHARGE_TOP_CHECK_EXCLUDED)
    if len(k["cac:TaxCategory"]) != 1:
        d.fail(e, "F-LIB226", "[F-LIB226] One TaxCategory class must be present")
    if bool(k["cbc:MultiplierFactorNumeric"]) and not ne(k["cbc:BaseAmount"], ""):
        d.fail(
            e,
            "F-LIB248",
            "[F-LIB248] When MultiplierFactorNumeric is used, BaseAmount is mandatory",
        )
    if fs(k["cbc:MultiplierFactorNumeric"]).startswith("-"):
        d.fail(e, "F-LIB227", "[F-LIB227] MultiplierFactorNumeric must be a positive number")
    if bool(k["cbc:MultiplierFactorNumeric"]) and (
        (
            (
                num(fs(k["cbc:Amount"]))
                - (num(fs(k["cbc:BaseAmount"])) * num(fs(k["cbc:MultiplierFactorNumeric"])))
            )
            < -1
        )
        or (
            (
                num(fs(k["cbc:Amount"]))
                - (num(fs(k["cbc:BaseAmount"])) * num(fs(k["cbc:MultiplierFactorNumeric"])))
            )
            > 1
        )
    ):
        d.fail(e, "F-LIB228", "[F-LIB228] Amount must equal BaseAmount * MultiplierFactorNumeric")


def price_allowance_charge_top_check(e: El, d: Doc) -> None:
    """Abstract rule PriceAllowanceChargeTopCheck."""
    k = kids(e)
    if fs(k["cbc:MultiplierFactorNumeric"]).startswith("-"):
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
    if bool(k["cbc:MultiplierFactorNumeric"]) and not ne(k["cbc:BaseAmount"], ""):
        d.fail(
            e,
            "F-LIB270",
            "[F-LIB270] When MultiplierFactorNumeric is used, BaseAmount is mandatory",
        )
    if bool(k["cbc:MultiplierFactorNumeric"]) and (
        (
            (
                num(fs(k["cbc:Amount"]))
                - (num(fs(k["cbc:BaseAmount"])) * num(fs(k["cbc:MultiplierFactorNumeric"])))
            )
            < -1
        )
        or (
            (
                num(fs(k["cbc:Amount"]))
                - (num(fs(k["cbc:BaseAmount"])) * num(fs(k["cbc:MultiplierFactorNumeric"])))
            )
            > 1
        )
    ):
        d.fail(e, "F-LIB228", "[F-LIB228] Amount must equal BaseAmount * MultiplierFactorNumeric")


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
    if len(after(fs(k["cbc:TaxAmount"]), ".")) != 2:
        d.fail(e, "F-LIB250", "[F-LIB250] Invalid TaxAmount. Must have 2 decimals")
    if bool(k["cbc:RoundingAmount"]) and gc("=", k["cbc:RoundingAmount"], 0):
        d.fail(e, "F-LIB251", "[F-LIB251] Invalid RoundingAmount. Must not be zero")
    if bool(k["cbc:RoundingAmount"]) and (len(after(fs(k["cbc:RoundingAmount"]), ".")) != 2):
        d.fail(e, "F-LIB252", "[F-LIB252] Invalid RoundingAmount. Must have 2 decimals")
    if eq(k["cbc:TaxEvidenceIndicator"], "false") and ne(
        pm(rootis(d, "doc:Invoice"), "cbc:InvoiceTypeCode"), "325"
    ):
        d.fail(
            e,
            "F-LIB253",
            "[F-LIB253] Can only be false if proforma invoice (InvoiceTypeCode = '325')",
        )
    if bool(k["cbc:TransactionCurrencyTaxAmount"]) and not eq(
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
    v_id63 = eq(tax_category_tax_scheme_id, "63")
    excluded(e, d, _TAX_SUBTOTAL_CHECK_EXCLUDED)
    if norm(fs(k["cbc:TaxableAmount"])) == "":
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
    if len(after(fs(k["cbc:TaxableAmount"]), ".")) != 2:
        d.fail(e, "F-LIB261", "[F-LIB261] Invalid TaxableAmount. Must have 2 decimals")
    if len(after(fs(k["cbc:TaxAmount"]), ".")) != 2:
        d.fail(e, "F-LIB263", "[F-LIB263] Invalid TaxAmount. Must have 2 decimals")
    if bool(k["cbc:CalculationSequenceNumeric"]) and (
        fs(k["cbc:CalculationSequenceNumeric"]).startswith("-")
        or gc("=", k["cbc:CalculationSequenceNumeric"], 0)
    ):
        d.fail(
            e,
            "F-LIB264",
            "[F-LIB264] Invalid CalculationSequenceNumeric. Must not be negative or zero",
        )
    if (
        (
            bool(k["cbc:TransactionCurrencyTaxAmount"])
            and (num(fs(k["cbc:TransactionCurrencyTaxAmount"])) != 0)
        )
        and eq(tax_category_id, "StandardRated")
    ) and (
        ((num(fs(k["cbc:TransactionCurrencyTaxAmount"])) < 0) and (num(fs(parent_tax_amount)) > 0))
        or (
            (num(fs(k["cbc:TransactionCurrencyTaxAmount"])) > 0)
            and (num(fs(parent_tax_amount)) < 0)
        )
    ):
        d.fail(
            e,
            "F-LIB266",
            "[F-LIB266] Invalid TransactionCurrencyTaxAmount. Must be negative if TaxTotal/TaxAmount is negative, and must be be positive if TaxTotal/TaxAmount is positive",
        )
    if bool(k["cbc:TransactionCurrencyTaxAmount"]) and (
        len(after(fs(k["cbc:TransactionCurrencyTaxAmount"]), ".")) != 2
    ):
        d.fail(
            e, "F-LIB267", "[F-LIB267] Invalid TransactionCurrencyTaxAmount. Must have 2 decimals"
        )
    v_calculated_vat = div(num(fs(k["cbc:TaxableAmount"])), 100) * num(
        fs(p(e, "cac:TaxCategory/cbc:Percent"))
    )
    if (
        (eq(tax_category_id, "StandardRated") and (num(fs(k["cbc:TaxableAmount"])) > 0))
        and (num(fs(k["cbc:TaxAmount"])) == 0)
    ) and (v_calculated_vat >= 0.005):
        d.fail(
            e,
            "F-LIB381",
            "[F-LIB381] Invalid VAT TaxAmount - When TaxCategory/ID are 'StandardRated' and TaxableAmount > 0 ("
            + vo(k["cbc:TaxableAmount"])
            + ") TaxAmount can't be '("
            + vo(k["cbc:TaxAmount"])
            + ")' unless calculated vat '("
            + vo(v_calculated_vat)
            + ")' are less then 0.005",
        )
    if bool(k["cbc:TransactionCurrencyTaxAmount"]) and not eq(tax_category_id, "StandardRated"):
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
    if eq(tax_category_tax_scheme_id, "VAT") and not bool(tax_category_percent):
        d.fail(
            e,
            "F-LIB333",
            "[F-LIB333] When TaxCategory/TaxScheme/Id is VAT, the TaxCategory/Percent must be present.",
        )
    if eq(tax_category_tax_scheme_id, "VAT") and (
        eq(tax_category_percent, "") or (len(after(fs(tax_category_percent), ".")) > 2)
    ):
        d.fail(
            e,
            "F-LIB334",
            "[F-LIB334] The TaxCategory/Percent must contain a decimal value with maximum 2 decimals.",
        )
    if bool(k["cbc:TransactionCurrencyTaxAmount"]) and not eq(
        p(e, "cac:TaxCategory/cbc:ID"), "StandardRated"
    ):
        d.fail(
            e,
            "F-LIB373",
            "[F-LIB373] TransactionCurrencyTaxAmount only valid when TaxCategory/ID = 'StandardRated'",
        )


def tax_subtotal_calculation_line(e: El, d: Doc) -> None:
    """Abstract rule TaxSubtotalCalculationLine."""


def attachment_check(e: El, d: Doc) -> None:
    """Abstract rule AttachmentCheck."""
    k = kids(e)
    embedded_document_binary_object_mime_code = p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode")
    if bool(k["cbc:EmbeddedDocumentBinaryObject"]) and bool(k["cac:ExternalReference"]):
        d.fail(
            e, "F-LIB284", "[F-LIB284] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(k["cbc:EmbeddedDocumentBinaryObject"]) and not (
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
    if bool(k["cac:ExternalReference"]) and not ne(p(e, "cac:ExternalReference/cbc:URI"), ""):
        d.fail(e, "F-LIB286", "[F-LIB286] When using ExternalReference, URI is mandatory")


def check_values_when_zero_rated(e: El, d: Doc) -> None:
    """Abstract rule CheckValuesWhenZeroRated."""
    k = kids(e)
    parent_tax_amount = p(e, "../cbc:TaxAmount")
    if not (
        ne(k["cbc:ID"], "ZeroRated")
        or (
            (num(fs(parent_tax_amount)) == 0)
            and (not bool(k["cbc:Percent"]) or (num(norm(fs(k["cbc:Percent"]))) == 0))
        )
    ):
        d.fail(
            e,
            "F-LIB400",
            '[F-LIB400] When "TaxCategory/ID" is "ZeroRated", "TaxAmount" and "Percent" must be 0."> Values found: - TaxCategoty/ID: '
            + vo(k["cbc:ID"])
            + " - TaxCategory/Percent: "
            + vo(k["cbc:Percent"])
            + " - TaxAmount: "
            + vo(parent_tax_amount),
        )


def check_tax_amount(e: El, d: Doc) -> None:
    """Abstract rule CheckTaxAmount."""
    k = kids(e)
    parent_tax_amount = p(e, "../cbc:TaxAmount")
    parent_taxable_amount = p(e, "../cbc:TaxableAmount")
    if not (
        not eq(k["cbc:ID"], "StandardRated")
        or (
            ((num(fs(k["cbc:Percent"])) == 0) and (num(fs(parent_tax_amount)) == 0))
            or (
                (num(fs(k["cbc:Percent"])) > 0)
                and (
                    abs(
                        num(fs(parent_tax_amount))
                        - div(
                            xround(
                                div(
                                    (num(fs(parent_taxable_amount)) * num(fs(k["cbc:Percent"]))),
                                    100,
                                )
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
            + vo(k["cbc:ID"])
            + " - TaxAmount (TaxSubtotal): "
            + vo(parent_tax_amount)
            + " - TaxableAmount: "
            + vo(parent_taxable_amount)
            + " - TaxCategory/Percent: "
            + vo(k["cbc:Percent"])
            + " - Calculated TaxAmount (rounded): "
            + vo(
                div(
                    xround(
                        div((num(fs(parent_taxable_amount)) * num(fs(k["cbc:Percent"]))), 100) * 100
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
                            div((num(fs(parent_taxable_amount)) * num(fs(k["cbc:Percent"]))), 100)
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
    if not (
        not eq(k["cbc:Name"], "EmissionFactor")
        or (num(fs(k["cbc:Value"])) == num(fs(k["cbc:Value"])))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP004",
            "[OIOUBL-Common-GP004] If AdditionalItemProperty/Name is 'EmissionFactor', then the AdditionalItemProperty/Value must be a valid numeric value",
        )
    if not (
        not eq(k["cbc:Name"], "NetEmissionQuantity")
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
                == div(xround((num(fs(k["cbc:Value"])) * 10000)), 10000)
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
                == div(xround(num(fs(k["cbc:Value"])) * 10000), 10000)
            )
        )
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP005",
            "[OIOUBL-Common-GP005] if Name is 'NetEmissionQuantity', then its Value must equal EmissionFactor * Quantity (InvoicedQuantity / CreditedQuantity)\" Values found - NetEmissionQuantity value "
            + vo(num(fs(k["cbc:Value"])))
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
        not eq(k["cbc:Name"], "EmissionFactorSource")
        or (eq(k["cbc:Value"], "Database") or eq(k["cbc:Value"], "Internal"))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP006",
            "[OIOUBL-Common-GP006] If AdditionalItemProperty/Name is 'EmissionFactorSource', then AdditionalItemProperty/Value must be either 'Database' or 'Internal'",
        )
    if not (
        not eq(k["cbc:Name"], "EmissionFactor")
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
        not eq(k["cbc:Name"], "EmissionFactorCalculationUnit")
        or listed(CL.Quantity_unitCode, norm(fs(k["cbc:Value"])))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP008",
            "[OIOUBL-Common-GP008] If AdditionalItemProperty/Name equals 'EmissionFactorCalculationUnit' then AdditionalItemProperty/Value must have a valid UnitCode value from the codelist urn:un:unece:uncefact:codelist:specification:66411:2001.",
        )
    if not (
        not eq(k["cbc:Name"], "CalculationRate")
        or (num(fs(k["cbc:Value"])) == num(fs(k["cbc:Value"])))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP009",
            "[OIOUBL-Common-GP009] If AdditionalItemProperty/Name is 'CalculationRate', then the AdditionalItemProperty/Value must be a valid numeric value",
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
