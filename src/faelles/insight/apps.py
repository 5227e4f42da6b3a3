from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "faelles.insight"
    label = "insight"
    verbose_name = _("Insight")

    def ready(self) -> None:
        from faelles.insight.selectors import INSIGHT_ROLES, OPERATOR_ROLES
        from faelles.web.navigation import NavItem, register

        section = _("Insight")
        for order, (label, url_name, roles) in enumerate(
            [
                (_("Key figures"), "insight:institution", INSIGHT_ROLES),
                (_("Key figures of all institutions"), "insight:operator", OPERATOR_ROLES),
                (_("Task inventory"), "insight:tasks", INSIGHT_ROLES),
                (_("Candidates for sharing"), "insight:candidates", OPERATOR_ROLES),
                (_("Business cases"), "insight:cases", INSIGHT_ROLES),
                (_("Shadow work"), "insight:shadow", INSIGHT_ROLES),
            ],
            start=70,
        ):
            register(
                NavItem(label=label, url_name=url_name, roles=roles, section=section, order=order)
            )
