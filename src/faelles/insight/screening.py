"""The ripeness screening of the task inventory: which uniform tasks are ripe for sharing.

Each task is scored 1–5 on three criteria and weighted (the weights and thresholds are here,
once, and in ``docs/design/insight.md``):

- **standardisability** (weight 0.40, judged): 5 = the task is done the same way everywhere
  and by rules; 1 = it needs local judgement every time;
- **volume** (weight 0.35, from the volume per year): 1 under 1,000, 2 from 1,000, 3 from
  5,000, 4 from 20,000, 5 from 100,000 a year — measured by the platform where it can be (the
  invoices received for an invoice-handling task, the cases with the task's FORM code), else
  as entered;
- **bindings** (weight 0.25, judged; 5 = free of bindings): law, local practice, special
  systems or physical presence that tie the task to the institution.

score = 0.40·S + 0.35·V + 0.25·B (1.00–5.00); *ripe* from 3.50, *possible* from 2.50.

A **candidate for sharing** is a FORM code done in several institutions: its volume is their
combined volume, S and B the means of their judgements, and the same formula gives its
score. Candidates rank by score, then by the institutions' combined hours (the gain at stake),
then by the number of institutions.
"""

from __future__ import annotations

from decimal import Decimal

WEIGHTS = {
    "standardisability": Decimal("0.40"),
    "volume": Decimal("0.35"),
    "bindings": Decimal("0.25"),
}
#: (lowest volume per year, score)
VOLUME_STEPS: tuple[tuple[int, int], ...] = ((100_000, 5), (20_000, 4), (5_000, 3), (1_000, 2))
RIPE = Decimal("3.50")
POSSIBLE = Decimal("2.50")
TWO = Decimal("0.01")


def volume_score(volume: int) -> int:
    for lowest, score in VOLUME_STEPS:
        if volume >= lowest:
            return score
    return 1


def score(standardisability: Decimal | int, volume: int, bindings: Decimal | int) -> Decimal:
    """The weighted ripeness score (two decimals)."""
    total = (
        WEIGHTS["standardisability"] * Decimal(standardisability)
        + WEIGHTS["volume"] * volume_score(volume)
        + WEIGHTS["bindings"] * Decimal(bindings)
    )
    return total.quantize(TWO)


def verdict(value: Decimal) -> str:
    if value >= RIPE:
        return "ripe"
    if value >= POSSIBLE:
        return "possible"
    return "not_ripe"
