"""Operator administrators deciding one approval-limit request at the same moment on
PostgreSQL: exactly one decision; everyone else is told it has already been decided."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent
from faelles.tenancy import services
from faelles.tenancy.models import ApprovalLimitRequest, Membership, Role, StaffRole
from faelles.tenancy.tests.factories import (
    InstitutionFactory,
    OperatorFactory,
    OperatorStaffFactory,
    ServiceAgreementFactory,
    member,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 12


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises writers)")


def test_concurrent_decisions_on_one_request_give_one_decision(postgres_only):
    operator = OperatorFactory()
    inst = InstitutionFactory()
    ServiceAgreementFactory(
        institution=inst, operator=operator, approval_limit_ceiling=Decimal("100000")
    )
    admins = [
        OperatorStaffFactory(operator=operator, role=StaffRole.OPERATOR_ADMIN).user
        for _ in range(N + 1)
    ]
    approver = member(inst, Role.APPROVER)
    membership = Membership.objects.get(user=approver)
    services.membership_update(
        actor=admins[0], membership=membership, approval_limit=Decimal("400000")
    )
    req = ApprovalLimitRequest.objects.get()
    decided: list[int] = []
    told: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(N)

    def decide(i: int) -> None:
        try:
            barrier.wait()
            service = (
                services.approval_limit_request_approve
                if i % 2
                else services.approval_limit_request_refuse
            )
            service(actor=admins[i + 1], limit_request=req)
            decided.append(i)
        except ValidationError as exc:
            told.extend(exc.messages)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(decided) == 1
    assert len(told) == N - 1
    assert all("er allerede afgjort" in m for m in told)
    req.refresh_from_db()
    membership.refresh_from_db()
    expected = Decimal("400000.00") if req.state == "approved" else Decimal("50000.00")
    assert membership.approval_limit == expected
    assert (
        AuditEvent.objects.filter(
            action__in=["approval_limit_request.approve", "approval_limit_request.refuse"]
        ).count()
        == 1
    )
    assert verify_chains() == []
