"""The small XPath toolkit the OIOUBL rules are written in.

The official rules are Schematron asserts evaluated by XSLT 2.0. Each rule here is the same
test written in Python over the lxml tree with these helpers, which keep the XPath meaning:
a path yields a node list (elements, or strings for attributes), comparisons of a node list
with a value are existential ("some node equals"), ``string()`` of a node list is the string
value of its first node, and numbers follow ``number()`` (``nan`` when not a number).

Paths are written as in the rules (``"cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"``)
and compiled once into steps on first use.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from lxml import etree

from faelles.einvoice.findings import Finding, Flag
from faelles.einvoice.xml import CAC, CBC, CREDIT_NOTE_NS, EXT, INVOICE_NS, location

if TYPE_CHECKING:
    from collections.abc import Iterable

El = etree._Element
Item = El | str
Nodes = list[Item]

_NS = {"cac": CAC, "cbc": CBC, "ext": EXT}


class Names:
    """Element names of one namespace as attributes: ``cbc.ID`` is ``"{...CommonBasic...}ID"``."""

    def __init__(self, namespace: str) -> None:
        self._namespace = namespace

    def __getattr__(self, local: str) -> str:
        name = f"{{{self._namespace}}}{local}"
        setattr(self, local, name)
        return name


cac = Names(CAC)
cbc = Names(CBC)
ext = Names(EXT)


def clark(name: str) -> str:
    """``"cbc:ID"`` as the element's tag, ``"{...CommonBasic...}ID"``."""
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_DOC_NS = (INVOICE_NS, CREDIT_NOTE_NS)

_CHILD, _PARENT, _ATTR, _SIBLINGS, _ANY, _TEXT = range(6)
Step = tuple[int, str]
_STEPS: dict[str, tuple[Step, ...]] = {}


class CodeList:
    """A code list, written as in the rules (``"DKK,EUR"``), held as a frozenset."""

    __slots__ = ("codes", "text")

    def __init__(self, codes: str) -> None:
        self.codes = frozenset(codes.split(","))
        self.text = f",{codes},"


Value = Nodes | str | float | bool | CodeList


def listed(codes: CodeList, value: str) -> bool:
    """``contains($List, concat(',', value, ','))``: a value with a comma may span codes."""
    if "," in value:
        return f",{value}," in codes.text
    return value in codes.codes


class Doc:
    """One document being checked: its root element and the findings so far."""

    __slots__ = ("findings", "root")

    def __init__(self, root: El) -> None:
        self.root = root
        self.findings: list[Finding] = []

    def fail(self, e: El, rule: str, message: str) -> None:
        flag: Flag = "warning" if rule.startswith("W-") else "fatal"
        self.findings.append(Finding(rule, flag, location(e), message))


Check = Callable[[El, Doc], None]
Table = Sequence[tuple[str, str, tuple[Check, ...]]]


def _compile(path: str) -> tuple[Step, ...]:
    steps: list[Step] = []
    for part in path.split("/"):
        if part == "..":
            steps.append((_PARENT, ""))
        elif part.startswith("@"):
            steps.append((_ATTR, part[1:]))
        elif part == "following-sibling::*":
            steps.append((_SIBLINGS, ""))
        elif part == "*":
            steps.append((_ANY, ""))
        elif part == "text()":
            steps.append((_TEXT, ""))
        else:
            steps.append((_CHILD, clark(part)))
    compiled = tuple(steps)
    _STEPS[path] = compiled
    return compiled


def _step(items: Iterable[Item], kind: int, arg: str) -> Nodes:
    out: Nodes = []
    if kind == _CHILD:
        for it in items:
            if not isinstance(it, str):
                index = _KIDS.get(it)
                if index is None:
                    index = kids(it)
                found = index[arg]
                if found:
                    out.extend(found)
        return out
    for it in items:
        if isinstance(it, str):
            continue
        if kind == _ATTR:
            value = it.get(arg)
            if value is not None:
                out.append(value)
        elif kind == _PARENT:
            parent = it.getparent()
            if parent is not None and parent not in out:
                out.append(parent)
        elif kind == _SIBLINGS:
            out.extend(s for s in it.itersiblings() if isinstance(s.tag, str))
        elif kind == _ANY:
            out.extend(c for c in it if isinstance(c.tag, str))
        elif it.text:
            out.append(it.text)
    return out


class Kids(defaultdict[str, list[Item]]):
    """The children of an element by tag (``cbc.ID``); a missing tag gives ``[]``.

    The lists are shared: callers never change them. Made as ``Kids(list)`` (no ``__init__``
    of its own, which would cost a Python call per indexed element).
    """

    __slots__ = ()


_KIDS: dict[El, Kids] = {}
_NONE: list[Item] = []


def kids(e: El) -> Kids:
    """The children of ``e`` by name, built once per element while a document is checked."""
    index = _KIDS.get(e)
    if index is None:
        index = Kids(list)
        for c in e:
            index[c.tag].append(c)
        _KIDS[e] = index
    return index


_LATER: dict[tuple[El, str], tuple[dict[El, int], dict[str, int]]] = {}


def forget() -> None:
    """Drop the children index (at the end of each document)."""
    _KIDS.clear()
    _LATER.clear()


def repeated_later(e: El, name: str) -> bool:
    """``gc("=", p(e, name), p(e, "following-sibling::*/" + name))`` for a child name.

    Some ``name`` child of ``e`` has the string value of a ``name`` child of a later sibling.
    One pass over the siblings per parent and name (the position of each sibling, and the last
    position of each value), so checking every line of a document is linear, not quadratic.
    """
    own = kids(e)[name]
    if not own:
        return False
    parent = e.getparent()
    if parent is None:
        return False
    key = (parent, name)
    found = _LATER.get(key)
    if found is None:
        position: dict[El, int] = {}
        last: dict[str, int] = {}
        for i, s in enumerate(parent):
            if isinstance(s.tag, str):
                position[s] = i
                for x in kids(s)[name]:
                    last[sv(x)] = i
        found = _LATER[key] = (position, last)
    position, last = found
    here = position[e]
    return any(last.get(sv(x), -1) > here for x in own)


def p(e: Item, path: str) -> Nodes:
    """The nodes ``path`` selects from ``e``. The result must not be changed."""
    if isinstance(e, str):
        return []
    plan = _PLANS.get(path) or _plan(path)
    kind, arg, rest = plan
    if kind == _CHILD:
        index = _KIDS.get(e)
        if index is None:
            index = kids(e)
        items: Nodes = index[arg]
    elif kind == _ATTR:
        value = e.get(arg)
        items = [] if value is None else [value]
    else:
        items = _step((e,), kind, arg)
    for kind, arg in rest:
        if not items:
            break
        if kind == _CHILD and len(items) == 1:
            only = items[0]
            if not isinstance(only, str):
                index = _KIDS.get(only)
                if index is None:
                    index = kids(only)
                items = index[arg]
                continue
        items = _step(items, kind, arg)
    return items


_PLANS: dict[str, tuple[int, str, tuple[Step, ...]]] = {}


def _plan(path: str) -> tuple[int, str, tuple[Step, ...]]:
    """``path`` compiled, as its first step and the steps after it."""
    steps = _STEPS.get(path) or _compile(path)
    plan = _PLANS[path] = (steps[0][0], steps[0][1], steps[1:])
    return plan


def pm(items: Nodes, path: str) -> Nodes:
    """The nodes ``path`` selects from each of ``items``, in order."""
    out: Nodes = []
    for it in items:
        if not isinstance(it, str):
            out.extend(p(it, path))
    return out


def pd(d: Doc, path: str) -> Nodes:
    """``//path``: every element of the document with that name."""
    return list(d.root.iter(clark(path)))


def rootis(d: Doc, name: str) -> Nodes:
    """``/doc:Invoice`` or ``/doc:CreditNote``: the root element when it has that name."""
    local = name.split(":")[1]
    qname = etree.QName(d.root)
    return [d.root] if qname.localname == local and qname.namespace in _DOC_NS else []


def sv(it: Item) -> str:
    """The string value of a node."""
    if isinstance(it, str):
        return it
    if not len(it):
        return it.text or ""
    return "".join(t for t in it.itertext() if isinstance(t, str))


def fs(nodes: Nodes) -> str:
    """``string(nodes)``: the string value of the first node, or ``''``."""
    if not nodes:
        return ""
    first = nodes[0]
    if isinstance(first, str):
        return first
    if not len(first):
        return first.text or ""
    return sv(first)


def eq(nodes: Nodes, value: str) -> bool:
    """``nodes = 'value'``: some node has that string value."""
    for n in nodes:
        if isinstance(n, str):
            if n == value:
                return True
        elif (n.text or "" if not len(n) else sv(n)) == value:
            return True
    return False


def ne(nodes: Nodes, value: str) -> bool:
    """``nodes != 'value'``: some node has another string value."""
    for n in nodes:  # noqa: SIM110
        if (n if isinstance(n, str) else sv(n)) != value:
            return True
    return False


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_XML_SPACE = " \t\r\n"
_SPACES = re.compile(r"[ \t\r\n]+")


def num(s: str) -> float:
    """``number(s)``: the value, or ``nan`` when ``s`` is not a number."""
    s = s.strip(_XML_SPACE)
    if _NUMBER.fullmatch(s):
        return float(s)
    return math.nan


def nb(x: float) -> bool:
    """``boolean(number)``."""
    return x != 0 and not math.isnan(x)


def _atoms(v: Value) -> list[str | float | bool]:
    if isinstance(v, list):
        return [sv(n) for n in v]
    if isinstance(v, CodeList):
        return [v.text]
    return [v]


def _cmp(op: str, a: str | float | bool, b: str | float | bool, a_untyped: bool) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        x = a if isinstance(a, bool) else str(a).strip(_XML_SPACE) in ("true", "1")
        y = b if isinstance(b, bool) else str(b).strip(_XML_SPACE) in ("true", "1")
        return x == y if op == "=" else x != y
    if isinstance(a, float) or isinstance(b, float) or isinstance(a, int) or isinstance(b, int):
        fa = a if not isinstance(a, str) else num(a)
        fb = b if not isinstance(b, str) else num(b)
        return _compare(op, fa, fb)
    return _compare(op, a, b)


def _compare(op: str, a: str | float, b: str | float) -> bool:
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]


def gc(op: str, a: Value, b: Value) -> bool:
    """A general comparison (XPath 2.0): true when some pair of atoms compares true.

    Node values compare as strings with strings and as numbers with numbers.
    """
    if (isinstance(a, list) and not a) or (isinstance(b, list) and not b):
        return False  # no pair of atoms
    if op == "=" and isinstance(a, list) and isinstance(b, list):
        # string values compared as strings: some value in both
        return not {sv(x) for x in a}.isdisjoint([sv(y) for y in b])
    atoms_b = _atoms(b)
    return any(_cmp(op, x, y, True) for x in _atoms(a) for y in atoms_b)


def nstr(x: float) -> str:
    """A number as XPath 2.0 writes an ``xs:double``: plain from 1e-6 to 1e6, else ``1.0E7``."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    value = Decimal(repr(x))
    if 1e-6 <= abs(x) < 1e6:
        return dstr(value)
    sign, digits, exponent = value.normalize().as_tuple()
    text = "".join(map(str, digits))
    mantissa = f"{text[0]}.{text[1:] or '0'}"
    power = len(text) - 1 + int(exponent)
    return f"{'-' if sign else ''}{mantissa}E{power}"


def vo(v: Value) -> str:
    """``<value-of select=...>``: a node list is its values joined by spaces."""
    if isinstance(v, list):
        return " ".join(sv(n) for n in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, CodeList):
        return v.text
    if isinstance(v, float | int):
        return nstr(float(v))
    return v


def norm(s: str) -> str:
    """``normalize-space(s)``."""
    return _SPACES.sub(" ", s).strip(_XML_SPACE)


def after(s: str, sep: str) -> str:
    """``substring-after(s, sep)``."""
    i = s.find(sep)
    return s[i + len(sep) :] if i >= 0 else ""


def substr(s: str, start: float, length: float) -> str:
    """``substring(s, start, length)`` with 1-based, rounded positions."""
    if math.isnan(start) or math.isnan(length):
        return ""
    first = xround(start)
    end = first + xround(length)
    return "".join(c for i, c in enumerate(s, 1) if first <= i < end)


def xsum(nodes: Nodes) -> float:
    """``sum(nodes)``."""
    return sum((num(sv(n)) for n in nodes), 0.0)


def xround(x: float) -> float:
    """``round(x)``: half up."""
    if math.isnan(x) or math.isinf(x):
        return x
    return float(math.floor(x + 0.5))


def div(a: float, b: float) -> float:
    """``a div b``."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def lname(e: El) -> str:
    """``local-name()``."""
    return etree.QName(e).localname


def lname_ns(nodes: Nodes) -> str:
    """``local-name(nodes)``."""
    return lname(nodes[0]) if nodes and not isinstance(nodes[0], str) else ""


def nsuri_ns(nodes: Nodes) -> str:
    """``namespace-uri(nodes)``."""
    if nodes and not isinstance(nodes[0], str):
        return etree.QName(nodes[0]).namespace or ""
    return ""


def qn(e: El) -> str:
    """``name()``: the element name as written, with its prefix."""
    local = etree.QName(e).localname
    return f"{e.prefix}:{local}" if e.prefix else local


def qname_ns(nodes: Nodes) -> str:
    """``name(nodes)``."""
    return qn(nodes[0]) if nodes and not isinstance(nodes[0], str) else ""


def translate(s: str, source: str, target: str) -> str:
    """``translate(s, source, target)``."""
    table: dict[int, int | None] = {}
    for i, c in enumerate(source):
        if ord(c) not in table:
            table[ord(c)] = ord(target[i]) if i < len(target) else None
    return s.translate(table)


def fmt(x: float, picture: str) -> str:
    """``format-number(x, picture)`` for the pictures the rules use (``#0.00``, ``##.00``).

    Rounds half to even on the decimal form of the number, as XSLT 2.0 does.
    """
    if math.isnan(x):
        return "NaN"
    decimals = len(picture.split(".")[1]) if "." in picture else 0
    try:
        value = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
    except InvalidOperation:
        return "Infinity" if x > 0 else "-Infinity"
    sign = "-" if value.is_signed() else ""
    text = f"{abs(value):f}"
    whole, _, frac = text.partition(".")
    min_whole = picture.split(".")[0].count("0")
    if whole == "0" and min_whole == 0:
        whole = ""
    return f"{sign}{whole}.{frac}" if decimals else f"{sign}{whole}"


def matches(s: str, pattern: str) -> bool:
    """``matches(s, pattern)``."""
    return re.search(pattern, s) is not None


def nsuri(e: El) -> str:
    """``namespace-uri()``."""
    return etree.QName(e).namespace or ""


def dec(s: str) -> Decimal | None:
    """``xs:decimal(s)``, or ``None`` when ``s`` is not a decimal."""
    s = s.strip(_XML_SPACE)
    if not _DECIMAL.fullmatch(s):
        return None
    return Decimal(s)


_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def dsum(nodes: Nodes) -> Decimal | None:
    """``sum(nodes/xs:decimal(.))``, or ``None`` when a value is not a decimal."""
    total = Decimal(0)
    for n in nodes:
        value = dec(sv(n))
        if value is None:
            return None
        total += value
    return total


def dround(x: Decimal) -> Decimal:
    """``round(x)`` on a decimal: half up."""
    return (x + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR")


def dstr(x: Decimal) -> str:
    """The canonical string of an ``xs:decimal``: no exponent, no trailing zeros."""
    text = f"{x:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


Exclusion = tuple[str, str, str, str]


def exclusions(*entries: tuple[str, str, str]) -> tuple[Exclusion, ...]:
    """A table of ``count(path) = 0`` asserts: (path, rule, message) each."""
    return tuple(
        (clark(path.partition("/")[0]), path.partition("/")[2], rule, message)
        for path, rule, message in entries
    )


def excluded(e: El, d: Doc, table: tuple[Exclusion, ...]) -> None:
    """Run a table of ``count(path) = 0`` asserts on ``e``."""
    index = _KIDS.get(e) or kids(e)
    for first, rest, rule, message in table:
        found = index[first]
        if found and (not rest or pm(found, rest)):
            d.fail(e, rule, message)
