"""Every write of the payroll app: employees, pending changes (two-person rule), pay runs.

* ``employee_create`` registers a person (identity only; the CPR number is encrypted at rest;
  the postal address on one line); ``employee_address_set`` changes the address at once (not
  pay-relevant, so no pending change);
  ``employee_cpr_read`` is the one way to the full number and logs a personal-data access.
* ``change_propose`` / ``changes_approve`` / ``change_reject``: every change to pay-relevant
  data (employment, pay element, tax card, bank account) waits for a second person; approval
  by the maker is refused and recorded. A change effective in a period already approved or
  paid marks the employee for retro correction in the next run.
* ``run_create`` → ``run_calculate`` (again until approved) → ``run_approve`` →
  ``run_second_approve`` → ``run_mark_paid``; ``payslip_stop`` stops one employee's pay until
  the payment date. The life cycle is the table :data:`TRANSITIONS`.

The calculation itself is the engine's (``faelles.payroll.engine``); this module builds its
inputs from the approved master data, in chunks of employees (``faelles.payroll.tasks``), and
stores the payslips with set-based inserts.
"""

from faelles.payroll.services.changes import (
    change_approve,
    change_propose,
    change_reject,
    changes_approve,
    settings_for,
    settings_propose,
)
from faelles.payroll.services.common import FINAL_STATES, ZERO, State
from faelles.payroll.services.employees import (
    employee_address_set,
    employee_cpr_read,
    employee_create,
    employees_cpr_read,
    employees_create_bulk,
    encrypt_cpr,
)
from faelles.payroll.services.runs import (
    CHUNK_SIZE,
    FORTNIGHT_ANCHOR,
    TRANSITIONS,
    MasterData,
    calculate_chunk,
    payslip_stop,
    periods_for,
    run_approve,
    run_calculate,
    run_create,
    run_employee_ids,
    run_entry_spec,
    run_ledger_lines,
    run_mark_paid,
    run_second_approve,
    run_totals,
)

__all__ = [
    "CHUNK_SIZE",
    "FINAL_STATES",
    "FORTNIGHT_ANCHOR",
    "TRANSITIONS",
    "ZERO",
    "MasterData",
    "State",
    "calculate_chunk",
    "change_approve",
    "change_propose",
    "change_reject",
    "changes_approve",
    "employee_address_set",
    "employee_cpr_read",
    "employee_create",
    "employees_cpr_read",
    "employees_create_bulk",
    "encrypt_cpr",
    "payslip_stop",
    "periods_for",
    "run_approve",
    "run_calculate",
    "run_create",
    "run_employee_ids",
    "run_entry_spec",
    "run_ledger_lines",
    "run_mark_paid",
    "run_second_approve",
    "run_totals",
    "settings_for",
    "settings_propose",
]
