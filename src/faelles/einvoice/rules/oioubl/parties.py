"""OIOUBL common rules for parties, addresses, contacts and party identifiers."""

from __future__ import annotations

from faelles.einvoice.rules.oioubl import codelists as CL
from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    cac,
    cbc,
    eq,
    excluded,
    exclusions,
    fs,
    gc,
    kids,
    listed,
    ne,
    norm,
    p,
    substr,
    vo,
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


def party_name_check(e: El, d: Doc) -> None:
    """Abstract rule PartyNameCheck."""
    k = kids(e)
    if (
        not bool(k[cac.PartyIdentification]) or eq(p(e, "cac:PartyIdentification/cbc:ID"), "")
    ) and (not bool(k[cac.PartyName]) or eq(p(e, "cac:PartyName/cbc:Name"), "")):
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
    if (not bool(k[cbc.ID]) or eq(k[cbc.ID], "")) and (len(k[cac.Address]) == 0):
        d.fail(e, "F-LIB221", "[F-LIB221] If ID not specified, Address is mandatory")


def contact_check(e: El, d: Doc) -> None:
    """Abstract rule ContactCheck."""
    k = kids(e)
    if (
        (
            (
                (
                    (
                        (not bool(k[cbc.ID]) or eq(k[cbc.ID], ""))
                        and (not bool(k[cbc.Name]) or eq(k[cbc.Name], ""))
                    )
                    and (not bool(k[cbc.Telephone]) or eq(k[cbc.Telephone], ""))
                )
                and (not bool(k[cbc.Telefax]) or eq(k[cbc.Telefax], ""))
            )
            and (not bool(k[cbc.ElectronicMail]) or eq(k[cbc.ElectronicMail], ""))
        )
        and (not bool(k[cbc.Note]) or eq(k[cbc.Note], ""))
    ) and not bool(k[cac.OtherCommunication]):
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
    if (not bool(k[cbc.FamilyName]) or eq(k[cbc.FamilyName], "")) and (
        not bool(k[cbc.FirstName]) or eq(k[cbc.FirstName], "")
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
    address_format_code_list_id_is_urn_oioubl_codelist_addressformatcode_1_1 = eq(
        address_format_code_list_id, "urn:oioubl:codelist:addressformatcode-1.1"
    )
    address_format_code_list_id_is_un_ece_3477 = eq(address_format_code_list_id, "UN/ECE 3477")
    excluded(e, d, _ADDRESS_CHECK_EXCLUDED)
    if norm(fs(k[cbc.AddressFormatCode])) == "":
        d.fail(e, "F-LIB025", "[F-LIB025] Invalid AddressFormatCode. Must contain a value")
    if bool(k[cbc.AddressTypeCode]) and not eq(
        p(e, "cbc:AddressTypeCode/@listID"), "urn:oioubl:codelist:addresstypecode-1.1"
    ):
        d.fail(
            e,
            "F-LIB204",
            "[F-LIB204] Invalid listID. Must be 'urn:oioubl:codelist:addresstypecode-1.1'",
        )
    if bool(k[cbc.AddressTypeCode]) and not eq(p(e, "cbc:AddressTypeCode/@listAgencyID"), "320"):
        d.fail(e, "F-LIB205", "[F-LIB205] Invalid listAgencyID. Must be '320'")
    if bool(k[cbc.AddressTypeCode]) and not (
        eq(k[cbc.AddressTypeCode], "Home") or eq(k[cbc.AddressTypeCode], "Business")
    ):
        d.fail(
            e, "F-LIB206", "[F-LIB206] Invalid AddressTypeCode. Must be a value from the codelist"
        )
    if not (
        address_format_code_list_id_is_urn_oioubl_codelist_addressformatcode_1_1
        or address_format_code_list_id_is_un_ece_3477
    ):
        d.fail(
            e,
            "F-LIB026",
            "[F-LIB026] Invalid listID. Must be either 'urn:oioubl:codelist:addressformatcode-1.1' or 'UN/ECE 3477'",
        )
    if address_format_code_list_id_is_urn_oioubl_codelist_addressformatcode_1_1 and not eq(
        address_format_code_list_agency_id, "320"
    ):
        d.fail(e, "F-LIB207", "[F-LIB207] Invalid listAgencyID. Must be '320'")
    if address_format_code_list_id_is_urn_oioubl_codelist_addressformatcode_1_1 and not (
        (
            (
                (
                    (norm(fs(k[cbc.AddressFormatCode])) == "StructuredDK")
                    or (norm(fs(k[cbc.AddressFormatCode])) == "StructuredLax")
                )
                or (norm(fs(k[cbc.AddressFormatCode])) == "StructuredID")
            )
            or (norm(fs(k[cbc.AddressFormatCode])) == "StructuredRegion")
        )
        or (norm(fs(k[cbc.AddressFormatCode])) == "Unstructured")
    ):
        d.fail(
            e, "F-LIB027", "[F-LIB027] Invalid AddressFormatCode. Must be a value from the codelist"
        )
    if address_format_code_list_id_is_un_ece_3477 and not eq(
        address_format_code_list_agency_id, "6"
    ):
        d.fail(e, "F-LIB208", "[F-LIB208] Invalid listAgencyID. Must be '6'")
    if address_format_code_list_id_is_un_ece_3477 and not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    eq(k[cbc.AddressFormatCode], "1")
                                    or eq(k[cbc.AddressFormatCode], "2")
                                )
                                or eq(k[cbc.AddressFormatCode], "3")
                            )
                            or eq(k[cbc.AddressFormatCode], "4")
                        )
                        or eq(k[cbc.AddressFormatCode], "5")
                    )
                    or eq(k[cbc.AddressFormatCode], "6")
                )
                or eq(k[cbc.AddressFormatCode], "7")
            )
            or eq(k[cbc.AddressFormatCode], "8")
        )
        or eq(k[cbc.AddressFormatCode], "9")
    ):
        d.fail(
            e, "F-LIB209", "[F-LIB209] Invalid AddressFormatCode. Must be a value from the codelist"
        )
    if bool(k[cac.Country]) and not ne(p(e, "cac:Country/cbc:IdentificationCode"), ""):
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
    if bool(k[cbc.ID]) and not (len(fs(id_scheme_id)) > 0):
        d.fail(
            e,
            "F-LIB028",
            "[F-LIB028] When ID is used under Address the attribute schemeID is used to give an addressregister",
        )
    if bool(k[cbc.ID]) and not bool(id_scheme_id):
        d.fail(e, "F-LIB029", "[F-LIB029] schemeID attribute must be present on an address ID")
    country_code_check(e, d)


def unstructured_check(e: El, d: Doc) -> None:
    """Abstract rule UnstructuredCheck."""
    k = kids(e)
    if eq(k[cbc.AddressFormatCode], "Unstructured") and (
        (
            (
                ((len(k[cbc.StreetName]) != 0) or (len(k[cbc.BuildingNumber]) != 0))
                or (len(k[cbc.CityName]) != 0)
            )
            or (len(k[cbc.PostalZone]) != 0)
        )
        or (len(k[cac.Country]) != 0)
    ):
        d.fail(
            e,
            "F-LIB031",
            "[F-LIB031] An Unstructured address is only allowed to have AddressLine elements",
        )


def structured_dk_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredDKCheck."""
    k = kids(e)
    address_format_code_is_structureddk = eq(k[cbc.AddressFormatCode], "StructuredDK")
    if not address_format_code_is_structureddk:
        return
    if address_format_code_is_structureddk and bool(k[cac.AddressLine]):
        d.fail(
            e,
            "F-LIB032",
            "[F-LIB032] AddressLine elements not allowed for a StructuredDK address type",
        )
    if address_format_code_is_structureddk and (
        not bool(k[cbc.PostalZone]) or (norm(fs(k[cbc.PostalZone])) == "")
    ):
        d.fail(e, "F-LIB033", "[F-LIB033] PostalZone is mandatory for a StructuredDK address type")
    if address_format_code_is_structureddk and (
        (not bool(k[cbc.StreetName]) or (norm(fs(k[cbc.StreetName])) == ""))
        and (not bool(k[cbc.Postbox]) or (norm(fs(k[cbc.Postbox])) == ""))
    ):
        d.fail(
            e,
            "F-LIB034",
            "[F-LIB034] There should be either a StreetName or a Postbox for a StructuredDK address type",
        )
    if address_format_code_is_structureddk and (
        (not bool(k[cbc.BuildingNumber]) or (norm(fs(k[cbc.BuildingNumber])) == ""))
        and (not bool(k[cbc.Postbox]) or (norm(fs(k[cbc.Postbox])) == ""))
    ):
        d.fail(
            e,
            "F-LIB035",
            "[F-LIB035] There should be either a BuildingNumber or a Postbox for a StructuredDK address type",
        )


def structured_lax_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredLaxCheck."""
    k = kids(e)
    if eq(k[cbc.AddressFormatCode], "StructuredLax") and bool(k[cac.AddressLine]):
        d.fail(
            e,
            "F-LIB036",
            "[F-LIB036] AddressLine elements not allowed for a StructuredLax address type",
        )


def structured_id_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredIDCheck."""
    k = kids(e)
    address_format_code_is_structuredid = eq(k[cbc.AddressFormatCode], "StructuredID")
    if not address_format_code_is_structuredid:
        return
    if address_format_code_is_structuredid and (not bool(k[cbc.ID]) or eq(k[cbc.ID], "")):
        d.fail(e, "F-LIB037", "[F-LIB037] ID is required for a StructuredID address type")
    if address_format_code_is_structuredid and (
        (
            (
                ((len(k[cbc.StreetName]) != 0) or (len(k[cbc.BuildingNumber]) != 0))
                or (len(k[cbc.CityName]) != 0)
            )
            or (len(k[cbc.PostalZone]) != 0)
        )
        or (len(k[cac.Country]) != 0)
    ):
        d.fail(e, "F-LIB038", "[F-LIB038] Only the ID is used for a StructuredID address type")


def structured_region_check(e: El, d: Doc) -> None:
    """Abstract rule StructuredRegionCheck."""
    k = kids(e)
    country_identification_code = p(e, "cac:Country/cbc:IdentificationCode")
    address_format_code_is_structuredregion = eq(k[cbc.AddressFormatCode], "StructuredRegion")
    if address_format_code_is_structuredregion and (
        (
            (not bool(country_identification_code) or eq(country_identification_code, ""))
            and (not bool(k[cbc.Region]) or eq(k[cbc.Region], ""))
        )
        and (not bool(k[cbc.District]) or eq(k[cbc.District], ""))
    ):
        d.fail(
            e,
            "F-LIB039",
            "[F-LIB039] Region or District or Country/IdentificationCode is required for a StructuredRegion address type",
        )
    if address_format_code_is_structuredregion and (
        (
            ((len(k[cbc.StreetName]) != 0) or (len(k[cbc.BuildingNumber]) != 0))
            or (len(k[cbc.CityName]) != 0)
        )
        or (len(k[cbc.PostalZone]) != 0)
    ):
        d.fail(
            e,
            "F-LIB040",
            "[F-LIB040] Only Region, District, and/or Country/IdentificationCode can be used for a StructuredRegion address type",
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
        (bool(k[cac.PartyName]) and bool(party_name_name)) and (norm(fs(party_name_name)) != "")
    ):
        d.fail(e, "F-LIB353", "[F-LIB353] PartyName/Name is mandatory in TaxRepresentativeParty")
    if not (
        (bool(k[cac.PostalAddress]) and bool(postal_address_address_format_code))
        and (norm(fs(postal_address_address_format_code)) != "")
    ):
        d.fail(
            e,
            "F-LIB354",
            "[F-LIB354] PostalAddress/AddressFormatCode is mandatory in TaxRepresentativeParty",
        )
    if not bool(k[cac.PartyTaxScheme]):
        d.fail(e, "F-LIB371", "[F-LIB371] PartyTaxScheme is mandatory in TaxRepresentativeParty")
    if not (not bool(k[cac.PartyTaxScheme]) or bool(p(e, "cac:PartyTaxScheme/cac:TaxScheme"))):
        d.fail(
            e,
            "F-LIB372",
            "[F-LIB372] PartyTaxScheme/TaxScheme is mandatory in TaxRepresentativeParty",
        )


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


def endpoint_id_check(e: El, d: Doc) -> None:
    """Abstract rule EndpointIDCheck."""
    k = kids(e)
    endpoint_id_scheme_id = p(e, "cbc:EndpointID/@schemeID")
    if bool(k[cbc.EndpointID]) and not listed(CL.EndpointID_schemeID, fs(endpoint_id_scheme_id)):
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
        (len(fs(k[cbc.EndpointID])) != 10) or (substr(fs(k[cbc.EndpointID]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB180",
            "[F-LIB180] schemeID = DK:CVR, EndpointID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(k[cbc.EndpointID])
            + "')",
        )
    if eq(endpoint_id_scheme_id, "GLN") and len(fs(k[cbc.EndpointID])) != 13:
        d.fail(
            e,
            "F-LIB181",
            "[F-LIB181] schemeID = GLN, EndpointID must be a valid GLN number (like '1234567890123', value found: '"
            + vo(k[cbc.EndpointID])
            + "')",
        )
    if eq(endpoint_id_scheme_id, "EAN") and len(fs(k[cbc.EndpointID])) != 13:
        d.fail(
            e,
            "F-LIB216",
            "[F-LIB216] schemeID = EAN, EndpointID must be a valid EAN number (like '1234567890123', value found: '"
            + vo(k[cbc.EndpointID])
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
        (len(fs(k[cbc.ID])) != 10) or (substr(fs(k[cbc.ID]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB184",
            "[F-LIB184] schemeID = DK:CVR, ID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(k[cbc.ID])
            + "')",
        )
    if eq(id_scheme_id, "DK:CPR") and len(fs(k[cbc.ID])) != 10:
        d.fail(
            e,
            "F-LIB217",
            "[F-LIB217] schemeID = DK:CPR, ID must be a valid CPR number (like '1234560000', value found: '"
            + vo(k[cbc.ID])
            + "')",
        )
    if eq(id_scheme_id, "GLN") and len(fs(k[cbc.ID])) != 13:
        d.fail(
            e,
            "F-LIB185",
            "[F-LIB185] schemeID = GLN, ID must be a valid GLN number (like '1234567890123', value found: '"
            + vo(k[cbc.ID])
            + "')",
        )
    if eq(id_scheme_id, "EAN") and len(fs(k[cbc.ID])) != 13:
        d.fail(
            e,
            "F-LIB218",
            "[F-LIB218] schemeID = EAN, ID must be a valid EAN number (like '1234567890123', value found: '"
            + vo(k[cbc.ID])
            + "')",
        )
    if eq(id_scheme_id, "DK:P") and len(fs(k[cbc.ID])) != 10:
        d.fail(
            e,
            "F-LIB287",
            "[F-LIB287] schemeID = DK:P, ID must be a valid P number (like '1234567890', value found: '"
            + vo(k[cbc.ID])
            + "')",
        )


def party_legal_entity_check(e: El, d: Doc) -> None:
    """Abstract rule PartyLegalEntityCheck."""
    k = kids(e)
    company_id_scheme_id = p(e, "cbc:CompanyID/@schemeID")
    if k[cac.CorporateRegistrationScheme]:
        d.fail(e, "F-LIB186", "[F-LIB186] CorporateRegistrationScheme class must be excluded")
    if norm(fs(k[cbc.CompanyID])) == "":
        d.fail(e, "F-LIB187", "[F-LIB187] Invalid CompanyID. Must contain a value")
    if not (ne(company_id_scheme_id, "") and listed(CL.PartyLegalID, fs(company_id_scheme_id))):
        d.fail(
            e,
            "F-LIB189",
            "[F-LIB189] Invalid schemeID. Must be a valid scheme for PartyLegalEntity/CompanyID",
        )
    if eq(company_id_scheme_id, "DK:CVR") and (
        (len(norm(fs(k[cbc.CompanyID]))) != 10) or (substr(fs(k[cbc.CompanyID]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB190",
            "[F-LIB190] schemeID = DK:CVR, CompanyID must be a valid CVR number (like 'DK12345678', value found: '"
            + vo(k[cbc.CompanyID])
            + "')",
        )
    if eq(company_id_scheme_id, "DK:CPR") and len(fs(k[cbc.CompanyID])) != 10:
        d.fail(
            e,
            "F-LIB191",
            "[F-LIB191] schemeID = DK:CPR, CompanyID must be a valid CPR number (like '1234560000', value found: '"
            + vo(k[cbc.CompanyID])
            + "')",
        )


def party_tax_scheme_check(e: El, d: Doc) -> None:
    """Abstract rule PartyTaxSchemeCheck."""
    k = kids(e)
    company_id_scheme_id = p(e, "cbc:CompanyID/@schemeID")
    company_id_scheme_id_is_dk_se = eq(company_id_scheme_id, "DK:SE")
    if k[cbc.TaxLevelCode]:
        d.fail(e, "F-LIB192", "[F-LIB192] TaxLevelCode element must be excluded")
    if norm(fs(k[cbc.CompanyID])) == "":
        d.fail(e, "F-LIB193", "[F-LIB193] Invalid CompanyID. Must contain a value")
    if not (company_id_scheme_id_is_dk_se or eq(company_id_scheme_id, "ZZZ")):
        d.fail(
            e,
            "F-LIB195",
            "[F-LIB195] Invalid schemeID. Must be a valid scheme for PartyTaxScheme/CompanyID",
        )
    if company_id_scheme_id_is_dk_se and (
        (len(norm(fs(k[cbc.CompanyID]))) != 10) or (substr(fs(k[cbc.CompanyID]), 1, 2) != "DK")
    ):
        d.fail(
            e,
            "F-LIB196",
            "[F-LIB196] schemeID = DK:SE, CompanyID must be a valid SE number (like 'DK12345678', value found: '"
            + vo(k[cbc.CompanyID])
            + "')",
        )
