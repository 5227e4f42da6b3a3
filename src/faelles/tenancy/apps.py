from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "faelles.tenancy"
    label = "tenancy"
    verbose_name = _("Institutions and users")

    def ready(self) -> None:
        from faelles.core import access
        from faelles.tenancy import selectors

        access.configure(
            institutions_for_user=selectors.institutions_for_user,
            roles_for=selectors.roles_for,
            roles_by_institution=selectors.roles_by_institution,
            general_roles=selectors.staff_roles_for,
        )
