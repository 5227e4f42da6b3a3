from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayablesConfig(AppConfig):
    name = "faelles.payables"
    label = "payables"
    verbose_name = _("Invoice handling")
