"""Invoices that name an order: a place for a higher app (purchasing) to match them.

Payables sits below purchasing (import-linter's layers), so it cannot look orders up itself.
Purchasing registers a matcher when Django starts (``register``); intake asks every registered
matcher about the new invoices of a batch whose ``OrderReference`` is set (one call per batch
and institution, so a matcher reads its orders with one query) and applies the answer before
the invoices are written:

* a match gives the order's coding for every line and, when the goods receipt covers the
  invoice, the requester who confirmed it: the invoice is then coded and attested by that
  receipt and goes straight to the approvers (``attested_by`` counts as the attester for
  segregation of duties: that person may not approve it); where the order's approval
  covers the invoice (the matcher's rule, e.g. an institution's setting and the amount),
  also the order's approver: after intake commits, payables approves the invoice as that
  person through its approval service (``payables.tasks.invoice_approve_covered``); a
  refusal (limit, segregation of duties) leaves it waiting for the approvers;
* a mismatch gives the reasons (which line, ordered vs received vs invoiced, price against
  the order) as warnings on the received document; the invoice waits for the invoice
  receivers, with the reasons on its page;
* ``None``: the matcher knows no such order; intake goes on as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, InvoiceLine
from faelles.tenancy.models import Institution


@dataclass(frozen=True, slots=True)
class OrderMatch:
    """A matcher's answer for one invoice."""

    order: str  # the order's number, for the history
    specs: list[AllocationSpec] = field(default_factory=list)
    attested_by: int | None = None  # the requester whose goods receipt attests the invoice
    # The order's approver, when the order's approval covers the invoice: payables approves
    # it as that person after intake commits (their limit and segregation of duties apply).
    approved_by: int | None = None
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (line no, why)

    @property
    def matched(self) -> bool:
        return not self.problems


Matcher = Callable[
    [Institution, Sequence[tuple[Invoice, Sequence[InvoiceLine]]]], list[OrderMatch | None]
]

_matchers: list[Matcher] = []


def register(matcher: Matcher) -> None:
    """Add a matcher (idempotent: the same function twice is kept once)."""
    if matcher not in _matchers:
        _matchers.append(matcher)


def match_orders(
    institution: Institution, invoices: Sequence[tuple[Invoice, Sequence[InvoiceLine]]]
) -> list[OrderMatch | None]:
    """The first answer of the registered matchers for each invoice (``None``: no match)."""
    answers: list[OrderMatch | None] = [None] * len(invoices)
    if not invoices:
        return answers
    for matcher in _matchers:
        for index, answer in enumerate(matcher(institution, invoices)):
            if answers[index] is None and answer is not None:
                answers[index] = answer
    return answers
