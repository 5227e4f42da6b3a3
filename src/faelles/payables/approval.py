"""A compatibility re-export: the steps of the life cycle are in :mod:`faelles.payables.lifecycle`
(one module per step). Only the invoice page still imports these two names from here; import
from ``faelles.payables.lifecycle.approval`` instead."""

from faelles.payables.lifecycle.approval import approval_problems
from faelles.payables.lifecycle.common import LEDGER_CURRENCY

__all__ = ["LEDGER_CURRENCY", "approval_problems"]
