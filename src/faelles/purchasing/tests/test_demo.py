"""The purchasing demo: agreements with catalogues, orders at every state, matched and
mismatched invoices; a second run adds nothing."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from io import StringIO

import pytest

from faelles.core.models import AuditEvent
from faelles.payables.models import Invoice
from faelles.purchasing import demo
from faelles.purchasing.models import (
    Catalogue,
    FrameworkAgreement,
    InboundDocument,
    OutgoingDocument,
    PurchaseOrder,
    Requisition,
)
from faelles.purchasing.tests import builders as b
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "agreements": FrameworkAgreement.objects.count(),
        "catalogues": Catalogue.objects.count(),
        "requisitions": Requisition.objects.count(),
        "orders": PurchaseOrder.objects.count(),
        "inbound": InboundDocument.objects.count(),
        "outgoing": OutgoingDocument.objects.count(),
        "invoices": Invoice.objects.count(),
    }


def test_the_demo_fills_an_institution_at_every_state_once():
    # Both institutions before any person: the ledger's factory names its users "user<n>"
    # as the tenancy factory does.
    (inst, _gln), (other, _) = b.buyer(), b.buyer()  # other: no requester or approver
    b.member(inst, Role.REQUESTER)
    b.member(inst, Role.APPROVER, "250000")
    b.admin(inst)

    out = StringIO()
    started = time.monotonic()
    demo.load_demo(stdout=out, today=date(2026, 11, 20))
    elapsed = time.monotonic() - started
    first = _counts()
    demo.load_demo(stdout=StringIO(), today=date(2026, 11, 20))

    assert _counts() == first
    assert out.getvalue() == "purchasing: 1 institutions, 16 demo orders\n"
    assert first["agreements"] == 2 and first["catalogues"] == 2
    assert not FrameworkAgreement.objects.filter(institution=other).exists()
    assert Catalogue.objects.filter(status="active").count() == 2
    kinds = Counter(OutgoingDocument.objects.values_list("kind", flat=True))
    assert kinds == {"CatalogueResponse": 2, "Order": 16}
    assert set(PurchaseOrder.objects.values_list("state", flat=True)) == {
        "sent",
        "accepted",
        "rejected",
        "cancelled",
        "despatched",
        "partly_received",
        "received",
    }
    assert set(Requisition.objects.values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "ordered",
        "rejected",
    }
    assert not InboundDocument.objects.exclude(status="applied").exists()
    matches = [
        e.details["matched"]
        for e in AuditEvent.objects.filter(action="payables.invoice.order_match")
    ]
    # 6 received orders invoiced (one at a higher price, one for more than was received)
    # and 2 partly received orders invoiced in full.
    assert Counter(matches) == {True: 4, False: 4}
    problems = sorted(
        p
        for e in AuditEvent.objects.filter(action="payables.invoice.order_match")
        for p in e.details.get("problems") or []
    )
    assert len(problems) == 6, problems  # both lines of each partly received order
    assert sum("unit price" in p for p in problems) == 1
    assert sum("ordered 2, received 2, invoiced 4." in p for p in problems) == 1, problems
    matched = Invoice.objects.filter(order_reference__gt="", state="attested")
    assert matched.count() == 4
    assert Invoice.objects.filter(order_reference="").count() == 2
    assert elapsed < 30  # generous for a loaded test machine; about 3 s on SQLite alone
