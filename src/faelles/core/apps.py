from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "faelles.core"
    label = "core"
    verbose_name = "Core"
