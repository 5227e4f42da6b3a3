"""Invoice-handling exports (CSV in Danish format, XLSX with typed cells) with the pages' filters
and never another institution's rows; the ageing of open invoices and the money out per
payment run, as figures and as SVG charts that hold numbers in Danish too."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from faelles.payables import key_figures, services
from faelles.payables.models import (
    DocumentStatus,
    Invoice,
    PaymentRun,
    ReceivedDocument,
    VendorBankChange,
)
from faelles.payables.tests.factories import make_world
from faelles.tenancy.models import OperatorStaff, ServiceAgreement, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory, UserFactory
from faelles.web.tests.svg import bar_heights, chart_svgs, check_numbers

pytestmark = pytest.mark.django_db

D = Decimal
BOM = b"\xef\xbb\xbf"
TODAY = date(2026, 6, 30)


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="da")


@pytest.fixture
def world(dkk_document):
    w = make_world()
    w.invoice = services.document_receive(
        content=dkk_document(number="EGEN-1"), channel="api"
    ).invoice
    return w


@pytest.fixture
def other(dkk_document):
    w = make_world(gln="5790000000005")
    w.invoice = services.document_receive(
        content=dkk_document(receiver="5790000000005", number="FREMMED-1"), channel="api"
    ).invoice
    return w


@pytest.fixture
def case_worker(world):
    user = UserFactory(username="sagsbehandler")
    operator = OperatorFactory()
    OperatorStaff.objects.create(operator=operator, user=user, role=StaffRole.CASE_WORKER)
    agreement = ServiceAgreement.objects.create(
        institution=world.institution,
        operator=operator,
        services=["payables"],
        valid_from=date(2020, 1, 1),
    )
    agreement.staff.add(user)
    return user


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM)
    text = content[len(BOM) :].decode("utf-8")
    assert text.endswith("\r\n")
    return [line.split(";") for line in text[:-2].split("\r\n")]


def _text(response) -> str:
    """An export's cells as text, whichever the format."""
    if response["Content-Type"].startswith("text/csv"):
        return response.content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(
        ";".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


def _run(world, state, total, on):
    return PaymentRun.objects.create(
        institution=world.institution,
        execution_date=on,
        debtor_iban="DK5000400440116243",
        state=state,
        total=D(total),
        created_by=world.payer,
    )


# --- invoice list -----------------------------------------------------------------------------


def test_invoice_list_csv_is_in_danish_format(client, world):
    client.force_login(world.controller)
    response = client.get(reverse("payables:inbox"), {"scope": "all", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _rows(response.content)
    headers = rows[0][:6] + rows[0][7:11]
    assert headers == [
        "Leverandør",
        "CVR-nummer",
        "Nummer",
        "Art",
        "Fakturadato",
        "Forfaldsdato",
        "Nettobeløb",
        "Moms",
        "Beløb til betaling",
        "Tilstand",
    ]
    assert len(rows) == 2
    assert rows[1][2:10] == [
        "EGEN-1",
        "Faktura",
        "2026-03-15",
        "2017-12-01",
        "DKK",
        "1325,00",
        "331,25",
        "1656,25",
    ]


def test_invoice_list_xlsx_has_numbers_and_dates(client, world):
    client.force_login(world.controller)
    response = client.get(reverse("payables:inbox"), {"scope": "all", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = sheet[2]
    assert [(c.data_type, c.value) for c in row[7:10]] == [
        ("n", 1325),
        ("n", 331.25),
        ("n", 1656.25),
    ]
    assert row[4].is_date and row[4].value.date() == date(2026, 3, 15)
    assert row[12].is_date  # received (a local date and time)


def test_invoice_list_export_keeps_the_pages_filters(client, world, dkk_document):
    services.document_receive(content=dkk_document(number="EGEN-2"), channel="api")
    client.force_login(world.controller)
    url = reverse("payables:inbox")
    both = _rows(client.get(url, {"scope": "all", "format": "csv"}).content)
    one = _rows(client.get(url, {"scope": "all", "q": "EGEN-2", "format": "csv"}).content)
    assert sorted(r[2] for r in both[1:]) == ["EGEN-1", "EGEN-2"]
    assert [r[2] for r in one[1:]] == ["EGEN-2"]
    html = client.get(url, {"scope": "all", "q": "EGEN-2"}).content.decode()
    assert 'href="?scope=all&amp;q=EGEN-2&amp;format=csv"' in html


# --- payment runs -----------------------------------------------------------------------------


def test_payment_runs_and_a_runs_transfers_export(client, world):
    run = _run(world, "paid", "1656.25", date(2026, 4, 1))
    Invoice.objects.filter(pk=world.invoice.pk).update(
        payment_run=run, payment_means=[{"kind": "iban", "iban": "DK3730000000000001"}]
    )
    client.force_login(world.payer)
    rows = _rows(client.get(reverse("payables:payment-runs"), {"format": "csv"}).content)
    assert rows[1][:4] == [str(run.pk), "2026-04-01", "Betalt", "1656,25"]
    detail = reverse("payables:payment-run-detail", args=[run.pk])
    invoices = _rows(client.get(detail, {"table": "invoices", "format": "csv"}).content)
    assert [r[1] for r in invoices[1:]] == ["EGEN-1"]
    assert invoices[1][4] == "1656,25"
    transfers = client.get(detail, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(transfers.content)).active
    assert [c.value for c in sheet[1]] == ["Leverandør", "Betales til", "Fakturaer", "Beløb"]
    assert (sheet["C2"].value, sheet["D2"].data_type, sheet["D2"].value) == ("EGEN-1", "n", 1656.25)


# --- isolation ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("payables:inbox", {"scope": "all"}),
        ("payables:inbox", {"scope": "mine"}),
        ("payables:payment-runs", {}),
        ("payables:kpis", {"table": "ageing"}),
        ("payables:kpis", {"table": "runs"}),
        ("payables:kpis", {"table": "months"}),
    ],
)
def test_institution_exports_never_hold_another_institutions_rows(
    client, world, other, name, params, fmt
):
    for w in (world, other):
        Invoice.objects.filter(pk=w.invoice.pk).update(state="approved")
    _run(other, "paid", "999.99", date(2026, 4, 1))
    foreign_run = _run(other, "released", "888.88", date(2026, 4, 2))
    client.force_login(world.controller)
    session = client.session
    session["faelles_institution_id"] = other.institution.pk  # a forged choice is ignored
    session.save()
    response = client.get(reverse(name), {**params, "format": fmt})
    assert response.status_code == 200
    text = _text(response)
    for foreign in ("FREMMED-1", "999,99", "999.99", "888,88", "888.88", f"#{foreign_run.pk}"):
        assert foreign not in text


def test_a_foreign_runs_export_is_not_found(client, world, other):
    run = _run(other, "paid", "999.99", date(2026, 4, 1))
    client.force_login(world.payer)
    url = reverse("payables:payment-run-detail", args=[run.pk])
    assert client.get(url, {"format": "csv"}).status_code == 404
    assert client.get(url, {"format": "xlsx", "table": "invoices"}).status_code == 404


def test_operator_queue_exports_hold_only_served_institutions(
    client, world, other, case_worker, dkk_document
):
    client.force_login(case_worker)
    overdue = _text(client.get(reverse("payables:overdue"), {"format": "csv"}))
    assert "EGEN-1" in overdue and "FREMMED-1" not in overdue
    for w, name in ((world, "egen.xml"), (other, "fremmed.xml")):
        ReceivedDocument.objects.filter(pk=w.invoice.document_id).update(
            status=DocumentStatus.REJECTED, filename=name
        )
    rejected = _text(client.get(reverse("payables:rejected"), {"format": "xlsx"}))
    assert "egen.xml" in rejected and "fremmed.xml" not in rejected
    services.document_receive(content=dkk_document(receiver="5790000000012"), channel="api")
    unroutable = _rows(client.get(reverse("payables:unroutable"), {"format": "csv"}).content)
    assert [r[3] for r in unroutable[1:]] == ["0088:5790000000012"]


def test_exports_are_refused_like_their_pages(client, world):
    client.force_login(UserFactory(username="nobody"))
    assert (
        client.get(reverse("payables:kpis"), {"table": "ageing", "format": "csv"}).status_code
        == 403
    )
    assert client.get(reverse("payables:payment-runs"), {"format": "csv"}).status_code == 403
    client.force_login(world.receiver)
    for name in ("payables:overdue", "payables:rejected", "payables:unroutable"):
        assert client.get(reverse(name), {"format": "csv"}).status_code == 403


def test_key_figures_export_asks_which_table(client, world):
    client.force_login(world.controller)
    response = client.get(reverse("payables:kpis"), {"format": "csv"})
    assert response.status_code == 400


# --- ageing and money out ---------------------------------------------------------------------


@pytest.fixture
def ageing_world(world, dkk_document):
    """Open invoices due at every bucket's edges (today is 2026-06-30)."""
    cases = [
        ("NOT-DUE", "approved", TODAY + timedelta(days=1), "Invoice", "DKK", None),
        ("DUE-TODAY", "posted", TODAY, "Invoice", "DKK", None),
        ("D30", "scheduled", TODAY - timedelta(days=30), "Invoice", "DKK", None),
        ("D31", "approved", TODAY - timedelta(days=31), "Invoice", "DKK", None),
        ("D60-CREDIT", "posted", TODAY - timedelta(days=60), "CreditNote", "DKK", None),
        ("D90-EUR", "posted", TODAY - timedelta(days=90), "Invoice", "EUR", D("7.46")),
        ("D91-NO-RATE", "approved", TODAY - timedelta(days=91), "Invoice", "EUR", None),
        ("PAID", "paid", TODAY - timedelta(days=200), "Invoice", "DKK", None),
        ("NOT-APPROVED", "attested", TODAY - timedelta(days=200), "Invoice", "DKK", None),
    ]
    for number, state, due, kind, currency, rate in cases:
        invoice = services.document_receive(
            content=dkk_document(number=number), channel="api"
        ).invoice
        Invoice.objects.filter(pk=invoice.pk).update(
            state=state, due_date=due, kind=kind, currency=currency, exchange_rate=rate
        )
    # The fixture's own invoice: no due date, issued 2026-03-15, so due 30 days later (107 days).
    Invoice.objects.filter(pk=world.invoice.pk).update(state="approved", due_date=None)
    return world


def test_open_invoices_are_aged_by_days_past_due(ageing_world):
    ageing = key_figures.open_invoice_ageing(ageing_world.institution, on=TODAY)
    assert [(b.key, b.count, b.amount) for b in ageing.buckets] == [
        ("not-due", 1, D("1656.25")),
        ("0-30", 2, D("3312.50")),
        ("31-60", 2, D("0.00")),  # an invoice and a credit note of the same amount
        # 1656.25 EUR at 7.46 (12355.625, half-even) and the undated invoice, due 2026-04-14.
        ("61-90", 2, D("14011.87")),
        ("90+", 1, D("0.00")),  # in EUR without a rate: counted, not in the DKK amount
    ]
    assert (ageing.count, ageing.amount, ageing.without_rate) == (8, D("18980.62"), 1)


def test_money_out_per_payment_run_counts_released_and_paid_runs_oldest_first(world):
    first = _run(world, "paid", "1000.00", date(2026, 4, 1))
    _run(world, "draft", "5000.00", date(2026, 4, 15))
    second = _run(world, "released", "250.00", date(2026, 5, 1))
    Invoice.objects.filter(pk=world.invoice.pk).update(payment_run=first)
    totals = key_figures.payment_run_totals(world.institution)
    assert [(r.pk, r.state, r.total, r.invoices) for r in totals] == [
        (first.pk, "paid", D("1000.00"), 1),
        (second.pk, "released", D("250.00"), 0),
    ]


def test_key_figures_charts_in_danish_have_numbers_and_bars_to_scale(client, world, monkeypatch):
    Invoice.objects.filter(pk=world.invoice.pk).update(state="approved")  # due 2017: over 90
    first = _run(world, "paid", "1000.00", date(2026, 4, 1))
    second = _run(world, "released", "250.00", date(2026, 5, 1))
    client.force_login(world.controller)
    html = client.get(reverse("payables:kpis")).content.decode()
    assert '<html lang="da"' in html
    charts = chart_svgs(html)
    assert sorted(charts) == ["ageing-chart", "months-chart", "runs-chart"]
    for svg in charts.values():
        assert check_numbers(svg) > 10
    assert bar_heights(charts["ageing-chart"]) == {
        "not-due": [],
        "0-30": [],
        "31-60": [],
        "61-90": [],
        "90+": [240.0],
    }
    assert bar_heights(charts["runs-chart"]) == {str(first.pk): [240.0], str(second.pk): [60.0]}
    months = bar_heights(charts["months-chart"])
    assert sum(len(v) for v in months.values()) == 1  # one invoice received, coded by hand
    # The numbers as tables, in Danish format.
    assert '<tr data-bucket="90+"><td>Over 90' in html
    assert '<td class="num">1</td><td class="num">1.656,25</td>' in html
    assert '<td class="num">1.000,00</td>' in html


# --- bank-account changes -----------------------------------------------------------------------


def test_bank_account_changes_export_with_old_and_new_account(client, world, other, dkk_document):
    new_iban = "DK5000400440116243"
    for receiver in ("5798009811578", "5790000000005"):
        content = dkk_document(receiver=receiver, number=f"B-{receiver}")
        services.document_receive(
            content=content.replace(b"IBAN32423940", new_iban.encode()), channel="api"
        )
    client.force_login(world.controller)
    session = client.session
    session["faelles_institution_id"] = other.institution.pk  # a forged choice is ignored
    session.save()
    rows = _rows(client.get(reverse("payables:bank-changes"), {"format": "csv"}).content)
    assert len(rows) == 2
    assert rows[1][1:6] == [
        "SupplierOfficialName Ltd",
        "–",
        f"IBAN {new_iban}",
        "Afventer bekræftelse",
        "Modtagelsen (en faktura)",
    ]
    assert VendorBankChange.objects.count() == 2  # the other institution's is not exported
    html = client.get(reverse("payables:bank-changes")).content.decode()
    assert 'class="export-xlsx"' in html
