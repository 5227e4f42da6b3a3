"""One registry of human, translatable labels for what the pages show as codes: every audit
action, every audit detail key, and the coded values inside details (states, statuses).

Each app declares its words in its own ``labels.py`` (``ACTION_LABELS``, ``DETAIL_LABELS``,
``VALUE_LABELS``); this module collects them from every installed ``faelles`` app, so the
audit trail of any page reads the same way. A code without a label is shown as itself, so a
new event is never hidden (and ``web/tests/test_labels.py`` fails on it).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Label = str | Promise

#: The web shell's own actions (sign-in and the API tokens).
ACTION_LABELS: dict[str, Label] = {
    "auth.sso_login": _("Signed in with single sign-on"),
}

#: Detail keys shared by many apps.
DETAIL_LABELS: dict[str, Label] = {
    "state": _("State"),
    "status": _("Status"),
    "old": _("Before"),
    "new": _("After"),
    "reason": _("Reason"),
    "note": _("Note"),
    "name": _("Name"),
    "code": _("Code"),
    "message": _("Message"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "date": _("Date"),
    "entry": _("Journal entry"),
    "institution": _("Institution"),
    "user": _("User"),
    "role": _("Role"),
    "roles": _("Roles"),
    "field": _("Field"),
    "changes": _("Changes"),
    "ids": _("Ids"),
    "count": _("Count"),
    "by": _("By"),
}

VALUE_LABELS: dict[str, Mapping[str, Label]] = {}


@dataclass(frozen=True)
class Registry:
    actions: dict[str, Label]
    details: dict[str, Label]
    values: dict[str, dict[str, Label]]


def _label_modules() -> list[Any]:
    modules: list[Any] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("faelles.") or config.name == "faelles.web":
            continue
        try:
            modules.append(import_module(f"{config.name}.labels"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.labels":
                raise
    return modules


@functools.cache
def registry() -> Registry:
    """Every app's labels, merged (collected once)."""
    actions: dict[str, Label] = dict(ACTION_LABELS)
    details: dict[str, Label] = dict(DETAIL_LABELS)
    values: dict[str, dict[str, Label]] = {k: dict(v) for k, v in VALUE_LABELS.items()}
    for module in _label_modules():
        actions.update(getattr(module, "ACTION_LABELS", {}))
        details.update(getattr(module, "DETAIL_LABELS", {}))
        for key, mapping in getattr(module, "VALUE_LABELS", {}).items():
            values.setdefault(key, {}).update(mapping)
    return Registry(actions, details, values)


REFUSED = ".refused"


def has_label(action: str) -> bool:
    """True when the action has a label of its own, or is the refusal of one that has."""
    known = registry().actions
    if action in known:
        return True
    return action.endswith(REFUSED) and action.removesuffix(REFUSED) in known


def action_label(action: str) -> str:
    """The label of an audit action in the active language ("Institution oprettet"); a refusal
    without its own label reads "Afvist: <the action's label>"; unknown codes stay as they
    are."""
    known = registry().actions
    label = known.get(action)
    if label is not None:
        return str(label)
    if action.endswith(REFUSED):
        base = action.removesuffix(REFUSED)
        if base in known:
            return gettext("Refused: %(action)s") % {"action": str(known[base])}
    return action


def detail_label(key: str) -> str:
    """The label of a key in an audit event's details; the key itself when unknown."""
    label = registry().details.get(key)
    return key if label is None else str(label)


_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def value_text(value: Any, key: str = "") -> str:
    """A detail value as Danish (active language) text: none as "–", yes/no, dates and
    amounts in the locale's format, coded values by their label, lists joined."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v, key) for v in value) if value else "–"
    if isinstance(value, Mapping):
        return "; ".join(
            f"{detail_label(str(k))}: {value_text(v, str(k))}" for k, v in value.items()
        )
    if isinstance(value, Decimal | float):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, str):
        coded = registry().values.get(key, {}).get(value)
        if coded is not None:
            return str(coded)
        if _DECIMAL.match(value):
            try:
                return value_text(Decimal(value))
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return value
        if len(value) == 10 and (day := parse_date(value)) is not None:
            return value_text(day)
        if len(value) > 10 and value[10:11] in ("T", " "):
            try:
                moment = parse_datetime(value)
            except ValueError:
                moment = None
            if moment is not None:
                return value_text(moment)
    return str(value)


def details_rows(details: Mapping[str, Any] | None) -> list[tuple[str, str, str]]:
    """An audit event's details as (key, label, text) rows."""
    return [
        (str(k), detail_label(str(k)), value_text(v, str(k))) for k, v in (details or {}).items()
    ]
