"""``faelles ledger check``: all invariant passes over all institutions."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faelles.ledger.checks import run_all
from faelles.tenancy.models import Institution


class Command(BaseCommand):
    help = "Ledger tools. 'check' runs every invariant pass; exit 0 when clean, 1 otherwise."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="run every invariant pass")
        check.add_argument("--institution", help="short name of one institution")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "check":
            raise CommandError(f"unknown action {options['action']!r}")
        institutions = Institution.objects.order_by("short_name")
        if options.get("institution"):
            institutions = institutions.filter(short_name=options["institution"])
            if not institutions.exists():
                raise CommandError(f"no institution {options['institution']!r}")
        problems = run_all(list(institutions))
        if problems:
            for problem in problems:
                self.stdout.write(problem)
            self.stdout.write(f"{len(problems)} problem(s) found")
            raise SystemExit(1)
        self.stdout.write(
            f"ledger check: {institutions.count()} institution(s), all invariants hold"
        )
