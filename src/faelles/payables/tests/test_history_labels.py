"""Human words on the invoice page: the history shows a translated label per action (the code
stays in the element's title), and a refusal names the invoice's state in lower case inside
its sentence ("The invoice is received; …", "Fakturaen er modtaget; …")."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from faelles.core.models import AuditEvent
from faelles.payables import labels, services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import DocumentStatus, Invoice, InvoiceState
from faelles.payables.tests.factories import make_world

PAYABLES = Path(labels.__file__).resolve().parent
D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]


def _recorded_actions() -> set[str]:
    """Every invoice and document action the payables code records: literal codes, the
    steps passed to ``save_step`` (the life cycle's steps, ``lifecycle/``) / ``_save`` /
    ``_invoice_events``, and one per document status."""
    found: set[str] = set()
    for path in [*PAYABLES.glob("*.py"), *PAYABLES.glob("lifecycle/*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'"(payables\.(?:invoice|document)\.[a-z_]+)"', text))
        for step in re.findall(r'(?:_save|save_step)\(\s*invoice,\s*"([a-z_]+)"', text):
            found.add(f"payables.invoice.{step}")
        for step in re.findall(r'_invoice_events\([^)]*"([a-z_]+)"', text):
            found.add(f"payables.invoice.{step}")
    found |= {f"payables.document.{status}" for status in DocumentStatus.values}
    return found


# --- labels ---------------------------------------------------------------------------------


def test_every_recorded_invoice_and_document_action_has_a_label():
    actions = _recorded_actions()
    assert "payables.invoice.posted" in actions  # the scan finds what it should
    assert "payables.invoice.first_approved" in actions
    assert sorted(actions - set(labels.ACTION_LABELS)) == []


def test_action_labels_are_human_and_translated():
    with translation.override("en"):
        assert labels.action_label("payables.invoice.posted") == "Posted"
        assert labels.action_label("payables.invoice.scheduled") == "Scheduled for payment"
        assert labels.action_label("payables.document.received") == "Document received"
    with translation.override("da"):
        assert labels.action_label("payables.invoice.posted") == "Bogført"
        assert labels.action_label("payables.invoice.attested") == "Attesteret"


def test_an_unknown_action_is_shown_as_its_code():
    assert labels.action_label("payables.invoice.something_new") == "payables.invoice.something_new"


def test_state_in_sentence_lowers_the_first_letter_only():
    with translation.override("en"):
        assert labels.state_in_sentence(InvoiceState.SCHEDULED) == "scheduled for payment"
        assert labels.state_in_sentence(InvoiceState.RECEIVED) == "received"
    with translation.override("da"):
        assert labels.state_in_sentence(InvoiceState.APPROVED) == "godkendt"
        assert labels.state_in_sentence(InvoiceState.SCHEDULED) == "klar til betaling"
    assert labels.state_in_sentence("unknown") == "unknown"


# --- the invoice page -----------------------------------------------------------------------


@pytest.fixture
def world(db):
    w = make_world()
    services.routing_rule_create(
        actor=w.receiver,
        institution=w.institution,
        requester=w.requester,
        buyer_reference="0150abc",
    )
    return w


@pytest.fixture
def invoice(world, dkk_document):
    invoice = services.document_receive(content=dkk_document(), channel="api").invoice
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    services.invoice_attest(actor=world.requester, invoice=invoice)
    return Invoice.objects.get(pk=invoice.pk)


def _history(html: str) -> str:
    match = re.search(r'<ul class="nobullet-list" id="history">(.*?)</ul>', html, re.S)
    assert match is not None
    return match.group(1)


def _visible(fragment: str) -> str:
    return re.sub(r"<[^>]*>", "", fragment)


def test_the_history_shows_labels_and_keeps_the_codes_in_titles(world, invoice):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.receiver)
    url = reverse("payables:invoice-detail", args=[invoice.pk])

    history = _history(client.get(url).content.decode())

    recorded = list(
        AuditEvent.objects.filter(object_type="payables.invoice", object_id=str(invoice.pk))
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert recorded == ["payables.invoice.coded", "payables.invoice.attested"]
    text = _visible(history)
    assert " · Document accepted · " in text
    assert " · Coded · " in text
    assert " · Attested · " in text
    assert "payables." not in text
    for code in ["payables.document.accepted", *recorded]:
        assert f'<span title="{code}">' in history


def test_the_history_is_in_danish_on_the_danish_page(world, invoice):
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(world.receiver)

    text = _visible(
        _history(client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode())
    )

    assert " · Konteret · " in text
    assert " · Attesteret · " in text


def test_the_history_is_in_danish_for_document_events_too(world, invoice):
    """Needs the catalogue update (msgid "Document accepted")."""
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(world.receiver)

    text = _visible(
        _history(client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode())
    )

    assert " · Dokument accepteret · " in text


# --- the state inside a sentence ------------------------------------------------------------


def _refusal(world, invoice) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        services.invoice_attest(actor=world.requester, invoice=invoice)
    return caught.value.message_dict["state"]


def test_a_refusal_names_the_state_in_lower_case(world, dkk_document):
    received = services.document_receive(content=dkk_document(), channel="api").invoice

    assert _refusal(world, received) == ["The invoice is received; this step is not possible now."]
    with translation.override("da"):
        assert _refusal(world, received) == ["Fakturaen er modtaget; dette trin er ikke muligt nu."]
    assert Invoice.objects.get(pk=received.pk).state == InvoiceState.RECEIVED


def test_a_refusal_to_reject_reads_right_in_both_languages(world, invoice):
    services.invoice_reject(actor=world.approver, invoice=invoice, reason="Ikke bestilt")
    invoice.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        services.invoice_reject(actor=world.approver, invoice=invoice, reason="Igen")
    assert caught.value.message_dict["state"] == [
        "The invoice is rejected and can no longer be rejected."
    ]
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        services.invoice_reject(actor=world.approver, invoice=invoice, reason="Igen")
    assert caught.value.message_dict["state"] == [
        "Fakturaen er afvist og kan ikke længere afvises."
    ]
    invoice.refresh_from_db()
    assert invoice.rejection_reason == "Ikke bestilt"
