"""Agreement of faelles.einvoice with the official conformance material, per rule set.

Runs every vefa test case in ../shared/data/einvoice/unit (each names rule ids that must or
must not fire) and every published example in ../shared/data/einvoice/examples (none may have
a fatal finding), and prints a table of cases agreeing / total per folder, then one JSON line.
Known exceptions (tests/exceptions_*.py, each with its reason) are counted apart; the exit
status is 0 when every disagreement is a listed exception.

    .venv/bin/python scripts/einvoice_conformance.py [--shared DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from faelles.einvoice.tests.conformance_exceptions import EXCEPTIONS
from faelles.einvoice.tests.vefa import disagreements, example_rule_sets, read_cases
from faelles.einvoice.validate import validate_bytes
from faelles.einvoice.xml import ReadError

PROJECT_DIR = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("FAELLES_SHARED", PROJECT_DIR.parent / "shared")),
    )
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    data = args.shared / "data" / "einvoice"
    if not data.is_dir():
        print(f"official e-invoice test data not found at {data}", file=sys.stderr)
        return 2
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    started = time.perf_counter()
    for folder in sorted(p for p in (data / "unit").glob("*/*") if p.is_dir()):
        agree = total = excepted = 0
        rule_sets: set[str] = set()
        for path in sorted(folder.rglob("*.xml")):
            for case in read_cases(path):
                total += 1
                rule_sets.update(case.rule_sets)
                # fragments testing one rule each: the rule layer alone, without the schema
                result = validate_bytes(case.document, rule_sets=case.rule_sets, schema=False)
                wrong = disagreements(case, [(f.rule, f.flag) for f in result.findings])
                if wrong:
                    why = EXCEPTIONS.get(case.id, "")
                    excepted += bool(why)
                    problems.append(
                        f"{case.id}: {'; '.join(wrong)}" + (f" [exception: {why}]" if why else "")
                    )
                else:
                    agree += 1
        rows.append(
            {
                "suite": "unit",
                "folder": f"{folder.parent.name}/{folder.name}",
                "rule_sets": "+".join(sorted(rule_sets)),
                "agree": agree,
                "exceptions": excepted,
                "total": total,
            }
        )
    for folder in sorted(p for p in (data / "examples").iterdir() if p.is_dir()):
        agree = total = 0
        rule_sets = set()
        for path in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xml"):
            total += 1
            chosen = example_rule_sets(path)
            try:
                result = validate_bytes(path.read_bytes(), rule_sets=chosen)
            except ReadError as exc:
                problems.append(f"examples/{folder.name}/{path.name}: cannot be read: {exc}")
                continue
            rule_sets.update(chosen if chosen is not None else result.profile.rule_sets)
            fatal = [f.rule for f in result.findings if f.is_fatal]
            if fatal:
                problems.append(f"examples/{folder.name}/{path.name}: fatal {', '.join(fatal)}")
            else:
                agree += 1
        rows.append(
            {
                "suite": "examples",
                "folder": folder.name,
                "rule_sets": "+".join(sorted(rule_sets)),
                "agree": agree,
                "exceptions": 0,
                "total": total,
            }
        )
    elapsed = time.perf_counter() - started
    header = f"{'suite':<9} {'folder':<15} {'rule sets':<19} {'agree':>6} {'except':>6}"
    print(f"{header} {'total':>6} {'agree %':>8}")
    for row in rows:
        agree, total = int(str(row["agree"])), int(str(row["total"]))
        pct = 100.0 * agree / total if total else 100.0
        print(
            f"{row['suite']!s:<9} {row['folder']!s:<15} {row['rule_sets']!s:<19} "
            f"{agree:>6} {row['exceptions']!s:>6} {total:>6} {pct:>7.1f}%"
        )
    agree_all = sum(int(str(r["agree"])) for r in rows)
    excepted_all = sum(int(str(r["exceptions"])) for r in rows)
    total_all = sum(int(str(r["total"])) for r in rows)
    print(
        f"{'all':<9} {'':<15} {'':<19} {agree_all:>6} {excepted_all:>6} {total_all:>6} "
        f"{100.0 * agree_all / max(total_all, 1):>7.1f}%"
    )
    if problems:
        print(f"\n{len(problems)} disagreement(s):")
        for line in problems if args.verbose else problems[:20]:
            print(f"  {line}")
        if not args.verbose and len(problems) > 20:
            print(f"  ... and {len(problems) - 20} more (--verbose)")
    print(
        json.dumps(
            {
                "agree": agree_all,
                "exceptions": excepted_all,
                "unexplained": total_all - agree_all - excepted_all,
                "total": total_all,
                "seconds": round(elapsed, 2),
                "folders": rows,
            }
        )
    )
    return 0 if agree_all + excepted_all == total_all else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
