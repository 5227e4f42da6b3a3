from decimal import Decimal

import pytest

from faelles.core.money import Money, round_money


def test_round_money_is_half_even_to_the_currency_precision():
    assert round_money(Decimal("2.345")) == Decimal("2.34")
    assert round_money(Decimal("2.355")) == Decimal("2.36")
    assert round_money(Decimal("10.5"), "ISK") == Decimal("10")


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError, match="float"):
        Money(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="DKK with EUR"):
        Money(Decimal(1)) + Money(Decimal(1), "EUR")


def test_money_adds_exactly():
    total = sum((Money(Decimal("0.10")) for _ in range(10)), Money.zero())
    assert total == Money(Decimal("1.00"))
