"""Demo payroll: generated employees across the AC, HK, hourly and student profiles in the
demo institutions, their master data through the two-person rule, and one paid run.
Every employee has a fictitious postal address. :func:`plant_vendor_twin` registers
:data:`VENDOR_TWIN`, who shares name and address with a vendor of the control demo (the
``vendor_employee_match`` control's real hit); the control demo calls it for the institution
that vendor invoices.

``faelles demo`` loads a few hundred (:data:`DEMO_EMPLOYEES`); ``faelles payroll demo
--employees N`` as many as asked. Idempotent: employees are numbered per institution and
only the missing ones are made; a period that already has a run is left as it is.

Every institution gets two payroll officers (``<short>.loen1`` proposes, ``<short>.loen2``
approves) and one employee with a login (``<short>.medarbejder``) for the self-service pages,
all with the demo password. CPR numbers are fictitious (born on the 1st of a month in the
1960s-90s, serial numbers from 9000 up, which no real person born those days has been given
in bulk) and are stored encrypted like any other.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from faelles.ledger import services as ledger_services
from faelles.ledger.models import FiscalYear
from faelles.payroll import services
from faelles.payroll.engine.params import years as parameter_years
from faelles.payroll.models import Employee, Employment, PayRun, PendingChange
from faelles.tenancy.models import Institution, Membership, OrgUnit, User
from faelles.tenancy.roles import PAYROLL_EMPLOYEE, PAYROLL_OFFICER

DEMO_EMPLOYEES = 300
DEMO_PASSWORD = "Faelles-Demo-2026"
PROFILES = ("AC", "HK", "HOURLY", "STUDENT")
STREETS = (
    "Algade",
    "Bøgevej",
    "Enghavevej",
    "Frederiksborggade",
    "Hovedgaden",
    "Kirkevej",
    "Møllevej",
    "Nørregade",
    "Skovvej",
    "Strandvejen",
    "Søndergade",
    "Vestergade",
)
TOWNS = (
    "1165 København K",
    "2100 København Ø",
    "2200 København N",
    "2300 København S",
    "2500 Valby",
    "2700 Brønshøj",
    "2800 Kongens Lyngby",
    "3400 Hillerød",
    "4000 Roskilde",
    "5000 Odense C",
    "8000 Aarhus C",
)

#: The employee the vendor/employee control finds in the demo: a person on the payroll who
#: also invoices the institution as a sole trader under their own name from their home
#: address (``faelles.control.demo`` sends that vendor's invoice). Number, name, CPR, address.
VENDOR_TWIN = ("D90001", "Henrik Lund", "0107749001", "Egevej 12, 2100 København Ø")


def demo_address(n: int, seed: int) -> str:
    """A fictitious one-line postal address for demo employee ``n``."""
    rnd = random.Random(seed * 100_003 + n)
    street = rnd.choice(STREETS)
    return f"{street} {rnd.randrange(1, 120)}, {rnd.choice(TOWNS)}"


def plant_vendor_twin(institution: Institution) -> Employee:
    """Register :data:`VENDOR_TWIN` in ``institution`` (once; through the payroll service;
    identity and address only — no employment, so no run pays him)."""
    number, name, cpr, address = VENDOR_TWIN
    found = Employee.objects.for_institution(institution).filter(number=number).first()
    if found is not None:
        return found
    maker, _checker = _officers(institution)
    return services.employee_create(
        actor=maker, institution=institution, number=number, name=name, cpr=cpr, address=address
    )


def _user(username: str, display_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, display_name=display_name, email=f"{username}@demo.faelles.dk"
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _officers(institution: Institution) -> tuple[User, User]:
    prefix = institution.short_name.lower()
    out = []
    for n in (1, 2):
        user = _user(f"{prefix}.loen{n}", f"Lønbehandler {n} ({institution.short_name})")
        # Role is a plain string here: tenancy's Role choices do not list the payroll roles.
        Membership.objects.get_or_create(institution=institution, user=user, role=PAYROLL_OFFICER)
        out.append(user)
    return out[0], out[1]


def _demo_period(today: date) -> tuple[int, int]:
    """The month before today, within the years the engine has parameters for."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    have = parameter_years()
    if year > max(have):
        return max(have), 12
    if year < min(have):
        return min(have), 1
    return year, month


def _profile_values(profile: str, rnd: random.Random, unit: OrgUnit, start: date) -> dict[str, Any]:
    hourly = profile in ("HOURLY", "STUDENT")
    values: dict[str, Any] = {
        "org_unit_id": unit.pk,
        "position": {
            "AC": "Fuldmægtig",
            "HK": "Overassistent",
            "HOURLY": "Timelønnet medarbejder",
            "STUDENT": "Studentermedhjælp",
        }[profile],
        "agreement": profile,
        "weekly_hours": {"AC": "37.00", "HK": "37.00", "HOURLY": "20.00", "STUDENT": "12.00"}[
            profile
        ],
        "frequency": "monthly",
        "start": start.isoformat(),
        "atp_family": "A",
        "holiday_scheme": "holiday_pay" if hourly else "paid_holiday",
    }
    if profile == "AC":
        values["pension_state_ac"] = True
        values["pension_scheme"] = "PKA/MP Pension"
    elif profile == "HK":
        values["pension_employer_rate"] = "15.00"
        values["pension_employee_rate"] = "5.00"
        values["pension_scheme"] = "PKA"
    return values


def _element(profile: str, rnd: random.Random) -> dict[str, Any]:
    if profile == "AC":
        return {
            "code": "salary",
            "text": "Månedsløn",
            "kind": "salary",
            "amount": f"{rnd.randrange(38000, 56000, 100)}.00",
        }
    if profile == "HK":
        return {
            "code": "salary",
            "text": "Månedsløn",
            "kind": "salary",
            "amount": f"{rnd.randrange(26000, 34000, 100)}.00",
        }
    if profile == "HOURLY":
        return {
            "code": "hourly",
            "text": "Timeløn",
            "kind": "hourly",
            "hours": f"{rnd.randrange(40, 90)}.00",
            "rate": f"{rnd.randrange(165, 210)}.00",
        }
    return {
        "code": "hourly",
        "text": "Timeløn",
        "kind": "hourly",
        "hours": f"{rnd.randrange(20, 52)}.00",
        "rate": "152.50",
    }


def _card(profile: str, rnd: random.Random, year: int) -> dict[str, Any]:
    if profile == "STUDENT":
        return {
            "type": "frikort",
            "rate": "38.00",
            "free_amount": "51600.00",
            "valid_from": f"{year}-01-01",
        }
    deduction = Decimal(rnd.randrange(4300, 5800, 25))
    return {
        "type": "hovedkort",
        "rate": f"{rnd.randrange(36, 42)}.00",
        "deduction_month": f"{deduction}.00",
        "deduction_14days": f"{(deduction * 12 / 26).quantize(Decimal('1'))}.00",
        "valid_from": f"{year}-01-01",
    }


@transaction.atomic
def _fill(institution: Institution, wanted: int, year: int, seed: int) -> int:
    """Make the institution's employees D00001…D<wanted>; the number made."""
    unit = (
        OrgUnit.objects.for_institution(institution).filter(is_active=True).order_by("code").first()
    )
    if unit is None or wanted <= 0:
        return 0
    maker, checker = _officers(institution)
    have = set(Employee.objects.for_institution(institution).values_list("number", flat=True))
    rnd = random.Random(seed)
    rows = []
    for n in range(1, wanted + 1):
        number = f"D{n:05d}"
        cpr = f"01{(n % 12) + 1:02d}{60 + (seed + n) % 40:02d}{9000 + (n * 7 + seed) % 1000:04d}"
        if number not in have:
            rows.append(
                (
                    number,
                    f"Demo Medarbejder {institution.short_name} {n}",
                    cpr,
                    demo_address(n, seed),
                )
            )
    if not rows:
        return 0
    created = services.employees_create_bulk(actor=maker, institution=institution, rows=rows)
    start = date(year, 1, 1)
    profiles = {e.pk: PROFILES[i % len(PROFILES)] for i, e in enumerate(created)}
    changes = [
        services.change_propose(
            actor=maker,
            employee=e,
            kind=PendingChange.Kind.EMPLOYMENT,
            values=_profile_values(profiles[e.pk], rnd, unit, start),
            effective_from=start,
        )
        for e in created
    ]
    services.changes_approve(actor=checker, changes=changes)
    employment = dict(
        Employment.objects.filter(employee__in=created).values_list("employee_id", "pk")
    )
    changes = []
    for e in created:
        profile = profiles[e.pk]
        for kind, values in (
            (
                PendingChange.Kind.PAY_ELEMENT,
                {
                    **_element(profile, rnd),
                    "employment_id": employment[e.pk],
                    "valid_from": start.isoformat(),
                },
            ),
            (PendingChange.Kind.TAX_CARD, _card(profile, rnd, year)),
            (
                PendingChange.Kind.BANK_ACCOUNT,
                {
                    "reg_no": f"{rnd.randrange(1000, 9999)}",
                    "account_no": f"{rnd.randrange(10**9, 10**10)}",
                    "valid_from": start.isoformat(),
                },
            ),
        ):
            changes.append(
                services.change_propose(
                    actor=maker, employee=e, kind=kind, values=values, effective_from=start
                )
            )
    services.changes_approve(actor=checker, changes=changes)
    # One employee logs in to see their own payslips.
    first = Employee.objects.for_institution(institution).order_by("number").first()
    if first is not None and first.user_id is None:
        first.user = _user(
            f"{institution.short_name.lower()}.medarbejder", f"{first.name} (medarbejder)"
        )
        first.save(update_fields=["user"])
        # The self-service role lets the employee log in; it shows no area of the institution.
        Membership.objects.get_or_create(
            institution=institution, user=first.user, role=PAYROLL_EMPLOYEE
        )
    return len(created)


def _pay(institution: Institution, year: int, month: int) -> PayRun | None:
    if not Employee.objects.for_institution(institution).exists():
        return None
    maker, checker = _officers(institution)
    if not FiscalYear.objects.for_institution(institution).filter(year=year).exists():
        ledger_services.chart_adopt(actor=maker, institution=institution)
        ledger_services.fiscal_year_open(actor=maker, institution=institution, year=year)
    start, end, pay = services.periods_for("monthly", year, month)[0]
    run = services.run_create(
        actor=maker,
        institution=institution,
        frequency="monthly",
        period_start=start,
        period_end=end,
        payment_date=pay,
    )
    if run.state in (PayRun.State.DRAFT, PayRun.State.CALCULATED):
        run = services.run_calculate(actor=maker, run=run)
    if run.state == PayRun.State.CALCULATED:
        run = services.run_approve(actor=maker, run=run)
    if run.state == PayRun.State.APPROVED:
        run = services.run_second_approve(actor=checker, run=run)
    if run.state == PayRun.State.SECOND_APPROVED:
        run = services.run_mark_paid(actor=checker, run=run)
    return run


def load_payroll_demo(
    *,
    employees: int = DEMO_EMPLOYEES,
    stdout: TextIO | Any = None,
    pay_run: bool = True,
    today: date | None = None,
) -> None:
    """``employees`` spread over the active institutions that have an org unit."""
    year, month = _demo_period(today or timezone.localdate())
    institutions = [
        i
        for i in Institution.objects.filter(is_active=True).order_by("pk")
        if OrgUnit.objects.for_institution(i).filter(is_active=True).exists()
    ]
    if not institutions:
        return
    share, rest = divmod(employees, len(institutions))
    made = 0
    runs = []
    for k, institution in enumerate(institutions):
        wanted = share + (1 if k < rest else 0)
        made += _fill(institution, wanted, year, seed=institution.pk)
        if pay_run:
            run = _pay(institution, year, month)
            if run is not None:
                runs.append(run)
    if stdout is not None:
        stdout.write(
            f"Payroll: {made} employee(s) made; {len(runs)} run(s) for {year}-{month:02d} "
            f"({sum(r.payslips for r in runs)} payslips, state "
            f"{', '.join(sorted({r.state for r in runs})) or '-'}).\n"
        )
        stdout.write(
            "  Payroll logins (password as above): <short>.loen1 (proposes, approves first), "
            "<short>.loen2 (approves changes, second approval), <short>.medarbejder "
            "(own payslips).\n"
        )


def load_demo(*, stdout: TextIO | None = None) -> None:
    """``faelles demo``: a few hundred employees and one paid run each. (The control demo,
    which runs first, registers :data:`VENDOR_TWIN` where its vendor invoices.)"""
    load_payroll_demo(employees=DEMO_EMPLOYEES, stdout=stdout)
