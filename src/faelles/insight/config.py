"""The few numbers insight needs that the platform does not measure, each overridable in the
settings (``INSIGHT_HOURLY_RATE_DKK`` …) and shown on the pages beside the figures they feed.

APQC benchmark: APQC's Open Standards Benchmarking in accounts payable, the measure "total cost
to perform the process group 'process accounts payable (AP)' per invoice processed": top
quartile (the best 25 %) USD 2.07 or less, median USD 5.83 (the figures issue #16 names). The
USD figures are kept as published and converted with ``INSIGHT_USD_DKK`` when shown in DKK.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

#: The cost of one hour of an institution's administrative staff, salary and overhead (DKK).
HOURLY_RATE_DKK = Decimal("450.00")
#: Minutes one human touch of an invoice takes (coding by hand, attestation, an approval),
#: used for the cost per invoice when no hours are registered on invoice handling.
MINUTES_PER_TOUCH = Decimal("6")
#: DKK per USD for the APQC benchmark.
USD_DKK = Decimal("6.90")
#: Weekly hours of a full-time employee (a full-time equivalent, FTE) in the state.
FULL_TIME_WEEKLY_HOURS = Decimal("37")

APQC_SOURCE = (
    "APQC Open Standards Benchmarking, accounts payable: total cost to perform the process "
    "group 'process accounts payable' per invoice processed"
)
APQC_TOP_QUARTILE_USD = Decimal("2.07")
APQC_MEDIAN_USD = Decimal("5.83")


def _decimal(name: str, default: Decimal) -> Decimal:
    value = getattr(settings, name, None)
    return default if value in (None, "") else Decimal(str(value))


def hourly_rate() -> Decimal:
    return _decimal("INSIGHT_HOURLY_RATE_DKK", HOURLY_RATE_DKK)


def minutes_per_touch() -> Decimal:
    return _decimal("INSIGHT_MINUTES_PER_TOUCH", MINUTES_PER_TOUCH)


def usd_dkk() -> Decimal:
    return _decimal("INSIGHT_USD_DKK", USD_DKK)


def apqc_benchmark() -> dict[str, Decimal | str]:
    """The APQC cost-per-invoice quartiles in USD and in DKK at the configured rate."""
    rate = usd_dkk()
    return {
        "source": APQC_SOURCE,
        "usd_dkk": rate,
        "top_quartile_usd": APQC_TOP_QUARTILE_USD,
        "median_usd": APQC_MEDIAN_USD,
        "top_quartile_dkk": (APQC_TOP_QUARTILE_USD * rate).quantize(Decimal("0.01")),
        "median_dkk": (APQC_MEDIAN_USD * rate).quantize(Decimal("0.01")),
    }
