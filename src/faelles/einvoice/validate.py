"""Detect which rule sets apply to a document and run them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from faelles.einvoice import rules
from faelles.einvoice.findings import Finding
from faelles.einvoice.xml import CBC, DEFAULT_MAX_BYTES, ROOTS, parse

Syntax = Literal["peppol", "oioubl", "en16931"]

PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:3.0"


@dataclass(frozen=True, slots=True)
class Profile:
    """What a document says it is, and so which rule sets apply to it."""

    syntax: Syntax
    document: Literal["Invoice", "CreditNote"]
    customization_id: str
    profile_id: str
    rule_sets: tuple[str, ...]


def _text(root: etree._Element, name: str) -> str:
    el = root.find(f"{{{CBC}}}{name}")
    return (el.text or "").strip() if el is not None else ""


def detect(root: etree._Element) -> Profile:
    """Syntax and rule sets from the CustomizationID, as the official validators choose them.

    An unknown or missing CustomizationID is not an error: the document is validated
    against EN 16931 alone, and the rules report what is wrong.
    """
    document = ROOTS[root.tag]
    customization = _text(root, "CustomizationID")
    profile_id = _text(root, "ProfileID")
    if customization.startswith("OIOUBL-2"):
        return Profile("oioubl", document, customization, profile_id, ("oioubl",))  # type: ignore[arg-type]
    if PEPPOL_BILLING in customization:
        return Profile("peppol", document, customization, profile_id, ("cen-ubl", "peppol-ubl"))  # type: ignore[arg-type]
    return Profile("en16931", document, customization, profile_id, ("cen-ubl",))  # type: ignore[arg-type]


def validate_tree(root: etree._Element, rule_sets: Sequence[str]) -> list[Finding]:
    """Run the named rule sets on a parsed document; findings in rule-set order."""
    findings: list[Finding] = []
    for name in rule_sets:
        findings.extend(rules.load(name).check(root))
    return findings


@dataclass(frozen=True, slots=True)
class ValidationResult:
    profile: Profile
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return not any(f.is_fatal for f in self.findings)


def validate_bytes(
    data: bytes,
    *,
    rule_sets: Sequence[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ValidationResult:
    """Read ``data`` safely and validate it; ``rule_sets`` overrides detection (test suites).

    Raises :class:`faelles.einvoice.xml.ReadError` when the bytes are not a readable UBL
    Invoice or CreditNote.
    """
    root = parse(data, max_bytes=max_bytes)
    profile = detect(root)
    chosen = tuple(rule_sets) if rule_sets is not None else profile.rule_sets
    return ValidationResult(profile, tuple(validate_tree(root, chosen)))
