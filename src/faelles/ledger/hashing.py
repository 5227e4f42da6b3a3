"""The content hash of a posted entry: what ``faelles ledger check`` recomputes.

The hashed text is the header's fields and then each line's fields, in fixed order, each
value written with ``repr`` for text (so no text can imitate a separator or another field) and
``str`` otherwise (Decimals quantized to the column's scale by the caller, dates in ISO form,
None as ``None``); fields are separated by U+001F and records by U+001E.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

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


def _text(value: Any) -> str:
    if isinstance(value, str):
        return repr(str(value))  # str() turns a choices member into its plain value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _line_text(line: Mapping[str, Any]) -> str:
    """A line's record: the same text as ``_text`` over LINE_FIELDS, written out for speed
    (text fields are plain str, ids int or None, amounts Decimal)."""
    return (
        f"{line['line_no']}\x1f{str(line['account_number'])!r}\x1f{line['org_unit_id']}"
        f"\x1f{line['purpose_id']}\x1f{line['vat_code_id']}\x1f{line['debit']}"
        f"\x1f{line['credit']}\x1f{str(line['currency'])!r}\x1f{line['currency_amount']}"
        f"\x1f{line['rate']}\x1f{str(line['text'])!r}"
    )


def entry_hash(header: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]) -> str:
    """sha256 over the entry's header and its lines in line order."""
    records = ["\x1f".join(_text(header[k]) for k in HEADER_FIELDS)]
    records.extend(_line_text(line) for line in lines)
    return hashlib.sha256("\x1e".join(records).encode()).hexdigest()
