from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "faelles.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from faelles.tenancy.roles import Area, view_roles
        from faelles.web import retention, start_panels
        from faelles.web.navigation import NavItem, register

        retention.register_rules()
        start_panels.register()

        VIEW_ROLES = view_roles(Area.ADMINISTRATION)

        register(NavItem(label=_("Start"), url_name="web:home", order=0))
        # The management pages of the tenancy app (its views live in faelles.tenancy).
        admin = _("Administration")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Institutions"), "tenancy:institution-list", VIEW_ROLES),
                (_("Service agreements"), "tenancy:agreement-list", VIEW_ROLES),
                (_("Users"), "tenancy:user-list", VIEW_ROLES),
                (_("Memberships"), "tenancy:membership-list", VIEW_ROLES),
                (_("Approval limit requests"), "tenancy:limit-request-list", VIEW_ROLES),
                (_("Delegations"), "tenancy:delegation-list", VIEW_ROLES),
                (_("Org units"), "tenancy:orgunit-list", VIEW_ROLES),
                (_("Endpoints"), "tenancy:endpoint-list", VIEW_ROLES),
                (_("Operator staff"), "tenancy:staff-list", view_roles(Area.OPERATOR_STAFF)),
            ],
            start=50,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=admin, order=order)
            )
