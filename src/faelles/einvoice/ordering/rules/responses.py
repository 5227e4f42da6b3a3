"""Order Cancellation (T115), Catalogue Response (T58), Message Level Response (T71) and
Invoice Response (T111): ``PEPPOL-M-T115.sch``, ``-T58.sch``, ``-T71.sch``, ``-T111.sch`` and
``-T111-2.sch``."""

from __future__ import annotations

from faelles.einvoice.ordering.rules._engine import (
    Context,
    Element,
    Pattern,
    Rule,
    Test,
    asserting,
    children,
    exists,
    no_variables,
    norm,
    on,
    q,
    single,
    string,
)
from faelles.einvoice.ordering.rules.order import (
    ADVANCED_PROFILES,
    is_customization_id,
    is_profile_id,
    profile_in,
    starts_with,
)

_TRNS = "urn:fdc:peppol.eu:poacc:trns:"
_RESPONSE = q("cac:Response")
_STATUS = q("cac:Status")

T115: Pattern[None] = Pattern(
    no_variables,
    (
        Rule(is_profile_id, (asserting("PEPPOL-T115-R031", profile_in(ADVANCED_PROFILES)),)),
        Rule(is_customization_id, (asserting("PEPPOL-T115-R034", starts_with(f"{_TRNS}order_cancellation:3")),)),
    ),
)  # fmt: skip

T58: Pattern[None] = Pattern(
    no_variables,
    (Rule(is_customization_id, (asserting("PEPPOL-T58-R001", starts_with(f"{_TRNS}catalogue_response:3")),)),),
)  # fmt: skip

T71: Pattern[None] = Pattern(
    no_variables,
    (Rule(is_customization_id, (asserting("PEPPOL-T71-R001", starts_with(f"{_TRNS}mlr:3")),)),),
)  # fmt: skip


def _code(el: Element, path: str) -> str:
    """``normalize-space(path)`` of the one element at ``path``."""
    return norm(string(single(el, path)))


def _needs_clarification(el: Element) -> bool:
    """``cac:Response[contains(' CA UQ RE ', concat(' ', normalize-space(cbc:ResponseCode), ' '))]``."""
    return el.tag == _RESPONSE and f" {_code(el, 'cbc:ResponseCode')} " in " CA UQ RE "


def _status_with(code: str) -> Context:
    """``cac:Status[cbc:StatusReasonCode = code]``."""
    return lambda el: (
        el.tag == _STATUS and any(string(c) == code for c in children(el, "cbc:StatusReasonCode"))
    )


def _status_listed(list_id: str) -> Context:
    """``cac:Status[cbc:StatusReasonCode/@listID = list_id]``."""
    return lambda el: (
        el.tag == _STATUS
        and any(c.get("listID") == list_id for c in children(el, "cbc:StatusReasonCode"))
    )


def _code_in(codes: str) -> Test:
    def test(el: Element, _: object) -> bool:
        code = _code(el, "cbc:StatusReasonCode")
        return " " not in code and f" {code} " in codes

    return test


T111: Pattern[None] = Pattern(
    no_variables,
    (
        Rule(on(_RESPONSE, where=_needs_clarification), (asserting("PEPPOL-T111-R001", lambda el, _: exists(el, "cac:Status/cbc:StatusReasonCode")),)),
        Rule(on(_STATUS, where=_status_with("OTH")), (asserting("PEPPOL-T111-R002", lambda el, _: exists(el, "cbc:StatusReason")),)),
        Rule(is_customization_id, (asserting("PEPPOL-T111-R003", starts_with(f"{_TRNS}invoice_response:3")),)),
        Rule(
            on(_STATUS, where=_status_with("PPD")),
            (
                asserting("PEPPOL-T111-R004", lambda el, _: exists(el, "cbc:StatusReason")),
                # exists(/cbc:ResponseCode = 'PD') is exists() of a boolean: always true.
                asserting("PEPPOL-T111-R005", lambda el, _: True),
            ),
        ),
    ),
)  # fmt: skip

T111_CODES: Pattern[None] = Pattern(
    no_variables,
    (
        Rule(on(_STATUS, where=_status_listed("OPStatusAction")), (asserting("PEPPOL-T111-R006", _code_in(" NOA PIN NIN CNF CNP CNA OTH ")),)),
        Rule(on(_STATUS, where=_status_listed("OPStatusReason")), (asserting("PEPPOL-T111-R007", _code_in(" NON REF LEG REC QUA DEL PRI QTY ITM PAY PPD UNR FIN OTH ")),)),
    ),
)  # fmt: skip
