"""``faelles audit verify [--institution SHORT]``: walk the audit chains.

Exit code 0 when every chain is intact, 1 with a report of each problem, 2 for bad input.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from faelles.core.audit import chain_for, chain_owner, verify_chains
from faelles.core.models import INSTITUTION_MODEL, AuditEvent


class Command(BaseCommand):
    help = "Audit trail tools: 'verify' recomputes the hash chains and reports tampering."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the audit hash chains")
        verify.add_argument(
            "--institution", metavar="SHORT", help="only this institution's chain (short name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options.get("institution"))

    def _chain_names(self) -> dict[str, str]:
        model = apps.get_model(INSTITUTION_MODEL)
        rows = model._default_manager.values_list("pk", "short_name")
        return {chain_for(pk): str(short) for pk, short in rows}

    def _verify(self, short_name: str | None) -> None:
        institution = None
        if short_name:
            model = apps.get_model(INSTITUTION_MODEL)
            institution = model._default_manager.filter(short_name=short_name).first()
            if institution is None:
                raise CommandError(f"no institution with short name {short_name!r}", returncode=2)
        problems = verify_chains(institution)
        events = AuditEvent.objects.all()
        if institution is not None:
            events = events.filter(chain=chain_for(institution))
        count = events.count()
        chains = events.values("chain").distinct().count()
        if problems:
            names = self._chain_names()
            for problem in problems:
                label = chain_owner(problem.split(": ", 1)[0].split("#", 1)[0], names)
                self.stdout.write(f"[{label}] {problem}")
            raise CommandError(
                f"audit trail NOT intact: {len(problems)} problem(s) in {chains} chain(s)",
                returncode=1,
            )
        self.stdout.write(f"audit trail intact: {count} events in {chains} chain(s)")
