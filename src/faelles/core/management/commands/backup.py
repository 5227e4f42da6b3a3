"""``faelles backup [--out FILE]``: a consistent, compressed, checksummed backup with a manifest.

Exit code 0 with the file name on success, 1 when the backup cannot be made. See
:mod:`faelles.core.backup` and docs/design/operations.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faelles.core.backup import BackupError, backup, database_label


class Command(BaseCommand):
    help = (
        "Back up the database into one file (PostgreSQL: pg_dump custom format; SQLite: the "
        "online backup API) with a manifest of schema version, row counts and audit chain heads."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--out",
            metavar="FILE",
            help="the backup file (default var/backups/faelles-<UTC time>.tar); never overwritten",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"backing up {database_label()}")
        started = time.perf_counter()
        try:
            path = backup(
                out=Path(options["out"]) if options.get("out") else None,
                report=self.stdout.write,
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}", returncode=1) from exc
        size = path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written: {path} ({size:,} bytes, {time.perf_counter() - started:.1f} s)"
            )
        )
