"""Detection: syntax, document kind, profile and the rule sets that follow from them."""

from __future__ import annotations

import pytest

from faelles.einvoice.profiles import (
    PEPPOL_CUSTOMIZATION,
    PEPPOL_PROFILE,
    Profile,
    detect,
)
from faelles.einvoice.xml import CREDIT_NOTE_NS, INVOICE_NS, parse

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _detect(root_ns: str, root: str, customization: str | None, profile: str = "") -> Profile:
    parts = [f'<{root} xmlns="{root_ns}" xmlns:cbc="{CBC}">']
    if customization is not None:
        parts.append(f"<cbc:CustomizationID> {customization} </cbc:CustomizationID>")
    if profile:
        parts.append(f"<cbc:ProfileID>{profile}</cbc:ProfileID>")
    parts.append(f"</{root}>")
    return detect(parse("".join(parts).encode()))


@pytest.mark.parametrize(
    ("root_ns", "root", "document"),
    [(INVOICE_NS, "Invoice", "Invoice"), (CREDIT_NOTE_NS, "CreditNote", "CreditNote")],
)
def test_peppol_bis3_runs_en16931_and_peppol(root_ns: str, root: str, document: str) -> None:
    profile = _detect(root_ns, root, PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE)

    assert profile == Profile(
        "peppol", document, PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE, ("cen-ubl", "peppol-ubl")
    )  # type: ignore[arg-type]
    assert profile.known_profile is True


@pytest.mark.parametrize(
    ("root_ns", "root", "document"),
    [(INVOICE_NS, "Invoice", "Invoice"), (CREDIT_NOTE_NS, "CreditNote", "CreditNote")],
)
@pytest.mark.parametrize(
    "profile_id",
    [
        "urn:www.nesubl.eu:profiles:profile5:ver2.0",
        "urn:www.nesubl.eu:profiles:profile1:ver2.0",
        "Procurement-OrdSim-BilSim-1.0",
    ],
)
def test_oioubl_runs_the_oioubl_rules_with_its_profile(
    root_ns: str, root: str, document: str, profile_id: str
) -> None:
    profile = _detect(root_ns, root, "OIOUBL-2.1", profile_id)

    assert (profile.syntax, profile.document, profile.rule_sets) == (
        "oioubl",
        document,
        ("oioubl",),
    )
    assert profile.profile_id == profile_id
    assert profile.known_profile is True


def test_oioubl_with_unknown_profile_is_still_oioubl() -> None:
    profile = _detect(INVOICE_NS, "Invoice", "OIOUBL-2.02", "urn:example:profile")

    assert profile.syntax == "oioubl"
    assert profile.known_profile is False


def test_unsupported_oioubl_version_goes_to_the_oioubl_rules_to_be_reported() -> None:
    assert _detect(INVOICE_NS, "Invoice", "OIOUBL-2.0").rule_sets == ("oioubl",)


@pytest.mark.parametrize(
    "customization",
    [
        "urn:cen.eu:en16931:2017",
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
        "",
        None,
    ],
)
def test_other_or_missing_customization_runs_en16931_alone(customization: str | None) -> None:
    profile = _detect(INVOICE_NS, "Invoice", customization)

    assert (profile.syntax, profile.rule_sets) == ("en16931", ("cen-ubl",))
    assert profile.customization_id == (customization or "")


def test_rule_sets_are_loaded_once_by_name() -> None:
    from faelles.einvoice import rules

    assert [rules.load(n).name for n in ("cen-ubl", "peppol-ubl", "oioubl")] == [
        "cen-ubl",
        "peppol-ubl",
        "oioubl",
    ]
    assert rules.load("oioubl") is rules.load("oioubl")
    with pytest.raises(KeyError, match="unknown rule set 'schematron'"):
        rules.load("schematron")
