"""Builders for invoice-handling tests: an institution with a ledger, an endpoint and a person
in each role of the approval flow."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from faelles.ledger.tests.factories import make_institution, make_user
from faelles.tenancy.models import Endpoint, Institution, Membership, Role, User


@dataclass
class World:
    institution: Institution
    receiver: User  # invoice receiver
    requester: User
    approver: User  # limit 5,000
    low_approver: User  # limit 1,000
    high_approver: User  # limit 100,000
    bookkeeper: User
    payer: User
    controller: User


def member(
    institution: Institution, role: str, limit: str | None = None, user: User | None = None
) -> User:
    user = user or make_user()
    Membership.objects.create(
        user=user,
        institution=institution,
        role=role,
        approval_limit=Decimal(limit) if limit is not None else None,
    )
    return user


def make_world(gln: str = "5798009811578") -> World:
    inst = make_institution()
    Endpoint.objects.create(institution=inst, scheme="0088", identifier=gln)
    return World(
        institution=inst,
        receiver=member(inst, Role.INVOICE_RECEIVER),
        requester=member(inst, Role.REQUESTER),
        approver=member(inst, Role.APPROVER, "5000"),
        low_approver=member(inst, Role.APPROVER, "1000"),
        high_approver=member(inst, Role.APPROVER, "100000"),
        bookkeeper=member(inst, Role.BOOKKEEPER),
        payer=member(inst, Role.PAYER),
        controller=member(inst, Role.CONTROLLER),
    )
