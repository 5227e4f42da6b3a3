"""``faelles cases``: case-type models and the branch simulator.

``model check FILE...``: check BPMN/DMN files as one case-type model (every ``.dmn`` file goes
with the ``.bpmn`` files; each ``.bpmn`` file is checked as its own model). Exit 0 when every
model is valid, 1 with the reasons (one line each) when not.

``model import --institution CODE [--code CODE] [--name NAME] [--task-code X] [--kle X] FILE...``:
check and import the model as a new version of the institution's case type; 1 when refused.

``simulate [--json] [CASE_TYPE...]``: run every branch of the shipped (or named shipped) case
types with generated inputs, in a transaction that is rolled back. With ``--json`` one JSON
object per case type ``{"case_type", "branches", "completed", "failed", …}`` and a last line
``{"summary": {…}}``. Exit 0 when no branch failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from faelles.cases import services
from faelles.cases.shipped import available


def _group(paths: list[Path]) -> list[dict[str, bytes]]:
    dmn = {p.name: p.read_bytes() for p in paths if p.suffix.lower() == ".dmn"}
    bpmn = [p for p in paths if p.suffix.lower() != ".dmn"]
    if not bpmn:
        return [dmn]
    return [{p.name: p.read_bytes(), **dmn} for p in bpmn]


class Command(BaseCommand):
    help = "Case handling: check and import case-type models; simulate every branch."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        model = sub.add_parser("model", help="check or import case-type models")
        model_sub = model.add_subparsers(dest="model_action", required=True)
        check = model_sub.add_parser("check", help="check BPMN/DMN files")
        check.add_argument("files", nargs="+", metavar="FILE")
        imp = model_sub.add_parser("import", help="import a model into an institution")
        imp.add_argument("--institution", required=True, metavar="CODE")
        imp.add_argument("--code", default="", help="case-type code (default: the process id)")
        imp.add_argument("--name", default="")
        imp.add_argument("--task-code", default="", help="FORM task code")
        imp.add_argument("--kle", default="", help="KLE classification")
        imp.add_argument("files", nargs="+", metavar="FILE")
        sim = sub.add_parser("simulate", help="run every branch of the shipped case types")
        sim.add_argument("--json", action="store_true")
        sim.add_argument("case_types", nargs="*", metavar="CASE_TYPE")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "model":
            code = (
                self._check(options)
                if options["model_action"] == "check"
                else self._import(options)
            )
        else:
            code = self._simulate(options)
        if code:
            sys.exit(code)

    def _read(self, names: list[str]) -> list[Path]:
        paths = [Path(n) for n in names]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}", returncode=2)
        return paths

    def _check(self, options: dict[str, Any]) -> int:
        failed = 0
        for files in _group(self._read(options["files"])):
            parsed = services.model_check(files)
            label = ", ".join(files)
            if parsed.ok:
                self.stdout.write(f"ok {label}: process {parsed.process_id}")
            else:
                failed += 1
                self.stdout.write(f"invalid {label}:")
                for finding in parsed.findings:
                    self.stdout.write(f"  {finding}")
        return 1 if failed else 0

    def _import(self, options: dict[str, Any]) -> int:
        from faelles.tenancy.models import Institution

        institution = Institution.objects.filter(short_name=options["institution"]).first()
        if institution is None:
            raise CommandError(f"unknown institution {options['institution']!r}", returncode=2)
        status = 0
        for files in _group(self._read(options["files"])):
            try:
                version = services.case_type_import(
                    actor=None,
                    institution=institution,
                    files=files,
                    code=options["code"],
                    name=options["name"],
                    task_code=options["task_code"],
                    kle=options["kle"],
                    check_role=False,
                )
            except ValidationError as exc:
                status = 1
                self.stdout.write(f"refused {', '.join(files)}:")
                for message in exc.messages:
                    self.stdout.write(f"  {message}")
                continue
            self.stdout.write(
                f"imported {version.case_type.code} version {version.number} "
                f"into {institution.short_name}"
            )
        return status

    def _simulate(self, options: dict[str, Any]) -> int:
        from faelles.cases.simulate import simulate

        shipped = available()
        codes = options["case_types"] or sorted(shipped)
        unknown = [c for c in codes if c not in shipped]
        if unknown:
            raise CommandError(
                f"unknown case type(s) {', '.join(unknown)}; shipped: {', '.join(sorted(shipped))}",
                returncode=2,
            )
        summaries = simulate(codes)
        total = {
            "case_types": len(summaries),
            "branches": sum(s["branches"] for s in summaries),
            "completed": sum(s["completed"] for s in summaries),
            "failed": sum(s["failed"] for s in summaries),
        }
        for s in summaries:
            if options["json"]:
                self.stdout.write(json.dumps(s, sort_keys=False))
            else:
                self.stdout.write(
                    f"{s['case_type']}: {s['branches']} branches, {s['completed']} completed, "
                    f"{s['failed']} failed; outcomes {s['outcomes']}"
                )
                for failure in s["failures"]:
                    self.stdout.write(
                        f"  failed: {' > '.join(failure['path'])}: {failure['error']}"
                    )
        if options["json"]:
            self.stdout.write(json.dumps({"summary": total}))
        else:
            self.stdout.write(
                f"{total['branches']} branches, {total['completed']} completed, {total['failed']} failed"
            )
        return 1 if total["failed"] else 0
