"""Peppol post-award benchmark: validate + read of the published examples and a big catalogue.

    .venv/bin/python bench/ordering_bench.py [--seconds 2] [--lines 1000] [--shared DIR]

Workloads: every published example in ../shared/data/ordering/examples (documents per CPU
second for ``validate_bytes`` — safe parse, the UBL 2.1 schema, the transaction's rules — and
for ``read``, the model), and a catalogue made from ``Catalogue_Example.xml`` with ``--lines``
copies of its first line (CPU milliseconds for the parse, the schema, the rules and the model,
best of five). CPU time of this process, so other work on a shared machine counts less; the
1-minute load average is printed too. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from faelles.einvoice.ordering.reader import read, read_root
from faelles.einvoice.ordering.rules import load
from faelles.einvoice.ordering.schema import check
from faelles.einvoice.ordering.transactions import detect
from faelles.einvoice.ordering.validate import parse, validate_bytes


def _rate(documents: list[bytes], work: Callable[[bytes], object], seconds: float) -> float:
    done, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for data in documents:
            work(data)
        done += len(documents)
    return done / (time.process_time() - start)


def _best_ms(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return round(best * 1000, 1)


def _catalogue(example: bytes, lines: int) -> bytes:
    text = example.decode("iso-8859-1")
    match = re.search(r"<cac:CatalogueLine>.*?</cac:CatalogueLine>", text, re.S)
    assert match is not None
    line = match.group(0)
    copies = "".join(
        line.replace("<cbc:ID>1</cbc:ID>", f"<cbc:ID>{n}</cbc:ID>", 1) for n in range(1, lines + 1)
    )
    return text.replace(line, copies, 1).encode("iso-8859-1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    examples_dir = args.shared / "data" / "ordering" / "examples"
    examples = [p.read_bytes() for p in sorted(examples_dir.rglob("*.xml"))]
    if not examples:
        raise SystemExit(f"no examples at {examples_dir}")
    big = _catalogue((examples_dir / "Catalogue_Example.xml").read_bytes(), args.lines)
    limit = 10 * len(big)
    root = parse(big, max_bytes=limit)
    rule_set = load(detect(root).transaction.rule_set)
    assert validate_bytes(big, max_bytes=limit).valid
    result = {
        "examples": len(examples),
        "examples_validate_per_cpu_s": round(_rate(examples, validate_bytes, args.seconds), 1),
        "examples_read_per_cpu_s": round(_rate(examples, read, args.seconds), 1),
        "catalogue_lines": args.lines,
        "catalogue_kib": len(big) // 1024,
        "catalogue_elements": sum(1 for _ in root.iter()),
        "catalogue_parse_ms": _best_ms(lambda: parse(big, max_bytes=limit)),
        "catalogue_schema_ms": _best_ms(lambda: check(root, "Catalogue")),
        "catalogue_rules_ms": _best_ms(lambda: rule_set.check(root)),
        "catalogue_model_ms": _best_ms(lambda: read_root(root)),
        "load_1min": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
