"""Any sequence of posts and reversals keeps every trial balance at zero and numbering gap-free."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from faelles.ledger import checks, selectors, services
from faelles.ledger.models import EntryState, JournalEntry
from faelles.ledger.services import EntrySpec, LineSpec
from faelles.ledger.tests.factories import make_bookkeeper, make_institution

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
ACCOUNTS = [("2210", "100"), ("2220", "200"), ("1610", "100"), ("5810", None), ("9110", None)]


class LedgerMachine(RuleBasedStateMachine):
    entries = Bundle("entries")

    @initialize()
    def setup(self):
        self.institutions = [make_institution(), make_institution()]
        self.bookkeepers = {i.pk: make_bookkeeper(i) for i in self.institutions}
        self.source = 0

    @rule(
        target=entries,
        which=st.integers(0, 1),
        debits=st.lists(st.tuples(st.sampled_from(ACCOUNTS), amounts), min_size=1, max_size=4),
        credit_account=st.sampled_from(["9110", "5810"]),
        month=st.integers(1, 12),
    )
    def post(self, which, debits, credit_account, month):
        inst = self.institutions[which]
        self.source += 1
        total = sum((a for _acc, a in debits), Decimal(0))
        spec = EntrySpec(
            date=date(2026, month, 1),
            description="generated",
            source_type="machine",
            source_id=str(self.source),
            lines=[
                *(LineSpec(account=acc, org_unit=ou, debit=a) for (acc, ou), a in debits),
                LineSpec(account=credit_account, credit=total),
            ],
        )
        return services.entry_record(actor=self.bookkeepers[inst.pk], institution=inst, spec=spec)

    @rule(entry=entries)
    def reverse(self, entry):
        entry = JournalEntry.objects.get(pk=entry.pk)
        already = JournalEntry.objects.filter(reversal_of=entry).exists()
        if already:
            with pytest.raises(services.LedgerError):
                services.entry_reverse(actor=self.bookkeepers[entry.institution_id], entry=entry)
        else:
            reversal = services.entry_reverse(
                actor=self.bookkeepers[entry.institution_id], entry=entry
            )
            assert reversal.state == EntryState.POSTED

    @invariant()
    def every_trial_balance_is_zero_and_numbering_gap_free(self):
        for inst in getattr(self, "institutions", []):
            tb = selectors.trial_balance(inst, year=2026)
            assert tb.total_debit == tb.total_credit
            assert sum((r.balance for r in tb.rows), Decimal(0)) == 0
            assert checks.check_numbering(inst) == []

    def teardown(self):
        for inst in getattr(self, "institutions", []):
            assert checks.run_all([inst]) == []


def test_post_and_reverse_sequences_keep_the_ledger_consistent():
    LedgerMachine.TestCase.settings = settings(
        max_examples=10,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(LedgerMachine, settings=LedgerMachine.TestCase.settings)
