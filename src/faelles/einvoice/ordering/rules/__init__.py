"""The Peppol BIS post-award rule sets (``peppol-t01`` ... ``peppol-t116``) in plain Python.

Each is the published ``PEPPOLBIS-Txx.sch`` (``../shared/data/ordering/rules``): the common
patterns (``parts/common``: no empty elements, dates, identifier check digits), then the
transaction's own pattern(s) (``parts/PEPPOL-M-Txx.sch``), with the official ids, flags and
messages. The generated ``Txx-basic.sch`` each file also includes (cardinalities and code lists
built from the syntax definitions, ``target/generated``) is not among the published sources and
is not implemented; the UBL 2.1 XML Schema runs before the rules instead. The allowance and
charge reason code lists it defines (``$clUNCL5189``, ``$clUNCL7161``) are the Peppol BIS
Billing lists, which the PEPPOL-Txx-CL001/CL002 rules use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from faelles.einvoice.ordering.rules._engine import Pattern, RuleSet
from faelles.einvoice.ordering.rules.common import COMMON

__all__ = ["RULE_SETS", "RuleSet", "load"]


def _patterns(code: str) -> Sequence[Pattern[Any]]:
    from faelles.einvoice.ordering.rules import (
        agreement,
        catalogue,
        despatch,
        order,
        response,
        responses,
    )

    own: dict[str, Sequence[Pattern[Any]]] = {
        "T01": (order.T01,),
        "T114": (order.T114,),
        "T76": (response.T76,),
        "T116": (response.T116,),
        "T110": (agreement.T110,),
        "T19": (catalogue.T19,),
        "T77": (catalogue.T77,),
        "T16": (despatch.T16,),
        "T115": (responses.T115,),
        "T58": (responses.T58,),
        "T71": (responses.T71,),
        "T111": (responses.T111, responses.T111_CODES),
    }
    return (*COMMON, *own[code])


RULE_SETS = (
    "T01",
    "T76",
    "T110",
    "T116",
    "T114",
    "T115",
    "T19",
    "T77",
    "T58",
    "T71",
    "T111",
    "T16",
)
_LOADED: dict[str, RuleSet] = {}


def load(name: str) -> RuleSet:
    """The rule set ``peppol-t01`` ... ``peppol-t116``; built on first use, then kept."""
    rule_set = _LOADED.get(name)
    if rule_set is None:
        code = name.removeprefix("peppol-").upper()
        if not name.startswith("peppol-") or code not in RULE_SETS:
            raise KeyError(f"unknown post-award rule set {name!r}")
        rule_set = _LOADED[name] = RuleSet(name, f"PEPPOLBIS-{code}", _patterns(code))
    return rule_set
