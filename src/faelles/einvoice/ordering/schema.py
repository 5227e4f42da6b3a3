"""The UBL 2.1 XML Schema of the post-award documents: their first check.

The same vendored OASIS schemas as for invoices (``einvoice/schemas/ubl21/maindoc``), one per
UBL root (Order, OrderResponse, OrderChange, OrderCancellation, Catalogue, DespatchAdvice,
ApplicationResponse), compiled once per process from those local files only. Each schema
error is one fatal ``UBL-XSD`` finding with the location and message written as
:mod:`faelles.einvoice.schema` writes them for invoices.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any, cast

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.ordering.transactions import ROOT_NAMESPACES, RootName
from faelles.einvoice.schema import RULE, SCHEMA_DIR
from faelles.einvoice.schema import _location as schema_location
from faelles.einvoice.xml import PREFIX

SCHEMA_FILES = {name: SCHEMA_DIR / "maindoc" / f"UBL-{name}-2.1.xsd" for name in ROOT_NAMESPACES}

_lock = threading.Lock()
_schemas: dict[RootName, etree.XMLSchema] = {}


def _compile(root_name: RootName) -> etree.XMLSchema:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILES[root_name]), parser))


def schema_for(root_name: RootName) -> etree.XMLSchema:
    """The compiled UBL 2.1 schema of a post-award root (compiled once per process)."""
    with _lock:
        schema = _schemas.get(root_name)
        if schema is None:
            schema = _schemas[root_name] = _compile(root_name)
        return schema


def check(root: etree._Element, root_name: RootName) -> list[Finding]:
    """The schema errors of a parsed document, as fatal ``UBL-XSD`` findings (none: valid)."""
    schema = schema_for(root_name)
    with _lock:
        if schema.validate(root):
            return []
        log = cast("Iterable[Any]", schema.error_log)
        errors: list[tuple[str | None, str]] = [(e.path, e.message) for e in log]
    return [
        Finding(RULE, "fatal", schema_location(root, path), _message(msg, root_name))
        for path, msg in errors
    ]


_CLARK = re.compile(r"\{([^{}]*)\}")


def _message(message: str, root_name: RootName) -> str:
    """libxml2's message with the UBL namespaces as prefixes (none for the root's own)."""
    own = ROOT_NAMESPACES[root_name]

    def prefixed(match: re.Match[str]) -> str:
        namespace = match.group(1)
        if namespace == own:
            return ""
        prefix = PREFIX.get(namespace)
        return f"{prefix}:" if prefix else match.group(0)

    return _CLARK.sub(prefixed, message.strip())
