"""A CPR number never leaks: every written form of one is fed through the payroll CLI, the
import CLI and the API, and every output (standard output and error, response bodies, log
lines, the administrators' error mail, audit details) is searched for it.

The birth date alone (the first six digits) must not show either: the mask hides all digits.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from rest_framework.test import APIClient

from faelles.core.models import AuditEvent
from faelles.redact import CPR_MASK, CprRedactingFilter
from faelles.tenancy.models import Endpoint, Institution, OperatorStaff, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory, ServiceAgreementFactory, UserFactory

CPR = "2307854417"
SEPARATORS = ["", "-", " ", "\u2013", "\u2014", "\u2011", "\u2212", "\u00a0", " - "]
FORMS = [CPR[:6] + sep + CPR[6:] for sep in SEPARATORS]
NEEDLES = [*FORMS, CPR[:6]]
GLN = "5798009811578"

PROJECT_DIR = Path(__file__).resolve().parents[3]
EXAMPLES = Path(os.environ.get("FAELLES_SHARED", PROJECT_DIR.parent / "shared")) / (
    "data/einvoice/examples"
)


def assert_clean(text: str, where: str) -> None:
    for needle in NEEDLES:
        assert needle not in text, f"{where} shows the CPR number as {needle!r}"


def faelles(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``faelles`` command as a real process."""
    script = Path(sys.executable).with_name("faelles")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "faelles.cli"]
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


# --- 1. faelles payroll calc -----------------------------------------------------------------


def _record(number: str = "E1", **changes: object) -> dict[str, object]:
    rec: dict[str, object] = {
        "employee": {"number": number, "name": "Anna Jensen", "cpr": FORMS[1]},
        "payer": {"cvr": "12345678", "name": "Styrelsen"},
        "period": {"frequency": "monthly", "start": "2025-05-01", "end": "2025-05-31"},
        "rounding": "3",
        "elements": [{"code": "salary", "kind": "salary", "amount": "45000.00"}],
        "atp": {"family": "F", "hours": "160.33"},
        "tax_card": {"type": "hovedkort", "rate": "37", "deduction": {"month": "5600"}},
        "holiday": "none",
    }
    rec.update(changes)
    return rec


def _payroll_batch() -> tuple[list[dict[str, object]], list[tuple[str, str, str]]]:
    """Records with a CPR number in every place, and the (ok, code, field) each must give."""
    records: list[dict[str, object]] = []
    expected: list[tuple[str, str, str]] = []
    for n, form in enumerate(FORMS):
        # The employee number is a CPR number.
        records.append(_record(form))
        expected.append(("error", "input.cpr", "employee.number"))
        # An unknown key, at the top and inside an object.
        records.append({**_record(f"E{n}"), form: "x"})
        expected.append(("error", "input.unknown_field", CPR_MASK))
        rec = _record(f"E{n}")
        rec["period"] = {**rec["period"], form: 1}  # type: ignore[dict-item]
        records.append(rec)
        expected.append(("error", "input.unknown_field", f"period.{CPR_MASK}"))
        # In values that errors repeat.
        records.append(_record(f"E{n}", holiday=form))
        expected.append(("error", "input.choice", "holiday"))
        records.append(
            _record(f"E{n}", period={"frequency": form, "start": "2025-05-01", "end": "2025-05-31"})
        )
        expected.append(("error", "input.choice", "period.frequency"))
        # A CPR number in the CPR field, mistyped (one digit too many).
        records.append(_record(f"E{n}", employee={"number": "E9", "cpr": form + "7"}))
        expected.append(("error", "input.cpr", "employee.cpr"))
        # In texts the payslip repeats: the payslip is written with them masked.
        records.append(
            _record(
                f"E{n}",
                employee={"number": f"E{n}", "name": f"Anna {form}", "cpr": form},
                elements=[{"code": form, "text": form, "kind": "salary", "amount": "45000.00"}],
                deductions=[{"code": form, "text": f"({form})", "amount": "10.00"}],
            )
        )
        expected.append(("ok", "", ""))
    return records, expected


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_payroll_calc_never_shows_a_cpr(tmp_path, as_json):
    records, expected = _payroll_batch()
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        + f'{{"employee": "{FORMS[2]}"\n',  # broken JSON holding a CPR number
        encoding="utf-8",
    )
    result = faelles("payroll", "calc", *(["--json"] if as_json else []), str(path))
    assert result.returncode == 1
    assert_clean(result.stdout, "payroll calc stdout")
    assert_clean(result.stderr, "payroll calc stderr")
    ok = sum(1 for e in expected if e[0] == "ok")
    assert result.stderr.endswith(f"{ok} payslip(s), {len(expected) - ok + 1} failed\n")
    if as_json:
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        got = [
            ("ok", "", "") if r["ok"] else ("error", r["error"]["code"], r["error"]["field"])
            for r in lines[:-1]
        ]
        assert got == expected
        assert lines[-1]["error"]["code"] == "input.json"
        errors = [r["error"] for r in lines if not r["ok"]]
        assert errors[0]["employee_number"] == CPR_MASK
        slip = lines[len(expected) - 1]["payslip"]
        assert slip["employee_name"] == f"Anna {CPR_MASK}"
        assert slip["cpr"] == "XXXXXX-4417"
    else:
        assert f"record 1 (employee {CPR_MASK}): employee.number: must not be a CPR number" in (
            result.stderr
        )
        assert f"record 2 (employee E0): {CPR_MASK}: unknown field" in result.stderr
        assert "CPR XXXXXX-4417" in result.stdout


def test_payroll_calc_does_not_repeat_a_cpr_in_a_file_name(tmp_path):
    result = faelles("payroll", "calc", str(tmp_path / f"løn {FORMS[3]}.json"))
    assert result.returncode == 2
    assert f"cannot read {tmp_path}/løn {CPR_MASK}.json" in result.stderr
    assert_clean(result.stdout + result.stderr, "payroll calc usage error")


# --- 2. faelles payables import --------------------------------------------------------------


def _example() -> str:
    path = EXAMPLES / "peppol/base-example.xml"
    if not path.is_file():
        pytest.skip(f"published e-invoice examples not found at {EXAMPLES}")
    return path.read_text(encoding="utf-8")


def _documents() -> dict[str, bytes]:
    """File name → document: every form in the file name, the invoice number, the buyer
    reference and a note; one document routed, one for no institution, one the schema refuses,
    with a CPR number where an amount belongs (the schema's message repeats the value)."""
    base = _example()
    docs: dict[str, bytes] = {}
    for n, form in enumerate(FORMS):
        text = base.replace(
            '<cbc:EndpointID schemeID="0002">FR23342</cbc:EndpointID>',
            f'<cbc:EndpointID schemeID="0088">{GLN if n % 2 == 0 else "5790000000005"}'
            "</cbc:EndpointID>",
        )
        text = text.replace("<cbc:ID>Snippet1</cbc:ID>", f"<cbc:ID>{form}</cbc:ID>", 1)
        text = text.replace(
            "<cbc:BuyerReference>0150abc</cbc:BuyerReference>",
            f"<cbc:BuyerReference>{form}</cbc:BuyerReference>",
            1,
        )
        text = text.replace("<cbc:Note>", f"<cbc:Note>CPR {form}. ", 1)
        if n == len(FORMS) - 1:
            text = re.sub(
                r'(<cbc:PayableAmount currencyID="EUR">)[^<]*', rf"\g<1>{form}", text, count=1
            )
        docs[f"faktura {n} {form}.xml"] = text.encode("utf-8")
    return docs


def _world() -> Institution:
    institution = Institution.objects.create(name="Modtager", short_name="MOD", kind="agency")
    Endpoint.objects.create(institution=institution, scheme="0088", identifier=GLN)
    return institution


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    """A database the child process can use that holds this test's data: the PostgreSQL test
    database itself, or a file copy of the in-memory SQLite test database."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        host = s["HOST"] or "127.0.0.1"
        return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}", None
    copy = tmp_path / "child.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}", copy


def _audit_text(copy: Path | None) -> str:
    if copy is None:
        return json.dumps(
            list(AuditEvent.objects.values_list("object_id", "details")), ensure_ascii=False
        )
    with sqlite3.connect(copy) as db:
        rows = db.execute(f"SELECT object_id, details FROM {AuditEvent._meta.db_table}")
        return json.dumps(rows.fetchall(), ensure_ascii=False)


@pytest.mark.django_db(transaction=True)
def test_payables_import_never_shows_a_cpr(tmp_path):
    _world()
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in _documents().items():
        (folder / name).write_bytes(content)
    url, copy = _database_url(tmp_path)
    env = {"DATABASE_URL": url}

    as_json = faelles("payables", "import", "--json", str(folder), env=env)
    assert as_json.returncode == 0, as_json.stderr
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert records[-1] == {
        "summary": {"accepted": 4, "rejected": 1, "duplicate": 0, "unroutable": 4}
    }
    rejected = [r for r in records[:-1] if r["status"] == "rejected"]
    assert [f["rule"] for f in rejected[0]["findings"]] == ["UBL-XSD"]
    assert CPR_MASK in rejected[0]["findings"][0]["message"]

    # Again, as text: every document is now a duplicate, named by its (masked) file name.
    (folder / f"ny {FORMS[0]}.xml").write_bytes(b"<not-xml " + FORMS[0].encode())
    as_text = faelles("payables", "import", str(folder), env=env)
    assert as_text.returncode == 0, as_text.stderr
    assert f"faktura 0 {CPR_MASK}.xml: duplicate" in as_text.stdout
    assert f"ny {CPR_MASK}.xml: rejected (1 fatal finding(s))" in as_text.stdout

    missing = faelles("payables", "import", str(tmp_path / f"mangler {FORMS[4]}"), env=env)
    assert missing.returncode != 0
    for run, where in ((as_json, "import --json"), (as_text, "import"), (missing, "import")):
        assert_clean(run.stdout, f"{where} stdout")
        assert_clean(run.stderr, f"{where} stderr")
    audit = _audit_text(copy)
    assert CPR_MASK in audit
    assert_clean(audit, "audit details")


# --- 3. the API ------------------------------------------------------------------------------


@contextmanager
def captured_logs():
    """What the configured log handlers write (settings.LOGGING), into one buffer."""
    buffer = io.StringIO()
    handlers = [
        h
        for name in ("", "django", "django.request", "django.server", "django.security")
        for h in logging.getLogger(name).handlers
        if isinstance(h, logging.StreamHandler)
        and not isinstance(h, logging.FileHandler)
        and any(isinstance(f, CprRedactingFilter) for f in h.filters)
    ]
    assert handlers, "no configured log handler carries the CPR filter"
    # Swap the streams directly: setStream() flushes the old stream first, and an
    # earlier test's captured stderr may already be closed.
    old = []
    for h in handlers:
        with h.lock:
            old.append(h.stream)
            h.stream = buffer
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        root.setLevel(level)
        for h, stream in zip(handlers, old, strict=True):
            with h.lock:
                h.stream = stream


@pytest.fixture
def staff():
    """The operator's access-point integration, named by the institution's agreement."""
    institution = _world()
    user = UserFactory(username="integration")
    operator = OperatorFactory()
    OperatorStaff.objects.create(operator=operator, user=user, role=StaffRole.SYSTEM_ADMIN)
    ServiceAgreementFactory(institution=institution, operator=operator, staff=[user])
    return user


@pytest.mark.django_db
def test_the_api_never_shows_a_cpr(staff):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(staff)
    bodies: list[str] = []
    with captured_logs() as logs:
        for name, content in _documents().items():
            response = api.post(
                "/api/v1/payables/documents",
                content,
                content_type="application/xml",
                HTTP_X_FILENAME=name,
                HTTP_X_REFERENCE=FORMS[0],
            )
            assert response.status_code == 201, response.content
            bodies.append(response.content.decode())
            assert response.json()["filename"] == name.replace(name[10:-4], CPR_MASK)
        created = [json.loads(b) for b in bodies if '"sha256"' in b]
        assert {d["status"] for d in created} >= {"accepted", "rejected"}
        # Errors that repeat what was sent: a path, query parameters, a JSON body.
        for form in FORMS:
            for response in (
                api.get(f"/api/v1/payables/invoices/{form}"),
                api.get(f"/api/v1/payables/documents/{form}"),
                api.get("/api/v1/payables/invoices", {"page": form, "state": form}),
                api.post(
                    "/api/v1/payables/documents",
                    b"",
                    content_type="application/xml",
                    HTTP_X_FILENAME=form,
                ),
            ):
                # An unknown state or page finds nothing (200) or answers 400/404.
                assert response.status_code in (200, 400, 404), response.content
                bodies.append(response.content.decode())
        text = logs.getvalue()
    assert "Not Found: /api/v1/payables/invoices/" + CPR_MASK in text
    for body in bodies:
        assert_clean(body, "API response")
    assert_clean(text, "log output")
    assert_clean(
        json.dumps(
            list(AuditEvent.objects.values_list("object_id", "details")), ensure_ascii=False
        ),
        "audit details",
    )


def test_the_api_error_handler_masks_validation_errors():
    from rest_framework import serializers

    from faelles.web.errors import api_exception_handler

    exc = serializers.ValidationError(
        {"reference": [f"{form} is not a reference" for form in FORMS], FORMS[1]: ["unknown"]}
    )
    response = api_exception_handler(exc, {})
    assert response is not None
    assert response.status_code == 400
    assert response.data == {
        "reference": [f"{CPR_MASK} is not a reference"] * len(FORMS),
        CPR_MASK: ["unknown"],
    }
    assert response.data["reference"][0].code == "invalid"


@pytest.mark.django_db
def test_a_server_error_report_and_mail_never_show_a_cpr(settings):
    settings.ADMINS = [("Drift", "drift@example.dk")]
    request = RequestFactory().post(
        f"/api/v1/payables/documents?ref={quote(FORMS[3])}&p={quote_plus(FORMS[2])}",
        {"note": FORMS[4]},
        HTTP_X_FILENAME=FORMS[5],
    )
    person = FORMS[6]  # a local variable the report shows
    try:
        raise ValueError(f"cannot handle {person}")
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s",
            request.get_full_path(),
            exc_info=True,
            extra={"status_code": 500, "request": request},
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "cannot handle XXXXXX-XXXX" in message.body
    assert_clean(message.subject, "error mail subject")
    assert_clean(message.body, "error mail")

    from faelles.web.errors import CprScrubbingExceptionReporter

    try:
        raise ValueError(f"cannot handle {person}")
    except ValueError:
        reporter = CprScrubbingExceptionReporter(request, *sys.exc_info())
    html, text = reporter.get_traceback_html(), reporter.get_traceback_text()
    assert "cannot handle XXXXXX-XXXX" in text
    assert_clean(html, "technical 500 page")
    assert_clean(text, "technical 500 text")


def test_every_configured_log_handler_carries_the_cpr_filter():
    handlers = {
        h
        for name in ("", "django", "django.request", "django.server", "django.security")
        for h in logging.getLogger(name).handlers
        if not type(h).__module__.startswith("_pytest")  # the test runner's own capture
    }
    assert {type(h).__name__ for h in handlers} >= {"StreamHandler", "AdminEmailHandler"}
    for handler in handlers:
        assert any(isinstance(f, CprRedactingFilter) for f in handler.filters), handler


def test_a_celery_worker_s_handlers_get_the_cpr_filter():
    from celery.signals import after_setup_logger

    import faelles.celery  # noqa: F401  (connects the signal)

    logger = logging.getLogger("faelles.tests.worker")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        after_setup_logger.send(sender=None, logger=logger, loglevel=logging.INFO)
        after_setup_logger.send(sender=None, logger=logger, loglevel=logging.INFO)
        assert [type(f) for f in handler.filters] == [CprRedactingFilter]
    finally:
        logger.removeHandler(handler)
