"""Hardened XML reading and the UBL namespaces.

No DTDs, no entities, no network, a size cap. Everything else in the library works on the
element tree this module returns.
"""

from __future__ import annotations

import threading

from lxml import etree

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

NS = {"cac": CAC, "cbc": CBC, "ext": EXT, "inv": INVOICE_NS, "cn": CREDIT_NOTE_NS}
PREFIX = {CAC: "cac", CBC: "cbc", EXT: "ext"}

ROOTS = {f"{{{INVOICE_NS}}}Invoice": "Invoice", f"{{{CREDIT_NOTE_NS}}}CreditNote": "CreditNote"}


class ReadError(ValueError):
    """The bytes cannot be read as a UBL Invoice or CreditNote. The message says why."""


_local = threading.local()


def _parser() -> etree.XMLParser:
    """One hardened parser per thread (an lxml parser must not be shared between threads)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _new_parser()
        _local.parser = parser
    return parser


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse ``data`` safely and return the root element of a UBL Invoice or CreditNote."""
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
    if root.tag not in ROOTS:
        raise ReadError(
            f"root element {root.tag!r} is not a UBL Invoice or CreditNote "
            f"(expected {{{INVOICE_NS}}}Invoice or {{{CREDIT_NOTE_NS}}}CreditNote)"
        )
    return root


def location(el: etree._Element) -> str:
    """An XPath to ``el`` with the usual prefixes, e.g. ``/Invoice/cac:InvoiceLine[2]/cbc:ID``.

    Index predicates are written only where an element has same-named siblings before or
    after it, so the path is readable and still unique.
    """
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        parent = node.getparent()
        qname = etree.QName(node)
        prefix = PREFIX.get(qname.namespace or "")
        name = f"{prefix}:{qname.localname}" if prefix else qname.localname
        if parent is not None:
            before = sum(1 for _ in node.itersiblings(node.tag, preceding=True))
            if before or next(node.itersiblings(node.tag), None) is not None:
                name += f"[{before + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))
