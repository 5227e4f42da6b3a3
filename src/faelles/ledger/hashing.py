"""The content hash of a posted entry: what ``faelles ledger check`` recomputes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Callers quantize to the column's scale first, so str() is the stored form.
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def entry_hash(header: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]) -> str:
    """sha256 over the canonical JSON of the entry's header and its lines in line order."""
    payload = {
        "header": {k: _plain(v) for k, v in sorted(header.items())},
        "lines": [{k: _plain(v) for k, v in sorted(line.items())} for line in lines],
    }
    data = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


HEADER_FIELDS = (
    "institution_id",
    "year",
    "number",
    "date",
    "description",
    "voucher_ref",
    "source_type",
    "source_id",
    "kind",
    "reversal_of_id",
)
LINE_FIELDS = (
    "line_no",
    "account_number",
    "org_unit_id",
    "purpose_id",
    "vat_code_id",
    "debit",
    "credit",
    "currency",
    "currency_amount",
    "rate",
    "text",
)
