from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayablesConfig(AppConfig):
    name = "faelles.payables"
    label = "payables"
    verbose_name = _("Invoice handling")

    def ready(self) -> None:
        from faelles.core.metrics import register_scrape_collector
        from faelles.payables import retention, start_panels
        from faelles.payables.metrics import InvoicesWaitingCollector
        from faelles.tenancy.roles import Area, view_roles
        from faelles.web.navigation import NavItem, register

        register_scrape_collector("invoices_waiting", InvoicesWaitingCollector())
        retention.register_rules()
        start_panels.register()

        VIEW_ROLES = view_roles(Area.PAYABLES)
        OPERATOR_ROLES = view_roles(Area.OPERATOR_QUEUES)

        section = _("Invoices")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Invoice inbox"), "payables:inbox", VIEW_ROLES),
                (_("Upload e-invoice"), "payables:upload", view_roles(Area.INTAKE)),
                (_("Payment runs"), "payables:payment-runs", VIEW_ROLES),
                (_("Key figures"), "payables:kpis", VIEW_ROLES),
                (_("Routing and coding rules"), "payables:rules", VIEW_ROLES),
                (_("Unroutable documents"), "payables:unroutable", OPERATOR_ROLES),
                (_("Rejected documents"), "payables:rejected", OPERATOR_ROLES),
                (_("Overdue invoices"), "payables:overdue", OPERATOR_ROLES),
                (_("Outgoing mail"), "payables:mail", view_roles(Area.OUTGOING_MAIL)),
            ],
            start=20,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
