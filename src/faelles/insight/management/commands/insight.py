"""``faelles insight refresh [--month YYYY-MM] [--json]``: measure a month's key figures for
every institution and store them (default: the current month).

With ``--json``: one JSON object per institution and figure
``{"institution", "month", "figure", "value", "basis", "source"}`` (``value`` a decimal
string or null) and a last line ``{"summary": {...}}``. Without it, one summary line."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from faelles.insight import measure
from faelles.insight.models import KeyFigure
from faelles.insight.services import key_figures_refresh


def parse_month(text: str) -> date:
    month = measure.parse_month(text)
    if month is None:
        raise CommandError(f"--month wants YYYY-MM, not {text!r}")
    return month


class Command(BaseCommand):
    help = "Insight. 'refresh' measures a month's key figures for every institution."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="measure and store a month's key figures")
        refresh.add_argument("--month", help="YYYY-MM (default: this month)")
        refresh.add_argument("--json", action="store_true", help="JSON Lines output")

    def handle(self, *args: Any, **options: Any) -> None:
        month = (
            parse_month(options["month"])
            if options.get("month")
            else timezone.localdate().replace(day=1)
        )
        summary = key_figures_refresh(actor=None, month=month)
        if options["json"]:
            rows = (
                KeyFigure.objects.filter(month=month)
                .select_related("institution")
                .order_by("institution__short_name", "figure")
            )
            for k in rows.iterator(chunk_size=2000):
                self.stdout.write(
                    json.dumps(
                        {
                            "institution": k.institution.short_name,
                            "month": summary["month"],
                            "figure": k.figure,
                            "value": None if k.value is None else str(k.value),
                            "basis": k.basis,
                            "source": k.source,
                        },
                        ensure_ascii=False,
                    )
                )
            self.stdout.write(json.dumps({"summary": summary}, ensure_ascii=False))
            return
        self.stdout.write(
            f"{summary['month']}: {summary['institutions']} institutions, "
            f"{summary['rows']} figures ({summary['with_value']} with a value)"
        )
