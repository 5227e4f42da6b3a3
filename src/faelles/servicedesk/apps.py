from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "faelles.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from faelles.tenancy.roles import Area, view_roles
        from faelles.web.navigation import NavItem, register

        section = _("Service desk")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Ask for help"), "servicedesk:portal", view_roles(Area.SERVICE_PORTAL)),
                (_("Tickets"), "servicedesk:tickets", view_roles(Area.SERVICE_DESK)),
                (_("Knowledge base"), "servicedesk:articles", view_roles(Area.SERVICE_PORTAL)),
                (_("Service catalogue"), "servicedesk:catalogue", view_roles(Area.SERVICE_PORTAL)),
                (_("Service figures"), "servicedesk:figures", view_roles(Area.SERVICE_CONTACT)),
            ],
            start=60,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
