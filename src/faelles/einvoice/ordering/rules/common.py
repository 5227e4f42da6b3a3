"""The rules every post-award transaction shares: ``parts/common/*.sch``.

Two patterns, as each ``PEPPOLBIS-Txx.sch`` includes them before its own: no empty elements
(PEPPOL-COMMON-R001), then the schema location warning, the date format and the check digits
of the identifier schemes (GLN, Norwegian, Belgian, Italian, Swedish and Australian numbers).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from faelles.einvoice.findings import Flag
from faelles.einvoice.ordering.rules._engine import (
    Assert,
    Element,
    On,
    Pattern,
    Rule,
    no_variables,
    norm,
    number,
    on,
    q,
    string,
)
from faelles.einvoice.rules.peppol import identifiers
from faelles.einvoice.rules.peppol._xpath import to_date

_ENDPOINT = q("cbc:EndpointID")
_PARTY_ID = q("cbc:ID")
_PARTY_IDENTIFICATION = q("cac:PartyIdentification")
_COMPANY_ID = q("cbc:CompanyID")
_DATES = frozenset(
    q(f"cbc:{name}")
    for name in (
        "IssueDate",
        "DueDate",
        "TaxPointDate",
        "StartDate",
        "EndDate",
        "ActualDeliveryDate",
    )
)
_DIGITS = re.compile(r"[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _empty(el: Element, _: None) -> bool:
    return False


def _is_empty(el: Element) -> bool:
    """``//*[not(*) and not(normalize-space())]``."""
    return not len(el) and not (el.text or "").strip(" \t\r\n")


EMPTY_ELEMENTS: Pattern[None] = Pattern(
    no_variables,
    (
        Rule(
            _is_empty,
            (
                Assert(
                    "PEPPOL-COMMON-R001",
                    "fatal",
                    "Document MUST not contain empty elements.",
                    _empty,
                ),
            ),
        ),
    ),
)


def _identifier(scheme: str, *, endpoint_only: bool = False) -> Callable[[Element], bool]:
    """The context ``cbc:EndpointID[@schemeID = s] | cac:PartyIdentification/cbc:ID[...] |
    cbc:CompanyID[...]`` (only the first with ``endpoint_only``)."""

    def context(el: Element) -> bool:
        if el.get("schemeID") != scheme:
            return False
        tag = el.tag
        if tag == _ENDPOINT:
            return True
        if endpoint_only:
            return False
        if tag == _COMPANY_ID:
            return True
        parent = el.getparent()
        return tag == _PARTY_ID and parent is not None and parent.tag == _PARTY_IDENTIFICATION

    return context


def _schema_location(el: Element) -> bool:
    return el.getparent() is None


def _no_schema_location(el: Element, _: None) -> bool:
    return not any(str(name).rpartition("}")[2] == "schemaLocation" for name in el.attrib)


def _date_format(el: Element, _: None) -> bool:
    """``(string(.) castable as xs:date) and (string-length(.) = 10)``."""
    value = string(el)
    return _DATE.fullmatch(value) is not None and to_date(value) is not None


def _id_check(check: Callable[[str], bool]) -> Callable[[Element, None], bool]:
    def test(el: Element, _: None) -> bool:
        return check(norm(string(el)))

    return test


def _gln(value: str) -> bool:
    return _DIGITS.fullmatch(value) is not None and identifiers.gln(value)


def _norwegian(value: str) -> bool:
    return re.fullmatch(r"[0-9]{9}", value) is not None and identifiers.mod11(value)


def _belgian(value: str) -> bool:
    return re.fullmatch(r"[0-9]{10}", value) is not None and identifiers.mod97_0208(value)


def _swedish(value: str) -> bool:
    return (
        len(value) == 10 and not math.isnan(number(value)) and identifiers.swedish_org_number(value)
    )


def _australian(value: str) -> bool:
    return re.fullmatch(r"[0-9]{11}", value) is not None and identifiers.abn(value)


def _rule(
    scheme: str,
    rule_id: str,
    flag: Flag,
    message: str,
    check: Callable[[str], bool],
    *,
    endpoint_only: bool = False,
) -> Rule[None]:
    names = ("cbc:EndpointID",) if endpoint_only else ("cbc:EndpointID", "cbc:ID", "cbc:CompanyID")
    return Rule(
        on(*names, where=_identifier(scheme, endpoint_only=endpoint_only)),
        (Assert(rule_id, flag, message, _id_check(check)),),
    )


COMMON_RULES: Pattern[None] = Pattern(
    no_variables,
    (
        Rule(
            _schema_location,
            (
                Assert(
                    "PEPPOL-COMMON-R003",
                    "warning",
                    "Document SHOULD not contain schema location.",
                    _no_schema_location,
                ),
            ),
        ),
        Rule(
            On(_DATES),
            (Assert("PEPPOL-COMMON-R030", "fatal", "A date must be formatted YYYY-MM-DD.", _date_format),),
        ),
        _rule("0088", "PEPPOL-COMMON-R040", "fatal", "GLN must have a valid format according to GS1 rules.", _gln),
        _rule("0192", "PEPPOL-COMMON-R041", "fatal", "Norwegian organization number MUST be stated in the correct format.", _norwegian),
        _rule("0208", "PEPPOL-COMMON-R043", "fatal", "Belgian enterprise number MUST be stated in the correct format.", _belgian),
        _rule("0201", "PEPPOL-COMMON-R044", "warning", "IPA Code (Codice Univoco Unità Organizzativa) must be stated in the correct format", identifiers.codice_ipa),
        _rule("0210", "PEPPOL-COMMON-R045", "warning", "Tax Code (Codice Fiscale) must be stated in the correct format", identifiers.codice_fiscale),
        _rule("9907", "PEPPOL-COMMON-R046", "warning", "Tax Code (Codice Fiscale) must be stated in the correct format", identifiers.codice_fiscale, endpoint_only=True),
        _rule("0211", "PEPPOL-COMMON-R047", "warning", "Italian VAT Code (Partita Iva) must be stated in the correct format", identifiers.partita_iva),
        _rule("9906", "PEPPOL-COMMON-R048", "warning", "Italian VAT Code (Partita Iva) must be stated in the correct format", identifiers.partita_iva, endpoint_only=True),
        _rule("0007", "PEPPOL-COMMON-R049", "fatal", "Swedish organization number MUST be stated in the correct format.", _swedish),
        _rule("0151", "PEPPOL-COMMON-R050", "fatal", "Australian Business Number (ABN) MUST be stated in the correct format.", _australian),
    ),
)  # fmt: skip

COMMON: tuple[Pattern[None], ...] = (EMPTY_ELEMENTS, COMMON_RULES)
