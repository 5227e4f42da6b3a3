"""Validation findings as a clerk reads them: a Danish explanation per rule (or rule family),
the official text as the detail, and each finding once with its count and locations.

The e-invoice library stays pure: its findings keep the official rule id, flag, location and
message. This module only presents them; the stored findings and the API's ``findings`` field
are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: Explanations of single rules that documents break often.
RULE_EXPLANATIONS: dict[str, str | Promise] = {
    "BR-01": _("The document does not say which specification it follows."),
    "BR-02": _("The invoice has no invoice number."),
    "BR-03": _("The invoice has no issue date."),
    "BR-04": _("The invoice has no invoice type code."),
    "BR-05": _("The invoice has no currency."),
    "BR-06": _("The seller's name is missing."),
    "BR-07": _("The buyer's name is missing."),
    "BR-08": _("The seller's postal address is missing."),
    "BR-09": _("The seller's country code is missing."),
    "BR-10": _("The buyer's postal address is missing."),
    "BR-11": _("The buyer's country code is missing."),
    "BR-12": _("The sum of the invoice lines is missing."),
    "BR-13": _("The total amount without VAT is missing."),
    "BR-14": _("The total amount with VAT is missing."),
    "BR-15": _("The amount payable is missing."),
    "BR-16": _("The invoice has no lines."),
    "BR-CL-03": _("The currency is not a valid ISO 4217 currency code."),
    "BR-CL-04": _("The invoice currency is not a valid ISO 4217 currency code."),
    "BR-CL-14": _("A country code is not a valid ISO 3166 country code."),
    "BR-CL-23": _("A unit of measure is not on the permitted code list."),
    "BR-CO-10": _("The sum of the invoice lines does not match the lines' amounts."),
    "BR-CO-13": _("The total without VAT does not add up."),
    "BR-CO-15": _("The total with VAT does not equal the total without VAT plus VAT."),
    "BR-CO-16": _("The amount payable does not add up."),
    "PEPPOL-EN16931-R001": _("The business process (profile) is missing."),
    "PEPPOL-EN16931-R008": _("The document contains empty elements."),
    "UBL-XSD": _(
        "The document does not follow the UBL 2.1 XML schema: an element is missing, "
        "misplaced or has an invalid value."
    ),
    "FAELLES-INTAKE": _("The document could not be taken in as an invoice."),
    "READ": _("The document could not be read as an invoice or credit note."),
    "REJECTED": _("The document was rejected by a person."),
}

#: Explanations of rule families, longest prefix first.
FAMILY_EXPLANATIONS: tuple[tuple[str, str | Promise], ...] = (
    (
        "PEPPOL-EN16931-CL",
        _("A code in the document is not on the code list the standard permits."),
    ),
    ("PEPPOL-", _("The document breaks a rule of Peppol BIS Billing 3.0.")),
    ("BR-DEC-", _("An amount has more decimals than allowed.")),
    ("BR-CL-", _("A code in the document is not on the code list the standard permits.")),
    ("BR-CO-", _("Amounts or fields in the document do not agree with each other.")),
    ("BR-", _("The document lacks or misstates information the European standard requires.")),
    ("DK-R-", _("The document breaks a Danish national rule for e-invoices.")),
    ("F-", _("The document breaks a rule of OIOUBL 2.1.")),
    ("W-", _("The document departs from a recommendation of OIOUBL 2.1.")),
)


def explanation(rule: str) -> str:
    """The Danish (active language) explanation of a rule id: its own, its family's, or a
    generic sentence naming the rule."""
    own = RULE_EXPLANATIONS.get(rule)
    if own is not None:
        return str(own)
    for prefix, text in FAMILY_EXPLANATIONS:
        if rule.startswith(prefix):
            return str(text)
    return gettext("The document breaks the rule %(rule)s.") % {"rule": rule}


def detail(rule: str, message: str) -> str:
    """The official text without the duplicated ``[RULE-ID]-`` prefix it starts with."""
    return re.sub(r"^\s*\[" + re.escape(rule) + r"\]\s*-?\s*", "", message).strip()


@dataclass
class FindingGroup:
    """Identical findings (same rule, flag and text) once, with how often and where."""

    rule: str
    flag: str
    explanation: str
    detail: str
    locations: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.locations)

    @property
    def is_fatal(self) -> bool:
        return self.flag == "fatal"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "flag": self.flag,
            "explanation": self.explanation,
            "detail": self.detail,
            "count": self.count,
            "locations": list(self.locations),
        }


def grouped(
    findings: Iterable[Mapping[str, Any]], *, fatal_only: bool = False
) -> list[FindingGroup]:
    """The findings grouped: fatal ones first, then in the order they first occur."""
    groups: dict[tuple[str, str, str], FindingGroup] = {}
    for f in findings:
        flag = str(f.get("flag", ""))
        if fatal_only and flag != "fatal":
            continue
        rule = str(f.get("rule", ""))
        text = detail(rule, str(f.get("message", "")))
        key = (rule, flag, text)
        group = groups.get(key)
        if group is None:
            group = groups[key] = FindingGroup(rule, flag, explanation(rule), text)
        group.locations.append(str(f.get("location", "")))
    return sorted(groups.values(), key=lambda g: not g.is_fatal)
