"""Demo data for facility management (issue 14, item 5): ``faelles demo`` fills the service
desk's quality and chargeback for the demo institutions.

Bygningsstyrelsen is a second operator (its FM staff serve the institutions under facility
agreements); one integrated supplier under a framework contract ("bølge 2") cleans, runs the
internal service and maintains the buildings of KB, DIGST, NATMUS and SMK. For each:

- a service level, a catalogue (daily cleaning per m² per year, internal service per user per
  month, moves per ticket), subscriptions, a building of three floors with cleaned rooms of
  each INSTA 800 room type and the contract's quality levels;
- a year of tickets with a realistic rhythm: working days only, more on Monday and fewer on
  Friday, the summer holiday in July and the Christmas weeks quiet, the working hours' peak in
  the morning; about one in ten resolved after its target (a breach), a few still open; work
  orders with technician hours from the price list; ratings and survey answers after closure,
  and the yearly survey;
- a monthly INSTA 800 inspection of the building (a few not approved);
- the chargeback statements of the months of the open fiscal year, posted through the ledger,
  and the supplier's quarterly scorecards.

Seeded (``random.Random``), so two databases get the same demo; idempotent: an institution
with demo tickets is left as it is. :func:`load_facilities_demo` is the part of this module
that can sit beside a service-desk demo of item 2's own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from faelles.servicedesk import chargeback, quality, scorecard, services
from faelles.servicedesk.chargeback_models import Statement
from faelles.servicedesk.models import (
    CatalogueService,
    Category,
    Domain,
    FrameworkContract,
    Kind,
    Location,
    OrderLine,
    PriceListItem,
    ServiceLevel,
    Supplier,
    Ticket,
)
from faelles.servicedesk.quality_models import ObjectGroup, PenaltyRule, RoomType, Scorecard
from faelles.tenancy import services as tenancy_services
from faelles.tenancy.demo import DEMO_PASSWORD, demo_cvr
from faelles.tenancy.models import (
    Institution,
    Membership,
    Operator,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.selectors import standing_facts


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


TZ = ZoneInfo("Europe/Copenhagen")
OPERATOR_NAME = "Bygningsstyrelsen"
DEMO_MARK = "[demo]"

#: short name → (employees subscribing to internal service, m² cleaned)
FM_INSTITUTIONS: dict[str, tuple[int, Decimal]] = {
    "KB": (450, Decimal("18500")),
    "DIGST": (220, Decimal("6200")),
    "NATMUS": (380, Decimal("24800")),
    "SMK": (210, Decimal("15400")),
}

FM_HOURS = {
    "timezone": "Europe/Copenhagen",
    "hours": {d: ["07:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": "DK",
    "closed": ["2025-12-24", "2025-12-31", "2026-12-24", "2026-12-31"],
}
FM_TARGETS = {
    "1": {"response_minutes": 30, "resolution_minutes": 240},
    "2": {"response_minutes": 60, "resolution_minutes": 600},
    "3": {"response_minutes": 120, "resolution_minutes": 1200},
    "4": {"response_minutes": 240, "resolution_minutes": 3000},
}

ROOM_PLAN = [
    (RoomType.OFFICE, 6),
    (RoomType.MEETING, 2),
    (RoomType.CORRIDOR, 1),
    (RoomType.SANITARY, 2),
    (RoomType.KITCHEN, 1),
]
QUALITY_LEVELS = {
    RoomType.OFFICE: 3,
    RoomType.MEETING: 3,
    RoomType.CORRIDOR: 2,
    RoomType.SANITARY: 4,
    RoomType.KITCHEN: 4,
    RoomType.RECEPTION: 3,
    RoomType.STORAGE: 1,
}

#: (category code, name, kind, share of tickets, titles)
TICKET_MIX = [
    ("FM-REN", "Rengøring", Kind.WORK_ORDER, 30, ["Ekstra rengøring efter møde", "Spild i kantinen", "Toilet mangler papir", "Vinduer er snavsede"]),
    ("FM-VED", "Vedligehold", Kind.WORK_ORDER, 30, ["Lampe er gået", "Dør kan ikke låses", "Radiator er kold", "Vandhane drypper", "Persienne sidder fast"]),
    ("FM-FLY", "Flytning og indretning", Kind.REQUEST, 15, ["Flytning af arbejdsplads", "Nyt skrivebord", "Opsætning af hæve-sænkebord"]),
    ("FM-SER", "Intern service", Kind.REQUEST, 25, ["Mødeforplejning", "Post og pakker", "Adgangskort", "Bestilling af kontorartikler"]),
]  # fmt: skip

#: Tickets per working day per institution, by weekday (Monday busiest) and month (July and
#: December quiet).
WEEKDAY_LOAD = (1.3, 1.1, 1.0, 1.0, 0.7)
MONTH_LOAD = {1: 1.1, 2: 1.0, 3: 1.0, 4: 0.9, 5: 1.0, 6: 0.9, 7: 0.3, 8: 1.0, 9: 1.2, 10: 1.0, 11: 1.0, 12: 0.6}  # fmt: skip
HOUR_WEIGHTS = {7: 3, 8: 8, 9: 9, 10: 8, 11: 6, 12: 4, 13: 5, 14: 4, 15: 2, 16: 1}  # fmt: skip


@dataclass
class Setup:
    operator: Operator
    admin: User
    fm: User
    supplier: Supplier
    contract: FrameworkContract
    hour: PriceListItem
    categories: dict[str, Category]


def _user(username: str, name: str, logins: list[tuple[str, str]], where: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = tenancy_services.user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            display_name=name,
            email=f"{username}@demo.faelles.dk",
        )
    logins.append((username, where))
    return user


def _operator(logins: list[tuple[str, str]]) -> tuple[Operator, User, User]:
    operator = Operator.objects.filter(name=OPERATOR_NAME).first()
    if operator is None:
        operator = tenancy_services.operator_create(
            actor=None, name=OPERATOR_NAME, cvr=demo_cvr(90)
        )
    admin = _user("bygst.admin", "Mette Lund (FM-chef)", logins, f"{OPERATOR_NAME}: FM-chef")
    fm = _user(
        "bygst.fm", "Jonas Krogh (FM-koordinator)", logins, f"{OPERATOR_NAME}: FM-koordinator"
    )
    tenancy_services.operator_staff_grant(
        actor=None, operator=operator, user=admin, role=StaffRole.OPERATOR_ADMIN
    )
    tenancy_services.operator_staff_grant(
        actor=None, operator=operator, user=fm, role=StaffRole.CASE_WORKER
    )
    return operator, admin, fm


def _setup(operator: Operator, admin: User, fm: User, start: date) -> Setup:
    supplier, _ = Supplier.objects.get_or_create(
        operator=operator,
        name="Facility Partner A/S (demo)",
        defaults={"cvr": demo_cvr(91), "email": "ordre@facilitypartner.example"},
    )
    contract, _ = FrameworkContract.objects.get_or_create(
        operator=operator,
        reference="FM-BØLGE-2",
        defaults={
            "supplier": supplier,
            "title": "Integreret facility management, bølge 2",
            "domain": Domain.FACILITIES,
            "valid_from": date(2025, 1, 1),
        },
    )
    items = {}
    for code, text, unit, price in (
        ("TEK-T", "Tekniker, time", "time", "625.00"),
        ("HÅN-T", "Håndværker, time", "time", "540.00"),
        ("REN-T", "Ekstra rengøring, time", "time", "395.00"),
    ):
        items[code], _ = PriceListItem.objects.get_or_create(
            contract=contract,
            code=code,
            defaults={"description": text, "unit": unit, "unit_price": Decimal(price)},
        )
    if not contract.penalty_rules.exists():
        for metric, threshold, basis, amount, cap in (
            ("sla_met", "90", "per_point", "2500", "50000"),
            ("inspections", "85", "once", "15000", None),
            ("satisfaction", "3.8", "per_point", "1000", "20000"),
        ):
            PenaltyRule.objects.create(
                contract=contract,
                metric=metric,
                threshold=Decimal(threshold),
                basis=basis,
                amount=Decimal(amount),
                cap=Decimal(cap) if cap else None,
            )
    categories = {}
    for code, name, kind, _share, _titles in TICKET_MIX:
        categories[code], _ = Category.objects.get_or_create(
            operator=operator,
            code=code,
            defaults={
                "name": name,
                "domain": Domain.FACILITIES,
                "kind": kind,
                "default_contract": contract if kind == Kind.WORK_ORDER else None,
            },
        )
    return Setup(operator, admin, fm, supplier, contract, items["TEK-T"], categories)


def _institution_base(setup: Setup, inst: Institution, users: int, area: Decimal) -> dict[str, Any]:
    agreement = ServiceAgreement.objects.filter(
        institution=inst, operator=setup.operator
    ).first() or tenancy_services.service_agreement_create(
        actor=None,
        institution=inst,
        operator=setup.operator,
        services=["facilities"],
        valid_from=date(2025, 1, 1),
        staff=[setup.fm],
        note="Integreret facility management (bølge 2).",
    )
    setup.contract.institutions.add(inst)
    level = ServiceLevel.objects.filter(institution=inst, name="FM standard").first()
    if level is None:
        level = ServiceLevel(
            institution=inst,
            agreement=agreement,
            name="FM standard",
            calendar=FM_HOURS,
            targets=FM_TARGETS,
            is_default=not ServiceLevel.objects.filter(institution=inst, is_default=True).exists(),
        )
        level.full_clean()
        level.save()
    catalogue = {}
    for code, name, price, unit in (
        ("FM-BASIS", "Daglig rengøring (INSTA 800)", "96.00", CatalogueService.PriceUnit.M2_YEAR),
        ("FM-SERV", "Intern service", "85.00", CatalogueService.PriceUnit.USER_MONTH),
        ("FM-FLYT", "Flytning af arbejdsplads", "350.00", CatalogueService.PriceUnit.TICKET),
    ):
        catalogue[code], _ = CatalogueService.objects.get_or_create(
            institution=inst,
            code=code,
            defaults={
                "agreement": agreement,
                "name": name,
                "domain": Domain.FACILITIES,
                "service_level": level,
                "price": Decimal(price),
                "price_unit": unit,
            },
        )
    for code, quantity in (("FM-BASIS", area), ("FM-SERV", Decimal(users))):
        chargeback.subscription_set(
            actor=setup.fm, service=catalogue[code], quantity=quantity, valid_from=date(2025, 1, 1)
        )
    prefix = inst.short_name.upper()
    building = Location.objects.create(
        institution=inst,
        level=Location.Level.BUILDING,
        code=f"{prefix}-HB",
        name="Hovedbygning",
        address="Demovej 1, 1000 København K",
        area_m2=area,
    )
    rooms = []
    for floor_no in range(1, 4):
        floor = Location.objects.create(
            institution=inst,
            level=Location.Level.FLOOR,
            code=f"{prefix}-HB-{floor_no}",
            name=f"{floor_no}. sal",
            parent=building,
        )
        n = 0
        for room_type, count in ROOM_PLAN:
            for _i in range(count):
                n += 1
                room = Location.objects.create(
                    institution=inst,
                    level=Location.Level.ROOM,
                    code=f"{floor.code}-{n:02d}",
                    name=f"{RoomType(room_type).label} {floor_no}.{n:02d}",
                    parent=floor,
                )
                quality.cleaned_room_set(actor=setup.fm, room=room, room_type=room_type)
                rooms.append(room)
    for room_type in {rt for rt, _c in ROOM_PLAN}:
        quality.quality_spec_set(
            actor=setup.fm,
            contract=setup.contract,
            institution=inst,
            room_type=room_type,
            quality_level=QUALITY_LEVELS[room_type],
        )
    return {"level": level, "catalogue": catalogue, "building": building, "rooms": rooms}


def _requesters(inst: Institution) -> list[User]:
    users = [
        m.user
        for m in Membership.objects.filter(institution=inst, is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]
    seen: dict[int, User] = {}
    for u in users:
        seen.setdefault(u.pk, u)
    return list(seen.values())


def _working_days(start: date, end: date) -> list[date]:
    dk = holidays.country_holidays("DK", years=range(start.year, end.year + 1))
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in dk and (day.month, day.day) not in ((12, 24), (12, 31)):
            days.append(day)
        day += timedelta(days=1)
    return days


def _instant(day: date, rng: random.Random) -> datetime:
    hour = rng.choices(list(HOUR_WEIGHTS), weights=list(HOUR_WEIGHTS.values()))[0]
    return datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=TZ)


def _tickets(
    setup: Setup,
    inst: Institution,
    base: dict[str, Any],
    days: list[date],
    rng: random.Random,
    scale: float,
    now: datetime,
) -> int:
    people = _requesters(inst)
    if not people:
        return 0
    made = 0
    weights = [share for _c, _n, _k, share, _t in TICKET_MIX]
    rooms = base["rooms"]
    for day in days:
        expected = 1.5 * scale * WEEKDAY_LOAD[day.weekday()] * MONTH_LOAD[day.month]
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        for _n in range(count):
            code, _name, kind, _share, titles = rng.choices(TICKET_MIX, weights=weights)[0]
            opened = _instant(day, rng)
            if opened >= now:
                continue
            requester = rng.choice(people)
            urgency = rng.choices((1, 2, 3), weights=(1, 4, 10))[0]
            impact = rng.choices((1, 2, 3), weights=(1, 3, 10))[0]
            ticket = services.ticket_open(
                actor=requester,
                institution=inst,
                title=rng.choice(titles),
                description=f"{DEMO_MARK} Oprettet i portalen.",
                kind=kind,
                domain=Domain.FACILITIES,
                category=setup.categories[code],
                service=base["catalogue"]["FM-FLYT"] if code == "FM-FLY" else None,
                impact=impact,
                urgency=urgency,
                location=rng.choice(rooms),
                at=opened,
            )
            made += 1
            _work(setup, ticket, requester, opened, rng, now)
    return made


def _work(
    setup: Setup,
    ticket: Ticket,
    requester: User,
    opened: datetime,
    rng: random.Random,
    now: datetime,
) -> None:
    """Take the ticket through its life: a response, sometimes a wait for the customer, the
    resolution — in time for most, late for about one in ten — and a close, a rating or a
    survey answer."""
    agent = setup.fm
    respond = opened + timedelta(minutes=rng.randint(5, 90))
    if respond >= now:
        return
    services.ticket_transition(actor=agent, ticket=ticket, action="start", at=respond)
    late = rng.random() < 0.10
    hours = rng.uniform(30, 120) if late else rng.uniform(0.5, 6)
    resolve = respond + timedelta(hours=hours)
    if rng.random() < 0.15:
        wait = respond + timedelta(minutes=30)
        back = wait + timedelta(hours=rng.uniform(2, 30))
        if back >= now:
            return
        services.ticket_transition(actor=agent, ticket=ticket, action="wait", at=wait)
        services.ticket_transition(actor=agent, ticket=ticket, action="resume", at=back)
        resolve = back + timedelta(hours=hours)
    if resolve >= now:
        return  # still open
    if ticket.kind == Kind.WORK_ORDER and ticket.contract_id is not None and rng.random() < 0.5:
        line = services.order_line_add(
            actor=agent,
            ticket=ticket,
            quantity=Decimal(rng.choice(("0.5", "1", "1.5", "2", "3"))),
            price_item=setup.hour,
        )
        OrderLine.objects.filter(pk=line.pk).update(created_at=resolve)  # ordered back then
    services.ticket_transition(
        actor=agent, ticket=ticket, action="resolve", reason="Udført.", at=resolve
    )
    settle = resolve + timedelta(hours=rng.uniform(1, 48))
    if settle >= now:
        return
    roll = rng.random()
    if roll < 0.35:
        rating = rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 8, 6))[0]
        if late:
            rating = max(1, rating - 2)
        services.ticket_rate(actor=requester, ticket=ticket, rating=rating, at=settle)
        return
    services.ticket_transition(actor=agent, ticket=ticket, action="close", at=settle)
    if roll < 0.50:
        score = rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 5, 8, 4))[0]
        quality.survey_answer_ticket(
            actor=requester,
            ticket=ticket,
            score=max(1, score - 2) if late else score,
            answers={"speed": rng.randint(1, 5) if late else rng.randint(3, 5)},
            at=settle + timedelta(minutes=5),
        )


def _inspections(
    setup: Setup, inst: Institution, base: dict[str, Any], days: list[date], rng: random.Random
) -> int:
    """One inspection a month on its second Tuesday-ish working day; defects drawn so that
    most rooms pass and some months fail."""
    months = sorted({(d.year, d.month) for d in days})
    done = 0
    for year, month in months:
        candidates = [d for d in days if (d.year, d.month) == (year, month) and d.day >= 8]
        if not candidates:
            continue
        day = candidates[0]
        inspection = quality.inspection_plan(
            actor=setup.fm,
            contract=setup.contract,
            building=base["building"],
            inspected_on=day,
            seed=f"{inst.short_name}-{year}-{month}",
        )
        # Most months the supplier cleans to the levels; in about one in five it does not.
        weights = (6, 4, 3, 2, 1) if rng.random() < 0.2 else (30, 8, 2, 0.5, 0.2)
        for room in inspection.rooms.all():
            defects = {
                str(g): rng.choices((0, 1, 2, 3, 4), weights=weights)[0] for g in ObjectGroup
            }
            quality.inspection_assess(actor=setup.fm, inspected=room, defects=defects)
        quality.inspection_complete(
            actor=setup.fm,
            inspection=inspection,
            at=datetime.combine(day, time(15), tzinfo=TZ),
        )
        done += 1
    return done


def _yearly(inst: Institution, year: int, rng: random.Random) -> None:
    for user in _requesters(inst):
        quality.survey_answer_yearly(
            actor=user,
            institution=inst,
            year=year,
            score=rng.choices((2, 3, 4, 5), weights=(2, 5, 6, 2))[0],
            answers={"quality": rng.randint(2, 5)},
            at=datetime(year, 11, 15, 10, tzinfo=TZ),
        )


def _statements(setup: Setup, inst: Institution, today: date) -> tuple[int, int]:
    """Prepare every month up to the last, post those in an open fiscal year."""
    prepared = posted = 0
    period = date(today.year - 1, today.month, 1)
    last = chargeback.month_start(today)
    while period < last:
        statement = chargeback.statement_prepare(actor=setup.fm, institution=inst, period=period)
        prepared += 1
        try:
            with transaction.atomic():
                chargeback.statement_post(actor=setup.fm, statement=statement)
            posted += 1
        except ValidationError:
            pass  # no open fiscal year for the month: the draft stays
        period = chargeback.month_start(chargeback.month_end(period) + timedelta(days=1))
    return prepared, posted


def _scorecards(setup: Setup, today: date) -> int:
    issued = 0
    for quarter in range(4):
        start = date(today.year, 1 + 3 * quarter, 1)
        end = chargeback.month_end(date(today.year, 3 + 3 * quarter, 1))
        if (
            end >= today
            or Scorecard.objects.filter(
                contract=setup.contract, period_start=start, period_end=end
            ).exists()
        ):
            continue
        scorecard.scorecard_issue(actor=setup.admin, contract=setup.contract, start=start, end=end)
        issued += 1
    return issued


def load_facilities_demo(
    *, stdout: Writer | None = None, today: date | None = None, scale: float = 1.0
) -> dict[str, Any]:
    """Facility management's quality and chargeback for the demo institutions (see the
    module docstring). ``scale`` multiplies the number of tickets (tests use a small one)."""
    today = today or timezone.localdate()
    now = (
        timezone.now()
        if today == timezone.localdate()
        else datetime.combine(today, time(0), tzinfo=TZ)
    )
    start = date(today.year - 1, today.month, 1)
    days = _working_days(start, today - timedelta(days=1))
    logins: list[tuple[str, str]] = []
    summary: dict[str, Any] = {"tickets": 0, "inspections": 0, "statements": 0, "posted": 0}
    with transaction.atomic():
        operator, admin, fm = _operator(logins)
        setup = _setup(operator, admin, fm, start)
    for short, (users, area) in FM_INSTITUTIONS.items():
        inst = Institution.objects.filter(short_name=short).first()
        if inst is None:
            continue
        if (
            Ticket.objects.filter(institution=inst, description__startswith=DEMO_MARK).exists()
            or Statement.objects.filter(institution=inst).exists()
        ):
            continue  # loaded before
        rng = random.Random(f"servicedesk-facilities-{short}")
        with transaction.atomic():
            base = _institution_base(setup, inst, users, area)
            # A year of history acted by many people who keep their roles meanwhile: their
            # roles are read once, not again after every write.
            with standing_facts():
                summary["tickets"] += _tickets(setup, inst, base, days, rng, scale, now)
            summary["inspections"] += _inspections(setup, inst, base, days, rng)
            _yearly(inst, today.year, rng)
            prepared, posted = _statements(setup, inst, today)
            summary["statements"] += prepared
            summary["posted"] += posted
    with transaction.atomic():
        summary["scorecards"] = _scorecards(setup, today)
    if stdout is not None:
        stdout.write(
            "servicedesk: {tickets} FM tickets, {inspections} INSTA 800 inspections, "
            "{statements} statements ({posted} posted), {scorecards} scorecards\n".format(**summary)
        )
        for username, where in logins:
            stdout.write(f"  {username}  {DEMO_PASSWORD}  {where}\n")
    return summary


def load_demo(*, stdout: Writer | None = None, today: date | None = None) -> None:
    """The service desk's part of ``faelles demo``."""
    load_facilities_demo(stdout=stdout, today=today)
