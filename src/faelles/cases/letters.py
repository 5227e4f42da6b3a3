"""Letters: docx templates filled with the case's data, rendered to PDF, stored on the case and
handed to a Digital Post transport.

- **Templates** are Word documents with Jinja fields (docxtpl): ``{{ case.number }}``,
  ``{% for p in parties %}…{% endfor %}``, ``{% if decision %}…{% endif %}``. One per letter kind
  is shipped (``data/letters/<kind>.docx``, Danish); an administrator may upload a replacement
  per case type and kind (:class:`faelles.cases.models.LetterTemplate`, the newest wins). A
  template is checked on upload (:func:`check_template`): it must be a docx, its Jinja must
  parse, and every field it names must be one of :data:`FIELDS` — ``{{ case.nummer }}`` is
  refused with the fields that exist. Templates are rendered in Jinja's sandbox with plain data
  only (strings, lists, dicts: never model objects), with XML escaping on.
- **PDF** (:func:`docx_pdf`): the rendered docx's paragraphs, runs (bold, italic, underline,
  size), headings, alignment and tables are walked with python-docx and written with fpdf2 in
  the core Helvetica font (Latin-1 covers æøå; typographic dashes and quotes are folded). No
  office suite: a layout as rich as Word's is not the goal, a faithful, legible letter is.
- **Transports**: :class:`FileDropTransport` (the embedded default) writes a MeMo 1.x message
  (``<uuid>.xml``: MessageHeader with messageUUID, sender, recipient CPR/CVR, label;
  MessageBody with MainDocument/File holding the PDF in base64) into
  ``CASES_DIGITAL_POST_DIR`` for an integration to pick up; a transport is any object with
  ``name`` and ``send(letter) -> receipt``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from lxml import etree

DATA_DIR = Path(__file__).resolve().parent / "data" / "letters"
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
MAX_TEMPLATE_UNPACKED = 20 * 1024 * 1024

#: The letter kinds (a model's ``letter_send`` names one; ``hearing_start`` writes a hearing).
KINDS = ("hearing", "dismissal", "decision", "grant", "benefit", "advertisement", "generic")


def kind_title(kind: str) -> str:
    titles = {
        "hearing": _("Hearing of the parties"),
        "dismissal": _("Your complaint cannot be considered"),
        "decision": _("Decision"),
        "grant": _("Grant decision"),
        "benefit": _("Benefit decision"),
        "advertisement": _("Grant pool advertised"),
        "generic": _("Letter"),
    }
    return str(titles.get(kind, titles["generic"]))


# --- the fields a template may use ---------------------------------------------------------------

#: Any key below this point is allowed (``data`` holds the case's process data).
ANY = "*"

#: The fields of a letter: a dict is an object with these attributes, a one-element list is a
#: list of such objects, ``str`` a value, :data:`ANY` anything.
FIELDS: dict[str, Any] = {
    "title": str,
    "kind": str,
    "today": str,
    "institution": {"name": str, "short_name": str, "cvr": str},
    "case": {
        "number": str,
        "title": str,
        "type": str,
        "opened": str,
        "task_code": str,
        "kle": str,
    },
    "parties": [{"name": str, "role": str, "kind": str}],
    "decision": {
        "outcome": str,
        "outcome_text": str,
        "reasons": str,
        "legal_basis": str,
        "complaint_guidance": str,
        "appeal_deadline": str,
        "decided": str,
    },
    "hearing": {"due": str},
    "deadlines": [{"label": str, "due": str}],
    "documents": [{"title": str, "filename": str, "sha256": str}],
    "data": ANY,
}


def _prefixed(schema: dict[str, Any], prefix: str) -> list[str]:
    out: list[str] = []
    for key, sub in schema.items():
        name = f"{prefix}.{key}"
        if isinstance(sub, dict):
            out.extend(_prefixed(sub, name))
        elif isinstance(sub, list):
            out.extend(_prefixed(sub[0], f"{name}[]"))
        elif sub == ANY:
            out.append(f"{name}.*")
        else:
            out.append(name)
    return out


def all_field_names() -> list[str]:
    out: list[str] = []
    for key, sub in FIELDS.items():
        if isinstance(sub, dict):
            out.extend(_prefixed(sub, key))
        elif isinstance(sub, list):
            out.extend(_prefixed(sub[0], f"{key}[]"))
        elif sub == ANY:
            out.append(f"{key}.*")
        else:
            out.append(key)
    return out


def _sandbox() -> Any:
    from jinja2 import ChainableUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # A field without a value (``data.x`` the process has not set) prints as nothing.
    return SandboxedEnvironment(autoescape=True, undefined=ChainableUndefined)


class TemplateInvalid(ValueError):
    """A letter template that cannot be used, with the reasons."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _template_source(content: bytes) -> str:
    """The Jinja source of a docx template (body, headers and footers) as docxtpl sees it."""
    from docx import Document
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    tpl = DocxTemplate(io.BytesIO(content))
    doc = Document(io.BytesIO(content))
    element: Any = doc._element
    xml = tpl.patch_xml(tpl.xml_to_string(element.body))
    for rel in doc._part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return str(xml)


def _unknown_fields(tree: Any) -> list[str]:
    """The dotted names in a parsed Jinja template that are not letter fields."""
    from jinja2 import nodes

    unknown: list[str] = []

    def resolve(node: Any, scope: Mapping[str, Any]) -> tuple[Any, str] | None:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                bound: tuple[Any, str] = scope[node.name]  # (schema, the name it stands for)
                return bound
            if node.name in FIELDS:
                return FIELDS[node.name], node.name
            unknown.append(node.name)
            return None
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Getattr):
                attr: Any = node.attr
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                attr = node.arg.value
            else:
                visit(node.arg, scope)
                base = resolve(node.node, scope)
                if base is None:
                    return None
                schema, name = base
                return (schema[0], f"{name}[]") if isinstance(schema, list) else (ANY, name)
            base = resolve(node.node, scope)
            if base is None:
                return None
            schema, name = base
            if schema == ANY:
                return ANY, f"{name}.{attr}"
            if isinstance(schema, dict) and attr in schema:
                return schema[attr], f"{name}.{attr}"
            unknown.append(f"{name}.{attr}")
            return None
        visit(node, scope)
        return ANY, ""

    def bind(target: Any, schema: Any, scope: dict[str, Any], name: str = "") -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = (schema, name or target.name)
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                bind(item, ANY, scope)

    def visit(node: Any, scope: Mapping[str, Any]) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            resolve(node, scope)
            return
        if isinstance(node, nodes.For):
            iterated = resolve(node.iter, scope)
            inner = dict(scope)
            element, name = ANY, ""
            if iterated is not None and isinstance(iterated[0], list):
                element, name = iterated[0][0], f"{iterated[1]}[]"
            bind(node.target, element, inner, name)
            inner["loop"] = (ANY, "loop")
            for child in (*node.body, *node.else_):
                visit(child, inner)
            if node.test is not None:
                visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign):
            visit(node.node, scope)
            if isinstance(scope, dict):
                bind(node.target, ANY, scope)
            return
        if isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                visit(value, scope)
                bind(target, ANY, inner)
            for child in node.body:
                visit(child, inner)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in getattr(node, "args", []):
                bind(arg, ANY, inner)
            inner["caller"] = (ANY, "caller")
            for child in node.body:
                visit(child, inner)
            return
        if isinstance(node, nodes.Template):
            top: dict[str, Any] = {}
            for child in node.body:
                visit(child, top)
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, {})
    return list(dict.fromkeys(unknown))


def check_template(content: bytes) -> list[str]:
    """Why the docx ``content`` cannot be a letter template (empty: it can)."""
    if len(content) > MAX_TEMPLATE_BYTES:
        return [_("The file is larger than 2 MiB.")]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_TEMPLATE_UNPACKED:
                return [_("The document unpacks to more than 20 MiB.")]
            if "word/document.xml" not in archive.namelist():
                return [_("The file is not a Word document (docx).")]
    except zipfile.BadZipFile:
        return [_("The file is not a Word document (docx).")]
    from jinja2 import TemplateSyntaxError

    try:
        source = _template_source(content)
    except Exception as exc:  # anything python-docx cannot read is refused
        return [_("The Word document cannot be read: %(error)s") % {"error": exc}]
    try:
        tree = _sandbox().parse(source)
    except TemplateSyntaxError as exc:
        return [_("A field or tag is malformed: %(error)s") % {"error": exc.message}]
    unknown = _unknown_fields(tree)
    if unknown:
        return [
            _("Unknown field %(field)s. The fields are: %(fields)s")
            % {"field": name, "fields": ", ".join(all_field_names())}
            for name in unknown
        ]
    try:
        render_docx(content, sample_context())
    except Exception as exc:  # a template that does not render is refused
        return [_("The template does not render: %(error)s") % {"error": exc}]
    return []


def sample_context() -> dict[str, Any]:
    """A letter's fields filled with sample values (for checking a template)."""
    return {
        "title": "Afgørelse",
        "kind": "decision",
        "today": "2. december 2026",
        "institution": {"name": "Klagenævnet", "short_name": "KN", "cvr": "12345678"},
        "case": {
            "number": "KN-2026-00001",
            "title": "Klage",
            "type": "Klage",
            "opened": "1. december 2026",
            "task_code": "",
            "kle": "",
        },
        "parties": [{"name": "Borger", "role": "Klager", "kind": "citizen"}],
        "decision": {
            "outcome": "not_upheld",
            "outcome_text": "Ikke medhold",
            "reasons": "Begrundelse",
            "legal_basis": "Lov",
            "complaint_guidance": "Klagevejledning",
            "appeal_deadline": "30. december 2026",
            "decided": "2. december 2026",
        },
        "hearing": {"due": "16. december 2026"},
        "deadlines": [{"label": "Frist", "due": "16. december 2026"}],
        "documents": [{"title": "Klage", "filename": "klage.pdf", "sha256": "0" * 64}],
        "data": {},
    }


# --- the context of one letter ------------------------------------------------------------------

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish_date(value: dt.date | dt.datetime | None) -> str:
    """``2. december 2026`` (a letter's dates are written out, in Danish time)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def letter_context(
    case: Any, *, kind: str, now: dt.datetime, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The fields of a letter of ``kind`` on ``case`` (plain data, see :data:`FIELDS`)."""
    from faelles.cases.models import CaseDecision, CaseParty
    from faelles.cases.registry import OUTCOMES

    addressees = (
        CaseParty.PartyRole.COMPLAINANT,
        CaseParty.PartyRole.APPLICANT,
        CaseParty.PartyRole.PARTY,
        CaseParty.PartyRole.AUTHORITY,
    )
    parties = case.parties.filter(role__in=addressees).order_by("pk")
    decision = CaseDecision.objects.filter(case=case).first()
    outcomes = {value: str(label) for value, label in OUTCOMES}
    extra = dict(extra or {})
    return {
        "title": kind_title(kind),
        "kind": kind,
        "today": danish_date(now),
        "institution": {
            "name": case.institution.name,
            "short_name": case.institution.short_name,
            "cvr": case.institution.cvr,
        },
        "case": {
            "number": case.number,
            "title": case.title,
            "type": case.case_type.name,
            "opened": danish_date(case.opened_at),
            "task_code": case.task_code,
            "kle": case.kle,
        },
        "parties": [
            {"name": p.name, "role": p.get_role_display(), "kind": p.kind} for p in parties
        ],
        "decision": None
        if decision is None
        else {
            "outcome": decision.outcome,
            "outcome_text": outcomes.get(decision.outcome, decision.outcome),
            "reasons": decision.reasons,
            "legal_basis": decision.legal_basis,
            "complaint_guidance": decision.complaint_guidance,
            "appeal_deadline": danish_date(decision.appeal_deadline),
            "decided": danish_date(decision.decided_at),
        },
        "hearing": {"due": danish_date(extra.get("due"))} if extra.get("due") else None,
        "deadlines": [
            {"label": d.label, "due": danish_date(d.due_at)}
            for d in case.deadlines.order_by("due_at", "pk")
        ],
        "documents": [
            {"title": d.title, "filename": d.filename, "sha256": d.sha256}
            for d in case.documents.order_by("created_at", "pk")
        ],
        "data": _plain(extra.get("data") or {}),
    }


# --- templates, rendering, PDF ------------------------------------------------------------------


def shipped_template(kind: str) -> bytes:
    path = DATA_DIR / f"{kind if kind in KINDS else 'generic'}.docx"
    return path.read_bytes()


def template_for(case_type: Any, kind: str) -> tuple[bytes, Any]:
    """The template of ``kind`` for ``case_type``: the newest uploaded one, else the shipped
    one. Returns the bytes and the :class:`LetterTemplate` row (``None``: shipped)."""
    from faelles.cases.models import LetterTemplate

    row = (
        LetterTemplate.objects.filter(case_type=case_type, kind=kind)
        .order_by("-uploaded_at", "-pk")
        .first()
    )
    if row is not None:
        return bytes(row.content), row
    return shipped_template(kind), None


def _multiline(context: Any) -> Any:
    """Text with line breaks kept as breaks in Word (docxtpl's Listing), recursively."""
    from docxtpl import Listing

    if isinstance(context, dict):
        return {k: _multiline(v) for k, v in context.items()}
    if isinstance(context, list):
        return [_multiline(v) for v in context]
    if isinstance(context, str) and "\n" in context:
        return Listing(context)
    return context


def render_docx(template: bytes, context: Mapping[str, Any]) -> bytes:
    """The template filled with ``context`` (sandboxed, XML-escaped) as docx bytes."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(_multiline(dict(context)), jinja_env=_sandbox(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


_FOLD = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‑": "-",
        "…": "...",
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "•": "-",
        "\u00a0": " ",
        "\t": "    ",
    }
)


def _latin1(text: str) -> str:
    return text.translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def docx_pdf(content: bytes, *, title: str = "", created: dt.datetime | None = None) -> bytes:
    """A PDF of a (rendered) docx: paragraphs with their runs' bold, italic, underline and size,
    headings, alignment, list paragraphs and tables, in reading order."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from fpdf import FPDF
    from fpdf.enums import Align

    doc = Document(io.BytesIO(content))
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(_latin1(title))
    pdf.set_creator("Fælles")
    pdf.set_producer("Fælles")
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_page()
    base = 10.5

    def heading_size(style: str) -> float | None:
        if style == "Title":
            return 16
        if style.startswith("Heading"):
            level = style.removeprefix("Heading").strip()
            return {"1": 14, "2": 12.5, "3": 11.5}.get(level, 11)
        return None

    def paragraph(p: Any) -> None:
        style = p.style.name if p.style is not None else ""
        size = heading_size(style)
        align = {
            WD_ALIGN_PARAGRAPH.CENTER: Align.C,
            WD_ALIGN_PARAGRAPH.RIGHT: Align.R,
            WD_ALIGN_PARAGRAPH.JUSTIFY: Align.J,
        }.get(p.alignment, Align.L)
        bullet = "List" in style
        line = (size or base) * 0.5
        if size:
            pdf.ln(2)
        if not p.text.strip():
            pdf.ln(line)
            return
        if align is not Align.L or bullet:
            text = ("- " if bullet else "") + p.text
            pdf.set_font("Helvetica", "B" if size else "", size or base)
            pdf.multi_cell(0, line, _latin1(text), align=align, new_x="LMARGIN", new_y="NEXT")
        else:
            for run in p.runs:
                font_style = ""
                if run.bold or size:
                    font_style += "B"
                if run.italic:
                    font_style += "I"
                if run.underline:
                    font_style += "U"
                run_size = size or (run.font.size.pt if run.font.size else base)
                pdf.set_font("Helvetica", font_style, run_size)
                pdf.write(line, _latin1(run.text))
            pdf.ln(line)
        pdf.ln(1.2 if not size else 1.5)

    def table(t: Any) -> None:
        pdf.set_font("Helvetica", "", base - 0.5)
        rows = [[_latin1(cell.text) for cell in row.cells] for row in t.rows]
        if not rows:
            return
        with pdf.table(first_row_as_headings=False, line_height=5.5) as out:
            for values in rows:
                row = out.row()
                for value in values:
                    row.cell(value)
        pdf.ln(2)

    for child in doc.element.body.iterchildren():
        tag = etree.QName(child).localname
        if tag == "p":
            paragraph(Paragraph(child, doc))
        elif tag == "tbl":
            table(Table(child, doc))
    return bytes(pdf.output())


# --- Digital Post ---------------------------------------------------------------------------------

MEMO_NS = "https://DigitalPost.dk/MeMo-1"


@dataclass(frozen=True)
class Letter:
    """One letter to one recipient (a CPR or CVR number identifies them in Digital Post)."""

    case_number: str
    title: str
    recipient_name: str
    recipient_id_type: str  # "CPR" | "CVR" | ""
    recipient_id: str
    pdf: bytes
    sender: str
    sender_cvr: str = ""
    created: dt.datetime | None = None


class Transport(Protocol):
    name: str

    def send(self, letter: Letter) -> str: ...


def memo_message(letter: Letter, *, message_uuid: str, filename: str) -> bytes:
    """A MeMo 1.x message carrying ``letter``: header (UUID, label, sender, recipient) and
    body (the PDF as main document, base64)."""

    def el(parent: Any, name: str, text: str | None = None) -> Any:
        node = etree.SubElement(parent, f"{{{MEMO_NS}}}{name}")
        if text is not None:
            node.text = text
        return node

    root = etree.Element(
        f"{{{MEMO_NS}}}Message",
        nsmap={"memo": MEMO_NS},
        attrib={"memoVersion": "1.1", "memoSchVersion": "1.1.0"},
    )
    header = el(root, "MessageHeader")
    el(header, "messageType", "DIGITALPOST")
    el(header, "messageUUID", message_uuid)
    el(header, "label", letter.title)
    el(header, "mandatory", "false")
    el(header, "legalNotification", "false")
    sender = el(header, "Sender")
    el(sender, "senderID", letter.sender_cvr)
    el(sender, "idType", "CVR")
    el(sender, "label", letter.sender)
    recipient = el(header, "Recipient")
    el(recipient, "recipientID", letter.recipient_id)
    el(recipient, "idType", letter.recipient_id_type)
    el(recipient, "label", letter.recipient_name)
    el(header, "reply", "false")
    body = el(root, "MessageBody")
    created = letter.created or dt.datetime.now(dt.UTC)
    el(body, "createdDateTime", created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    main = el(body, "MainDocument")
    el(main, "mainDocumentID", letter.case_number)
    el(main, "label", letter.title)
    file = el(main, "File")
    el(file, "encodingFormat", "application/pdf")
    el(file, "filename", filename)
    el(file, "language", "da")
    el(file, "content", base64.b64encode(letter.pdf).decode("ascii"))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


class FileDropTransport:
    """Writes one MeMo message per letter, ``<messageUUID>.xml``, into a folder."""

    name = "file-drop"

    def __init__(self, folder: str | Path | None = None) -> None:
        default = Path(settings.VAR_DIR) / "digital-post"
        configured = getattr(settings, "CASES_DIGITAL_POST_DIR", None)
        self.folder = Path(folder or configured or default)

    def send(self, letter: Letter) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(letter.pdf).hexdigest()
        message_uuid = str(uuid.uuid4())
        filename = f"{letter.case_number}-{digest[:16]}.pdf"
        xml = memo_message(letter, message_uuid=message_uuid, filename=filename)
        (self.folder / f"{message_uuid}.xml").write_bytes(xml)
        return message_uuid


def transport() -> Transport:
    """The configured transport (``CASES_DIGITAL_POST_TRANSPORT``, a dotted class path)."""
    path = getattr(settings, "CASES_DIGITAL_POST_TRANSPORT", "")
    if path:
        instance: Transport = import_string(path)()
        return instance
    return FileDropTransport()
