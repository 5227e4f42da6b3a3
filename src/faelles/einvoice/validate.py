"""Detect which rule sets apply to a document and run them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from faelles.einvoice import rules
from faelles.einvoice.findings import Finding
from faelles.einvoice.model import Document
from faelles.einvoice.profiles import PEPPOL_BILLING, Profile, Syntax, detect
from faelles.einvoice.rules.tree import Tree
from faelles.einvoice.xml import DEFAULT_MAX_BYTES, parse

__all__ = [
    "PEPPOL_BILLING",
    "Profile",
    "Syntax",
    "ValidationResult",
    "detect",
    "read_and_validate",
    "validate_bytes",
    "validate_root",
    "validate_tree",
]


def validate_tree(root: etree._Element, rule_sets: Sequence[str]) -> list[Finding]:
    """Run the named rule sets on a parsed document; findings in rule-set order."""
    findings: list[Finding] = []
    tree: Tree | None = None  # one walk, shared by the rule sets that use it
    for name in rule_sets:
        rule_set = rules.load(name)
        if tree is None and rule_set.uses_tree:
            tree = Tree(root)
        findings.extend(rule_set.check(root, tree))
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
    return validate_root(root, rule_sets=rule_sets)


def validate_root(
    root: etree._Element, *, rule_sets: Sequence[str] | None = None
) -> ValidationResult:
    """Validate an already parsed document (from :func:`faelles.einvoice.xml.parse`)."""
    profile = detect(root)
    chosen = tuple(rule_sets) if rule_sets is not None else profile.rule_sets
    return ValidationResult(profile, tuple(validate_tree(root, chosen)))


def read_and_validate(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, attachments: bool = True
) -> tuple[Document, ValidationResult]:
    """Parse once, validate, and read the model: what an intake of received documents needs.

    Raises :class:`faelles.einvoice.xml.ReadError` when the bytes are not a readable UBL
    Invoice or CreditNote, or an amount or date in it cannot be read at all.
    """
    from faelles.einvoice.reader import read_root

    root = parse(data, max_bytes=max_bytes)
    result = validate_root(root)
    return read_root(root, profile=result.profile, attachments=attachments), result
