"""``faelles purchasing import [--json] DIR_OR_FILES...``: receive ordering documents
(catalogues, order responses, despatch advices, order changes, cancellations) from files;
``faelles purchasing send-waiting``: send outgoing documents that have not left.

The output is that of ``faelles payables import``: with ``--json`` one JSON object per file
(``file``, ``status``, ``id``, ``institution``, ``findings``) and a closing ``summary``
object; every line goes through the CPR scrubber. Idempotent by content hash.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faelles.payables.management.commands.payables import _files, _read
from faelles.purchasing.intake import documents_receive
from faelles.purchasing.outbox import outbox_send_waiting
from faelles.redact import scrub_cpr, scrub_data


class Command(BaseCommand):
    help = (
        "Purchasing tools. 'import' receives ordering documents from files or folders; "
        "'send-waiting' sends outgoing documents that have not left."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="receive documents from files or folders")
        imp.add_argument("paths", nargs="+")
        imp.add_argument("--json", action="store_true", help="JSON Lines output")
        sub.add_parser("send-waiting", help="send outgoing documents that have not left")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send-waiting":
            self.stdout.write(json.dumps({"sent": outbox_send_waiting()}))
            return
        try:
            files = _files(options["paths"])
        except CommandError:
            raise
        counts: Counter[str] = Counter()
        results = documents_receive(
            sources=((_read(path), path.name) for path in files), channel="import"
        )
        for path, received in zip(files, results, strict=True):
            counts[received.status] += 1
            doc = received.document
            record = {
                "file": str(path),
                "status": received.status,
                "id": doc.pk,
                "institution": doc.institution.short_name if doc.institution else None,
                "findings": doc.findings,
            }
            if options["json"]:
                self.stdout.write(json.dumps(scrub_data(record), ensure_ascii=False))
            else:
                where = f" → {record['institution']}" if record["institution"] else ""
                why = f" ({doc.reason})" if doc.reason and received.status != "accepted" else ""
                self.stdout.write(scrub_cpr(f"{path}: {received.status}{where}{why}"))
        summary = {k: counts.get(k, 0) for k in ("accepted", "rejected", "duplicate", "unroutable")}
        if options["json"]:
            self.stdout.write(json.dumps({"summary": summary}))
        else:
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in summary.items()))
