"""Planting measured history in bulk (tests and the demo): invoices with their receipt,
approval and payment times, and — for tests — closed cases, resolved tickets, payroll
employments and payslips with retro corrections.

Rows are inserted set-based below the services (as ``faelles.control.plant`` does): the point
is a history with known times, which the services cannot back-date. Nothing here is used by
the application's own paths.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import DateTimeField, Value, When

from faelles.control.plant import document_bytes
from faelles.payables.models import Invoice, InvoiceState, ReceivedDocument, Vendor

_seq = itertools.count(1)


@dataclass(frozen=True, slots=True)
class InvoiceSpec:
    institution_id: int
    vendor: Vendor
    received_at: datetime
    amount: Decimal = Decimal("1000.00")
    approved_at: datetime | None = None
    paid_at: datetime | None = None
    due_date: date | None = None
    coded_automatically: bool = True
    attested_by_id: int | None = None
    first_approved_by_id: int | None = None
    approved_by_id: int | None = None


def vendor(institution_id: int, name: str, cvr: str = "") -> Vendor:
    row, _created = Vendor.objects.get_or_create(
        institution_id=institution_id, name=name, defaults={"cvr": cvr}
    )
    return row


def invoices(specs: list[InvoiceSpec]) -> list[Invoice]:
    """Store the invoices (and their documents) in bulk, with the given times."""
    docs = []
    for s in specs:
        # A document unique in itself (the counter restarts in every process), stored with
        # the hash of exactly its bytes, as intake stores it.
        n = f"{next(_seq)}-{uuid.uuid4().hex[:12]}"
        raw = document_bytes(f"INS-{n}", s.vendor.name, "", f"insight {n} {s.received_at}")
        docs.append(
            ReceivedDocument(
                sha256=hashlib.sha256(raw).hexdigest(),
                content=raw,
                size=len(raw),
                channel="api",
                status="accepted",
                institution_id=s.institution_id,
                syntax="peppol",
                document_type="Invoice",
            )
        )
    ReceivedDocument.objects.bulk_create(docs, batch_size=2000)
    rows = []
    for s, doc in zip(specs, docs, strict=True):
        vat = (s.amount / 5).quantize(Decimal("0.01"))
        state = (
            InvoiceState.PAID
            if s.paid_at
            else InvoiceState.APPROVED
            if s.approved_at
            else InvoiceState.RECEIVED
        )
        number = f"INS-{doc.sha256[:10]}"
        rows.append(
            Invoice(
                institution_id=s.institution_id,
                document=doc,
                vendor=s.vendor,
                kind=Invoice.Kind.INVOICE,
                number=number,
                number_key=number,
                issue_date=s.received_at.date(),
                due_date=s.due_date,
                currency="DKK",
                net_amount=s.amount - vat,
                vat_amount=vat,
                payable_amount=s.amount,
                state=state,
                coded_automatically=s.coded_automatically,
                attested_by_id=s.attested_by_id,
                attested_at=s.approved_at if s.attested_by_id else None,
                first_approved_by_id=s.first_approved_by_id,
                approved_by_id=s.approved_by_id,
                approved_at=s.approved_at,
                paid_at=s.paid_at,
            )
        )
    created = Invoice.objects.bulk_create(rows, batch_size=2000)
    # received_at is auto_now_add: set the planted receipt times afterwards, one UPDATE per
    # 500 rows (CASE WHEN pk = … THEN …).
    pairs = [
        (inv.pk, doc.pk, s.received_at) for s, inv, doc in zip(specs, created, docs, strict=True)
    ]
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        Invoice.objects.filter(pk__in=[p[0] for p in chunk]).update(
            received_at=DbCase(
                *[When(pk=p[0], then=Value(p[2])) for p in chunk], output_field=DateTimeField()
            )
        )
        ReceivedDocument.objects.filter(pk__in=[p[1] for p in chunk]).update(
            received_at=DbCase(
                *[When(pk=p[1], then=Value(p[2])) for p in chunk], output_field=DateTimeField()
            )
        )
    return created


def case_type(institution_id: int, code: str = "insight-plant") -> Any:
    from faelles.cases.models import CaseType, CaseTypeVersion

    ct, _c = CaseType.objects.get_or_create(
        institution_id=institution_id, code=code, defaults={"name": "Planted", "task_code": ""}
    )
    version = CaseTypeVersion.objects.filter(case_type=ct).first()
    if version is None:
        version = CaseTypeVersion.objects.create(
            institution_id=institution_id,
            case_type=ct,
            number=1,
            process_id="planted",
            files={},
            sha256="0" * 64,
            spec={},
        )
    return ct, version


def closed_case(
    institution_id: int, opened_at: datetime, closed_at: datetime | None, task_code: str = ""
) -> Any:
    from faelles.cases.models import Case, CaseStatus

    ct, version = case_type(institution_id)
    seq = next(_seq)
    return Case.objects.create(
        institution_id=institution_id,
        year=opened_at.year,
        seq=seq,
        number=f"P-{seq}",
        case_type=ct,
        version=version,
        title="Planted case",
        task_code=task_code,
        status=CaseStatus.CLOSED if closed_at else CaseStatus.OPEN,
        opened_at=opened_at,
        closed_at=closed_at,
    )


def ticket(institution_id: int, resolved_at: datetime, sla_state: str) -> Any:
    from faelles.servicedesk.models import Ticket

    n = next(_seq)
    return Ticket.objects.create(
        institution_id=institution_id,
        reference=f"P{n}",
        kind="request",
        domain="it",
        title="Planted ticket",
        channel="portal",
        status="resolved",
        created_at=resolved_at,
        updated_at=resolved_at,
        resolved_at=resolved_at,
        sla_state=sla_state,
    )


def employment(
    institution: Any, weekly_hours: Decimal, start: date, end: date | None = None
) -> Any:
    from faelles.payroll.models import Employee, Employment
    from faelles.tenancy.models import OrgUnit

    unit, _c = OrgUnit.objects.get_or_create(
        institution=institution, code="INS", defaults={"name": "Planted unit"}
    )
    n = next(_seq)
    employee = Employee.objects.create(
        institution=institution,
        number=f"P{n}",
        name=f"Planted {n}",
        cpr_ref=f"ref-{n}",
        cpr_cipher="x",
        cpr_last4="0000",
    )
    Employment.objects.create(
        institution=institution,
        employee=employee,
        org_unit=unit,
        position="Fuldmægtig",
        agreement="AC",
        weekly_hours=weekly_hours,
        start=start,
        end=end,
    )
    return employee


def payslips(institution: Any, period_start: date, retro: list[bool]) -> None:
    """A paid monthly run of ``period_start`` with one payslip per item of ``retro`` (True:
    the payslip carries a retro correction)."""
    from faelles.insight.measure import month_last_day
    from faelles.payroll.models import PayRun, Payslip

    run = PayRun.objects.create(
        institution=institution,
        frequency="monthly",
        period_start=period_start,
        period_end=month_last_day(period_start),
        payment_date=month_last_day(period_start),
        state="paid",
    )
    for flag in retro:
        employee = employment(institution, Decimal("0.01"), date(1990, 1, 1), date(1990, 1, 1))
        Payslip.objects.create(
            institution=institution,
            run=run,
            employee=employee,
            cost_centre="INS",
            retro_from=date(period_start.year, 1, 1) if flag else None,
        )
