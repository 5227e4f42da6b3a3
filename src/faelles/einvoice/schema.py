"""The UBL 2.1 XML Schema: the first check of every received document.

The official validators (phive for Peppol BIS 3, EN 16931 and OIOUBL alike) validate a
document against the OASIS UBL 2.1 XML Schema first and run the Schematron rules only on a
document the schema accepts. OIOUBL 2.1 documents are UBL 2.0 documents, which the UBL 2.1
schema accepts (UBL 2.1 is a compatible superset of 2.0), so one schema serves every syntax.

Each schema error is one fatal finding with rule id ``UBL-XSD``, the XPath of the element it is
about (in the form :func:`faelles.einvoice.xml.location` writes) and libxml2's message, with
the UBL namespaces written as their usual prefixes (``cbc:IssueDate`` instead of
``{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}IssueDate``).

The schemas are the vendored copies in ``schemas/ubl21`` (see its README). Each document kind's
schema is compiled once per process, on first use, from those local files only (the schema
documents are read with a parser that loads no DTD, expands no entity and never uses the
network). A compiled schema keeps the error log of its last run, so validations are
serialised by a lock; one validation of a small invoice takes a fraction of a millisecond.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.profiles import DocumentKind
from faelles.einvoice.xml import CREDIT_NOTE_NS, INVOICE_NS, PREFIX, location

RULE = "UBL-XSD"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "ubl21"
SCHEMA_FILES: dict[DocumentKind, Path] = {
    "Invoice": SCHEMA_DIR / "maindoc" / "UBL-Invoice-2.1.xsd",
    "CreditNote": SCHEMA_DIR / "maindoc" / "UBL-CreditNote-2.1.xsd",
}

_lock = threading.Lock()
_schemas: dict[DocumentKind, etree.XMLSchema] = {}


def _compile(kind: DocumentKind) -> etree.XMLSchema:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILES[kind]), parser))


def schema_for(kind: DocumentKind) -> etree.XMLSchema:
    """The compiled UBL 2.1 schema of a document kind (compiled once per process)."""
    with _lock:
        schema = _schemas.get(kind)
        if schema is None:
            schema = _schemas[kind] = _compile(kind)
        return schema


def check(root: etree._Element, kind: DocumentKind) -> list[Finding]:
    """The schema errors of a parsed document, as fatal ``UBL-XSD`` findings (none: valid)."""
    schema = schema_for(kind)
    with _lock:
        if schema.validate(root):
            return []
        # The stubs do not describe the log; each entry has the node's ``path`` and a message.
        log = cast("Iterable[Any]", schema.error_log)
        errors: list[tuple[str | None, str]] = [(e.path, e.message) for e in log]
    return [Finding(RULE, "fatal", _location(root, path), _message(msg)) for path, msg in errors]


# --- locations ---------------------------------------------------------------------------

_STEP = re.compile(r"(?:(?P<prefix>[^:\[\]/]+):)?(?P<name>[^:\[\]/]+)(?:\[(?P<index>\d+)\])?")


def _location(root: etree._Element, path: str | None) -> str:
    """Our XPath of the node libxml2's path names (``/*/cac:InvoiceLine[2]/*[3]``).

    libxml2 writes each step with the element's own prefix, ``*`` for an element in the
    default namespace (indexed among all element siblings), and an index only where siblings
    share the step. The path is walked on the document itself, so the location reads like the
    rules' (``/Invoice/cac:InvoiceLine[2]/cbc:ID``) whatever prefixes the sender chose.
    """
    root_name = location(root)
    if not path or not path.startswith("/"):
        return root_name
    node = root
    steps = path.split("/")[2:]  # "", the root, then the steps below it
    for number, step in enumerate(steps):
        if step.startswith("@"):
            return f"{location(node)}/{step}"
        match = _STEP.fullmatch(step)
        if match is None:
            return path
        prefix, name, index = match.group("prefix", "name", "index")
        children = [c for c in node.iterchildren() if isinstance(c.tag, str)]
        if name == "*" and prefix is None:
            candidates = children
        else:
            candidates = [
                c for c in children if c.prefix == prefix and etree.QName(c).localname == name
            ]
        position = int(index or 1) - 1
        if position >= len(candidates):
            return location(node) + "/" + "/".join(steps[number:])
        node = candidates[position]
    return location(node)


# --- messages ----------------------------------------------------------------------------

_CLARK = re.compile(r"\{([^{}]*)\}")
_ROOT_NAMESPACES = {INVOICE_NS, CREDIT_NOTE_NS}


def _prefixed(match: re.Match[str]) -> str:
    namespace = match.group(1)
    if namespace in _ROOT_NAMESPACES:
        return ""
    prefix = PREFIX.get(namespace)
    return f"{prefix}:" if prefix else match.group(0)


def _message(message: str) -> str:
    """libxml2's message with the UBL namespaces as prefixes."""
    return _CLARK.sub(_prefixed, message.strip())
