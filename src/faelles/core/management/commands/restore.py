"""``faelles restore FILE [--jobs N]``: restore a backup into an empty database and prove it.

The checksums are checked first; after the restore the row counts, schema and audit chain
heads are compared with the manifest, then ``faelles audit verify`` and ``faelles ledger check``
run. Exit code 0 only when all of that passed; 1 with the reasons otherwise (a non-empty target
database, a changed file, a mismatch, a failed check).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faelles.core.backup import BackupError, database_label, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'faelles backup' into an EMPTY database, then verify it "
        "(manifest, audit chains, ledger invariants)."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the backup file")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="PostgreSQL: parallel pg_restore jobs (default 1: one transaction)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1", returncode=2)
        self.stdout.write(f"restoring {options['file']} into {database_label()}")
        started = time.perf_counter()
        try:
            result = restore(Path(options["file"]), jobs=options["jobs"], report=self.stdout.write)
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore failed: {exc}", returncode=1) from exc
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.steps.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"restore verified: {result.manifest['snapshot_at']} backup restored, manifest, "
                f"{' and '.join('faelles ' + c for c in result.checks)} pass "
                f"({time.perf_counter() - started:.1f} s: {steps})"
            )
        )
