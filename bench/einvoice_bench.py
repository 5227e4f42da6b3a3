"""E-invoice benchmark: documents per second for read + validate on one core, and memory.

    .venv/bin/python bench/einvoice_bench.py [--seconds 2] [--shared DIR] [--official]
    .venv/bin/python bench/einvoice_bench.py --official-only [--seconds 3]

Workloads: the published examples in ../shared/data/einvoice/examples (skipped when absent),
generated Danish Peppol BIS 3 invoices and credit notes with 3 and 50 lines, and the 3- and
50-line invoices as OIOUBL 2.1. For each, "read+validate" is the safe read of the bytes, the
UBL 2.1 schema, detection and every applicable rule set (``validate_bytes``); "no XSD" is the
same without the schema (``schema=False``), so the schema's cost shows; "with model" also
builds the EN 16931 model from the same tree (``read_and_validate``). The process is pinned to
one CPU; rates are given per wall-clock second and per CPU second of the process (the latter is
what one core does when other work shares the machine; the 1-minute load average is printed
too). The CPU time of each step for the 3-line invoices is the best of five rounds: parse, the
schema, the shared tree of the rule sets, each rule set, reading the model. Peak memory is the
process's maximum resident set size, and the tracemalloc peak of one read + validate of the
50-line invoice.

``--official`` also runs the official rules the way the official validators do, as Schematron
compiled to XSLT and run by Saxon (``bench/official_xslt.py``, needs ``saxonche``: ``pip
install -e .[bench]``), on the same documents in the same process, and prints the ratio;
``--official-only`` runs that comparison alone. What each side does per document, from the
same ``bytes``:

* ours: ``validate_bytes(data)``: parse with lxml, the UBL 2.1 XML Schema (XSD) check, profile
  detection, every applicable rule set, the findings (CEN's examples: ``rule_sets=("cen-ubl",)``,
  as CEN publishes them);
* official: decode the bytes, parse them with Saxon, run the stylesheet(s) and read the failed
  asserts from the SVRL: EN 16931 + Peppol for Peppol documents, EN 16931 alone for CEN's
  examples, the OIOUBL Invoice or CreditNote stylesheet for OIOUBL. Schematron only: no XSD
  check on this side (the official validators run the XSD as a separate step before it), so
  ours does more work than the baseline.

Before timing, each document's verdict (any fatal assert or none) is checked to be the same
on both sides. The two sides are timed in ten alternating rounds each, so a change in what the
neighbours leave of the CPU falls on both alike. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from faelles.einvoice import rules  # noqa: E402
from faelles.einvoice.model import Document  # noqa: E402
from faelles.einvoice.profiles import detect, profile_for  # noqa: E402
from faelles.einvoice.reader import read_root  # noqa: E402
from faelles.einvoice.rules.tree import Tree  # noqa: E402
from faelles.einvoice.schema import check as check_schema  # noqa: E402
from faelles.einvoice.tests import builders  # noqa: E402
from faelles.einvoice.validate import read_and_validate, validate_bytes  # noqa: E402
from faelles.einvoice.writer import to_ubl  # noqa: E402
from faelles.einvoice.writer_oioubl import to_oioubl  # noqa: E402
from faelles.einvoice.xml import parse  # noqa: E402


def _rate(
    documents: list[bytes], work: Callable[[bytes], object], seconds: float
) -> tuple[float, float]:
    """(documents per wall-clock second, documents per CPU second of this process)."""
    for data in documents:  # warm up: imports, caches
        work(data)
    count = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    deadline = started + seconds
    while True:
        for data in documents:
            work(data)
        count += len(documents)
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started), count / (time.process_time() - cpu_started)


def _cpu_ms(work: Callable[[], object], repeat: int = 200, rounds: int = 5) -> float:
    """CPU milliseconds of one call: the best of ``rounds`` rounds (the machine may be shared)."""
    work()
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(repeat):
            work()
        best = min(best, (time.process_time() - started) / repeat * 1000)
    return best


def _run(root: etree._Element, rule_sets: list[rules.RuleSet]) -> None:
    tree = Tree(root)
    for rule_set in rule_sets:
        rule_set.check(root, tree)


def _steps(data: bytes) -> dict[str, float]:
    """CPU milliseconds of each step for one document: parse, the UBL 2.1 schema, the shared
    tree, each rule set (run as ``validate_tree`` runs them, on one fresh tree: each figure is
    the time the rule set adds to the ones before it), reading the model."""
    root = parse(data)
    profile = detect(root)
    steps = {"parse": _cpu_ms(lambda: parse(data))}
    steps["xsd"] = _cpu_ms(lambda: check_schema(root, profile.document))
    before = steps["tree"] = _cpu_ms(lambda: Tree(root))
    chosen: list[rules.RuleSet] = []
    for name in profile.rule_sets:
        chosen.append(rules.load(name))
        total = _cpu_ms(functools.partial(_run, root, list(chosen)))
        steps[name] = max(total - before, 0.0)
        before = total
    steps["read_model"] = _cpu_ms(lambda: read_root(root, profile=profile))
    return {name: round(ms, 3) for name, ms in steps.items()}


def _side_by_side(
    documents: list[bytes],
    ours: Callable[[bytes], object],
    theirs: Callable[[bytes], object],
    seconds: float,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Both rates, measured in alternating rounds of a tenth of ``seconds`` each, so that a
    change in what the neighbours leave of the CPU falls on both sides alike."""
    totals = {0: [0, 0.0, 0.0], 1: [0, 0.0, 0.0]}  # documents, wall seconds, CPU seconds
    for _ in range(10):
        for side, work in ((0, ours), (1, theirs)):
            count = 0
            started, cpu_started = time.perf_counter(), time.process_time()
            deadline = started + seconds / 10
            while True:
                for data in documents:
                    work(data)
                count += len(documents)
                if time.perf_counter() >= deadline:
                    break
            totals[side][0] += count
            totals[side][1] += time.perf_counter() - started
            totals[side][2] += time.process_time() - cpu_started
    rates = [(n / wall, n / cpu) for n, wall, cpu in (totals[0], totals[1])]
    return rates[0], rates[1]


def _credit_note(lines: int) -> Document:
    """The generated Peppol invoice as a credit note (type 381)."""
    doc = builders.invoice(lines)
    profile = profile_for("CreditNote", doc.profile.customization_id, doc.profile.profile_id)
    return dataclasses.replace(doc, profile=profile, type_code="381")


def _examples(folder: Path) -> list[bytes]:
    """The published examples of one folder (``.xml`` and ``.XML``), in name order."""
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix.lower() == ".xml"]


def _official(
    args: argparse.Namespace, workloads: dict[str, list[bytes]], seconds: float
) -> dict[str, object]:
    """Saxon's parse + the official XSLT against our read + schema + rules, side by side.

    The Peppol documents run the EN 16931 and Peppol stylesheets (as the Peppol validator
    does), the CEN examples the EN 16931 stylesheet alone, the OIOUBL documents the OIOUBL
    stylesheet of their kind; before timing, each document's verdict (any fatal assert or
    none) is checked to be the same as ours."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from official_xslt import OIOUBL_OPTIMIZATION, official, official_oioubl

    examples = args.shared / "data" / "einvoice" / "examples"
    peppol = official(args.shared, ["cen-ubl", "peppol-ubl"])
    cen = official(args.shared, ["cen-ubl"])
    oioubl = official_oioubl(args.shared)
    cases: dict[str, tuple[list[bytes], Callable[[bytes], object], Callable[[bytes], object]]] = {}
    for name in (
        "peppol_3_lines",
        "peppol_50_lines",
        "peppol_credit_note_3_lines",
        "peppol_credit_note_50_lines",
    ):
        cases[name] = (workloads[name], validate_bytes, peppol)
    if examples.is_dir():
        cases["examples_peppol"] = (_examples(examples / "peppol"), validate_bytes, peppol)
        cen_only = functools.partial(validate_bytes, rule_sets=("cen-ubl",))
        cases["examples_cen"] = (_examples(examples / "cen"), cen_only, cen)
    cases["oioubl_3_lines"] = (workloads["oioubl_3_lines"], validate_bytes, oioubl)
    cases["oioubl_50_lines"] = (workloads["oioubl_50_lines"], validate_bytes, oioubl)
    if examples.is_dir():
        cases["examples_oioubl"] = (_examples(examples / "oioubl"), validate_bytes, oioubl)
    out: dict[str, object] = {"oioubl_saxon_optimization_level": OIOUBL_OPTIMIZATION}
    for name, (documents, ours, theirs) in cases.items():
        for data in documents:
            ours_valid = ours(data).valid  # type: ignore[attr-defined]
            if ours_valid != (theirs(data) == []):
                raise SystemExit(f"{name}: the official XSLT and we disagree on a document")
        (mine, mine_cpu), (xslt, xslt_cpu) = _side_by_side(documents, ours, theirs, seconds)
        out[name] = {
            "documents": len(documents),
            "ours_docs_per_s": round(mine, 1),
            "official_docs_per_s": round(xslt, 1),
            "ratio": round(mine / xslt, 1),
            "ours_docs_per_cpu_s": round(mine_cpu, 1),
            "official_docs_per_cpu_s": round(xslt_cpu, 1),
            "ratio_cpu": round(mine_cpu / xslt_cpu, 1),
        }
        print(
            f"official XSLT {name:<28}: ours {mine:>6.0f}/s, Saxon {xslt:>6.1f}/s: "
            f"{mine / xslt:.1f}x (per CPU-s {mine_cpu / xslt_cpu:.1f}x)",
            flush=True,
        )
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("FAELLES_SHARED", ROOT.parent / "shared")),
    )
    parser.add_argument(
        "--official",
        action="store_true",
        help="also run the official Schematron as XSLT with Saxon and print the ratio",
    )
    parser.add_argument(
        "--official-only",
        action="store_true",
        help="only the comparison with the official XSLT (no rates, steps or memory)",
    )
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    workloads: dict[str, list[bytes]] = {}
    examples = args.shared / "data" / "einvoice" / "examples"
    if examples.is_dir():
        workloads["examples"] = [
            p.read_bytes() for p in sorted(examples.rglob("*")) if p.suffix.lower() == ".xml"
        ]
    workloads["peppol_3_lines"] = [to_ubl(builders.invoice(3))]
    workloads["peppol_50_lines"] = [to_ubl(builders.invoice(50))]
    workloads["peppol_credit_note_3_lines"] = [to_ubl(_credit_note(3))]
    workloads["peppol_credit_note_50_lines"] = [to_ubl(_credit_note(50))]
    workloads["oioubl_3_lines"] = [to_oioubl(builders.invoice(3))]
    workloads["oioubl_50_lines"] = [to_oioubl(builders.invoice(50))]
    figures: dict[str, object] = {"cpus": 1, "seconds_per_measurement": args.seconds}
    figures["load_average_1min_at_start"] = round(os.getloadavg()[0], 2)
    if args.official_only:
        figures["official_xslt"] = _official(args, workloads, args.seconds)
        figures["load_average_1min"] = round(os.getloadavg()[0], 2)
        print(json.dumps(figures))
        return 0
    no_schema = functools.partial(validate_bytes, schema=False)
    for name, documents in workloads.items():
        validate, validate_cpu = _rate(documents, validate_bytes, args.seconds)
        bare, bare_cpu = _rate(documents, no_schema, args.seconds)
        both, both_cpu = _rate(documents, read_and_validate, args.seconds)
        size = sum(len(d) for d in documents) // len(documents)
        figures[name] = {
            "documents": len(documents),
            "mean_bytes": size,
            "read_validate_docs_per_s": round(validate),
            "read_validate_docs_per_cpu_s": round(validate_cpu),
            "no_xsd_docs_per_s": round(bare),
            "no_xsd_docs_per_cpu_s": round(bare_cpu),
            "with_model_docs_per_s": round(both),
            "with_model_docs_per_cpu_s": round(both_cpu),
        }
        print(
            f"{name:<16} {len(documents):>3} doc(s), {size:>6} B avg: "
            f"read+validate {validate:>6.0f}/s ({validate_cpu:>6.0f}/CPU-s), "
            f"no XSD {bare:>6.0f}/s ({bare_cpu:>6.0f}/CPU-s), "
            f"with model {both:>6.0f}/s ({both_cpu:>6.0f}/CPU-s)"
        )
    if args.official:
        figures["official_xslt"] = _official(args, workloads, args.seconds)
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)
    figures["cpu_ms_per_step_3_lines"] = _steps(workloads["peppol_3_lines"][0])
    print(f"CPU ms per step, 3-line invoice: {figures['cpu_ms_per_step_3_lines']}")
    figures["cpu_ms_per_step_oioubl_3_lines"] = _steps(workloads["oioubl_3_lines"][0])
    print(f"CPU ms per step, 3-line OIOUBL: {figures['cpu_ms_per_step_oioubl_3_lines']}")
    tracemalloc.start()
    read_and_validate(workloads["peppol_50_lines"][0])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures["tracemalloc_peak_kib_50_lines"] = round(peak / 1024)
    figures["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(
        f"peak memory: {figures['max_rss_mib']} MiB RSS; "
        f"{figures['tracemalloc_peak_kib_50_lines']} KiB allocated for one 50-line document"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
