"""Human, translatable labels of the ledger's audit actions and detail keys (collected with
every app's by :mod:`faelles.web.labels`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.ledger.models import EntryState, PeriodState

ACTION_LABELS: dict[str, str | Promise] = {
    "ledger.account.created": _("Account created"),
    "ledger.account.updated": _("Account changed"),
    "ledger.chart.adopted": _("Chart of accounts adopted"),
    "ledger.entry.drafted": _("Draft entry registered"),
    "ledger.entry.draft_deleted": _("Draft entry deleted"),
    "ledger.entry.posted": _("Entry posted"),
    "ledger.fiscal_year.opened": _("Fiscal year opened"),
    "ledger.period.open": _("Period opened"),
    "ledger.period.closed": _("Period closed"),
    "ledger.period.locked": _("Period locked"),
    "ledger.posting_accounts.created": _("Posting accounts set up"),
    "ledger.posting_accounts.update": _("Change of posting accounts"),
    "ledger.posting_accounts.updated": _("Posting accounts changed"),
    "ledger.purpose.created": _("Purpose created"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "account": _("Account"),
    "accounts_added": _("Accounts added"),
    "description": _("Description"),
    "lines": _("Lines"),
    "number": _("Number"),
    "period": _("Period"),
    "reversal_of": _("Reversal of"),
    "source": _("Source document"),
    "total": _("Total"),
    "vat_code": _("VAT code"),
    "year": _("Year"),
    "created_by": _("Registered by"),
}

VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "state": {**dict(PeriodState.choices), **dict(EntryState.choices)},
    "from": dict(PeriodState.choices),
    "to": dict(PeriodState.choices),
}
