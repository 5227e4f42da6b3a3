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
    "insight.business_case.created": _("Business case created"),
    "insight.business_case.create.refused": _("Creating the business case refused"),
    "insight.business_case.item_added": _("Estimate added to the business case"),
    "insight.business_case.item_add.refused": _("Adding the estimate refused"),
    "insight.business_case.approved": _("Business case approved"),
    "insight.business_case.approve.refused": _("Approving the business case refused"),
    "insight.business_case.realised": _("Realised gain recorded"),
    "insight.business_case.realise.refused": _("Recording the realised gain refused"),
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
    "title": _("Title"),
    "baseline_figure": _("Baseline key figure"),
    "baseline_value": _("Baseline value"),
    "baseline_source": _("Baseline source"),
    "kind": _("Kind"),
    "description": _("Description"),
    "low": _("Minimum"),
    "likely": _("Most likely"),
    "high": _("Maximum"),
    "expected": _("Expected"),
    "realised": _("Realised gain"),
    "source": _("Source"),
}
