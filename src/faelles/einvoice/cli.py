"""``faelles einvoice``: batch validation and display of e-invoices (not yet complete)."""

from __future__ import annotations


def main(argv: list[str]) -> int:
    print("faelles einvoice: not implemented yet")
    return 2
