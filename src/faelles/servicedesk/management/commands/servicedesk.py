"""``faelles servicedesk smtpd [--host HOST] [--port PORT]``: the service desk's inbound
SMTP endpoint (aiosmtpd). A mail to an inbound address opens or updates a ticket; other
recipients are refused (550), and mails over the size limit too (552).

``faelles servicedesk escalate``: warn before and escalate SLA breaches once (what the beat
job does every five minutes)."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from faelles.servicedesk import mailin
from faelles.servicedesk.escalation import tickets_escalate


class Command(BaseCommand):
    help = (
        "Service desk tools: 'smtpd' runs the inbound mail endpoint; 'escalate' runs the SLA job."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        smtpd = sub.add_parser("smtpd", help="run the inbound SMTP endpoint")
        smtpd.add_argument("--host", default="127.0.0.1")
        smtpd.add_argument("--port", type=int, default=8025)
        smtpd.add_argument(
            "--max-bytes", type=int, default=mailin.MAX_MAIL_BYTES, help="largest mail taken"
        )
        sub.add_parser("escalate", help="warn and escalate SLA breaches now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "escalate":
            self.stdout.write(json.dumps(tickets_escalate(now=timezone.now())))
            return
        stop = threading.Event()
        server = mailin.controller(options["host"], options["port"], options["max_bytes"])
        server.start()
        self.stdout.write(f"servicedesk smtpd listening on {options['host']}:{options['port']}")
        self.stdout.flush()

        def _stop(*_: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        try:
            stop.wait()
        finally:
            server.stop()
