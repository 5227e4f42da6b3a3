"""How a vendor is paid: the payee of an invoice's payment details, checked for what a Danish
bank needs before it goes into a pain.001 file.

An invoice's ``payment_means`` (written at intake from the e-invoice, see
``services._payment_details``) may name an IBAN, a Danish domestic account (registration
number + account number), a FIK payment slip (indbetalingskort, card types 71, 73, 75: the
creditor number and, for 71 and 75, a payment id) or a giro payment slip (girokort, card types
01, 04, 15: the giro account and, for 04 and 15, a payment id). ``payee_for`` picks the one a
payment run uses — an IBAN first, then FIK, giro and a domestic account, in the order the
invoice lists them — and checks it; a problem is a ``ValidationError`` with a stable code and
a message naming the value, so the payer sees why an invoice cannot be paid by a run.

Checks (the banks refuse or misdirect a payment otherwise):

* IBAN: the pain.001 schema's pattern (two letters, two digits, up to 30 letters/digits),
  then ISO 13616's check digits and the country's length (``invalid_iban_check``);
* registration number: exactly 4 digits (``invalid_reg``); account number: 1–10 digits
  (``invalid_account``), written as the 14-digit BBAN (reg + account padded to 10 digits);
* FIK: card type 71, 73 or 75 (``invalid_card_type``); creditor number exactly 8 digits
  (``invalid_creditor``); payment id of 71 exactly 15 digits and of 75 exactly 16 digits
  (``invalid_payment_id``) whose last digit is the modulus-10 check digit over the digits
  before it (``invalid_check_digit``; weights 2, 1, 2, … from the right, digit sums of the
  products — the Luhn scheme);
* giro: card type 01, 04 or 15 (``invalid_card_type``); giro account 7 or 8 digits
  (``invalid_giro_account``); payment id of 04 and 15 exactly 16 digits
  (``invalid_payment_id``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban

IBAN_PATTERN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}")  # the pain.001 schema's
FIK_CARD_TYPES = ("71", "73", "75")
GIRO_CARD_TYPES = ("01", "04", "15")
# card type → length of its payment id (card types not listed carry none)
PAYMENT_ID_LENGTH = {"71": 15, "75": 16, "04": 16, "15": 16}
CHECKED_PAYMENT_IDS = frozenset({"71", "75"})

IBAN = "iban"
DOMESTIC = "dk_account"
FIK = "fik"
GIRO = "giro"


def _problem(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _digits(value: Any) -> str:
    return re.sub(r"[\s.-]", "", str(value or ""))


def mod10_check_digit(payload: str) -> str:
    """The modulus-10 check digit of a FIK payment id's leading digits: from the right the
    digits are weighted 2, 1, 2, …, the digit sums of the products are added, and the check
    digit brings the total up to a multiple of ten."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def mod10_is_valid(number: str) -> bool:
    return len(number) > 1 and number.isdigit() and mod10_check_digit(number[:-1]) == number[-1]


@dataclass(frozen=True, slots=True)
class Payee:
    """Where and how one invoice is paid."""

    kind: str  # iban, dk_account, fik, giro
    account: str  # IBAN, 14-digit BBAN, FIK creditor number or giro account
    reg: str = ""  # registration number of a domestic account
    card_type: str = ""  # FIK / giro card type
    payment_id: str = ""  # FIK 71/75, giro 04/15

    @property
    def payment_type(self) -> str:
        """The payment information block the transfer belongs in: IBAN, DOMESTIC, FIK71, …"""
        if self.kind == IBAN:
            return "IBAN"
        if self.kind == DOMESTIC:
            return "DOMESTIC"
        return f"{'FIK' if self.kind == FIK else 'GIRO'}{self.card_type}"

    @property
    def per_invoice(self) -> bool:
        """A payment id names one invoice, so each invoice is its own transfer."""
        return bool(self.payment_id)

    @property
    def group_key(self) -> str:
        return f"{self.payment_type}:{self.account}:{self.payment_id}"

    @property
    def label(self) -> str:
        """How the payment reads on the page (``IBAN DK50…``, ``Konto 3000 0001234567``,
        ``FIK +71<000000000000018+85012345<``)."""
        if self.kind == IBAN:
            return f"IBAN {self.account}"
        if self.kind == DOMESTIC:
            return _("Account %(reg)s %(account)s") % {
                "reg": self.reg,
                "account": self.account[4:],
            }
        name = "FIK" if self.kind == FIK else _("Giro")
        return f"{name} +{self.card_type}<{self.payment_id}+{self.account}<"


def check_iban(value: Any) -> Payee:
    iban = str(value or "").replace(" ", "").upper()
    if not IBAN_PATTERN.fullmatch(iban):
        raise _problem("iban", "invalid_iban", _("%(v)s is not an IBAN.") % {"v": iban})
    if not stdnum_iban.is_valid(iban):
        # ISO 13616: the check digits (modulus 97) and the country's account format.
        raise _problem(
            "iban",
            "invalid_iban_check",
            _("The IBAN %(v)s has wrong check digits or the wrong length for its country.")
            % {"v": iban},
        )
    return Payee(kind=IBAN, account=iban)


def check_domestic(reg: Any, account: Any) -> Payee:
    reg, account = _digits(reg), _digits(account)
    if not re.fullmatch(r"[0-9]{4}", reg):
        raise _problem(
            "reg",
            "invalid_reg",
            _("The registration number %(v)s must be 4 digits.") % {"v": reg or "–"},
        )
    if not re.fullmatch(r"[0-9]{1,10}", account):
        raise _problem(
            "account",
            "invalid_account",
            _("The account number %(v)s must be 1 to 10 digits.") % {"v": account or "–"},
        )
    return Payee(kind=DOMESTIC, account=reg + account.zfill(10), reg=reg)


def _check_payment_id(card_type: str, payment_id: str) -> str:
    length = PAYMENT_ID_LENGTH.get(card_type)
    if length is None:
        return ""  # card types 73 and 01 carry no payment id (a message goes instead)
    if not re.fullmatch(rf"[0-9]{{{length}}}", payment_id):
        raise _problem(
            "payment_id",
            "invalid_payment_id",
            _("The payment id %(v)s of card type %(t)s must be %(n)s digits.")
            % {"v": payment_id or "–", "t": card_type, "n": length},
        )
    if card_type in CHECKED_PAYMENT_IDS and not mod10_is_valid(payment_id):
        raise _problem(
            "payment_id",
            "invalid_check_digit",
            _("The check digit of payment id %(v)s is wrong (modulus 10: expected %(d)s).")
            % {"v": payment_id, "d": mod10_check_digit(payment_id[:-1])},
        )
    return payment_id


def check_fik(card_type: Any, creditor: Any, payment_id: Any = "") -> Payee:
    card_type, creditor, payment_id = str(card_type or ""), _digits(creditor), _digits(payment_id)
    if card_type not in FIK_CARD_TYPES:
        raise _problem(
            "card_type",
            "invalid_card_type",
            _("FIK card type %(v)s is not 71, 73 or 75.") % {"v": card_type or "–"},
        )
    if not re.fullmatch(r"[0-9]{8}", creditor):
        raise _problem(
            "creditor",
            "invalid_creditor",
            _("The FIK creditor number %(v)s must be 8 digits.") % {"v": creditor or "–"},
        )
    return Payee(
        kind=FIK,
        account=creditor,
        card_type=card_type,
        payment_id=_check_payment_id(card_type, payment_id),
    )


def check_giro(card_type: Any, account: Any, payment_id: Any = "") -> Payee:
    card_type, account, payment_id = str(card_type or ""), _digits(account), _digits(payment_id)
    if card_type not in GIRO_CARD_TYPES:
        raise _problem(
            "card_type",
            "invalid_card_type",
            _("Giro card type %(v)s is not 01, 04 or 15.") % {"v": card_type or "–"},
        )
    if not re.fullmatch(r"[0-9]{7,8}", account):
        raise _problem(
            "account",
            "invalid_giro_account",
            _("The giro account %(v)s must be 7 or 8 digits.") % {"v": account or "–"},
        )
    return Payee(
        kind=GIRO,
        account=account,
        card_type=card_type,
        payment_id=_check_payment_id(card_type, payment_id),
    )


def _payee_of(means: dict[str, Any]) -> Payee | None:
    kind = means.get("kind")
    if kind == IBAN:
        return check_iban(means.get("iban"))
    if kind == FIK:
        return check_fik(means.get("card_type"), means.get("creditor"), means.get("payment_id"))
    if kind == GIRO:
        return check_giro(means.get("card_type"), means.get("account"), means.get("payment_id"))
    if kind == DOMESTIC:
        return check_domestic(means.get("reg"), means.get("account"))
    return None


ORDER = (IBAN, FIK, GIRO, DOMESTIC)


def payee_for(payment_means: Iterable[dict[str, Any]]) -> Payee | None:
    """The payee a payment run uses for these payment details, ``None`` when they name
    nothing a run can pay (no details, a bare account, a card). Raises ``ValidationError``
    (the codes above) when the chosen details are malformed."""
    usable = [m for m in payment_means if m.get("kind") in ORDER]
    if not usable:
        return None
    usable.sort(key=lambda m: ORDER.index(m["kind"]))
    return _payee_of(usable[0])
