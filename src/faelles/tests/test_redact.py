"""The CPR scrubber: every written form of a CPR number is masked, nothing else is touched."""

from __future__ import annotations

import io
import logging
import string

from hypothesis import given
from hypothesis import strategies as st

from faelles.redact import (
    CPR_MASK,
    CprRedactingFilter,
    contains_cpr,
    cpr_digits,
    scrub_cpr,
    scrub_data,
)

# Every separator a CPR number is written with between its date and its serial number.
SEPARATORS = [
    "",
    "-",
    " ",
    "\u2013",  # en dash
    "\u2014",  # em dash
    "\u2011",  # non-breaking hyphen
    "\u2010",  # hyphen
    "\u2212",  # minus sign
    "\u00a0",  # no-break space
    " - ",
    " \u2013 ",
    # Encoded in a URL, a form body, JSON or a Python repr.
    "%20",
    "+",
    "%E2%80%93",
    "%e2%80%91",
    "%C2%A0",
    "\\u2013",
    "\\xa0",
]


def forms(digits: str) -> list[str]:
    """Every written form of the CPR number ``digits`` (ten digits)."""
    return [digits[:6] + sep + digits[6:] for sep in SEPARATORS]


cprs = st.builds(
    lambda d, m, y, s: f"{d:02d}{m:02d}{y:02d}{s:04d}",
    st.integers(1, 31),
    st.integers(1, 12),
    st.integers(0, 99),
    st.integers(0, 9999),
)
# Text around a CPR number: anything that does not put a digit right next to it.
around = st.text(max_size=20).filter(
    lambda t: not t[-1:].isdigit() and not (t[-1:] == "." and t[-2:-1].isdigit())
)
after = st.text(max_size=20).filter(
    lambda t: not t[:1].isdigit() and not (t[:1] == "." and t[1:2].isdigit())
)


@given(cprs, st.sampled_from(SEPARATORS), around, after)
def test_every_written_form_is_masked_wherever_it_stands(cpr, sep, before, rest):
    out = scrub_cpr(before + cpr[:6] + sep + cpr[6:] + rest)
    assert out == scrub_cpr(before) + CPR_MASK + scrub_cpr(rest)


@given(cprs, st.sampled_from(SEPARATORS))
def test_cpr_digits_reads_every_form_as_the_same_ten_digits(cpr, sep):
    assert cpr_digits(f" {cpr[:6]}{sep}{cpr[6:]} ") == cpr
    assert contains_cpr(f"({cpr[:6]}{sep}{cpr[6:]})")


@given(st.text())
def test_scrubbing_leaves_no_cpr_and_is_idempotent(text):
    out = scrub_cpr(text)
    assert not contains_cpr(out)
    assert scrub_cpr(out) == out


@given(st.text(alphabet=string.digits, min_size=11, max_size=40))
def test_longer_digit_runs_are_never_touched(digits):
    # EAN/GLN (13), FIK ids (15/16), account and IBAN digits: not CPR numbers.
    assert scrub_cpr(digits) == digits
    assert scrub_cpr(f"DK50{digits}") == f"DK50{digits}"


@given(st.text(alphabet=string.digits, min_size=0, max_size=9))
def test_shorter_digit_runs_are_never_touched(digits):
    assert scrub_cpr(f"a{digits}b") == f"a{digits}b"


@given(
    st.one_of(st.integers(32, 99), st.just(0)),
    st.integers(1, 12),
    st.integers(0, 99),
    st.integers(0, 9999),
)
def test_a_day_that_is_no_day_is_not_a_cpr(day, month, year, serial):
    text = f"{day:02d}{month:02d}{year:02d}-{serial:04d}"
    assert scrub_cpr(text) == text


@given(
    st.integers(1, 31),
    st.one_of(st.integers(13, 99), st.just(0)),
    st.integers(0, 99),
    st.integers(0, 9999),
)
def test_a_month_that_is_no_month_is_not_a_cpr(day, month, year, serial):
    text = f"{day:02d}{month:02d}{year:02d}{serial:04d}"
    assert scrub_cpr(text) == text


@given(cprs, st.integers(0, 99))
def test_decimal_amounts_are_not_cprs(digits, cents):
    amount = f"{digits}.{cents:02d}"
    assert scrub_cpr(f"amount {amount} kr") == f"amount {amount} kr"
    assert scrub_cpr(f"rate 0.{digits}") == f"rate 0.{digits}"


def test_identifiers_of_invoices_are_not_mangled():
    gln = "5790000123456"
    iban = "DK5000400440116243"
    fik = "+71<000000101901234+85000000<"
    cvr = "DK12345678"
    text = f"{gln} {iban} {fik} {cvr}"
    assert scrub_cpr(text) == text


def test_the_forms_named_in_the_issue():
    for text in [
        "0101901234",
        "010190-1234",
        "010190 1234",
        "010190–1234",
        "010190—1234",
        "010190‑1234",
        "'010190-1234'",
        '"0101901234",',
        "CPR:010190-1234.",
        "(010190-1234)",
        "0101901234,0101901234",
    ]:
        assert "1234" not in scrub_cpr(text), text
        assert "010190" not in scrub_cpr(text), text
    assert scrub_cpr("cpr 010190-1234, id 5790000123456") == "cpr XXXXXX-XXXX, id 5790000123456"


def test_the_mask_hides_every_digit():
    assert CPR_MASK == "XXXXXX-XXXX"
    assert not any(ch.isdigit() for ch in CPR_MASK)


def test_scrub_data_masks_strings_keys_and_integers_but_keeps_allowed_fields():
    data = {
        "0101901234": ["note 010190 1234", 3101901234, 12, True, None],
        "nested": ({"x": "010190–1234"},),
        "cpr": "0101901234",
    }
    assert scrub_data(data, keep={"cpr"}) == {
        CPR_MASK: [f"note {CPR_MASK}", CPR_MASK, 12, True, None],
        "nested": ({"x": CPR_MASK},),
        "cpr": "0101901234",
    }


def test_scrub_data_keeps_the_code_of_error_details():
    from rest_framework.exceptions import ErrorDetail

    out = scrub_data([ErrorDetail("bad 0101901234", code="invalid")])
    assert out == [ErrorDetail(f"bad {CPR_MASK}", code="invalid")]
    assert out[0].code == "invalid"


def test_the_logging_filter_masks_message_arguments_exception_and_stack():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(CprRedactingFilter())
    logger = logging.getLogger("faelles.tests.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("person %s in %r", "010190-1234", {"cpr": "010190 1234"})
        try:
            raise ValueError("bad cpr 010190–1234")
        except ValueError:
            logger.exception("failed for 0101901234", stack_info=True)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "1234" not in out
    assert "010190" not in out
    assert out.startswith(
        "person XXXXXX-XXXX in {'cpr': 'XXXXXX-XXXX'}\nfailed for XXXXXX-XXXX\nTraceback"
    )
    assert "ValueError: bad cpr XXXXXX-XXXX" in out
    assert "Stack (most recent call last)" in out


def test_the_logging_filter_never_drops_a_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain %d", (5,), None)
    assert CprRedactingFilter().filter(record) is True
    assert record.getMessage() == "plain 5"
