"""OIOUBL common rules (``OIOUBL_Common_Schematron``, schematron 1.17.2).

The abstract rules that the Invoice and CreditNote patterns extend, one function each, named
after the rule (``AddressCheck`` is :func:`address_check`), plus the one concrete rule of the
file, the currency check on every ``@currencyID``. Each function runs its asserts on the
context element ``e`` and records the failures in ``d``.
"""

from __future__ import annotations

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    after,
    dec,
    div,
    dround,
    dstr,
    dsum,
    eq,
    fs,
    gc,
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
    qname_ns,
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


def ublextensions_check(e: El, d: Doc) -> None:
    """Abstract rule UBLExtensionsCheck."""
    if eq(
        p(e, "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionAgencyID"), "Digitaliseringsstyrelsen"
    ) and (
        gc("<", p(e, "ext:UBLExtensions/ext:UBLExtension/cbc:ID"), "1001")
        or gc(">", p(e, "ext:UBLExtensions/ext:UBLExtension/cbc:ID"), "1999")
    ):
        d.fail(
            e,
            "F-LIB313",
            "[F-LIB313] Invalid UBLExtension/ID when UBLExtension/ExtensionAgencyID is equal to 'Digitaliseringsstyrelsen'. ID must be an assigned value between '1001' and '1999'.",
        )


def ublversion_id_check(e: El, d: Doc) -> None:
    """Abstract rule UBLVersionIDCheck."""
    if not (eq(p(e, "cbc:UBLVersionID"), "2.0") or eq(p(e, "cbc:UBLVersionID"), "2.1")):
        d.fail(e, "F-LIB001", "[F-LIB001] Invalid UBLVersionID. Must be '2.0' or '2.1'")


def customization_id_check(e: El, d: Doc) -> None:
    """Abstract rule CustomizationIDCheck."""
    if not (
        (
            eq(p(e, "cbc:CustomizationID"), "OIOUBL-2.01")
            or eq(p(e, "cbc:CustomizationID"), "OIOUBL-2.02")
        )
        or eq(p(e, "cbc:CustomizationID"), "OIOUBL-2.1")
    ):
        d.fail(
            e,
            "F-LIB002",
            "[F-LIB002]Invalid CustomizationID. Must be either 'OIOUBL-2.01', 'OIOUBL-2.02' or 'OIOUBL-2.1'",
        )


def customization_idcheck_uts(e: El, d: Doc) -> None:
    """Abstract rule CustomizationIDCheckUTS."""
    if not eq(p(e, "cbc:CustomizationID"), "OIOUBL-2.1"):
        d.fail(e, "F-LIB260", "[F-LIB260]Invalid CustomizationID. Must be 'OIOUBL-2.1'")


def profile_id_check(e: El, d: Doc) -> None:
    """Abstract rule ProfileIDCheck."""
    if not (
        (
            (
                (
                    (
                        eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile1_schemeID)
                        or eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile2_schemeID)
                    )
                    or eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile3_schemeID)
                )
                or eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile4_schemeID)
            )
            or eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile5_schemeID)
        )
        or eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile6_schemeID)
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
    if eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile1_schemeID) and not listed(
        CL.Profile1, fs(p(e, "cbc:ProfileID"))
    ):
        d.fail(
            e,
            "F-LIB004",
            "[F-LIB004] Invalid ProfileID: '"
            + vo(p(e, "cbc:ProfileID"))
            + "'. Must be a value from the codelist",
        )
    if eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile2_schemeID) and not listed(
        CL.Profile2, fs(p(e, "cbc:ProfileID"))
    ):
        d.fail(
            e,
            "F-LIB302",
            "[F-LIB302] Invalid ProfileID: '"
            + vo(p(e, "cbc:ProfileID"))
            + "'. Must be a value from the codelist",
        )
    if eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile3_schemeID) and not listed(
        CL.Profile3, fs(p(e, "cbc:ProfileID"))
    ):
        d.fail(
            e,
            "F-LIB308",
            "[F-LIB308] Invalid ProfileID: '"
            + vo(p(e, "cbc:ProfileID"))
            + "'. Must be a value from the codelist",
        )
    if eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile4_schemeID) and not listed(
        CL.Profile4, fs(p(e, "cbc:ProfileID"))
    ):
        d.fail(
            e,
            "F-LIB325",
            "[F-LIB325] Invalid ProfileID: '"
            + vo(p(e, "cbc:ProfileID"))
            + "'. Must be a value from the codelist",
        )
    if eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile5_schemeID) and not listed(
        CL.Profile5, fs(p(e, "cbc:ProfileID"))
    ):
        d.fail(
            e,
            "F-LIB327",
            "[F-LIB327] Invalid ProfileID: '"
            + vo(p(e, "cbc:ProfileID"))
            + "'. Must be a value from the codelist",
        )
    if eq(p(e, "cbc:ProfileID/@schemeID"), CL.Profile6_schemeID) and not listed(
        CL.Profile6, fs(p(e, "cbc:ProfileID"))
    ):
        d.fail(
            e,
            "F-LIB351",
            "[F-LIB351] Invalid ProfileID: '"
            + vo(p(e, "cbc:ProfileID"))
            + "'. Must be a value from the codelist",
        )
    v_profile = p(e, "cbc:ProfileID")
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
    if bool(p(e, "@listID")) and ne(p(e, "@listID"), CL.CurrencyCode_listID):
        d.fail(
            e, "F-LIB296", "[F-LIB296] Invalid listID. Must be '" + vo(CL.CurrencyCode_listID) + "'"
        )
    if bool(p(e, "@listAgencyID")) and ne(p(e, "@listAgencyID"), CL.CurrencyCode_agencyID):
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
    if bool(p(e, "cac:Country/cbc:IdentificationCode")) and not listed(
        CL.CountryCode, fs(p(e, "cac:Country/cbc:IdentificationCode"))
    ):
        d.fail(
            e,
            "F-LIB301",
            "[F-LIB301] Invalid Country/IdentificationCode: '"
            + vo(p(e, "cac:Country/cbc:IdentificationCode"))
            + "'. Must be a value from the codelist",
        )


def unit_code_check(e: El, d: Doc) -> None:
    """Abstract rule unitCodeCheck."""
    if not bool(p(e, "@unitCode")):
        d.fail(e, "F-LIB007", "[F-LIB007] Attribute unitCode must be used for " + qn(e))
    if not (len(fs(p(e, "@unitCode"))) > 1):
        d.fail(
            e,
            "W-LIB008",
            "[W-LIB008] The value of unitCode attribute should be a valid UOM measure",
        )
    if not listed(CL.Quantity_unitCode, fs(p(e, "@unitCode"))):
        d.fail(
            e,
            "F-LIB318",
            "[F-LIB318] Invalid unitCode: '"
            + vo(p(e, "@unitCode"))
            + "'. Must be a value from the codelist urn:un:unece:uncefact:codelist:specification:66411:2001.",
        )


def note_check(e: El, d: Doc) -> None:
    """Abstract rule NoteCheck."""
    if (len(p(e, "../cbc:Note")) > 1) and not bool(p(e, "@languageID")):
        d.fail(
            e,
            "W-LIB011",
            "[W-LIB011] The attribute languageID should be used when more than one "
            + qn(e)
            + " element is present",
        )
    if gc("=", p(e, "following-sibling::*/@languageID"), p(e, "@languageID")):
        d.fail(
            e,
            "W-LIB012",
            "[W-LIB012] Multilanguage error. Replicated "
            + qn(e)
            + " elements with same languageID attribute value",
        )


def description_language_check(e: El, d: Doc) -> None:
    """Abstract rule DescriptionLanguageCheck."""
    if (len(p(e, "../cbc:Description")) > 1) and not bool(p(e, "@languageID")):
        d.fail(
            e,
            "W-LIB222",
            "[W-LIB222] The attribute languageID should be used when more than one Description element is present",
        )
    if gc("=", p(e, "following-sibling::*/@languageID"), p(e, "@languageID")):
        d.fail(
            e,
            "W-LIB223",
            "[W-LIB223] Multilanguage error. Replicated Description elements with same languageID '"
            + "' attribute value",
        )


def description_language_check_new(e: El, d: Doc) -> None:
    """Abstract rule DescriptionLanguageCheckNew."""
    if (len(p(e, "cbc:Description")) > 1) and not nb(
        1.0 if (len(p(e, "cbc:Description")) == len(p(e, "cbc:Description/@languageID"))) else 0.0
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
    if not (not lname(e).endswith("Amount") or listed(CL.CurrencyCode, fs(p(e, "@currencyID")))):
        d.fail(
            e,
            "F-LIB403",
            "[F-LIB403] Invalid CurrencyCode: '"
            + vo(p(e, "@currencyID"))
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


def pos_zero_number_or_converted_check(e: El, d: Doc) -> None:
    """Abstract rule PosZeroNumberOrConvertedCheck."""
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
            "F-LIB376",
            "[F-LIB376] Invalid "
            + qn(e)
            + ". Must not be negative or zero, unless it has been converted from PEPPOL BIS3",
        )


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
    if bool(p(e, "cbc:AccountingCost")) and bool(p(e, "cbc:AccountingCostCode")):
        d.fail(e, "F-LIB021", "[F-LIB021] Use either AccountingCost or AccountingCostCode")


def party_name_check(e: El, d: Doc) -> None:
    """Abstract rule PartyNameCheck."""
    if (
        not bool(p(e, "cac:PartyIdentification")) or eq(p(e, "cac:PartyIdentification/cbc:ID"), "")
    ) and (not bool(p(e, "cac:PartyName")) or eq(p(e, "cac:PartyName/cbc:Name"), "")):
        d.fail(
            e,
            "F-LIB022",
            "[F-LIB022] PartyName/Name is mandatory if PartyIdentification/ID is not found",
        )


def party_name_language_check(e: El, d: Doc) -> None:
    """Abstract rule PartyNameLanguageCheck."""
    if (len(p(e, "../cac:PartyName")) > 1) and not bool(p(e, "cbc:Name/@languageID")):
        d.fail(
            e,
            "W-LIB219",
            "[W-LIB219] The attribute Name@languageID should be used when more than one PartyName class is present",
        )
    if gc("=", p(e, "following-sibling::*/cbc:Name/@languageID"), p(e, "cbc:Name/@languageID")):
        d.fail(
            e,
            "W-LIB220",
            "[W-LIB220] Multilanguage error. Replicated PartyName classes with same Name@languageID attribute value",
        )


def address_id_check(e: El, d: Doc) -> None:
    """Abstract rule AddressIDCheck."""
    if (not bool(p(e, "cbc:ID")) or eq(p(e, "cbc:ID"), "")) and (len(p(e, "cac:Address")) == 0):
        d.fail(e, "F-LIB221", "[F-LIB221] If ID not specified, Address is mandatory")


def contact_check(e: El, d: Doc) -> None:
    """Abstract rule ContactCheck."""
    if (
        (
            (
                (
                    (
                        (not bool(p(e, "cbc:ID")) or eq(p(e, "cbc:ID"), ""))
                        and (not bool(p(e, "cbc:Name")) or eq(p(e, "cbc:Name"), ""))
                    )
                    and (not bool(p(e, "cbc:Telephone")) or eq(p(e, "cbc:Telephone"), ""))
                )
                and (not bool(p(e, "cbc:Telefax")) or eq(p(e, "cbc:Telefax"), ""))
            )
            and (not bool(p(e, "cbc:ElectronicMail")) or eq(p(e, "cbc:ElectronicMail"), ""))
        )
        and (not bool(p(e, "cbc:Note")) or eq(p(e, "cbc:Note"), ""))
    ) and not bool(p(e, "cac:OtherCommunication")):
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
    if (not bool(p(e, "cbc:FamilyName")) or eq(p(e, "cbc:FamilyName"), "")) and (
        not bool(p(e, "cbc:FirstName")) or eq(p(e, "cbc:FirstName"), "")
    ):
        d.fail(
            e, "F-LIB024", "[F-LIB024] There must be a FirstName if the FamilyName is not present"
        )


def address_check(e: El, d: Doc) -> None:
    """Abstract rule AddressCheck."""
    if len(p(e, "cbc:BlockName")) != 0:
        d.fail(e, "F-LIB210", "[F-LIB210] BlockName element must be excluded")
    if len(p(e, "cbc:TimezoneOffset")) != 0:
        d.fail(e, "F-LIB211", "[F-LIB211] TimezoneOffset element must be excluded")
    if len(p(e, "cac:LocationCoordinate")) != 0:
        d.fail(e, "F-LIB212", "[F-LIB212] LocationCoordinate class must be excluded")
    if norm(fs(p(e, "cbc:AddressFormatCode"))) == "":
        d.fail(e, "F-LIB025", "[F-LIB025] Invalid AddressFormatCode. Must contain a value")
    if bool(p(e, "cbc:AddressTypeCode")) and not eq(
        p(e, "cbc:AddressTypeCode/@listID"), "urn:oioubl:codelist:addresstypecode-1.1"
    ):
        d.fail(
            e,
            "F-LIB204",
            "[F-LIB204] Invalid listID. Must be 'urn:oioubl:codelist:addresstypecode-1.1'",
        )
    if bool(p(e, "cbc:AddressTypeCode")) and not eq(
        p(e, "cbc:AddressTypeCode/@listAgencyID"), "320"
    ):
        d.fail(e, "F-LIB205", "[F-LIB205] Invalid listAgencyID. Must be '320'")
    if bool(p(e, "cbc:AddressTypeCode")) and not (
        eq(p(e, "cbc:AddressTypeCode"), "Home") or eq(p(e, "cbc:AddressTypeCode"), "Business")
    ):
        d.fail(
            e, "F-LIB206", "[F-LIB206] Invalid AddressTypeCode. Must be a value from the codelist"
        )
    if not (
        eq(p(e, "cbc:AddressFormatCode/@listID"), "urn:oioubl:codelist:addressformatcode-1.1")
        or eq(p(e, "cbc:AddressFormatCode/@listID"), "UN/ECE 3477")
    ):
        d.fail(
            e,
            "F-LIB026",
            "[F-LIB026] Invalid listID. Must be either 'urn:oioubl:codelist:addressformatcode-1.1' or 'UN/ECE 3477'",
        )
    if eq(
        p(e, "cbc:AddressFormatCode/@listID"), "urn:oioubl:codelist:addressformatcode-1.1"
    ) and not eq(p(e, "cbc:AddressFormatCode/@listAgencyID"), "320"):
        d.fail(e, "F-LIB207", "[F-LIB207] Invalid listAgencyID. Must be '320'")
    if eq(
        p(e, "cbc:AddressFormatCode/@listID"), "urn:oioubl:codelist:addressformatcode-1.1"
    ) and not (
        (
            (
                (
                    (norm(fs(p(e, "cbc:AddressFormatCode"))) == "StructuredDK")
                    or (norm(fs(p(e, "cbc:AddressFormatCode"))) == "StructuredLax")
                )
                or (norm(fs(p(e, "cbc:AddressFormatCode"))) == "StructuredID")
            )
            or (norm(fs(p(e, "cbc:AddressFormatCode"))) == "StructuredRegion")
        )
        or (norm(fs(p(e, "cbc:AddressFormatCode"))) == "Unstructured")
    ):
        d.fail(
            e, "F-LIB027", "[F-LIB027] Invalid AddressFormatCode. Must be a value from the codelist"
        )
    if eq(p(e, "cbc:AddressFormatCode/@listID"), "UN/ECE 3477") and not eq(
        p(e, "cbc:AddressFormatCode/@listAgencyID"), "6"
    ):
        d.fail(e, "F-LIB208", "[F-LIB208] Invalid listAgencyID. Must be '6'")
    if eq(p(e, "cbc:AddressFormatCode/@listID"), "UN/ECE 3477") and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    eq(p(e, "cbc:AddressFormatCode"), "1")
                                    or eq(p(e, "cbc:AddressFormatCode"), "2")
                                )
                                or eq(p(e, "cbc:AddressFormatCode"), "3")
                            )
                            or eq(p(e, "cbc:AddressFormatCode"), "4")
                        )
                        or eq(p(e, "cbc:AddressFormatCode"), "5")
                    )
                    or eq(p(e, "cbc:AddressFormatCode"), "6")
                )
                or eq(p(e, "cbc:AddressFormatCode"), "7")
            )
            or eq(p(e, "cbc:AddressFormatCode"), "8")
        )
        or eq(p(e, "cbc:AddressFormatCode"), "9")
    ):
        d.fail(
            e, "F-LIB209", "[F-LIB209] Invalid AddressFormatCode. Must be a value from the codelist"
        )
    if bool(p(e, "cac:Country")) and not ne(p(e, "cac:Country/cbc:IdentificationCode"), ""):
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
    if bool(p(e, "cbc:ID")) and not (len(fs(p(e, "cbc:ID/@schemeID"))) > 0):
        d.fail(
            e,
            "F-LIB028",
            "[F-LIB028] When ID is used under Address the attribute schemeID is used to give an addressregister",
        )
    if bool(p(e, "cbc:ID")) and not bool(p(e, "cbc:ID/@schemeID")):
        d.fail(e, "F-LIB029", "[F-LIB029] schemeID attribute must be present on an address ID")
    country_code_check(e, d)


def unstructured_check(e: El, d: Doc) -> None:
    """Abstract rule UnstructuredCheck."""
    if eq(p(e, "cbc:AddressFormatCode"), "Unstructured") and (
        (
            (
                ((len(p(e, "cbc:StreetName")) != 0) or (len(p(e, "cbc:BuildingNumber")) != 0))
                or (len(p(e, "cbc:CityName")) != 0)
            )
            or (len(p(e, "cbc:PostalZone")) != 0)
        )
        or (len(p(e, "cac:Country")) != 0)
    ):
        d.fail(
            e,
            "F-LIB031",
            "[F-LIB031] An Unstructured address is only allowed to have AddressLine elements",
        )


def structured_dk_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredDKCheck."""
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredDK") and bool(p(e, "cac:AddressLine")):
        d.fail(
            e,
            "F-LIB032",
            "[F-LIB032] AddressLine elements not allowed for a StructuredDK address type",
        )
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredDK") and (
        not bool(p(e, "cbc:PostalZone")) or (norm(fs(p(e, "cbc:PostalZone"))) == "")
    ):
        d.fail(e, "F-LIB033", "[F-LIB033] PostalZone is mandatory for a StructuredDK address type")
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredDK") and (
        (not bool(p(e, "cbc:StreetName")) or (norm(fs(p(e, "cbc:StreetName"))) == ""))
        and (not bool(p(e, "cbc:Postbox")) or (norm(fs(p(e, "cbc:Postbox"))) == ""))
    ):
        d.fail(
            e,
            "F-LIB034",
            "[F-LIB034] There should be either a StreetName or a Postbox for a StructuredDK address type",
        )
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredDK") and (
        (not bool(p(e, "cbc:BuildingNumber")) or (norm(fs(p(e, "cbc:BuildingNumber"))) == ""))
        and (not bool(p(e, "cbc:Postbox")) or (norm(fs(p(e, "cbc:Postbox"))) == ""))
    ):
        d.fail(
            e,
            "F-LIB035",
            "[F-LIB035] There should be either a BuildingNumber or a Postbox for a StructuredDK address type",
        )


def structured_lax_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredLaxCheck."""
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredLax") and bool(p(e, "cac:AddressLine")):
        d.fail(
            e,
            "F-LIB036",
            "[F-LIB036] AddressLine elements not allowed for a StructuredLax address type",
        )


def structured_id_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredIDCheck."""
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredID") and (
        not bool(p(e, "cbc:ID")) or eq(p(e, "cbc:ID"), "")
    ):
        d.fail(e, "F-LIB037", "[F-LIB037] ID is required for a StructuredID address type")
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredID") and (
        (
            (
                ((len(p(e, "cbc:StreetName")) != 0) or (len(p(e, "cbc:BuildingNumber")) != 0))
                or (len(p(e, "cbc:CityName")) != 0)
            )
            or (len(p(e, "cbc:PostalZone")) != 0)
        )
        or (len(p(e, "cac:Country")) != 0)
    ):
        d.fail(e, "F-LIB038", "[F-LIB038] Only the ID is used for a StructuredID address type")


def structured_region_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredRegionCheck."""
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredRegion") and (
        (
            (
                not bool(p(e, "cac:Country/cbc:IdentificationCode"))
                or eq(p(e, "cac:Country/cbc:IdentificationCode"), "")
            )
            and (not bool(p(e, "cbc:Region")) or eq(p(e, "cbc:Region"), ""))
        )
        and (not bool(p(e, "cbc:District")) or eq(p(e, "cbc:District"), ""))
    ):
        d.fail(
            e,
            "F-LIB039",
            "[F-LIB039] Region or District or Country/IdentificationCode is required for a StructuredRegion address type",
        )
    if eq(p(e, "cbc:AddressFormatCode"), "StructuredRegion") and (
        (
            ((len(p(e, "cbc:StreetName")) != 0) or (len(p(e, "cbc:BuildingNumber")) != 0))
            or (len(p(e, "cbc:CityName")) != 0)
        )
        or (len(p(e, "cbc:PostalZone")) != 0)
    ):
        d.fail(
            e,
            "F-LIB040",
            "[F-LIB040] Only Region, District, and/or Country/IdentificationCode can be used for a StructuredRegion address type",
        )


def tax_scheme_check(e: El, d: Doc) -> None:
    """Abstract rule TaxSchemeCheck."""
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:ID")) != 0:
        d.fail(e, "F-LIB041", "[F-LIB041] ID element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:AddressTypeCode")) != 0:
        d.fail(e, "F-LIB042", "[F-LIB042] AddressTypeCode element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:Postbox")) != 0:
        d.fail(e, "F-LIB043", "[F-LIB043] Postbox element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:Floor")) != 0:
        d.fail(e, "F-LIB044", "[F-LIB044] Floor element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:Room")) != 0:
        d.fail(e, "F-LIB045", "[F-LIB045] Room element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:StreetName")) != 0:
        d.fail(e, "F-LIB046", "[F-LIB046] StreetName element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:AdditionalStreetName")) != 0:
        d.fail(e, "F-LIB047", "[F-LIB047] AdditionalStreetName element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:BlockName")) != 0:
        d.fail(e, "F-LIB048", "[F-LIB048] BlockName element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:BuildingName")) != 0:
        d.fail(e, "F-LIB049", "[F-LIB049] BuildingName element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:BuildingNumber")) != 0:
        d.fail(e, "F-LIB050", "[F-LIB050] BuildingNumber element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:InhouseMail")) != 0:
        d.fail(e, "F-LIB051", "[F-LIB051] InhouseMail element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:Department")) != 0:
        d.fail(e, "F-LIB052", "[F-LIB052] Department element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:MarkAttention")) != 0:
        d.fail(e, "F-LIB053", "[F-LIB053] MarkAttention element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:MarkCare")) != 0:
        d.fail(e, "F-LIB054", "[F-LIB054] MarkCare element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:PlotIdentification")) != 0:
        d.fail(e, "F-LIB055", "[F-LIB055] PlotIdentification element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:CitySubdivisionName")) != 0:
        d.fail(e, "F-LIB056", "[F-LIB056] CitySubdivisionName element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:CityName")) != 0:
        d.fail(e, "F-LIB057", "[F-LIB057] CityName element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:PostalZone")) != 0:
        d.fail(e, "F-LIB058", "[F-LIB058] PostalZone element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:CountrySubentity")) != 0:
        d.fail(e, "F-LIB059", "[F-LIB059] CountrySubentity element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:CountrySubentityCode")) != 0:
        d.fail(e, "F-LIB060", "[F-LIB060] CountrySubentityCode element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cbc:TimezoneOffset")) != 0:
        d.fail(e, "F-LIB063", "[F-LIB063] TimezoneOffset element must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cac:AddressLine")) != 0:
        d.fail(e, "F-LIB234", "[F-LIB234] AddressLine class must be excluded")
    if len(p(e, "cac:JurisdictionRegionAddress/cac:LocationCoordinate")) != 0:
        d.fail(e, "F-LIB064", "[F-LIB064] LocationCoordinate class must be excluded")
    if eq(p(e, "cbc:ID"), "63") and bool(p(e, "cbc:TaxTypeCode")):
        d.fail(
            e,
            "F-LIB067",
            "[F-LIB067] TaxTypeCode is not allowed when TaxScheme/ID equals '63' (Moms)",
        )
    if norm(fs(p(e, "cbc:ID"))) == "":
        d.fail(e, "F-LIB065", "[F-LIB065] Invalid TaxScheme/ID. Must contain a value.")
    if norm(fs(p(e, "cbc:Name"))) == "":
        d.fail(e, "F-LIB066", "[F-LIB066] Invalid Name. Must contain a value")
    if not (eq(p(e, "cbc:ID"), "63") or eq(p(e, "cbc:ID"), "VAT")) and not listed(
        CL.TaxType2, fs(p(e, "cbc:TaxTypeCode"))
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
            (
                eq(p(e, "cbc:ID/@schemeID"), CL.TaxScheme_schemeID)
                or eq(p(e, "cbc:ID/@schemeID"), CL.TaxScheme2_schemeID)
            )
            or eq(p(e, "cbc:ID/@schemeID"), CL.TaxScheme4_schemeID)
        )
        or eq(p(e, "cbc:ID/@schemeID"), CL.TaxScheme5_schemeID)
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
    if bool(p(e, "cbc:TaxTypeCode")) and not (
        eq(p(e, "cbc:TaxTypeCode/@listID"), CL.TaxType_listID)
        or eq(p(e, "cbc:TaxTypeCode/@listID"), CL.TaxType_listID2)
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
    if eq(p(e, "cbc:ID"), "63") and ne(p(e, "cbc:Name"), "Moms"):
        d.fail(
            e, "F-LIB198", "[F-LIB198] Name must equal 'Moms' when TaxScheme/ID equals '63' (Moms)"
        )
    if ne(p(e, "cbc:ID"), "63") and eq(p(e, "cbc:Name"), "Moms"):
        d.fail(e, "F-LIB199", "[F-LIB199] Name must correspond to the value of TaxScheme/ID")
    if bool(
        p(e, "cac:JurisdictionRegionAddress/cac:Country/cbc:IdentificationCode")
    ) and not listed(
        CL.CountryCode, fs(p(e, "cac:JurisdictionRegionAddress/cac:Country/cbc:IdentificationCode"))
    ):
        d.fail(
            e,
            "F-LIB337",
            "[F-LIB337] Invalid Country/IdentificationCode: '"
            + vo(p(e, "cac:JurisdictionRegionAddress/cac:Country/cbc:IdentificationCode"))
            + "'. Must be a value from the country codelist",
        )
    if bool(p(e, "cac:JurisdictionRegionAddress")) and ne(
        p(e, "cac:JurisdictionRegionAddress/cbc:AddressFormatCode"), "StructuredRegion"
    ):
        d.fail(
            e,
            "F-LIB233",
            "[F-LIB233] The AddressFormatCode under JurisdictionRegionAddress must always equal 'StructuredRegion'",
        )


def tax_category_check(e: El, d: Doc) -> None:
    """Abstract rule TaxCategoryCheck."""
    if len(p(e, "cbc:TierRange")) != 0:
        d.fail(e, "F-LIB072", "[F-LIB072] TierRange element must be excluded")
    if len(p(e, "cbc:TierRatePercent")) != 0:
        d.fail(e, "F-LIB073", "[F-LIB073] TierRatePercent element must be excluded")
    if norm(fs(p(e, "cbc:ID"))) == "":
        d.fail(e, "F-LIB074", "[F-LIB074] Invalid TaxCategory/ID. Must contain a value.")
    if not (
        (
            (
                eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory1_schemeID)
                or eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory2_schemeID)
            )
            or eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory3_schemeID)
        )
        or eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory4_schemeID)
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
                eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory1_schemeID)
                and not listed(CL.TaxCategory1, fs(p(e, "cbc:ID")))
            )
            or (
                eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory2_schemeID)
                and not listed(CL.TaxCategory2, fs(p(e, "cbc:ID")))
            )
        )
        or (
            eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory3_schemeID)
            and not listed(CL.TaxCategory3, fs(p(e, "cbc:ID")))
        )
    ) or (
        eq(p(e, "cbc:ID/@schemeID"), CL.TaxCategory4_schemeID)
        and not listed(CL.TaxCategory4, fs(p(e, "cbc:ID")))
    ):
        d.fail(
            e,
            "F-LIB309",
            "[F-LIB309] Invalid ID: '"
            + vo(p(e, "cbc:ID"))
            + "'. Must be a value from the codelist",
        )
    if ne(p(e, "cbc:Name"), "") and "nesubl.eu" not in fs(
        pm(rootis(d, "doc:Invoice"), "cbc:ProfileID")
    ):
        d.fail(e, "W-LIB230", "[W-LIB230] Name should only be used within NES profiles")
    if bool(p(e, "cbc:PerUnitAmount")) and bool(p(e, "cbc:Percent")):
        d.fail(e, "F-LIB231", "[F-LIB231] Use either PerUnitAmount or Percent")
    if bool(p(e, "cbc:PerUnitAmount")) and not ne(p(e, "cbc:BaseUnitMeasure"), ""):
        d.fail(e, "F-LIB232", "[F-LIB232] When PerUnitAmount is used, BaseUnitMeasure is mandatory")
    if eq(p(e, "cbc:ID"), "StandardRated") and (
        (fs(p(e, "cbc:Percent")) == "") or (num(fs(p(e, "cbc:Percent"))) == 0)
    ):
        d.fail(
            e,
            "F-LIB382",
            "[F-LIB382] When 'TaxCategory\\ID' = 'StandardRated', 'TaxCategory\\Percent' must be present and greater than 0.00. Found value: '"
            + vo(p(e, "cbc:Percent"))
            + "'.",
        )


def period_check(e: El, d: Doc) -> None:
    """Abstract rule PeriodCheck."""
    if len(p(e, "cbc:DurationMeasure")) != 0:
        d.fail(e, "F-LIB076", "[F-LIB076] DurationMeasure element must be excluded")
    if len(p(e, "cbc:DescriptionCode")) != 0:
        d.fail(e, "F-LIB077", "[F-LIB077] DescriptionCode element must be excluded")
    if bool(p(e, "cbc:StartTime")) and (
        not bool(p(e, "cbc:StartDate")) or eq(p(e, "cbc:StartDate"), "")
    ):
        d.fail(e, "F-LIB078", "[F-LIB078] There must be a StartDate if you have a StartTime")
    if bool(p(e, "cbc:EndTime")) and (not bool(p(e, "cbc:EndDate")) or eq(p(e, "cbc:EndDate"), "")):
        d.fail(e, "F-LIB079", "[F-LIB079] There must be a EndDate if you have a EndTime")
    if (bool(p(e, "cbc:StartDate")) and bool(p(e, "cbc:EndDate"))) and not (
        (
            num(translate(fs(p(e, "cbc:EndDate")), "-", ""))
            > num(translate(fs(p(e, "cbc:StartDate")), "-", ""))
        )
        or (
            num(translate(fs(p(e, "cbc:EndDate")), "-", ""))
            == num(translate(fs(p(e, "cbc:StartDate")), "-", ""))
        )
    ):
        d.fail(e, "F-LIB080", "[F-LIB080] The EndDate must be greater or equal to the startdate")
    if (bool(p(e, "cbc:StartTime")) and bool(p(e, "cbc:EndTime"))) and not (
        (
            num(translate(fs(p(e, "cbc:EndTime")), ":", ""))
            > num(translate(fs(p(e, "cbc:StartTime")), ":", ""))
        )
        or (
            num(translate(fs(p(e, "cbc:EndTime")), ":", ""))
            == num(translate(fs(p(e, "cbc:StartTime")), ":", ""))
        )
    ):
        d.fail(e, "F-LIB081", "[F-LIB081] EndTime must be greater or equal to StartTime")


def language_check(e: El, d: Doc) -> None:
    """Abstract rule LanguageCheck."""
    if len(p(e, "cbc:LocaleCode")) != 0:
        d.fail(e, "F-LIB082", "[F-LIB082] LocaleCode element must be excluded")


def exchange_rate_check(e: El, d: Doc) -> None:
    """Abstract rule ExchangeRateCheck."""
    if (
        bool(p(e, "cac:ForeignExchangeContract"))
        and norm(fs(p(e, "cac:ForeignExchangeContract/cbc:ID"))) == ""
    ):
        d.fail(
            e,
            "F-LIB238",
            "[F-LIB238] Invalid TaxExchangeRate/ForeignExchangeRate/ID. Must contain a value.",
        )
    if norm(fs(p(e, "cbc:SourceCurrencyCode"))) == "":
        d.fail(e, "F-LIB083", "[F-LIB083] Invalid SourceCurrencyCode. Must contain a value")
    if norm(fs(p(e, "cbc:TargetCurrencyCode"))) == "":
        d.fail(e, "F-LIB084", "[F-LIB084] Invalid TargetCurrencyCode. Must contain a value")
    if bool(p(e, "cbc:SourceCurrencyBaseRate")) and (
        fs(p(e, "cbc:SourceCurrencyBaseRate")).startswith("-")
        or gc("=", p(e, "cbc:SourceCurrencyBaseRate"), 0)
    ):
        d.fail(
            e, "F-LIB085", "[F-LIB085] Invalid SourceCurrencyBaseRate. Must not be negative or zero"
        )
    if bool(p(e, "cbc:SourceCurrencyBaseRate")) and (
        len(after(fs(p(e, "cbc:SourceCurrencyBaseRate")), ".")) != 4
    ):
        d.fail(e, "F-LIB086", "[F-LIB086] Invalid SourceCurrencyBaseRate. Must have 4 decimals")
    if bool(p(e, "cbc:TargetCurrencyBaseRate")) and (
        fs(p(e, "cbc:TargetCurrencyBaseRate")).startswith("-")
        or gc("=", p(e, "cbc:TargetCurrencyBaseRate"), 0)
    ):
        d.fail(
            e, "F-LIB087", "[F-LIB087] Invalid TargetCurrencyBaseRate. Must not be negative or zero"
        )
    if bool(p(e, "cbc:TargetCurrencyBaseRate")) and (
        len(after(fs(p(e, "cbc:TargetCurrencyBaseRate")), ".")) != 4
    ):
        d.fail(e, "F-LIB088", "[F-LIB088] Invalid TargetCurrencyBaseRate. Must have 4 decimals")
    if bool(p(e, "cbc:CalculationRate")) and (
        fs(p(e, "cbc:CalculationRate")).startswith("-") or gc("=", p(e, "cbc:CalculationRate"), 0)
    ):
        d.fail(e, "F-LIB089", "[F-LIB089] Invalid CalculationRate. Must not be negative or zero")
    if bool(p(e, "cbc:CalculationRate")) and (
        len(after(fs(p(e, "cbc:CalculationRate")), ".")) != 4
    ):
        d.fail(e, "F-LIB090", "[F-LIB090] Invalid CalculationRate. Must have 4 decimals")
    if ne(p(e, "cbc:MathematicOperatorCode"), "multiply") and ne(
        p(e, "cbc:MathematicOperatorCode"), "divide"
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


def embedded_document_binary_object_check(e: El, d: Doc) -> None:
    """Abstract rule EmbeddedDocumentBinaryObjectCheck."""
    if not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        eq(p(e, "@mimeCode"), "image/tiff")
                                        or eq(p(e, "@mimeCode"), "image/png")
                                    )
                                    or eq(p(e, "@mimeCode"), "image/jpeg")
                                )
                                or eq(p(e, "@mimeCode"), "image/gif")
                            )
                            or eq(p(e, "@mimeCode"), "application/pdf")
                        )
                        or eq(p(e, "@mimeCode"), "text/xml")
                    )
                    or eq(p(e, "@mimeCode"), "text/csv")
                )
                or eq(p(e, "@mimeCode"), "application/vnd.ms-excel")
            )
            or eq(
                p(e, "@mimeCode"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        or eq(p(e, "@mimeCode"), "application/vnd.oasis.opendocument.spreadsheet")
    ):
        d.fail(e, "F-LIB091", "[F-LIB091] Attribute mimeCode must be a value from the codelist")


def document_reference_check(e: El, d: Doc) -> None:
    """Abstract rule DocumentReferenceCheck."""
    if not (bool(p(e, "cbc:DocumentType")) or bool(p(e, "cbc:DocumentTypeCode"))):
        d.fail(e, "F-LIB092", "[F-LIB092] Use either DocumentType or DocumentTypeCode")
    if bool(p(e, "cac:Attachment")) and bool(p(e, "cbc:XPath")):
        d.fail(e, "F-LIB093", "[F-LIB093] Use either Attachment or XPath")
    if bool(p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")) and bool(
        p(e, "cac:Attachment/cac:ExternalReference")
    ):
        d.fail(
            e, "F-LIB095", "[F-LIB095] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(p(e, "cbc:UUID")) and len(fs(p(e, "cbc:UUID"))) != 36:
        d.fail(
            e,
            "F-LIB097",
            "[F-LIB097] Invalid UUID. Must be of this form '6E09886B-DC6E-439F-82D1-7CCAC7F4E3B1'",
        )
    if bool(p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")) and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        eq(
                                            p(
                                                e,
                                                "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                            ),
                                            "image/tiff",
                                        )
                                        or eq(
                                            p(
                                                e,
                                                "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                            ),
                                            "image/png",
                                        )
                                    )
                                    or eq(
                                        p(
                                            e,
                                            "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                        ),
                                        "image/jpeg",
                                    )
                                )
                                or eq(
                                    p(
                                        e,
                                        "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                    ),
                                    "image/gif",
                                )
                            )
                            or eq(
                                p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                                "application/pdf",
                            )
                        )
                        or eq(
                            p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                            "text/xml",
                        )
                    )
                    or eq(
                        p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                        "text/csv",
                    )
                )
                or eq(
                    p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                    "application/vnd.ms-excel",
                )
            )
            or eq(
                p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        or eq(
            p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    ):
        d.fail(e, "F-LIB098", "[F-LIB098] Attribute mimeCode must be a value from the codelist")
    if bool(p(e, "cac:Attachment/cac:ExternalReference")) and not ne(
        p(e, "cac:Attachment/cac:ExternalReference/cbc:URI"), ""
    ):
        d.fail(e, "F-LIB279", "[F-LIB279] When using ExternalReference, URI is mandatory")
    if eq(p(e, "cbc:DocumentTypeCode"), "PersonalSecure") and not listed(
        CL.PersonalSecure, fs(p(e, "cbc:ID"))
    ):
        d.fail(
            e,
            "F-LIB335",
            "[F-LIB335] When DocumentTypeCode equals 'PersonalSecure', the ID must be either '1' or '2'.",
        )


def payment_means_id_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansIDCheck."""
    if not gc("=", pm([d.root], "cac:PaymentMeans/cbc:ID"), p(e, "text()")):
        d.fail(
            e,
            "F-LIB099",
            "[F-LIB099] There must be one PaymentMeans/ID that matches the PaymentMeansID under PaymentTerms",
        )


def tax_representative_party_check(e: El, d: Doc) -> None:
    """Abstract rule TaxRepresentativePartyCheck."""
    if len(p(e, "cbc:WebsiteURI")) != 0:
        d.fail(e, "F-LIB355", "[F-LIB355] WebsiteURI element must be excluded")
    if len(p(e, "cbc:LogoReferenceID")) != 0:
        d.fail(e, "F-LIB356", "[F-LIB356] LogoReferenceID element must be excluded")
    if len(p(e, "cbc:EndpointID")) != 0:
        d.fail(e, "F-LIB357", "[F-LIB357] EndpointID element must be excluded")
    if len(p(e, "cac:PartyIdentification")) != 0:
        d.fail(e, "F-LIB358", "[F-LIB358] PartyIdentification element must be excluded")
    if len(p(e, "cac:Language")) != 0:
        d.fail(e, "F-LIB359", "[F-LIB359] Language element must be excluded")
    if len(p(e, "cac:PhysicalLocation")) != 0:
        d.fail(e, "F-LIB360", "[F-LIB360] PhysicalLocation element must be excluded")
    if len(p(e, "cac:PartyLegalEntity")) != 0:
        d.fail(e, "F-LIB361", "[F-LIB361] PartyLegalEntity element must be excluded")
    if len(p(e, "cac:Contact")) != 0:
        d.fail(e, "F-LIB362", "[F-LIB362] Contact element must be excluded")
    if len(p(e, "cac:Person")) != 0:
        d.fail(e, "F-LIB363", "[F-LIB363] Person element must be excluded")
    if not (
        (bool(p(e, "cac:PartyName")) and bool(p(e, "cac:PartyName/cbc:Name")))
        and (norm(fs(p(e, "cac:PartyName/cbc:Name"))) != "")
    ):
        d.fail(e, "F-LIB353", "[F-LIB353] PartyName/Name is mandatory in TaxRepresentativeParty")
    if not (
        (bool(p(e, "cac:PostalAddress")) and bool(p(e, "cac:PostalAddress/cbc:AddressFormatCode")))
        and (norm(fs(p(e, "cac:PostalAddress/cbc:AddressFormatCode"))) != "")
    ):
        d.fail(
            e,
            "F-LIB354",
            "[F-LIB354] PostalAddress/AddressFormatCode is mandatory in TaxRepresentativeParty",
        )
    if not bool(p(e, "cac:PartyTaxScheme")):
        d.fail(e, "F-LIB371", "[F-LIB371] PartyTaxScheme is mandatory in TaxRepresentativeParty")
    if not (not bool(p(e, "cac:PartyTaxScheme")) or bool(p(e, "cac:PartyTaxScheme/cac:TaxScheme"))):
        d.fail(
            e,
            "F-LIB372",
            "[F-LIB372] PartyTaxScheme/TaxScheme is mandatory in TaxRepresentativeParty",
        )


def payment_means_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCheck."""
    # extends CardAccountCheck: not defined in the published rules
    if len(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cac:Address")) != 0:
        d.fail(e, "F-LIB151", "[F-LIB151] Address class must be excluded")
    if len(p(e, "cac:PayerFinancialAccount/cac:Country")) != 0:
        d.fail(e, "F-LIB162", "[F-LIB162] Country class must be excluded")
    if (
        len(
            p(
                e,
                "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cac:Address",
            )
        )
        != 0
    ):
        d.fail(e, "F-LIB243", "[F-LIB243] Address class must be excluded")
    if len(p(e, "cac:PayeeFinancialAccount/cac:Country")) != 0:
        d.fail(e, "F-LIB244", "[F-LIB244] Country class must be excluded")
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
                                                eq(p(e, "cbc:PaymentMeansCode"), "1")
                                                or eq(p(e, "cbc:PaymentMeansCode"), "10")
                                            )
                                            or eq(p(e, "cbc:PaymentMeansCode"), "20")
                                        )
                                        or eq(p(e, "cbc:PaymentMeansCode"), "31")
                                    )
                                    or eq(p(e, "cbc:PaymentMeansCode"), "42")
                                )
                                or eq(p(e, "cbc:PaymentMeansCode"), "48")
                            )
                            or eq(p(e, "cbc:PaymentMeansCode"), "49")
                        )
                        or eq(p(e, "cbc:PaymentMeansCode"), "50")
                    )
                    or eq(p(e, "cbc:PaymentMeansCode"), "58")
                )
                or eq(p(e, "cbc:PaymentMeansCode"), "59")
            )
            or eq(p(e, "cbc:PaymentMeansCode"), "93")
        )
        or eq(p(e, "cbc:PaymentMeansCode"), "97")
    ):
        d.fail(
            e, "F-LIB100", "[F-LIB100] Invalid PaymentMeansCode. Must be a value from the codelist"
        )
    if (len(p(e, "../cac:PaymentMeans")) > 1) and not ne(p(e, "cbc:ID"), ""):
        d.fail(
            e,
            "W-LIB241",
            "[W-LIB241] PaymentMeans/ID should be used when more than one instance of the PaymentMeans class is present.",
        )
    if bool(p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode")) and not eq(
        p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode/@listID"),
        "urn:oioubl:codelist:accounttypecode-1.1",
    ):
        d.fail(
            e,
            "F-LIB105",
            "[F-LIB105] Invalid listID. Must be 'urn:oioubl:codelist:accounttypecode-1.1'",
        )
    if bool(p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode")) and not eq(
        p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode/@listAgencyID"), "320"
    ):
        d.fail(e, "W-LIB121", "[W-LIB121] Invalid listAgencyID. Must be '320'")
    if bool(p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode")) and not eq(
        p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode/@listID"),
        "urn:oioubl:codelist:accounttypecode-1.1",
    ):
        d.fail(
            e,
            "F-LIB136",
            "[F-LIB136] Invalid listID. Must be 'urn:oioubl:codelist:accounttypecode-1.1'",
        )
    if bool(p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode")) and not eq(
        p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode/@listAgencyID"), "320"
    ):
        d.fail(e, "W-LIB141", "[W-LIB141] Invalid listAgencyID. Must be '320'")


def payment_means_code31_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode31Check."""
    if eq(p(e, "cbc:PaymentMeansCode"), "31") and bool(p(e, "cbc:InstructionNote")):
        d.fail(
            e, "F-LIB103", "[F-LIB103] PaymentMeansCode = 31, InstructionNote element not allowed"
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "31") and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB106",
            "[F-LIB106] PaymentMeansCode = 31, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "31") and not bool(
        p(e, "cac:PayeeFinancialAccount/cbc:ID")
    ):
        d.fail(e, "F-LIB107", "[F-LIB107] PaymentMeansCode = 31, ID element is mandatory")
    if eq(p(e, "cbc:PaymentMeansCode"), "31") and not (
        eq(p(e, "cbc:PaymentChannelCode"), "IBAN") or eq(p(e, "cbc:PaymentChannelCode"), "ZZZ")
    ):
        d.fail(
            e,
            "F-LIB109",
            "[F-LIB109] PaymentMeansCode = 31, PaymentChannelCode must equal IBAN or ZZZ",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "31") and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB110",
            "[F-LIB110] PaymentMeansCode = 31, PaymentNote must be no more than 20 characters",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "31") and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB111",
            "[F-LIB111] PaymentMeansCode = 31, PaymentNote must be no more than 20 characters",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "31") and (
        len(fs(p(e, "cac:CreditAccount/cbc:AccountID"))) > 8
    ):
        d.fail(
            e,
            "F-LIB112",
            "[F-LIB112] PaymentMeansCode = 31, AccountID must be no more than 8 characters",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "31") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")
    ) and bool(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")):
        d.fail(
            e,
            "F-LIB108",
            "[F-LIB108] PaymentMeansCode = 31, FinancialInstitutionBranch/ID (Registreringsnummer) element is not used, when PaymentChannelCode equals IBAN",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "31") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")
    ) and not bool(
        p(
            e,
            "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID",
        )
    ):
        d.fail(e, "F-LIB113", "[F-LIB113] PaymentMeansCode = 31, ID element is mandatory")
    if (eq(p(e, "cbc:PaymentMeansCode"), "31") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")) and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:ID"))) > 34
    ):
        d.fail(
            e,
            "F-LIB114",
            "[F-LIB114] PaymentMeansCode = 31, Account ID must be no more than 34 characters",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "31") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")) and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:ID"))) < 1
    ):
        d.fail(
            e, "F-LIB115", "[F-LIB115] PaymentMeansCode = 31, Account ID must must not be empty."
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "31") and eq(p(e, "cbc:PaymentChannelCode"), "ZZZ")
    ) and not bool(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")):
        d.fail(
            e,
            "F-LIB276",
            "[F-LIB276] PaymentMeansCode = 31, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory, when PaymentChannelCode equals ZZZ",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "31") and eq(p(e, "cbc:PaymentChannelCode"), "ZZZ")
    ) and not bool(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:Name")):
        d.fail(
            e,
            "F-LIB116",
            "[F-LIB116] PaymentMeansCode = 31, FinancialInstitutionBranch/Name element is mandatory",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "31") and eq(p(e, "cbc:PaymentChannelCode"), "ZZZ")
    ) and not bool(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:Address")):
        d.fail(
            e,
            "F-LIB117",
            "[F-LIB117] PaymentMeansCode = 31, FinancialInstitutionBranch/Address class is mandatory",
        )


def payment_means_code42_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode42Check."""
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and bool(p(e, "cac:CreditAccount")):
        d.fail(e, "F-LIB122", "[F-LIB122] PaymentMeansCode = 42, CreditAccount class not allowed")
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and bool(p(e, "cbc:InstructionNote")):
        d.fail(
            e, "F-LIB119", "[F-LIB119] PaymentMeansCode = 42, InstructionNote element not allowed"
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB123",
            "[F-LIB123] PaymentMeansCode = 42, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and ne(p(e, "cbc:PaymentChannelCode"), "DK:BANK"):
        d.fail(
            e, "F-LIB128", "[F-LIB128] PaymentMeansCode = 42, PaymentChannelCode must equal DK:BANK"
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB129",
            "[F-LIB129] PaymentMeansCode = 42, PaymentNote must be no more than 20 characters",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB133",
            "[F-LIB133] PaymentMeansCode = 42, PaymentNote must be no more than 20 characters",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "42")
        and bool(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch"))
    ) and not bool(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")):
        d.fail(
            e,
            "F-LIB124",
            "[F-LIB124] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and not bool(p(e, "cac:PayeeFinancialAccount")):
        d.fail(
            e,
            "F-LIB125",
            "[F-LIB125] PaymentMeansCode = 42, PayeeFinancialAccount class is mandatory",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and not bool(
        p(e, "cac:PayeeFinancialAccount/cbc:ID")
    ):
        d.fail(e, "F-LIB126", "[F-LIB126] PaymentMeansCode = 42, Account ID element is mandatory")
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and not bool(
        p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")
    ):
        d.fail(
            e,
            "F-LIB127",
            "[F-LIB127] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and (
        len(fs(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"))) > 4
    ):
        d.fail(
            e,
            "F-LIB130",
            "[F-LIB130] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) must be no more than 4 numerical characters",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:ID"))) > 10
    ):
        d.fail(
            e,
            "F-LIB131",
            "[F-LIB131] PaymentMeansCode = 42, Account ID must be no more than 10 characters",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"))) > 4
    ):
        d.fail(
            e,
            "F-LIB132",
            "[F-LIB132] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) must be no more than 4 numerical characters",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "42") and not nb(
        num(fs(p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")))
    ):
        d.fail(
            e,
            "F-LIB311",
            "[F-LIB311] FinancialInstitutionBranch/ID (Registreringsnummer) must contain a numerical value",
        )


def payment_means_code48_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode48Check."""
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cbc:PaymentChannelCode")):
        d.fail(
            e,
            "F-LIB365",
            "[F-LIB365] When PaymentMeansCode is '48', PaymentChannelCode class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cbc:InstructionID")):
        d.fail(
            e,
            "F-LIB366",
            "[F-LIB366] When PaymentMeansCode is '48', InstructionID class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cbc:InstructionNote")):
        d.fail(
            e,
            "F-LIB367",
            "[F-LIB367] When PaymentMeansCode is '48', InstructionNote class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:PayerFinancialAccount")):
        d.fail(
            e,
            "F-LIB368",
            "[F-LIB368] When PaymentMeansCode is '48', PayerFinancialAccount class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:PayeeFinancialAccount")):
        d.fail(
            e,
            "F-LIB369",
            "[F-LIB369] When PaymentMeansCode is '48', PayeeFinancialAccount class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:CreditAccount")):
        d.fail(
            e,
            "F-LIB370",
            "[F-LIB370] When PaymentMeansCode is '48', CreditAccount class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and not bool(p(e, "cac:CardAccount")):
        d.fail(
            e,
            "F-LIB342",
            "[F-LIB342] When PaymentMeansCode is '48', the CardAccount class must be used",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:CardAccount/cbc:CardTypeCode")):
        d.fail(
            e,
            "F-LIB343",
            "[F-LIB343] When PaymentMeansCode is '48', CardAccount/CardTypeCode class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(
        p(e, "cac:CardAccount/cbc:ValidityStartDate")
    ):
        d.fail(
            e,
            "F-LIB344",
            "[F-LIB344] When PaymentMeansCode is '48', CardAccount/ValidityStartDate class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:CardAccount/cbc:ExpiryDate")):
        d.fail(
            e,
            "F-LIB345",
            "[F-LIB345] When PaymentMeansCode is '48', CardAccount/ExpiryDate class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:CardAccount/cbc:IssuerID")):
        d.fail(
            e,
            "F-LIB346",
            "[F-LIB346] When PaymentMeansCode is '48', CardAccount/IssuerID class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:CardAccount/cbc:IssueNumberID")):
        d.fail(
            e,
            "F-LIB347",
            "[F-LIB347] When PaymentMeansCode is '48', CardAccount/IssueNumberID class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:CardAccount/cbc:CV2ID")):
        d.fail(
            e,
            "F-LIB348",
            "[F-LIB348] When PaymentMeansCode is '48', CardAccount/CV2ID class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(p(e, "cac:CardAccount/cbc:CardChipCode")):
        d.fail(
            e,
            "F-LIB349",
            "[F-LIB349] When PaymentMeansCode is '48', CardAccount/CardChipCode class must be excluded",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "48") and bool(
        p(e, "cac:CardAccount/cbc:ChipApplicationID")
    ):
        d.fail(
            e,
            "F-LIB350",
            "[F-LIB350] When PaymentMeansCode is '48', CardAccount/ChipApplicationID class must be excluded",
        )


def payment_means_code49_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode49Check."""
    if eq(p(e, "cbc:PaymentMeansCode"), "49") and bool(p(e, "cbc:InstructionNote")):
        d.fail(
            e, "F-LIB135", "[F-LIB135] PaymentMeansCode = 49, InstructionNote element not allowed"
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "49") and bool(p(e, "cac:CreditAccount")):
        d.fail(e, "F-LIB137", "[F-LIB137] PaymentMeansCode = 49, CreditAccount class not allowed")
    if (eq(p(e, "cbc:PaymentMeansCode"), "49") and bool(p(e, "cbc:PaymentChannelCode"))) and bool(
        p(e, "cbc:InstructionID")
    ):
        d.fail(
            e,
            "F-LIB134",
            "[F-LIB134] PaymentMeansCode = 49, Use either PaymentChannelCode or InstructionID element",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "49") and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB288",
            "[F-LIB288] PaymentMeansCode = 49, PaymentNote must be no more than 20 characters",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "49") and bool(p(e, "cbc:PaymentChannelCode"))) and not (
        eq(p(e, "cbc:PaymentChannelCode"), "IBAN") or eq(p(e, "cbc:PaymentChannelCode"), "DK:BANK")
    ):
        d.fail(
            e,
            "F-LIB289",
            "[F-LIB289] PaymentMeansCode = 49, If present, PaymentChannelCode must equal IBAN or DK:BANK",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "49") and (len(fs(p(e, "cbc:InstructionID"))) > 60):
        d.fail(
            e,
            "F-LIB140",
            "[F-LIB140] PaymentMeansCode = 49, InstructionID must be no more than 60 characters",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "49") and eq(p(e, "cbc:PaymentChannelCode"), "DK:BANK")
    ) and (len(fs(p(e, "cac:PayerFinancialAccount/cbc:ID"))) != 10):
        d.fail(
            e,
            "F-LIB290",
            "[F-LIB290] PaymentMeansCode = 49, For DK:BANK, Account ID must be 10 characters",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "49") and eq(p(e, "cbc:PaymentChannelCode"), "DK:BANK")
    ) and (len(fs(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"))) != 4):
        d.fail(
            e,
            "F-LIB291",
            "[F-LIB291] PaymentMeansCode = 49, For DK:BANK, FinancialInstitutionBranch/ID (Registreringsnummer) must be 4 numerical characters",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "49") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")) and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:ID"))) > 34
    ):
        d.fail(
            e,
            "F-LIB292",
            "[F-LIB292] PaymentMeansCode = 49, For IBAN, Account ID must be no more than 34 characters",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "49") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")) and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:ID"))) < 18
    ):
        d.fail(
            e,
            "F-LIB293",
            "[F-LIB293] PaymentMeansCode = 49, For IBAN, Account ID must be at least 18 characters",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "49") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")
    ) and bool(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")):
        d.fail(
            e,
            "F-LIB294",
            "[F-LIB294] PaymentMeansCode = 49, FinancialInstitutionBranch/ID (Registreringsnummer) element is not used, when PaymentChannelCode equals IBAN",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "49") and eq(p(e, "cbc:PaymentChannelCode"), "IBAN")
    ) and not bool(
        p(
            e,
            "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID",
        )
    ):
        d.fail(e, "F-LIB295", "[F-LIB295] PaymentMeansCode = 49, For IBAN, ID element is mandatory")


def payment_means_code50_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode50Check."""
    if eq(p(e, "cbc:PaymentMeansCode"), "50") and bool(p(e, "cac:CreditAccount")):
        d.fail(e, "F-LIB142", "[F-LIB142] PaymentMeansCode = 50, CreditAccount class not allowed")
    if eq(p(e, "cbc:PaymentMeansCode"), "50") and not bool(p(e, "cbc:PaymentID")):
        d.fail(e, "F-LIB144", "[F-LIB144] PaymentMeansCode = 50, PaymentID element is mandatory")
    if eq(p(e, "cbc:PaymentMeansCode"), "50") and not bool(p(e, "cac:PayeeFinancialAccount")):
        d.fail(
            e,
            "F-LIB319",
            "[F-LIB319] PaymentMeansCode = 50, PayeeFinancialAccount class is mandatory.",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "50") and not bool(
        p(e, "cac:PayeeFinancialAccount/cbc:ID")
    ):
        d.fail(
            e,
            "F-LIB320",
            "[F-LIB320] PaymentMeansCode = 50, PayeeFinancialAccount.ID element is mandatory.",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "50")
        and (eq(p(e, "cbc:PaymentID"), "04") or eq(p(e, "cbc:PaymentID"), "15"))
    ) and not bool(p(e, "cbc:InstructionID")):
        d.fail(
            e,
            "F-LIB145",
            "[F-LIB145] PaymentMeansCode = 50, InstructionID is mandatory when PaymentID equals 04 or 15",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "50") and bool(p(e, "cbc:PaymentChannelCode"))) and ne(
        p(e, "cbc:PaymentChannelCode"), "DK:GIRO"
    ):
        d.fail(
            e, "F-LIB146", "[F-LIB146] PaymentMeansCode = 50, PaymentChannelCode must equal DK:GIRO"
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "50") and bool(p(e, "cbc:PaymentChannelCode"))) and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB143",
            "[F-LIB143] PaymentMeansCode = 50, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "50") and not (
        (eq(p(e, "cbc:PaymentID"), "01") or eq(p(e, "cbc:PaymentID"), "04"))
        or eq(p(e, "cbc:PaymentID"), "15")
    ):
        d.fail(e, "F-LIB147", "[F-LIB147] PaymentMeansCode = 50, PaymentID must equal 01, 04 or 15")
    if (eq(p(e, "cbc:PaymentMeansCode"), "50") and bool(p(e, "cbc:InstructionNote"))) and not eq(
        p(e, "cbc:PaymentID"), "01"
    ):
        d.fail(
            e,
            "F-LIB148",
            "[F-LIB148] PaymentMeansCode = 50, InstructionNote only allowed if PaymentID equals 01",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "50") and (len(fs(p(e, "cbc:InstructionID"))) > 16):
        d.fail(
            e,
            "F-LIB149",
            "[F-LIB149] PaymentMeansCode = 50, InstructionID must be no more than 16 characters",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "50") and (
        (eq(p(e, "cbc:PaymentID"), "04") or eq(p(e, "cbc:PaymentID"), "15"))
        and eq(p(e, "cbc:InstructionID"), "")
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
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "50") or eq(p(e, "cbc:PaymentChannelCode"), "DK:GIRO")
    ) and (
        (
            (len(fs(p(e, "cac:PayeeFinancialAccount/cbc:ID"))) < 7)
            or (len(fs(p(e, "cac:PayeeFinancialAccount/cbc:ID"))) > 8)
        )
        or (nstr(num(fs(p(e, "cac:PayeeFinancialAccount/cbc:ID")))) == "NaN")
    ):
        d.fail(
            e,
            "F-LIB321",
            "[F-LIB321] PaymentMeansCode = 50 or PaymentChannelCode = DK:GIRO, PayeeFinancialAccount.ID must consist of 7 or 8 numerical characters.",
        )


def payment_means_code58_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode58Check."""
    if eq(p(e, "cbc:PaymentMeansCode"), "58") and (
        not bool(p(e, "cac:PayeeFinancialAccount/cbc:ID"))
        or (norm(fs(p(e, "cac:PayeeFinancialAccount/cbc:ID"))) == "")
    ):
        d.fail(
            e, "F-LIB377", "[F-LIB377] PaymentMeansCode = 58, PayeeFinancialAccount.ID must be used"
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "58") and bool(p(e, "cbc:PaymentChannelCode"))) and not eq(
        p(e, "cbc:PaymentChannelCode"), "IBAN"
    ):
        d.fail(
            e,
            "F-LIB379",
            "[F-LIB379] PaymentMeansCode = 58, when PaymentChannelCode is used it must be 'IBAN'.",
        )


def payment_means_code59_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode59Check."""
    if (eq(p(e, "cbc:PaymentMeansCode"), "59") and bool(p(e, "cbc:PaymentChannelCode"))) and not eq(
        p(e, "cbc:PaymentChannelCode"), "IBAN"
    ):
        d.fail(
            e,
            "F-LIB380",
            "[F-LIB380] PaymentMeansCode = 59, when PaymentChannelCode is used it must be 'IBAN'.",
        )


def payment_means_code93_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode93Check."""
    if eq(p(e, "cbc:PaymentMeansCode"), "93") and not bool(p(e, "cbc:PaymentID")):
        d.fail(e, "F-LIB152", "[F-LIB152] PaymentMeansCode = 93, PaymentID element is mandatory")
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "93")
        and (eq(p(e, "cbc:PaymentID"), "71") or eq(p(e, "cbc:PaymentID"), "75"))
    ) and not bool(p(e, "cbc:InstructionID")):
        d.fail(
            e,
            "F-LIB153",
            "[F-LIB153] PaymentMeansCode = 93, InstructionID is mandatory when PaymentID equals 71 or 75",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "93") and bool(p(e, "cbc:PaymentChannelCode"))) and ne(
        p(e, "cbc:PaymentChannelCode"), "DK:FIK"
    ):
        d.fail(
            e, "F-LIB277", "[F-LIB277] PaymentMeansCode = 93, PaymentChannelCode must equal DK:FIK"
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "93") and bool(p(e, "cbc:PaymentChannelCode"))) and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB278",
            "[F-LIB278] PaymentMeansCode = 93, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "93") and bool(p(e, "cbc:InstructionNote"))) and not (
        eq(p(e, "cbc:PaymentID"), "73") or eq(p(e, "cbc:PaymentID"), "75")
    ):
        d.fail(
            e,
            "F-LIB154",
            "[F-LIB154] PaymentMeansCode = 93, InstructionNote only allowed if PaymentID equals 73 or 75",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "93") and not (
        (eq(p(e, "cbc:PaymentID"), "71") or eq(p(e, "cbc:PaymentID"), "73"))
        or eq(p(e, "cbc:PaymentID"), "75")
    ):
        d.fail(e, "F-LIB155", "[F-LIB155] PaymentMeansCode = 93, PaymentID must equal 71, 73 or 75")
    if (eq(p(e, "cbc:PaymentMeansCode"), "93") and eq(p(e, "cbc:PaymentID"), "71")) and (
        len(fs(p(e, "cbc:InstructionID"))) != 15
    ):
        d.fail(
            e,
            "F-LIB156",
            "[F-LIB156] PaymentMeansCode = 93, InstructionID must be equal to 15 characters (when PaymentID equals 71)",
        )
    if (eq(p(e, "cbc:PaymentMeansCode"), "93") and eq(p(e, "cbc:PaymentID"), "75")) and (
        len(fs(p(e, "cbc:InstructionID"))) != 16
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
    if (eq(p(e, "cbc:PaymentMeansCode"), "93") and eq(p(e, "cbc:PaymentID"), "73")) and bool(
        p(e, "cbc:InstructionID")
    ):
        d.fail(
            e,
            "F-LIB275",
            "[F-LIB275] PaymentMeansCode = 93, InstructionID only allowed if PaymentID equals 71 or 75",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "93") and (
        len(fs(p(e, "cac:CreditAccount/cbc:AccountID"))) != 8
    ):
        d.fail(e, "F-LIB305", "[F-LIB305] PaymentMeansCode = 93, AccountID must be 8 characters")


def payment_means_code97_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode97Check."""
    if (eq(p(e, "cbc:PaymentMeansCode"), "97") and bool(p(e, "cbc:PaymentChannelCode"))) and not eq(
        p(e, "cbc:PaymentChannelCode"), "DK:NEMKONTO"
    ):
        d.fail(
            e,
            "F-LIB158",
            '[F-LIB158] PaymentMeansCode = 97, PaymentChannelCode element only allowed with value = "DK:NEMKONTO"',
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "97") and bool(p(e, "cbc:InstructionID")):
        d.fail(e, "F-LIB159", "[F-LIB159] PaymentMeansCode = 97, InstructionID element not allowed")
    if eq(p(e, "cbc:PaymentMeansCode"), "97") and bool(p(e, "cbc:InstructionNote")):
        d.fail(
            e, "F-LIB160", "[F-LIB160] PaymentMeansCode = 97, InstructionNote element not allowed"
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "97") and bool(p(e, "cbc:PaymentID")):
        d.fail(e, "F-LIB161", "[F-LIB161] PaymentMeansCode = 97, PaymentID element not allowed")
    if eq(p(e, "cbc:PaymentMeansCode"), "97") and bool(p(e, "cac:PayerFinancialAccount")):
        d.fail(
            e,
            "F-LIB163",
            "[F-LIB163] PaymentMeansCode = 97, PayerFinancialAccount class not allowed",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "97") and bool(p(e, "cac:PayeeFinancialAccount")):
        d.fail(
            e,
            "F-LIB164",
            "[F-LIB164] PaymentMeansCode = 97, PayeeFinancialAccount class not allowed",
        )
    if eq(p(e, "cbc:PaymentMeansCode"), "97") and bool(p(e, "cac:CreditAccount")):
        d.fail(e, "F-LIB165", "[F-LIB165] PaymentMeansCode = 97, CreditAccount class not allowed")


def payment_terms_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentTermsCheck."""
    if (len(p(e, "../cac:PaymentTerms")) > 1) and not ne(p(e, "cbc:ID"), ""):
        d.fail(
            e,
            "W-LIB245",
            "[W-LIB245]: ID should be used when more than one instance of the PaymentTerms class is present",
        )
    if eq(p(e, "cbc:ID"), "Factoring") and not ne(p(e, "cbc:Note"), ""):
        d.fail(
            e,
            "F-LIB246",
            "[F-LIB246] when ID equals 'Factoring', Note element is mandatory (factoring note)",
        )
    if len(p(e, "cbc:Note")) > 1:
        d.fail(e, "F-LIB247", "[F-LIB247] No more than one Note element may be present")


def party_excluded_check(e: El, d: Doc) -> None:
    """Abstract rule PartyExcludedCheck."""
    if len(p(e, "cbc:MarkCareIndicator")) != 0:
        d.fail(e, "F-LIB166", "[F-LIB166] MarkCareIndicator element must be excluded")
    if len(p(e, "cbc:MarkAttentionIndicator")) != 0:
        d.fail(e, "F-LIB167", "[F-LIB167] MarkAttentionIndicator element must be excluded")
    if len(p(e, "cac:AgentParty")) != 0:
        d.fail(e, "F-LIB168", "[F-LIB168] AgentParty class must be excluded")


def known_document_reference_check(e: El, d: Doc) -> None:
    """Abstract rule KnownDocumentReferenceCheck."""
    if len(p(e, "cbc:DocumentType")) != 0:
        d.fail(e, "F-LIB170", "[F-LIB170] DocumentType element must be excluded")
    if len(p(e, "cbc:DocumentTypeCode")) != 0:
        d.fail(e, "F-LIB172", "[F-LIB172] DocumentTypeCode element must be excluded")
    if bool(p(e, "cac:Attachment")) and bool(p(e, "cbc:XPath")):
        d.fail(e, "F-LIB169", "[F-LIB169] Use either Attachment or XPath")
    if bool(p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")) and bool(
        p(e, "cac:Attachment/cac:ExternalReference")
    ):
        d.fail(
            e, "F-LIB171", "[F-LIB171] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(p(e, "cbc:UUID")) and len(fs(p(e, "cbc:UUID"))) != 36:
        d.fail(
            e,
            "F-LIB173",
            "[F-LIB173] Invalid UUID. Must be of this form '6E09886B-DC6E-439F-82D1-7CCAC7F4E3B1'",
        )
    if bool(p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")) and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        eq(
                                            p(
                                                e,
                                                "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                            ),
                                            "image/tiff",
                                        )
                                        or eq(
                                            p(
                                                e,
                                                "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                            ),
                                            "image/png",
                                        )
                                    )
                                    or eq(
                                        p(
                                            e,
                                            "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                        ),
                                        "image/jpeg",
                                    )
                                )
                                or eq(
                                    p(
                                        e,
                                        "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
                                    ),
                                    "image/gif",
                                )
                            )
                            or eq(
                                p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                                "application/pdf",
                            )
                        )
                        or eq(
                            p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                            "text/xml",
                        )
                    )
                    or eq(
                        p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                        "text/csv",
                    )
                )
                or eq(
                    p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                    "application/vnd.ms-excel",
                )
            )
            or eq(
                p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        or eq(
            p(e, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    ):
        d.fail(e, "F-LIB174", "[F-LIB174] Attribute mimeCode must be a value from the codelist")
    if bool(p(e, "cac:Attachment/cac:ExternalReference")) and not ne(
        p(e, "cac:Attachment/cac:ExternalReference/cbc:URI"), ""
    ):
        d.fail(e, "F-LIB096", "[F-LIB096] When using ExternalReference, URI is mandatory")


def default_item_identification_check(e: El, d: Doc) -> None:
    """Abstract rule DefaultItemIdentificationCheck."""
    if len(p(e, "cac:PhysicalAttribute")) != 0:
        d.fail(e, "F-LIB175", "[F-LIB175] PhysicalAttribute class must be excluded")
    if len(p(e, "cac:MeasurementDimension")) != 0:
        d.fail(e, "F-LIB176", "[F-LIB176] MeasurementDimension class must be excluded")
    if norm(fs(p(e, "cbc:ID"))) == "":
        d.fail(e, "F-LIB177", "[F-LIB177] Invalid ItemIdentification/ID. Must contain a value.")


def item_identification_type2_check(e: El, d: Doc) -> None:
    """Abstract rule ItemIdentificationType2Check."""
    if len(p(e, "cac:PhysicalAttribute")) != 0:
        d.fail(e, "F-LIB280", "[F-LIB280] PhysicalAttribute class must be excluded")
    if len(p(e, "cac:MeasurementDimension")) != 0:
        d.fail(e, "F-LIB281", "[F-LIB281] MeasurementDimension class must be excluded")
    if len(p(e, "cac:IssuerParty")) != 0:
        d.fail(e, "F-LIB282", "[F-LIB282] IssuerParty class must be excluded")
    if norm(fs(p(e, "cbc:ID"))) == "":
        d.fail(e, "F-LIB283", "[F-LIB283] Invalid ItemIdentification/ID. Must contain a value.")


def endpoint_id_check(e: El, d: Doc) -> None:
    """Abstract rule EndpointIDCheck."""
    if bool(p(e, "cbc:EndpointID")) and not listed(
        CL.EndpointID_schemeID, fs(p(e, "cbc:EndpointID/@schemeID"))
    ):
        d.fail(
            e,
            "F-LIB179",
            "[F-LIB179] Invalid schemeID: '"
            + vo(p(e, "cbc:EndpointID/@schemeID"))
            + "'. Must be a value from the codelist: '"
            + vo(CL.EndpointID_schemeID)
            + "'",
        )
    if eq(p(e, "cbc:EndpointID/@schemeID"), "DK:CVR") and (
        (len(fs(p(e, "cbc:EndpointID"))) != 10)
        or (substr(fs(p(e, "cbc:EndpointID")), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB180",
            "[F-LIB180] schemeID = DK:CVR, EndpointID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(p(e, "cbc:EndpointID"))
            + "')",
        )
    if eq(p(e, "cbc:EndpointID/@schemeID"), "GLN") and len(fs(p(e, "cbc:EndpointID"))) != 13:
        d.fail(
            e,
            "F-LIB181",
            "[F-LIB181] schemeID = GLN, EndpointID must be a valid GLN number (like '1234567890123', value found: '"
            + vo(p(e, "cbc:EndpointID"))
            + "')",
        )
    if eq(p(e, "cbc:EndpointID/@schemeID"), "EAN") and len(fs(p(e, "cbc:EndpointID"))) != 13:
        d.fail(
            e,
            "F-LIB216",
            "[F-LIB216] schemeID = EAN, EndpointID must be a valid EAN number (like '1234567890123', value found: '"
            + vo(p(e, "cbc:EndpointID"))
            + "')",
        )


def party_identification_check(e: El, d: Doc) -> None:
    """Abstract rule PartyIdentificationCheck."""
    if not listed(CL.PartyID_schemeID, fs(p(e, "cbc:ID/@schemeID"))):
        d.fail(
            e,
            "F-LIB183",
            "[F-LIB183] Invalid schemeID: '"
            + vo(p(e, "cbc:ID/@schemeID"))
            + "'. Must be a value from the codelist: '"
            + vo(CL.PartyID_schemeID)
            + "'",
        )
    if eq(p(e, "cbc:ID/@schemeID"), "DK:CVR") and (
        (len(fs(p(e, "cbc:ID"))) != 10) or (substr(fs(p(e, "cbc:ID")), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB184",
            "[F-LIB184] schemeID = DK:CVR, ID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(p(e, "cbc:ID"))
            + "')",
        )
    if eq(p(e, "cbc:ID/@schemeID"), "DK:CPR") and len(fs(p(e, "cbc:ID"))) != 10:
        d.fail(
            e,
            "F-LIB217",
            "[F-LIB217] schemeID = DK:CPR, ID must be a valid CPR number (like '1234560000', value found: '"
            + vo(p(e, "cbc:ID"))
            + "')",
        )
    if eq(p(e, "cbc:ID/@schemeID"), "GLN") and len(fs(p(e, "cbc:ID"))) != 13:
        d.fail(
            e,
            "F-LIB185",
            "[F-LIB185] schemeID = GLN, ID must be a valid GLN number (like '1234567890123', value found: '"
            + vo(p(e, "cbc:ID"))
            + "')",
        )
    if eq(p(e, "cbc:ID/@schemeID"), "EAN") and len(fs(p(e, "cbc:ID"))) != 13:
        d.fail(
            e,
            "F-LIB218",
            "[F-LIB218] schemeID = EAN, ID must be a valid EAN number (like '1234567890123', value found: '"
            + vo(p(e, "cbc:ID"))
            + "')",
        )
    if eq(p(e, "cbc:ID/@schemeID"), "DK:P") and len(fs(p(e, "cbc:ID"))) != 10:
        d.fail(
            e,
            "F-LIB287",
            "[F-LIB287] schemeID = DK:P, ID must be a valid P number (like '1234567890', value found: '"
            + vo(p(e, "cbc:ID"))
            + "')",
        )


def party_legal_entity_check(e: El, d: Doc) -> None:
    """Abstract rule PartyLegalEntityCheck."""
    if len(p(e, "cac:CorporateRegistrationScheme")) != 0:
        d.fail(e, "F-LIB186", "[F-LIB186] CorporateRegistrationScheme class must be excluded")
    if norm(fs(p(e, "cbc:CompanyID"))) == "":
        d.fail(e, "F-LIB187", "[F-LIB187] Invalid CompanyID. Must contain a value")
    if not (
        ne(p(e, "cbc:CompanyID/@schemeID"), "")
        and listed(CL.PartyLegalID, fs(p(e, "cbc:CompanyID/@schemeID")))
    ):
        d.fail(
            e,
            "F-LIB189",
            "[F-LIB189] Invalid schemeID. Must be a valid scheme for PartyLegalEntity/CompanyID",
        )
    if eq(p(e, "cbc:CompanyID/@schemeID"), "DK:CVR") and (
        (len(norm(fs(p(e, "cbc:CompanyID")))) != 10)
        or (substr(fs(p(e, "cbc:CompanyID")), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB190",
            "[F-LIB190] schemeID = DK:CVR, CompanyID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(p(e, "cbc:CompanyID"))
            + "')",
        )
    if eq(p(e, "cbc:CompanyID/@schemeID"), "DK:CPR") and len(fs(p(e, "cbc:CompanyID"))) != 10:
        d.fail(
            e,
            "F-LIB191",
            "[F-LIB191] schemeID = DK:CPR, CompanyID must be a valid CPR number (like '1234560000', value found: '"
            + vo(p(e, "cbc:CompanyID"))
            + "')",
        )


def party_tax_scheme_check(e: El, d: Doc) -> None:
    """Abstract rule PartyTaxSchemeCheck."""
    if len(p(e, "cbc:TaxLevelCode")) != 0:
        d.fail(e, "F-LIB192", "[F-LIB192] TaxLevelCode element must be excluded")
    if norm(fs(p(e, "cbc:CompanyID"))) == "":
        d.fail(e, "F-LIB193", "[F-LIB193] Invalid CompanyID. Must contain a value")
    if not (
        eq(p(e, "cbc:CompanyID/@schemeID"), "DK:SE") or eq(p(e, "cbc:CompanyID/@schemeID"), "ZZZ")
    ):
        d.fail(
            e,
            "F-LIB195",
            "[F-LIB195] Invalid schemeID. Must be a valid scheme for PartyTaxScheme/CompanyID",
        )
    if eq(p(e, "cbc:CompanyID/@schemeID"), "DK:SE") and (
        (len(norm(fs(p(e, "cbc:CompanyID")))) != 10)
        or (substr(fs(p(e, "cbc:CompanyID")), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB196",
            "[F-LIB196] schemeID = DK:SE, CompanyID must be a valid SE number (like 'DK12345678', value found: '"
            + vo(p(e, "cbc:CompanyID"))
            + "')",
        )


def allowance_charge_top_check(e: El, d: Doc) -> None:
    """Abstract rule AllowanceChargeTopCheck."""
    if len(p(e, "cac:TaxTotal")) != 0:
        d.fail(e, "F-LIB224", "[F-LIB224] TaxTotal class must be excluded")
    if len(p(e, "cac:PaymentMeans")) != 0:
        d.fail(e, "F-LIB225", "[F-LIB225] PaymentMeans class must be excluded")
    if len(p(e, "cac:TaxCategory")) != 1:
        d.fail(e, "F-LIB226", "[F-LIB226] One TaxCategory class must be present")
    if bool(p(e, "cbc:MultiplierFactorNumeric")) and not ne(p(e, "cbc:BaseAmount"), ""):
        d.fail(
            e,
            "F-LIB248",
            "[F-LIB248] When MultiplierFactorNumeric is used, BaseAmount is mandatory",
        )
    if fs(p(e, "cbc:MultiplierFactorNumeric")).startswith("-"):
        d.fail(e, "F-LIB227", "[F-LIB227] MultiplierFactorNumeric must be a positive number")
    if bool(p(e, "cbc:MultiplierFactorNumeric")) and (
        (
            (
                num(fs(p(e, "cbc:Amount")))
                - (num(fs(p(e, "cbc:BaseAmount"))) * num(fs(p(e, "cbc:MultiplierFactorNumeric"))))
            )
            < -1
        )
        or (
            (
                num(fs(p(e, "cbc:Amount")))
                - (num(fs(p(e, "cbc:BaseAmount"))) * num(fs(p(e, "cbc:MultiplierFactorNumeric"))))
            )
            > 1
        )
    ):
        d.fail(e, "F-LIB228", "[F-LIB228] Amount must equal BaseAmount * MultiplierFactorNumeric")


def price_allowance_charge_top_check(e: El, d: Doc) -> None:
    """Abstract rule PriceAllowanceChargeTopCheck."""
    if fs(p(e, "cbc:MultiplierFactorNumeric")).startswith("-"):
        d.fail(e, "F-LIB271", "[F-LIB271] MultiplierFactorNumeric must be a positive number")
    price_allowance_charge_top_check_common(e, d)


def price_allowance_charge_top_check_multiplier_factor(e: El, d: Doc) -> None:
    """Abstract rule PriceAllowanceChargeTopCheckMultiplierFactor."""
    price_allowance_charge_top_check_common(e, d)


def price_allowance_charge_top_check_common(e: El, d: Doc) -> None:
    """Abstract rule PriceAllowanceChargeTopCheckCommon."""
    if len(p(e, "cac:TaxTotal")) != 0:
        d.fail(e, "F-LIB268", "[F-LIB268] TaxTotal class must be excluded")
    if len(p(e, "cac:PaymentMeans")) != 0:
        d.fail(e, "F-LIB269", "[F-LIB269] PaymentMeans class must be excluded")
    if len(p(e, "cbc:AccountingCostCode")) != 0:
        d.fail(e, "F-LIB273", "[F-LIB273] AccountingCostCode element must be excluded")
    if len(p(e, "cbc:AccountingCost")) != 0:
        d.fail(e, "F-LIB274", "[F-LIB274] AccountingCost element must be excluded")
    if bool(p(e, "cbc:MultiplierFactorNumeric")) and not ne(p(e, "cbc:BaseAmount"), ""):
        d.fail(
            e,
            "F-LIB270",
            "[F-LIB270] When MultiplierFactorNumeric is used, BaseAmount is mandatory",
        )
    if bool(p(e, "cbc:MultiplierFactorNumeric")) and (
        (
            (
                num(fs(p(e, "cbc:Amount")))
                - (num(fs(p(e, "cbc:BaseAmount"))) * num(fs(p(e, "cbc:MultiplierFactorNumeric"))))
            )
            < -1
        )
        or (
            (
                num(fs(p(e, "cbc:Amount")))
                - (num(fs(p(e, "cbc:BaseAmount"))) * num(fs(p(e, "cbc:MultiplierFactorNumeric"))))
            )
            > 1
        )
    ):
        d.fail(e, "F-LIB228", "[F-LIB228] Amount must equal BaseAmount * MultiplierFactorNumeric")


def tax_total_check(e: El, d: Doc) -> None:
    """Abstract rule TaxTotalCheck."""
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
    if len(after(fs(p(e, "cbc:TaxAmount")), ".")) != 2:
        d.fail(e, "F-LIB250", "[F-LIB250] Invalid TaxAmount. Must have 2 decimals")
    if bool(p(e, "cbc:RoundingAmount")) and gc("=", p(e, "cbc:RoundingAmount"), 0):
        d.fail(e, "F-LIB251", "[F-LIB251] Invalid RoundingAmount. Must not be zero")
    if bool(p(e, "cbc:RoundingAmount")) and (len(after(fs(p(e, "cbc:RoundingAmount")), ".")) != 2):
        d.fail(e, "F-LIB252", "[F-LIB252] Invalid RoundingAmount. Must have 2 decimals")
    if eq(p(e, "cbc:TaxEvidenceIndicator"), "false") and ne(
        pm(rootis(d, "doc:Invoice"), "cbc:InvoiceTypeCode"), "325"
    ):
        d.fail(
            e,
            "F-LIB253",
            "[F-LIB253] Can only be false if proforma invoice (InvoiceTypeCode = '325')",
        )
    if bool(p(e, "cbc:TransactionCurrencyTaxAmount")) and not eq(
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


def tax_subtotal_check(e: El, d: Doc) -> None:
    """Abstract rule TaxSubtotalCheck."""
    v_id63 = eq(p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID"), "63")
    if len(p(e, "cbc:Percent")) != 0:
        d.fail(e, "F-LIB254", "[F-LIB254] Percent element must be excluded")
    if len(p(e, "cbc:BaseUnitMeasure")) != 0:
        d.fail(e, "F-LIB255", "[F-LIB255] BaseUnitMeasure element must be excluded")
    if len(p(e, "cbc:PerUnitAmount")) != 0:
        d.fail(e, "F-LIB256", "[F-LIB256] PerUnitAmount element must be excluded")
    if len(p(e, "cbc:TierRange")) != 0:
        d.fail(e, "F-LIB257", "[F-LIB257] TierRange element must be excluded")
    if len(p(e, "cbc:TierRatePercent")) != 0:
        d.fail(e, "F-LIB258", "[F-LIB258] TierRatePercent element must be excluded")
    if norm(fs(p(e, "cbc:TaxableAmount"))) == "":
        d.fail(e, "F-LIB259", "[F-LIB259] Invalid TaxableAmount. Must contain a value")
    if (
        v_id63
        and gc(
            "=",
            p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
            p(e, "following-sibling::*/cac:TaxCategory/cac:TaxScheme/cbc:ID"),
        )
    ) and gc(
        "=", p(e, "cac:TaxCategory/cbc:ID"), p(e, "following-sibling::*/cac:TaxCategory/cbc:ID")
    ):
        d.fail(
            e,
            "F-LIB315",
            "[F-LIB315] Specifying the same TaxSubtotal.TaxCategory.ID in one TaxTotal class is not allowed",
        )
    if gc(
        "!=",
        p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
        p(e, "following-sibling::*/cac:TaxCategory/cac:TaxScheme/cbc:ID"),
    ):
        d.fail(
            e,
            "F-LIB316",
            "[F-LIB316] Specifying different TaxScheme.ID in same TaxTotal class is not allowed.",
        )
    if len(after(fs(p(e, "cbc:TaxableAmount")), ".")) != 2:
        d.fail(e, "F-LIB261", "[F-LIB261] Invalid TaxableAmount. Must have 2 decimals")
    if len(after(fs(p(e, "cbc:TaxAmount")), ".")) != 2:
        d.fail(e, "F-LIB263", "[F-LIB263] Invalid TaxAmount. Must have 2 decimals")
    if bool(p(e, "cbc:CalculationSequenceNumeric")) and (
        fs(p(e, "cbc:CalculationSequenceNumeric")).startswith("-")
        or gc("=", p(e, "cbc:CalculationSequenceNumeric"), 0)
    ):
        d.fail(
            e,
            "F-LIB264",
            "[F-LIB264] Invalid CalculationSequenceNumeric. Must not be negative or zero",
        )
    if (
        (
            bool(p(e, "cbc:TransactionCurrencyTaxAmount"))
            and (num(fs(p(e, "cbc:TransactionCurrencyTaxAmount"))) != 0)
        )
        and eq(p(e, "cac:TaxCategory/cbc:ID"), "StandardRated")
    ) and (
        (
            (num(fs(p(e, "cbc:TransactionCurrencyTaxAmount"))) < 0)
            and (num(fs(p(e, "../cbc:TaxAmount"))) > 0)
        )
        or (
            (num(fs(p(e, "cbc:TransactionCurrencyTaxAmount"))) > 0)
            and (num(fs(p(e, "../cbc:TaxAmount"))) < 0)
        )
    ):
        d.fail(
            e,
            "F-LIB266",
            "[F-LIB266] Invalid TransactionCurrencyTaxAmount. Must be negative if TaxTotal/TaxAmount is negative, and must be be positive if TaxTotal/TaxAmount is positive",
        )
    if bool(p(e, "cbc:TransactionCurrencyTaxAmount")) and (
        len(after(fs(p(e, "cbc:TransactionCurrencyTaxAmount")), ".")) != 2
    ):
        d.fail(
            e, "F-LIB267", "[F-LIB267] Invalid TransactionCurrencyTaxAmount. Must have 2 decimals"
        )
    v_calculated_vat = div(num(fs(p(e, "cbc:TaxableAmount"))), 100) * num(
        fs(p(e, "cac:TaxCategory/cbc:Percent"))
    )
    if (
        (
            eq(p(e, "cac:TaxCategory/cbc:ID"), "StandardRated")
            and (num(fs(p(e, "cbc:TaxableAmount"))) > 0)
        )
        and (num(fs(p(e, "cbc:TaxAmount"))) == 0)
    ) and (v_calculated_vat >= 0.005):
        d.fail(
            e,
            "F-LIB381",
            "[F-LIB381] Invalid VAT TaxAmount - When TaxCategory/ID are 'StandardRated' and TaxableAmount > 0 ("
            + vo(p(e, "cbc:TaxableAmount"))
            + ") TaxAmount can't be '("
            + vo(p(e, "cbc:TaxAmount"))
            + ")' unless calculated vat '("
            + vo(v_calculated_vat)
            + ")' are less then 0.005",
        )
    if bool(p(e, "cbc:TransactionCurrencyTaxAmount")) and not eq(
        p(e, "cac:TaxCategory/cbc:ID"), "StandardRated"
    ):
        d.fail(
            e,
            "F-LIB373",
            "[F-LIB373] TransactionCurrencyTaxAmount only valid when TaxCategory/ID = 'StandardRated'",
        )


def tax_subtotal_calculation_header(e: El, d: Doc) -> None:
    """Abstract rule TaxSubtotalCalculationHeader."""
    if eq(p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID"), "VAT") and not bool(
        p(e, "cac:TaxCategory/cbc:Percent")
    ):
        d.fail(
            e,
            "F-LIB333",
            "[F-LIB333] When TaxCategory/TaxScheme/Id is VAT, the TaxCategory/Percent must be present.",
        )
    if eq(p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID"), "VAT") and (
        eq(p(e, "cac:TaxCategory/cbc:Percent"), "")
        or (len(after(fs(p(e, "cac:TaxCategory/cbc:Percent")), ".")) > 2)
    ):
        d.fail(
            e,
            "F-LIB334",
            "[F-LIB334] The TaxCategory/Percent must contain a decimal value with maximum 2 decimals.",
        )
    if bool(p(e, "cbc:TransactionCurrencyTaxAmount")) and not eq(
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
    if bool(p(e, "cbc:EmbeddedDocumentBinaryObject")) and bool(p(e, "cac:ExternalReference")):
        d.fail(
            e, "F-LIB284", "[F-LIB284] Use either EmbeddedDocumentBinaryObject or ExternalReference"
        )
    if bool(p(e, "cbc:EmbeddedDocumentBinaryObject")) and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        eq(
                                            p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                                            "image/tiff",
                                        )
                                        or eq(
                                            p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                                            "image/png",
                                        )
                                    )
                                    or eq(
                                        p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                                        "image/jpeg",
                                    )
                                )
                                or eq(
                                    p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"), "image/gif"
                                )
                            )
                            or eq(
                                p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                                "application/pdf",
                            )
                        )
                        or eq(p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"), "text/xml")
                    )
                    or eq(p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"), "text/csv")
                )
                or eq(
                    p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"), "application/vnd.ms-excel"
                )
            )
            or eq(
                p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        or eq(
            p(e, "cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    ):
        d.fail(e, "F-LIB285", "[F-LIB285] Attribute mimeCode must be a value from the codelist")
    if bool(p(e, "cac:ExternalReference")) and not ne(p(e, "cac:ExternalReference/cbc:URI"), ""):
        d.fail(e, "F-LIB286", "[F-LIB286] When using ExternalReference, URI is mandatory")


def check_values_when_zero_rated(e: El, d: Doc) -> None:
    """Abstract rule CheckValuesWhenZeroRated."""
    if not (
        ne(p(e, "cbc:ID"), "ZeroRated")
        or (
            (num(fs(p(e, "../cbc:TaxAmount"))) == 0)
            and (not bool(p(e, "cbc:Percent")) or (num(norm(fs(p(e, "cbc:Percent")))) == 0))
        )
    ):
        d.fail(
            e,
            "F-LIB400",
            '[F-LIB400] When "TaxCategory/ID" is "ZeroRated", "TaxAmount" and "Percent" must be 0."> Values found: - TaxCategoty/ID: '
            + vo(p(e, "cbc:ID"))
            + " - TaxCategory/Percent: "
            + vo(p(e, "cbc:Percent"))
            + " - TaxAmount: "
            + vo(p(e, "../cbc:TaxAmount")),
        )


def check_tax_amount(e: El, d: Doc) -> None:
    """Abstract rule CheckTaxAmount."""
    if not (
        not eq(p(e, "cbc:ID"), "StandardRated")
        or (
            ((num(fs(p(e, "cbc:Percent"))) == 0) and (num(fs(p(e, "../cbc:TaxAmount"))) == 0))
            or (
                (num(fs(p(e, "cbc:Percent"))) > 0)
                and (
                    abs(
                        num(fs(p(e, "../cbc:TaxAmount")))
                        - div(
                            xround(
                                div(
                                    (
                                        num(fs(p(e, "../cbc:TaxableAmount")))
                                        * num(fs(p(e, "cbc:Percent")))
                                    ),
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
            + vo(p(e, "cbc:ID"))
            + " - TaxAmount (TaxSubtotal): "
            + vo(p(e, "../cbc:TaxAmount"))
            + " - TaxableAmount: "
            + vo(p(e, "../cbc:TaxableAmount"))
            + " - TaxCategory/Percent: "
            + vo(p(e, "cbc:Percent"))
            + " - Calculated TaxAmount (rounded): "
            + vo(
                div(
                    xround(
                        div(
                            (num(fs(p(e, "../cbc:TaxableAmount"))) * num(fs(p(e, "cbc:Percent")))),
                            100,
                        )
                        * 100
                    ),
                    100,
                )
            )
            + " - Difference: "
            + vo(
                abs(
                    num(fs(p(e, "../cbc:TaxAmount")))
                    - div(
                        xround(
                            div(
                                (
                                    num(fs(p(e, "../cbc:TaxableAmount")))
                                    * num(fs(p(e, "cbc:Percent")))
                                ),
                                100,
                            )
                            * 100
                        ),
                        100,
                    )
                )
            ),
        )


def check_tax_amount_on_header(e: El, d: Doc) -> None:
    """Abstract rule CheckTaxAmountOnHeader."""
    if not (
        not (
            (
                eq(pm([e], "cac:TaxCategory/cbc:ID"), "StandardRated")
                or eq(pm([e], "cac:TaxCategory/cbc:ID"), "ZeroRated")
            )
            or eq(pm([e], "cac:TaxCategory/cbc:ID"), "ReverseCharge")
        )
        or (
            (
                not bool(
                    [
                        x1
                        for x1 in pm(p(e, "../../cac:InvoiceLine/cac:TaxTotal"), "cac:TaxSubtotal")
                        if (
                            (
                                gc(
                                    "=",
                                    p(x1, "cac:TaxCategory/cbc:ID"),
                                    pm([e], "cac:TaxCategory/cbc:ID"),
                                )
                                and gc(
                                    "=",
                                    p(x1, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                    pm([e], "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                )
                            )
                            and gc(
                                "=",
                                p(x1, "cbc:TaxableAmount/@currencyID"),
                                pm([e], "cbc:TaxableAmount/@currencyID"),
                            )
                        )
                    ]
                )
                and not bool(
                    [
                        x1
                        for x1 in pm(
                            p(e, "../../cac:CreditNoteLine/cac:TaxTotal"), "cac:TaxSubtotal"
                        )
                        if (
                            (
                                gc(
                                    "=",
                                    p(x1, "cac:TaxCategory/cbc:ID"),
                                    pm([e], "cac:TaxCategory/cbc:ID"),
                                )
                                and gc(
                                    "=",
                                    p(x1, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                    pm([e], "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                )
                            )
                            and gc(
                                "=",
                                p(x1, "cbc:TaxableAmount/@currencyID"),
                                pm([e], "cbc:TaxableAmount/@currencyID"),
                            )
                        )
                    ]
                )
            )
            or (
                abs(
                    num(fs(p(e, "cbc:TaxableAmount")))
                    - (
                        (
                            (
                                xsum(
                                    pm(
                                        [
                                            x1
                                            for x1 in pm(
                                                p(e, "../../cac:InvoiceLine/cac:TaxTotal"),
                                                "cac:TaxSubtotal",
                                            )
                                            if (
                                                (
                                                    gc(
                                                        "=",
                                                        p(
                                                            x1,
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                        pm(
                                                            [e],
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                    )
                                                    and gc(
                                                        "=",
                                                        p(x1, "cac:TaxCategory/cbc:ID"),
                                                        pm([e], "cac:TaxCategory/cbc:ID"),
                                                    )
                                                )
                                                and gc(
                                                    "=",
                                                    p(x1, "cbc:TaxableAmount/@currencyID"),
                                                    pm([e], "cbc:TaxableAmount/@currencyID"),
                                                )
                                            )
                                        ],
                                        "cbc:TaxableAmount",
                                    )
                                )
                                + xsum(
                                    pm(
                                        [
                                            x1
                                            for x1 in pm(
                                                p(e, "../../cac:CreditNoteLine/cac:TaxTotal"),
                                                "cac:TaxSubtotal",
                                            )
                                            if (
                                                (
                                                    gc(
                                                        "=",
                                                        p(
                                                            x1,
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                        pm(
                                                            [e],
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                    )
                                                    and gc(
                                                        "=",
                                                        p(x1, "cac:TaxCategory/cbc:ID"),
                                                        pm([e], "cac:TaxCategory/cbc:ID"),
                                                    )
                                                )
                                                and gc(
                                                    "=",
                                                    p(x1, "cbc:TaxableAmount/@currencyID"),
                                                    pm([e], "cbc:TaxableAmount/@currencyID"),
                                                )
                                            )
                                        ],
                                        "cbc:TaxableAmount",
                                    )
                                )
                            )
                            - xsum(
                                pm(
                                    [
                                        x1
                                        for x1 in pm(p(e, "../.."), "cac:AllowanceCharge")
                                        if (
                                            (
                                                (
                                                    gc("=", p(x1, "cbc:ChargeIndicator"), False)
                                                    and gc(
                                                        "=",
                                                        p(x1, "cac:TaxCategory/cbc:ID"),
                                                        pm([e], "cac:TaxCategory/cbc:ID"),
                                                    )
                                                )
                                                and gc(
                                                    "=",
                                                    p(x1, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                                    pm([e], "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                                )
                                            )
                                            and gc(
                                                "=",
                                                p(x1, "cbc:Amount/@currencyID"),
                                                pm([e], "cbc:TaxableAmount/@currencyID"),
                                            )
                                        )
                                    ],
                                    "cbc:Amount",
                                )
                            )
                        )
                        + xsum(
                            pm(
                                [
                                    x1
                                    for x1 in pm(p(e, "../.."), "cac:AllowanceCharge")
                                    if (
                                        (
                                            (
                                                gc("=", p(x1, "cbc:ChargeIndicator"), True)
                                                and gc(
                                                    "=",
                                                    p(x1, "cac:TaxCategory/cbc:ID"),
                                                    pm([e], "cac:TaxCategory/cbc:ID"),
                                                )
                                            )
                                            and gc(
                                                "=",
                                                p(x1, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                                pm([e], "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                            )
                                        )
                                        and gc(
                                            "=",
                                            p(x1, "cbc:Amount/@currencyID"),
                                            pm([e], "cbc:TaxableAmount/@currencyID"),
                                        )
                                    )
                                ],
                                "cbc:Amount",
                            )
                        )
                    )
                )
                <= 1
            )
        )
    ):
        d.fail(
            e,
            "F-LIB402",
            "[F-LIB402] The taxable amount on the "
            + qname_ns([d.root])
            + " when currency: '"
            + vo(p(e, "cbc:TaxableAmount/@currencyID"))
            + "', Tax Category ID: '"
            + vo(p(e, "cac:TaxCategory/cbc:ID"))
            + "' and Tax Scheme ID: '"
            + vo(p(e, "cac:TaxCategory/cac:TaxScheme/cbc:ID"))
            + "', does not match the sum of taxable amounts from the invoice or credit note lines, after adjusting for allowances (discounts) and charges (fees). A rounding difference of up to +/- 1 is allowed. Values found: - Taxable amount on the "
            + qname_ns([d.root])
            + ": "
            + vo(p(e, "cbc:TaxableAmount"))
            + " - Calculated taxable amount (sum of lines adjusted for discounts and charges): "
            + vo(
                div(
                    xround(
                        (
                            (
                                (
                                    xsum(
                                        pm(
                                            [
                                                x1
                                                for x1 in pm(
                                                    p(e, "../../cac:InvoiceLine/cac:TaxTotal"),
                                                    "cac:TaxSubtotal",
                                                )
                                                if (
                                                    (
                                                        gc(
                                                            "=",
                                                            p(
                                                                x1,
                                                                "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                            ),
                                                            pm(
                                                                [e],
                                                                "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                            ),
                                                        )
                                                        and gc(
                                                            "=",
                                                            p(x1, "cac:TaxCategory/cbc:ID"),
                                                            pm([e], "cac:TaxCategory/cbc:ID"),
                                                        )
                                                    )
                                                    and gc(
                                                        "=",
                                                        p(x1, "cbc:TaxableAmount/@currencyID"),
                                                        pm([e], "cbc:TaxableAmount/@currencyID"),
                                                    )
                                                )
                                            ],
                                            "cbc:TaxableAmount",
                                        )
                                    )
                                    + xsum(
                                        pm(
                                            [
                                                x1
                                                for x1 in pm(
                                                    p(e, "../../cac:CreditNoteLine/cac:TaxTotal"),
                                                    "cac:TaxSubtotal",
                                                )
                                                if (
                                                    (
                                                        gc(
                                                            "=",
                                                            p(
                                                                x1,
                                                                "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                            ),
                                                            pm(
                                                                [e],
                                                                "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                            ),
                                                        )
                                                        and gc(
                                                            "=",
                                                            p(x1, "cac:TaxCategory/cbc:ID"),
                                                            pm([e], "cac:TaxCategory/cbc:ID"),
                                                        )
                                                    )
                                                    and gc(
                                                        "=",
                                                        p(x1, "cbc:TaxableAmount/@currencyID"),
                                                        pm([e], "cbc:TaxableAmount/@currencyID"),
                                                    )
                                                )
                                            ],
                                            "cbc:TaxableAmount",
                                        )
                                    )
                                )
                                - xsum(
                                    pm(
                                        [
                                            x1
                                            for x1 in pm(p(e, "../.."), "cac:AllowanceCharge")
                                            if (
                                                (
                                                    (
                                                        gc("=", p(x1, "cbc:ChargeIndicator"), False)
                                                        and gc(
                                                            "=",
                                                            p(x1, "cac:TaxCategory/cbc:ID"),
                                                            pm([e], "cac:TaxCategory/cbc:ID"),
                                                        )
                                                    )
                                                    and gc(
                                                        "=",
                                                        p(
                                                            x1,
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                        pm(
                                                            [e],
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                    )
                                                )
                                                and gc(
                                                    "=",
                                                    p(x1, "cbc:Amount/@currencyID"),
                                                    pm([e], "cbc:TaxableAmount/@currencyID"),
                                                )
                                            )
                                        ],
                                        "cbc:Amount",
                                    )
                                )
                            )
                            + xsum(
                                pm(
                                    [
                                        x1
                                        for x1 in pm(p(e, "../.."), "cac:AllowanceCharge")
                                        if (
                                            (
                                                (
                                                    gc("=", p(x1, "cbc:ChargeIndicator"), True)
                                                    and gc(
                                                        "=",
                                                        p(x1, "cac:TaxCategory/cbc:ID"),
                                                        pm([e], "cac:TaxCategory/cbc:ID"),
                                                    )
                                                )
                                                and gc(
                                                    "=",
                                                    p(x1, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                                    pm([e], "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
                                                )
                                            )
                                            and gc(
                                                "=",
                                                p(x1, "cbc:Amount/@currencyID"),
                                                pm([e], "cbc:TaxableAmount/@currencyID"),
                                            )
                                        )
                                    ],
                                    "cbc:Amount",
                                )
                            )
                        )
                        * 10000
                    ),
                    10000,
                )
            )
            + " - Difference: "
            + vo(
                div(
                    xround(
                        abs(
                            num(fs(p(e, "cbc:TaxableAmount")))
                            - (
                                (
                                    (
                                        xsum(
                                            pm(
                                                [
                                                    x1
                                                    for x1 in pm(
                                                        p(e, "../../cac:InvoiceLine/cac:TaxTotal"),
                                                        "cac:TaxSubtotal",
                                                    )
                                                    if (
                                                        (
                                                            gc(
                                                                "=",
                                                                p(
                                                                    x1,
                                                                    "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                                ),
                                                                pm(
                                                                    [e],
                                                                    "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                                ),
                                                            )
                                                            and gc(
                                                                "=",
                                                                p(x1, "cac:TaxCategory/cbc:ID"),
                                                                pm([e], "cac:TaxCategory/cbc:ID"),
                                                            )
                                                        )
                                                        and gc(
                                                            "=",
                                                            p(x1, "cbc:TaxableAmount/@currencyID"),
                                                            pm(
                                                                [e], "cbc:TaxableAmount/@currencyID"
                                                            ),
                                                        )
                                                    )
                                                ],
                                                "cbc:TaxableAmount",
                                            )
                                        )
                                        + xsum(
                                            pm(
                                                [
                                                    x1
                                                    for x1 in pm(
                                                        p(
                                                            e,
                                                            "../../cac:CreditNoteLine/cac:TaxTotal",
                                                        ),
                                                        "cac:TaxSubtotal",
                                                    )
                                                    if (
                                                        (
                                                            gc(
                                                                "=",
                                                                p(
                                                                    x1,
                                                                    "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                                ),
                                                                pm(
                                                                    [e],
                                                                    "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                                ),
                                                            )
                                                            and gc(
                                                                "=",
                                                                p(x1, "cac:TaxCategory/cbc:ID"),
                                                                pm([e], "cac:TaxCategory/cbc:ID"),
                                                            )
                                                        )
                                                        and gc(
                                                            "=",
                                                            p(x1, "cbc:TaxableAmount/@currencyID"),
                                                            pm(
                                                                [e], "cbc:TaxableAmount/@currencyID"
                                                            ),
                                                        )
                                                    )
                                                ],
                                                "cbc:TaxableAmount",
                                            )
                                        )
                                    )
                                    - xsum(
                                        pm(
                                            [
                                                x1
                                                for x1 in pm(p(e, "../.."), "cac:AllowanceCharge")
                                                if (
                                                    (
                                                        (
                                                            gc(
                                                                "=",
                                                                p(x1, "cbc:ChargeIndicator"),
                                                                False,
                                                            )
                                                            and gc(
                                                                "=",
                                                                p(x1, "cac:TaxCategory/cbc:ID"),
                                                                pm([e], "cac:TaxCategory/cbc:ID"),
                                                            )
                                                        )
                                                        and gc(
                                                            "=",
                                                            p(
                                                                x1,
                                                                "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                            ),
                                                            pm(
                                                                [e],
                                                                "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                            ),
                                                        )
                                                    )
                                                    and gc(
                                                        "=",
                                                        p(x1, "cbc:Amount/@currencyID"),
                                                        pm([e], "cbc:TaxableAmount/@currencyID"),
                                                    )
                                                )
                                            ],
                                            "cbc:Amount",
                                        )
                                    )
                                )
                                + xsum(
                                    pm(
                                        [
                                            x1
                                            for x1 in pm(p(e, "../.."), "cac:AllowanceCharge")
                                            if (
                                                (
                                                    (
                                                        gc("=", p(x1, "cbc:ChargeIndicator"), True)
                                                        and gc(
                                                            "=",
                                                            p(x1, "cac:TaxCategory/cbc:ID"),
                                                            pm([e], "cac:TaxCategory/cbc:ID"),
                                                        )
                                                    )
                                                    and gc(
                                                        "=",
                                                        p(
                                                            x1,
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                        pm(
                                                            [e],
                                                            "cac:TaxCategory/cac:TaxScheme/cbc:ID",
                                                        ),
                                                    )
                                                )
                                                and gc(
                                                    "=",
                                                    p(x1, "cbc:Amount/@currencyID"),
                                                    pm([e], "cbc:TaxableAmount/@currencyID"),
                                                )
                                            )
                                        ],
                                        "cbc:Amount",
                                    )
                                )
                            )
                        )
                        * 10000
                    ),
                    10000,
                )
            ),
        )


def additional_item_property_check(e: El, d: Doc) -> None:
    """Abstract rule AdditionalItemPropertyCheck."""
    if not (
        not eq(p(e, "cbc:Name"), "EmissionFactor")
        or (num(fs(p(e, "cbc:Value"))) == num(fs(p(e, "cbc:Value"))))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP004",
            "[OIOUBL-Common-GP004] If AdditionalItemProperty/Name is 'EmissionFactor', then the AdditionalItemProperty/Value must be a valid numeric value",
        )
    if not (
        not eq(p(e, "cbc:Name"), "NetEmissionQuantity")
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
                                                for x1 in pm(
                                                    p(e, ".."), "cac:AdditionalItemProperty"
                                                )
                                                if eq(p(x1, "cbc:Name"), "EmissionFactor")
                                            ],
                                            "cbc:Value",
                                        )
                                    )
                                )
                                * num(fs(p(e, "../../cbc:InvoicedQuantity")))
                            )
                            * 10000
                        )
                    ),
                    10000,
                )
                == div(xround((num(fs(p(e, "cbc:Value"))) * 10000)), 10000)
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
                                            for x1 in pm(p(e, ".."), "cac:AdditionalItemProperty")
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
                == div(xround(num(fs(p(e, "cbc:Value"))) * 10000), 10000)
            )
        )
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP005",
            "[OIOUBL-Common-GP005] if Name is 'NetEmissionQuantity', then its Value must equal EmissionFactor * Quantity (InvoicedQuantity / CreditedQuantity)\" Values found - NetEmissionQuantity value "
            + vo(num(fs(p(e, "cbc:Value"))))
            + "' - NetEmissionFactor value "
            + vo(
                num(
                    fs(
                        pm(
                            [
                                x1
                                for x1 in pm(p(e, ".."), "cac:AdditionalItemProperty")
                                if eq(p(x1, "cbc:Name"), "EmissionFactor")
                            ],
                            "cbc:Value",
                        )
                    )
                )
            )
            + "' - Quantity "
            + vo(num(fs(p(e, "../../cbc:InvoicedQuantity"))))
            + "'",
        )
    if not (
        not eq(p(e, "cbc:Name"), "EmissionFactorSource")
        or (eq(p(e, "cbc:Value"), "Database") or eq(p(e, "cbc:Value"), "Internal"))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP006",
            "[OIOUBL-Common-GP006] If AdditionalItemProperty/Name is 'EmissionFactorSource', then AdditionalItemProperty/Value must be either 'Database' or 'Internal'",
        )
    if not (
        not eq(p(e, "cbc:Name"), "EmissionFactor")
        or bool(
            [
                x1
                for x1 in pm(p(e, ".."), "cac:AdditionalItemProperty")
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
        not eq(p(e, "cbc:Name"), "EmissionFactorCalculationUnit")
        or listed(CL.Quantity_unitCode, norm(fs(p(e, "cbc:Value"))))
    ):
        d.fail(
            e,
            "OIOUBL-Common-GP008",
            "[OIOUBL-Common-GP008] If AdditionalItemProperty/Name equals 'EmissionFactorCalculationUnit' then AdditionalItemProperty/Value must have a valid UnitCode value from the codelist urn:un:unece:uncefact:codelist:specification:66411:2001.",
        )
    if not (
        not eq(p(e, "cbc:Name"), "CalculationRate")
        or (num(fs(p(e, "cbc:Value"))) == num(fs(p(e, "cbc:Value"))))
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
    """//*[@currencyID]"""
    preceding_dec_check(e, d)
    currency_check(e, d)
