"""Demo data: an operator, three ministries with ten institutions under them, org units,
endpoints, users for every role, a substitute, and service agreements with responsibility
matrices. Loaded by ``faelles demo``; idempotent (what exists is left as it is).

All identifiers are fictitious but valid (CVR modulus 11, GLN check digit). Every demo user
has the password :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from faelles.tenancy import services
from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Operator,
    OrgUnit,
    Role,
    Service,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.validators import gln_with_check_digit

DEMO_PASSWORD = "Faelles-Demo-2026"


class Writer(Protocol):
    """Anything with ``write(str)``: a command's stdout, a StringIO, sys.stdout."""

    def write(self, msg: str, /) -> Any: ...


AGREEMENT_START = date(2025, 1, 1)
OPERATOR_NAME = "Statens Administration"

_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def demo_cvr(n: int) -> str:
    """A fictitious, valid CVR number for demo organisation ``n``."""
    for prefix in (4100000 + 10 * n, 4100000 + 10 * n + 1):
        total = sum(w * int(d) for w, d in zip(_CVR_WEIGHTS, f"{prefix:07d}", strict=False))
        check = -total % 11
        if check < 10:
            return f"{prefix:07d}{check}"
    raise AssertionError("unreachable")


def demo_gln(institution_no: int, unit_no: int) -> str:
    """A valid 13-digit GLN in the Danish public range (5798…) for the demo."""
    return gln_with_check_digit(f"5798009{institution_no:03d}{unit_no:02d}")


@dataclass(frozen=True)
class Inst:
    short_name: str
    name: str
    parent: str | None = None

    @property
    def kind(self) -> str:
        return Institution.Kind.MINISTRY if self.parent is None else Institution.Kind.AGENCY


INSTITUTIONS: list[Inst] = [
    Inst("FM", "Finansministeriet"),
    Inst("DIGST", "Digitaliseringsstyrelsen", "FM"),
    Inst("OES", "Økonomistyrelsen", "FM"),
    Inst("SIT", "Statens It", "FM"),
    Inst("KUM", "Kulturministeriet"),
    Inst("SLKS", "Slots- og Kulturstyrelsen", "KUM"),
    Inst("KB", "Det Kgl. Bibliotek", "KUM"),
    Inst("NATMUS", "Nationalmuseet", "KUM"),
    Inst("SMK", "Statens Museum for Kunst", "KUM"),
    Inst("MIM", "Miljøministeriet"),
    Inst("MST", "Miljøstyrelsen", "MIM"),
    Inst("NST", "Naturstyrelsen", "MIM"),
    Inst("DMP", "Danmarks Miljøportal", "MIM"),
]

# code, name, parent code
ORG_UNITS: list[tuple[str, str, str | None]] = [
    ("100", "Direktion", None),
    ("200", "Økonomi og HR", None),
    ("210", "Løn", "200"),
    ("300", "Drift og service", None),
    ("310", "Indkøb", "300"),
]

# service, task, owner
RESPONSIBILITIES: list[tuple[str, str, str]] = [
    (Service.PAYABLES, "Modtagelse og scanning af fakturaer", "operator"),
    (Service.PAYABLES, "Kontering af fakturaer", "institution"),
    (Service.PAYABLES, "Godkendelse (disponering)", "institution"),
    (Service.PAYABLES, "Betaling og rykkerhåndtering", "operator"),
    (Service.LEDGER, "Bogføring og afstemning", "operator"),
    (Service.LEDGER, "Budgetopfølgning", "institution"),
    (Service.LEDGER, "Årsregnskab", "operator"),
    (Service.PAYROLL, "Indberetning af løndata", "institution"),
    (Service.PAYROLL, "Lønkørsel og eIndkomst", "operator"),
    (Service.PAYROLL, "Ferieregnskab", "institution"),
]

# Institutions with a user for every role; the rest get a local administrator.
FULL_ROLE_SET = ("KB", "DIGST")
#: Approval limits a local administrator may give alone; above it an operator administrator
#: approves (the demo approvers' 250,000 kr. are within it).
DEMO_APPROVAL_LIMIT_CEILING = Decimal("500000.00")

ROLE_USERS: list[tuple[str, str, Decimal | None]] = [
    (Role.INVOICE_RECEIVER, "modtager", None),
    (Role.REQUESTER, "rekvirent", None),
    (Role.APPROVER, "godkender", Decimal("250000.00")),
    (Role.BOOKKEEPER, "bogholder", None),
    (Role.PAYER, "betaler", None),
    (Role.CONTROLLER, "controller", None),
    (Role.CASE_HANDLER, "sagsbehandler", None),
    (Role.CASE_MANAGER, "sagsansvarlig", None),
    # The same logins as the payroll demo's first officer and self-service employee.
    (Role.PAYROLL_OFFICER, "loen1", None),
    (Role.PAYROLL_EMPLOYEE, "medarbejder", None),
]

STAFF: list[tuple[str, str, str]] = [
    ("sa.admin", "Sofie Andersen (driftsadministrator)", StaffRole.OPERATOR_ADMIN),
    ("sa.sagsbehandler", "Lars Holm (sagsbehandler)", StaffRole.CASE_WORKER),
    ("sa.system", "Ida Berg (systemadministrator)", StaffRole.SYSTEM_ADMIN),
]


class _Loader:
    def __init__(self) -> None:
        self.logins: list[tuple[str, str, str]] = []

    # -- users ---------------------------------------------------------------------------

    def user(self, username: str, display_name: str, where: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                display_name=display_name,
                email=f"{username}@demo.faelles.dk",
            )
        self.logins.append((username, display_name, where))
        return user

    # -- organisations -------------------------------------------------------------------

    def operator(self) -> Operator:
        operator = Operator.objects.filter(name=OPERATOR_NAME).first()
        if operator is None:
            operator = services.operator_create(actor=None, name=OPERATOR_NAME, cvr=demo_cvr(0))
        return operator

    def institutions(self) -> dict[str, Institution]:
        result: dict[str, Institution] = {}
        for no, spec in enumerate(INSTITUTIONS, start=1):
            inst = Institution.objects.filter(short_name=spec.short_name).first()
            if inst is None:
                inst = services.institution_create(
                    actor=None,
                    name=spec.name,
                    short_name=spec.short_name,
                    kind=spec.kind,
                    cvr=demo_cvr(no),
                    parent=result[spec.parent] if spec.parent else None,
                )
            result[spec.short_name] = inst
            self.org_units_and_endpoints(inst, no)
        return result

    def org_units_and_endpoints(self, inst: Institution, no: int) -> None:
        units: dict[str, OrgUnit] = {}
        for code, name, parent in ORG_UNITS:
            unit = OrgUnit.objects.filter(institution=inst, code=code).first()
            if unit is None:
                unit = services.org_unit_create(
                    actor=None,
                    institution=inst,
                    code=code,
                    name=name,
                    parent=units[parent] if parent else None,
                )
            units[code] = unit
        endpoints: list[tuple[str, str, OrgUnit | None, str]] = [
            (Endpoint.Scheme.GLN, demo_gln(no, 0), None, "Hovedadresse for e-fakturaer"),
            (Endpoint.Scheme.GLN, demo_gln(no, 31), units["310"], "Indkøb"),
            (Endpoint.Scheme.CVR, inst.cvr, None, "Peppol (CVR)"),
        ]
        for scheme, identifier, unit, description in endpoints:
            if (
                not identifier
                or Endpoint.objects.filter(scheme=scheme, identifier=identifier).exists()
            ):
                continue
            services.endpoint_create(
                actor=None,
                institution=inst,
                scheme=scheme,
                identifier=identifier,
                org_unit=unit,
                description=description,
            )

    def agreements(
        self, operator: Operator, insts: dict[str, Institution], staff: dict[str, User]
    ) -> None:
        for spec in INSTITUTIONS:
            inst = insts[spec.short_name]
            agreement = ServiceAgreement.objects.filter(
                institution=inst, operator=operator, valid_from=AGREEMENT_START
            ).first()
            if agreement is None:
                assigned = [staff["sa.sagsbehandler"]] if spec.parent == "KUM" else []
                wanted = [Service.PAYABLES, Service.LEDGER, Service.PAYROLL]
                if spec.parent == "FM":
                    wanted.append(Service.IT)
                agreement = services.service_agreement_create(
                    actor=None,
                    institution=inst,
                    operator=operator,
                    services=[str(s) for s in wanted],
                    valid_from=AGREEMENT_START,
                    staff=assigned,
                    note="Standardaftale om administrative fællesopgaver.",
                    approval_limit_ceiling=DEMO_APPROVAL_LIMIT_CEILING,
                )
            for service, task, owner in RESPONSIBILITIES:
                if service in agreement.services:
                    services.responsibility_set(
                        actor=None, agreement=agreement, service=service, task=task, owner=owner
                    )

    # -- people --------------------------------------------------------------------------

    def people(self, operator: Operator, insts: dict[str, Institution]) -> dict[str, User]:
        staff: dict[str, User] = {}
        for username, name, role in STAFF:
            user = self.user(username, name, f"{OPERATOR_NAME}: {StaffRole(role).label}")
            services.operator_staff_grant(actor=None, operator=operator, user=user, role=role)
            staff[username] = user

        for spec in INSTITUTIONS:
            inst = insts[spec.short_name]
            prefix = spec.short_name.lower()
            admin = self.user(
                f"{prefix}.admin",
                f"Lokaladministrator, {spec.name}",
                f"{spec.short_name}: {Role.LOCAL_ADMIN.label}",
            )
            services.membership_grant(
                actor=None, institution=inst, user=admin, role=Role.LOCAL_ADMIN
            )
            if spec.short_name not in FULL_ROLE_SET:
                continue
            for role, suffix, limit in ROLE_USERS:
                user = self.user(
                    f"{prefix}.{suffix}",
                    f"{Role(role).label}, {spec.short_name}",
                    f"{spec.short_name}: {Role(role).label}"
                    + (f" (prokura {limit:,.0f} kr.)" if limit else ""),
                )
                services.membership_grant(
                    actor=None, institution=inst, user=user, role=role, approval_limit=limit
                )

        # A substitute approver with a lower limit, standing in for the main approver.
        kb = insts["KB"]
        deputy = self.user(
            "kb.stedfortraeder",
            "Stedfortræder, KB",
            f"KB: {Role.APPROVER.label} (prokura 50,000 kr.), "
            + gettext("substitute for %(user)s") % {"user": "kb.godkender"},
        )
        services.membership_grant(
            actor=None,
            institution=kb,
            user=deputy,
            role=Role.APPROVER,
            approval_limit=Decimal("50000.00"),
        )
        principal = User.objects.get(username="kb.godkender")
        if not Delegation.objects.filter(
            institution=kb, principal=principal, substitute=deputy, revoked_at__isnull=True
        ).exists():
            today = timezone.localdate()
            services.delegation_create(
                actor=None,
                institution=kb,
                principal=principal,
                substitute=deputy,
                valid_from=today - timedelta(days=7),
                valid_to=today + timedelta(days=90),
                reason="Ferie",
            )

        # One bookkeeper working for three museums (institution switcher).
        several = gettext("several institutions")
        shared = self.user(
            "mette.bogholder",
            "Mette Bogholder",
            "KB, NATMUS, SMK: " + f"{Role.BOOKKEEPER.label} ({several})",
        )
        for short in ("KB", "NATMUS", "SMK"):
            services.membership_grant(
                actor=None, institution=insts[short], user=shared, role=Role.BOOKKEEPER
            )
        return staff


def load_demo(*, stdout: Writer) -> dict[str, Any]:
    """Create (or find) the tenancy demo data and print the logins."""
    loader = _Loader()
    with transaction.atomic():
        operator = loader.operator()
        insts = loader.institutions()
        staff = loader.people(operator, insts)
        loader.agreements(operator, insts, staff)
    stdout.write(
        gettext("Demo logins (password for every user: %(password)s)") % {"password": DEMO_PASSWORD}
        + "\n"
    )
    width = max(len(u) for u, _, _ in loader.logins)
    for username, _name, where in loader.logins:
        stdout.write(f"  {username.ljust(width)}  {DEMO_PASSWORD}  {where}\n")
    return {"operator": operator, "institutions": insts}
