"""A post-award document as a plain JSON-ready dictionary: Decimals as strings, ISO dates.

The form ``faelles einvoice show`` prints (as :mod:`faelles.einvoice.serialize` does for
invoices), with the document's kind (``"Order"``, ``"Catalogue"`` ...) under ``"type"``.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from faelles.einvoice.ordering.model import OrderingDocument


def _value(value: object) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value


def document_to_dict(doc: OrderingDocument) -> dict[str, Any]:
    """``doc`` as nested dicts and lists of strings, booleans and None."""
    data: dict[str, Any] = {"type": type(doc).__name__}
    data.update(_value(doc))
    return data
