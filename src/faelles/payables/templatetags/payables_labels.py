"""Template filters for invoice handling's human labels (see :mod:`faelles.payables.labels`)."""

from __future__ import annotations

from django import template

from faelles.payables import labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """``{{ event.action|action_label }}``: the translated label of an audit action."""
    return labels.action_label(action)
