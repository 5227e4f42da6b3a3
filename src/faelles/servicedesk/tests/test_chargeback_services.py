"""Monthly chargeback statements: priced from subscriptions, per-ticket prices and order
lines; each thing charged once; posted once through the ledger; corrections next month; and
the customer-forum report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.audit import Denied
from faelles.core.models import AuditEvent
from faelles.ledger.models import JournalEntry
from faelles.servicedesk import chargeback, quality, services
from faelles.servicedesk.chargeback_models import Statement, StatementLine
from faelles.servicedesk.models import CatalogueService, Domain, OrderLine
from faelles.servicedesk.tests.facilities_builders import at, ledger, resolved
from faelles.servicedesk.tests.factories import make_desk

pytestmark = pytest.mark.django_db


def _setup(prefix: str = "a"):
    desk = make_desk(prefix)
    per_ticket = CatalogueService.objects.create(
        institution=desk.institution,
        agreement=desk.agreement,
        code="FM-FLYT",
        name="Flytning af arbejdsplads",
        domain=Domain.FACILITIES,
        service_level=desk.level,
        price=Decimal("350.00"),
        price_unit=CatalogueService.PriceUnit.TICKET,
    )
    area = CatalogueService.objects.create(
        institution=desk.institution,
        agreement=desk.agreement,
        code="FM-REN",
        name="Daglig rengøring",
        domain=Domain.FACILITIES,
        service_level=desk.level,
        price=Decimal("96.00"),
        price_unit=CatalogueService.PriceUnit.M2_YEAR,
    )
    chargeback.subscription_set(
        actor=desk.agent, service=desk.service, quantity=40, valid_from=date(2026, 1, 1)
    )
    chargeback.subscription_set(
        actor=desk.agent, service=area, quantity="1250.5", valid_from=date(2026, 3, 1)
    )
    return desk, per_ticket


def test_a_months_statement_prices_subscriptions_tickets_and_order_lines():
    desk, per_ticket = _setup()
    moved = resolved(desk, at(3, 3), 2, service=per_ticket, domain="facilities", kind="request")
    fixed = resolved(
        desk,
        at(3, 4),
        2,
        domain="facilities",
        kind="work_order",
        category=desk.fm_category,
    )
    ordered = services.order_line_add(
        actor=desk.agent, ticket=fixed, quantity="2.5", price_item=desk.hour
    )
    OrderLine.objects.filter(pk=ordered.pk).update(created_at=at(3, 4, 14))  # ordered in March

    statement = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 3, 17)
    )

    lines = [line.amount for line in statement.lines.all()]
    assert statement.period == date(2026, 3, 1)
    # 40 users × 450; 1,250.5 m² × 96 / 12 = 10,004.00; one move 350; 2.5 h × 625 = 1,562.50
    assert sorted(lines) == [
        Decimal("350.00"),
        Decimal("1562.50"),
        Decimal("10004.00"),
        Decimal("18000.00"),
    ]
    assert statement.total == Decimal("29916.50")
    assert StatementLine.objects.get(kind="ticket").ticket == moved
    assert AuditEvent.objects.filter(action="servicedesk.statement.prepared").count() == 1


def test_preparing_again_reads_afresh_and_charges_nothing_twice():
    desk, per_ticket = _setup()
    resolved(desk, at(3, 3), 2, service=per_ticket, domain="facilities")
    march = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
    )
    resolved(desk, at(3, 30), 2, service=per_ticket, domain="facilities")

    again = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
    )
    april = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 4, 1)
    )

    assert again.pk == march.pk
    assert again.lines.filter(kind="ticket").count() == 2
    assert april.lines.filter(kind="ticket").count() == 0
    assert april.lines.filter(kind="subscription").count() == 2


def test_posting_books_the_internal_invoice_once_and_freezes_the_statement():
    desk, per_ticket = _setup()
    ledger(desk)
    resolved(desk, at(3, 3), 2, service=per_ticket, domain="facilities")
    statement = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
    )

    posted = chargeback.statement_post(actor=desk.agent, statement=statement)

    assert posted.state == "posted"
    assert posted.number == "IA-2026-000001"
    entry = JournalEntry.objects.get(source_type="servicedesk.statement")
    assert entry.pk == posted.entry_id
    amounts = sorted((line.account.number, line.debit, line.credit) for line in entry.lines.all())
    assert amounts == [
        ("2220", Decimal("18000.00"), Decimal("0.00")),
        ("2270", Decimal("10354.00"), Decimal("0.00")),
        ("5820", Decimal("0.00"), Decimal("28354.00")),
    ]
    with pytest.raises(ValidationError):
        chargeback.statement_post(actor=desk.agent, statement=posted)
    with pytest.raises(ValidationError):
        chargeback.statement_prepare(
            actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
        )
    assert JournalEntry.objects.filter(source_type="servicedesk.statement").count() == 1
    assert posted.lines.count() == 3


def test_a_correction_goes_on_next_months_statement():
    desk, per_ticket = _setup()
    ledger(desk)
    resolved(desk, at(3, 3), 2, service=per_ticket, domain="facilities")
    march = chargeback.statement_post(
        actor=desk.agent,
        statement=chargeback.statement_prepare(
            actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
        ),
    )
    wrong = march.lines.get(kind="ticket")

    correction = chargeback.statement_correct(
        actor=desk.agent, line=wrong, amount="-350.00", reason="Flytningen var en fejl"
    )
    april = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 4, 1)
    )

    assert correction.statement == april
    assert correction.corrects == wrong
    assert april.lines.filter(kind="correction").get().amount == Decimal("-350.00")
    assert april.total == Decimal("18000.00") + Decimal("10004.00") - Decimal("350.00")
    march.refresh_from_db()
    assert march.total == Decimal("28354.00")


def test_a_late_order_line_is_charged_in_the_month_it_is_seen():
    desk, _per_ticket = _setup()
    ledger(desk)
    ticket = resolved(desk, at(3, 4), 2, domain="facilities", category=desk.fm_category)
    chargeback.statement_post(
        actor=desk.agent,
        statement=chargeback.statement_prepare(
            actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
        ),
    )
    line = services.order_line_add(
        actor=desk.agent, ticket=ticket, quantity=1, price_item=desk.hour
    )
    OrderLine.objects.filter(pk=line.pk).update(created_at=at(4, 2))

    april = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 4, 1)
    )

    assert april.lines.get(kind="order_line").order_line == line


def test_only_the_service_desk_prepares_and_posts_and_refusals_are_kept():
    desk, _per_ticket = _setup()
    other = make_desk("b", operator=desk.operator)
    statement = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
    )

    for actor in (desk.contact, other.agent):
        with pytest.raises(Denied):
            chargeback.statement_prepare(
                actor=actor, institution=desk.institution, period=date(2026, 3, 1)
            )
        with pytest.raises(Denied):
            chargeback.statement_post(actor=actor, statement=statement)

    statement.refresh_from_db()
    assert statement.state == "draft"
    assert AuditEvent.objects.filter(action="servicedesk.statement.post.refused").count() == 2


def test_the_current_month_is_not_posted_and_a_future_one_not_prepared():
    desk, _ = _setup()
    ledger(desk)
    from django.utils import timezone

    today = timezone.localdate()
    current = chargeback.statement_prepare(
        actor=desk.agent, institution=desk.institution, period=today
    )

    with pytest.raises(ValidationError):
        chargeback.statement_post(actor=desk.agent, statement=current)
    with pytest.raises(ValidationError):
        chargeback.statement_prepare(
            actor=desk.agent, institution=desk.institution, period=date(today.year + 1, 1, 1)
        )
    assert Statement.objects.filter(state="posted").count() == 0


def test_the_forum_report_gives_volumes_targets_satisfaction_and_charges_per_month():
    desk, per_ticket = _setup()
    ledger(desk)
    first = resolved(desk, at(3, 3), 2, service=per_ticket, domain="facilities")
    resolved(desk, at(3, 5), 30, impact=1, urgency=1)
    resolved(desk, at(4, 7), 1, kind="incident")
    services.ticket_rate(actor=desk.requester, ticket=first, rating=4, at=at(3, 6))
    quality.survey_answer_yearly(
        actor=desk.colleague, institution=desk.institution, year=2026, score=3, at=at(5, 1)
    )
    chargeback.statement_post(
        actor=desk.agent,
        statement=chargeback.statement_prepare(
            actor=desk.agent, institution=desk.institution, period=date(2026, 3, 1)
        ),
    )

    report = chargeback.forum_report(desk.institution, 2026)

    march, april = report.months[2], report.months[3]
    assert march.opened == {"request": 2, "incident": 0, "work_order": 0}
    assert (march.resolved, march.sla_met_pct, march.satisfaction) == (
        2,
        Decimal("50.0"),
        Decimal("4.00"),
    )
    assert march.charged == Decimal("28354.00")
    assert april.opened["incident"] == 1 and april.charged == Decimal("0.00")
    assert report.year_figures.tickets_resolved == 3
    assert (report.yearly_survey, report.yearly_answers) == (Decimal("3.00"), 1)
    assert report.charged_total == Decimal("28354.00")
