"""Exports of lists and reports that a Danish spreadsheet opens correctly: CSV and XLSX from
the same column definitions.

CSV (what Danish Excel and LibreOffice read without an import dialogue):

- UTF-8 with a byte-order mark (without it Excel reads the file as Windows-1252 and "æøå"
  break), rows ending in CRLF, fields separated by ``;`` (the list separator of the Danish
  locale; a ``,`` would clash with the decimal comma);
- amounts with a decimal comma and no thousands separator (``-1234,50``): Danish Excel reads
  that as the number -1234.5, while ``1.234,50`` can be misread as a date or text by other
  tools, and ``1234.50`` is read as text (or a date) by Danish Excel;
- dates as ISO 8601 (``2026-03-31``), times as ``2026-03-31 14:05`` in local time: Excel reads
  ISO dates as dates in every locale, whereas ``31-03-2026`` turns into text or a wrong date in
  an English-locale spreadsheet; ISO is also unambiguous for every other tool;
- text that a spreadsheet would take as a formula (starting with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return) is prefixed with an apostrophe, so a supplier's name cannot run a
  formula on an auditor's machine (CSV injection).

XLSX: numbers are numbers (Decimal written exactly, shown with two decimals and thousands
separators as the reader's Excel locale displays them), dates are dates, text is text (never a
formula), the header row is bold and frozen, and the columns are wide enough for their
contents.

An export is the page's own data: the views pass the rows they read through the access gate,
with the page's filters applied. Headers are translated in the user's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an export: its header and how to get the cell from a record. The value
    keeps its type (Decimal, int, date, datetime, bool, str or None); the writers format it."""

    header: str | Promise
    value: Callable[[Any], Any]


def requested_format(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the request asks for an export (``?format=``), else None."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def export_links(request: HttpRequest, **extra: str) -> list[dict[str, str]]:
    """Links to the same page as CSV and XLSX, keeping its filters (and dropping the page
    number: an export holds every row the filters select); ``extra`` adds parameters (which
    of a page's tables, say)."""
    links = []
    for fmt in FORMATS:
        query = request.GET.copy()
        query.pop("page", None)
        for key, value in extra.items():
            query[key] = value
        query["format"] = fmt
        links.append({"format": fmt, "label": fmt.upper(), "url": f"?{query.urlencode()}"})
    return links


# --- cells ----------------------------------------------------------------------------------


def _local(value: datetime) -> datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def csv_cell(value: Any) -> str:
    """One CSV field in Danish format (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM, ``;``-separated, CRLF, decimal comma."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return text.getvalue().encode("utf-8-sig")


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = "") -> bytes:
    """A workbook with one sheet: bold, frozen header row; typed cells; column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws: Any = wb.active
    # Sheet titles: at most 31 characters, none of []:*?/\ .
    clean = "".join(c for c in (title or "Data") if c not in "[]:*?/\\")[:31]
    ws.title = clean or "Data"
    bold = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        _set(cell, str(header))
        cell.font = bold
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            _set(ws.cell(row=r, column=col), value)
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], _display_width(value))
            else:
                widths.append(_display_width(value))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _set(cell: Any, value: Any) -> None:
    """Write ``value`` with its type: a number with a number format, a date as a date, and
    text as text (openpyxl would otherwise take a leading ``=`` as a formula)."""
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = _yes_no(value)
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = INTEGER_FORMAT
    elif isinstance(value, float):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, datetime):
        cell.value = _local(value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = str(value)
        cell.data_type = "s"


# --- responses ------------------------------------------------------------------------------


def export_response(
    fmt: str,
    filename: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "",
) -> HttpResponse:
    """The rows as a CSV or XLSX download named ``filename`` (without extension)."""
    if fmt == "xlsx":
        body = xlsx_bytes(headers, rows, title=title or filename)
        content_type = XLSX_CONTENT_TYPE
    elif fmt == "csv":
        body = csv_bytes(headers, rows)
        content_type = CSV_CONTENT_TYPE
    else:  # pragma: no cover - callers pass requested_format()
        raise ValueError(fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{filename}.{fmt}") or ""
    )
    return response


def export_records(
    fmt: str,
    filename: str,
    columns: Sequence[Column],
    records: Iterable[Any],
    *,
    title: str = "",
) -> HttpResponse:
    """``export_response`` for records described by ``columns``."""
    headers = [str(c.header) for c in columns]
    rows = ([c.value(record) for c in columns] for record in records)
    return export_response(fmt, filename, headers, rows, title=title)


# --- lists (django-tables2) -----------------------------------------------------------------


def table_rows(table: Any) -> tuple[list[str], list[list[Any]]]:
    """The headers and typed rows of a django-tables2 table, as the page shows them: the
    columns it shows (minus those excluded from export), choices by their label, links by their
    text; dates and numbers keep their type."""
    from django_tables2 import DateColumn, DateTimeColumn
    from django_tables2.utils import Accessor

    columns = [
        c
        for c in table.columns.iterall()
        if c.visible and not c.column.exclude_from_export and c.name not in table.exclude
    ]
    headers = [str(c.header) for c in columns]
    rows = []
    for row in table.rows:
        values = []
        for c in columns:
            if isinstance(c.column, DateColumn | DateTimeColumn):
                try:
                    values.append(Accessor(c.accessor).resolve(row.record))
                except Exception:  # a missing related object is an empty cell
                    values.append(None)
            else:
                values.append(row.get_cell_value(c.name))
        rows.append(values)
    return headers, rows


class ListExportMixin:
    """For the filtered list pages (``ManagementListView``): ``?format=csv`` or ``xlsx`` gives
    every row the page's filters select, from the same queryset the page reads through the
    access gate, in the page's columns. Override ``export_headers_rows`` for other columns."""

    request: HttpRequest
    object_list: Any
    title: Any
    export_name: str = ""

    def export_filename(self) -> str:
        return self.export_name or "export"

    def export_headers_rows(self) -> tuple[list[str], Iterable[Sequence[Any]]]:
        from django_tables2 import RequestConfig

        table = self.get_table_class()(data=self.object_list)  # type: ignore[attr-defined]
        RequestConfig(self.request, paginate=False).configure(table)
        return table_rows(table)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        fmt = requested_format(self.request)
        if fmt is not None:
            headers, rows = self.export_headers_rows()
            return export_response(
                fmt, self.export_filename(), headers, rows, title=str(self.title or "")
            )
        context["export_links"] = export_links(self.request)
        response: HttpResponse = super().render_to_response(context, **kwargs)  # type: ignore[misc]
        return response
