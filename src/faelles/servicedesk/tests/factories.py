"""Builders for service-desk tests: an operator serving an institution with a service level,
a catalogue, a team, a supplier under a framework contract with a price list, locations and
assets, an inbound mail address, and one person in each service-desk role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faelles.servicedesk.models import (
    Asset,
    CatalogueService,
    Category,
    Domain,
    FrameworkContract,
    InboundAddress,
    Kind,
    Location,
    PriceListItem,
    ServiceLevel,
    Supplier,
    Team,
)
from faelles.tenancy.models import (
    Institution,
    Membership,
    Operator,
    OperatorStaff,
    Role,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.tests.factories import InstitutionFactory, OperatorFactory, UserFactory

#: Mon–Fri 08:00–16:00 in Copenhagen with the Danish public holidays.
OFFICE_HOURS = {
    "timezone": "Europe/Copenhagen",
    "hours": {d: ["08:00", "16:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": "DK",
    "closed": ["2026-12-24"],
}
#: Priority → (response, resolution) business minutes.
TARGETS = {
    "1": {"response_minutes": 30, "resolution_minutes": 240},
    "2": {"response_minutes": 60, "resolution_minutes": 480},
    "3": {"response_minutes": 120, "resolution_minutes": 960},
    "4": {"response_minutes": 240, "resolution_minutes": 1920},
}


@dataclass
class Desk:
    operator: Operator
    institution: Institution
    agreement: ServiceAgreement
    level: ServiceLevel
    service: CatalogueService
    team: Team
    category: Category
    fm_category: Category
    supplier: Supplier
    contract: FrameworkContract
    hour: PriceListItem
    cleaning: PriceListItem
    building: Location
    room: Location
    asset: Asset
    address: InboundAddress
    agent: User
    requester: User
    colleague: User
    contact: User


def user(username: str, email: str | None = None) -> User:
    u = UserFactory(username=username, email=email or f"{username}@example.dk")
    u.set_password("x")
    u.save()
    return u


def member(institution: Institution, role: str, username: str) -> User:
    u = user(username)
    Membership.objects.create(institution=institution, user=u, role=role)
    return u


def make_desk(prefix: str = "a", operator: Operator | None = None) -> Desk:
    operator = operator or OperatorFactory()
    inst = InstitutionFactory(name=f"Styrelsen {prefix.upper()}", short_name=f"ST{prefix.upper()}")
    agent = user(f"{prefix}-agent")
    OperatorStaff.objects.get_or_create(operator=operator, user=agent, role=StaffRole.CASE_WORKER)
    agreement = ServiceAgreement.objects.create(
        institution=inst,
        operator=operator,
        services=["it", "facilities"],
        valid_from=date(2020, 1, 1),
    )
    agreement.staff.add(agent)
    level = ServiceLevel(
        institution=inst,
        agreement=agreement,
        name="Standard",
        calendar=OFFICE_HOURS,
        targets=TARGETS,
        is_default=True,
    )
    level.full_clean()
    level.save()
    service = CatalogueService.objects.create(
        institution=inst,
        agreement=agreement,
        code="IT-ARB",
        name="Arbejdsplads",
        domain=Domain.IT,
        service_level=level,
        price=Decimal("450.00"),
        price_unit=CatalogueService.PriceUnit.USER_MONTH,
    )
    team, _ = Team.objects.get_or_create(
        operator=operator, name="1. linje", defaults={"email": "1linje@drift.example"}
    )
    team.members.add(agent)
    category, _ = Category.objects.get_or_create(
        operator=operator,
        code="IT-HW",
        defaults={
            "name": "Hardware",
            "domain": Domain.IT,
            "kind": Kind.INCIDENT,
            "default_team": team,
        },
    )
    supplier, _ = Supplier.objects.get_or_create(
        operator=operator, name="Facility Partner A/S", defaults={"email": "ordre@fm.example"}
    )
    contract, _ = FrameworkContract.objects.get_or_create(
        operator=operator,
        reference="FM-BØLGE-1",
        defaults={
            "supplier": supplier,
            "title": "Integreret facility management, bølge 1",
            "domain": Domain.FACILITIES,
            "valid_from": date(2024, 1, 1),
        },
    )
    contract.institutions.add(inst)
    hour, _ = PriceListItem.objects.get_or_create(
        contract=contract,
        code="TEK-T",
        defaults={"description": "Tekniker, time", "unit": "time", "unit_price": Decimal("625.00")},
    )
    cleaning, _ = PriceListItem.objects.get_or_create(
        contract=contract,
        code="REN-M2",
        defaults={"description": "Ekstra rengøring", "unit": "m2", "unit_price": Decimal("12.35")},
    )
    fm_category, _ = Category.objects.get_or_create(
        operator=operator,
        code="FM-REN",
        defaults={
            "name": "Rengøring",
            "domain": Domain.FACILITIES,
            "kind": Kind.WORK_ORDER,
            "default_contract": contract,
        },
    )
    building = Location.objects.create(
        institution=inst, level=Location.Level.BUILDING, code=f"{prefix}-B1", name="Hovedbygning"
    )
    floor = Location.objects.create(
        institution=inst,
        level=Location.Level.FLOOR,
        code=f"{prefix}-B1-2",
        name="2. sal",
        parent=building,
    )
    room = Location.objects.create(
        institution=inst,
        level=Location.Level.ROOM,
        code=f"{prefix}-B1-2-14",
        name="Mødelokale 14",
        parent=floor,
    )
    asset = Asset.objects.create(
        institution=inst,
        tag=f"{prefix}-PC-1",
        name="Bærbar",
        kind=Asset.AssetKind.IT,
        location=room,
    )
    address = InboundAddress.objects.create(
        institution=inst, address=f"it-{prefix}@servicedesk.example", domain=Domain.IT
    )
    return Desk(
        operator=operator,
        institution=inst,
        agreement=agreement,
        level=level,
        service=service,
        team=team,
        category=category,
        fm_category=fm_category,
        supplier=supplier,
        contract=contract,
        hour=hour,
        cleaning=cleaning,
        building=building,
        room=room,
        asset=asset,
        address=address,
        agent=agent,
        requester=member(inst, Role.REQUESTER, f"{prefix}-requester"),
        colleague=member(inst, Role.INVOICE_RECEIVER, f"{prefix}-colleague"),
        contact=member(inst, Role.LOCAL_ADMIN, f"{prefix}-contact"),
    )
