"""The shipped letter templates (Danish docx), written with python-docx.

The files under ``data/letters/`` are what the platform uses and what an administrator
downloads as a starting point for a replacement; this module is how they were made, so that
they can be changed in review and written again::

    .venv/bin/python -m faelles.cases.letter_templates   # writes src/faelles/cases/data/letters/

Fields are those of :data:`faelles.cases.letters.FIELDS`; docxtpl's ``{%p … %}`` tags make a
paragraph a loop or a condition, ``{%tr … %}`` a table row.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from faelles.cases.letters import DATA_DIR

SIGNATURE = ("Med venlig hilsen", "{{ institution.name }}")


def _document() -> Any:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    core = doc.core_properties
    core.author = "Fælles"
    core.title = "{{ title }}"
    return doc


def _head(doc: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for text in ("{{ institution.name }}", "{{ today }}", "Sagsnr. {{ case.number }}"):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("{%p for p in parties %}")
    doc.add_paragraph("{{ p.name }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("")


def _labelled(doc: Any, label: str, value: str) -> None:
    p = doc.add_paragraph()
    p.add_run(label).bold = True
    p.add_run(value)


def _decision_body(doc: Any, appeal: bool) -> None:
    _labelled(doc, "Resultat: ", "{{ decision.outcome_text }}")
    doc.add_heading("Begrundelse", level=2)
    doc.add_paragraph("{{ decision.reasons }}")
    doc.add_heading("Retsgrundlag", level=2)
    doc.add_paragraph("{{ decision.legal_basis }}")
    doc.add_heading("Klagevejledning", level=2)
    doc.add_paragraph("{{ decision.complaint_guidance }}")
    if appeal:
        doc.add_paragraph("{%p if decision.appeal_deadline %}")
        doc.add_paragraph("Klagefristen udløber den {{ decision.appeal_deadline }}.")
        doc.add_paragraph("{%p endif %}")


def _sign(doc: Any) -> None:
    doc.add_paragraph("")
    for text in SIGNATURE:
        doc.add_paragraph(text)


def _decision() -> Any:
    doc = _document()
    _head(doc)
    doc.add_heading("Afgørelse", level=1)
    doc.add_paragraph(
        "{{ institution.name }} har den {{ decision.decided }} truffet afgørelse i sagen "
        "{{ case.title }}."
    )
    _decision_body(doc, appeal=True)
    _sign(doc)
    return doc


def _hearing() -> Any:
    doc = _document()
    _head(doc)
    doc.add_heading("Partshøring", level=1)
    doc.add_paragraph("Vedrørende: {{ case.title }}")
    doc.add_paragraph(
        "Inden {{ institution.name }} træffer afgørelse i sagen, har du mulighed for at udtale "
        "dig om sagens oplysninger og dokumenter (partshøring efter forvaltningslovens § 19)."
    )
    p = doc.add_paragraph("Send dine bemærkninger senest den ")
    p.add_run("{{ hearing.due }}").bold = True
    p.add_run(
        ". Derefter træffer vi afgørelse på det grundlag, der foreligger. Du har ret til at se "
        "sagens dokumenter (aktindsigt efter forvaltningslovens § 9)."
    )
    doc.add_heading("Sagens dokumenter", level=2)
    table = doc.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    headings = ("Dokument", "Fil", "Kontrolsum (SHA-256)")
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for d in documents %}"
    for cell, text in zip(
        table.rows[2].cells,
        ("{{ d.title }}", "{{ d.filename }}", "{{ d.sha256[:16] }}"),
        strict=True,
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    _sign(doc)
    return doc


def _final_guidance(doc: Any, subject: str) -> None:
    """Complaint guidance for a decision that cannot be appealed within the administration."""
    doc.add_heading("Klagevejledning", level=2)
    doc.add_paragraph(
        f"{subject} er endelig i forvaltningen. Du kan indbringe den for Folketingets "
        "Ombudsmand inden 12 måneder, eller for domstolene."
    )


def _facts(doc: Any, *rows: tuple[str, str]) -> None:
    """A two-column table of the decision's figures (label, value)."""
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
        row.cells[1].text = value


def _dismissal() -> Any:
    doc = _document()
    _head(doc)
    doc.add_heading("Din klage kan ikke behandles", level=1)
    doc.add_paragraph("Vedrørende: {{ case.title }}")
    doc.add_heading("Begrundelse", level=2)
    doc.add_paragraph('{%p if data.admissibility_reason == "late" %}')
    doc.add_paragraph(
        "Klagen er modtaget efter klagefristen på fire uger fra den dag, afgørelsen blev "
        "meddelt. Der er ikke oplyst forhold, der kan begrunde, at fristen ses bort fra."
    )
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(
        "Kun den, der er part i den afgørelse, der klages over, kan klage. Efter de oplysninger, "
        "vi har, er du ikke part i afgørelsen."
    )
    doc.add_paragraph("{%p endif %}")
    _final_guidance(doc, "Afvisningen")
    _sign(doc)
    return doc


def _grant() -> Any:
    doc = _document()
    _head(doc)
    doc.add_heading("Afgørelse om tilskud", level=1)
    doc.add_paragraph("Vedrørende ansøgningen: {{ case.title }}")
    doc.add_paragraph("{%p if decision %}")
    _facts(
        doc,
        ("Ansøgt beløb", "{{ data.requested_amount }} kr."),
        ("Bevilget beløb", "{{ data.grant_decision.amount }} kr."),
    )
    doc.add_paragraph("")
    _decision_body(doc, appeal=False)
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(
        "Ansøgningen opfylder ikke puljens betingelser for at kunne modtage tilskud, og den "
        "er derfor ikke vurderet."
    )
    _final_guidance(doc, "Afgørelsen")
    doc.add_paragraph("{%p endif %}")
    _sign(doc)
    return doc


def _benefit() -> Any:
    doc = _document()
    _head(doc)
    doc.add_heading("Afgørelse om ydelse", level=1)
    doc.add_paragraph("Vedrørende: {{ case.title }}")
    doc.add_paragraph("{%p if decision %}")
    doc.add_paragraph("{%p if decision.outcome == 'granted' %}")
    _facts(
        doc,
        ("Ydelse pr. måned", "{{ data.monthly_amount }} kr."),
        ("Antal måneder", "{{ data.months }}"),
    )
    doc.add_paragraph("{%p endif %}")
    _decision_body(doc, appeal=True)
    doc.add_paragraph("{%p endif %}")
    _sign(doc)
    return doc


def _advertisement() -> Any:
    doc = _document()
    _head(doc)
    doc.add_heading("Puljen er slået op", level=1)
    doc.add_paragraph("{{ case.title }}")
    doc.add_paragraph("{%p for d in deadlines %}")
    doc.add_paragraph("{{ d.label }}: {{ d.due }}")
    doc.add_paragraph("{%p endfor %}")
    _sign(doc)
    return doc


def _generic() -> Any:
    doc = _document()
    _head(doc)
    doc.add_heading("{{ title }}", level=1)
    doc.add_paragraph("Vedrørende: {{ case.title }}")
    doc.add_paragraph("{%p if decision %}")
    _decision_body(doc, appeal=True)
    doc.add_paragraph("{%p endif %}")
    _sign(doc)
    return doc


BUILDERS = {
    "hearing": _hearing,
    "dismissal": _dismissal,
    "decision": _decision,
    "grant": _grant,
    "benefit": _benefit,
    "advertisement": _advertisement,
    "generic": _generic,
}


def build(kind: str) -> bytes:
    out = io.BytesIO()
    BUILDERS[kind]().save(out)
    return out.getvalue()


def write_all(folder: Path = DATA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in BUILDERS:
        path = folder / f"{kind}.docx"
        path.write_bytes(build(kind))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write_all():
        print(path)
