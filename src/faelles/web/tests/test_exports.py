"""The export writers: Danish CSV and typed XLSX from the same rows."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook

from faelles.web import exports
from faelles.web.charts import Series, bar_chart, svg_number

HEADERS = ["Tekst", "Beløb", "Antal", "Dato", "Tidspunkt", "Ja/nej", "Tom"]
ROW = [
    'Æble; "rødt"',
    Decimal("-1234.50"),
    7,
    date(2026, 3, 31),
    datetime(2026, 3, 31, 12, 5, tzinfo=UTC),
    True,
    None,
]


def test_csv_bytes_are_danish_excel_format():
    with translation.override("da"):
        data = exports.csv_bytes(HEADERS, [ROW])
    assert data == (
        b"\xef\xbb\xbf"
        + "Tekst;Beløb;Antal;Dato;Tidspunkt;Ja/nej;Tom\r\n".encode()
        + '"Æble; ""rødt""";-1234,50;7;2026-03-31;2026-03-31 14:05;Ja;\r\n'.encode()
    )


def test_csv_neutralises_formulas_in_text_but_not_in_numbers():
    data = exports.csv_bytes(["a", "b", "c", "d"], [["=HYPERLINK(1)", "+45", "@x", Decimal("-1")]])
    assert data.decode("utf-8-sig").splitlines()[1] == "'=HYPERLINK(1);'+45;'@x;-1"


def test_xlsx_cells_keep_their_types():
    with translation.override("da"):
        data = exports.xlsx_bytes(
            HEADERS, [ROW, ["=1+1", Decimal("0.10"), 0, None, None, False, ""]]
        )
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADERS
    row = sheet[2]
    assert row[0].value == 'Æble; "rødt"'
    assert (row[1].data_type, row[1].value, row[1].number_format) == ("n", -1234.5, "#,##0.00")
    assert (row[2].data_type, row[2].value, row[2].number_format) == ("n", 7, "0")
    assert row[3].is_date and row[3].value == datetime(2026, 3, 31)
    assert row[3].number_format == "yyyy-mm-dd"
    # Local time (Europe/Copenhagen, summer time), without a time zone (Excel has none).
    assert row[4].value == datetime(2026, 3, 31, 14, 5)
    assert row[5].value == "Ja"
    assert row[6].value is None
    formula = sheet[3][0]
    assert (formula.data_type, formula.value) == ("s", "=1+1")
    assert sheet[3][1].value == 0.1


def test_export_links_keep_the_filters_and_drop_the_page():
    request = RequestFactory().get("/x/", {"state": "posted", "page": "3", "format": "csv"})
    assert exports.export_links(request) == [
        {"format": "csv", "label": "CSV", "url": "?state=posted&format=csv"},
        {"format": "xlsx", "label": "XLSX", "url": "?state=posted&format=xlsx"},
    ]


def test_requested_format_accepts_only_csv_and_xlsx():
    factory = RequestFactory()
    assert exports.requested_format(factory.get("/", {"format": "csv"})) == "csv"
    assert exports.requested_format(factory.get("/", {"format": "xlsx"})) == "xlsx"
    assert exports.requested_format(factory.get("/", {"format": "pdf"})) is None
    assert exports.requested_format(factory.get("/")) is None


def test_svg_numbers_use_a_point_in_every_locale():
    with translation.override("da"):
        assert svg_number(Decimal("12.345")) == "12.3"
        assert svg_number(Decimal("12.05")) == "12"
        assert svg_number(Decimal("-0.01")) == "0"
        assert svg_number(240) == "240"


def test_bar_chart_scales_bars_to_the_peak():
    chart = bar_chart(
        chart_id="c",
        title="t",
        description="d",
        categories=[("a", "A"), ("b", "B"), ("c", "C")],
        series=[Series("x", "X", "#000"), Series("y", "Y", "#111")],
        values={
            ("a", "x"): Decimal("300"),
            ("a", "y"): Decimal("100"),
            ("b", "x"): Decimal("100"),
            ("c", "x"): Decimal("-50"),
        },
    )
    assert chart.peak == Decimal("400")
    a, b, c = chart.bars
    assert [(s.y, s.height) for s in a.segments] == [("70", "180"), ("10", "60")]
    assert [(s.y, s.height) for s in b.segments] == [("190", "60")]
    assert c.segments == [] and c.total == 0
    assert [(t.value, t.y) for t in chart.ticks] == [
        (Decimal(100), "190"),
        (Decimal(200), "130"),
        (Decimal(300), "70"),
        (Decimal(400), "10"),
    ]


def _client_for(client, user, institution):
    from faelles.tenancy.middleware import SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = institution.pk
    session.save()
    return client


def test_every_table_list_exports_its_own_rows_only(client, world):
    """The lists built on the generic list page (org units here) export the page's rows: a
    local administrator of A who asks for B (a forged session choice) gets A's only."""
    from django.urls import reverse

    _client_for(client, world.admin_a, world.b)
    url = reverse("tenancy:orgunit-list")
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "A100;Alfa økonomi" in text
    assert "B100" not in text and "Beta" not in text
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "A100" in codes and "B100" not in codes


def test_a_filtered_list_exports_only_the_filtered_rows(client, world):
    from django.urls import reverse

    _client_for(client, world.admin_a, world.a)
    url = reverse("tenancy:orgunit-list")
    html = client.get(url, {"q": "A100"}).content.decode()
    assert 'href="?q=A100&amp;format=csv"' in html
    rows = client.get(url, {"q": "A100", "format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[1].startswith("A100;")
