from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "faelles.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from faelles.payables.order_matching import register as register_matcher
        from faelles.purchasing.matching import match_invoices

        register_matcher(match_invoices)
        from faelles.tenancy.roles import Area, view_roles
        from faelles.web.navigation import NavItem, register

        section = _("Purchasing")
        roles = view_roles(Area.PURCHASING)
        for order, (label, url_name) in enumerate(
            [
                (_("Shop"), "purchasing:shop"),
                (_("Requisitions"), "purchasing:requisitions"),
                (_("Orders"), "purchasing:orders"),
                (_("Framework agreements"), "purchasing:agreements"),
            ],
            start=70,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
        from faelles.purchasing.selectors import DOCUMENT_ROLES

        register(
            NavItem(
                label=_("Received ordering documents"),
                url_name="purchasing:documents",
                roles=DOCUMENT_ROLES,
                section=section,
                order=75,
            )
        )
