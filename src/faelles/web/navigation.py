"""The navigation registry: each app registers its menu items from ``AppConfig.ready()``.

An item is shown when the user holds one of its roles in the current institution (membership
roles and, for operator staff serving it, staff roles); an item without roles is shown to
everyone who is logged in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from faelles.web.permissions import request_roles


@dataclass(frozen=True)
class NavItem:
    """One menu entry. ``section`` groups entries under one heading (a dropdown)."""

    label: str | Promise
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    section: str | Promise = ""
    order: int = 100

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))


_REGISTRY: dict[str, NavItem] = {}


def register(item: NavItem) -> NavItem:
    """Add (or replace, so that a repeated ``ready()`` is harmless) one menu item."""
    _REGISTRY[item.url_name] = item
    return item


def registered() -> list[NavItem]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, str(i.label)))


def visible_items(roles: set[str] | frozenset[str]) -> list[NavItem]:
    """The items a holder of ``roles`` may see, in menu order."""
    return [i for i in registered() if not i.roles or i.roles & roles]


@dataclass(frozen=True)
class StartPanel:
    """A section another app adds to the start page (e.g. "invoices waiting for you").

    ``context(request)`` returns the template's context, or ``None`` to leave the panel out.
    """

    name: str
    template_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100
    context: Callable[[HttpRequest], dict[str, Any] | None] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))


_PANELS: dict[str, StartPanel] = {}


def register_start_panel(panel: StartPanel) -> StartPanel:
    """Add (or replace) a start-page panel; call from ``AppConfig.ready()``."""
    _PANELS[panel.name] = panel
    return panel


def start_panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The panels the request's user may see, each with its template and context."""
    roles = request_roles(request)
    result = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        if panel.roles and not panel.roles & roles:
            continue
        context = panel.context(request) if panel.context else {}
        if context is None:
            continue
        result.append({"template_name": panel.template_name, "context": context})
    return result


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu as template data: top-level links and sections with their links."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    roles = request_roles(request)
    path = request.path
    menu: list[dict[str, Any]] = []
    sections: dict[str, dict[str, Any]] = {}
    for item in visible_items(roles):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        home = url == "/"
        active = path == url if home else path.startswith(url)
        entry = {"label": item.label, "url": url, "active": active}
        if not item.section:
            menu.append(entry)
            continue
        key = str(item.section)
        if key not in sections:
            sections[key] = {"label": item.section, "links": [], "active": False}
            menu.append(sections[key])
        sections[key]["links"].append(entry)
        sections[key]["active"] = sections[key]["active"] or active
    return menu
