"""``faelles payables import [--json] [--batch N] [--workers N] DIR_OR_FILES...``: receive
documents from files.

Idempotent by content hash: importing the same files again reports them as duplicates.
With ``--json`` it prints one JSON object per file and a closing summary object. Files are
received in batches (each batch's bytes are committed before it is processed); ``--workers``
processes read and validate the next batch while this one writes the previous.

Output repeats file names and findings (which repeat document content): every line goes through
the CPR scrubber (:mod:`faelles.redact`); intake stores file names masked.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faelles.payables.models import Channel
from faelles.payables.reading import MAX_DOCUMENT_BYTES, worker_reader
from faelles.payables.reminders import invoices_remind
from faelles.payables.services import documents_process_waiting, documents_receive
from faelles.redact import scrub_cpr, scrub_data


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".xml")
            )
        elif path.is_file():
            out.append(path)
        else:
            raise CommandError(scrub_cpr(f"no such file or directory: {raw}"))
    return out


def _read(path: Path) -> bytes:
    """The file's bytes; past the size cap only as much as shows that it is too large."""
    with path.open("rb") as handle:
        return handle.read(MAX_DOCUMENT_BYTES + 1)


class Command(BaseCommand):
    help = (
        "Invoice handling tools. 'import' receives XML documents from files or folders; "
        "'process-waiting' processes stored documents a crash left unprocessed; 'remind' "
        "reminds and escalates."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="receive documents from files or folders")
        imp.add_argument("paths", nargs="+")
        imp.add_argument("--json", action="store_true", help="JSON Lines output")
        imp.add_argument(
            "--batch", type=int, default=200, help="documents stored and processed together"
        )
        imp.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes that read and validate documents (0: this process)",
        )
        sub.add_parser(
            "process-waiting",
            help="process documents that were stored but never processed (after a crash)",
        )
        rem = sub.add_parser(
            "remind", help="remind current actors before the due date, escalate overdue invoices"
        )
        rem.add_argument("--days", type=int, default=3, help="days before the due date")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "process-waiting":
            done = Counter(intake.status for intake in documents_process_waiting())
            self.stdout.write(json.dumps({"processed": dict(sorted(done.items()))}))
            return
        if options["action"] == "remind":
            run = invoices_remind(days_before=options["days"])
            self.stdout.write(
                json.dumps(
                    {
                        "reminded": len(run.reminded),
                        "escalated": len(run.escalated),
                        "mails": run.mails,
                    }
                )
            )
            return
        files = _files(options["paths"])
        if options["batch"] < 1 or options["workers"] < 0:
            raise CommandError("--batch must be at least 1 and --workers at least 0")
        counts: Counter[str] = Counter()
        with worker_reader(options["workers"]) as reader:
            intakes = documents_receive(
                sources=((_read(path), path.name) for path in files),
                channel=Channel.IMPORT,
                batch_size=options["batch"],
                reader=reader,
            )
            for path, intake in zip(files, intakes, strict=True):
                counts[intake.status] += 1
                doc = intake.document
                record = {
                    "file": str(path),
                    "status": intake.status,
                    "id": doc.pk,
                    "institution": doc.institution.short_name if doc.institution else None,
                    "findings": doc.findings,
                }
                if options["json"]:
                    self.stdout.write(json.dumps(scrub_data(record), ensure_ascii=False))
                else:
                    where = f" → {record['institution']}" if record["institution"] else ""
                    fatal = len(doc.fatal_findings)
                    extra = f" ({fatal} fatal finding(s))" if fatal else ""
                    self.stdout.write(scrub_cpr(f"{path}: {intake.status}{where}{extra}"))
        summary = {k: counts.get(k, 0) for k in ("accepted", "rejected", "duplicate", "unroutable")}
        if options["json"]:
            self.stdout.write(json.dumps({"summary": summary}))
        else:
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in summary.items()))
