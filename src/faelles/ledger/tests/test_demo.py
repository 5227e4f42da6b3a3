from datetime import date
from io import StringIO

import pytest

from faelles.ledger import checks, selectors
from faelles.ledger.demo import load_demo
from faelles.ledger.models import JournalEntry
from faelles.tenancy.models import Institution, OrgUnit

pytestmark = pytest.mark.django_db


def test_demo_posts_months_of_entries_once_and_keeps_the_books_consistent():
    inst = Institution.objects.create(name="Demo", short_name="DEMO", kind="agency")
    OrgUnit.objects.create(institution=inst, code="100", name="Sekretariat")

    load_demo(stdout=StringIO(), today=date(2026, 4, 10))
    first = JournalEntry.objects.for_institution(inst).count()
    load_demo(stdout=StringIO(), today=date(2026, 4, 10))

    # 4 months × 4 entries, one double-booked invoice and its reversal.
    assert first == 4 * 4 + 2
    assert JournalEntry.objects.for_institution(inst).count() == first
    assert JournalEntry.objects.for_institution(inst).filter(reversal_of__isnull=False).count() == 1
    assert checks.run_all([inst]) == []
    assert selectors.trial_balance(inst, year=2026).balanced
