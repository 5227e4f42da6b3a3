"""Tax cards from a file, as SKAT's eSkattekort delivers them, into pending changes.

The file has one tax card per line, fields separated by ``;``, a header line naming them:

``cpr;korttype;traekprocent;fradrag_maaned;fradrag_14dage;frikort_beloeb;gyldig_fra;gyldig_til``

``korttype`` is ``hovedkort``, ``bikort`` or ``frikort``; amounts in kroner with a decimal
comma or point; dates ``YYYY-MM-DD``; ``gyldig_til`` may be empty. (The field names follow
the eSkattekort's content; the system-to-system transport, SKAT's XML service, is not spoken
here: see docs/design/payroll.md.) Employees are found by the keyed hash of the CPR number,
so the stored numbers are not decrypted; every card becomes a pending change that a second
person approves. A line that cannot be used is reported with its line number and reason,
never with the CPR number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from faelles.core.personal_data import cpr_ref
from faelles.payroll import services
from faelles.payroll.models import Employee, PendingChange, TaxCard
from faelles.redact import cpr_digits

COLUMNS = (
    "cpr",
    "korttype",
    "traekprocent",
    "fradrag_maaned",
    "fradrag_14dage",
    "frikort_beloeb",
    "gyldig_fra",
    "gyldig_til",
)


@dataclass
class ImportResult:
    proposed: list[PendingChange] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _amount(text: str) -> str:
    """Kroner as written in Danish (``5.800,00``) or plainly (``5800.00``), as a string."""
    text = text.strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return f"{Decimal(text or '0'):.2f}"


def tax_cards_import(*, actor: Any, institution: Any, content: str) -> ImportResult:
    """Propose a tax card change for every usable line; all or nothing is proposed only
    per line (a bad line is reported and the others go on)."""
    result = ImportResult()
    reader = csv.reader(io.StringIO(content), delimiter=";")
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != COLUMNS:
        raise ValidationError(
            {"file": "the first line must name the columns: " + ";".join(COLUMNS)}
        )
    by_ref = dict(Employee.objects.for_institution(institution).values_list("cpr_ref", "pk"))
    employees = {e.pk: e for e in Employee.objects.for_institution(institution)}
    with transaction.atomic():
        for no, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                result.errors.append((no, f"expected {len(COLUMNS)} fields, found {len(row)}"))
                continue
            values = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
            digits = cpr_digits(values["cpr"])
            if digits is None:
                result.errors.append((no, "not a CPR number"))
                continue
            employee_pk = by_ref.get(cpr_ref(digits))
            if employee_pk is None:
                result.errors.append((no, "no employee with this CPR number"))
                continue
            try:
                kind = values["korttype"].lower()
                if kind not in TaxCard.Type.values:
                    raise ValueError(f"unknown card type {kind!r}")
                start = date.fromisoformat(values["gyldig_fra"])
                proposed = {
                    "type": kind,
                    "rate": _amount(values["traekprocent"]),
                    "deduction_month": _amount(values["fradrag_maaned"]),
                    "deduction_14days": _amount(values["fradrag_14dage"]),
                    "free_amount": _amount(values["frikort_beloeb"]),
                    "valid_from": start.isoformat(),
                    "valid_to": date.fromisoformat(values["gyldig_til"]).isoformat()
                    if values["gyldig_til"]
                    else None,
                }
                with transaction.atomic():
                    change = services.change_propose(
                        actor=actor,
                        employee=employees[employee_pk],
                        kind=PendingChange.Kind.TAX_CARD,
                        values=proposed,
                        effective_from=start,
                    )
            except (ValueError, InvalidOperation) as exc:
                result.errors.append((no, str(exc) or "invalid value"))
                continue
            except ValidationError as exc:
                result.errors.append((no, "; ".join(exc.messages)))
                continue
            result.proposed.append(change)
    return result
