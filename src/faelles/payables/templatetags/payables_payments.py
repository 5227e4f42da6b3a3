"""Template tags for the payment-run pages: the run's transfers (how each vendor is paid) and
the invoices a run cannot pay (see :mod:`faelles.payables.payments`)."""

from __future__ import annotations

from django import template

from faelles.payables import payments
from faelles.payables.models import Invoice, PaymentRun

register = template.Library()


@register.simple_tag
def run_transfers(run: PaymentRun) -> list[payments.Transfer]:
    """``{% run_transfers object as transfers %}``: one row per credit transfer of the run."""
    return payments.transfers_of(run)


@register.simple_tag
def run_left_out(run: PaymentRun) -> list[payments.LeftOut]:
    """``{% run_left_out object as problems %}``: the due invoices a run on the same date
    cannot pay, with the reason (shown while the run is a draft)."""
    return payments.left_out(run.institution, run.execution_date)


@register.filter
def payee_label(invoice: Invoice) -> str:
    """``{{ invoice|payee_label }}``: how the invoice is paid (IBAN, account, FIK, giro)."""
    return payments.payee_label(invoice)
