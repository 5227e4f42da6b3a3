from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "faelles.payroll"
    label = "payroll"
    verbose_name = _("Payroll")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from faelles.payroll import access
        from faelles.web.navigation import NavItem, register

        section = _("Payroll")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Pay runs"), "payroll:run-list", access.VIEW_ROLES),
                (_("Pending changes"), "payroll:change-list", access.VIEW_ROLES),
                (_("Employees"), "payroll:employee-list", access.VIEW_ROLES),
            ],
            start=60,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
        # Self-service: every logged-in person (the page shows only their own payslips).
        register(NavItem(label=_("My payslips"), url_name="payroll:my-payslips", order=90))
