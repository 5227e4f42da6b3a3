"""Charging a month: exact amounts on the planted volumes, the invoice validates and lands in
the institution's own invoice flow, the operator's ledger balances, nothing is issued twice."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from faelles.core.audit import Denied
from faelles.core.models import AuditEvent
from faelles.economics import selectors, services
from faelles.economics.models import Charge, ChargeLine, ServicePrice
from faelles.economics.tests.factories import MARCH, TODAY, make_world, plant_march
from faelles.einvoice.validate import validate_bytes
from faelles.ledger.checks import run_all
from faelles.ledger.models import JournalEntry, JournalLine
from faelles.payables.models import Invoice, InvoiceState

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    plant_march(w)
    return w


def _run(w, **kw):
    return services.charges_run(actor=w.admin, period=MARCH, today=TODAY, **kw)


def test_the_months_volumes_are_counted_set_based_and_only_what_counts(world):
    counts = selectors.volumes(MARCH, [world.a.pk, world.b.pk])
    assert counts == {
        (world.a.pk, "invoices"): 3,
        (world.a.pk, "payslips"): 4,
        (world.a.pk, "tickets"): 2,
        (world.a.pk, "cases"): 2,
        (world.b.pk, "invoices"): 120,
        (world.b.pk, "tickets"): 1,
    }


def test_charging_march_gives_the_exact_amounts_per_service_and_band(world):
    outcomes = _run(world)
    by = {o.institution.pk: o for o in outcomes}
    assert {o.institution.pk: o.status for o in outcomes} == {
        world.a.pk: "issued",
        world.b.pk: "issued",
    }
    a = by[world.a.pk].charge
    lines = {
        ln.measure: (ln.volume, ln.band_from, ln.fixed, ln.unit_price, ln.variable, ln.amount)
        for ln in a.lines.all()
    }
    assert lines == {
        "invoices": (
            3,
            0,
            Decimal("1000.00"),
            Decimal("10.00"),
            Decimal("30.00"),
            Decimal("1030.00"),
        ),
        "payslips": (
            4,
            0,
            Decimal("500.00"),
            Decimal("25.00"),
            Decimal("100.00"),
            Decimal("600.00"),
        ),
        "tickets": (2, 0, Decimal("0.00"), Decimal("150.00"), Decimal("300.00"), Decimal("300.00")),
        "cases": (2, 0, Decimal("300.00"), Decimal("40.00"), Decimal("80.00"), Decimal("380.00")),
    }
    assert (a.net, a.vat, a.total) == (Decimal("2310.00"), Decimal("577.50"), Decimal("2887.50"))
    b = by[world.b.pk].charge
    # B: payables only (its ticket is not charged); 120 invoices fall in the band from 100
    assert [(ln.measure, ln.band_from, ln.amount) for ln in b.lines.all()] == [
        ("invoices", 100, Decimal("3400.00"))
    ]
    assert (b.net, b.vat, b.total) == (Decimal("3400.00"), Decimal("850.00"), Decimal("4250.00"))
    # the books institution is not invoiced; numbers are gap-free in the operator's books
    assert sorted(Charge.objects.values_list("number", flat=True)) == [
        "FD-2026-000001",
        "FD-2026-000002",
    ]
    assert not Charge.objects.filter(institution=world.books).exists()


def test_the_issued_invoice_is_valid_peppol_bis_3(world, tmp_path):
    _run(world)
    charge = Charge.objects.get(institution=world.a)
    result = validate_bytes(bytes(charge.xml))
    assert result.valid, [f.to_dict() for f in result.findings if f.is_fatal]
    assert result.profile.syntax == "peppol"
    path = tmp_path / "charge.xml"
    path.write_bytes(bytes(charge.xml))
    from faelles.einvoice.cli import main

    assert main(["validate", str(path)]) == 0


def test_the_receiving_institutions_payables_has_it_in_its_normal_flow(world):
    _run(world)
    charge = Charge.objects.get(institution=world.a)
    assert charge.delivery == "accepted"
    invoice = Invoice.objects.get(institution=world.a, number=charge.number)
    assert invoice == charge.invoice
    assert invoice.payable_amount == Decimal("2887.50")
    assert invoice.net_amount == Decimal("2310.00")
    assert invoice.vendor.cvr == world.operator.cvr
    assert invoice.state in {InvoiceState.RECEIVED, InvoiceState.CODED}
    assert invoice.document.channel == "api"
    # the charge invoice is not itself counted as an invoice handled
    assert selectors.volumes(date(2026, 12, 1), [world.a.pk]).get((world.a.pk, "invoices")) is None


def test_the_operators_ledger_has_the_receivable_and_revenue_and_balances(world):
    _run(world)
    charge = Charge.objects.get(institution=world.a)
    entry = JournalEntry.objects.get(pk=charge.entry_id)
    assert entry.institution == world.books
    assert entry.date == date(2026, 3, 31)
    rows = sorted(
        (ln.account.number, ln.debit, ln.credit)
        for ln in JournalLine.objects.filter(entry=entry).select_related("account")
    )
    assert rows == [
        ("1120", Decimal("0.00"), Decimal("300.00")),
        ("1120", Decimal("0.00"), Decimal("380.00")),
        ("1120", Decimal("0.00"), Decimal("600.00")),
        ("1120", Decimal("0.00"), Decimal("1030.00")),
        ("5610", Decimal("2887.50"), Decimal("0.00")),
        ("9120", Decimal("0.00"), Decimal("577.50")),
    ]
    assert run_all([world.books, world.a, world.b]) == []
    out = StringIO()
    call_command("ledger", "check", stdout=out)
    assert "all invariants hold" in out.getvalue()


def test_charging_the_month_again_issues_nothing_twice(world):
    _run(world)
    counts = (
        Charge.objects.count(),
        Invoice.objects.count(),
        JournalEntry.objects.count(),
        AuditEvent.objects.filter(action="economics.charge.issued").count(),
    )
    again = _run(world)
    assert [o.status for o in again] == ["charged", "charged"]
    assert (
        (
            Charge.objects.count(),
            Invoice.objects.count(),
            JournalEntry.objects.count(),
            AuditEvent.objects.filter(action="economics.charge.issued").count(),
        )
        == counts
        == (2, counts[1], counts[2], 2)
    )


def test_the_command_writes_one_json_object_per_institution_and_a_summary(world):
    out = StringIO()
    call_command("economics", "charge", "--month", "2026-03", "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[-1] == {
        "summary": {
            "month": "2026-03",
            "institutions": 2,
            "issued": 2,
            "charged": 0,
            "nothing": 0,
            "refused": 0,
            "issued_total": "7137.50",
            "total": "7137.50",
        }
    }
    a = next(r for r in rows[:-1] if r["institution"] == world.a.short_name)
    assert a["status"] == "issued"
    assert (a["net"], a["vat"], a["total"]) == ("2310.00", "577.50", "2887.50")
    assert a["volumes"] == {"invoices": 3, "payslips": 4, "tickets": 2, "cases": 2}
    assert a["lines"][0] == {
        "service": "invoices",
        "volume": 3,
        "band_from": 0,
        "fixed": "1000.00",
        "unit_price": "10.00",
        "variable": "30.00",
        "amount": "1030.00",
    }
    again = StringIO()
    call_command(
        "economics",
        "charge",
        "--month",
        "2026-03",
        "--institution",
        world.b.short_name,
        "--json",
        stdout=again,
    )
    rows = [json.loads(line) for line in again.getvalue().splitlines()]
    assert [r["status"] for r in rows[:-1]] == ["charged"]
    assert rows[-1]["summary"]["issued_total"] == "0.00"
    assert rows[-1]["summary"]["total"] == "4250.00"


def test_a_month_not_ended_is_not_charged(world):
    with pytest.raises(ValidationError):
        services.charges_run(actor=world.admin, period=date(2026, 4, 1), today=TODAY)
    assert Charge.objects.count() == 0


def test_only_the_operators_administrators_charge_and_the_refusal_is_recorded(world):
    with pytest.raises(Denied):
        services.charges_run(actor=world.case_worker, period=MARCH, today=TODAY)
    assert Charge.objects.count() == 0
    assert AuditEvent.objects.filter(action="economics.charge.run.refused").count() == 1


def test_an_institution_without_an_endpoint_is_refused_and_nothing_is_issued(world):
    world.b.endpoints.update(is_active=False)
    outcomes = {o.institution.pk: o for o in _run(world)}
    assert outcomes[world.b.pk].status == "refused"
    assert outcomes[world.b.pk].reasons == [
        "The institution has no endpoint to receive invoices at."
    ]
    assert list(Charge.objects.values_list("institution_id", flat=True)) == [world.a.pk]


def test_a_closed_period_in_the_operators_books_refuses_and_rolls_back(world):
    from faelles.ledger.models import Period

    Period.objects.filter(institution=world.books, start=date(2026, 3, 1)).update(state="locked")
    outcomes = _run(world)
    assert {o.status for o in outcomes} == {"refused"}
    assert Charge.objects.count() == 0
    assert not Invoice.objects.filter(number__startswith="FD-").exists()


def test_the_celery_task_runs_on_commit(world, django_capture_on_commit_callbacks):
    from faelles.economics import tasks

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.charges_queue(actor=world.admin, period=MARCH, operator=world.operator)
    assert len(callbacks) == 1
    # the month ended long ago by the real clock; the task uses today's date
    result = tasks.charge_month_task.delay(month="2026-03", operator_id=world.operator.pk).get()
    assert result == {"month": "2026-03", "issued": 2}
    assert ChargeLine.objects.filter(institution=world.a).count() == 4


# --- the price list -----------------------------------------------------------------------------


def test_a_new_price_version_ends_the_previous_and_applies_from_its_month(world):
    services.price_set(
        actor=world.admin,
        operator=world.operator,
        measure="invoices",
        valid_from=date(2026, 3, 1),
        tiers=[{"from": 0, "fixed": "1200.00", "unit": "11.00"}],
    )
    versions = list(
        ServicePrice.objects.filter(operator=world.operator, measure="invoices").order_by(
            "valid_from"
        )
    )
    assert [(v.valid_from, v.valid_to) for v in versions] == [
        (date(2026, 1, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), None),
    ]
    outcomes = {o.institution.pk: o for o in _run(world)}
    line = outcomes[world.a.pk].charge.lines.get(measure="invoices")
    assert (line.amount, line.price_id) == (Decimal("1233.00"), versions[1].pk)
    event = AuditEvent.objects.filter(action="economics.price.set").latest("pk")
    assert event.details["tiers"] == [{"from": 0, "fixed": "1200.00", "unit": "11.00"}]


def test_a_charged_month_keeps_its_price(world):
    _run(world)
    with pytest.raises(ValidationError) as exc:
        services.price_set(
            actor=world.admin,
            operator=world.operator,
            measure="invoices",
            valid_from=date(2026, 3, 1),
            tiers=[{"from": 0, "fixed": "1.00", "unit": "1.00"}],
        )
    assert exc.value.messages == [
        "Months from 2026-03 are charged already; set the price from a later month."
    ]
    assert ServicePrice.objects.filter(measure="invoices").count() == 1


@pytest.mark.parametrize(
    "tiers, message",
    [
        ([], "Give at least one volume band."),
        ([{"from": 5, "fixed": "1", "unit": "1"}], "The first band begins at 0."),
        (
            [{"from": 0, "fixed": "1", "unit": "1"}, {"from": 0, "fixed": "1", "unit": "1"}],
            "The bands' lower bounds must rise.",
        ),
        (
            [{"from": 0, "fixed": "-1", "unit": "1"}],
            "The fixed part must be at least 0 with at most two decimals.",
        ),
        (
            [{"from": 0, "fixed": "1", "unit": "0.001"}],
            "The price per unit must be at least 0 with at most two decimals.",
        ),
    ],
)
def test_invalid_bands_are_refused(world, tiers, message):
    with pytest.raises(ValidationError) as exc:
        services.price_set(
            actor=world.admin,
            operator=world.operator,
            measure="cases",
            valid_from=date(2026, 5, 1),
            tiers=tiers,
        )
    assert exc.value.messages == [message]
    assert ServicePrice.objects.filter(measure="cases").count() == 1


def test_only_an_operator_administrator_sets_prices(world):
    with pytest.raises(Denied):
        services.price_set(
            actor=world.case_worker,
            operator=world.operator,
            measure="cases",
            valid_from=date(2026, 5, 1),
            tiers=[{"from": 0, "fixed": "1", "unit": "1"}],
        )
    assert ServicePrice.objects.filter(measure="cases").count() == 1
    assert AuditEvent.objects.filter(action="economics.price.set.refused").count() == 1
