"""The demo: the operator gets its own books, billing details and a price list, and the last
three ended months are charged to every institution it serves, once."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest

from faelles.economics.demo import BOOKS_SHORT_NAME, load_demo
from faelles.economics.models import Charge, ServicePrice
from faelles.einvoice.validate import validate_bytes
from faelles.ledger.checks import run_all
from faelles.payables.models import Invoice
from faelles.tenancy.demo import load_demo as load_tenancy_demo
from faelles.tenancy.models import Institution

pytestmark = pytest.mark.django_db


def test_the_demo_prices_the_services_and_charges_three_months_once():
    load_tenancy_demo(stdout=StringIO())
    out = StringIO()
    load_demo(stdout=out, today=date(2026, 4, 10))
    charges = Charge.objects.all()
    months = sorted({c.period for c in charges})
    assert months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    institutions = {c.institution_id for c in charges}
    assert len(institutions) >= 2
    assert charges.count() == 3 * len(institutions)
    assert ServicePrice.objects.count() == 4
    books = Institution.objects.get(short_name=BOOKS_SHORT_NAME)
    assert not charges.filter(institution=books).exists()
    assert Invoice.objects.filter(pk__in=charges.values("invoice_id")).count() == charges.count()
    assert all(validate_bytes(bytes(c.xml)).valid for c in charges[:3])
    assert run_all([books]) == []
    assert (
        out.getvalue()
        == f"economics: {charges.count()} monthly charges issued (2026-01, 2026-02, 2026-03)\n"
    )
    again = StringIO()
    load_demo(stdout=again, today=date(2026, 4, 10))
    assert Charge.objects.count() == charges.count()
    assert again.getvalue().startswith("economics: 0 monthly charges issued")
