from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "faelles.ledger"
    label = "ledger"
    verbose_name = _("General ledger")

    def ready(self) -> None:
        from faelles.ledger import retention
        from faelles.ledger.access import PERIOD_ROLES, POSTING_ACCOUNTS_ROLES, VIEW_ROLES
        from faelles.web.navigation import NavItem, register

        retention.register_rules()

        section = _("Accounting")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Journal entries"), "ledger:entry-list", VIEW_ROLES),
                (_("Trial balance"), "ledger:trial-balance", VIEW_ROLES),
                (_("Balance sheet and income statement"), "ledger:statements", VIEW_ROLES),
                (_("VAT statement"), "ledger:vat", VIEW_ROLES),
                (_("Monthly costs"), "ledger:costs", VIEW_ROLES),
                (_("Chart of accounts"), "ledger:account-list", VIEW_ROLES),
                (_("Fiscal years and periods"), "ledger:period-list", VIEW_ROLES | PERIOD_ROLES),
                (_("Posting accounts"), "ledger:posting-accounts", POSTING_ACCOUNTS_ROLES),
            ],
            start=30,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
