"""``faelles payroll run`` and ``faelles payroll demo`` (the engine's own ``faelles payroll
calc`` runs without Django; ``faelles.cli`` sends these two here).

``run (--institution CODE | --all) --period YYYY-MM [--frequency monthly|14days]
[--approve-as USER --second-approver USER] [--out DIR] [--json]``: creates (or finds) the
run of each institution and pay period of the month, calculates it and, with both approval
options, approves it twice (the second approval posts its journal entry). Without them the
run is left calculated, waiting for approval, and ``--out`` writes its outputs marked as
drafts. ``--json`` prints one JSON object per run and a last line ``{"summary": {…}}``.

Exit status: 0 when every run was calculated (and approved, if asked) with no employee
refused; 1 when an employee was refused or an approval was refused; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from faelles.payroll import services
from faelles.payroll.models import Employee, Frequency, PayRun
from faelles.tenancy.models import Institution, User

_SUMS = ("gross", "am", "a_tax", "net", "employer_cost")
_COUNTS = ("employees", "payslips", "refused")


class Command(BaseCommand):
    help = "Payroll: 'run' calculates (and approves) pay runs; 'demo' fills demo employees."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="calculate (and approve) the pay runs of a period")
        who = run.add_mutually_exclusive_group(required=True)
        who.add_argument("--institution", metavar="CODE", help="short name of one institution")
        who.add_argument("--all", action="store_true", help="every institution with employees")
        run.add_argument("--period", required=True, metavar="YYYY-MM")
        run.add_argument(
            "--frequency", choices=[f.value for f in Frequency], default=Frequency.MONTHLY
        )
        run.add_argument("--approve-as", metavar="USER", help="first approver (username)")
        run.add_argument("--second-approver", metavar="USER", help="second approver (username)")
        run.add_argument("--out", metavar="DIR", help="write the outputs of each run here")
        run.add_argument("--json", action="store_true", help="one JSON object per run")
        demo = sub.add_parser("demo", help="generate demo employees in the demo institutions")
        demo.add_argument("--employees", type=int, default=300, metavar="N")
        demo.add_argument("--no-run", action="store_true", help="do not pay a demo run")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "demo":
            from faelles.payroll.demo import load_payroll_demo

            load_payroll_demo(
                employees=options["employees"], stdout=self.stdout, pay_run=not options["no_run"]
            )
            return
        code = self._run(options)
        if code:
            raise SystemExit(code)

    def _run(self, options: dict[str, Any]) -> int:
        match = re.fullmatch(r"(\d{4})-(\d{2})", options["period"])
        if not match or not 1 <= int(match[2]) <= 12:
            raise CommandError("--period must be YYYY-MM")
        year, month = int(match[1]), int(match[2])
        approve_as = options.get("approve_as")
        second = options.get("second_approver")
        if bool(approve_as) != bool(second):
            raise CommandError("--approve-as and --second-approver go together")
        first_user = _user(approve_as) if approve_as else None
        second_user = _user(second) if second else None
        if options.get("institution"):
            institutions = list(Institution.objects.filter(short_name=options["institution"]))
            if not institutions:
                raise CommandError(f"no institution {options['institution']!r}")
        else:
            ids = Employee.objects.values_list("institution_id", flat=True).distinct().order_by()
            institutions = list(Institution.objects.filter(pk__in=ids).order_by("short_name"))
        out_dir = Path(options["out"]) if options.get("out") else None
        as_json = options["json"]
        summary: dict[str, Any] = {"runs": 0, **dict.fromkeys(_COUNTS, 0)}
        summary.update({k: Decimal("0.00") for k in _SUMS})
        status = 0
        frequency = options["frequency"]
        for institution in institutions:
            for start, end, pay in services.periods_for(frequency, year, month):
                try:
                    run = services.run_create(
                        actor=first_user,
                        institution=institution,
                        frequency=frequency,
                        period_start=start,
                        period_end=end,
                        payment_date=pay,
                    )
                    if run.state in (PayRun.State.DRAFT, PayRun.State.CALCULATED):
                        run = services.run_calculate(actor=first_user, run=run)
                    if first_user and second_user:
                        if run.state == PayRun.State.CALCULATED:
                            run = services.run_approve(actor=first_user, run=run)
                        if run.state == PayRun.State.APPROVED:
                            run = services.run_second_approve(actor=second_user, run=run)
                except ValidationError as exc:
                    status = 1
                    messages = "; ".join(exc.messages)
                    self.stderr.write(f"{institution.short_name} {start.isoformat()}: {messages}")
                    continue
                run = PayRun.objects.select_related("institution", "entry").get(pk=run.pk)
                totals = services.run_totals(run)
                if run.refused:
                    status = 1
                if out_dir is not None:
                    from faelles.payroll.outputs import write_outputs

                    write_outputs(run, out_dir, actor=first_user)
                summary["runs"] += 1
                for k in _COUNTS:
                    summary[k] += totals[k]
                for k in _SUMS:
                    summary[k] += Decimal(totals[k])
                if as_json:
                    self.stdout.write(json.dumps(totals, ensure_ascii=False))
                else:
                    self.stdout.write(
                        f"{totals['institution']} {totals['period']} {totals['state']}: "
                        f"{totals['payslips']} payslip(s), {totals['refused']} refused, "
                        f"net {totals['net']} kr."
                    )
        for k in _SUMS:
            summary[k] = str(summary[k])
        if as_json:
            self.stdout.write(json.dumps({"summary": summary}, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{summary['runs']} run(s), {summary['payslips']} payslip(s), "
                f"{summary['refused']} refused, net {summary['net']} kr."
            )
        sys.stdout.flush()
        return status


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user
