"""The controls find every planted case and none of the planted near-misses above the work
list's threshold; decisions teach them; precision per control and month."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from faelles.control import normalize, plant, selectors
from faelles.control.models import WORK_LIST_THRESHOLD, Hit, HitStatus
from faelles.control.people import employee_records, employee_source
from faelles.control.services import control_run, hit_decide
from faelles.control.tests.factories import (
    employee,
    event,
    iban,
    invoice,
    make_world,
    master,
    run,
)
from faelles.core.audit import Refused
from faelles.core.models import AuditEvent
from faelles.tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _hits(control: str) -> list[Hit]:
    return list(Hit.objects.filter(control=control))


def _flagged(control: str) -> set[frozenset[int]]:
    """The invoice groups on the work list of ``control``."""
    return {
        frozenset(o["id"] for o in h.objects_involved if o["type"] == "invoice")
        for h in _hits(control)
        if h.score >= WORK_LIST_THRESHOLD
    }


def _ids(*invoices) -> frozenset[int]:
    return frozenset(i.pk for i in invoices)


# --- normal forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("INV-0012", "INV 12"),
        ("INV-0012", "inv.0012"),
        ("F-1O01", "F-1001"),
        ("lNV-77", "INV-77"),
        ("2026/S-42", "2026 5 42"),
        ("000123", "123"),
    ],
)
def test_fold_number_joins_what_differs_in_punctuation_zeros_and_ocr(a, b):
    assert normalize.fold_number(a) == normalize.fold_number(b)


@pytest.mark.parametrize(
    ("a", "b"), [("INV-0100", "INV-0101"), ("2026-5", "2026-6"), ("10", "100")]
)
def test_fold_number_keeps_different_numbers_apart(a, b):
    assert normalize.fold_number(a) != normalize.fold_number(b)


def test_the_duckdb_fold_is_the_python_fold():
    import duckdb

    cases = ["INV-0012", "F-1O01", "lNV-77", "2026/S-0042", "000123", "A0B0C01", "", "Ø-9"]
    con = duckdb.connect()
    got = [
        r[0]
        for r in con.execute(
            f"SELECT {normalize.fold_sql('n')} FROM unnest(?) WITH ORDINALITY t(n, i) ORDER BY i",
            [cases],
        ).fetchall()
    ]
    assert got == [normalize.fold_number(c) for c in cases]


def test_account_keys_join_iban_and_domestic_notation():
    assert normalize.account_key("iban", "DK50 0040 0440 1162 43") == normalize.account_key(
        "dk", "440116243", reg="0040"
    )
    assert normalize.master_accounts("iban:DK5000400440116243 dk:0040-0440116243") == [
        "dk:00400440116243",
        "dk:00400440116243",
    ]


# --- duplicate invoices ------------------------------------------------------------------------


def test_every_planted_duplicate_is_found_and_no_near_miss_above_the_threshold():
    w = make_world()
    office = plant.vendor(w.a.pk, "Kontorleverandøren ApS", cvr="41000018")
    office_b = plant.vendor(w.b.pk, "Kontorleverandøren ApS", cvr="41000018")
    cleaning = plant.vendor(w.a.pk, "Rent Hus ApS", cvr="41000034")
    d = date(2026, 3, 2)
    planted = [
        # punctuation and leading zeros
        (
            invoice(w.a, office, "INV-0012", "1250.00", d),
            invoice(w.a, office, "INV 12", "1250.00", date(2026, 3, 9)),
        ),
        # OCR: O for 0
        (
            invoice(w.a, office, "F-1O01", "880.00", d),
            invoice(w.a, office, "F-1001", "880.00", d, channel="upload"),
        ),
        # OCR: l for I
        (
            invoice(w.a, office, "lNV-77", "99.95", d),
            invoice(w.a, office, "INV-77", "99.95", date(2026, 3, 20)),
        ),
        # the same invoice sent to two institutions, by two channels
        (
            invoice(w.a, office, "55501", "4000.00", d),
            invoice(w.b, office_b, "55501", "4000.00", d, channel="upload"),
        ),
    ]
    near_misses = [
        # a monthly fee: same vendor and amount, the next number
        invoice(w.a, cleaning, "R-0100", "6250.00", date(2026, 1, 31)),
        invoice(w.a, cleaning, "R-0101", "6250.00", date(2026, 2, 28)),
        invoice(w.a, cleaning, "R-0102", "6250.00", date(2026, 3, 31)),
        # two real invoices on one day for the same amount
        invoice(w.a, office, "2026-5", "42.50", d),
        invoice(w.a, office, "2026-6", "42.50", d),
        # the same number, another amount
        invoice(w.a, office, "INV-900", "100.00", d),
        invoice(w.a, office, "INV-0900", "101.00", d),
        # the same number and amount a year apart (outside the window)
        invoice(w.a, cleaning, "K-1", "500.00", date(2025, 3, 1)),
        invoice(w.a, cleaning, "K-1", "500.00", date(2026, 3, 1)),
    ]

    control_run(actor=None, operator=w.operator, controls=["duplicate_invoices"])

    flagged = _flagged("duplicate_invoices")
    assert flagged == {_ids(*pair) for pair in planted}
    near = {i.pk for i in near_misses}
    assert all(not (group & near) for group in flagged)
    cross = next(h for h in _hits("duplicate_invoices") if len(h.institutions) == 2)
    assert cross.institutions == [w.b.pk, w.a.pk]
    assert cross.institution == w.b
    assert cross.amount == Decimal("4000.00")
    assert [s["channel"] for s in cross.evidence["sides"]] == ["api", "upload"]
    assert [s["institution"] for s in cross.evidence["sides"]] == [w.a.pk, w.b.pk]


def test_a_second_run_refreshes_the_hits_and_a_dismissed_pattern_does_not_recur():
    w = make_world()
    office = plant.vendor(w.a.pk, "Kontorleverandøren ApS", cvr="41000018")
    d = date(2026, 3, 2)
    invoice(w.a, office, "INV-0012", "1250.00", d)
    second = invoice(w.a, office, "INV 12", "1250.00", date(2026, 3, 4))
    first_run = control_run(actor=None, operator=w.operator, controls=["duplicate_invoices"])
    (hit,) = _hits("duplicate_invoices")
    assert first_run.summary["controls"]["duplicate_invoices"]["new"] == 1

    again = control_run(actor=None, operator=w.operator, controls=["duplicate_invoices"])
    assert again.summary["controls"]["duplicate_invoices"]["refreshed"] == 1
    assert Hit.objects.count() == 1

    hit_decide(actor=w.controller_a, hit=hit, status=HitStatus.DISMISSED, note="same goods")
    # the vendor sends the same number for the same amount once more: the group is new (three
    # invoices), its pattern (vendor, number, amount) was dismissed
    third = invoice(w.a, office, "INV.012", "1250.00", date(2026, 3, 6))
    assert third.pk > second.pk
    later = control_run(actor=None, operator=w.operator, controls=["duplicate_invoices"])
    counts = later.summary["controls"]["duplicate_invoices"]
    assert (counts["suppressed"], counts["new"], counts["hits"]) == (1, 0, 0)
    assert list(Hit.objects.values_list("status", flat=True)) == [HitStatus.DISMISSED]


# --- duplicate payments ------------------------------------------------------------------------


def test_duplicate_payments_to_one_account():
    w = make_world()
    payer = UserFactory()
    v1 = plant.vendor(w.a.pk, "Nordisk IT A/S", cvr="41000026")
    v2 = plant.vendor(w.a.pk, "Nordisk Data ApS", cvr="41000042")
    r1, r2 = run(w.a, payer, date(2026, 4, 1)), run(w.a, payer, date(2026, 4, 4))
    account = iban("DK6620005012345678")
    paid = {"state": "paid", "payment_means": account}
    two_vendors = (
        invoice(w.a, v1, "A-1", "8995.00", date(2026, 3, 1), payment_run_id=r1.pk, **paid),
        invoice(w.a, v2, "B-7", "8995.00", date(2026, 3, 2), payment_run_id=r2.pk, **paid),
    )
    fik = [
        {"kind": "fik", "card_type": "71", "creditor": "85012345", "payment_id": "000000000000018"}
    ]
    same_fik = (
        invoice(
            w.a,
            v1,
            "C-1",
            "300.00",
            date(2026, 3, 1),
            payment_run_id=r1.pk,
            state="paid",
            payment_means=fik,
        ),
        invoice(
            w.a,
            v1,
            "C-2",
            "300.00",
            date(2026, 3, 1),
            payment_run_id=r2.pk,
            state="paid",
            payment_means=fik,
        ),
    )
    # near-miss: one vendor's two real invoices of the same amount paid the same week
    near = (
        invoice(w.a, v1, "D-1", "1995.00", date(2026, 3, 1), payment_run_id=r1.pk, **paid),
        invoice(w.a, v1, "D-2", "1995.00", date(2026, 3, 3), payment_run_id=r2.pk, **paid),
    )

    control_run(actor=None, operator=w.operator, controls=["duplicate_payments"])

    assert _flagged("duplicate_payments") == {_ids(*two_vendors), _ids(*same_fik)}
    possible = [h for h in _hits("duplicate_payments") if h.score < WORK_LIST_THRESHOLD]
    assert [frozenset(o["id"] for o in h.objects_involved) for h in possible] == [_ids(*near)]


# --- employees ---------------------------------------------------------------------------------


def test_a_vendor_account_that_is_a_salary_account():
    w = make_world()
    own = plant.vendor(w.a.pk, "Hansen Konsulent")
    master(own, "dk:1234-0001234567")
    other = plant.vendor(w.a.pk, "Fjern ApS", cvr="41000050")
    master(other, "iban:DK5000400440116243")
    clean = plant.vendor(w.a.pk, "Ren ApS", cvr="41000069")
    master(clean, "iban:DK6620005012345678")
    invoice(w.a, own, "1", "10000.00", date(2026, 3, 1))
    staff = [
        employee(w.a, 1, "Jens Hansen", "", normalize.account_key("dk", "1234567", reg="1234")),
        employee(w.b, 2, "Mette Berg", "", normalize.account_key("dk", "440116243", reg="40")),
        employee(w.b, 3, "Ole Ren", "", normalize.account_key("dk", "1", reg="9999")),
    ]
    with employee_source(lambda institutions: staff):
        control_run(actor=None, operator=w.operator, controls=["vendor_employee_account"])

    got = {
        (h.objects_involved[0]["id"], h.objects_involved[1]["id"]): (h.score, h.amount)
        for h in _hits("vendor_employee_account")
    }
    assert got == {
        (own.pk, 1): (Decimal("0.950"), Decimal("10000.00")),
        (other.pk, 2): (Decimal("0.850"), Decimal("0.00")),
    }


def test_a_vendor_whose_name_and_address_are_an_employees():
    w = make_world()
    shell = plant.vendor(w.a.pk, "Jens Hansen ApS")
    plain = plant.vendor(w.a.pk, "Kontorleverandøren ApS", cvr="41000018")
    invoice(
        w.a, shell, "77", "25000.00", date(2026, 3, 1), address="Nørregade 12, 1165 København K"
    )
    invoice(
        w.a, plain, "78", "250.00", date(2026, 3, 1), address="Vesterbrogade 1, 1620 København V"
    )
    staff = [
        employee(w.a, 11, "Jens Hansen", "Nørregade 12 st. th., 1165 København K"),
        # near-miss: lives at the other vendor's address, another name
        employee(w.a, 12, "Anne Jensen", "Vesterbrogade 1, 1620 København V"),
        employee(w.b, 13, "Karen Holm", "Algade 3, 4000 Roskilde"),
    ]
    with employee_source(lambda institutions: staff):
        control_run(actor=None, operator=w.operator, controls=["vendor_employee_match"])

    on_list = [h for h in _hits("vendor_employee_match") if h.score >= WORK_LIST_THRESHOLD]
    assert [(h.objects_involved[0]["id"], h.objects_involved[1]["id"]) for h in on_list] == [
        (shell.pk, 11)
    ]
    assert on_list[0].amount == Decimal("25000.00")
    sides = on_list[0].evidence["sides"]
    assert sides[1]["name"] == "Jens Hansen"


def test_an_employee_on_the_payroll_who_is_also_a_vendor_is_found():
    """Through payroll's own models and service (no planted source): the address the payroll
    keeps is compared with the seller address of the vendor's newest invoice."""
    from faelles.payroll import services as payroll

    w = make_world()
    twin = plant.vendor(w.a.pk, "Henrik Lund", cvr="41000074")
    invoice(w.a, twin, "HL-14", "18750.00", date(2026, 3, 1), address="Egevej 12, 2100 København Ø")
    same = payroll.employee_create(
        actor=None,
        institution=w.a,
        number="E1",
        name="Henrik Lund",
        cpr="0107749001",
        address="Egevej 12, 2100 København Ø",
    )
    # near-miss: a namesake in the other institution who lives elsewhere
    namesake = payroll.employee_create(
        actor=None,
        institution=w.b,
        number="E2",
        name="Henrik Lund",
        cpr="0107749002",
        address="Algade 3, 4000 Roskilde",
    )
    assert {r.id: r.address for r in employee_records([w.a.pk, w.b.pk])} == {
        same.pk: "Egevej 12, 2100 København Ø",
        namesake.pk: "Algade 3, 4000 Roskilde",
    }
    control_run(actor=None, operator=w.operator, controls=["vendor_employee_match"])

    on_list = [h for h in _hits("vendor_employee_match") if h.score >= WORK_LIST_THRESHOLD]
    assert [(h.objects_involved[0]["id"], h.objects_involved[1]["id"]) for h in on_list] == [
        (twin.pk, same.pk)
    ]
    assert on_list[0].institution_id == w.a.pk
    assert on_list[0].amount == Decimal("18750.00")
    # the two addresses the linkage compared, side by side
    sides = on_list[0].evidence["sides"]
    assert [(s["type"], s["name"], s["address"]) for s in sides] == [
        ("vendor", "Henrik Lund", "Egevej 12, 2100 København Ø"),
        ("employee", "Henrik Lund", "Egevej 12, 2100 København Ø"),
    ]
    assert not any(
        h.objects_involved[1]["id"] == namesake.pk and h.score >= WORK_LIST_THRESHOLD
        for h in _hits("vendor_employee_match")
    )


def test_without_payroll_data_the_employee_controls_find_nothing_and_say_so(monkeypatch):
    from faelles.control import people

    monkeypatch.setattr(people, "_model", lambda label, name: None)
    w = make_world()
    assert list(employee_records([w.a.pk])) == []
    done = control_run(actor=None, operator=w.operator, controls=["vendor_employee_account"])
    assert done.summary["controls"]["vendor_employee_account"]["hits"] == 0
    assert "vendor_employee_account" in done.summary["notes"]


# --- segregation of duties -------------------------------------------------------------------


def test_segregation_of_duties_from_the_audit_trail():
    w = make_world()
    x, y, principal = UserFactory(), UserFactory(), UserFactory()
    office = plant.vendor(w.a.pk, "Kontorleverandøren ApS", cvr="41000018")
    both = invoice(w.a, office, "S-1", "700.00", date(2026, 3, 1), state="paid")
    clean = invoice(w.a, office, "S-2", "800.00", date(2026, 3, 1), state="paid")
    on_behalf = invoice(w.a, office, "S-3", "900.00", date(2026, 3, 1), state="paid")
    keyed = invoice(w.a, office, "S-4", "50.00", date(2026, 3, 1), state="approved")
    event(w.a, x, "payables.invoice.approved", both)
    event(w.a, x, "payables.invoice.paid", both)
    event(w.a, x, "payables.invoice.approved", clean)
    event(w.a, y, "payables.invoice.paid", clean)
    event(w.a, y, "payables.invoice.approved", on_behalf, on_behalf_of=principal)
    event(w.a, principal, "payables.invoice.scheduled", on_behalf)
    event(w.a, y, "payables.invoice.coded", keyed)
    event(w.a, y, "payables.invoice.approved", keyed)

    control_run(actor=None, operator=w.operator, controls=["segregation_of_duties"])

    got = {
        (h.objects_involved[0]["id"], h.objects_involved[1]["id"], h.evidence["facts"]["rule"])
        for h in _hits("segregation_of_duties")
    }
    assert got == {
        (both.pk, x.pk, "approved_and_paid"),
        (on_behalf.pk, principal.pk, "approved_and_paid"),
        (keyed.pk, y.pk, "created_and_approved"),
    }


# --- decisions and precision -----------------------------------------------------------------


def _two_duplicates(w):
    office = plant.vendor(w.a.pk, "Kontorleverandøren ApS", cvr="41000018")
    invoice(w.a, office, "INV-1", "10.00", date(2026, 3, 1))
    invoice(w.a, office, "INV-01", "10.00", date(2026, 3, 2))
    invoice(w.a, office, "INV-2", "20.00", date(2026, 3, 1))
    invoice(w.a, office, "INV-02", "20.00", date(2026, 3, 2))
    control_run(actor=None, operator=w.operator, controls=["duplicate_invoices"])
    return list(Hit.objects.order_by("pk"))


def test_precision_per_control_and_month():
    w = make_world()
    first, second = _two_duplicates(w)
    hit_decide(actor=w.controller_a, hit=first, status=HitStatus.CONFIRMED)
    hit_decide(actor=w.case_worker, hit=second, status=HitStatus.DISMISSED)
    rows = selectors.precision(user=w.case_worker)
    assert [(r["control"], r["confirmed"], r["dismissed"], r["precision"]) for r in rows] == [
        ("duplicate_invoices", 1, 1, Decimal("0.50"))
    ]
    event = AuditEvent.objects.filter(action="control.hit.decided").order_by("pk").last()
    assert event.details["status"] == "dismissed"
    assert event.institution_id == w.a.pk


def test_a_controller_of_another_institution_cannot_decide_and_nothing_changes():
    w = make_world()
    first, _ = _two_duplicates(w)
    for outsider in (w.controller_b, w.stranger):
        with pytest.raises(Refused):
            hit_decide(actor=outsider, hit=first, status=HitStatus.DISMISSED)
    first.refresh_from_db()
    assert first.status == HitStatus.OPEN
    assert AuditEvent.objects.filter(action="control.hit.decide.refused").count() == 2


def test_the_command_prints_one_json_object_per_hit_and_a_summary():
    w = make_world()
    office = plant.vendor(w.a.pk, "Kontorleverandøren ApS", cvr="41000018")
    a = invoice(w.a, office, "INV-0012", "1250.00", date(2026, 3, 2))
    b = invoice(w.a, office, "INV 12", "1250.00", date(2026, 3, 3))
    out = io.StringIO()
    call_command("control", "run", "--json", "--control", "duplicate_invoices", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[:-1] == [
        {
            "control": "duplicate_invoices",
            "score": 0.919,
            "institutions": [w.a.pk],
            "objects": [{"type": "invoice", "id": a.pk}, {"type": "invoice", "id": b.pk}],
            "amount": "1250.00",
            "reason": "2 invoices from the same vendor for the same amount, with invoice "
            "numbers that differ only in punctuation or leading zeros",
        }
    ]
    summary = lines[-1]["summary"]
    assert summary["hits"] == 1
    assert list(summary["controls"]) == ["duplicate_invoices"]


def test_the_duckdb_name_and_address_forms_are_the_python_ones():
    import duckdb

    cases = [
        "Jens Hansen ApS",
        "Kontorleverandøren A/S",
        "Ærø I/S",
        "  Åse  Østergaard-Smith  ",
        "",
        "Nørregade 12 st. th., 1165 København K",
    ]
    con = duckdb.connect()
    for case in cases:
        got = con.execute(
            f"SELECT {normalize.name_key_sql('x')}, {normalize.address_key_sql('x')}, "
            f"{normalize.postcode_sql('x')} FROM (SELECT ? AS x)",
            [case],
        ).fetchone()
        assert got == (
            normalize.name_key(case),
            normalize.address_key(case),
            normalize.postcode(case),
        )


def test_the_seller_address_is_read_from_the_stored_document():
    from faelles.control.people import seller_address

    content = plant.document_bytes("1", "X ApS", "Nørregade 12, 1165 København K", "t")
    assert seller_address(content) == "Nørregade 12, 1165 København K"
    assert seller_address(b"<Invoice/>") == ""
