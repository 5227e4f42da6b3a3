"""``faelles retention report [--json] [--date YYYY-MM-DD]`` and ``faelles retention run``.

``report`` is the dry run: per rule, what is past its period, what the job would remove and
what a guard keeps. ``run`` is the job the daily beat task runs: it removes what has expired,
logs it and records one audit event per rule on the operator chain. Exit code 0 on success,
1 when a rule failed (the others still ran), 2 for bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faelles.core import retention


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Retention of records: 'report' (dry run) and 'run' (remove what has expired)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="what each rule would remove now (changes nothing)")
        report.add_argument("--json", action="store_true", help="one JSON document")
        report.add_argument(
            "--date",
            type=_date,
            metavar="YYYY-MM-DD",
            help="report as of this day instead of today (planning; changes nothing)",
        )
        run = sub.add_parser("run", help="remove what has expired, as the daily job does")
        run.add_argument("--rule", action="append", metavar="KEY", help="only this rule")
        run.add_argument(
            "--limit", type=int, metavar="N", help="at most N rows per rule (RETENTION_BATCH_LIMIT)"
        )
        run.add_argument("--json", action="store_true", help="one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "report":
            self._report(options)
        else:
            self._run(options)

    def _report(self, options: dict[str, Any]) -> None:
        rows = retention.retention_report(today=options.get("date"))
        if options["json"]:
            self.stdout.write(json.dumps({"rules": rows}, ensure_ascii=False, indent=2))
            return
        for row in rows:
            oldest = f", oldest {row['oldest_due']}" if row["oldest_due"] else ""
            self.stdout.write(
                f"{row['rule']} [{row['action']}]: {row['due']} due, "
                f"{row['removable']} to remove, {row['held']} held{oldest}"
            )
            self.stdout.write(f"    {row['records']}; {row['period']}")

    def _run(self, options: dict[str, Any]) -> None:
        limit = options.get("limit")
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1", returncode=2)
        try:
            results = retention.retention_run(actor=None, limit=limit, only=options.get("rule"))
        except KeyError as exc:
            raise CommandError(str(exc.args[0]), returncode=2) from None
        failed = [r for r in results if "error" in r]
        if options["json"]:
            self.stdout.write(json.dumps({"rules": results}, ensure_ascii=False, indent=2))
        else:
            for r in results:
                if "error" in r:
                    self.stdout.write(f"{r['rule']}: FAILED ({r['error']})")
                    continue
                removed = ", ".join(f"{k} {v}" for k, v in r["removed"].items()) or "nothing"
                self.stdout.write(
                    f"{r['rule']} [{r['action']}]: removed {removed}; "
                    f"{r['due_remaining']} due remaining"
                )
        if failed:
            raise CommandError(f"{len(failed)} retention rule(s) failed", returncode=1)
