"""The chargeback pages: statements (prepare, post, correct, export) and the customer-forum
report with its charts, with a cross-institution case on every endpoint and a check that a
refused action changed nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.ledger.models import JournalEntry
from faelles.servicedesk import chargeback
from faelles.servicedesk.chargeback_models import Statement, StatementLine
from faelles.servicedesk.tests.facilities_builders import at, ledger, resolved
from faelles.servicedesk.tests.factories import make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    a = make_desk("a")
    b = make_desk("b", operator=a.operator)
    for desk in (a, b):
        chargeback.subscription_set(
            actor=desk.agent, service=desk.service, quantity=10, valid_from=date(2026, 1, 1)
        )
    ledger(a)
    return a, b


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_an_agent_prepares_and_posts_a_statement_on_the_pages(desks):
    a, _b = desks
    client = _client(a.agent)

    assert client.get(reverse("servicedesk:statements")).status_code == 200
    response = client.post(reverse("servicedesk:statements"), {"period": "2026-03"})
    statement = Statement.objects.get()
    assert response["Location"] == reverse("servicedesk:statement-detail", args=[statement.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-kind="subscription"' in page.content
    client.post(reverse("servicedesk:statement-post", args=[statement.pk]), {"cost_centre": "300"})

    statement.refresh_from_db()
    assert (statement.state, statement.total) == ("posted", Decimal("4500.00"))
    assert JournalEntry.objects.filter(source_type="servicedesk.statement").count() == 1
    xlsx = client.get(
        reverse("servicedesk:statement-detail", args=[statement.pk]), {"format": "xlsx"}
    )
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_a_posted_line_is_corrected_on_next_months_statement_on_the_page(desks):
    a, _b = desks
    march = chargeback.statement_post(
        actor=a.agent,
        statement=chargeback.statement_prepare(
            actor=a.agent, institution=a.institution, period=date(2026, 3, 1)
        ),
    )
    line = march.lines.get()
    client = _client(a.agent)

    response = client.post(
        reverse("servicedesk:statement-line-correct", args=[line.pk]),
        {"amount": "-450,00", "reason": "En bruger for meget"},
    )

    april = Statement.objects.get(period=date(2026, 4, 1))
    assert response["Location"] == reverse("servicedesk:statement-detail", args=[april.pk])
    assert april.lines.get(kind="correction").amount == Decimal("-450.00")


def test_the_contact_person_reads_statements_but_cannot_prepare_or_post(desks):
    a, _b = desks
    statement = chargeback.statement_prepare(
        actor=a.agent, institution=a.institution, period=date(2026, 3, 1)
    )
    client = _client(a.contact)
    events = AuditEvent.objects.count()

    assert client.get(reverse("servicedesk:statements")).status_code == 200
    assert (
        client.get(reverse("servicedesk:statement-detail", args=[statement.pk])).status_code == 200
    )
    assert client.post(reverse("servicedesk:statements"), {"period": "2026-04"}).status_code == 403
    assert (
        client.post(reverse("servicedesk:statement-post", args=[statement.pk])).status_code == 403
    )

    statement.refresh_from_db()
    assert statement.state == "draft"
    assert Statement.objects.count() == 1
    assert AuditEvent.objects.count() == events + 2  # the two refusals


def test_a_requester_sees_no_statements_and_no_forum_report(desks):
    a, _b = desks
    client = _client(a.requester)

    assert client.get(reverse("servicedesk:statements")).status_code == 403
    assert client.get(reverse("servicedesk:forum")).status_code == 403


@pytest.mark.parametrize("who", ["agent", "contact", "requester"])
def test_another_institutions_statement_answers_404_and_nothing_changes(desks, who):
    a, b = desks
    statement = chargeback.statement_post(
        actor=a.agent,
        statement=chargeback.statement_prepare(
            actor=a.agent, institution=a.institution, period=date(2026, 3, 1)
        ),
    )
    draft = chargeback.statement_prepare(
        actor=a.agent, institution=a.institution, period=date(2026, 4, 1)
    )
    line = statement.lines.get()
    client = _client(getattr(b, who))
    events = AuditEvent.objects.count()
    lines = StatementLine.objects.count()

    for pk in (statement.pk, draft.pk):
        assert client.get(reverse("servicedesk:statement-detail", args=[pk])).status_code == 404
        assert (
            client.get(
                reverse("servicedesk:statement-detail", args=[pk]), {"format": "csv"}
            ).status_code
            == 404
        )
    assert client.post(reverse("servicedesk:statement-post", args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("servicedesk:statement-line-correct", args=[line.pk]),
            {"amount": "-1", "reason": "x"},
        ).status_code
        == 404
    )

    draft.refresh_from_db()
    assert draft.state == "draft"
    assert StatementLine.objects.count() == lines
    assert AuditEvent.objects.count() == events


def test_the_forum_report_shows_charts_and_exports_the_months(desks):
    a, b = desks
    resolved(a, at(3, 3), 2)
    resolved(b, at(3, 3), 2)
    resolved(b, at(3, 4), 2)
    chargeback.statement_post(
        actor=a.agent,
        statement=chargeback.statement_prepare(
            actor=a.agent, institution=a.institution, period=date(2026, 3, 1)
        ),
    )
    client = _client(a.contact)

    page = client.get(reverse("servicedesk:forum"), {"year": "2026"})
    csv = client.get(reverse("servicedesk:forum"), {"year": "2026", "format": "csv"})

    assert page.status_code == 200
    assert page.content.count(b"<svg") >= 3
    assert b'data-month="2026-03"' in page.content
    assert page.context["report"].months[2].opened["request"] == 1  # b's tickets not counted
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 13
    assert rows[3].startswith("2026-03;1;0;0;1;") or rows[3].startswith("2026-03,1,0,0,1,")
    assert "4500" in rows[3]
