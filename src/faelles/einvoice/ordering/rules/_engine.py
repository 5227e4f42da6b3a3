"""A small Schematron engine in plain Python: patterns of rules of asserts.

Each rule set of the post-award transactions is written as the published Schematron is:
patterns in order, each a list of rules with a context (a predicate on an element) and
asserts (a predicate on the context element and the pattern's variables). As a Schematron
processor does, every pattern visits the elements in document order and gives each element to
the *first* rule whose context it matches, and only to that one; a failed assert is one
finding at the element's location, with the official id, flag and message.

The XPath 2.0 semantics the asserts rely on (string values, ``normalize-space``, casts with
``xs:decimal`` and ``number()``, XPath ``round``) are the helpers below and those of
:mod:`faelles.einvoice.rules.peppol._xpath`. Where the official stylesheet would stop with a
dynamic error (``xs:decimal`` of a value that is not a decimal), the helpers raise
:class:`DynamicError` and the assert is reported as failed: the document is not valid under
the official validator either. An error while matching a rule's context is no match, as Saxon
treats it (XSLT 2.0 lets a processor recover so, with a warning).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar

from lxml import etree

from faelles.einvoice.findings import Finding, Flag
from faelles.einvoice.rules.peppol._xpath import decimal as _decimal
from faelles.einvoice.rules.peppol._xpath import norm, number, slack, string, xpath_round
from faelles.einvoice.xml import CAC, CBC, location

Element = etree._Element
V = TypeVar("V")
Test = Callable[[Element, Any], bool]
"""An assert's test: the context element and the pattern's variables."""
Context = Callable[[Element], bool]
"""A rule's context: whether it is about an element."""

__all__ = [
    "Assert",
    "DynamicError",
    "Element",
    "On",
    "Pattern",
    "Rule",
    "RuleSet",
    "children",
    "dec",
    "dec_or",
    "exists",
    "first",
    "norm",
    "number",
    "on",
    "q",
    "slack",
    "string",
    "xpath_round",
]


class DynamicError(Exception):
    """Where the official XSLT would stop with a dynamic error (e.g. a failed cast)."""


@cache
def q(name: str) -> str:
    """Clark notation of one ``cac:``/``cbc:`` name (``cbc:ID`` -> ``{...}ID``)."""
    return name.replace("cac:", f"{{{CAC}}}").replace("cbc:", f"{{{CBC}}}")


@cache
def _steps(path: str) -> tuple[str, ...]:
    return tuple(q(step) for step in path.split("/"))


def children(el: Element | None, path: str) -> list[Element]:
    """The elements at a relative child path (``cac:Party/cbc:EndpointID``), in order."""
    if el is None:
        return []
    found = [el]
    for step in _steps(path):
        found = [child for parent in found for child in parent.iterchildren(step)]
        if not found:
            break
    return found


def first(el: Element | None, path: str) -> Element | None:
    """The first element at a relative child path, or None."""
    found = children(el, path)
    return found[0] if found else None


def exists(el: Element | None, path: str) -> bool:
    """``exists(path)`` (the effective boolean value of a path)."""
    return bool(children(el, path))


def dec(el: Element | str) -> Decimal:
    """``xs:decimal(.)`` of an element or string; :class:`DynamicError` when not castable."""
    value = _decimal(el if isinstance(el, str) else string(el))
    if value is None:
        raise DynamicError("not a decimal")
    return value


def dec_or(el: Element | None, default: Decimal | None = None) -> Decimal | None:
    """``if (x) then xs:decimal(x) else default``."""
    return default if el is None else dec(el)


def number_of(el: Element | None) -> float:
    """``number(x)`` of an element (NaN for no element)."""
    return math.nan if el is None else number(string(el))


@dataclass(frozen=True, slots=True)
class Assert(Generic[V]):
    """One ``<assert>``: its official id, flag and message and its test."""

    id: str
    flag: Flag
    message: str
    test: Callable[[Element, V], bool]


@dataclass(frozen=True, slots=True)
class On:
    """A rule context about elements with one of ``tags`` (Clark notation) only, and of those
    the ones ``where`` accepts. A pattern gives such a rule only elements with those tags; a
    context that is a plain function is tried on every element."""

    tags: frozenset[str]
    where: Callable[[Element], bool] | None = None

    def __call__(self, el: Element) -> bool:
        return el.tag in self.tags and (self.where is None or self.where(el))


def on(*names: str, where: Callable[[Element], bool] | None = None) -> On:
    """The context of elements named ``names`` (``cac:``/``cbc:`` names or Clark notation)."""
    return On(frozenset(q(name) for name in names), where)


@dataclass(frozen=True, slots=True)
class Rule(Generic[V]):
    """One ``<rule>``: the elements it is about, and its asserts in order."""

    context: Callable[[Element], bool]
    asserts: tuple[Assert[V], ...]

    @property
    def tags(self) -> frozenset[str] | None:
        """The only tags the context can match (None: any)."""
        return self.context.tags if isinstance(self.context, On) else None


@dataclass(frozen=True, slots=True)
class Pattern(Generic[V]):
    """One ``<pattern>``: its variables (computed once per document) and its rules."""

    variables: Callable[[Element], V]
    rules: tuple[Rule[V], ...]

    def check(self, root: Element, elements: Sequence[Element]) -> list[Finding]:
        values = self.variables(root)
        findings: list[Finding] = []
        by_tag: dict[str, tuple[Rule[V], ...]] = {}  # the rules that may match a tag, in order
        for el in elements:
            rules = by_tag.get(el.tag)
            if rules is None:
                tag = str(el.tag)
                rules = by_tag[tag] = tuple(
                    r for r in self.rules if r.tags is None or tag in r.tags
                )
            if rules:
                self._first_match(el, rules, values, findings)
        return findings

    @staticmethod
    def _first_match(
        el: Element, rules: tuple[Rule[V], ...], values: V, findings: list[Finding]
    ) -> None:
        """Run the asserts of the first of ``rules`` whose context ``el`` matches."""
        for rule in rules:
            try:
                matched = rule.context(el)
            except DynamicError:  # XSLT 2.0: an error while matching is no match
                matched = False
            if not matched:
                continue
            for assertion in rule.asserts:
                try:
                    passed = assertion.test(el, values)
                except DynamicError:
                    passed = False
                if not passed:
                    findings.append(
                        Finding(
                            assertion.id,
                            assertion.flag,
                            location(el),
                            f"[{assertion.id}]-{assertion.message}",
                        )
                    )
            return  # only the first matching rule of a pattern fires

    @property
    def asserts(self) -> Iterable[Assert[V]]:
        for rule in self.rules:
            yield from rule.asserts


def no_variables(root: Element) -> None:
    """The variables of a pattern that has none."""
    return None


class RuleSet:
    """A rule set (``peppol-t01`` ...): its patterns, run in order on a parsed document."""

    uses_tree = False

    def __init__(self, name: str, title: str, patterns: Sequence[Pattern[Any]]) -> None:
        self.name = name
        self.title = title
        self.patterns = tuple(patterns)

    def check(self, root: Element, tree: object = None) -> list[Finding]:
        """Every failed assert of the rule set; pattern by pattern, in document order."""
        elements = list(root.iter(etree.Element))
        findings: list[Finding] = []
        for pattern in self.patterns:
            findings.extend(pattern.check(root, elements))
        return findings

    @property
    def asserts(self) -> dict[str, tuple[Flag, str]]:
        """Every assert's id with its flag and message (as the Schematron source has them)."""
        return {a.id: (a.flag, a.message) for p in self.patterns for a in p.asserts}


def asserting(rule_id: str, test: Callable[[Element, V], bool]) -> Assert[V]:
    """The assert ``rule_id`` with its official flag and message and the given test."""
    from faelles.einvoice.ordering.rules.messages import ASSERTS

    flag, message = ASSERTS[rule_id]
    return Assert(rule_id, flag, message, test)


def double(el: Element) -> float:
    """``xs:double`` of an untyped value, as a general comparison with a number casts it;
    :class:`DynamicError` when it is not castable."""
    value = string(el).strip(" \t\r\n")
    result = number(value)
    if math.isnan(result) and value != "NaN":
        raise DynamicError("not a double")
    return result


def single(el: Element | None, path: str) -> Element | None:
    """The one element at ``path``, None when there is none; :class:`DynamicError` when there
    are several (where XPath 2.0 wants a single item, as ``number()`` or ``xs:decimal()``)."""
    found = children(el, path)
    if len(found) > 1:
        raise DynamicError("more than one item")
    return found[0] if found else None


def local_name(el: Element) -> str:
    return etree.QName(el).localname


def sum_rounded(values: Iterable[Decimal]) -> Decimal:
    """``round(sum(values) * 10 * 10) div 100``."""
    return xpath_round(sum(values, Decimal(0)) * 100) / 100
