"""Retention: the periods, their boundaries, the dry run and the job for core's own records.

Invoices, payment runs, received documents and journal entries are tested in
``payables/tests/test_retention.py``; the sign-in records in ``web/tests/test_retention.py``.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from faelles.core import retention
from faelles.core.audit import OPERATOR_CHAIN, verify_chains
from faelles.core.models import AuditEvent, PersonalDataAccess
from faelles.core.personal_data import log_personal_data_access
from faelles.core.retention import RetentionClock, add_years, expired_ranges
from faelles.core.tasks import retention_run_task

D = dt.date


# --- periods (no database) -----------------------------------------------------------------------


def clock(today, fiscal_years=None):
    return RetentionClock(today=today, now=timezone.now(), fiscal_years=fiscal_years or {})


def test_calendar_material_is_kept_five_years_after_the_end_of_its_year():
    c = clock(D(2025, 1, 1))
    assert c.fiscal_year_end(None, D(2019, 6, 30)) == D(2019, 12, 31)
    assert c.expires_on(None, D(2019, 1, 1), 5) == D(2025, 1, 1)
    assert c.expires_on(None, D(2019, 12, 31), 5) == D(2025, 1, 1)
    assert c.expires_on(None, D(2020, 1, 1), 5) == D(2026, 1, 1)
    assert expired_ranges([], D(2024, 12, 31), 5) == [(None, D(2018, 12, 31))]
    assert expired_ranges([], D(2025, 1, 1), 5) == [(None, D(2019, 12, 31))]


def test_a_fiscal_year_from_the_ledger_decides_and_uncovered_dates_use_the_calendar_year():
    years = {7: [(D(2019, 7, 1), D(2020, 6, 30)), (D(2020, 7, 1), D(2021, 6, 30))]}
    c = clock(D(2025, 7, 1), years)
    assert c.fiscal_year_end(7, D(2019, 8, 1)) == D(2020, 6, 30)
    assert c.expires_on(7, D(2019, 8, 1), 5) == D(2025, 7, 1)
    # Before the first fiscal year: the calendar year 2019.
    assert c.expires_on(7, D(2019, 6, 30), 5) == D(2025, 1, 1)
    # Another institution without fiscal years: the calendar year.
    assert c.expires_on(8, D(2019, 8, 1), 5) == D(2025, 1, 1)
    fys = years[7]
    assert expired_ranges(fys, D(2025, 6, 30), 5) == [(None, D(2019, 6, 30))]
    assert expired_ranges(fys, D(2025, 7, 1), 5) == [
        (D(2019, 7, 1), D(2020, 6, 30)),
        (None, D(2019, 6, 30)),
    ]
    # After the last fiscal year the calendar year applies again.
    assert expired_ranges(fys, D(2028, 1, 1), 5) == [
        (D(2019, 7, 1), D(2020, 6, 30)),
        (D(2020, 7, 1), D(2021, 6, 30)),
        (None, D(2019, 6, 30)),
        (D(2021, 7, 1), D(2022, 12, 31)),
    ]


def test_a_fiscal_year_ending_on_29_february_expires_on_1_march():
    assert add_years(D(2020, 2, 29), 5) == D(2025, 2, 28)
    c = clock(D(2025, 3, 1), {1: [(D(2019, 3, 1), D(2020, 2, 29))]})
    assert c.expires_on(1, D(2019, 3, 1), 5) == D(2025, 3, 1)


def test_every_kind_of_record_has_one_rule_with_basis_period_and_date():
    keys = [r.key for r in retention.rules()]
    assert keys == [
        "payables.invoice",
        "payables.payment_run",
        "payables.received_document",
        "web.login_failure",
        "web.session",
        "web.api_token",
        "ledger.journal_entry",
        "core.personal_data_access",
        "core.audit_event",
    ]
    for r in retention.rules():
        assert r.basis and r.period and r.runs_from and r.records, r.key
    actions = {r.key: r.action for r in retention.rules()}
    assert actions["ledger.journal_entry"] == "report"
    assert actions["core.audit_event"] == "report"


def test_a_delete_rule_needs_a_removal_and_a_report_rule_removes_nothing():
    with pytest.raises(ValueError, match="needs removable and remove"):
        retention.RetentionRule(
            key="x",
            records="x",
            basis="x",
            period="x",
            runs_from="x",
            action="delete",
            due=lambda c: AuditEvent.objects.none(),
            oldest_field="created_at",
        )
    with pytest.raises(ValueError, match="removes nothing"):
        retention.RetentionRule(
            key="x",
            records="x",
            basis="x",
            period="x",
            runs_from="x",
            action="report",
            due=lambda c: AuditEvent.objects.none(),
            oldest_field="created_at",
            remove=lambda ids: {},
        )


# --- the personal-data access log ----------------------------------------------------------------


def _access(user, institution, days_ago, now):
    entry = log_personal_data_access(
        actor=user,
        institution=institution,
        subject_type="payroll.employee",
        subject_id=1,
        purpose="Lønkørsel",
        fields=["cpr"],
    )
    PersonalDataAccess.objects.filter(pk=entry.pk).update(
        accessed_at=now - dt.timedelta(days=days_ago)
    )
    return entry


@pytest.mark.django_db
def test_the_personal_data_log_is_removed_a_day_after_its_period_and_not_a_day_before(
    institution, user, settings
):
    settings.RETENTION_PERSONAL_DATA_LOG_DAYS = 730
    now = timezone.now()
    old = _access(user, institution, 731, now)
    young = _access(user, institution, 729, now)
    exactly = _access(user, institution, 730, now)
    events = AuditEvent.objects.count()

    results = retention.retention_run(actor=None, now=now, only=["core.personal_data_access"])

    assert set(PersonalDataAccess.objects.values_list("pk", flat=True)) == {young.pk, exactly.pk}
    assert results[0]["removed"] == {"core.personaldataaccess": 1}
    assert results[0]["ids"] == [old.pk]
    # The audit events of the reads stay (they hold the keyed reference, never the CPR).
    assert AuditEvent.objects.filter(action="personal_data.read").count() == 3
    assert AuditEvent.objects.count() == events + 1
    assert verify_chains() == []


# --- audit events: kept, reported when due --------------------------------------------------------


@pytest.mark.django_db
def test_audit_events_past_their_period_are_reported_never_removed_and_the_chain_verifies(
    institution, user
):
    _access(user, institution, 0, timezone.now())
    _access(user, institution, 0, timezone.now())
    year = timezone.localdate().year
    first_day = D(year + 6, 1, 1)  # 5 years after the end of this (calendar) year
    before = {r["rule"]: r for r in retention.retention_report(today=first_day - dt.timedelta(1))}
    after = {r["rule"]: r for r in retention.retention_report(today=first_day)}
    n = AuditEvent.objects.count()

    assert before["core.audit_event"]["due"] == 0
    assert after["core.audit_event"] | {"records": "", "basis": "", "guards": ""} == {
        "rule": "core.audit_event",
        "records": "",
        "basis": "",
        "guards": "",
        "period": "5 years from the end of the financial year; then due for archiving",
        "runs_from": "created_at",
        "action": "report",
        "due": n,
        "removable": 0,
        "held": n,
        "oldest_due": str(
            timezone.localdate(AuditEvent.objects.order_by("created_at")[0].created_at)
        ),
    }

    retention.retention_run(actor=None, today=first_day)

    assert AuditEvent.objects.filter(action="personal_data.read").count() == 2
    assert AuditEvent.objects.count() == n + len(retention.rules())
    assert verify_chains() == []


# --- the job itself ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_rule_run_is_an_audit_event_on_the_operator_chain(institution, user):
    old = _access(user, institution, 10_000, timezone.now())

    retention.retention_run(actor=user, only=["core.personal_data_access", "core.audit_event"])

    events = list(AuditEvent.objects.filter(action="retention.run").order_by("seq"))
    assert [(e.chain, e.object_type, e.object_id, e.actor_id) for e in events] == [
        (OPERATOR_CHAIN, "retention.rule", "core.personal_data_access", user.pk),
        (OPERATOR_CHAIN, "retention.rule", "core.audit_event", user.pk),
    ]
    details = events[0].details
    assert details | {"today": ""} == {
        "action": "delete",
        "trigger": "command",
        "today": "",
        "removed": {"core.personaldataaccess": 1},
        "ids": [old.pk],
        "due_remaining": 0,
        "limit_reached": False,
    }
    assert events[1].details["removed"] == {}


@pytest.mark.django_db
def test_a_second_run_removes_nothing_and_the_limit_spreads_work_over_runs(
    institution, user, settings
):
    now = timezone.now()
    rows = [_access(user, institution, 800, now) for _ in range(3)]
    keep = _access(user, institution, 1, now)

    first = retention.retention_run(
        actor=None, now=now, limit=2, only=["core.personal_data_access"]
    )
    second = retention.retention_run(
        actor=None, now=now, limit=2, only=["core.personal_data_access"]
    )
    third = retention.retention_run(
        actor=None, now=now, limit=2, only=["core.personal_data_access"]
    )

    assert (first[0]["ids"], first[0]["due_remaining"], first[0]["limit_reached"]) == (
        [rows[0].pk, rows[1].pk],
        1,
        True,
    )
    assert (second[0]["ids"], second[0]["due_remaining"]) == ([rows[2].pk], 0)
    assert (third[0]["ids"], third[0]["removed"]) == ([], {})
    assert list(PersonalDataAccess.objects.values_list("pk", flat=True)) == [keep.pk]


@pytest.mark.django_db
def test_the_report_changes_nothing(institution, user):
    _access(user, institution, 10_000, timezone.now())
    counts = (PersonalDataAccess.objects.count(), AuditEvent.objects.count())

    report = {r["rule"]: r for r in retention.retention_report()}

    assert (
        report["core.personal_data_access"]["due"],
        report["core.personal_data_access"]["removable"],
    ) == (1, 1)
    assert (PersonalDataAccess.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.django_db
def test_a_failing_rule_is_reported_and_does_not_stop_the_others(institution, user, monkeypatch):
    def boom(ids):
        raise RuntimeError("disk on fire")

    broken = retention.RetentionRule(
        key="core.zz_broken",
        records="x",
        basis="x",
        period="x",
        runs_from="x",
        action="delete",
        due=lambda c: PersonalDataAccess.objects.all(),
        removable=lambda c: PersonalDataAccess.objects.all(),
        remove=boom,
        oldest_field="accessed_at",
        order=1,
    )
    monkeypatch.setitem(retention._rules, broken.key, broken)
    old = _access(user, institution, 10_000, timezone.now())

    results = retention.retention_run(
        actor=None, only=["core.zz_broken", "core.personal_data_access"]
    )

    assert results[0] == {"rule": "core.zz_broken", "error": "RuntimeError: disk on fire"}
    assert results[1]["ids"] == [old.pk]
    assert not AuditEvent.objects.filter(object_id="core.zz_broken").exists()
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
def test_the_beat_task_is_scheduled_daily_and_runs_the_job(institution, user, settings):
    from celery.schedules import crontab

    assert settings.CELERY_BEAT_SCHEDULE["retention-daily"] == {
        "task": "faelles.core.tasks.retention_run",
        "schedule": crontab(hour=2, minute=30),
    }
    _access(user, institution, 10_000, timezone.now())

    results = retention_run_task.apply().get()

    assert [r["rule"] for r in results] == [r.key for r in retention.rules()]
    assert PersonalDataAccess.objects.count() == 0
    assert set(
        AuditEvent.objects.filter(action="retention.run").values_list("details__trigger", flat=True)
    ) == {"schedule"}


@pytest.mark.django_db
def test_the_command_reports_as_json_and_refuses_bad_input(institution, user, capsys):
    _access(user, institution, 10_000, timezone.now())

    call_command("retention", "report", "--json")
    import json

    rows = {r["rule"]: r for r in json.loads(capsys.readouterr().out)["rules"]}
    assert (rows["core.personal_data_access"]["due"], PersonalDataAccess.objects.count()) == (1, 1)

    with pytest.raises(CommandError, match="no retention rule nope") as exc:
        call_command("retention", "run", "--rule", "nope")
    assert exc.value.returncode == 2
    with pytest.raises(CommandError, match="--limit must be at least 1"):
        call_command("retention", "run", "--limit", "0")
    assert PersonalDataAccess.objects.count() == 1

    call_command("retention", "run", "--rule", "core.personal_data_access")
    assert "core.personal_data_access [delete]: removed core.personaldataaccess 1" in (
        capsys.readouterr().out
    )
    assert PersonalDataAccess.objects.count() == 0
