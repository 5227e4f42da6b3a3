"""``faelles payroll``: batch payslip calculation (not yet complete)."""

from __future__ import annotations


def main(argv: list[str]) -> int:
    print("faelles payroll: not implemented yet")
    return 2
