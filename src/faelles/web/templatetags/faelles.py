"""Template helpers for the DKFDS markup: icons and small formatting."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "", classes: str = "") -> SafeString:
    """A DKFDS icon from the SVG sprite; decorative unless ``label`` is given."""
    href = f"{static('dkfds/img/all-svg-icons.svg')}#{name}"
    css = f"icon-svg {classes}".strip()
    if label:
        return format_html(
            '<svg class="{}" aria-label="{}" role="img" focusable="false"><use href="{}"></use></svg>',
            css,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" focusable="false" aria-hidden="true"><use href="{}"></use></svg>',
        css,
        href,
    )


@register.simple_tag(takes_context=True)
def query_without(context: dict[str, Any], *names: str) -> str:
    """The current query string without the named parameters (for links that replace them)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return ""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@register.filter
def message_variant(tags: str) -> str:
    """Map Django message levels to DKFDS alert variants."""
    for level, variant in (
        ("error", "error"),
        ("warning", "warning"),
        ("success", "success"),
    ):
        if level in tags.split():
            return variant
    return "info"
