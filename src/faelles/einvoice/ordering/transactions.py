"""The twelve Peppol BIS post-award transactions: root element, specification id, rule set.

A transaction is told by its UBL root element and the start of its CustomizationID, as the
official validators choose the validation artefact: three share the OrderResponse root
(T76 Order Response, T110 Order Agreement, T116 Order Response Advanced), two the Catalogue
root (T19 Catalogue, T77 Punch Out) and three the ApplicationResponse root (T58 Catalogue
Response, T71 Message Level Response, T111 Invoice Response). A document whose
CustomizationID names no transaction of its root is checked as the root's first transaction
(the one that rule set's CustomizationID rule then reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from faelles.einvoice.xml import CBC

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
ORDER_NS = f"{UBL}Order-2"
ORDER_RESPONSE_NS = f"{UBL}OrderResponse-2"
ORDER_CHANGE_NS = f"{UBL}OrderChange-2"
ORDER_CANCELLATION_NS = f"{UBL}OrderCancellation-2"
CATALOGUE_NS = f"{UBL}Catalogue-2"
DESPATCH_ADVICE_NS = f"{UBL}DespatchAdvice-2"
APPLICATION_RESPONSE_NS = f"{UBL}ApplicationResponse-2"

RootName = Literal[
    "Order",
    "OrderResponse",
    "OrderChange",
    "OrderCancellation",
    "Catalogue",
    "DespatchAdvice",
    "ApplicationResponse",
]
ROOT_NAMESPACES: dict[RootName, str] = {
    "Order": ORDER_NS,
    "OrderResponse": ORDER_RESPONSE_NS,
    "OrderChange": ORDER_CHANGE_NS,
    "OrderCancellation": ORDER_CANCELLATION_NS,
    "Catalogue": CATALOGUE_NS,
    "DespatchAdvice": DESPATCH_ADVICE_NS,
    "ApplicationResponse": APPLICATION_RESPONSE_NS,
}
ROOTS: dict[str, RootName] = {f"{{{ns}}}{name}": name for name, ns in ROOT_NAMESPACES.items()}
"""The Clark-notation root tags of the post-award documents, with their UBL document name."""

TransactionName = Literal[
    "Order",
    "OrderResponse",
    "OrderAgreement",
    "OrderChange",
    "OrderCancellation",
    "OrderResponseAdvanced",
    "Catalogue",
    "CatalogueResponse",
    "DespatchAdvice",
    "InvoiceResponse",
    "MessageLevelResponse",
    "PunchOut",
]

_TRNS = "urn:fdc:peppol.eu:poacc:trns:"
_BIS = "urn:fdc:peppol.eu:poacc:bis:"


@dataclass(frozen=True, slots=True)
class Transaction:
    """One Peppol BIS post-award transaction."""

    code: str  # "T01"
    name: TransactionName
    root: RootName
    customization_id: str  # the specification identifier the CustomizationID starts with
    profile_id: str  # the usual business process (ProfileID) our writers use

    @property
    def rule_set(self) -> str:
        """The name of the rule set (``peppol-t01`` ...) of :mod:`...ordering.rules`."""
        return f"peppol-{self.code.lower()}"


TRANSACTIONS: tuple[Transaction, ...] = (
    Transaction("T01", "Order", "Order", f"{_TRNS}order:3", f"{_BIS}ordering:3"),
    Transaction(
        "T76", "OrderResponse", "OrderResponse", f"{_TRNS}order_response:3", f"{_BIS}ordering:3"
    ),
    Transaction(
        "T110",
        "OrderAgreement",
        "OrderResponse",
        f"{_TRNS}order_agreement:3",
        f"{_BIS}order_agreement:3",
    ),
    Transaction(
        "T116",
        "OrderResponseAdvanced",
        "OrderResponse",
        f"{_TRNS}order_response_advanced:3",
        f"{_BIS}advanced_ordering:3",
    ),
    Transaction(
        "T114", "OrderChange", "OrderChange", f"{_TRNS}order_change:3", f"{_BIS}advanced_ordering:3"
    ),
    Transaction(
        "T115",
        "OrderCancellation",
        "OrderCancellation",
        f"{_TRNS}order_cancellation:3",
        f"{_BIS}advanced_ordering:3",
    ),
    Transaction("T19", "Catalogue", "Catalogue", f"{_TRNS}catalogue:3", f"{_BIS}catalogue_only:3"),
    Transaction("T77", "PunchOut", "Catalogue", f"{_TRNS}punch_out:3", f"{_BIS}punch_out:3"),
    Transaction(
        "T58",
        "CatalogueResponse",
        "ApplicationResponse",
        f"{_TRNS}catalogue_response:3",
        f"{_BIS}catalogue_only:3",
    ),
    Transaction(
        "T71", "MessageLevelResponse", "ApplicationResponse", f"{_TRNS}mlr:3", f"{_BIS}mlr:3"
    ),
    Transaction(
        "T111",
        "InvoiceResponse",
        "ApplicationResponse",
        f"{_TRNS}invoice_response:3",
        f"{_BIS}invoice_response:3",
    ),
    Transaction(
        "T16",
        "DespatchAdvice",
        "DespatchAdvice",
        f"{_TRNS}despatch_advice:3",
        f"{_BIS}despatch_advice:3",
    ),
)
BY_CODE: dict[str, Transaction] = {t.code: t for t in TRANSACTIONS}
BY_NAME: dict[TransactionName, Transaction] = {t.name: t for t in TRANSACTIONS}


def _text(root: etree._Element, name: str) -> str:
    for el in root.iterchildren(f"{{{CBC}}}{name}"):
        return (el.text or "").strip()
    return ""


@dataclass(frozen=True, slots=True)
class OrderingProfile:
    """What a post-award document says it is, in the shape of :class:`...profiles.Profile`.

    ``syntax`` is always ``"peppol"`` and ``document`` the transaction's name (``"Order"``,
    ``"CatalogueResponse"`` ...), which is what ``faelles einvoice validate`` prints.
    """

    transaction: Transaction
    customization_id: str
    profile_id: str

    @property
    def syntax(self) -> Literal["peppol"]:
        return "peppol"

    @property
    def document(self) -> TransactionName:
        return self.transaction.name

    @property
    def rule_sets(self) -> tuple[str, ...]:
        return (self.transaction.rule_set,)


def is_ordering_root(root: etree._Element) -> bool:
    """Whether ``root`` is the root element of a post-award document."""
    return root.tag in ROOTS


def transaction_for(root_name: RootName, customization_id: str) -> Transaction:
    """The transaction of a document with this root whose CustomizationID is as given."""
    candidates = [t for t in TRANSACTIONS if t.root == root_name]
    for transaction in candidates:
        if customization_id.startswith(transaction.customization_id):
            return transaction
    return candidates[0]


def detect(root: etree._Element) -> OrderingProfile:
    """The transaction a parsed post-award document is, from its root and CustomizationID."""
    root_name = ROOTS.get(root.tag)
    if root_name is None:
        raise ValueError(f"{root.tag!r} is not the root of a Peppol post-award document")
    customization = _text(root, "CustomizationID")
    return OrderingProfile(
        transaction_for(root_name, customization), customization, _text(root, "ProfileID")
    )
