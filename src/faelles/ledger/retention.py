"""The ledger's retention: the institutions' fiscal years, and journal entries, which the job
never deletes.

Posted entries are immutable (model guard and, on PostgreSQL, a trigger) and each carries a
hash over its lines; `faelles ledger check` proves numbering is gap-free per fiscal year and
that balances equal the posted lines. Deleting them would need to go around all of that, so
entries whose period has passed are only reported as due for archiving; the operator archives
a closed fiscal year as a whole (export, deliver under the archive rules) and removes it in a
controlled operation, not a nightly job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from faelles.core import retention
from faelles.ledger.models import FiscalYear, JournalEntry


def fiscal_years() -> Iterable[tuple[int, dt.date, dt.date]]:
    return FiscalYear.objects.values_list("institution_id", "start", "end")


def register_rules() -> None:
    retention.register_fiscal_years(fiscal_years)
    retention.register(
        retention.RetentionRule(
            key="ledger.journal_entry",
            records="journal entries and their lines (posted and draft)",
            basis=retention.BOOKKEEPING_ACT,
            period="5 years from the end of the fiscal year; then due for archiving",
            runs_from="date (the posting date, in the entry's fiscal year)",
            action="report",
            due=lambda clock: JournalEntry.objects.filter(clock.fiscal_expired("date")),
            oldest_field="date",
            guards=(
                "never deleted by the job: posted entries are immutable, numbered gap-free "
                "and hashed; a closed fiscal year is archived and removed as a whole"
            ),
            order=70,
        )
    )
