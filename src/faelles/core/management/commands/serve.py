"""``faelles serve [--host H] [--port P]``: serve Fælles and print the address.

The embedded default uses Django's server without the auto-reloader (WhiteNoise serves the
static files); with ``FAELLES_ENV=production`` it runs gunicorn on ``faelles.wsgi``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Fælles on http://HOST:PORT (gunicorn in production)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "0")) or (os.cpu_count() or 1) * 2 + 1,
            help="gunicorn worker processes (production only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Fælles: http://{shown}:{port}/  (Ctrl+C stops)")
        self.stdout.flush()
        if getattr(settings, "PRODUCTION", False):
            argv = [
                sys.executable,
                "-m",
                "gunicorn",
                "faelles.wsgi:application",
                "--bind",
                f"{shown}:{port}",
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
            ]
            os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
        call_command("runserver", f"{shown}:{port}", use_reloader=False, use_threading=True)
