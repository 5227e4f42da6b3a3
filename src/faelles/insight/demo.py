"""Insight's part of ``faelles demo``: a year of measured history in which the key figures
differ between institutions, a task inventory per institution with registered hours (some of
them shadow work), and a business case whose gains are followed up.

The year of invoices is planted in bulk with its receipt, approval and payment times
(``plant.invoices``; the services cannot back-date), each institution with its own profile:
volume, share coded automatically, attestation, time to approval and to payment. Det Kgl.
Bibliotek (KB) starts automatic coding six months ago, so its business case has measured
gains. Everything else goes through the services (audit events included): the tasks, their
hours, the business case, its estimates and the measured realisation; then every month is
measured (``key_figures_refresh``). Idempotent: nothing is added when the demo tasks exist.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from faelles.core.access import user_can
from faelles.insight import business_case, plant, services
from faelles.insight.models import Figure, Task
from faelles.insight.selectors import WRITE_ROLES
from faelles.tenancy.models import Institution, OperatorStaff, Responsibility, StaffRole

MARK = "[demo]"
CASE_INSTITUTION = "KB"
#: name, illustrative FORM-style code, systems, standardisability, bindings, volume, hours,
#: measures, agreement task (owner operator: hours on it are shadow work)
TASKS: list[tuple[str, str, str, int, int, int, int, str, str]] = [
    (
        "Fakturabehandling og kontering",
        "6.3.2",
        "IndFak, Navision",
        5,
        4,
        0,
        0,
        Figure.COST_PER_INVOICE,
        "",
    ),
    (
        "Betaling og rykkerhåndtering",
        "6.3.3",
        "Navision, NemKonto",
        5,
        5,
        900,
        120,
        "",
        "Betaling og rykkerhåndtering",
    ),
    ("Rejseafregning", "6.3.4", "RejsUd", 4, 4, 1800, 450, "", ""),
    ("Indberetning af løndata", "6.2.1", "Statens HR, SLS", 4, 3, 2400, 600, "", ""),
    ("Journalisering og arkivering", "6.5.1", "F2", 3, 3, 6000, 900, "", ""),
    ("Tilskudssagsbehandling", "3.2.1", "Tilskudsportal", 2, 2, 400, 1600, "", ""),
]


def _months(today: date) -> list[date]:
    """The 12 whole months before ``today``'s month, oldest first."""
    first = today.replace(day=1)
    return [business_case.add_months(first, -n) for n in range(12, 0, -1)]


def _aware(d: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, minute)))


def _profile(index: int) -> dict[str, float]:
    return {
        "volume": 25 + 11 * index,
        "auto": min(0.30 + 0.07 * index, 0.9),
        "attest": max(0.55 - 0.05 * index, 0.05),
        "approval_hours": 6 + 14 * (index % 4),
        "pay_days": 9 + 4 * (index % 5),
    }


def _invoices(
    institutions: list[Institution], months: list[date], now: datetime, attester: int
) -> int:
    specs = []
    case_start = months[6]
    for index, inst in enumerate(institutions):
        rnd = random.Random(f"insight-{inst.short_name}")
        p = _profile(index)
        vendors = [plant.vendor(inst.pk, f"{MARK} Leverandør {n} ApS") for n in range(1, 6)]
        for month in months:
            auto, attest = p["auto"], p["attest"]
            if inst.short_name == CASE_INSTITUTION and month >= case_start:
                auto, attest = min(auto + 0.35, 0.95), attest / 3
            for _n in range(int(p["volume"] * rnd.uniform(0.8, 1.2))):
                received = _aware(month + timedelta(days=rnd.randrange(28)), rnd.randrange(8, 16))
                approved = received + timedelta(hours=rnd.expovariate(1 / p["approval_hours"]))
                paid = approved + timedelta(days=max(1, rnd.gauss(p["pay_days"], 4)))
                specs.append(
                    plant.InvoiceSpec(
                        inst.pk,
                        rnd.choice(vendors),
                        received,
                        amount=Decimal(rnd.randrange(500, 90_000)).quantize(Decimal("0.01")),
                        approved_at=approved if approved < now else None,
                        paid_at=paid if paid < now and approved < now else None,
                        due_date=(received + timedelta(days=30)).date(),
                        coded_automatically=rnd.random() < auto,
                        # an attestation is one more touch
                        attested_by_id=attester if rnd.random() < attest else None,
                    )
                )
    plant.invoices(specs)
    return len(specs)


def load_demo(*, stdout: Any = None, today: date | None = None) -> None:
    today = today or timezone.localdate()
    institutions = list(
        Institution.objects.filter(is_active=True, kind=Institution.Kind.AGENCY).order_by(
            "short_name"
        )
    )
    if not institutions or Task.objects.filter(note=MARK).exists():
        return
    staff = (
        OperatorStaff.objects.filter(role=StaffRole.OPERATOR_ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if staff is None:
        return
    actor = staff.user
    # only the institutions the operator serves (an operator's own books are no customer's)
    institutions = [i for i in institutions if user_can(actor, i, WRITE_ROLES)]
    if not institutions:
        return
    months = _months(today)
    now = timezone.now()
    count = _invoices(institutions, months, now, actor.pk)

    # the task inventory, hours registered on invoice handling and on the operator's tasks
    for index, inst in enumerate(institutions):
        rnd = random.Random(f"insight-tasks-{inst.short_name}")
        p = _profile(index)
        for name, code, systems, std, bind, volume, hours, measures, agreement_task in TASKS:
            responsibility = (
                Responsibility.objects.for_institution(inst).filter(task=agreement_task).first()
                if agreement_task
                else None
            )
            task = services.task_save(
                actor=actor,
                institution=inst,
                data={
                    "name": name,
                    "form_code": code,
                    "systems": systems,
                    "standardisability": max(1, min(5, std + rnd.choice((-1, 0, 0, 1)))),
                    "bindings": max(1, min(5, bind + rnd.choice((-1, 0, 0, 1)))),
                    "volume_per_year": int(volume * rnd.uniform(0.5, 1.8)),
                    "hours_per_year": Decimal(int(hours * rnd.uniform(0.5, 1.8))),
                    "measures": measures,
                    "responsibility": responsibility,
                    "note": MARK,
                },
            )
            # KB's cost comes from its touches, so automatic coding shows in it
            registers = (measures and index % 3 == 0 and inst.short_name != CASE_INSTITUTION) or (
                responsibility and index % 4 == 1
            )
            if not registers:
                continue
            for month in months:
                minutes = Decimal(3 + index) if measures else Decimal(0)
                value = (
                    Decimal(p["volume"]) * minutes / 60
                    if measures
                    else Decimal(rnd.randrange(4, 16))
                )
                services.task_hours_register(
                    actor=actor, task=task, month=month, hours=value.quantize(Decimal("0.1"))
                )

    for month in [*months, today.replace(day=1)]:
        services.key_figures_refresh(actor=None, month=month)

    # KB's business case: automatic coding from six months ago, its gains measured since
    kb = next((i for i in institutions if i.short_name == CASE_INSTITUTION), None)
    if kb is not None:
        start = months[6]
        case = services.business_case_create(
            actor=actor,
            institution=kb,
            data={
                "title": "Autokontering og fælles fakturamodtagelse",
                "task": Task.objects.for_institution(kb).filter(form_code="6.3.2").first(),
                "current_scenario": (
                    "Fakturaer konteres i hånden og attesteres af en rekvirent, før de "
                    "godkendes; hver faktura berøres 2–3 gange."
                ),
                "future_scenario": (
                    "Konteringsregler koder de faste leverandørers fakturaer; attestation kun "
                    "over 50.000 kr.; godkendelsen er eneste berøring."
                ),
                "start_month": start,
                "horizon_years": 3,
                "risk_reserve_pct": Decimal("15"),
                "baseline_figure": Figure.COST_PER_INVOICE,
            },
        )
        for kind, text, low, likely, high, owner in [
            (
                "one_off_cost",
                "Opsætning af konteringsregler og oplæring",
                60_000,
                80_000,
                140_000,
                "",
            ),
            ("running_cost", "Vedligehold af regler", 8_000, 12_000, 20_000, ""),
            (
                "running_benefit",
                "Færre berøringer pr. faktura",
                40_000,
                70_000,
                110_000,
                "Økonomichef, KB",
            ),
            (
                "one_off_benefit",
                "Oprydning i leverandørstamdata",
                5_000,
                10_000,
                15_000,
                "Kreditorbogholder, KB",
            ),
        ]:
            services.business_case_item_add(
                actor=actor,
                case=case,
                data={
                    "kind": kind,
                    "description": text,
                    "low": Decimal(low),
                    "likely": Decimal(likely),
                    "high": Decimal(high),
                    "from_year": 1,
                    "benefit_owner": owner,
                },
            )
        services.business_case_approve(actor=actor, case=case)
        for month in months[6:]:
            services.realisation_measure(actor=actor, case=case, month=month)
    if stdout is not None:
        stdout.write(
            f"  insight: {count} invoices over {len(months)} months in "
            f"{len(institutions)} institutions, {len(TASKS)} tasks each, key figures measured\n"
        )
