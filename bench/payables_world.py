"""The institution the invoice benchmarks work in: one agency with its endpoint, the four
people of the invoice flow (the approver with a limit no benchmark reaches), the common chart,
an open 2026, a routing rule and a coding rule per demo item; and the documents sent to it.

Shared by ``payables_bench.py`` and ``restore_bench.py`` (Django must be set up first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

GLN = "5798009811578"


def build(name: str, short_name: str) -> tuple[Any, dict[str, Any], Callable[[int], bytes]]:
    """``(institution, people by role, document(n))``; ``short_name`` is also the buyer
    reference the routing rule matches and the prefix of the invoice numbers."""
    from faelles.ledger import services as ledger
    from faelles.payables import demo, services
    from faelles.tenancy.models import Endpoint, Institution, Membership, OrgUnit, Role, User

    inst = Institution.objects.create(name=name, short_name=short_name, kind="agency")
    OrgUnit.objects.create(institution=inst, code="100", name="Sekretariat")
    Endpoint.objects.create(institution=inst, scheme="0088", identifier=GLN)
    people: dict[str, Any] = {}
    for role in (Role.INVOICE_RECEIVER, Role.REQUESTER, Role.APPROVER, Role.BOOKKEEPER):
        user = User.objects.create_user(f"{short_name.lower()}-{role}", password=None)
        Membership.objects.create(
            user=user,
            institution=inst,
            role=role,
            approval_limit=Decimal("1000000000") if role == Role.APPROVER else None,
        )
        people[role] = user
    ledger.chart_adopt(actor=people[Role.BOOKKEEPER], institution=inst)
    ledger.fiscal_year_open(actor=people[Role.BOOKKEEPER], institution=inst, year=2026)
    services.routing_rule_create(
        actor=people[Role.INVOICE_RECEIVER],
        institution=inst,
        requester=people[Role.REQUESTER],
        buyer_reference=short_name,
    )
    for vendor in demo.VENDORS:
        for _text, unspsc, _price in vendor[3]:
            services.coding_rule_create(
                actor=people[Role.BOOKKEEPER],
                institution=inst,
                classification=unspsc,
                account="2210",
                org_unit="100",
                vat_code="I25",
            )

    def document(n: int) -> bytes:
        vendor = demo.VENDORS[n % len(demo.VENDORS)]
        items = vendor[3][: 1 + n % 2]
        return demo._document(
            number=f"{short_name[0]}-{n:07d}",
            issue=date(2026, 3, 15),
            buyer_gln=GLN,
            buyer_name=inst.name,
            vendor=vendor,
            lines=[(t, u, Decimal(1 + n % 5), Decimal(p)) for t, u, p in items],
            buyer_reference=short_name,
        )

    return inst, people, document
