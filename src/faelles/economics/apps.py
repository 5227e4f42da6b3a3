from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomicsConfig(AppConfig):
    name = "faelles.economics"
    label = "economics"
    verbose_name = _("Operator economics")

    def ready(self) -> None:
        from faelles.tenancy.roles import Area, view_roles
        from faelles.web.navigation import NavItem, register

        section = _("Operator economics")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Charges"), "economics:charges", view_roles(Area.LEDGER)),
                (_("Price list"), "economics:prices", view_roles(Area.OPERATOR_QUEUES)),
            ],
            start=80,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
