from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "faelles.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from faelles.core.retention import register_core_rules

        register_core_rules()
