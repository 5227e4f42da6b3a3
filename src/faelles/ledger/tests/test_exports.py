"""Ledger exports: CSV in Danish format (BOM, ``;``, decimal comma, CRLF) and XLSX with typed
cells, for every list and report, with the page's filters and never another institution's
rows; and the cost chart, whose SVG must hold numbers in Danish too."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from faelles.ledger import services
from faelles.ledger.tests.factories import (
    expense_spec,
    make_bookkeeper,
    make_institution,
    make_user,
)
from faelles.tenancy.middleware import SESSION_KEY
from faelles.tenancy.models import Membership, Role
from faelles.web.tests.svg import SVG_NS, bar_heights, chart_svgs, check_numbers

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Every ledger list and report, with parameters that select the posted entries of 2026.
EXPORTS = [
    ("ledger:entry-list", {}),
    ("ledger:account-list", {}),
    ("ledger:trial-balance", {"year": "2026"}),
    (
        "ledger:account-statement",
        {"account": "2210", "date_from": "2026-01-01", "date_to": "2026-12-31"},
    ),
    ("ledger:statements", {"year": "2026"}),
    ("ledger:vat", {"year": "2026"}),
    ("ledger:costs", {"year": "2026"}),
]


@pytest.fixture
def books():
    a, b = make_institution(), make_institution()
    keeper_a, keeper_b = make_bookkeeper(a), make_bookkeeper(b)
    requester_a = make_user()
    Membership.objects.create(user=requester_a, institution=a, role=Role.REQUESTER)
    services.entry_record(
        actor=keeper_a, institution=a, spec=expense_spec("1234.50", source_id="A1")
    )
    services.entry_record(
        actor=keeper_a,
        institution=a,
        spec=expense_spec("200.00", source_id="A2", on=date(2026, 5, 2)),
    )
    services.entry_record(
        actor=keeper_b, institution=b, spec=expense_spec("777.77", source_id="B1")
    )
    b.short_name = "FREMMED"
    b.save(update_fields=["short_name"])
    return {"a": a, "b": b, "keeper_a": keeper_a, "keeper_b": keeper_b, "requester_a": requester_a}


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM)
    text = content[len(BOM) :].decode("utf-8")
    assert text.endswith("\r\n")
    return [line.split(";") for line in text[:-2].split("\r\n")]


def test_trial_balance_csv_is_in_danish_format(client, books):
    client.force_login(books["keeper_a"])
    response = client.get(reverse("ledger:trial-balance"), {"year": 2026, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="saldobalance-{books["a"].short_name}-2026-1-12.csv"'
    )
    assert _csv_rows(response.content) == [
        ["Konto", "Navn", "Debet", "Kredit", "Saldo"],
        ["2210", "Kontorartikler og forbrugsvarer", "1434,50", "0,00", "1434,50"],
        ["5620", "Købsmoms", "358,62", "0,00", "358,62"],
        ["9110", "Leverandører af varer og tjenesteydelser", "0,00", "1793,12", "-1793,12"],
    ]


def test_trial_balance_xlsx_has_numbers_as_numbers(client, books):
    client.force_login(books["keeper_a"])
    response = client.get(reverse("ledger:trial-balance"), {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Konto", "Navn", "Debet", "Kredit", "Saldo"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    row = sheet[4]
    assert [c.value for c in row] == [
        "9110",
        "Leverandører af varer og tjenesteydelser",
        0,
        1793.12,
        -1793.12,
    ]
    assert [c.data_type for c in row] == ["s", "s", "n", "n", "n"]
    assert [c.number_format for c in row[2:]] == ["#,##0.00"] * 3
    assert sheet.column_dimensions["B"].width == len("Leverandører af varer og tjenesteydelser") + 2


def test_postings_list_exports_one_row_per_line_with_the_pages_filter(client, books):
    client.force_login(books["keeper_a"])
    url = reverse("ledger:entry-list")
    rows = _csv_rows(client.get(url, {"format": "csv", "date_from": "2026-05-01"}).content)
    assert rows[0][:4] == ["Regnskabsår", "Nummer", "Bogføringsdato", "Beskrivelse"]
    assert [(r[2], r[8], r[14], r[15]) for r in rows[1:]] == [
        ("2026-05-02", "2210", "200,00", "0,00"),
        ("2026-05-02", "5620", "50,00", "0,00"),
        ("2026-05-02", "9110", "0,00", "250,00"),
    ]
    sheet = load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx", "date_from": "2026-05-01"}).content)
    ).active
    assert sheet.max_row == 4
    assert sheet["C2"].is_date and sheet["C2"].value.date() == date(2026, 5, 2)
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert (sheet["H2"].data_type, sheet["H2"].value) == ("n", 1)
    assert (sheet["O2"].data_type, sheet["O2"].value) == ("n", 200)


def test_account_statement_export_starts_with_the_opening_balance(client, books):
    client.force_login(books["keeper_a"])
    params = {"account": "2210", "date_from": "2026-04-01", "date_to": "2026-12-31"}
    rows = _csv_rows(
        client.get(reverse("ledger:account-statement"), {**params, "format": "csv"}).content
    )
    assert rows[0] == ["Dato", "Nummer", "Beskrivelse", "Bilag", "Debet", "Kredit", "Saldo"]
    assert rows[1] == ["2026-04-01", "", "Primosaldo", "", "", "", "1234,50"]
    assert [r[4:] for r in rows[2:]] == [["200,00", "0,00", "1434,50"]]


def test_statements_vat_and_costs_export_the_reports_numbers(client, books):
    client.force_login(books["keeper_a"])
    vat = _csv_rows(client.get(reverse("ledger:vat"), {"year": 2026, "format": "csv"}).content)
    assert [r[1] for r in vat[1:]] == ["0,00", "0,00", "-358,62", "-358,62"]
    statements = _csv_rows(
        client.get(reverse("ledger:statements"), {"year": 2026, "format": "csv"}).content
    )
    assert ["Resultatopgørelse", "22", statements[2][2], "-1434,50"] in statements
    costs = client.get(reverse("ledger:costs"), {"year": 2026, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(costs.content)).active
    assert [c.value for c in sheet[1]] == ["Måned", sheet["B1"].value, "I alt"]
    assert sheet["B1"].value.startswith("22 ")
    assert [(r[0].value, r[1].value, r[2].value) for r in sheet.iter_rows(min_row=2)] == [
        (1, 0, 0),
        (2, 0, 0),
        (3, 1234.5, 1234.5),
        (4, 0, 0),
        (5, 200, 200),
        *((m, 0, 0) for m in range(6, 13)),
    ]


@pytest.mark.parametrize(("name", "params"), EXPORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_never_holds_another_institutions_rows(client, books, name, params, fmt):
    """Keeper of A who asks for B (a forged session choice) still gets A's rows only."""
    client.force_login(books["keeper_a"])
    session = client.session
    session[SESSION_KEY] = books["b"].pk
    session.save()
    response = client.get(reverse(name), {**params, "format": fmt})
    assert response.status_code == 200
    assert "FREMMED" not in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        text = "\n".join(
            ";".join("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(values_only=True)
        )
    for foreign in ("777,77", "777.77", "972,21", "972.21", "Kontorartikler 777"):
        assert foreign not in text


@pytest.mark.parametrize(("name", "params"), EXPORTS)
def test_export_is_refused_like_its_page(client, books, name, params):
    client.force_login(books["requester_a"])
    assert client.get(reverse(name), {**params, "format": "csv"}).status_code == 403
    client.logout()
    response = client.get(reverse(name), {**params, "format": "csv"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(("name", "params"), EXPORTS)
def test_every_page_links_to_its_exports_with_its_filters(client, books, name, params):
    client.force_login(books["keeper_a"])
    html = client.get(reverse(name), params).content.decode()
    assert 'class="export-csv"' in html
    assert 'class="export-xlsx"' in html
    for key, value in params.items():
        assert f"{key}={value}" in html


# --- the cost chart -------------------------------------------------------------------------


def test_cost_chart_in_danish_has_numeric_coordinates_and_bars_to_scale(client, books):
    client.force_login(books["keeper_a"])
    response = client.get(reverse("ledger:costs"), {"year": 2026}, HTTP_ACCEPT_LANGUAGE="da")
    html = response.content.decode()
    assert '<html lang="da"' in html
    (svg,) = chart_svgs(html).values()
    assert check_numbers(svg) > 20
    with translation.override("da"):
        title = gettext("Monthly costs by account group")
    assert svg.find("s:title", SVG_NS).text == f"{title} 2026"
    bars = bar_heights(svg)
    assert len(bars) == 12
    # The tallest bar (March, 1234.50) is the plot's full 240; May (200.00) is to scale.
    assert bars["3"] == [240.0]
    assert bars["5"] == [round(240 * 200 / 1234.5, 1)] == [38.9]
    assert all(bars[str(m)] == [] for m in (1, 2, 4, 6, 7, 8, 9, 10, 11, 12))
    # The same numbers as a table, in Danish number format.
    assert '<td>3</td><td class="num">1.234,50</td>' in html
