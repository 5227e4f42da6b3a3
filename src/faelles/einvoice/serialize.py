"""Plain JSON-ready dictionaries of the model: Decimals as strings, dates in ISO form.

One form for the API, the UI and ``faelles einvoice show``. An attachment's embedded payload
is never included; its size is.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from faelles.einvoice.model import Attachment, Document

JSON = dict[str, Any]


def _value(value: object) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Attachment):
        data = {f.name: _value(getattr(value, f.name)) for f in dataclasses.fields(value)}
        del data["content_base64"]
        data["size"] = value.size
        return data
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value


def document_to_dict(doc: Document) -> JSON:
    """``doc`` as nested dicts and lists of strings, numbers-as-strings, booleans and None."""
    data: JSON = _value(doc)
    data["profile"]["known_profile"] = doc.profile.known_profile
    return data
