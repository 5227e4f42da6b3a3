"""Validate a Peppol BIS post-award document: the UBL 2.1 schema, then its PEPPOLBIS-Txx rules.

The order is the official validators' and the invoices' (:mod:`faelles.einvoice.validate`):
a document the schema refuses is reported with its ``UBL-XSD`` findings alone. The result has
the shape of :class:`faelles.einvoice.validate.ValidationResult` (``profile.syntax``,
``profile.document``, ``findings``, ``valid``), so ``faelles einvoice validate`` reports every
kind of document alike.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.ordering import rules
from faelles.einvoice.ordering.schema import check as check_schema
from faelles.einvoice.ordering.transactions import ROOTS, OrderingProfile, detect
from faelles.einvoice.xml import DEFAULT_MAX_BYTES, ReadError
from faelles.einvoice.xml import ROOTS as INVOICE_ROOTS

__all__ = [
    "OrderingResult",
    "is_ordering_document",
    "parse_any",
    "validate_bytes",
    "validate_root",
    "validate_tree",
]


@dataclass(frozen=True, slots=True)
class OrderingResult:
    """The findings of one post-award document, as ``ValidationResult`` has an invoice's."""

    profile: OrderingProfile
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return not any(f.is_fatal for f in self.findings)


_local = threading.local()


def _parser() -> etree.XMLParser:
    """One hardened parser per thread, with the options of :mod:`faelles.einvoice.xml`."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            dtd_validation=False,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
    return parser


def parse_any(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse ``data`` safely (no DTD, entities or network, a size cap) and return the root of
    a UBL Invoice, CreditNote or Peppol post-award document; :class:`ReadError` otherwise."""
    if len(data) > max_bytes:
        raise ReadError(f"document is {len(data)} bytes, more than the limit of {max_bytes}")
    if not data or data.isspace():
        raise ReadError("document is empty")
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"not well-formed XML: {exc}") from None
    if getattr(tree.docinfo, "doctype", ""):
        raise ReadError("a DOCTYPE is not allowed in an e-invoice")
    root = tree.getroot()
    if root.tag not in ROOTS and root.tag not in INVOICE_ROOTS:
        raise ReadError(
            f"root element {root.tag!r} is not a UBL Invoice, CreditNote, Order, "
            "OrderResponse, OrderChange, OrderCancellation, Catalogue, DespatchAdvice or "
            "ApplicationResponse"
        )
    return root


def is_ordering_document(data: bytes) -> bool:
    """Whether ``data`` starts like a post-award document: its root element's tag, read
    without parsing further (no DTD, entities or network). False for anything else, including
    bytes that are not XML: those are left to the invoice reader to refuse with its reason."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        for _, element in events:
            return element.tag in ROOTS
    except etree.XMLSyntaxError:
        return False
    return False


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """:func:`parse_any` for a post-award document only."""
    root = parse_any(data, max_bytes=max_bytes)
    if root.tag not in ROOTS:
        raise ReadError(f"root element {root.tag!r} is not a Peppol post-award document")
    return root


def validate_tree(root: etree._Element, rule_sets: Sequence[str]) -> list[Finding]:
    """Run the named rule sets on a parsed document; findings in rule-set order."""
    findings: list[Finding] = []
    for name in rule_sets:
        findings.extend(rules.load(name).check(root))
    return findings


def validate_root(
    root: etree._Element, *, rule_sets: Sequence[str] | None = None, schema: bool = True
) -> OrderingResult:
    """Validate a parsed post-award document: the UBL 2.1 schema of its root first, the rule
    set of its transaction (or ``rule_sets``) only when the schema accepts it."""
    profile = detect(root)
    if schema:
        errors = check_schema(root, profile.transaction.root)
        if errors:
            return OrderingResult(profile, tuple(errors))
    chosen = tuple(rule_sets) if rule_sets is not None else profile.rule_sets
    return OrderingResult(profile, tuple(validate_tree(root, chosen)))


def validate_bytes(
    data: bytes,
    *,
    rule_sets: Sequence[str] | None = None,
    schema: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> OrderingResult:
    """Read ``data`` safely and validate it as a post-award document.

    ``rule_sets`` overrides detection and ``schema=False`` skips the schema, for the official
    unit test sets, whose documents are fragments that test one rule each.
    """
    return validate_root(parse(data, max_bytes=max_bytes), rule_sets=rule_sets, schema=schema)
