from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "faelles.cases"
    label = "cases"
    verbose_name = _("Case handling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from faelles.cases import steps  # noqa: F401 - registers the service tasks
        from faelles.tenancy.roles import CASE_LANES, CASE_MODELLERS, Area, view_roles
        from faelles.web.navigation import NavItem, register

        section = _("Cases")
        workers = CASE_LANES["case_worker"] | CASE_LANES["case_manager"]
        register(NavItem(_("My work list"), "cases:worklist", workers, section, 60))
        register(NavItem(_("Cases"), "cases:case-list", view_roles(Area.CASES), section, 61))
        register(
            NavItem(
                _("Case types"),
                "cases:case-type-list",
                view_roles(Area.CASES) | CASE_MODELLERS,
                section,
                62,
            )
        )
        register(NavItem(_("Case times"), "cases:case-times", view_roles(Area.CASES), section, 63))
