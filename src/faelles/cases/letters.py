"""Letters: rendered from templates with the case's data, stored on the case as PDF, and handed
to a Digital Post transport.

The letter text comes from a Django template per letter kind (``cases/letters/<kind>.txt``);
the PDF is written by :func:`text_pdf`, a small writer of plain PDF 1.4 text pages (Helvetica,
WinAnsi encoding, so Danish letters print). Docx templates rendered through an office suite
are not used yet (see docs/design/cases.md).

Transports: :class:`FileDropTransport` (the embedded default) writes a MeMo-style XML envelope
and the PDF into ``CASES_DIGITAL_POST_DIR`` for an integration to pick up; a transport is any
object with ``send(letter) -> receipt``.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

PAGE_LINES = 52
LINE_WIDTH = 88


def _pdf_text(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(text: str, *, title: str = "") -> bytes:
    """A PDF of ``text`` (wrapped at 88 characters, 52 lines a page)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, LINE_WIDTH) or [""])
    pages = [lines[i : i + PAGE_LINES] for i in range(0, len(lines), PAGE_LINES)] or [[]]
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 info, then (page, content) per page
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    objects.append(b"<< /Title (" + _pdf_text(title) + b") /Producer (Faelles) >>")
    for i, page in enumerate(pages):
        stream = b"BT /F1 10 Tf 14 TL 56 790 Td\n"
        for line in page:
            stream += b"(" + _pdf_text(line) + b") Tj T*\n"
        stream += b"ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {6 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def render_letter(kind: str, context: dict[str, Any]) -> str:
    return render_to_string(f"cases/letters/{kind}.txt", context).strip() + "\n"


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


class Transport(Protocol):
    name: str

    def send(self, letter: Letter) -> str: ...


class FileDropTransport:
    """Writes ``<hash>.xml`` (MeMo-style envelope) and ``<hash>.pdf`` to a folder."""

    name = "file-drop"

    def __init__(self, folder: str | Path | None = None) -> None:
        default = Path(settings.VAR_DIR) / "digital-post"
        configured = getattr(settings, "CASES_DIGITAL_POST_DIR", None)
        self.folder = Path(folder or configured or default)

    def send(self, letter: Letter) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(letter.pdf).hexdigest()
        ref = f"{letter.case_number}-{digest[:16]}"
        envelope = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1">\n'
            "  <memo:MessageHeader>\n"
            f"    <memo:messageType>DIGITALPOST</memo:messageType>\n"
            f"    <memo:messageUUID>{escape(ref)}</memo:messageUUID>\n"
            f"    <memo:label>{escape(letter.title)}</memo:label>\n"
            f"    <memo:Sender><memo:label>{escape(letter.sender)}</memo:label></memo:Sender>\n"
            "    <memo:Recipient>\n"
            f"      <memo:recipientIDType>{escape(letter.recipient_id_type)}</memo:recipientIDType>\n"
            f"      <memo:recipientID>{escape(letter.recipient_id)}</memo:recipientID>\n"
            f"      <memo:label>{escape(letter.recipient_name)}</memo:label>\n"
            "    </memo:Recipient>\n"
            "  </memo:MessageHeader>\n"
            "  <memo:MessageBody><memo:MainDocument>"
            f"<memo:File><memo:filename>{escape(ref)}.pdf</memo:filename>"
            f"<memo:hash>{digest}</memo:hash></memo:File>"
            "</memo:MainDocument></memo:MessageBody>\n"
            "</memo:Message>\n"
        )
        (self.folder / f"{ref}.pdf").write_bytes(letter.pdf)
        (self.folder / f"{ref}.xml").write_text(envelope, encoding="utf-8")
        return ref


def transport() -> Transport:
    """The configured transport (``CASES_DIGITAL_POST_TRANSPORT``, a dotted class path)."""
    path = getattr(settings, "CASES_DIGITAL_POST_TRANSPORT", "")
    if path:
        instance: Transport = import_string(path)()
        return instance
    return FileDropTransport()
