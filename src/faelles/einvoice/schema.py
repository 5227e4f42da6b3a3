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

Large attachments: libxml2 checks the base64 text of an embedded document character by
character (about 15 ms for a 3 MB attachment, ten times the parse). When such a text is one a
check here proves libxml2 accepts (:func:`base64_accepted`, which follows libxml2's own rule for
``xs:base64Binary`` and answers "accepted" only when that is certain), the element is set aside
during the run: an empty stand-in with the same name, prefix and attributes takes its place (an
empty text is valid base64Binary) and the element is put back before the findings are read. The
findings are those of the document as it is, since the schema has no facet on the binary
content; anything unusual (a stray character, an attribute in a namespace such as ``xsi:type``,
child nodes, non-ASCII text) leaves the element where it is, for libxml2 to judge.
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
from faelles.einvoice.xml import CBC, CREDIT_NOTE_NS, INVOICE_NS, PREFIX, location

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
        set_aside = _set_aside_attachments(root)
        try:
            valid = schema.validate(root)
        finally:
            for element, stand_in in set_aside:
                parent = stand_in.getparent()
                if parent is not None:
                    parent.replace(stand_in, element)
        if valid:
            return []
        # The stubs do not describe the log; each entry has the node's ``path`` and a message.
        log = cast("Iterable[Any]", schema.error_log)
        errors: list[tuple[str | None, str]] = [(e.path, e.message) for e in log]
    return [Finding(RULE, "fatal", _location(root, path), _message(msg)) for path, msg in errors]


# --- large attachments -------------------------------------------------------------------

EMBEDDED_DOCUMENT = f"{{{CBC}}}EmbeddedDocumentBinaryObject"
LARGE_ATTACHMENT = 16 * 1024
"""Characters of base64 from which an attachment is checked here rather than by libxml2."""

_B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_VALUE = {c: i for i, c in enumerate(_B64_ALPHABET)}
# Each ASCII character as its class: "a" in the alphabet, "=" padding, " " XML white space,
# "?" anything else (libxml2 ignores those too, but then it is left to libxml2 to judge).
_B64_CLASS = str.maketrans(
    {chr(i): "a" if chr(i) in _B64_VALUE else "=" if chr(i) == "=" else "?" for i in range(128)}
    | {" ": " ", "\t": " ", "\r": " ", "\n": " "}
)


def base64_accepted(text: str) -> bool:
    """Whether libxml2 certainly accepts ``text`` as ``xs:base64Binary``.

    libxml2 (``xmlSchemaValAtomicType``) counts the alphabet characters before the first "=",
    allows none after it, counts the "=" and then requires: no padding and a multiple of four
    characters; one "=" after 4n+3 characters whose last leaves its two low bits zero; or two
    after 4n+2 whose last leaves its four low bits zero. White space is ignored. This check
    applies the same rule to texts of the alphabet, "=" and white space, and answers False for
    any other text (which libxml2 then judges itself), so it never accepts what libxml2 refuses.
    """
    if not text.isascii():
        return False
    classes = text.translate(_B64_CLASS)  # one pass in C (CPython's ASCII fast path)
    if "?" in classes:
        return False
    end = classes.find("=")
    if end < 0:
        end = len(classes)
    elif classes.find("a", end) >= 0:
        return False
    count = end - classes.count(" ", 0, end) if " " in classes else end
    pad = classes.count("=", end)
    if pad == 0:
        return count % 4 == 0
    if pad > 2 or count % 4 != (3 if pad == 1 else 2):
        return False
    last = _B64_VALUE[text[classes.rfind("a", 0, end)]]
    return last & ~(0x3C if pad == 1 else 0x30) == 0


def _set_aside_attachments(
    root: etree._Element,
) -> list[tuple[etree._Element, etree._Element]]:
    """Replace each large attachment libxml2 accepts by an empty stand-in; the pairs, for
    putting the elements back (see the module's docstring)."""
    pairs: list[tuple[etree._Element, etree._Element]] = []
    for element in list(root.iter(EMBEDDED_DOCUMENT)):
        text = element.text
        if text is None or len(text) < LARGE_ATTACHMENT or len(element):
            continue
        parent = element.getparent()
        attributes = {str(name): str(value) for name, value in element.items()}
        if (
            parent is None
            or any(name.startswith("{") for name in attributes)
            or not _same_prefix_in_place(element, parent)
            or element.xpath("count(node())") != 1.0  # one text node: ``text`` is all of it
            or not base64_accepted(text)
        ):
            continue
        stand_in = element.makeelement(element.tag, attributes)
        parent.replace(element, stand_in)
        pairs.append((element, stand_in))
    return pairs


def _same_prefix_in_place(element: etree._Element, parent: etree._Element) -> bool:
    """Whether a stand-in put in ``element``'s place gets its prefix, and ``element`` comes
    back unchanged: it declares no namespace of its own and its prefix is the only one the
    parent has for CBC (lxml gives a moved element the prefix in scope for its namespace)."""
    scope = parent.nsmap
    if element.nsmap != scope:
        return False
    return [p for p, uri in scope.items() if uri == CBC] == [element.prefix]


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
