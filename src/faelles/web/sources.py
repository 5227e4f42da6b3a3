"""A journal entry's source (``source_type``, ``source_id``) as a link to the source's page when
the viewer may see it, plain text otherwise. Each app declares its source types in its own
``links.py`` (``SOURCES``); the lookup goes through that app's access gate, so a link is never
shown to someone the page would answer 404."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.translation import gettext

Resolver = Callable[[Any, str], "tuple[str, str] | None"]


@dataclass(frozen=True)
class SourceLink:
    text: str
    url: str | None = None


@functools.cache
def _sources() -> dict[str, tuple[Any, Resolver]]:
    found: dict[str, tuple[Any, Resolver]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("faelles."):
            continue
        try:
            module = import_module(f"{config.name}.links")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.links":
                raise
            continue
        found.update(getattr(module, "SOURCES", {}))
    return found


def source_link(user: Any, source_type: str, source_id: Any) -> SourceLink:
    """The source as a link for ``user`` if they may see it; its name and number otherwise;
    "Manual entry" when there is none."""
    if not source_type or source_id in (None, ""):
        return SourceLink(gettext("Manual entry"))
    known = _sources().get(source_type)
    if known is None:
        return SourceLink(f"{source_type} {source_id}")
    name, resolve = known
    plain = SourceLink(f"{name} {source_id}")
    if user is None or not getattr(user, "is_authenticated", False):
        return plain
    found = resolve(user, str(source_id))
    if found is None:
        return plain
    text, url = found
    return SourceLink(text, url)
