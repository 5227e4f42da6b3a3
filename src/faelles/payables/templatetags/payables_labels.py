"""Template filters for invoice handling's human labels (see :mod:`faelles.payables.labels`)."""

from __future__ import annotations

from django import template

from faelles.payables.findings import FindingGroup, grouped
from faelles.payables.labels import intake_status_label
from faelles.web import labels as web_labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """``{{ event.action|action_label }}``: the translated label of an audit action (any app's,
    through the one registry; invoice handling's own labels are in :mod:`labels`)."""
    return web_labels.action_label(action)


@register.filter
def finding_groups(findings: list[dict[str, str]]) -> list[FindingGroup]:
    """``{{ document.findings|finding_groups }}``: each finding once, explained in the active
    language, with its count and locations."""
    return grouped(findings or [])


@register.filter
def fatal_finding_groups(findings: list[dict[str, str]]) -> list[FindingGroup]:
    """As :func:`finding_groups`, the fatal findings only."""
    return grouped(findings or [], fatal_only=True)


@register.filter
def intake_status(status: str) -> str:
    """``{{ intake.status|intake_status }}``: what became of a received document, in words."""
    return intake_status_label(status)
