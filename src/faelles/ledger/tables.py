"""Tables of the ledger pages (django-tables2, DKFDS markup via web/table.html)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from faelles.ledger.models import Account, JournalEntry


class AccountTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"))
    name = tables.Column(verbose_name=_("Name"))
    account_class = tables.Column(verbose_name=_("Class"))
    type = tables.Column(verbose_name=_("Type"))
    is_postable = tables.BooleanColumn(verbose_name=_("Postable"), yesno=(_("Yes"), _("No")))
    is_common = tables.BooleanColumn(verbose_name=_("Common"), yesno=(_("Yes"), _("No")))
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))
    requires_org_unit = tables.BooleanColumn(
        verbose_name=_("Cost centre required"), yesno=(_("Yes"), _("No"))
    )

    class Meta:
        model = Account
        fields = (
            "number",
            "name",
            "account_class",
            "type",
            "is_postable",
            "is_common",
            "is_active",
            "requires_org_unit",
        )
        empty_text = _("No accounts match.")


class EntryTable(tables.Table):
    number = tables.LinkColumn(
        "ledger:entry-detail", args=[tables.A("pk")], verbose_name=_("Number"), empty_values=()
    )
    date = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    description = tables.Column(verbose_name=_("Description"))
    voucher_ref = tables.Column(verbose_name=_("Voucher"))
    kind = tables.Column(verbose_name=_("Kind"))
    state = tables.Column(verbose_name=_("State"))

    class Meta:
        model = JournalEntry
        fields = ("number", "date", "description", "voucher_ref", "kind", "state")
        empty_text = _("No entries match.")

    def render_number(self, record: JournalEntry) -> str:
        if record.number:
            return f"{record.fiscal_year.year}-{record.number}"
        return str(_("Draft %(id)s") % {"id": record.pk})
