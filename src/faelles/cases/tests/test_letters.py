"""Letters: docx templates filled with the case's data, rendered to PDF without an office
suite, replaced per case type by an administrator (checked on upload), and sent as MeMo
messages through the file drop."""

from __future__ import annotations

import base64
import contextlib
import io
import re
import uuid
import zlib
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from faelles.cases import letter_templates, letters, services
from faelles.cases.models import CaseDocument, LetterTemplate
from faelles.cases.tests.factories import CITIZEN_CPR, T0, complaint_case, make_board, open_task
from faelles.core.audit import Denied, Refused
from faelles.core.models import AuditEvent
from faelles.tenancy.models import Role
from faelles.tenancy.tests.factories import InstitutionFactory, member

pytestmark = pytest.mark.django_db

MEMO = "{https://DigitalPost.dk/MeMo-1}"


def pdf_text(data: bytes) -> str:
    """The text shown by a PDF of fpdf2's core fonts (its content streams' Tj strings)."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        raw = match.group(1)
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        for text in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", raw, re.S):
            text = text.replace(b"\\(", b"(").replace(b"\\)", b")").replace(b"\\\\", b"\\")
            parts.append(text.decode("latin-1"))
    return " ".join(parts)


def docx_with(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _to_decision(world, case, *, reasons="Udbuddet var lovligt.\nTildelingen fulgte kriterierne."):
    for task, actor, data in (
        ("register", world.worker, {"complainant_is_party": True, "days_since_decision": 3}),
        ("await_statements", world.worker, {}),
        (
            "draft_decision",
            world.worker,
            {"outcome": "not_upheld", "reasons": reasons, "legal_basis": "Udbudsloven § 160"},
        ),
        ("approve_decision", world.manager, {"approved": True}),
    ):
        case = services.case_task_complete(
            actor=actor, task=open_task(case, task), data=data, now=T0
        )
    return case


@pytest.mark.parametrize("kind", letters.KINDS)
def test_every_shipped_template_passes_its_own_check_and_is_what_the_builder_writes(kind):
    shipped = letters.shipped_template(kind)
    assert letters.check_template(shipped) == []

    def body(content: bytes) -> list[str]:
        return [p.text for p in Document(io.BytesIO(content)).paragraphs]

    assert body(shipped) == body(letter_templates.build(kind))


def test_the_decision_letter_carries_outcome_reasons_legal_basis_and_complaint_guidance():
    world = make_board()
    case = _to_decision(world, complaint_case(world))
    letter = case.documents.get(direction=CaseDocument.Direction.OUTGOING, title="Decision")
    content = bytes(letter.content)
    assert content.startswith(b"%PDF-1.")
    text = pdf_text(content)
    for expected in (
        "Klagenævnet for Udbud",
        f"Sagsnr. {case.number}",
        "Hans Hansen",
        "Byg A/S",
        "Afgørelse",
        "Resultat:",
        "Not upheld",
        "Begrundelse",
        "Udbuddet var lovligt.",
        "Tildelingen fulgte kriterierne.",
        "Retsgrundlag",
        "Udbudsloven § 160",
        "Klagevejledning",
        "You may appeal this decision to Erhvervsankenævnet within 28 days",
        "Klagefristen udløber den 30. marts 2026.",
    ):
        assert expected in text, expected
    assert CITIZEN_CPR not in text
    hearing = case.documents.get(title="Hearing of the parties")
    hearing_text = pdf_text(bytes(hearing.content))
    assert "Partshøring" in hearing_text
    assert "16. marts 2026" in hearing_text  # 14 days after T0
    assert "klage.txt" in hearing_text  # the documents table


def test_the_file_drop_writes_one_memo_message_per_recipient_that_parses(
    settings, django_capture_on_commit_callbacks
):
    world = make_board()
    with django_capture_on_commit_callbacks(execute=True):
        case = _to_decision(world, complaint_case(world))
    letter = case.documents.get(title="Decision")
    refs = letter.sent_ref.split(",")
    assert letter.sent_via == "file-drop" and len(refs) == 2
    folder = Path(settings.CASES_DIGITAL_POST_DIR)
    recipients = {}
    for ref in refs:
        assert str(uuid.UUID(ref)) == ref
        root = etree.parse(str(folder / f"{ref}.xml")).getroot()
        assert root.tag == f"{MEMO}Message"
        assert root.get("memoVersion") == "1.1"
        header = root.find(f"{MEMO}MessageHeader")
        assert header.findtext(f"{MEMO}messageType") == "DIGITALPOST"
        assert header.findtext(f"{MEMO}messageUUID") == ref
        assert header.findtext(f"{MEMO}label") == "Decision"
        sender = header.find(f"{MEMO}Sender")
        assert sender.findtext(f"{MEMO}senderID") == world.board.cvr
        assert sender.findtext(f"{MEMO}idType") == "CVR"
        assert sender.findtext(f"{MEMO}label") == "Klagenævnet for Udbud"
        recipient = header.find(f"{MEMO}Recipient")
        recipients[recipient.findtext(f"{MEMO}idType")] = (
            recipient.findtext(f"{MEMO}recipientID"),
            recipient.findtext(f"{MEMO}label"),
        )
        body = root.find(f"{MEMO}MessageBody")
        assert body.findtext(f"{MEMO}createdDateTime") == "2026-03-02T09:00:00Z"
        main = body.find(f"{MEMO}MainDocument")
        assert main.findtext(f"{MEMO}mainDocumentID") == case.number
        file = main.find(f"{MEMO}File")
        assert file.findtext(f"{MEMO}encodingFormat") == "application/pdf"
        assert file.findtext(f"{MEMO}filename") == f"{case.number}-{letter.sha256[:16]}.pdf"
        assert base64.b64decode(file.findtext(f"{MEMO}content")) == bytes(letter.content)
    assert recipients == {"CPR": (CITIZEN_CPR, "Hans Hansen"), "CVR": ("13585628", "Byg A/S")}


def test_an_administrator_replaces_a_template_and_the_next_letter_uses_it():
    world = make_board()
    content = docx_with(
        "{{ institution.name }} — {{ case.number }}",
        "Udfald: {{ decision.outcome_text }}",
        "{%p for p in parties %}",
        "Til {{ p.name }} ({{ p.role }})",
        "{%p endfor %}",
        "Beløb: {{ data.anything_the_process_holds }}",
    )
    row = services.letter_template_upload(
        actor=world.admin,
        case_type=world.complaint,
        kind="decision",
        filename="afgoerelse.docx",
        content=content,
    )
    assert (row.kind, row.size, row.institution_id) == ("decision", len(content), world.board.pk)
    event = AuditEvent.objects.get(action="cases.letter_template.upload")
    assert event.details == {"kind": "decision", "sha256": row.sha256, "size": len(content)}
    case = _to_decision(world, complaint_case(world))
    text = pdf_text(bytes(case.documents.get(title="Decision").content))
    assert text.startswith(f"Klagenævnet for Udbud - {case.number}")
    assert "Udfald: Not upheld" in text
    assert "Til Hans Hansen (Complainant)" in text and "Til Byg A/S (Other party)" in text
    assert "Resultat" not in text
    journal = case.journal.get(element="decision", kind="document")
    assert journal.data["template"] == row.sha256
    # The hearing letter is still the shipped one.
    hearing = case.journal.get(element="hearing", kind="document")
    assert hearing.data["template"] == "shipped"


@pytest.mark.parametrize(
    ("paragraphs", "message"),
    [
        (("{{ case.nummer }}",), "Unknown field case.nummer. The fields are: title, kind, today"),
        (("{{ cpr }}",), "Unknown field cpr."),
        (("{% for p in parties %}{{ p.cpr }}{% endfor %}",), "Unknown field parties[].cpr."),
        (("{{ decision.reasons.__class__ }}",), "Unknown field decision.reasons.__class__."),
        (("{{ case.number }",), "A field or tag is malformed:"),
    ],
)
def test_a_template_naming_an_unknown_field_is_refused_with_the_reason(paragraphs, message):
    world = make_board()
    with pytest.raises(Refused) as refused:
        services.letter_template_upload(
            actor=world.admin,
            case_type=world.complaint,
            kind="decision",
            filename="x.docx",
            content=docx_with(*paragraphs),
        )
    assert refused.value.refusal_code == "template_invalid"
    assert refused.value.refusal_message.startswith("The template is refused: " + message)
    assert not LetterTemplate.objects.exists()
    event = AuditEvent.objects.get(action="cases.letter_template.upload.refused")
    assert event.details["kind"] == "decision"


def test_a_file_that_is_not_a_docx_and_an_unknown_letter_are_refused():
    world = make_board()
    with pytest.raises(Refused) as refused:
        services.letter_template_upload(
            actor=world.admin,
            case_type=world.complaint,
            kind="decision",
            filename="x.docx",
            content=b"%PDF-1.4 not a docx",
        )
    assert refused.value.refusal_message == (
        "The template is refused: The file is not a Word document (docx)."
    )
    with pytest.raises(Refused) as refused:
        services.letter_template_upload(
            actor=world.admin,
            case_type=world.complaint,
            kind="telegram",
            filename="x.docx",
            content=letters.shipped_template("generic"),
        )
    assert refused.value.refusal_code == "unknown_letter"


def test_only_an_administrator_of_the_case_types_institution_uploads_templates():
    world = make_board()
    other = InstitutionFactory(name="Andet nævn", short_name="AN")
    outsider = member(other, Role.LOCAL_ADMIN, username="admin-an")
    for actor in (world.worker, world.manager, outsider):
        with pytest.raises(Denied):
            services.letter_template_upload(
                actor=actor,
                case_type=world.complaint,
                kind="decision",
                filename="x.docx",
                content=letters.shipped_template("decision"),
            )
    assert not LetterTemplate.objects.exists()


def test_values_are_escaped_and_the_sandbox_holds():
    context = letters.sample_context()
    context["case"]["title"] = "A & B <w:p/> {{ 7*7 }}"
    docx = letters.render_docx(docx_with("{{ case.title }}"), context)
    assert Document(io.BytesIO(docx)).paragraphs[0].text == "A & B <w:p/> {{ 7*7 }}"
    # Jinja's sandbox refuses the attributes a template could escape through: they print as
    # nothing (and a template naming them is refused on upload, see above).
    docx = letters.render_docx(docx_with("[{{ data.x.__class__.__mro__ }}]"), {"data": {"x": "s"}})
    assert Document(io.BytesIO(docx)).paragraphs[0].text == "[]"


def _client(user, institution):
    from django.test import Client

    from faelles.tenancy.middleware import SESSION_KEY

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = institution.pk
    session.save()
    return client


def test_the_letter_templates_page_lists_downloads_and_uploads():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    world = make_board()
    client = _client(world.admin, world.board)
    url = reverse("cases:letter-templates", kwargs={"pk": world.complaint.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.count(b"Shipped template") == len(letters.KINDS)
    assert b"<code>case.number</code>" in page.content
    download = client.get(
        reverse(
            "cases:letter-template-download", kwargs={"pk": world.complaint.pk, "kind": "decision"}
        )
    )
    assert download.status_code == 200
    assert bytes(download.content) == letters.shipped_template("decision")
    assert download["Content-Disposition"] == 'attachment; filename="complaint-decision.docx"'
    refused = client.post(
        url,
        {"kind": "decision", "file": SimpleUploadedFile("x.docx", docx_with("{{ case.foo }}"))},
    )
    assert refused.status_code == 400
    assert b"Unknown field case.foo." in refused.content
    content = docx_with("{{ case.number }}")
    response = client.post(
        url, {"kind": "hearing", "file": SimpleUploadedFile("partshoering.docx", content)}
    )
    assert response.status_code == 302
    row = LetterTemplate.objects.get()
    assert (row.kind, row.filename, bytes(row.content)) == ("hearing", "partshoering.docx", content)
    assert b"partshoering.docx" in client.get(url).content
    # A case worker sees the page but may not upload.
    worker = _client(world.worker, world.board)
    assert worker.get(url).status_code == 200
    assert b"Upload a replacement" not in worker.get(url).content
    forbidden = worker.post(url, {"kind": "hearing", "file": SimpleUploadedFile("x.docx", content)})
    assert forbidden.status_code == 403
    assert LetterTemplate.objects.count() == 1


def test_another_institutions_letter_templates_are_not_found():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    world = make_board()
    other = InstitutionFactory(name="Andet nævn", short_name="AN")
    outsider = _client(member(other, Role.LOCAL_ADMIN, username="admin-an"), other)
    url = reverse("cases:letter-templates", kwargs={"pk": world.complaint.pk})
    download = reverse(
        "cases:letter-template-download", kwargs={"pk": world.complaint.pk, "kind": "decision"}
    )
    events = AuditEvent.objects.count()
    assert outsider.get(url).status_code == 404
    assert outsider.get(download).status_code == 404
    response = outsider.post(
        url,
        {"kind": "decision", "file": SimpleUploadedFile("x.docx", docx_with("{{ case.number }}"))},
    )
    assert response.status_code == 404
    assert not LetterTemplate.objects.exists()
    assert AuditEvent.objects.count() == events
