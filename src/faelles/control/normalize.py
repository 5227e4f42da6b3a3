"""Normal forms the controls block and compare on, in Python and as the same SQL for DuckDB.

* invoice numbers: upper case, punctuation and spaces removed, OCR-like confusions folded
  (O, Q, D → 0; I, L → 1; Z → 2; S → 5; G → 6; B → 8), then leading zeros of every digit run
  dropped — ``INV-0012``, ``inv 12``, ``INV-OO12`` and ``lNV.0012`` are one key;
* bank accounts: one key whatever the notation — a Danish IBAN (``DKkk`` + 4-digit
  registration number + 10-digit account) and a domestic account (registration number +
  account number, zero-padded) are the same 14-digit BBAN; other IBANs stay whole; FIK and
  giro keep their card type and creditor / giro account;
* names and addresses: lower case, Danish letters spelt out (æ → ae, ø → oe, å → aa), company
  suffixes (ApS, A/S, I/S, IVS, K/S, P/S) and punctuation dropped, blanks collapsed.

``FOLD_SQL`` is the invoice-number form as a DuckDB expression over a column; a test checks it
against :func:`fold_number` on the cases the controls are meant to catch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_OCR_FROM = "OQDILZSGB"
_OCR_TO = "000112568"
_OCR = str.maketrans(_OCR_FROM, _OCR_TO)
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_LEADING_ZEROS = re.compile(r"(^|[^0-9])0+([0-9])")


def number_key(number: str) -> str:
    """Punctuation and leading zeros dropped, upper case (what intake compares too)."""
    compact = _NOT_ALNUM.sub("", (number or "").upper())
    return _LEADING_ZEROS.sub(r"\1\2", compact)


def fold_number(number: str) -> str:
    """The invoice number with OCR-like confusions folded as well (see the module)."""
    compact = _NOT_ALNUM.sub("", (number or "").upper()).translate(_OCR)
    # Twice: a run like "0A0B1" has overlapping matches.
    once = _LEADING_ZEROS.sub(r"\1\2", compact)
    return _LEADING_ZEROS.sub(r"\1\2", once)


def fold_sql(column: str) -> str:
    """:func:`fold_number` as a DuckDB expression over ``column``."""
    compact = (
        f"translate(regexp_replace(upper(coalesce({column}, '')), '[^0-9A-Z]', '', 'g'), "
        f"'{_OCR_FROM}', '{_OCR_TO}')"
    )
    once = f"regexp_replace({compact}, '(^|[^0-9])0+([0-9])', '\\1\\2', 'g')"
    return f"regexp_replace({once}, '(^|[^0-9])0+([0-9])', '\\1\\2', 'g')"


def _digits(value: Any) -> str:
    return re.sub(r"[^0-9]", "", str(value or ""))


def account_key(kind: str, value: str, reg: str = "", card_type: str = "") -> str:
    """One key per bank account (see the module); empty when there is nothing to compare."""
    if kind == "iban":
        iban = re.sub(r"\s", "", value or "").upper()
        if iban.startswith("DK") and len(iban) == 18 and iban[2:].isdigit():
            return f"dk:{iban[4:]}"
        return f"iban:{iban}" if iban else ""
    if kind in {"dk", "dk_account"}:
        reg_digits, account = _digits(reg), _digits(value)
        if not reg_digits or not account:
            return ""
        return f"dk:{reg_digits.zfill(4)}{account.zfill(10)}"
    if kind in {"fik", "giro"}:
        account = _digits(value)
        return f"{kind}:{card_type}:{account}" if account else ""
    if kind == "account":
        account = _digits(value)
        return f"acct:{account}" if account else ""
    return ""


def means_accounts(means: Iterable[dict[str, Any]]) -> list[str]:
    """The account keys of an invoice's payment details (``Invoice.payment_means``)."""
    keys = []
    for m in means or []:
        kind = m.get("kind", "")
        if kind == "iban":
            key = account_key("iban", m.get("iban", ""))
        elif kind == "dk_account":
            key = account_key("dk", m.get("account", ""), reg=m.get("reg", ""))
        elif kind in {"fik", "giro"}:
            value = m.get("creditor" if kind == "fik" else "account", "")
            key = account_key(kind, value, card_type=str(m.get("card_type", "")))
        elif kind == "account":
            key = account_key("account", m.get("account", ""))
        else:
            key = ""
        if key:
            keys.append(key)
    return keys


def paid_account(means: Iterable[dict[str, Any]]) -> tuple[str, str]:
    """``(account key, payment id)`` a payment run pays to: an IBAN first, then FIK, giro and
    a domestic account (the order of ``payables.bank.payee_for``), without its checks."""
    order = {"iban": 0, "fik": 1, "giro": 2, "dk_account": 3}
    usable = sorted(
        (m for m in means or [] if m.get("kind") in order), key=lambda m: order[m["kind"]]
    )
    for m in usable:
        keys = means_accounts([m])
        if keys:
            return keys[0], _digits(m.get("payment_id", ""))
    return "", ""


def master_accounts(key: str) -> list[str]:
    """The account keys in a vendor master's payment key (``payables.vendors.payment_key``:
    ``iban:DK50… dk:3000-123 fik:71:85012345``)."""
    out = []
    for part in (key or "").split():
        kind, _, rest = part.partition(":")
        if kind == "iban":
            out.append(account_key("iban", rest))
        elif kind == "dk":
            reg, _, account = rest.partition("-")
            out.append(account_key("dk", account, reg=reg))
        elif kind in {"fik", "giro"}:
            card_type, _, account = rest.partition(":")
            out.append(account_key(kind, account, card_type=card_type))
        elif kind == "account":
            out.append(account_key("account", rest))
    return [k for k in out if k]


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})
_SUFFIXES = re.compile(r"\b(aps|a s|as|i s|is|ivs|k s|ks|p s|ps|amba|smba)\b")
_PUNCT = re.compile(r"[^0-9a-z ]+")
_BLANKS = re.compile(r"\s+")


def name_key(name: str) -> str:
    """A person's or company's name in the form the linkage compares (see the module)."""
    text = _PUNCT.sub(" ", (name or "").lower().translate(_DANISH))
    text = _SUFFIXES.sub(" ", text)
    return _BLANKS.sub(" ", text).strip()


def address_key(address: str) -> str:
    """An address in the form the linkage compares: like names, and "st.", "th.", "tv."
    floor marks and commas gone."""
    text = _PUNCT.sub(" ", (address or "").lower().translate(_DANISH))
    text = re.sub(r"\b(st|th|tv|mf|sal)\b", " ", text)
    return _BLANKS.sub(" ", text).strip()


def postcode(address: str) -> str:
    """The first four-digit group of an address (the Danish postcode), or empty."""
    match = re.search(r"\b([0-9]{4})\b", address or "")
    return match.group(1) if match else ""


# --- the same forms as DuckDB expressions (for 200,000 employees at once) --------------------

_DANISH_SQL = [
    ("æ", "ae"),
    ("ø", "oe"),
    ("å", "aa"),
    ("é", "e"),
    ("ü", "u"),
    ("ö", "oe"),
    ("ä", "ae"),
]


def _danish_sql(column: str) -> str:
    text = f"lower(coalesce({column}, ''))"
    for a, b in _DANISH_SQL:
        text = f"replace({text}, '{a}', '{b}')"
    return text


def name_key_sql(column: str) -> str:
    """:func:`name_key` as a DuckDB expression."""
    text = f"regexp_replace({_danish_sql(column)}, '[^0-9a-z ]+', ' ', 'g')"
    text = (
        f"regexp_replace({text}, '\\b(aps|a s|as|i s|is|ivs|k s|ks|p s|ps|amba|smba)\\b', ' ', 'g')"
    )
    return f"trim(regexp_replace({text}, '\\s+', ' ', 'g'))"


def address_key_sql(column: str) -> str:
    """:func:`address_key` as a DuckDB expression."""
    text = f"regexp_replace({_danish_sql(column)}, '[^0-9a-z ]+', ' ', 'g')"
    text = f"regexp_replace({text}, '\\b(st|th|tv|mf|sal)\\b', ' ', 'g')"
    return f"trim(regexp_replace({text}, '\\s+', ' ', 'g'))"


def postcode_sql(column: str) -> str:
    """:func:`postcode` as a DuckDB expression."""
    return f"regexp_extract(coalesce({column}, ''), '\\b([0-9]{{4}})\\b', 1)"
