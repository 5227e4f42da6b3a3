"""The outputs of a pay run: payslips (HTML and PDF), the ISO 20022 pain.001.001.03 file of
the net salaries, and the eIndkomst report in a fixed-width record layout.

A run that is not final (not yet approved twice) gives drafts: the file names carry
``-DRAFT``, the pain.001 message id starts with ``DRAFT-``, the eIndkomst file's header says
test (``T``), and every payslip says "KLADDE". Only payslips not stopped are paid and
reported. The eIndkomst report needs the full CPR numbers: reading them is a personal-data
access event per employee (purpose: the run's eIndkomst report).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from lxml import etree

from faelles.payroll.models import PayRun, Payslip
from faelles.payroll.services import employees_cpr_read, settings_for

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
FINAL_FOR_OUTPUT = (PayRun.State.SECOND_APPROVED, PayRun.State.PAID)


def is_final(run: PayRun) -> bool:
    return run.state in FINAL_FOR_OUTPUT


def _slips(run: PayRun) -> list[Payslip]:
    return list(
        Payslip.objects.filter(run=run, stopped=False)
        .select_related("employee")
        .order_by("employee__number")
    )


# --- pain.001 ------------------------------------------------------------------------------


def _sub(parent: Any, tag: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, f"{{{PAIN_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def pain001(run: PayRun) -> bytes:
    """One credit transfer per payslip with a positive net payable, to the employee's
    account (Danish registration number as DKNCC clearing code, the 14-digit BBAN as the
    account); the group and block control sums are the run's net total of those transfers.
    Without the institution's salary account the debtor account is ``NOTPROVIDED``."""
    config = settings_for(run.institution)
    debtor_iban, debtor_bic = config.debtor_iban, config.debtor_bic
    slips = [s for s in _slips(run) if s.net_payable > 0]
    total = f"{sum((s.net_payable for s in slips), Decimal('0.00')):.2f}"
    prefix = "" if is_final(run) else "DRAFT-"
    root = etree.Element(f"{{{PAIN_NS}}}Document", nsmap={None: PAIN_NS})  # type: ignore[dict-item]
    init = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(init, "GrpHdr")
    _sub(header, "MsgId", f"{prefix}LOEN-{run.institution_id}-{run.pk}"[:35])
    _sub(header, "CreDtTm", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"))
    _sub(header, "NbOfTxs", str(len(slips)))
    _sub(header, "CtrlSum", total)
    _sub(_sub(header, "InitgPty"), "Nm", run.institution.name[:70])
    info = _sub(init, "PmtInf")
    _sub(info, "PmtInfId", f"{prefix}LOEN-{run.pk}"[:35])
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(slips)))
    _sub(info, "CtrlSum", total)
    _sub(_sub(_sub(info, "PmtTpInf"), "CtgyPurp"), "Cd", "SALA")
    _sub(info, "ReqdExctnDt", run.payment_date.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", run.institution.name[:70])
    account = _sub(_sub(info, "DbtrAcct"), "Id")
    if debtor_iban:
        _sub(account, "IBAN", debtor_iban)
    else:
        _sub(_sub(account, "Othr"), "Id", "NOTPROVIDED")
    agent = _sub(_sub(info, "DbtrAgt"), "FinInstnId")
    if debtor_bic:
        _sub(agent, "BIC", debtor_bic)
    else:
        _sub(_sub(agent, "Othr"), "Id", "NOTPROVIDED")
    for no, slip in enumerate(slips, start=1):
        tx = _sub(info, "CdtTrfTxInf")
        _sub(_sub(tx, "PmtId"), "EndToEndId", f"LOEN{run.pk}-{no}"[:35])
        _sub(_sub(tx, "Amt"), "InstdAmt", f"{slip.net_payable:.2f}").set("Ccy", "DKK")
        if slip.bank_reg:
            member = _sub(_sub(_sub(tx, "CdtrAgt"), "FinInstnId"), "ClrSysMmbId")
            _sub(_sub(member, "ClrSysId"), "Cd", "DKNCC")
            _sub(member, "MmbId", slip.bank_reg)
        _sub(_sub(tx, "Cdtr"), "Nm", slip.employee.name[:70])
        other = _sub(_sub(_sub(tx, "CdtrAcct"), "Id"), "Othr")
        _sub(other, "Id", (slip.bank_reg + slip.bank_account.rjust(10, "0")) or "NOTPROVIDED")
        _sub(_sub(other, "SchmeNm"), "Cd", "BBAN")
        _sub(_sub(tx, "RmtInf"), "Ustrd", f"Løn {run.label} {slip.employee.number}"[:140])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


# --- eIndkomst ------------------------------------------------------------------------------

EINDKOMST_AMOUNT_FIELDS = (
    "13",
    "14",
    "15",
    "16",
    "19",
    "20",
    "21",
    "26",
    "46",
    "147",
    "178",
    "200",
)
"""The engine's eIndkomst fields (``Payslip.eindkomst``); 46, 147 and 178 are field numbers
the engine marks *not confirmed* (docs/design/payroll.md)."""
NOT_CONFIRMED = ("46", "147", "178")


@dataclass(frozen=True)
class _Rec:
    kind: str
    fields: tuple[str, ...]

    def line(self) -> str:
        return self.kind + "".join(self.fields)


def _num(value: Decimal, width: int = 13) -> str:
    """Sign and amount in øre, right-aligned with zeros: ``+0000004500000``."""
    ore = int((value * 100).to_integral_value())
    return ("-" if ore < 0 else "+") + str(abs(ore)).rjust(width - 1, "0")


def _txt(value: str, width: int) -> str:
    return value[:width].ljust(width)


def eindkomst(run: PayRun, *, actor: Any = None) -> str:
    """The run's eIndkomst report, one record per line (layout in docs/design/payroll.md):

    * ``1000`` delivery start: sender CVR, creation date, test/production mark;
    * ``5000`` per payer: CVR, period (start, end), payment (disposal) date;
    * ``6000`` per employee: CPR, employee number; then ``6001`` per non-zero amount field:
      field number and amount in øre;
    * ``8001`` per retro correction paid with the employee's payslip: the corrected period
      and its amount-field differences (a correction of an earlier period is reported for
      that period);
    * ``9999`` delivery end: record count.
    """
    slips = _slips(run)
    cprs = employees_cpr_read(
        actor=actor,
        employees=[s.employee for s in slips],
        purpose=f"eIndkomst report, pay run {run.pk} ({run.label})",
    )
    cvr = (run.institution.cvr or "").rjust(8, "0")
    mark = "P" if is_final(run) else "T"
    recs: list[str] = [
        "1000" + cvr + timezone.localdate().strftime("%Y%m%d") + mark,
        "5000"
        + cvr
        + run.period_start.strftime("%Y%m%d")
        + run.period_end.strftime("%Y%m%d")
        + run.payment_date.strftime("%Y%m%d"),
    ]
    for slip, cpr in zip(slips, cprs, strict=True):
        recs.append("6000" + cpr + _txt(slip.employee.number, 20))
        fields = slip.data.get("eindkomst", {})
        for no in EINDKOMST_AMOUNT_FIELDS:
            value = Decimal(fields.get(no, "0"))
            if value:
                recs.append("6001" + no.rjust(4, "0") + _num(value))
        for retro in slip.retro:
            for no, value_text in retro.get("eindkomst", {}).items():
                value = Decimal(value_text)
                if value and no in EINDKOMST_AMOUNT_FIELDS:
                    recs.append(
                        "8001"
                        + retro["period_start"].replace("-", "")
                        + retro["period_end"].replace("-", "")
                        + no.rjust(4, "0")
                        + _num(value)
                    )
    recs.append("9999" + str(len(recs) + 1).rjust(9, "0"))
    return "\n".join(recs) + "\n"


# --- payslips ------------------------------------------------------------------------------


def payslip_context(slip: Payslip) -> dict[str, Any]:
    data = slip.data
    return {
        "slip": slip,
        "run": slip.run,
        "draft": not is_final(slip.run),
        "data": data,
        "totals": data.get("totals", {}),
        "lines": data.get("lines", []),
        "employer_lines": data.get("employer_lines", []),
        "retro": slip.retro,
        "cpr_masked": slip.employee.cpr_masked,
    }


def payslip_html(slip: Payslip) -> str:
    return render_to_string("payroll/payslip_document.html", payslip_context(slip))


def _latin1(text: str) -> str:
    return (
        text.replace("–", "-")
        .replace("—", "-")
        .replace("…", "...")
        .replace("·", "-")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def _kr(value: Any) -> str:
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ""
    whole, frac = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{frac}"


def payslip_pdf(slip: Payslip) -> bytes:
    """The payslip as a PDF (fpdf2, the core Helvetica font: Latin-1 covers æøå)."""
    from fpdf import FPDF

    ctx = payslip_context(slip)
    totals = ctx["totals"]
    run = slip.run
    pdf = FPDF(format="A4")
    pdf.set_title(f"Lønseddel {run.label} {slip.employee.number}")
    pdf.set_creator("Fælles")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    title = "Lønseddel" + (" - KLADDE" if ctx["draft"] else "")
    pdf.cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for text in (
        f"Udbetaler: {run.institution.name}, CVR {run.institution.cvr}",
        f"Medarbejder: {slip.employee.name} ({slip.employee.number}), CPR {ctx['cpr_masked']}",
        f"Periode: {run.period_start.isoformat()} - {run.period_end.isoformat()}, "
        f"udbetaling {run.payment_date.isoformat()}",
        f"Skattekort: {ctx['data'].get('tax_card', '')}",
    ):
        pdf.cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    def row(label: str, amount: Any, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.cell(130, 6, _latin1(label))
        pdf.cell(40, 6, _kr(amount), align="R", new_x="LMARGIN", new_y="NEXT")

    for line in ctx["lines"]:
        row(line["text"], line["amount"])
    pdf.ln(2)
    for label, key in (
        ("AM-indkomst", "am_income"),
        ("AM-bidrag", "am_contribution"),
        ("A-indkomst", "a_income"),
        ("Fradrag", "deduction"),
        ("A-skat", "a_tax"),
    ):
        row(label, totals.get(key, "0"))
    row("Nettoløn", totals.get("net", "0"), bold=True)
    for retro in ctx["retro"]:
        pdf.ln(2)
        row(f"Efterregulering {retro['period']}", retro["totals"]["net"])
    if ctx["retro"]:
        row("Til udbetaling", slip.net_payable, bold=True)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Arbejdsgiverens bidrag og optjening", new_x="LMARGIN", new_y="NEXT")
    for line in ctx["employer_lines"]:
        row(line["text"], line["amount"])
    return bytes(pdf.output())


# --- writing a run's outputs ---------------------------------------------------------------


def file_stem(run: PayRun) -> str:
    return f"{run.institution.short_name}-{run.label}" + ("" if is_final(run) else "-DRAFT")


def write_outputs(run: PayRun, out_dir: Path, *, actor: Any = None) -> list[Path]:
    """Write the run's pain.001, eIndkomst report and payslips (HTML and PDF) to
    ``out_dir``: ``pain001-<inst>-<period>[-DRAFT].xml``, ``eindkomst-…txt``,
    ``payslips/<inst>-<period>[-DRAFT]/<employee number>.html|.pdf``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(run)
    written: list[Path] = []
    path = out_dir / f"pain001-{stem}.xml"
    path.write_bytes(pain001(run))
    written.append(path)
    path = out_dir / f"eindkomst-{stem}.txt"
    path.write_text(eindkomst(run, actor=actor), encoding="latin-1", errors="replace")
    written.append(path)
    slip_dir = out_dir / "payslips" / stem
    slip_dir.mkdir(parents=True, exist_ok=True)
    for slip in _slips(run):
        html = slip_dir / f"{slip.employee.number}.html"
        html.write_text(payslip_html(slip), encoding="utf-8")
        pdf = slip_dir / f"{slip.employee.number}.pdf"
        pdf.write_bytes(payslip_pdf(slip))
        written += [html, pdf]
    return written
