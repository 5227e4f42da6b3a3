"""Template filters for the audit trail's human labels (see :mod:`faelles.web.labels`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from faelles.web import labels, sources
from faelles.web.sources import SourceLink

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """``{{ event.action|action_label }}``: the translated label of any app's audit action."""
    return labels.action_label(action)


@register.filter
def audit_details(details: Mapping[str, Any] | None) -> list[tuple[str, str, str]]:
    """``{% for key, label, text in event.details|audit_details %}``: labelled, localised."""
    return labels.details_rows(details)


@register.simple_tag(takes_context=True)
def source_link(context: dict[str, Any], source_type: str, source_id: Any) -> SourceLink:
    """``{% source_link object.source_type object.source_id as source %}``: ``source.text``
    and ``source.url`` (empty when the viewer may not see the source)."""
    request = context.get("request")
    return sources.source_link(getattr(request, "user", None), source_type, source_id)
