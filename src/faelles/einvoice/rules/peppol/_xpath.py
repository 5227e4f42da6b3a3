"""XPath 2.0 value semantics the Peppol schematron relies on, in plain Python.

The asserts compare strings exactly, normalise whitespace with ``normalize-space``, cast with
``xs:decimal``/``number()``/``xs:date`` and search with XML Schema regular expressions. These
helpers reproduce just enough of that for the rules to agree with the official stylesheet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from functools import cache

from lxml import etree

from faelles.einvoice.rules.tree import Kids
from faelles.einvoice.rules.tree import active as _state
from faelles.einvoice.xml import CAC, CBC

Element = etree._Element

XML_WS = " \t\r\n"
_WS_RUN = re.compile(r"[ \t\r\n]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")


@cache
def cac(path: str) -> str:
    """Clark notation for a ``cac:``/``cbc:`` path such as ``cac:Party/cbc:EndpointID``."""
    return path.replace("cac:", f"{{{CAC}}}").replace("cbc:", f"{{{CBC}}}")


@cache
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


def _walk(el: Element, steps: tuple[str, ...], depth: int) -> Iterator[Element]:
    last = depth + 1 == len(steps)
    for child in el.iterchildren(steps[depth]):
        if last:
            yield child
        else:
            yield from _walk(child, steps, depth + 1)


def iterfind(el: Element, path: str) -> Iterable[Element]:
    """Elements at a child path in Clark notation (``{ns}A/{ns}B``), in document order.

    Looks the children up in the running document's tree (``rules.tree.children_of``), or
    walks them, which is several times faster than ElementPath for the short paths the rules
    use; ``.//`` paths are left to lxml. Do not modify the result.
    """
    kids = _state.kids
    if "/" not in path:
        if kids is not None:
            return kids(el).get(path, ())
        return el.iterchildren(path)
    if path.startswith("."):
        return el.iterfind(path)
    if kids is not None:
        found = [el]
        for step in _steps(path):
            found = [child for parent in found for child in kids(parent).get(step, ())]
            if not found:
                break
        return found
    return _walk(el, _steps(path), 0)


def _first(el: Element, steps: tuple[str, ...], depth: int) -> Element | None:
    if depth + 1 == len(steps):
        for child in el.iterchildren(steps[depth]):
            return child
        return None
    for child in el.iterchildren(steps[depth]):
        found = _first(child, steps, depth + 1)
        if found is not None:
            return found
    return None


def _first_kid(
    kids: Callable[[Element], Kids], el: Element, steps: tuple[str, ...], depth: int
) -> Element | None:
    found = kids(el).get(steps[depth])
    if not found:
        return None
    if depth + 1 == len(steps):
        return found[0]
    for child in found:
        first = _first_kid(kids, child, steps, depth + 1)
        if first is not None:
            return first
    return None


def find(el: Element, path: str) -> Element | None:
    """The first element at ``path`` under ``el`` in document order, or None."""
    kids = _state.kids
    if "/" not in path:
        if kids is not None:
            found = kids(el).get(path)
            return found[0] if found else None
        for child in el.iterchildren(path):
            return child
        return None
    if kids is not None:
        return _first_kid(kids, el, _steps(path), 0)
    return _first(el, _steps(path), 0)


def findall(el: Element, path: str) -> list[Element]:
    """Every element at ``path`` under ``el`` (a new list)."""
    return list(iterfind(el, path))


def string(el: Element | None) -> str:
    """``string(.)``: the text of an element and its descendants; empty for no element."""
    if el is None:
        return ""
    if len(el):
        return "".join(str(part) for part in el.itertext())
    return el.text or ""


def norm(value: str) -> str:
    """``normalize-space()``: XML whitespace trimmed and runs collapsed to one space."""
    value = value.strip(XML_WS)
    if "  " in value or "\t" in value or "\n" in value or "\r" in value:
        value = _WS_RUN.sub(" ", value)
    return value


def text(parent: Element | None, path: str) -> str:
    """String value of the first element at ``path`` (Clark notation) under ``parent``."""
    if parent is None:
        return ""
    return string(find(parent, path))


def ntext(parent: Element | None, path: str) -> str:
    """``normalize-space(path)`` for the first element at ``path``."""
    return norm(text(parent, path))


def texts(parent: Element | None, path: str) -> list[str]:
    """String values of every element at ``path``: the operand of a general comparison."""
    if parent is None:
        return []
    return [string(el) for el in iterfind(parent, path)]


def decimal(value: str) -> Decimal | None:
    """``xs:decimal(value)``, or None where the cast would be a dynamic error."""
    value = value.strip(XML_WS)
    if not _DECIMAL.fullmatch(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def number(value: str) -> float:
    """XPath ``number()``: a double, NaN when the string is not a number."""
    value = value.strip(XML_WS)
    if _DOUBLE.fullmatch(value):
        return float(value)
    if value in ("INF", "+INF"):
        return math.inf
    if value == "-INF":
        return -math.inf
    return math.nan


def is_number(value: str) -> bool:
    """``string(number(value)) != 'NaN'``."""
    return not math.isnan(number(value))


def castable_integer(value: str) -> bool:
    """``value castable as xs:integer``."""
    return _INTEGER.fullmatch(value.strip(XML_WS)) is not None


def to_date(value: str) -> date | None:
    """``xs:date(value)``, ignoring a timezone; None where the cast would fail."""
    match = _DATE.fullmatch(value.strip(XML_WS))
    if match is None:
        return None
    year, month, day = (int(g) for g in match.group(1, 2, 3))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def xpath_round(value: Decimal) -> Decimal:
    """XPath ``round()``: half rounds towards positive infinity."""
    return (value + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)


def slack(expected: Decimal, value: Decimal, tolerance: Decimal) -> bool:
    """``u:slack``: ``value`` lies within ``tolerance`` of ``expected``."""
    return expected + tolerance >= value and expected - tolerance <= value
