"""The invoice-handling numbers that ``/metrics`` reads from the database when scraped.

``faelles_invoices_waiting{state}``: the invoices in each state that still waits for someone
(received, coded, attested, approved, posted, scheduled), over all institutions. These are
operator-wide counts with no institution's data in them, read without a user, so they do not
pass the access gate. One grouped query, at most once per ``METRICS_DB_CACHE_SECONDS`` (30 s)
per process, so a scrape every few seconds does not load the database.

The counters of what happens (documents received, rejected, payment runs) are counted where it
happens, after commit (:mod:`faelles.payables.intake`, :mod:`faelles.payables.payments`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from faelles.payables.models import Invoice, InvoiceState

WAITING_STATES = (
    InvoiceState.RECEIVED,
    InvoiceState.CODED,
    InvoiceState.ATTESTED,
    InvoiceState.APPROVED,
    InvoiceState.POSTED,
    InvoiceState.SCHEDULED,
)


def invoices_waiting() -> dict[str, int]:
    """The number of invoices in each waiting state (0 for a state with none)."""
    counts = dict.fromkeys((str(s) for s in WAITING_STATES), 0)
    rows = (
        Invoice.objects.filter(state__in=WAITING_STATES)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for state, n in rows:
        counts[state] = n
    return counts


class InvoicesWaitingCollector:
    """``faelles_invoices_waiting{state}``, read from the database at most every
    ``METRICS_DB_CACHE_SECONDS``."""

    def __init__(self) -> None:
        self._cached: tuple[float, dict[str, int]] | None = None

    def collect(self) -> Iterable[Metric]:
        ttl: float = getattr(settings, "METRICS_DB_CACHE_SECONDS", 30)
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] >= ttl:
            self._cached = (now, invoices_waiting())
        gauge = GaugeMetricFamily(
            "faelles_invoices_waiting",
            "Invoices waiting in each state of the approval flow, over all institutions.",
            labels=["state"],
        )
        for state, n in self._cached[1].items():
            gauge.add_metric([state], n)
        return [gauge]
