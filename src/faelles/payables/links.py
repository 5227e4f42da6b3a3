"""Where a journal entry's source in invoice handling is shown: the invoice's or the payment
run's page, for a viewer who may see it (through the gate). Collected by
:mod:`faelles.web.sources` with every app's ``SOURCES``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.payables import selectors


def _invoice(user: Any, pk: str) -> tuple[str, str] | None:
    try:
        invoice = selectors.access_invoice(user, pk)
    except Http404:
        return None
    return f"{_('Invoice')} {invoice.number} · {invoice.vendor}", reverse(
        "payables:invoice-detail", args=[invoice.pk]
    )


def _payment_run(user: Any, pk: str) -> tuple[str, str] | None:
    try:
        run = selectors.access_payment_run(user, pk)
    except Http404:
        return None
    return f"{_('Payment run')} #{run.pk}", reverse("payables:payment-run-detail", args=[run.pk])


#: Source type → (its name, the page of one source for a viewer, or None when not visible).
SOURCES: dict[str, tuple[str | Promise, Callable[[Any, str], tuple[str, str] | None]]] = {
    "payables.invoice": (_("Invoice"), _invoice),
    "payables.paymentrun": (_("Payment run"), _payment_run),
}
