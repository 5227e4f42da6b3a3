"""The check functions of the Peppol schematron (``u:gln``, ``u:mod11`` ...) in Python.

Each follows the XSLT function of the same name step by step, including its quirks (for
example ``u:checkCF`` accepts any 11-character integer), because the rules must agree with the
official stylesheet, not with a stricter reading of the identifier schemes.
"""

from __future__ import annotations

import math

from faelles.einvoice.rules.peppol._xpath import castable_integer, number

_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ASCII_ALNUM = _ASCII_LETTERS | frozenset("0123456789")
_DIGITS = frozenset("0123456789")


def _digit_values(chars: str) -> list[int]:
    """``string-to-codepoints(...) - 48`` for each character."""
    return [ord(c) - 48 for c in chars]


def _last_digit_equals(value: str, expected: int) -> bool:
    """``expected = number(substring($val, string-length($val), 1))``."""
    last = number(value[-1:]) if value else math.nan
    return not math.isnan(last) and last == expected


def gln(value: str) -> bool:
    """``u:gln``: GS1 check digit (weights 3, 1, 3 ... from the right of the payload)."""
    payload = value[-2::-1]  # every character but the check digit, right to left
    tripled, single = payload[0::2], payload[1::2]
    weighted = 3 * (sum(map(ord, tripled)) - 48 * len(tripled)) + (
        sum(map(ord, single)) - 48 * len(single)
    )
    return _last_digit_equals(value, (10 - weighted % 10) % 10)


def mod11(value: str) -> bool:
    """``u:mod11``: Norwegian organisation number check digit (weights 2..7 cycling)."""
    if not number(value) > 0:
        return False
    digits = list(reversed(_digit_values(value[:-1])))
    weighted = sum(d * ((i % 6) + 2) for i, d in enumerate(digits))
    return _last_digit_equals(value, (11 - weighted % 11) % 11)


def mod97_0208(value: str) -> bool:
    """``u:mod97-0208``: Belgian enterprise number, 97 - (first eight digits mod 97)."""
    head = value[:8]
    if not castable_integer(head):
        return False
    calculated = 97 - int(head) % 97
    check = number(value[8:10])
    return not math.isnan(check) and check == calculated


def codice_ipa(value: str) -> bool:
    """``u:checkCodiceIPA``: six ASCII letters or digits."""
    return len(value) == 6 and all(c in _ASCII_ALNUM for c in value)


def _letters(value: str) -> bool:
    return all(c in _ASCII_LETTERS for c in value)


def _codice_fiscale_16(value: str) -> bool:
    """``u:checkCF16``: the letter/digit layout of a personal Codice Fiscale."""
    return (
        _letters(value[0:6])
        and castable_integer(value[6:8])
        and _letters(value[8:9])
        and castable_integer(value[9:11])
        and castable_integer(value[14:15])
        and _letters(value[15:16])
    )


def codice_fiscale(value: str) -> bool:
    """``u:checkCF``: 16 characters in the personal layout, or an 11-character integer."""
    if len(value) == 16:
        return _codice_fiscale_16(value)
    if len(value) == 11:
        return castable_integer(value)
    return False


def _piva_sum(value: str) -> int:
    """``u:addPIVA``: Luhn-style sum over the digits, doubling every second one."""
    total = 0
    doubled = False
    for char in value:
        digit = int(char)
        total += int("0246813579"[digit]) if doubled else digit
        doubled = not doubled
    return total


def partita_iva(value: str) -> bool:
    """``u:checkPIVAseIT``: an ``IT`` prefix must be followed by a valid 11-digit Partita IVA.

    Any other prefix passes, as in the stylesheet.
    """
    if value[:2] not in ("IT", "it"):
        return True
    code = value[2:]
    if len(code) != 11 or not all(c in _DIGITS for c in code):
        return False
    return _piva_sum(code) % 10 == 0


def abn(value: str) -> bool:
    """``u:abn``: Australian Business Number, weighted sum mod 89 (first digit minus one)."""
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    if len(value) < 11:
        return False
    codes = [ord(c) for c in value[:11]]
    total = (codes[0] - 49) * weights[0]
    total += sum((c - 48) * w for c, w in zip(codes[1:], weights[1:], strict=True))
    return total % 89 == 0


def greek_tin(value: str) -> bool:
    """``u:TinVerification``: Greek tax id (AFM) check digit over the first nine characters."""
    if len(value) < 9 or not all(c in _DIGITS for c in value[:9]):
        return False
    digits = [int(c) for c in value[:9]]
    checksum = sum(digits[7 - i] * (2 << i) for i in range(8))
    return (checksum % 11) % 10 == digits[8]


def swedish_org_number(value: str) -> bool:
    """``u:checkSEOrgnr``: digits only, Luhn check digit in position ten."""
    if not value or not all(c in _DIGITS for c in value):
        return False
    main = value[:9]
    total = 0
    for pos in range(1, len(main) + 1):
        digit = int(main[len(main) - pos])
        if pos % 2 == 1:
            total += (digit * 2) % 10 + (digit * 2) // 10
        else:
            total += digit
    check = number(value[9:10])
    return not math.isnan(check) and (10 - total % 10) % 10 == check
