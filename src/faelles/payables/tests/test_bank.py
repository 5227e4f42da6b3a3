"""The checks of Danish payment details before they go into a pain.001 file (``bank``)."""

import random

import pytest
from django.core.exceptions import ValidationError
from stdnum import luhn

from faelles.payables import bank
from faelles.payables.bank import Payee


def refusal(call, *args):
    with pytest.raises(ValidationError) as exc:
        call(*args)
    return [
        (e.code, e.message % (e.params or {}))
        for errs in exc.value.error_dict.values()
        for e in errs
    ]


def test_mod10_check_digit_is_the_luhn_digit_of_the_payment_id():
    # the FIK 71 example of the Uniconta manual: +71<004040400000669+12345678<
    assert bank.mod10_check_digit("00404040000066") == "9"
    assert bank.mod10_is_valid("004040400000669")
    assert not bank.mod10_is_valid("004040400000668")
    assert bank.mod10_check_digit("00000000000001") == "8"
    assert bank.mod10_check_digit("123456789012345") == "2"
    rng = random.Random(4)
    for _ in range(500):
        payload = "".join(rng.choice("0123456789") for _ in range(rng.choice((14, 15))))
        assert bank.mod10_check_digit(payload) == luhn.calc_check_digit(payload)


def test_good_details_give_their_payee():
    assert bank.check_iban("dk50 0040 0440 1162 43") == Payee(
        kind="iban", account="DK5000400440116243"
    )
    assert bank.check_domestic("3000", "123 4567") == Payee(
        kind="dk_account", account="30000001234567", reg="3000"
    )
    assert bank.check_fik("71", "85012345", "000000000000018") == Payee(
        kind="fik", account="85012345", card_type="71", payment_id="000000000000018"
    )
    assert bank.check_fik("73", "85012345", "ignored text") == Payee(
        kind="fik", account="85012345", card_type="73"
    )
    assert bank.check_fik("75", "85012345", "1234567890123452").payment_id == "1234567890123452"
    assert bank.check_giro("01", "1234567") == Payee(kind="giro", account="1234567", card_type="01")
    assert bank.check_giro("04", "7654321", "1234567890123456").payment_id == "1234567890123456"


def test_labels_say_how_the_vendor_is_paid():
    assert bank.check_iban("DK5000400440116243").label == "IBAN DK5000400440116243"
    assert bank.check_domestic("3000", "1234567").label == "Account 3000 0001234567"
    assert bank.check_fik("71", "85012345", "000000000000018").label == (
        "FIK +71<000000000000018+85012345<"
    )
    assert bank.check_fik("73", "85012345").label == "FIK +73<+85012345<"
    assert bank.check_giro("04", "7654321", "1234567890123456").label == (
        "Giro +04<1234567890123456+7654321<"
    )


def test_bad_details_are_refused_with_a_code_and_a_message():
    assert refusal(bank.check_iban, "12345") == [("invalid_iban", "12345 is not an IBAN.")]
    assert refusal(bank.check_iban, "DK3420005012345678") == [
        (
            "invalid_iban_check",
            "The IBAN DK3420005012345678 has wrong check digits or the wrong length for its "
            "country.",
        )
    ]
    assert refusal(bank.check_domestic, "300", "1234567") == [
        ("invalid_reg", "The registration number 300 must be 4 digits.")
    ]
    assert refusal(bank.check_domestic, "3000", "12345678901") == [
        ("invalid_account", "The account number 12345678901 must be 1 to 10 digits.")
    ]
    assert refusal(bank.check_domestic, "3000", "12A45") == [
        ("invalid_account", "The account number 12A45 must be 1 to 10 digits.")
    ]
    assert refusal(bank.check_fik, "72", "85012345", "") == [
        ("invalid_card_type", "FIK card type 72 is not 71, 73 or 75.")
    ]
    assert refusal(bank.check_fik, "71", "8501234", "000000000000018") == [
        ("invalid_creditor", "The FIK creditor number 8501234 must be 8 digits.")
    ]
    assert refusal(bank.check_fik, "71", "85012345", "00000000000018") == [
        ("invalid_payment_id", "The payment id 00000000000018 of card type 71 must be 15 digits.")
    ]
    assert refusal(bank.check_fik, "75", "85012345", "") == [
        ("invalid_payment_id", "The payment id – of card type 75 must be 16 digits.")
    ]
    assert refusal(bank.check_fik, "71", "85012345", "000000000000017") == [
        (
            "invalid_check_digit",
            "The check digit of payment id 000000000000017 is wrong (modulus 10: expected 8).",
        )
    ]
    assert refusal(bank.check_fik, "75", "85012345", "1234567890123453") == [
        (
            "invalid_check_digit",
            "The check digit of payment id 1234567890123453 is wrong (modulus 10: expected 2).",
        )
    ]
    assert refusal(bank.check_giro, "05", "1234567") == [
        ("invalid_card_type", "Giro card type 05 is not 01, 04 or 15.")
    ]
    assert refusal(bank.check_giro, "01", "123456") == [
        ("invalid_giro_account", "The giro account 123456 must be 7 or 8 digits.")
    ]
    assert refusal(bank.check_giro, "15", "1234567", "123") == [
        ("invalid_payment_id", "The payment id 123 of card type 15 must be 16 digits.")
    ]


def test_payee_for_prefers_an_iban_then_fik_giro_and_a_domestic_account():
    fik = {"kind": "fik", "card_type": "73", "creditor": "85012345", "payment_id": ""}
    domestic = {"kind": "dk_account", "reg": "3000", "account": "1234567"}
    iban = {"kind": "iban", "iban": "DK5000400440116243"}
    assert bank.payee_for([domestic, fik, iban]).kind == "iban"
    assert bank.payee_for([domestic, fik]).kind == "fik"
    assert bank.payee_for([domestic]).kind == "dk_account"
    assert bank.payee_for([{"kind": "account", "account": "x"}]) is None
    assert bank.payee_for([]) is None
    with pytest.raises(ValidationError):
        bank.payee_for([{**fik, "creditor": "1"}])
