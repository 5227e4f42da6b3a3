"""The invoice list's table (django-tables2, DKFDS markup via web/table.html), shown by the
inbox page and read by its CSV/XLSX export (``faelles.web.exports.table_rows``): the export
holds the page's columns and the export-only ones (CVR number, kind, currency, net amount,
VAT, received), the page hides those."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faelles.payables.models import Invoice, InvoiceState

EXPORT_ONLY = ("cvr", "kind", "currency", "net_amount", "vat_amount", "received_at")


def _notes(invoice: Invoice) -> list[tuple[str, str]]:
    notes = []
    if invoice.duplicate_of_id:
        notes.append(("error", gettext("Duplicate")))
    elif invoice.suspected_duplicate_of_id:
        notes.append(("warning", gettext("Suspected duplicate")))
    if invoice.coded_automatically:
        notes.append(("success", gettext("Coded automatically")))
    if invoice.payment_blocked:
        notes.append(("error", gettext("Payment blocked")))
    if invoice.posting_error:
        notes.append(("warning", gettext("Posting waits")))
    return notes


def _next(invoice: Invoice) -> str:
    if invoice.assigned_to_id:
        return str(invoice.assigned_to)
    return invoice.next_role_label


class InvoiceTable(tables.Table):  # type: ignore[misc]
    select = tables.Column(
        accessor="pk",
        verbose_name=format_html('<span class="sr-only">{}</span>', _("Select")),
        exclude_from_export=True,
        empty_values=(),
    )
    vendor = tables.Column(accessor="vendor__name", verbose_name=_("Vendor"))
    cvr = tables.Column(accessor="vendor__cvr", verbose_name=_("CVR number"))
    number = tables.Column(verbose_name=_("Number"))
    kind = tables.Column(verbose_name=_("Kind"))
    issue_date = tables.DateColumn(verbose_name=_("Issue date"), format="Y-m-d")
    due_date = tables.DateColumn(verbose_name=_("Due date"), format="Y-m-d", default="–")
    currency = tables.Column(verbose_name=_("Currency"))
    net_amount = tables.Column(verbose_name=_("Net amount"), attrs={"td": {"class": "num"}})
    vat_amount = tables.Column(verbose_name=_("VAT"), attrs={"td": {"class": "num"}})
    payable_amount = tables.Column(
        verbose_name=_("Amount payable"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    state = tables.Column(verbose_name=_("State"))
    next_by = tables.Column(accessor="pk", verbose_name=_("Next step by"), empty_values=())
    received_at = tables.DateTimeColumn(verbose_name=_("Received"), format="Y-m-d H:i")
    notes = tables.Column(accessor="pk", verbose_name=_("Notes"), empty_values=())

    class Meta:
        model = Invoice
        fields = ()
        sequence = (
            "select",
            "vendor",
            "cvr",
            "number",
            "kind",
            "issue_date",
            "due_date",
            "currency",
            "net_amount",
            "vat_amount",
            "payable_amount",
            "state",
            "next_by",
            "received_at",
            "notes",
        )
        orderable = False
        attrs = {"class": "table table--compact", "id": "invoices"}
        empty_text = _("No invoices.")

    @classmethod
    def for_page(cls, data: Any, *, selectable: bool) -> InvoiceTable:
        """The page's table: without the export-only columns, with a checkbox for each
        attested invoice where the user may approve in bulk."""
        exclude = EXPORT_ONLY if selectable else (*EXPORT_ONLY, "select")
        return cls(data, exclude=exclude)

    def render_select(self, record: Invoice) -> SafeString | str:
        if record.state != InvoiceState.ATTESTED:
            return ""
        return format_html(
            '<div class="form-group-checkbox"><input class="form-checkbox" type="checkbox"'
            ' name="ids" value="{pk}" id="pick-{pk}"><label for="pick-{pk}">'
            '<span class="sr-only">{label}</span></label></div>',
            pk=record.pk,
            label=str(record),
        )

    def _detail_url(self, pk: int) -> str:
        """The invoice page's address: resolved once per table, not once per row."""
        pattern: str | None = getattr(self, "_detail_pattern", None)
        if pattern is None:
            pattern = reverse("payables:invoice-detail", args=[987654321]).replace(
                "987654321", "{}"
            )
            self._detail_pattern = pattern
        return pattern.format(pk)

    def render_number(self, record: Invoice) -> SafeString:
        link = format_html('<a href="{}">{}</a>', self._detail_url(record.pk), record.number)
        if record.kind == Invoice.Kind.CREDIT_NOTE:
            return format_html("{} ({})", link, gettext("credit note"))
        return link

    def value_number(self, record: Invoice) -> str:
        return record.number

    def render_payable_amount(self, record: Invoice) -> str:
        amount = number_format(record.payable_amount, 2, use_l10n=True, force_grouping=True)
        return f"{amount} {record.currency}"

    def value_payable_amount(self, record: Invoice) -> Any:
        return record.payable_amount

    def render_next_by(self, record: Invoice) -> str:
        return _next(record) or "–"

    def value_next_by(self, record: Invoice) -> str:
        return _next(record)

    def render_notes(self, record: Invoice) -> SafeString:
        return format_html_join(" ", '<span class="badge badge-{}">{}</span>', _notes(record))

    def value_notes(self, record: Invoice) -> str:
        return ", ".join(text for _kind, text in _notes(record))
