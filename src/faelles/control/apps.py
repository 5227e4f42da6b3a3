from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "faelles.control"
    label = "control"
    verbose_name = _("Controls")

    def ready(self) -> None:
        from faelles.tenancy.roles import Area, view_roles
        from faelles.web.navigation import NavItem, register

        section = _("Controls")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Control work list"), "control:work-list", view_roles(Area.CONTROL)),
                (_("Operator work list"), "control:operator", view_roles(Area.OPERATOR_CONTROL)),
                (_("Control precision"), "control:precision", view_roles(Area.CONTROL)),
            ],
            start=60,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
