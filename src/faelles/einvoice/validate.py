"""Check a document against the UBL 2.1 schema, detect which rule sets apply, and run them.

The order is the official validators': the XML Schema first (:mod:`faelles.einvoice.schema`),
the rule sets only when the schema accepts the document. A schema-invalid document is
therefore reported with its ``UBL-XSD`` findings alone: the official rules are written for
documents of the schema's shape, and on another shape they would repeat the schema's finding
in other words or fire on elements the schema has already refused. Such a document is never
valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from faelles.einvoice import rules
from faelles.einvoice.findings import Finding
from faelles.einvoice.model import Document
from faelles.einvoice.profiles import PEPPOL_BILLING, Profile, Syntax, detect
from faelles.einvoice.rules.tree import Tree
from faelles.einvoice.schema import check as check_schema
from faelles.einvoice.xml import DEFAULT_MAX_BYTES, ReadError, parse

if TYPE_CHECKING:
    from faelles.einvoice.ordering.validate import OrderingResult

__all__ = [
    "PEPPOL_BILLING",
    "Profile",
    "Syntax",
    "ValidationResult",
    "detect",
    "read_and_validate",
    "validate_any",
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
    schema: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ValidationResult:
    """Read ``data`` safely and validate it: the UBL 2.1 schema, then the rule sets.

    ``rule_sets`` overrides detection and ``schema=False`` skips the schema: both for the
    official rule test suites, whose documents are fragments that test one rule each.
    Raises :class:`faelles.einvoice.xml.ReadError` when the bytes are not a readable UBL
    Invoice or CreditNote.
    """
    root = parse(data, max_bytes=max_bytes)
    return validate_root(root, rule_sets=rule_sets, schema=schema)


def validate_root(
    root: etree._Element, *, rule_sets: Sequence[str] | None = None, schema: bool = True
) -> ValidationResult:
    """Validate an already parsed document (from :func:`faelles.einvoice.xml.parse`): the
    UBL 2.1 schema first; the rule sets only when the schema accepts it."""
    profile = detect(root)
    if schema:
        errors = check_schema(root, profile.document)
        if errors:
            return ValidationResult(profile, tuple(errors))
    chosen = tuple(rule_sets) if rule_sets is not None else profile.rule_sets
    return ValidationResult(profile, tuple(validate_tree(root, chosen)))


def read_and_validate(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, attachments: bool = True
) -> tuple[Document, ValidationResult]:
    """Parse once, validate, and read the model: what an intake of received documents needs.

    A document the schema refuses is read as far as it can be (its receiver and seller are
    still worth knowing); when an amount or date in it cannot be read at all, its model is
    empty but for the profile, so nothing is guessed, and its findings are the schema's.
    Raises :class:`faelles.einvoice.xml.ReadError` when the bytes are not a readable UBL
    Invoice or CreditNote, or when a document the schema accepts cannot be read.
    """
    from faelles.einvoice.reader import read_root

    root = parse(data, max_bytes=max_bytes)
    result = validate_root(root)
    try:
        document = read_root(root, profile=result.profile, attachments=attachments)
    except ReadError:
        if result.valid:
            raise
        document = Document(profile=result.profile)
    return document, result


def validate_any(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ValidationResult | OrderingResult:
    """An invoice or credit note as :func:`validate_bytes` validates it; a Peppol post-award
    document (Order, Order Response, Catalogue, Despatch Advice ...) by its transaction's
    schema and rules (:mod:`faelles.einvoice.ordering`). Both results have ``profile.syntax``,
    ``profile.document``, ``findings`` and ``valid``. Raises :class:`ReadError` for bytes that
    are none of these documents."""
    from faelles.einvoice.ordering.transactions import is_ordering_root
    from faelles.einvoice.ordering.validate import parse_any
    from faelles.einvoice.ordering.validate import validate_root as validate_ordering

    root = parse_any(data, max_bytes=max_bytes)
    if is_ordering_root(root):
        return validate_ordering(root)
    return validate_root(root)
