"""``faelles economics charge --month YYYY-MM [--institution CODE] [--operator ID] [--json]``:
charge a month to the institutions served and issue the invoices.

With ``--json``: one JSON object per institution considered,
``{"institution", "status", "number", "volumes", "lines": [...], "net", "vat", "total",
"delivery", "entry", "reasons"}`` (amounts as decimal strings; ``status`` issued, charged
before, nothing to charge or refused), and a last line ``{"summary": {...}}`` (counts per
status, institutions, the month's total issued now and in all). Without it, a short table.
Running it again issues nothing twice (the charges are reported as ``charged``).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from faelles.economics.services import Outcome, charges_run
from faelles.tenancy.models import Operator


def _month(text: str) -> date:
    try:
        year, month = (int(x) for x in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month (YYYY-MM): {text!r}") from None


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    charge = outcome.charge
    lines = [
        {
            "service": pl.measure,
            "volume": pl.volume,
            "band_from": pl.band_from,
            "fixed": str(pl.fixed),
            "unit_price": str(pl.unit_price),
            "variable": str(pl.variable),
            "amount": str(pl.amount),
        }
        for pl in outcome.lines
    ]
    if charge is not None and not lines:
        lines = [
            {
                "service": ln.measure,
                "volume": ln.volume,
                "band_from": ln.band_from,
                "fixed": str(ln.fixed),
                "unit_price": str(ln.unit_price),
                "variable": str(ln.variable),
                "amount": str(ln.amount),
            }
            for ln in charge.lines.all()
        ]
    return {
        "institution": outcome.institution.short_name,
        "status": outcome.status,
        "number": charge.number if charge else None,
        "volumes": outcome.volumes or {ln["service"]: ln["volume"] for ln in lines},
        "lines": lines,
        "net": str(charge.net) if charge else None,
        "vat": str(charge.vat) if charge else None,
        "total": str(charge.total) if charge else None,
        "delivery": charge.delivery if charge else None,
        "invoice": charge.invoice_id if charge else None,
        "entry": charge.entry_id if charge else None,
        "reasons": outcome.reasons,
    }


class Command(BaseCommand):
    help = "Operator economics. 'charge' charges a month and issues the invoices."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        charge = sub.add_parser("charge", help="charge a month to the institutions served")
        charge.add_argument("--month", type=_month, required=True, help="YYYY-MM")
        charge.add_argument(
            "--institution", action="append", help="short name of one institution (repeatable)"
        )
        charge.add_argument("--operator", type=int, help="only this operator's institutions")
        charge.add_argument("--json", action="store_true", help="JSON Lines output")

    def handle(self, *args: Any, **options: Any) -> None:
        operator = None
        if options.get("operator"):
            operator = Operator.objects.filter(pk=options["operator"]).first()
            if operator is None:
                raise CommandError(f"no operator {options['operator']}")
        try:
            outcomes = charges_run(
                actor=None,
                period=options["month"],
                operator=operator,
                institutions=options.get("institution"),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        counts: dict[str, int] = {}
        issued = total = Decimal("0.00")
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if outcome.charge is not None:
                total += outcome.charge.total
                if outcome.status == "issued":
                    issued += outcome.charge.total
        summary = {
            "month": f"{options['month']:%Y-%m}",
            "institutions": len(outcomes),
            **{s: counts.get(s, 0) for s in ("issued", "charged", "nothing", "refused")},
            "issued_total": str(issued),
            "total": str(total),
        }
        if options["json"]:
            for outcome in outcomes:
                self.stdout.write(json.dumps(outcome_json(outcome), ensure_ascii=False))
            self.stdout.write(json.dumps({"summary": summary}, ensure_ascii=False))
            return
        for outcome in outcomes:
            row = outcome_json(outcome)
            self.stdout.write(
                f"{row['institution']:12} {row['status']:8} {row['number'] or '-':16} "
                f"{row['total'] or '-':>14}  {'; '.join(row['reasons'])}"
            )
        self.stdout.write(
            f"{summary['month']}: issued {summary['issued']}, charged before "
            f"{summary['charged']}, refused {summary['refused']}; issued now {issued} DKK"
        )
