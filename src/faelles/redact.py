"""The one CPR scrubber: every error message, log line and error body passes through it.

A CPR number (personnummer) is ten digits, ``DDMMYY-SSSS``, whose first six digits are a
birth date. It is written in many ways: ``0101901234``, ``010190-1234``, ``010190 1234``,
with an en dash, an em dash, a non-breaking hyphen or a minus sign, with or without spaces
around the dash, in quotes or brackets; and in a URL or JSON the separator may be encoded
(``010190%E2%80%931234``, ``010190+1234``, ``010190\\u20131234``). Numbers issued since 2007
need not pass the old modulus-11 check, so none is made: anything of that shape whose first
six digits can be a date (day 01-31, month 01-12) counts as a CPR number.

What is *not* a CPR number: ten digits inside a longer run of digits (an EAN/GLN of 13 digits,
a FIK payment id of 15 or 16, the digits of an IBAN) or inside a decimal number written with a
point (an amount of ``3101901234.50`` kroner), so those are never touched.

The mask hides all ten digits (:data:`CPR_MASK`). Keeping the birth date would leave a
personal datum (and with the sex digit, often enough to single a person out); a log reader
needs to know only that a CPR number was there. Where a person must be recognised again
(the personal-data access log), a keyed hash is used instead of any part of the number.

The module is pure: it imports nothing of ours and no Django, so the payroll engine and the
e-invoice library, which are pure libraries themselves, use it too (an import-linter contract
keeps it that way).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping
from typing import Any

__all__ = [
    "CPR_MASK",
    "CPR_PATTERN",
    "CprRedactingFilter",
    "contains_cpr",
    "cpr_digits",
    "scrub_cpr",
    "scrub_data",
]

CPR_MASK = "XXXXXX-XXXX"

# Spaces a CPR number may be written with (space, no-break, figure, thin, narrow no-break) and
# the dashes (hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash,
# horizontal bar, minus sign, small and full-width hyphen-minus).
_SPACES = " \u00a0\u2007\u2009\u202f"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


def _spellings(chars: str, *extra: str) -> str:
    """A regex for one of ``chars`` as written in text, percent-encoded in a URL (``%E2%80%93``)
    or escaped in JSON or a Python repr (``\\u2013``, ``\\xa0``)."""
    alternatives = [re.escape(e) for e in extra]
    for ch in chars:
        alternatives.append(re.escape(ch))
        alternatives.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
        if ord(ch) > 0x7F:
            alternatives.append(re.escape(f"\\u{ord(ch):04x}"))
        if 0x7F < ord(ch) <= 0xFF:
            alternatives.append(re.escape(f"\\x{ord(ch):02x}"))
    return "(?i:" + "|".join(alternatives) + ")"


_SPACE = _spellings(_SPACES, "+")  # a "+" is a space in a URL's query
_DASH = _spellings(_DASHES)
_SEPARATOR = f"(?:{_SPACE})?(?:{_DASH})?(?:{_SPACE})?"

CPR_PATTERN = re.compile(
    # The day comes first and the look back (no digit, no "digit." before the day) right after
    # it: a pattern that starts with a character class is scanned for much faster.
    r"(?P<day>0[1-9]|[12][0-9]|3[01])(?<![0-9]..)(?<![0-9]\...)"
    r"(?P<month>0[1-9]|1[0-2])"
    r"(?P<year>[0-9]{2})"
    f"{_SEPARATOR}"
    r"(?P<serial>[0-9]{4})"
    r"(?![0-9])(?!\.[0-9])"
)
"""A CPR number in any of its written forms, not inside a longer run of digits."""


def scrub_cpr(text: str) -> str:
    """``text`` with every CPR number, however written, replaced by :data:`CPR_MASK`."""
    return CPR_PATTERN.sub(CPR_MASK, text)


def contains_cpr(text: str) -> bool:
    """Whether ``text`` holds a CPR number in any written form."""
    return CPR_PATTERN.search(text) is not None


def cpr_digits(text: str) -> str | None:
    """The ten digits of ``text`` when it is exactly one CPR number (surrounding spaces
    allowed), else ``None``. The one place that decides what a CPR number is."""
    match = CPR_PATTERN.fullmatch(text.strip())
    if match is None:
        return None
    return match["day"] + match["month"] + match["year"] + match["serial"]


def scrub_data(value: Any, *, keep: Collection[str] = ()) -> Any:
    """``value`` (JSON-like: mappings, lists, tuples, strings, numbers) with every CPR number
    in a string, a mapping key or an integer masked.

    ``keep`` names mapping keys whose values are meant to carry a CPR number and are left as
    they are. String subclasses (such as DRF's ``ErrorDetail``) are rebuilt with their code.
    """
    if isinstance(value, str):
        scrubbed = scrub_cpr(value)
        if scrubbed == value:
            return value
        if type(value) is not str and hasattr(value, "code"):
            rebuild: Any = type(value)
            return rebuild(scrubbed, code=value.code)
        return scrubbed
    if isinstance(value, Mapping):
        return {
            (scrub_cpr(k) if isinstance(k, str) else k): (
                v if k in keep else scrub_data(v, keep=keep)
            )
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        items = [scrub_data(v, keep=keep) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return CPR_MASK if contains_cpr(text) else value
    return value


class CprRedactingFilter(logging.Filter):
    """A logging filter that masks CPR numbers in the message, its arguments, the exception
    text and the stack; installed on every handler (``settings.LOGGING``).

    It never drops a record. The record is changed in place, so every handler after this one
    sees the masked text too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the template, masked, without args
            message = str(record.msg)
            record.args = None
        scrubbed = scrub_cpr(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_cpr(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub_cpr(record.stack_info)
        return True
