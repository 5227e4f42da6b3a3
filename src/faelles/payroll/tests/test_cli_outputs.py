"""``faelles payroll run`` and the outputs of a run: pain.001 against the ISO schema, the
eIndkomst records, the payslips, and the net total equal in the three places it appears."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from importlib import resources

import pytest
import xmlschema
from lxml import etree

from faelles.cli import main
from faelles.core.models import PersonalDataAccess
from faelles.ledger.checks import run_all
from faelles.ledger.models import JournalLine
from faelles.payroll.models import PayRun, Payslip
from faelles.payroll.outputs import PAIN_NS, eindkomst, pain001, payslip_html, payslip_pdf
from faelles.payroll.tests.factories import YEAR, monthly_run, pay, payroll_setup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # A management command closes every connection when it ends (run_from_argv); on
    # PostgreSQL that would close the test's own transaction under it.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


KEYS = [
    "run",
    "institution",
    "period",
    "state",
    "employees",
    "payslips",
    "refused",
    "gross",
    "am",
    "a_tax",
    "net",
    "employer_cost",
    "entry",
]


@functools.cache
def pain001_schema() -> xmlschema.XMLSchema:
    xsd = resources.files("sepaxml").joinpath("schemas/pain.001.001.03.xsd")
    with resources.as_file(xsd) as path:
        return xmlschema.XMLSchema(str(path))


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_run_without_approvers_leaves_the_run_calculated_and_writes_draft_outputs(tmp_path, capsys):
    s = payroll_setup()
    s.employee("AC")
    s.employee("HOURLY")
    code = main(
        [
            "payroll",
            "run",
            "--institution",
            s.institution.short_name,
            "--period",
            f"{YEAR}-05",
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    rows = _json_lines(out)
    assert list(rows[0]) == KEYS
    assert rows[0]["state"] == "calculated" and rows[0]["entry"] is None
    assert rows[0]["payslips"] == 2
    assert isinstance(rows[0]["net"], str)
    assert rows[-1]["summary"]["net"] == rows[0]["net"]
    assert PayRun.objects.get().state == PayRun.State.CALCULATED
    pains = list(tmp_path.glob("pain001*.xml"))
    assert len(pains) == 1 and "DRAFT" in pains[0].name
    assert len(list(tmp_path.glob("eindkomst*.txt"))) == 1
    assert len(list((tmp_path / "payslips").rglob("*.pdf"))) == 2
    assert len(list((tmp_path / "payslips").rglob("*.html"))) == 2


def test_run_with_two_approvers_posts_an_entry_whose_net_payable_equals_the_pain001_sum(
    tmp_path, capsys
):
    s = payroll_setup()
    for profile in ("AC", "HK", "HOURLY", "STUDENT"):
        s.employee(profile)
    code = main(
        [
            "payroll",
            "run",
            "--institution",
            s.institution.short_name,
            "--period",
            f"{YEAR}-05",
            "--approve-as",
            s.officer.username,
            "--second-approver",
            s.second.username,
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    assert code == 0
    row = _json_lines(capsys.readouterr().out)[0]
    assert row["state"] == "second_approved" and row["entry"]
    run = PayRun.objects.get()
    content = next(tmp_path.glob("pain001*.xml")).read_bytes()
    pain001_schema().validate(content)
    doc = etree.fromstring(content)
    ctrl = doc.find(f"{{{PAIN_NS}}}CstmrCdtTrfInitn/{{{PAIN_NS}}}GrpHdr/{{{PAIN_NS}}}CtrlSum").text
    assert Decimal(ctrl) == run.net == Decimal(row["net"])
    lines = JournalLine.objects.filter(entry=run.entry)
    payable = sum(x.credit - x.debit for x in lines if x.account.number == "9160")
    assert payable == run.net
    assert run_all([s.institution]) == []
    assert "DRAFT" not in next(tmp_path.glob("pain001*.xml")).name


def test_the_eindkomst_report_reads_cprs_as_personal_data_events():
    s = payroll_setup()
    s.employee("AC", cpr="0101801234")
    run = pay(s, monthly_run(s, 5))
    before = PersonalDataAccess.objects.count()
    text = eindkomst(run, actor=s.officer)
    assert PersonalDataAccess.objects.count() == before + 1
    records = text.splitlines()
    assert [r[:4] for r in records[:3]] == ["1000", "5000", "6000"]
    assert records[2][4:14] == "0101801234"
    assert records[-1][:4] == "9999" and int(records[-1][4:]) == len(records)
    fields = {r[4:8]: r[8:] for r in records if r.startswith("6001")}
    assert fields["0013"].startswith("+")
    slip = Payslip.objects.get(run=run)
    assert Decimal(fields["0015"]) / 100 == Decimal(slip.data["eindkomst"]["15"])


def test_the_payslip_shows_the_legal_minimum_with_the_cpr_masked():
    s = payroll_setup()
    s.employee("HK", cpr="0101801234")
    run = monthly_run(s, 5)
    slip = Payslip.objects.get(run=run)
    html = payslip_html(slip)
    assert "XXXXXX-1234" in html and "0101801234" not in html
    for key in ("am_income", "am_contribution", "a_income", "deduction", "a_tax", "net"):
        assert f'data-total="{key}"' in html
    assert s.institution.cvr in html
    assert 'data-employer-line="atp:employer"' in html
    assert 'data-line="pension:employee"' in html
    assert 'data-employer-line="holiday:special"' in html
    assert 'data-draft="true"' in html
    pdf = payslip_pdf(slip)
    assert pdf.startswith(b"%PDF-")
    assert pain001(run)  # a draft file is still schema-valid
    pain001_schema().validate(pain001(run))


def test_the_engine_calc_subcommand_still_runs_without_django(tmp_path, capsys):
    record = tmp_path / "r.json"
    record.write_text(
        '{"employee": {"number": "E1", "name": "A", "cpr": "0101901234"},'
        '"payer": {"cvr": "12345678", "name": "X"},'
        '"period": {"frequency": "monthly", "start": "2025-05-01", "end": "2025-05-31"},'
        '"elements": [{"kind": "salary", "amount": "45000.00"}],'
        '"atp": {"family": "A", "hours": "160"}, "tax_card": {"type": "bikort", "rate": "37"}}'
    )
    assert main(["payroll", "calc", "--json", str(record)]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
