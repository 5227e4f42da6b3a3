"""The Peppol rules against the published schematron itself, evaluated by an XPath 2 engine.

The vefa cases name only the rule under test. This test runs *every* assert of
``peppol-ubl.sch`` the way a schematron processor does (patterns in order, first matching
rule per element, variables, rule ``let``s) with ``elementpath`` on the same documents, and
requires exactly the same failed asserts at the same locations from our rules. The ``u:``
check-digit functions are XSLT functions, which elementpath cannot run; they are bound to our
implementations (tested on their own in ``test_peppol_rules.py``).

The documents: the published examples and the vefa cases, each also with the supplier and
customer moved to the countries that have national rules, so those rules are exercised too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from faelles.einvoice.rules.peppol import RULE_SET, identifiers
from faelles.einvoice.tests.conftest import EINVOICE_DATA, require_shared
from faelles.einvoice.tests.vefa import read_cases
from faelles.einvoice.xml import ReadError, location, parse

elementpath = pytest.importorskip("elementpath")

SCHEMATRON = "{http://purl.oclc.org/dsdl/schematron}"
NAMESPACES = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ubl-creditnote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "ubl-invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "u": "utils",
}
COUNTRIES = ("DK", "DE", "NL", "IS", "GR", "SE", "IT", "NO")


def _string(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(getattr(value, "string_value", value))


def _parser() -> Any:
    parser = elementpath.XPath2Parser(namespaces=NAMESPACES)
    checks: dict[str, Callable[[str], bool]] = {
        "gln": identifiers.gln,
        "mod11": identifiers.mod11,
        "mod97-0208": identifiers.mod97_0208,
        "checkCodiceIPA": identifiers.codice_ipa,
        "checkCF": identifiers.codice_fiscale,
        "checkPIVAseIT": identifiers.partita_iva,
        "abn": identifiers.abn,
        "TinVerification": identifiers.greek_tin,
        "checkSEOrgnr": identifiers.swedish_org_number,
    }

    def bind(check: Callable[[str], bool]) -> Callable[[Any], bool]:
        return lambda value: check(_string(value))

    for name, check in checks.items():
        parser.external_function(
            bind(check),
            name=name,
            prefix="u",
            sequence_types=("item()*", "xs:boolean"),
        )

    def slack(expected: Any, value: Any, tolerance: Any) -> bool:
        e, v, t = (Decimal(_string(x)) for x in (expected, value, tolerance))
        return e + t >= v and e - t <= v

    parser.external_function(
        slack,
        name="slack",
        prefix="u",
        sequence_types=("item()*", "item()*", "item()*", "xs:boolean"),
    )
    return parser


def _split_union(expression: str) -> list[str]:
    parts, depth, current, quote = [], 0, "", ""
    for char in expression:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    return [*parts, current.strip()]


def _selector(context: str) -> str:
    """An XSLT match pattern as an expression selecting the nodes it matches."""
    parts = _split_union(" ".join(context.split()))
    return " | ".join(p if p.startswith(("/", "(")) else f"//{p}" for p in parts)


Lets = list[tuple[str, str]]
Rule = tuple[str, Lets, list[tuple[str, str]]]


class Schematron:
    """The published Peppol schematron, run the way a schematron processor runs it."""

    def __init__(self, path: Path) -> None:
        self.parser = _parser()
        self.compiled: dict[str, Any] = {}
        self.global_lets: Lets = []
        self.patterns: list[tuple[Lets, list[Rule]]] = []
        for child in etree.parse(str(path)).getroot():
            if child.tag == f"{SCHEMATRON}let":
                self.global_lets.append((child.get("name"), child.get("value")))
            elif child.tag == f"{SCHEMATRON}pattern":
                lets = [(x.get("name"), x.get("value")) for x in child.findall(f"{SCHEMATRON}let")]
                rules: list[Rule] = []
                for rule in child.findall(f"{SCHEMATRON}rule"):
                    rule_lets = [
                        (x.get("name"), x.get("value")) for x in rule.findall(f"{SCHEMATRON}let")
                    ]
                    asserts = [
                        (a.get("id"), a.get("test")) for a in rule.findall(f"{SCHEMATRON}assert")
                    ]
                    rules.append((_selector(rule.get("context")), rule_lets, asserts))
                self.patterns.append((lets, rules))

    def _evaluate(self, expression: str, tree: Any, item: Any, variables: dict[str, Any]) -> Any:
        token = self.compiled.get(expression)
        if token is None:
            token = self.compiled[expression] = self.parser.parse(expression)
        context = elementpath.XPathContext(tree, item=item, variables=variables)
        return token.evaluate(context)

    def _boolean(self, expression: str, tree: Any, item: Any, variables: dict[str, Any]) -> bool:
        value = self._evaluate(expression, tree, item, variables)
        return bool(self.compiled[expression].boolean_value(value))

    def failed(self, root: etree._Element) -> tuple[Counter[tuple[str, str]], set[str]] | None:
        """Failed asserts as (rule, location), and the rules whose evaluation raised.

        None when a document variable cannot be computed: the official stylesheet stops on
        such a document with a dynamic error instead of reporting asserts.
        """
        tree = etree.ElementTree(root)
        variables: dict[str, Any] = {}
        for name, value in self.global_lets:
            try:
                variables[name] = self._evaluate(value, tree, None, variables)
            except elementpath.ElementPathError:
                return None
        order = {el: i for i, el in enumerate(root.iter())}
        failed: Counter[tuple[str, str]] = Counter()
        erred: set[str] = set()
        for pattern_lets, rules in self.patterns:
            scope = dict(variables)
            for name, value in pattern_lets:
                scope[name] = self._evaluate(value, tree, None, scope)
            first_rule: dict[etree._Element, int] = {}
            for number, (selector, _, _) in enumerate(rules):
                nodes = self._evaluate(selector, tree, None, scope)
                for node in nodes if isinstance(nodes, list) else [nodes]:
                    el = getattr(node, "elem", node)
                    if isinstance(el, etree._Element):
                        first_rule.setdefault(el, number)
            for el, number in sorted(first_rule.items(), key=lambda kv: order[kv[0]]):
                _, rule_lets, asserts = rules[number]
                local = dict(scope)
                try:
                    for name, value in rule_lets:
                        local[name] = self._evaluate(value, tree, el, local)
                except elementpath.ElementPathError:
                    erred.update(rule_id for rule_id, _ in asserts)
                    continue
                for rule_id, test in asserts:
                    try:
                        if not self._boolean(test, tree, el, local):
                            failed[(rule_id, location(el))] += 1
                    except elementpath.ElementPathError:
                        erred.add(rule_id)
        return failed, erred


def _with_countries(document: bytes) -> Iterator[bytes]:
    """The document, and copies with the supplier (postal address and VAT prefix) and the
    customer moved to each country with national rules."""
    yield document
    for country in COUNTRIES:
        moved = re.sub(
            rb"(<cac:AccountingSupplierParty>.*?<cbc:IdentificationCode[^>]*>)[^<]*",
            lambda m, c=country: m.group(1) + c.encode(),
            document,
            count=1,
            flags=re.S,
        )
        moved = re.sub(
            rb"(<cac:AccountingCustomerParty>.*?<cbc:IdentificationCode[^>]*>)[^<]*",
            lambda m, c=country: m.group(1) + c.encode(),
            moved,
            count=1,
            flags=re.S,
        )
        yield moved
        prefix = b"EL" if country == "GR" else country.encode()
        yield re.sub(
            rb"(<cac:AccountingSupplierParty>.*?<cac:PartyTaxScheme>\s*<cbc:CompanyID[^>]*>)..",
            lambda m, p=prefix: m.group(1) + p,
            moved,
            count=1,
            flags=re.S,
        )


def _documents() -> Iterator[tuple[str, bytes]]:
    """The Peppol examples and vefa cases; the examples and every 25th case with country
    variants (the XPath engine needs some 30 ms a document, so not all of them)."""
    for path in sorted((EINVOICE_DATA / "examples" / "peppol").glob("*.xml")):
        for number, document in enumerate(_with_countries(path.read_bytes())):
            yield f"examples/{path.name} variant {number}", document
    unit = EINVOICE_DATA / "unit" / "peppol"
    cases = [case for path in sorted(unit.rglob("*.xml")) for case in read_cases(path)]
    for index, case in enumerate(cases):
        variants = _with_countries(case.document) if index % 25 == 0 else iter([case.document])
        for number, document in enumerate(variants):
            yield f"{case.id} variant {number}", document


@pytest.mark.slow
def test_every_assert_agrees_with_the_published_schematron() -> None:
    data = require_shared()
    schematron = Schematron(data / "rules" / "peppol-ubl.sch")
    checked = 0
    disagreements: list[str] = []
    fired: Counter[str] = Counter()
    for name, document in _documents():
        try:
            root = parse(document)
        except ReadError:
            continue
        reference = schematron.failed(root)
        if reference is None:
            continue
        expected, erred = reference
        ours = Counter((f.rule, f.location) for f in RULE_SET.check(root) if f.rule not in erred)
        expected = Counter({k: v for k, v in expected.items() if k[0] not in erred})
        fired.update(rule for rule, _ in expected.elements())
        checked += 1
        if ours != expected:
            disagreements.append(
                f"{name}: missing {dict(expected - ours)}, extra {dict(ours - expected)}"
            )
    assert disagreements == []
    assert checked >= 700
    # The variants exercise the national rules, not only the Peppol ones.
    assert {rule[:4] for rule in fired} >= {
        "DK-R",
        "DE-R",
        "NL-R",
        "IS-R",
        "GR-R",
        "SE-R",
        "IT-R",
        "NO-R",
    }
