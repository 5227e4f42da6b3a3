"""The five controls, set-based over the DuckDB tables of :mod:`faelles.control.sources`.

Each control answers :class:`Finding` objects; :func:`run_controls` loads what the chosen
controls need once and runs them. Nothing here writes to the database (``services`` does).

Scores (0–1, the work list shows ≥ ``models.WORK_LIST_THRESHOLD``):

* ``duplicate_invoices`` — same vendor (CVR/GLN/VAT id/name across institutions), same amount,
  issue dates at most ``INVOICE_WINDOW_DAYS`` apart and the same folded invoice number
  (``normalize.fold_number``): 0.97 identical numbers, 0.92 equal but for punctuation and
  leading zeros, 0.85 equal only after OCR folding; minus 0.001 per day apart. Invoices of one
  vendor with the same amount but different numbers (a monthly fee) are never paired;
* ``duplicate_payments`` — same payee account and amount paid at most
  ``PAYMENT_WINDOW_DAYS`` apart: 0.95 the same FIK payment id, 0.93 the same folded invoice
  number, 0.75 two different vendors paid to one account, 0.45 one vendor's different invoices paid
  at most ``SAME_VENDOR_DAYS`` apart (kept as *possible*, below the work list); two different
  FIK payment ids are two invoices;
* ``vendor_employee_account`` — a vendor master's account (current or history) is an
  employee's salary account: 0.95 in the same institution, 0.85 across institutions;
* ``segregation_of_duties`` — from the audit trail: one person (acting or acted for) approved
  and paid (scheduled, paid or released the run of) an invoice: 0.95; created (received by
  upload or coded) and approved it: 0.90; created and released a payment run: 0.90;
* ``vendor_employee_match`` — splink's match probability of a vendor and an employee on name
  and address (:mod:`faelles.control.linkage`).

Money at stake: what would be paid twice (the amount times the copies beyond the first), the
invoices paid to the vendor (employee matches), the invoice or run (segregation of duties).
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

from faelles.control import linkage, normalize, people, sources
from faelles.control.models import Control
from faelles.control.normalize import fold_sql

INVOICE_WINDOW_DAYS = 90
PAYMENT_WINDOW_DAYS = 14
#: One vendor's different invoices of one amount to one account are a *possible* duplicate
#: payment only when paid at most this many days apart (recurring fees are not).
SAME_VENDOR_DAYS = 3
#: Findings scoring below this are not kept at all.
STORE_FLOOR = Decimal("0.300")
CENT = Decimal("0.01")
SCORE = Decimal("0.001")


@dataclass
class Finding:
    control: str
    institution_id: int  # whose money is at stake: the owner of the hit
    institutions: list[int]
    objects: list[dict[str, Any]]  # {"type", "id", "institution"}
    score: Decimal
    amount: Decimal
    reason: str  # English, stable (the UI translates the reason code)
    reason_code: str
    params: dict[str, Any]
    pattern_text: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        ids = sorted(f"{o['type']}:{o['id']}" for o in self.objects)
        return _sha(f"{self.control}|{'|'.join(ids)}")

    @property
    def pattern(self) -> str:
        return _sha(f"{self.control}|{self.pattern_text}")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _score(value: float) -> Decimal:
    return max(Decimal(0), min(Decimal(1), Decimal(str(round(value, 3))))).quantize(SCORE)


def _money(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def _clusters(pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of the pairs (union-find), each sorted."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        groups[find(x)].append(x)
    return [sorted(g) for g in groups.values()]


_HOW = {
    "identical": "with the same invoice number",
    "punctuation": "with invoice numbers that differ only in punctuation or leading zeros",
    "ocr": "with invoice numbers that differ only in OCR-like confusions (O/0, l/1, S/5 …)",
}


def _compact(column: str) -> str:
    """``normalize.number_key`` in DuckDB (computed for the pairs only)."""
    return (
        f"regexp_replace(regexp_replace(upper({column}), '[^0-9A-Z]', '', 'g'), "
        "'(^|[^0-9])0+([0-9])', '\\1\\2', 'g')"
    )


# --- duplicate invoices ----------------------------------------------------------------------


def duplicate_invoices(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    con.execute(
        f"""
        CREATE OR REPLACE TABLE inv AS
        WITH base AS (
            SELECT i.id, i.institution_id, i.vendor_id, v.vendor_key, i.number, i.issue_date,
                   i.cents
            FROM invoices i JOIN vendors v ON v.id = i.vendor_id
        ), candidates AS (
            -- only invoices that share vendor and amount with another are compared
            SELECT vendor_key, cents FROM base GROUP BY ALL HAVING count(*) > 1
        )
        SELECT b.*, {fold_sql("b.number")} AS nkey
        FROM base b JOIN candidates USING (vendor_key, cents)
        """  # noqa: S608 - names are this module's own
    )
    pairs = con.execute(
        f"""
        SELECT a.id, b.id, a.number = b.number,
               {_compact("a.number")} = {_compact("b.number")},
               abs(date_diff('day', a.issue_date, b.issue_date))
        FROM inv a JOIN inv b
          ON a.vendor_key = b.vendor_key AND a.cents = b.cents AND a.nkey = b.nkey
         AND a.id < b.id
        WHERE a.nkey <> ''
          AND abs(date_diff('day', a.issue_date, b.issue_date)) <= {INVOICE_WINDOW_DAYS}
        """  # noqa: S608 - names are this module's own
    ).fetchall()
    if not pairs:
        return []
    pair_score: dict[tuple[int, int], tuple[float, str]] = {}
    for a, b, same, compact, days in pairs:
        if same:
            base, how = 0.97, "identical"
        elif compact:
            base, how = 0.92, "punctuation"
        else:
            base, how = 0.85, "ocr"
        pair_score[(a, b)] = (base - 0.001 * days, how)
    groups = _clusters(pair_score)
    ids = sorted({i for g in groups for i in g})
    con.execute("CREATE OR REPLACE TEMP TABLE wanted(id BIGINT)")
    con.executemany("INSERT INTO wanted VALUES (?)", [(i,) for i in ids])
    rows = {
        r[0]: r
        for r in con.execute(
            """SELECT i.id, i.institution_id, i.vendor_key, i.nkey, i.cents, i.issue_date, i.number
               FROM inv i JOIN wanted w USING (id)"""
        ).fetchall()
    }
    out = []
    for group in groups:
        members = sorted(group, key=lambda i: (rows[i][5], i))
        best, how = max(
            (pair_score[(a, b)] for a in group for b in group if (a, b) in pair_score),
            key=lambda s: s[0],
        )
        last = rows[members[-1]]
        institutions = list(dict.fromkeys([last[1], *(rows[i][1] for i in members)]))
        out.append(
            Finding(
                control=Control.DUPLICATE_INVOICES,
                institution_id=last[1],
                institutions=institutions,
                objects=[{"type": "invoice", "id": i, "institution": rows[i][1]} for i in members],
                score=_score(best),
                amount=_money(last[4] * (len(members) - 1)),
                reason=(
                    f"{len(members)} invoices from the same vendor for the same amount, "
                    f"{_HOW[how]}"
                    + (", in different institutions" if len(institutions) > 1 else "")
                ),
                reason_code=f"duplicate_invoices.{how}",
                params={"count": len(members), "numbers": [rows[i][6] for i in members]},
                pattern_text=f"{last[2]}|{last[3]}|{last[4]}",
                facts={"match": how, "cross_institution": len(institutions) > 1},
            )
        )
    return out


# --- duplicate payments ----------------------------------------------------------------------


def duplicate_payments(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    rows = con.execute(
        f"""
        WITH candidates AS (
            SELECT account, cents FROM payments GROUP BY ALL HAVING count(*) > 1
        ), p AS (
            SELECT p.*, v.vendor_key, {fold_sql("p.number")} AS nkey
            FROM payments p JOIN candidates USING (account, cents)
            JOIN vendors v ON v.id = p.vendor_id
        ), pairs AS (
        SELECT a.id AS a_id, b.id AS b_id, a.institution_id AS a_inst,
               b.institution_id AS b_inst, a.account, a.cents,
               abs(date_diff('day', a.pay_date, b.pay_date)) AS days,
               a.payment_id <> '' AND a.payment_id = b.payment_id AS same_pid,
               a.nkey = b.nkey AND a.nkey <> '' AS same_number,
               a.vendor_key <> b.vendor_key AS other_vendor,
               a.pay_date AS a_date, b.pay_date AS b_date
        FROM p a JOIN p b
          ON a.account = b.account AND a.cents = b.cents AND a.id < b.id
        WHERE abs(date_diff('day', a.pay_date, b.pay_date)) <= {PAYMENT_WINDOW_DAYS}
          AND NOT (a.payment_id <> '' AND b.payment_id <> '' AND a.payment_id <> b.payment_id)
        )
        SELECT * FROM pairs
        -- one vendor's different invoices of one amount: only when paid days apart
        WHERE same_pid OR same_number OR other_vendor OR days <= {SAME_VENDOR_DAYS}
        """  # noqa: S608 - names are this module's own
    ).fetchall()
    found: dict[tuple[int, int], tuple[float, str]] = {}
    info: dict[int, tuple[int, str, int, Any]] = {}
    for a, b, inst_a, inst_b, account, cents, days, same_pid, same_number, other, da, db in rows:
        if same_pid:
            score, how = 0.95, "payment_id"
        elif same_number:
            score, how = 0.93 - 0.002 * days, "invoice_number"
        elif other:
            score, how = 0.75 - 0.01 * days, "other_vendor"
        else:
            score, how = 0.45 - 0.03 * days, "same_vendor"
        if _score(score) < STORE_FLOOR:
            continue
        found[(a, b)] = (score, how)
        info[a] = (inst_a, account, cents, da)
        info[b] = (inst_b, account, cents, db)
    out = []
    for group in _clusters(found):
        members = sorted(group, key=lambda i: (info[i][3], i))
        best, how = max(
            (found[(a, b)] for a in group for b in group if (a, b) in found), key=lambda s: s[0]
        )
        last = info[members[-1]]
        institutions = list(dict.fromkeys([last[0], *(info[i][0] for i in members)]))
        out.append(
            Finding(
                control=Control.DUPLICATE_PAYMENTS,
                institution_id=last[0],
                institutions=institutions,
                objects=[{"type": "invoice", "id": i, "institution": info[i][0]} for i in members],
                score=_score(best),
                amount=_money(last[2] * (len(members) - 1)),
                reason=(
                    f"{len(members)} payments of the same amount to the same account within "
                    f"{PAYMENT_WINDOW_DAYS} days ({how.replace('_', ' ')})"
                ),
                reason_code=f"duplicate_payments.{how}",
                params={"count": len(members), "days": PAYMENT_WINDOW_DAYS},
                pattern_text=f"{last[1]}|{last[2]}",
                facts={"match": how, "account": last[1]},
            )
        )
    return out


# --- vendor accounts and employees -----------------------------------------------------------


def _vendor_money(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    return dict(
        con.execute("SELECT vendor_id, sum(cents) FROM invoices GROUP BY vendor_id").fetchall()
    )


def _people(con: duckdb.DuckDBPyConnection, ids: Iterable[int]) -> dict[str, dict[str, Any]]:
    """Employees' name, address, institution and accounts, for the evidence (by id, as text)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = con.execute(
        """SELECT id, any_value(institution_id), any_value(name), any_value(address),
                  list(DISTINCT account) FILTER (WHERE account <> '')
           FROM employees WHERE list_contains(?, id) GROUP BY id""",
        [wanted],
    ).fetchall()
    return {
        str(pk): {"institution": inst, "name": name, "address": address, "accounts": accounts or []}
        for pk, inst, name, address, accounts in rows
    }


def vendor_employee_account(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    rows = con.execute(
        """
        SELECT DISTINCT va.vendor_id, va.institution_id, e.id, e.institution_id, va.account
        FROM vendor_accounts va JOIN employees e ON e.account = va.account
        WHERE va.account <> ''
        """
    ).fetchall()
    money = _vendor_money(con) if rows else {}
    who = _people(con, (r[2] for r in rows))
    out = []
    for vendor, v_inst, employee, e_inst, account in rows:
        same = v_inst == e_inst
        out.append(
            Finding(
                control=Control.VENDOR_EMPLOYEE_ACCOUNT,
                institution_id=v_inst,
                institutions=list(dict.fromkeys([v_inst, e_inst])),
                objects=[
                    {"type": "vendor", "id": vendor, "institution": v_inst},
                    {"type": "employee", "id": employee, "institution": e_inst},
                ],
                score=_score(0.95 if same else 0.85),
                amount=_money(money.get(vendor, 0)),
                reason="the vendor's bank account is an employee's salary account"
                + ("" if same else " (employee of another institution)"),
                reason_code="vendor_employee_account." + ("same" if same else "other"),
                params={},
                pattern_text=f"{vendor}|{employee}|{account}",
                facts={"account": account, "people": {str(employee): who[str(employee)]}},
            )
        )
    return out


def vendor_employee_match(
    con: duckdb.DuckDBPyConnection, institutions: list[int], backend: str = "duckdb"
) -> list[Finding]:
    # the newest document of each vendor names its address (the vendor master has none)
    newest = dict(
        con.execute("SELECT vendor_id, max(document_id) FROM invoices GROUP BY 1").fetchall()
    )
    parties = people.vendor_parties(institutions, newest=newest)
    sources._table(
        con,
        "vendor_parties",
        [(p.vendor_id, p.institution_id, p.name, p.address) for p in parties],
        {"ref": "BIGINT", "institution_id": "BIGINT", "name": "VARCHAR", "address": "VARCHAR"},
    )
    linkage.link_table(con, "link_vendors", "v", "vendor_parties")
    # Only employees who can meet a vendor in a block: the same postcode (both blocking rules
    # imply it when addresses carry one) or none at all. The postcode is cheap to extract;
    # the full normal forms are made for these only.
    con.execute(
        f"""
        CREATE OR REPLACE VIEW employee_parties AS
        SELECT id AS ref, institution_id, name, address FROM employees
        WHERE nullif({normalize.postcode_sql("address")}, '') IS NULL
           OR {normalize.postcode_sql("address")} IN (
               SELECT postcode FROM link_vendors WHERE postcode IS NOT NULL)
        """  # noqa: S608 - names are this module's own
    )
    linkage.link_table(con, "link_employees", "e", "employee_parties")
    pairs = linkage.predict("link_vendors", "link_employees", backend=backend, connection=con)
    if pairs.empty:
        return []
    money = _vendor_money(con)
    v_inst, v_address = {}, {}
    for ref, institution_id, address in con.execute(
        "SELECT ref, institution_id, address FROM link_vendors"
    ).fetchall():
        v_inst[ref], v_address[ref] = institution_id, address or ""
    e_inst = dict(con.execute("SELECT ref, institution_id FROM link_employees").fetchall())
    who = _people(con, (int(e) for e in pairs["employee"]))
    out = []
    for row in pairs.itertuples(index=False):
        vendor, employee = int(row.vendor), int(row.employee)
        vi, ei = int(v_inst[vendor]), int(e_inst[employee])
        out.append(
            Finding(
                control=Control.VENDOR_EMPLOYEE_MATCH,
                institution_id=vi,
                institutions=list(dict.fromkeys([vi, ei])),
                objects=[
                    {"type": "vendor", "id": vendor, "institution": vi},
                    {"type": "employee", "id": employee, "institution": ei},
                ],
                score=_score(float(row.match_probability)),
                amount=_money(money.get(vendor, 0)),
                reason="the vendor's name and address match an employee's",
                reason_code="vendor_employee_match",
                params={},
                pattern_text=f"{vendor}|{employee}",
                facts={
                    "match_probability": round(float(row.match_probability), 6),
                    "name_level": int(row.name_level),
                    "address_level": int(row.address_level),
                    # the seller address the linkage compared (the vendor master has none)
                    "vendor_address": v_address.get(vendor, ""),
                    "people": {str(employee): who.get(str(employee), {})},
                },
            )
        )
    return out


# --- segregation of duties -------------------------------------------------------------------

_SOD = {
    "approved_and_paid": (0.95, "one person approved and paid the invoice"),
    "created_and_approved": (0.90, "one person created and approved the invoice"),
    "created_and_released": (0.90, "one person created and released the payment run"),
}


def segregation_of_duties(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    rows = con.execute(
        """
        WITH per_invoice AS (
            SELECT d.institution_id, d.invoice_id, d.person_id, d.duty FROM duties d
            WHERE d.invoice_id IS NOT NULL
            UNION ALL
            -- releasing the run that pays an invoice is paying it
            SELECT d.institution_id, i.id, d.person_id, 'pay' FROM duties d
            JOIN invoices i ON i.payment_run_id = d.run_id WHERE d.duty = 'release_run'
        ), inv AS (
            SELECT institution_id, invoice_id, person_id, list(DISTINCT duty) AS duties
            FROM per_invoice GROUP BY ALL
        ), runs AS (
            SELECT institution_id, run_id, person_id, list(DISTINCT duty) AS duties
            FROM duties WHERE run_id IS NOT NULL GROUP BY ALL
        )
        SELECT 'invoice', inv.institution_id, inv.invoice_id, inv.person_id,
               list_contains(duties, 'approve') AND list_contains(duties, 'pay'),
               list_contains(duties, 'create') AND list_contains(duties, 'approve'),
               false, i.cents
        FROM inv LEFT JOIN invoices i ON i.id = inv.invoice_id
        WHERE list_contains(duties, 'approve')
          AND (list_contains(duties, 'pay') OR list_contains(duties, 'create'))
        UNION ALL
        SELECT 'run', runs.institution_id, runs.run_id, runs.person_id, false, false, true,
               (SELECT sum(cents) FROM invoices i WHERE i.payment_run_id = runs.run_id)
        FROM runs
        WHERE list_contains(duties, 'create_run') AND list_contains(duties, 'release_run')
        """
    ).fetchall()
    out = []
    for kind, inst, obj, person, approved_paid, created_approved, run_rule, cents in rows:
        rules = [
            name
            for name, hit in (
                ("approved_and_paid", approved_paid),
                ("created_and_approved", created_approved),
                ("created_and_released", run_rule),
            )
            if hit
        ]
        for rule in rules:
            score, text = _SOD[rule]
            kind_name = "invoice" if kind == "invoice" else "payment_run"
            out.append(
                Finding(
                    control=Control.SEGREGATION_OF_DUTIES,
                    institution_id=inst,
                    institutions=[inst],
                    objects=[
                        {"type": kind_name, "id": obj, "institution": inst},
                        {"type": "user", "id": person, "institution": inst},
                    ],
                    score=_score(score),
                    amount=_money(cents or 0),
                    reason=text,
                    reason_code=f"segregation_of_duties.{rule}",
                    params={},
                    pattern_text=f"{rule}|{kind_name}|{obj}|{person}",
                    facts={"rule": rule},
                )
            )
    return out


# --- the run ---------------------------------------------------------------------------------

NEEDS: dict[str, tuple[str, ...]] = {
    Control.DUPLICATE_INVOICES: ("vendors", "invoices"),
    Control.DUPLICATE_PAYMENTS: ("vendors", "invoices", "payments"),
    Control.VENDOR_EMPLOYEE_ACCOUNT: ("invoices", "vendor_accounts", "employees"),
    Control.SEGREGATION_OF_DUTIES: ("invoices", "duties"),
    Control.VENDOR_EMPLOYEE_MATCH: ("invoices", "employees"),
}


@dataclass
class Outcome:
    findings: list[Finding]
    seconds: dict[str, float]
    notes: dict[str, str]


def run_controls(
    institutions: list[int], controls: list[str], *, linkage_backend: str = "duckdb"
) -> Outcome:
    """Run ``controls`` over ``institutions``; every table is loaded once."""
    con = duckdb.connect()
    seconds: dict[str, float] = {}
    notes: dict[str, str] = {}
    needed = {t for c in controls for t in NEEDS[c]}
    employee_rows: list[people.EmployeeRecord] = []
    loaders: list[tuple[str, Callable[[], Any]]] = [
        ("vendors", lambda: sources.load_vendors(con, institutions)),
        ("invoices", lambda: sources.load_invoices(con, institutions)),
        ("payments", lambda: sources.load_payments(con, institutions)),
        ("vendor_accounts", lambda: sources.load_vendor_accounts(con, institutions)),
        ("duties", lambda: sources.load_duties(con, institutions)),
    ]
    if "duties" in needed:
        needed.add("invoices")
    big = {
        "invoices": lambda: sources.invoices_query(institutions),
        "paid_means": lambda: sources.paid_means_query(institutions),
        "events": lambda: sources.events_query(institutions),
    }
    wanted = {"invoices": "invoices", "paid_means": "payments", "events": "duties"}
    started = time.perf_counter()
    with sources.prefetch({t: big[t]() for t, need in wanted.items() if need in needed}):
        seconds["prefetch"] = round(time.perf_counter() - started, 3)
        for name, load in loaders:
            if name in needed:
                started = time.perf_counter()
                load()
                seconds[f"load_{name}"] = round(time.perf_counter() - started, 3)
    if "employees" in needed:
        started = time.perf_counter()
        if people.payroll_available():
            employee_rows = list(people.employee_records(institutions))
        else:
            for c in controls:
                if "employees" in NEEDS[c]:
                    notes[c] = "no payroll data: the payroll app has no employees yet"
        sources._table(
            con,
            "employees",
            [(r.institution_id, r.id, r.name, r.address, r.account) for r in employee_rows],
            {
                "institution_id": "BIGINT",
                "id": "BIGINT",
                "name": "VARCHAR",
                "address": "VARCHAR",
                "account": "VARCHAR",
            },
        )
        seconds["load_employees"] = round(time.perf_counter() - started, 3)
    findings: list[Finding] = []
    for control in controls:
        started = time.perf_counter()
        if control == Control.DUPLICATE_INVOICES:
            found = duplicate_invoices(con)
        elif control == Control.DUPLICATE_PAYMENTS:
            found = duplicate_payments(con)
        elif control == Control.VENDOR_EMPLOYEE_ACCOUNT:
            found = vendor_employee_account(con)
        elif control == Control.SEGREGATION_OF_DUTIES:
            found = segregation_of_duties(con)
        elif control == Control.VENDOR_EMPLOYEE_MATCH:
            if employee_rows:
                found = vendor_employee_match(con, institutions, backend=linkage_backend)
            else:
                found = []
        else:  # pragma: no cover - the callers check the names
            raise ValueError(control)
        findings.extend(f for f in found if f.score >= STORE_FLOOR)
        seconds[control] = round(time.perf_counter() - started, 3)
    con.close()
    return Outcome(findings=findings, seconds=seconds, notes=notes)
