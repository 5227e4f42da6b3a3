from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from faelles.core.models import AuditEvent
from faelles.ledger import selectors, services
from faelles.ledger.models import (
    Balance,
    EntryState,
    JournalEntry,
    JournalLine,
    PeriodState,
    PostedRecordError,
)
from faelles.ledger.services import EntrySpec, LedgerError, LineSpec
from faelles.ledger.tests.factories import (
    expense_spec,
    make_bookkeeper,
    make_institution,
    make_user,
)

pytestmark = pytest.mark.django_db


def _codes(exc: pytest.ExceptionInfo[LedgerError]) -> list[str]:
    return [p.code for p in exc.value.problems]


def test_recording_an_entry_posts_it_numbered_hashed_balanced_and_audited():
    inst = make_institution()
    actor = make_user()

    entry = services.entry_record(actor=actor, institution=inst, spec=expense_spec(source_id="A1"))

    assert entry.state == EntryState.POSTED
    assert entry.number == 1
    assert len(entry.hash) == 64
    lines = list(entry.lines.order_by("line_no").values_list("account__number", "debit", "credit"))
    assert lines == [
        ("2210", Decimal("1000.00"), Decimal("0.00")),
        ("5620", Decimal("250.00"), Decimal("0.00")),
        ("9110", Decimal("0.00"), Decimal("1250.00")),
    ]
    assert sorted(Balance.objects.for_institution(inst).values_list("debit_ore", "credit_ore")) == [
        (0, 125000),
        (25000, 0),
        (100000, 0),
    ]
    event = AuditEvent.objects.filter(action="ledger.entry.posted").get()
    assert event.institution_id == inst.pk
    assert event.details["hash"] == entry.hash


def test_numbers_continue_per_institution_and_fiscal_year():
    a, b = make_institution(), make_institution()
    actor = make_user()
    numbers = [
        services.entry_record(actor=actor, institution=inst, spec=expense_spec(source_id=s)).number
        for inst, s in [(a, "1"), (a, "2"), (b, "1"), (a, "3")]
    ]
    assert numbers == [1, 2, 1, 3]


def test_posting_the_same_source_twice_posts_once():
    inst = make_institution()
    actor = make_user()
    first = services.entry_record(actor=actor, institution=inst, spec=expense_spec(source_id="X"))
    second = services.entry_record(actor=actor, institution=inst, spec=expense_spec(source_id="X"))
    assert second.pk == first.pk
    assert JournalEntry.objects.for_institution(inst).count() == 1
    assert Balance.objects.for_institution(inst).get(account__number="2210").debit_ore == 100000


def test_an_unbalanced_entry_is_refused_and_nothing_is_saved():
    inst = make_institution()
    spec = EntrySpec(
        date=date(2026, 3, 1),
        description="Skæv",
        lines=[
            LineSpec(account="2210", debit=Decimal("10"), org_unit="100"),
            LineSpec(account="9110", credit=Decimal("9")),
        ],
    )
    with pytest.raises(LedgerError) as exc, translation.override("en"):
        services.entry_record(actor=make_user(), institution=inst, spec=spec)
    assert [str(p) for p in exc.value.problems] == [
        "The entry does not balance: debit 10.00, credit 9.00 DKK."
    ]
    assert JournalEntry.objects.count() == 0
    assert JournalLine.objects.count() == 0
    assert Balance.objects.count() == 0
    assert not AuditEvent.objects.filter(action="ledger.entry.posted").exists()


def test_sum_account_missing_dimension_and_unknown_account_are_named():
    inst = make_institution()
    spec = EntrySpec(
        date=date(2026, 3, 1),
        description="Fejl",
        lines=[
            LineSpec(account="22", debit=Decimal("10")),
            LineSpec(account="2210", debit=Decimal("10")),
            LineSpec(account="4711", credit=Decimal("20")),
        ],
    )
    with pytest.raises(LedgerError) as exc:
        services.entry_record(actor=make_user(), institution=inst, spec=spec)
    assert [(p.code, p.line) for p in exc.value.problems] == [
        ("not_postable", 1),
        ("unknown_account", 3),
        ("missing_org_unit", 2),
    ]


def test_posting_into_a_closed_period_is_refused_with_a_clear_error():
    inst = make_institution()
    bookkeeper = make_bookkeeper(inst)
    march = inst.periods.get(number=3)
    services.period_set_state(actor=bookkeeper, period=march, state=PeriodState.CLOSED)
    with pytest.raises(LedgerError) as exc:
        services.entry_record(actor=bookkeeper, institution=inst, spec=expense_spec(source_id="1"))
    assert _codes(exc) == ["period_not_open"]
    assert "2026-03" in str(exc.value.problems[0])
    services.period_set_state(actor=bookkeeper, period=march, state=PeriodState.OPEN)
    assert (
        services.entry_record(
            actor=bookkeeper, institution=inst, spec=expense_spec(source_id="1")
        ).number
        == 1
    )


def test_a_locked_period_never_opens_again():
    inst = make_institution()
    bookkeeper = make_bookkeeper(inst)
    period = inst.periods.get(number=1)
    services.period_set_state(actor=bookkeeper, period=period, state=PeriodState.LOCKED)
    with pytest.raises(LedgerError) as exc:
        services.period_set_state(actor=bookkeeper, period=period, state=PeriodState.OPEN)
    assert _codes(exc) == ["period_transition"]


def test_a_date_outside_any_fiscal_year_is_refused():
    inst = make_institution()
    with pytest.raises(LedgerError) as exc:
        services.entry_record(
            actor=make_user(), institution=inst, spec=expense_spec(on=date(2031, 1, 1))
        )
    assert _codes(exc) == ["no_period"]


def test_accounts_of_another_institution_cannot_be_used():
    a, b = make_institution(), make_institution()
    services.account_create_local(
        actor=make_user(), institution=b, parent_number="2210", number="221001", name="Lokal B"
    )
    spec = expense_spec(account="221001")
    with pytest.raises(LedgerError) as exc:
        services.entry_record(actor=make_user(), institution=a, spec=spec)
    assert _codes(exc) == ["unknown_account"]


def test_posted_entries_and_lines_refuse_changes_through_the_orm():
    inst = make_institution()
    entry = services.entry_record(
        actor=make_user(), institution=inst, spec=expense_spec(source_id="1")
    )
    entry.description = "ændret"
    with pytest.raises(PostedRecordError):
        entry.save()
    line = entry.lines.first()
    line.text = "ændret"
    with pytest.raises(PostedRecordError):
        line.save()
    with pytest.raises(PostedRecordError):
        entry.delete()
    assert JournalEntry.objects.get(pk=entry.pk).description == "Kontorartikler 1000.00"


def test_a_reversal_mirrors_the_entry_links_to_it_and_happens_once():
    inst = make_institution()
    bookkeeper = make_bookkeeper(inst)
    entry = services.entry_record(
        actor=bookkeeper, institution=inst, spec=expense_spec(source_id="1")
    )

    reversal = services.entry_reverse(actor=bookkeeper, entry=entry)

    assert reversal.reversal_of_id == entry.pk
    assert reversal.number == 2
    assert list(reversal.lines.order_by("line_no").values_list("debit", "credit")) == [
        (Decimal("0.00"), Decimal("1000.00")),
        (Decimal("0.00"), Decimal("250.00")),
        (Decimal("1250.00"), Decimal("0.00")),
    ]
    tb = selectors.trial_balance(inst, year=2026)
    assert all(row.balance == 0 for row in tb.rows)
    with pytest.raises(LedgerError) as exc:
        services.entry_reverse(actor=bookkeeper, entry=entry)
    assert _codes(exc) == ["already_reversed"]


def test_manual_entry_needs_a_second_person_where_the_institution_requires_two():
    inst = make_institution(requires_two_persons=True)
    clerk, other = make_bookkeeper(inst), make_bookkeeper(inst)
    draft = services.entry_create(actor=clerk, institution=inst, spec=expense_spec())
    assert draft.state == EntryState.DRAFT and draft.number is None

    with pytest.raises(LedgerError) as exc:
        services.entry_post(actor=clerk, entry=draft)
    assert _codes(exc) == ["two_persons"]
    assert JournalEntry.objects.get(pk=draft.pk).state == EntryState.DRAFT

    posted = services.entry_post(actor=other, entry=draft)
    assert (posted.state, posted.number, posted.posted_by_id) == (EntryState.POSTED, 1, other.pk)


def test_manual_entry_by_one_person_where_the_institution_allows_it():
    inst = make_institution(requires_two_persons=False)
    clerk = make_bookkeeper(inst)
    draft = services.entry_create(actor=clerk, institution=inst, spec=expense_spec())
    assert services.entry_post(actor=clerk, entry=draft).number == 1


def test_only_bookkeepers_register_manual_entries():
    inst = make_institution()
    outsider = make_user()
    with pytest.raises(LedgerError) as exc:
        services.entry_create(actor=outsider, institution=inst, spec=expense_spec())
    assert _codes(exc) == ["not_permitted"]
    # A bookkeeper of another institution is an outsider here too.
    other = make_institution()
    with pytest.raises(LedgerError):
        services.entry_create(actor=make_bookkeeper(other), institution=inst, spec=expense_spec())
    assert JournalEntry.objects.count() == 0


def test_a_batch_posts_the_good_entries_reports_the_bad_and_skips_duplicates():
    inst = make_institution()
    actor = make_user()
    services.entry_record(actor=actor, institution=inst, spec=expense_spec(source_id="old"))
    specs = [
        expense_spec(source_id="b1"),
        expense_spec(source_id="old"),
        expense_spec(source_id="bad", on=date(2031, 1, 1)),
        expense_spec(source_id="b2"),
        expense_spec(source_id="b1"),
    ]
    result = services.entries_record_batch(actor=actor, institution=inst, specs=specs)
    assert [e.number for e in result.posted] == [2, 3]
    assert result.duplicates == ["old", "b1"]
    assert list(result.rejected) == [2]
    assert [p.code for p in result.rejected[2]] == ["no_period"]
