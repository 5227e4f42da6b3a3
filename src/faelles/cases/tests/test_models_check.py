"""A model is checked on upload: unknown services, forms and roles, scripts and unsafe
expressions are refused with a clear message; a valid model is versioned, and running cases
stay on the version they started with. The command line says the same."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from faelles.cases import engine, services
from faelles.cases.models import CaseTypeVersion
from faelles.cases.shipped import MODELS_DIR, SHIPPED
from faelles.cases.tests.factories import complaint_case, make_board, open_task
from faelles.core.audit import Refused
from faelles.core.models import AuditEvent

BPMN = (MODELS_DIR / "complaint.bpmn").read_text()
DMN = (MODELS_DIR / "complaint.dmn").read_bytes()


def _files(bpmn: str) -> dict[str, bytes]:
    return {"complaint.bpmn": bpmn.encode(), "complaint.dmn": DMN}


def _codes(bpmn: str) -> list[str]:
    return [f.code for f in services.model_check(_files(bpmn)).findings]


def test_every_shipped_model_is_valid():
    for shipped in SHIPPED.values():
        parsed = services.model_check(shipped.read())
        assert parsed.findings == [], shipped.code
        assert parsed.process_id


def test_an_unknown_service_task_is_refused_naming_it():
    parsed = services.model_check(_files(BPMN.replace('id="hearing_start"', 'id="fax_send"')))
    assert [(f.code, f.element) for f in parsed.findings] == [("unknown_service", "send_hearing")]
    assert "fax_send" in parsed.findings[0].message


def test_an_unknown_form_and_an_unknown_role_are_refused():
    bpmn = BPMN.replace('value="decision_draft"', 'value="no_such_form"').replace(
        'name="case_manager"', 'name="janitor"'
    )
    assert sorted(_codes(bpmn)) == ["unknown_form", "unknown_role"]


def test_a_script_task_is_refused():
    bpmn = BPMN.replace(
        '<bpmn:sequenceFlow id="f_received" sourceRef="received" targetRef="register"/>',
        '<bpmn:sequenceFlow id="f_received" sourceRef="received" targetRef="evil"/>'
        '<bpmn:scriptTask id="evil"><bpmn:incoming>f_received</bpmn:incoming>'
        "<bpmn:outgoing>f_evil</bpmn:outgoing><bpmn:script>import os</bpmn:script></bpmn:scriptTask>"
        '<bpmn:sequenceFlow id="f_evil" sourceRef="evil" targetRef="register"/>',
    ).replace(
        "<bpmn:incoming>f_received</bpmn:incoming>\n      <bpmn:outgoing>f_register",
        "<bpmn:incoming>f_evil</bpmn:incoming>\n      <bpmn:outgoing>f_register",
    )
    assert "unsupported_element" in _codes(bpmn)


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('id')",
        "admissible.__class__",
        "open('/etc/passwd')",
        "'a' * 10**9",
        "[x for x in range(9)]",
    ],
)
def test_an_unsafe_condition_is_refused(expression):
    bpmn = BPMN.replace("admissible == False", expression.replace("'", "&apos;"))
    assert "unsafe_expression" in _codes(bpmn)
    assert engine.check_expression(expression) is not None


def test_safe_expressions_pass():
    for expression in (
        "approved == True",
        'hearing["deadline"]',
        "len(x) > 2 and y in (1, 2)",
        "max(a, b) - 1",
    ):
        assert engine.check_expression(expression) is None


def test_not_xml_and_not_bpmn_are_refused():
    assert [f.code for f in services.model_check({"x.bpmn": b"<nope"}).findings] == ["not_xml"]
    assert [f.code for f in services.model_check({"x.bpmn": b"<a/>"}).findings] == ["unknown_file"]


@pytest.mark.django_db
def test_an_invalid_model_is_refused_on_import_and_nothing_is_stored():
    world = make_board()
    versions = CaseTypeVersion.objects.count()
    with pytest.raises(Refused) as exc:
        services.case_type_import(
            actor=world.admin,
            institution=world.board,
            files=_files(BPMN.replace('id="appeal_open"', 'id="nope"')),
            code="complaint",
        )
    assert exc.value.refusal_code == "model_invalid"
    assert "unknown service 'nope'" in exc.value.refusal_message
    assert CaseTypeVersion.objects.count() == versions
    assert AuditEvent.objects.filter(action="cases.case_type.import.refused").count() == 1


@pytest.mark.django_db
def test_only_administrators_may_upload():
    world = make_board()
    with pytest.raises(Exception) as exc:
        services.case_type_import(
            actor=world.worker, institution=world.board, files=SHIPPED["complaint"].read()
        )
    assert type(exc.value).__name__ == "Denied"


@pytest.mark.django_db
def test_running_cases_stay_on_their_version():
    world = make_board()
    old_case = complaint_case(world)
    changed = BPMN.replace(
        '<spiffworkflow:property name="due_days" value="5"/>',
        '<spiffworkflow:property name="due_days" value="2"/>',
        1,
    )
    version = services.case_type_import(
        actor=world.admin, institution=world.board, files=_files(changed), code="complaint"
    )
    assert version.number == 2
    # The same files again are the same version.
    again = services.case_type_import(
        actor=world.admin, institution=world.board, files=_files(changed), code="complaint"
    )
    assert again.pk == version.pk
    new_case = complaint_case(world)
    assert old_case.version.number == 1
    assert new_case.version.number == 2
    assert (open_task(new_case).due_at - new_case.opened_at).days == 2
    assert (open_task(old_case).due_at - old_case.opened_at).days == 5


def test_model_check_command_exit_codes(tmp_path, capsys):
    good = tmp_path / "complaint.bpmn"
    good.write_text(BPMN)
    dmn = tmp_path / "complaint.dmn"
    dmn.write_bytes(DMN)
    call_command("cases", "model", "check", str(good), str(dmn))
    assert "ok complaint.bpmn, complaint.dmn: process complaint" in capsys.readouterr().out
    bad = tmp_path / "bad.bpmn"
    bad.write_text(
        BPMN.replace(
            'id="letter_send" resultVariable="dismissal"', 'id="telex" resultVariable="dismissal"'
        )
    )
    with pytest.raises(SystemExit) as exc:
        call_command("cases", "model", "check", str(good), str(bad), str(dmn))
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "unknown service 'telex' [unknown_service]" in out
    assert "ok complaint.bpmn" in out


@pytest.mark.django_db
def test_model_import_command(tmp_path, capsys):
    world = make_board()
    path = tmp_path / "complaint.bpmn"
    path.write_text(BPMN.replace('value="5"/>', 'value="6"/>', 1))
    dmn = tmp_path / "complaint.dmn"
    dmn.write_bytes(DMN)
    call_command(
        "cases",
        "model",
        "import",
        "--institution",
        "KLFU",
        "--code",
        "complaint",
        str(path),
        str(dmn),
    )
    assert "imported complaint version 2 into KLFU" in capsys.readouterr().out
    path.write_text(BPMN.replace('id="appeal_open"', 'id="nope"'))
    with pytest.raises(SystemExit) as exc:
        call_command("cases", "model", "import", "--institution", "KLFU", str(path), str(dmn))
    assert exc.value.code == 1
    assert world.complaint.versions.count() == 2
