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
        portal = view_roles(Area.SERVICE_PORTAL)
        desk = view_roles(Area.SERVICE_DESK)
        contact = view_roles(Area.SERVICE_CONTACT)
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Ask for help"), "servicedesk:portal", portal),
                (_("Tickets"), "servicedesk:tickets", desk),
                (_("New ticket by phone"), "servicedesk:ticket-new", desk),
                (_("Knowledge base"), "servicedesk:articles", portal),
                (_("Service catalogue"), "servicedesk:catalogue", portal),
                (_("Service figures"), "servicedesk:figures", contact),
                (_("Locations"), "servicedesk:locations", contact),
                (_("Assets"), "servicedesk:assets", contact),
                (_("Cleaning inspections"), "servicedesk:inspections", contact),
                (_("Supplier scorecards"), "servicedesk:contracts", desk),
                (_("Chargeback statements"), "servicedesk:statements", contact),
                (_("Customer-forum report"), "servicedesk:forum", contact),
                (_("Yearly satisfaction survey"), "servicedesk:survey-yearly", portal),
            ],
            start=60,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
