"""One registry of labels for every app: each audit action recorded anywhere in the code has a
translated label (a refusal reads "Afvist: …"), each detail key too, and detail values render in
Danish (none, yes/no, dates, amounts, coded states)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from faelles.ledger.models import PeriodState
from faelles.payables.models import DocumentStatus
from faelles.web import labels

SRC = Path(labels.__file__).resolve().parents[1]
SKIP = {"tests", "migrations", "einvoice", "engine", "sla"}
ACTION_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+){1,3}$")


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        if SKIP & set(path.relative_to(SRC).parts):
            continue
        yield path, path.read_text(encoding="utf-8")


def _str(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _recorded() -> tuple[set[str], set[str]]:
    """Every audit action and detail key the code records: ``action=`` arguments, ``"action"``
    entries of bulk events, names ending in ``action`` assigned a code, the keys of literal
    ``details``, and the codes built from f-strings (expanded below)."""
    actions: set[str] = set()
    keys: set[str] = set()

    def dict_keys(node: ast.AST) -> None:
        if isinstance(node, ast.Dict):
            keys.update(k for k in map(_str, [k for k in node.keys if k]) if k)

    for path, text in _modules():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "action" and (code := _str(kw.value)):
                        actions.add(code)
                    if kw.arg == "details":
                        dict_keys(kw.value)
            elif isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if k is not None and _str(k) == "action" and (code := _str(v)):
                        actions.add(code)
                    if k is not None and _str(k) == "details":
                        dict_keys(v)
            elif isinstance(node, ast.Assign) and (code := _str(node.value)):
                for target in node.targets:
                    if isinstance(target, ast.Name | ast.Attribute):
                        name = target.id if isinstance(target, ast.Name) else target.attr
                        if name.lower().endswith("action"):
                            actions.add(code)
        # steps passed to the invoice and bank-change event helpers (payables and the steps
        # of its life cycle, payables/lifecycle/)
        if path.parent.relative_to(SRC).as_posix() in {"payables", "payables/lifecycle"}:
            for step in re.findall(r'(?:_save|save_step)\(\s*invoice,\s*"([a-z_]+)"', text):
                actions.add(f"payables.invoice.{step}")
            for step in re.findall(r'_invoice_events\([^)]*"([a-z_]+)"', text):
                actions.add(f"payables.invoice.{step}")
            entity = "bank_change" if path.name == "vendors.py" else "invoice"
            for step in re.findall(r'\b(?:_event|step_event)\(\s*\w+,\s*"([a-z_]+)"', text):
                actions.add(f"payables.{entity}.{step}")
    actions = {a for a in actions if ACTION_CODE.match(a)}
    # codes built from f-strings
    actions |= {f"payables.document.{s}" for s in DocumentStatus.values}
    actions |= {f"ledger.period.{s}" for s in PeriodState.values}
    actions |= {f"approval_limit_request.{verb}" for verb in ("approve", "refuse")}
    for rule in ("payables.coding_rule", "payables.routing_rule"):
        actions |= {f"{rule}.reactivated", f"{rule}.deactivated"}
    return actions, keys


def test_the_scan_finds_the_actions_of_every_app():
    actions, keys = _recorded()
    for expected in [
        "institution.create",
        "membership.grant",
        "ledger.entry.posted",
        "core.mail.failed",
        "payables.invoice.posted",
        "payables.bank_change.confirmed",
        "auth.sso_login",
    ]:
        assert expected in actions
    assert {"reversal_of", "state", "reason"} <= keys


def test_every_recorded_action_has_a_label():
    actions, _keys = _recorded()
    assert sorted(a for a in actions if not labels.has_label(a)) == []


def test_every_refusal_of_a_recorded_action_has_a_label():
    actions, _keys = _recorded()
    assert sorted(f"{a}.refused" for a in actions if not labels.has_label(f"{a}.refused")) == []


def test_every_recorded_detail_key_has_a_label():
    _actions, keys = _recorded()
    known = labels.registry().details
    assert sorted(k for k in keys if k not in known) == []


@pytest.mark.parametrize(
    ("action", "danish", "english"),
    [
        ("institution.create", "Institution oprettet", "Institution created"),
        ("ledger.entry.posted", "Postering bogført", "Entry posted"),
        ("payables.invoice.posted", "Bogført", "Posted"),
        ("membership.grant.refused", "Afvist: Rolle tildelt", "Refused: Role granted"),
        ("payables.invoice.approve.refused", "Godkendelse afvist", "Approval refused"),
    ],
)
def test_action_labels_in_danish_and_english(action, danish, english):
    with translation.override("da"):
        assert labels.action_label(action) == danish
    with translation.override("en"):
        assert labels.action_label(action) == english


def test_an_unknown_action_stays_its_code():
    assert labels.action_label("something.new") == "something.new"
    assert labels.action_label("something.new.refused") == "something.new.refused"
    assert labels.has_label("something.new.refused") is False


def test_detail_values_render_in_danish():
    with translation.override("da"):
        rows = labels.details_rows(
            {
                "reversal_of": None,
                "verified": True,
                "is_active": False,
                "amount": "12345.50",
                "date": "2026-03-15",
                "state": "posted",
                "status": "unroutable",
                "from": "open",
                "codes": ["a", "b"],
                "entry": 311,
            }
        )
    assert rows == [
        ("reversal_of", "Tilbageførsel af", "–"),
        ("verified", "Verificeret", "Ja"),
        ("is_active", "Aktiv", "Nej"),
        ("amount", "Beløb", "12.345,50"),
        ("date", "Dato", "15.03.2026"),
        ("state", "Tilstand", "Bogført"),
        ("status", "Status", "Kan ikke placeres"),
        ("from", "Fra", "Åben"),
        ("codes", "Koder", "a, b"),
        ("entry", "Postering", "311"),
    ]


def test_a_datetime_value_is_shown_in_local_time():
    with translation.override("da"):
        text = labels.value_text("2026-01-15T09:30:00+00:00")
    assert text == "15.01.2026 10:30"


def test_the_audit_partial_shows_labels_and_keeps_codes_in_titles():
    event = type(
        "E",
        (),
        {
            "created_at": dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC),
            "actor": None,
            "on_behalf_of": None,
            "action": "institution.create",
            "details": {"reversal_of": None, "amount": Decimal("1500.00")},
        },
    )()
    with translation.override("da"):
        html = render_to_string("web/_audit.html", {"audit_events": [event]})
    assert '<span title="institution.create">Institution oprettet</span>' in html
    assert '<strong title="reversal_of">Tilbageførsel af</strong>: –' in html
    assert '<strong title="amount">Beløb</strong>: 1.500,00' in html
    assert "None" not in html
