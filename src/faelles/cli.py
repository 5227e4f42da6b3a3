"""The ``faelles`` command.

Pure-library commands (``einvoice``, ``payroll``, ``sla``) run without Django so that batch runs
start fast; everything else is a Django management command (``faelles migrate``,
``faelles demo``, ``faelles serve``, ``faelles audit verify`` …).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence


def _einvoice(argv: Sequence[str]) -> int:
    from faelles.einvoice.cli import main

    return main(list(argv))


#: ``faelles payroll run`` and ``faelles payroll demo`` are the payroll app's (Django); the
#: engine's own subcommands (``calc``) run without Django.
PAYROLL_APP_COMMANDS = frozenset({"run", "demo"})


def _payroll(argv: Sequence[str]) -> int:
    if argv and argv[0] in PAYROLL_APP_COMMANDS:
        return _django(["payroll", *argv])
    from faelles.payroll.engine.cli import main

    return main(list(argv))


def _sla(argv: Sequence[str]) -> int:
    from faelles.sla.cli import main

    return main(list(argv))


PURE_COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "einvoice": _einvoice,
    "payroll": _payroll,
    "sla": _sla,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        return PURE_COMMANDS[args[0]](args[1:])
    return _django(args)


def _django(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["faelles", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
