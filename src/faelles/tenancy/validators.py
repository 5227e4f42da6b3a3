"""Check-digit validation of the Danish identifiers tenancy stores (python-stdnum)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import ean
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def compact_cvr(value: str) -> str:
    """``value`` without spaces, dashes and a ``DK`` prefix (not yet validated)."""
    return str(stdnum_cvr.compact(value or ""))


def clean_cvr(value: str) -> str:
    """The 8-digit CVR number (spaces and a ``DK`` prefix removed), or a ValidationError."""
    try:
        return str(stdnum_cvr.validate(value))
    except InvalidChecksum:
        raise ValidationError(
            _("%(value)s is not a valid CVR number: the check digit (modulus 11) is wrong."),
            code="cvr_checksum",
            params={"value": value},
        ) from None
    except (InvalidLength, InvalidFormat, StdnumError):
        raise ValidationError(
            _("%(value)s is not a valid CVR number: it must be 8 digits."),
            code="cvr_format",
            params={"value": value},
        ) from None


def clean_gln(value: str) -> str:
    """The 13-digit EAN/GLN location number, or a ValidationError."""
    compact = str(ean.compact(value))
    if len(compact) != 13 or not compact.isdigit():
        raise ValidationError(
            _("%(value)s is not a valid EAN/GLN number: it must be 13 digits."),
            code="gln_format",
            params={"value": value},
        )
    try:
        return str(ean.validate(compact))
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid EAN/GLN number: the check digit is wrong."),
            code="gln_checksum",
            params={"value": value},
        ) from None


def gln_with_check_digit(first12: str) -> str:
    """Complete a 12-digit prefix with its GS1 check digit (used by the demo data)."""
    return first12 + str(ean.calc_check_digit(first12))
