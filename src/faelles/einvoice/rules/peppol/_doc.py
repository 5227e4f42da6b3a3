"""The per-document index the Peppol rules run on.

The document's shared tree (``rules.tree``) gives every element a rule context can match
anywhere in the document (amounts, dates, identifiers, allowances ...) by tag; the empty
leaves are collected from it once, and the document-level variables of the schematron
(``$profile``, ``$supplierCountry`` ...) are computed once. The rules then visit only the
elements they are about instead of evaluating XPath per rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.peppol._xpath import (
    XML_WS,
    Element,
    cac,
    find,
    iterfind,
    norm,
    string,
)
from faelles.einvoice.rules.peppol.messages import RULES
from faelles.einvoice.rules.tree import Tree, tree_of
from faelles.einvoice.xml import INVOICE_NS, location

AMOUNT_NAMES = (
    "Amount",
    "BaseAmount",
    "PriceAmount",
    "TaxAmount",
    "TaxableAmount",
    "LineExtensionAmount",
    "TaxExclusiveAmount",
    "TaxInclusiveAmount",
    "AllowanceTotalAmount",
    "ChargeTotalAmount",
    "PrepaidAmount",
    "PayableRoundingAmount",
    "PayableAmount",
)
DATE_NAMES = ("IssueDate", "DueDate", "TaxPointDate", "StartDate", "EndDate", "ActualDeliveryDate")
AMOUNTS = tuple(cac(f"cbc:{name}") for name in AMOUNT_NAMES)
DATES = tuple(cac(f"cbc:{name}") for name in DATE_NAMES)

_SUPPLIER_PARTY = cac("cac:AccountingSupplierParty/cac:Party")
_CUSTOMER_PARTY = cac("cac:AccountingCustomerParty/cac:Party")
_COUNTRY = cac("cac:PostalAddress/cac:Country/cbc:IdentificationCode")
_SUPPLIER_COUNTRY = f"{_SUPPLIER_PARTY}/{_COUNTRY}"
_CUSTOMER_COUNTRY = f"{_CUSTOMER_PARTY}/{_COUNTRY}"
_TAX_REPRESENTATIVE = cac("cac:TaxRepresentativeParty")
_PARTY_TAX_SCHEME = cac("cac:PartyTaxScheme")
_TAX_SCHEME = cac("cac:TaxScheme")
_ID = cac("cbc:ID")
_COMPANY_ID = cac("cbc:CompanyID")
_PROFILE_ID = cac("cbc:ProfileID")

PROFILE_01 = frozenset(
    (
        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
        "urn:peppol:france:billing:regulated",
        "urn:peppol:france:billing:non-regulated",
    )
)
PROFILE_02 = "urn:peppol:bis:billing_with_response"


def vat_prefix(root: Element, party_path: str) -> str:
    """``/*/{party_path}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 1, 2)``.

    The first two characters of the VAT number of the first VAT tax scheme of the party, or
    empty. The path covers every party element, as the XPath does.
    """
    for party in iterfind(root, party_path):
        for scheme in iterfind(party, _PARTY_TAX_SCHEME):
            for tax_scheme in iterfind(scheme, _TAX_SCHEME):
                for scheme_id in iterfind(tax_scheme, _ID):
                    if string(scheme_id) == "VAT":
                        return string(find(scheme, _COMPANY_ID))[:2]
    return ""


@dataclass(eq=False)
class Doc:
    """A parsed document with its index, its variables and the findings so far."""

    root: Element
    by_tag: dict[str, list[Element]]  # the shared tree's: do not modify
    empty: list[Element]
    children: dict[str, list[Element]]  # the root's children by tag (the tree's)
    tree: Tree
    findings: list[Finding] = field(default_factory=list)
    contexts: list[Element] = field(default_factory=list)

    # Document variables of the schematron, set by ``index``.
    is_invoice: bool = True
    profile: str = "Unknown"
    supplier_country: str = "XX"
    accounting_supplier_country: str = "XX"
    supplier_postal_country: str = ""
    customer_postal_country: str = ""
    dk_supplier_country: str = ""
    dk_customer_country: str = ""

    def all(self, path: str) -> list[Element]:
        """Every element with the tag ``path`` (Clark notation) anywhere in the document."""
        return self.by_tag.get(path, [])

    def child(self, path: str) -> Element | None:
        """The first child of the root element with the tag ``path``."""
        found = self.children.get(path)
        return found[0] if found else None

    def child_all(self, path: str) -> list[Element]:
        return self.children.get(path, [])

    @property
    def amounts(self) -> list[Element]:
        """Every amount element of the currency rules (R051, CL007), grouped by name."""
        by_tag = self.by_tag
        return [el for tag in AMOUNTS for el in by_tag.get(tag, ())]

    @property
    def customer_country(self) -> str:
        """``$customerCountry``: the buyer's VAT number prefix, else its postal country.

        Only the Greek rules use it, once the supplier is Greek, so it is computed on demand.
        """
        customer_vat = vat_prefix(self.root, _CUSTOMER_PARTY)
        if customer_vat:
            return norm(customer_vat).upper()
        if find(self.root, _CUSTOMER_COUNTRY) is not None:
            return self.customer_postal_country
        return "XX"

    @property
    def both_de(self) -> bool:
        """``$supplierCountryIsDE and $customerCountryIsDE``."""
        return self.supplier_postal_country == "DE" and self.customer_postal_country == "DE"

    def fire(self, rule: str, el: Element) -> None:
        """Record a failed assert of ``rule`` with context element ``el``."""
        flag, message = RULES[rule]
        self.findings.append(Finding(rule, flag, location(el), message))
        self.contexts.append(el)

    def sort_since(self, start: int) -> None:
        """Put the findings from ``start`` on in document order, as a schematron run reports
        the asserts of one pattern (the sort is stable, so asserts of one context keep their
        order)."""
        if len(self.findings) - start < 2:
            return
        order = self.tree.order
        pairs = sorted(
            zip(self.findings[start:], self.contexts[start:], strict=True),
            key=lambda pair: order.get(pair[1], -1),
        )
        self.findings[start:] = [finding for finding, _ in pairs]
        self.contexts[start:] = [context for _, context in pairs]

    def check(self, rule: str, ok: bool, el: Element) -> None:
        if not ok:
            self.fire(rule, el)


def index(root: Element, tree: Tree | None = None) -> Doc:
    """Index ``root`` (from its shared tree) and compute the schematron's document variables."""
    tree = tree_of(root, tree)
    by_tag = tree.by_tag
    empty: list[Element] = []
    for el in tree.elements:
        if not len(el):
            value = el.text
            if value is None or not value.strip(XML_WS):
                empty.append(el)
    doc = Doc(root, by_tag, empty, tree.kids(root), tree)
    doc.is_invoice = root.tag == f"{{{INVOICE_NS}}}Invoice"

    profile = norm(string(doc.child(_PROFILE_ID)))
    if profile in PROFILE_01:
        doc.profile = "01"
    elif profile == PROFILE_02:
        doc.profile = "02"

    supplier_country = find(root, _SUPPLIER_COUNTRY)
    customer_country = find(root, _CUSTOMER_COUNTRY)
    # The DK and IS patterns compare the country code as written, without normalising it.
    doc.dk_supplier_country = string(supplier_country)
    doc.dk_customer_country = string(customer_country)
    doc.supplier_postal_country = norm(doc.dk_supplier_country).upper()
    doc.customer_postal_country = norm(doc.dk_customer_country).upper()
    supplier_vat = vat_prefix(root, _SUPPLIER_PARTY)
    if supplier_vat:
        doc.accounting_supplier_country = norm(supplier_vat).upper()
    elif supplier_country is not None:
        doc.accounting_supplier_country = doc.supplier_postal_country
    representative_vat = "" if supplier_vat else vat_prefix(root, _TAX_REPRESENTATIVE)
    if representative_vat:
        doc.supplier_country = norm(representative_vat).upper()
    else:
        doc.supplier_country = doc.accounting_supplier_country
    return doc
