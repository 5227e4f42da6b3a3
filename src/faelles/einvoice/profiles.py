"""What a document says it is: syntax, document kind, profile, and so which rule sets apply.

The choice follows the official validators: the CustomizationID decides. Peppol BIS Billing 3
runs EN 16931 and the Peppol rules (whose national rules, such as DK-R, decide themselves
whether they apply); a CustomizationID starting ``OIOUBL-`` runs the OIOUBL rules (which
report a version other than 2.01, 2.02 or 2.1); any other UBL Invoice or CreditNote,
including one without a CustomizationID, runs EN 16931 alone, as the CEN validator does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from faelles.einvoice.xml import CBC, ROOTS

Syntax = Literal["peppol", "oioubl", "en16931"]
DocumentKind = Literal["Invoice", "CreditNote"]

PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_CUSTOMIZATION = f"urn:cen.eu:en16931:2017#compliant#{PEPPOL_BILLING}"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
EN16931_CUSTOMIZATION = "urn:cen.eu:en16931:2017"
OIOUBL_CUSTOMIZATIONS = frozenset({"OIOUBL-2.01", "OIOUBL-2.02", "OIOUBL-2.1"})

# OIOUBL profiles an invoice or credit note may name (OIOUBL code list "Profile2": the
# NES/BII profiles and the Danish Procurement-* profiles).
OIOUBL_PROFILES = frozenset(
    {
        "Procurement-BilSim-1.0",
        "Procurement-BilSimR-1.0",
        "Procurement-PayBas-1.0",
        "Procurement-PayBasR-1.0",
        "Procurement-OrdSim-BilSim-1.0",
        "Procurement-OrdSimR-BilSim-1.0",
        "Procurement-OrdSim-BilSimR-1.0",
        "Procurement-OrdSimR-BilSimR-1.0",
        "Procurement-OrdAdv-BilSim-1.0",
        "Procurement-OrdAdv-BilSimR-1.0",
        "Procurement-OrdAdvR-BilSim-1.0",
        "Procurement-OrdAdvR-BilSimR-1.0",
        "Procurement-OrdSel-BilSim-1.0",
        "Procurement-OrdSel-BilSimR-1.0",
        *(
            f"urn:www.nesubl.eu:profiles:profile{n}:ver{v}"
            for n in (1, 2, 5, 7, 8)
            for v in ("1.0", "2.0")
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What a document says it is, and so which rule sets apply to it."""

    syntax: Syntax
    document: DocumentKind
    customization_id: str
    profile_id: str
    rule_sets: tuple[str, ...]

    @property
    def known_profile(self) -> bool:
        """Whether the ProfileID is one the syntax defines for invoices and credit notes."""
        if self.syntax == "oioubl":
            return self.profile_id in OIOUBL_PROFILES
        if self.syntax == "peppol":
            return self.profile_id == PEPPOL_PROFILE
        return True


def _text(root: etree._Element, name: str) -> str:
    for el in root.iterchildren(f"{{{CBC}}}{name}"):  # the first such child, as find() gives
        return (el.text or "").strip()
    return ""


def profile_for(document: DocumentKind, customization: str, profile_id: str) -> Profile:
    """The profile for a document kind with the given CustomizationID and ProfileID."""
    if customization.startswith("OIOUBL-"):
        return Profile("oioubl", document, customization, profile_id, ("oioubl",))
    if PEPPOL_BILLING in customization:
        return Profile("peppol", document, customization, profile_id, ("cen-ubl", "peppol-ubl"))
    return Profile("en16931", document, customization, profile_id, ("cen-ubl",))


def detect(root: etree._Element) -> Profile:
    """Syntax and rule sets from the CustomizationID, as the official validators choose them.

    An unknown or missing CustomizationID is not an error: the document is validated
    against EN 16931 alone, and the rules report what is wrong.
    """
    document: DocumentKind = "Invoice" if ROOTS[root.tag] == "Invoice" else "CreditNote"
    return profile_for(document, _text(root, "CustomizationID"), _text(root, "ProfileID"))
