"""Purchasing benchmark (issue 13, item 6): ordering-document validation against the official
XSLT, and invoice-to-order matching on PostgreSQL.

    .venv/bin/python bench/purchasing_bench.py [--invoices 100000] [--batch 200]
        [--seconds 2] [--shared ../shared] [--skip-validation] [--skip-matching]

Validation: every published example in ../shared/data/ordering/examples, ours
(``validate_bytes``: safe parse, the UBL 2.1 schema, the PEPPOLBIS-Txx rules in Python) against
the official baseline: the transaction's published ``PEPPOLBIS-Txx.sch`` compiled to XSLT by
the ISO skeleton and run by Saxon (``bench/official_xslt.py``'s ``compile_schematron``;
Saxon's parse + the stylesheet, no schema). The published sources include a generated
``Txx-basic.sch`` (cardinalities, code lists) that is not published; the baseline leaves it
out, as our rules do, and defines the two code lists the transaction rules use
(``$clUNCL5189``, ``$clUNCL7161``) from the Peppol BIS lists. The rates are documents per CPU
second of this process (``ordering_bench._rate``); the verdicts (fatal or not) are compared
without our schema findings (the baseline runs no schema; two published examples fail the
UBL 2.1 schema and are listed).

Matching: a fresh database (``BENCH_DB``, else ``DATABASE_URL``, else the local
``faelles_purchasing2``; dropped and made again), one institution with one agreement and
``--invoices`` received purchase orders of two lines (bulk inserts, not timed), then
``--invoices`` invoices (in memory, as intake has them before it writes them) naming those
orders, nine in ten as ordered and one in ten at a higher price; timed: the matcher as
payables' intake calls it, ``match_orders`` once per batch of ``--batch`` (intake's batch),
each batch in its own transaction (the matched lines' invoiced quantities are written, as in
intake). Wall-clock invoices per second; the goal is at least 1,000/s.

The last line printed is one JSON object; the exit status is non-zero if the bench could not
run (no Saxon, no database, a verdict that differs).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/faelles_purchasing2"
SCH = "http://purl.oclc.org/dsdl/schematron"


# --- validation against the official XSLT ----------------------------------------------------


def _official_stylesheets(shared: Path, codes: list[str]) -> tuple[Any, dict[str, Any]]:
    from lxml import etree
    from saxonche import PySaxonProcessor  # type: ignore[import-not-found]

    from faelles.einvoice.rules.peppol import codes as code_lists
    from official_xslt import compile_schematron  # type: ignore[import-not-found]

    proc = PySaxonProcessor(license=False)
    rules = shared / "data" / "ordering" / "rules"
    lets = {
        "clUNCL5189": " ".join(sorted(code_lists.UNCL5189)),
        "clUNCL7161": " ".join(sorted(code_lists.UNCL7161)),
    }
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "parts").symlink_to((rules / "parts").resolve())
        staged = work / "staged"
        staged.mkdir()
        for code in codes:
            tree = etree.parse(str(rules / f"PEPPOLBIS-{code}.sch"))
            tree.xinclude()
            root = tree.getroot()
            for include in root.findall(f"{{{SCH}}}include"):
                if "target/generated" in (include.get("href") or ""):
                    root.remove(include)
            first_pattern = root.find(f"{{{SCH}}}pattern")
            anchor = root.find(f"{{{SCH}}}include") if first_pattern is None else first_pattern
            for name, values in lets.items():
                let = etree.Element(f"{{{SCH}}}let", name=name, value=f"tokenize('{values}', ' ')")
                if anchor is not None:
                    anchor.addprevious(let)
                else:
                    root.append(let)
            source = staged / f"PEPPOLBIS-{code}.sch"
            source.write_bytes(etree.tostring(tree, encoding="utf-8"))
            text = compile_schematron(proc, source, work)
            out[code] = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=text)
    return proc, out


def validation(shared: Path, seconds: float) -> dict[str, Any]:
    import re

    from faelles.einvoice.ordering.transactions import detect
    from faelles.einvoice.ordering.validate import parse, validate_bytes
    from ordering_bench import _rate  # type: ignore[import-not-found]

    examples_dir = shared / "data" / "ordering" / "examples"
    paths = sorted(examples_dir.rglob("*.xml"))
    documents = [p.read_bytes() for p in paths]
    if not documents:
        raise SystemExit(f"no examples at {examples_dir}")
    kinds = [detect(parse(d)).transaction.code for d in documents]
    started = time.monotonic()
    proc, sheets = _official_stylesheets(shared, sorted(set(kinds)))
    compile_s = time.monotonic() - started
    failed = re.compile(r"<svrl:failed-assert\b([^>]*)>")
    flag = re.compile(r'\bflag="([^"]*)"')
    by_doc = {id(d): sheets[k] for d, k in zip(documents, kinds, strict=True)}

    declared = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([\w.-]+)["'][^>]*\?>""")

    def official(data: bytes) -> bool:
        found = declared.match(data[:200])
        text = data.decode(found.group(1).decode() if found else "utf-8-sig")
        if found:  # the text is decoded: drop the declaration that names the bytes' encoding
            text = text[len(found.group(0).decode(found.group(1).decode())) :]
        node = proc.parse_xml(xml_text=text)
        svrl = by_doc[id(data)].transform_to_string(xdm_node=node)
        return not any(
            (m := flag.search(a.group(1))) is None or m.group(1) in ("fatal", "error")
            for a in failed.finditer(svrl)
        )

    def ours(data: bytes) -> bool:
        return not [f for f in validate_bytes(data).findings if f.flag == "fatal"]

    def ours_rules(data: bytes) -> bool:
        """Our verdict without the schema's findings: the XSLT baseline runs no schema."""
        findings = validate_bytes(data).findings
        return not [f for f in findings if f.flag == "fatal" and f.rule != "UBL-XSD"]

    disagree = [n for n, d in enumerate(documents) if official(d) != ours_rules(d)]
    schema_invalid = [
        paths[n].name
        for n, d in enumerate(documents)
        if any(f.rule == "UBL-XSD" and f.flag == "fatal" for f in validate_bytes(d).findings)
    ]
    ours_rate = _rate(documents, ours, seconds)
    official_rate = _rate(documents, official, seconds)
    return {
        "documents": len(documents),
        "transactions": sorted(set(kinds)),
        "ours_docs_per_cpu_s": round(ours_rate, 1),
        "official_xslt_docs_per_cpu_s": round(official_rate, 1),
        "ratio": round(ours_rate / official_rate, 2),
        "official_compile_s": round(compile_s, 1),
        "schema_invalid_examples": schema_invalid,
        "verdicts_differ": len(disagree),
        "differing": [
            {"file": paths[n].name, "official_valid": official(documents[n])} for n in disagree
        ],
    }


# --- matching ---------------------------------------------------------------------------------


def _fresh_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


SUPPLIER_CVR = "41000902"
ITEMS = (("KF-100", "Kuglepen, blå (10 stk.)", Decimal("24.50")),)
LINES = (
    ("1", "KF-100", "Kuglepen, blå (10 stk.)", Decimal("24.5000"), Decimal(4)),
    ("2", "KF-200", "Kopipapir A4, 500 ark", Decimal("38.0000"), Decimal(10)),
)


def _world(n: int) -> tuple[Any, list[str]]:
    from datetime import date

    from django.db import transaction

    from faelles.purchasing.models import (
        FrameworkAgreement,
        OrderState,
        PurchaseOrder,
        PurchaseOrderLine,
        Requisition,
        RequisitionState,
    )
    from faelles.tenancy.models import Institution, User

    chunk = 5000
    with transaction.atomic():
        inst = Institution.objects.create(
            name="Bench-styrelsen", short_name="BENCH", kind=Institution.Kind.AGENCY
        )
        user = User.objects.create_user("bench-rekvirent", password=None)
        agreement = FrameworkAgreement.objects.create(
            institution=inst,
            reference="SKI 50.10",
            name="Kontorartikler",
            supplier_name="Kontorforsyningen A/S",
            supplier_endpoint=SUPPLIER_CVR,
            valid_from=date(2026, 1, 1),
            valid_to=date(2028, 12, 31),
        )
    numbers = [f"BENCH-2026-{i:06d}" for i in range(1, n + 1)]
    net = sum((p * q for _i, _s, _n, p, q in LINES), Decimal(0)).quantize(Decimal("0.01"))
    for start in range(0, n, chunk):
        part = numbers[start : start + chunk]
        with transaction.atomic():
            reqs = Requisition.objects.bulk_create(
                Requisition(
                    institution=inst,
                    agreement=agreement,
                    requester=user,
                    number=202600000 + start + k + 1,
                    state=RequisitionState.ORDERED,
                    account="2210",
                    org_unit="100",
                    net_amount=net,
                )
                for k in range(len(part))
            )
            orders = PurchaseOrder.objects.bulk_create(
                PurchaseOrder(
                    institution=inst,
                    requisition=req,
                    agreement=agreement,
                    number=number,
                    issue_date=date(2026, 11, 2),
                    state=OrderState.RECEIVED,
                    net_amount=net,
                    account="2210",
                    org_unit="100",
                )
                for req, number in zip(reqs, part, strict=True)
            )
            PurchaseOrderLine.objects.bulk_create(
                PurchaseOrderLine(
                    institution=inst,
                    order=order,
                    line_id=line_id,
                    name=name,
                    sellers_id=sellers,
                    unit="EA",
                    quantity=qty,
                    unit_price=price,
                    net_amount=(price * qty).quantize(Decimal("0.01")),
                    received=qty,
                )
                for order in orders
                for line_id, sellers, name, price, qty in LINES
            )
    return inst, numbers


def _invoices(numbers: list[str]) -> list[tuple[Any, list[Any]]]:
    from datetime import date

    from faelles.payables.models import Invoice, InvoiceLine, Vendor

    vendor = Vendor(name="Kontorforsyningen A/S", cvr=SUPPLIER_CVR)
    out = []
    for n, number in enumerate(numbers):
        invoice = Invoice(
            vendor=vendor,
            kind=Invoice.Kind.INVOICE,
            number=f"F-{n}",
            issue_date=date(2026, 11, 20),
            currency="DKK",
            order_reference=number,
        )
        lines = []
        for no, (line_id, _sellers, name, price, qty) in enumerate(LINES, start=1):
            if n % 10 == 9 and no == 1:
                price = price * Decimal("1.10")  # a price above the order's
            lines.append(
                InvoiceLine(
                    line_no=no,
                    line_id=line_id,
                    description=name,
                    quantity=qty,
                    unit="EA",
                    net_amount=(price * qty).quantize(Decimal("0.01")),
                    vat_category="S",
                    vat_rate=Decimal(25),
                )
            )
        out.append((invoice, lines))
    return out


def matching(n: int, batch: int) -> dict[str, Any]:
    from django.db import connection, transaction

    import faelles.purchasing.apps  # noqa: F401  (registers the matcher)
    from faelles.payables.order_matching import match_orders

    started = time.monotonic()
    inst, numbers = _world(n)
    setup_s = time.monotonic() - started
    work = _invoices(numbers)
    matched = mismatched = unmatched = 0
    started = time.monotonic()
    for start in range(0, n, batch):
        with transaction.atomic():
            for answer in match_orders(inst, work[start : start + batch]):
                if answer is None:
                    unmatched += 1
                elif answer.matched:
                    matched += 1
                else:
                    mismatched += 1
    elapsed = time.monotonic() - started
    return {
        "invoices": n,
        "batch": batch,
        "database": connection.vendor,
        "setup_s": round(setup_s, 1),
        "matching_s": round(elapsed, 2),
        "matched": matched,
        "mismatched": mismatched,
        "not_an_order": unmatched,
        "invoices_per_s": round(n / elapsed, 1),
        "goal_per_s": 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--skip-validation", action="store_true")
    parser.add_argument("--skip-matching", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DB") or os.environ.get("DATABASE_URL") or DEFAULT_DB
    result: dict[str, Any] = {"load_1min_before": round(os.getloadavg()[0], 2)}
    status = 0
    try:
        if not args.skip_matching:
            if not url.startswith("postgres"):
                raise SystemExit(f"the matching bench needs PostgreSQL, not {url}")
            _fresh_database(url)
            _setup_django(url)
            result["matching"] = matching(args.invoices, args.batch)
        else:
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
            import django

            django.setup()
        if not args.skip_validation:
            result["validation"] = validation(args.shared, args.seconds)
            if result["validation"]["verdicts_differ"]:
                status = 1
    except BaseException as exc:
        traceback.print_exc()
        result["error"] = f"{type(exc).__name__}: {exc}"
        status = 1
    result["load_1min_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result))
    return status


if __name__ == "__main__":
    sys.exit(main())
