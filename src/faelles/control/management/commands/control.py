"""``faelles control run [--json] [--control NAME] [--operator ID]``: run the cross-institution
controls and store the hits.

With ``--json``: one JSON object per hit of this run,
``{"control", "score", "institutions", "objects": [{"type", "id"}], "amount", "reason"}``
(``institutions``: the pks, the owner of the money at stake first; ``amount``: the money at
stake as a decimal string; ``score``: 0–1), ordered by priority, and a last line
``{"summary": {...}}`` (per control: hits, new, refreshed, suppressed, on the work list, money
at stake; timings in seconds). Without it, a short table.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faelles.control.models import Hit
from faelles.control.services import CONTROL_NAMES, control_run
from faelles.tenancy.models import Operator


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "control": hit.control,
        "score": float(hit.score),
        "institutions": list(hit.institutions),
        "objects": [{"type": o["type"], "id": o["id"]} for o in hit.objects_involved],
        "amount": str(hit.amount),
        "reason": hit.reason,
    }


class Command(BaseCommand):
    help = "Cross-institution controls. 'run' runs them over every institution and stores hits."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="run the controls")
        run.add_argument("--json", action="store_true", help="JSON Lines output")
        run.add_argument(
            "--control",
            action="append",
            choices=CONTROL_NAMES,
            help="run only this control (repeatable)",
        )
        run.add_argument("--operator", type=int, help="only the institutions this operator serves")
        run.add_argument(
            "--backend",
            choices=["duckdb", "spark"],
            default="duckdb",
            help="where splink links vendors and employees (spark: the optional extra)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        operator = None
        if options.get("operator"):
            operator = Operator.objects.filter(pk=options["operator"]).first()
            if operator is None:
                raise CommandError(f"no operator {options['operator']}")
        run = control_run(
            actor=None,
            operator=operator,
            controls=options.get("control") or None,
            linkage_backend=options["backend"],
        )
        hits = Hit.objects.filter(last_run=run).order_by("-priority", "-score", "pk")
        if options["json"]:
            for hit in hits.iterator(chunk_size=2000):
                self.stdout.write(json.dumps(hit_json(hit), ensure_ascii=False))
            self.stdout.write(json.dumps({"summary": run.summary}, ensure_ascii=False))
            return
        for name, counts in run.summary["controls"].items():
            self.stdout.write(
                f"{name:26} hits {counts['hits']:6}  new {counts['new']:6}  "
                f"on work list {counts['work_list']:6}  suppressed {counts['suppressed']:5}  "
                f"at stake {counts['amount']}"
            )
        self.stdout.write(f"run {run.pk}: {run.summary['seconds']['total']} s")
