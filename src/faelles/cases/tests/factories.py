"""A complaint board and its appeals body, served by one operator, with the shipped models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from faelles.cases import services
from faelles.cases.models import Case, CaseTask, CaseTaskState, CaseType
from faelles.cases.shipped import SHIPPED
from faelles.tenancy.models import Institution, Role, StaffRole, User
from faelles.tenancy.tests.factories import (
    InstitutionFactory,
    OperatorFactory,
    OperatorStaffFactory,
    ServiceAgreementFactory,
    UserFactory,
    member,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CITIZEN_CPR = "0101901234"


@dataclass
class Board:
    board: Institution
    appeals: Institution
    worker: User  # operator case worker serving both
    manager: User  # approver at the board
    admin: User  # local admin at the board
    appeals_manager: User
    complaint: CaseType
    appeal_type: CaseType


def import_shipped(institution: Institution, code: str, actor: Any = None) -> CaseType:
    shipped = SHIPPED[code]
    version = services.case_type_import(
        actor=actor,
        institution=institution,
        files=shipped.read(),
        code=shipped.code,
        name=shipped.name,
        task_code=shipped.task_code,
        kle=shipped.kle,
        check_role=False,
    )
    return version.case_type


def make_board() -> Board:
    operator = OperatorFactory(name="Nævnenes Hus")
    board = InstitutionFactory(name="Klagenævnet for Udbud", short_name="KLFU")
    appeals = InstitutionFactory(name="Erhvervsankenævnet", short_name="EAN")
    worker = UserFactory(username="sagsbehandler")
    OperatorStaffFactory(operator=operator, user=worker, role=StaffRole.CASE_WORKER)
    ServiceAgreementFactory(institution=board, operator=operator, staff=[worker])
    ServiceAgreementFactory(institution=appeals, operator=operator, staff=[worker])
    manager = member(board, Role.APPROVER, username="formand")
    admin = member(board, Role.LOCAL_ADMIN, username="admin-klfu")
    appeals_manager = member(appeals, Role.APPROVER, username="formand-ean")
    complaint = import_shipped(board, "complaint")
    appeal_type = import_shipped(appeals, "complaint")
    services.case_type_configure(actor=admin, case_type=complaint, appeal_case_type=appeal_type)
    complaint.refresh_from_db()
    return Board(board, appeals, worker, manager, admin, appeals_manager, complaint, appeal_type)


def open_task(case: Case, spec_id: str | None = None) -> CaseTask:
    rows = CaseTask.objects.filter(case=case, state=CaseTaskState.OPEN)
    if spec_id:
        rows = rows.filter(spec_id=spec_id)
    return rows.get()


def complaint_case(world: Board, *, now: dt.datetime = T0) -> Case:
    return services.case_open(
        actor=world.worker,
        case_type=world.complaint,
        title="Klage over tildeling af kontrakt",
        parties=[
            services.PartyInput(
                kind="citizen", role="complainant", name="Hans Hansen", cpr=CITIZEN_CPR
            ),
            services.PartyInput(kind="company", role="party", name="Byg A/S", cvr="13585628"),
        ],
        documents=[services.DocumentInput("Klage", "klage.txt", b"Jeg klager.", "text/plain")],
        now=now,
    )
