"""Money: Decimal amounts with a currency, and the one rounding helper.

Amounts are never floats. Rounding is half-even to the currency's precision unless a caller
names another mode (a few legal rules round differently and say so).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

# ISO 4217 minor units for the currencies we meet; anything else has two decimals.
MINOR_UNITS: dict[str, int] = {
    "DKK": 2,
    "EUR": 2,
    "SEK": 2,
    "NOK": 2,
    "USD": 2,
    "GBP": 2,
    "ISK": 0,
    "JPY": 0,
    "CHF": 2,
    "PLN": 2,
}
LEDGER_CURRENCY = "DKK"


def quantum(currency: str = LEDGER_CURRENCY) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))


def to_decimal(value: Any) -> Decimal:
    """A Decimal from an int, str or Decimal; floats are refused (they are not money)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise TypeError(f"money must not be a {type(value).__name__}: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not an amount: {value!r}") from None
    raise TypeError(f"cannot make an amount of {type(value).__name__}")


def round_money(
    value: Any, currency: str = LEDGER_CURRENCY, rounding: str = ROUND_HALF_EVEN
) -> Decimal:
    """The one rounding helper: ``value`` to the currency's precision (half-even by default).

    Use it on every computed amount and on every aggregate read back from the database
    (SQLite sums decimals as floats).
    """
    return to_decimal(value).quantize(quantum(currency), rounding=rounding)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a currency. Arithmetic keeps the currency and refuses to mix them."""

    amount: Decimal
    currency: str = LEDGER_CURRENCY

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def zero(cls, currency: str = LEDGER_CURRENCY) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError("multiply money by a Decimal, not a float")
        return Money(self.amount * factor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        return Money(round_money(self.amount, self.currency, rounding), self.currency)

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.rounded().amount} {self.currency}"
