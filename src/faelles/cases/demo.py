"""``faelles demo`` for case handling: a complaint board and its appeals body (served by the
operator's case worker ``sa.sagsbehandler``), a grant pool at Slots- og Kulturstyrelsen and a
benefit, each with one case open, so a newcomer can take one of each to its end in the UI.

Logins (password as for the other demo users): ``sa.sagsbehandler`` works every case;
``klfu.formand`` approves the board's decisions; ``slks.godkender`` approves grants;
``klfu.admin`` uploads models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from faelles.cases import services
from faelles.cases.models import Case, CaseType
from faelles.cases.shipped import SHIPPED
from faelles.tenancy import services as tenancy_services
from faelles.tenancy.demo import AGREEMENT_START, DEMO_PASSWORD, OPERATOR_NAME
from faelles.tenancy.models import Institution, Membership, Operator, Role, Service, User

BOARDS = (
    ("KLFU", "Klagenævnet for Udbud"),
    ("EAN", "Erhvervsankenævnet"),
)


def _user(username: str, name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = tenancy_services.user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            display_name=name,
            email=f"{username}@demo.faelles.dk",
        )
    return user


def _grant(institution: Institution, user: User, role: str, limit: Decimal | None = None) -> None:
    if not Membership.objects.filter(institution=institution, user=user, role=role).exists():
        tenancy_services.membership_grant(
            actor=None, institution=institution, user=user, role=role, approval_limit=limit
        )


def _case_type(institution: Institution, code: str) -> CaseType:
    shipped = SHIPPED[code]
    return services.case_type_import(
        actor=None,
        institution=institution,
        files=shipped.read(),
        code=shipped.code,
        name=shipped.name,
        task_code=shipped.task_code,
        kle=shipped.kle,
        check_role=False,
    ).case_type


def load_demo(*, stdout: Any) -> dict[str, Any]:
    operator = Operator.objects.filter(name=OPERATOR_NAME).first()
    worker = User.objects.filter(username="sa.sagsbehandler").first()
    boards = {}
    for short, name in BOARDS:
        inst = Institution.objects.filter(short_name=short).first()
        if inst is None:
            inst = Institution.objects.create(
                name=name, short_name=short, kind=Institution.Kind.AGENCY
            )
            if operator is not None:
                tenancy_services.service_agreement_create(
                    actor=None,
                    institution=inst,
                    operator=operator,
                    services=[str(Service.PAYABLES), str(Service.LEDGER)],
                    valid_from=AGREEMENT_START,
                    staff=[worker] if worker else [],
                    note="Sekretariatsbetjening af nævnet (Nævnenes Hus).",
                )
        boards[short] = inst
    _grant(
        boards["KLFU"],
        _user("klfu.admin", "Lokaladministrator, Klagenævnet for Udbud"),
        Role.LOCAL_ADMIN,
    )
    _grant(
        boards["KLFU"],
        _user("klfu.formand", "Nævnsformand, Klagenævnet for Udbud"),
        Role.APPROVER,
        Decimal("0.00"),
    )
    _grant(
        boards["EAN"],
        _user("ean.formand", "Formand, Erhvervsankenævnet"),
        Role.APPROVER,
        Decimal("0.00"),
    )
    complaint = _case_type(boards["KLFU"], "complaint")
    appeal = _case_type(boards["EAN"], "complaint")
    if complaint.appeal_case_type_id is None:
        services.case_type_configure(actor=None, case_type=complaint, appeal_case_type=appeal)
    slks = Institution.objects.filter(short_name="SLKS").first()
    opened = []
    if not Case.objects.filter(case_type=complaint).exists():
        opened.append(
            services.case_open(
                actor=None,
                case_type=complaint,
                title="Klage over tildeling af rammeaftale om rengøring",
                parties=[
                    services.PartyInput(
                        kind="company", role="complainant", name="Rent & Co ApS", cvr="13585628"
                    ),
                    services.PartyInput(
                        kind="authority", role="authority", name="Slots- og Kulturstyrelsen"
                    ),
                ],
                documents=[
                    services.DocumentInput(
                        "Klageskrift",
                        "klageskrift.txt",
                        b"Vi klager over tildelingen.",
                        "text/plain",
                    )
                ],
            )
        )
    if slks is not None:
        _grant(
            slks,
            _user("slks.godkender", "Godkender, Slots- og Kulturstyrelsen"),
            Role.APPROVER,
            Decimal("250000.00"),
        )
        grant = _case_type(slks, "grant-pool")
        benefit = _case_type(slks, "benefit")
        # Grants and benefits are paid through payables: the books need the purposes.
        from django.utils import timezone

        from faelles.cases.simulate import books_for_payments

        year = timezone.now().year
        books_for_payments(slks, range(year, year + 3))
        if not Case.objects.filter(case_type=grant).exists():
            opened.append(
                services.case_open(
                    actor=None,
                    case_type=grant,
                    title="Pulje til formidling af kulturarv 2027: Museum Nord",
                    parties=[
                        services.PartyInput(
                            kind="company", role="applicant", name="Museum Nord", cvr="13585628"
                        )
                    ],
                )
            )
        if not Case.objects.filter(case_type=benefit).exists():
            opened.append(
                services.case_open(
                    actor=None,
                    case_type=benefit,
                    title="Arbejdslegat til billedkunstner",
                    parties=[
                        services.PartyInput(
                            kind="citizen",
                            role="applicant",
                            name="Karen Kunstner",
                            cpr="0101901234",
                        )
                    ],
                )
            )
    for case in opened:
        stdout.write(f"  case {case.number}: {case.title}\n")
    stdout.write(
        "  case logins: sa.sagsbehandler (works), klfu.formand / slks.godkender (approve), klfu.admin (models)\n"
    )
    return {"cases": [c.number for c in opened]}
