"""Human, translatable words for the history of insight: a label per audit action and per
detail key its events record (collected by ``faelles.web.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "insight.key_figures.refreshed": _("Key figures measured"),
    "insight.task.created": _("Task added to the inventory"),
    "insight.task.updated": _("Task of the inventory changed"),
    "insight.task.save.refused": _("Changing the task inventory refused"),
    "insight.task_hours.registered": _("Hours registered on a task"),
    "insight.task_hours.register.refused": _("Registering hours refused"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "month": _("Month"),
    "institutions": _("Institutions"),
    "rows": _("Figures"),
    "with_value": _("Figures with a value"),
    "task": _("Task"),
    "form_code": _("FORM code"),
    "changed": _("Changed fields"),
    "hours": _("Hours"),
    "before": _("Before"),
}
