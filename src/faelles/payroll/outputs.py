"""The outputs of a pay run: payslips (HTML and PDF), the ISO 20022 pain.001.001.03 file of
the net salaries, and the eIndkomst report in a fixed-width record layout.

A run that is not final (not yet approved twice) gives drafts: the file names carry
``-DRAFT``, the pain.001 message id starts with ``DRAFT-``, the eIndkomst file's header says
test (``T``), and every payslip says "KLADDE". Only payslips not stopped are paid and
reported. The eIndkomst report needs the full CPR numbers: reading them is a personal-data
access event per employee (purpose: the run's eIndkomst report).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from xml.sax.saxutils import escape

from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from faelles.payroll.models import PayRun, Payslip
from faelles.payroll.services import settings_for
from faelles.payroll.services.employees import cprs_read

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


_BATCH = 2000
"""Payslips read (and CPR numbers logged) per batch while an output is streamed."""


def _paid_rows(run: PayRun, *columns: str) -> Iterator[list[tuple[Any, ...]]]:
    """The run's payslips that are paid (not stopped), in employee-number order, as batches
    of ``columns`` value tuples: the outputs stream them, so a run's size does not decide the
    memory an output needs."""
    rows = (
        Payslip.objects.filter(run=run, stopped=False)
        .order_by("employee__number", "pk")
        .values_list(*columns)
        .iterator(chunk_size=_BATCH)
    )
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# --- pain.001 ------------------------------------------------------------------------------


def pain001(run: PayRun) -> bytes:
    """The run's pain.001 file as bytes (:func:`write_pain001`)."""
    buffer = io.BytesIO()
    write_pain001(run, buffer)
    return buffer.getvalue()


def write_pain001(run: PayRun, out: BinaryIO) -> None:
    """One credit transfer per payslip with a positive net payable, to the employee's
    account (Danish registration number as DKNCC clearing code, the 14-digit BBAN as the
    account); the group and block control sums are the run's net total of those transfers.
    Without the institution's salary account the debtor account is ``NOTPROVIDED``.

    Streamed: the database sums the control sum and counts the transfers first, then the
    transfers are written a batch at a time as the payslips are read (the same bytes as
    lxml's serialisation of the whole tree, without holding it)."""
    config = settings_for(run.institution)
    debtor_iban, debtor_bic = config.debtor_iban, config.debtor_bic
    sums = Payslip.objects.filter(run=run, stopped=False, net_payable__gt=0).aggregate(
        n=Count("pk"), total=Sum("net_payable")
    )
    count = sums["n"] or 0
    total = f"{sums['total'] or Decimal('0.00'):.2f}"
    prefix = "" if is_final(run) else "DRAFT-"
    name = _x(run.institution.name[:70])
    debtor_account = (
        f"<IBAN>{_x(debtor_iban)}</IBAN>" if debtor_iban else "<Othr><Id>NOTPROVIDED</Id></Othr>"
    )
    debtor_agent = (
        f"<BIC>{_x(debtor_bic)}</BIC>" if debtor_bic else "<Othr><Id>NOTPROVIDED</Id></Othr>"
    )
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<Document xmlns="{PAIN_NS}"><CstmrCdtTrfInitn><GrpHdr>'
        f"<MsgId>{_x(f'{prefix}LOEN-{run.institution_id}-{run.pk}'[:35])}</MsgId>"
        f"<CreDtTm>{timezone.localtime().strftime('%Y-%m-%dT%H:%M:%S')}</CreDtTm>"
        f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total}</CtrlSum>"
        f"<InitgPty><Nm>{name}</Nm></InitgPty></GrpHdr>"
        f"<PmtInf><PmtInfId>{_x(f'{prefix}LOEN-{run.pk}'[:35])}</PmtInfId><PmtMtd>TRF</PmtMtd>"
        f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total}</CtrlSum>"
        "<PmtTpInf><CtgyPurp><Cd>SALA</Cd></CtgyPurp></PmtTpInf>"
        f"<ReqdExctnDt>{run.payment_date.isoformat()}</ReqdExctnDt>"
        f"<Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id>{debtor_account}</Id></DbtrAcct>"
        f"<DbtrAgt><FinInstnId>{debtor_agent}</FinInstnId></DbtrAgt>"
    )
    out.write(head.encode("utf-8"))
    no = 0
    label = run.label
    for batch in _paid_rows(
        run, "net_payable", "bank_reg", "bank_account", "employee__name", "employee__number"
    ):
        parts: list[str] = []
        for net_payable, bank_reg, bank_account, emp_name, emp_number in batch:
            if net_payable <= 0:
                continue
            no += 1
            agent = (
                "<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>DKNCC</Cd></ClrSysId>"
                f"<MmbId>{_x(bank_reg)}</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
                if bank_reg
                else ""
            )
            account = (bank_reg + bank_account.rjust(10, "0")) or "NOTPROVIDED"
            parts.append(
                f"<CdtTrfTxInf><PmtId><EndToEndId>{f'LOEN{run.pk}-{no}'[:35]}</EndToEndId>"
                f'</PmtId><Amt><InstdAmt Ccy="DKK">{net_payable:.2f}</InstdAmt></Amt>{agent}'
                f"<Cdtr><Nm>{_x(emp_name[:70])}</Nm></Cdtr><CdtrAcct><Id><Othr>"
                f"<Id>{_x(account)}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></CdtrAcct>"
                f"<RmtInf><Ustrd>{_x(f'Løn {label} {emp_number}'[:140])}</Ustrd></RmtInf>"
                "</CdtTrfTxInf>"
            )
        out.write("".join(parts).encode("utf-8"))
    if no != count:  # a payslip changed while the file was written
        raise RuntimeError(f"pay run {run.pk}: {no} transfers written, {count} counted")
    out.write(b"</PmtInf></CstmrCdtTrfInitn></Document>")


def _x(text: str) -> str:
    """Text as XML character data (what lxml escapes in text: ``&``, ``<``, ``>``, CR)."""
    return escape(text, _XML_EXTRA)


_XML_EXTRA = {"\r": "&#13;"}


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


def _num(value: Decimal, width: int = 13) -> str:
    """Sign and amount in øre, right-aligned with zeros: ``+0000004500000``."""
    ore = int((value * 100).to_integral_value())
    return ("-" if ore < 0 else "+") + str(abs(ore)).rjust(width - 1, "0")


def _txt(value: str, width: int) -> str:
    return value[:width].ljust(width)


def eindkomst(run: PayRun, *, actor: Any = None) -> str:
    """The run's eIndkomst report as text (:func:`write_eindkomst`)."""
    buffer = io.StringIO()
    write_eindkomst(run, buffer, actor=actor)
    return buffer.getvalue()


def write_eindkomst(run: PayRun, out: TextIO, *, actor: Any = None) -> None:
    """The run's eIndkomst report, one record per line (layout in docs/design/payroll.md):

    * ``1000`` delivery start: sender CVR, creation date, test/production mark;
    * ``5000`` per payer: CVR, period (start, end), payment (disposal) date;
    * ``6000`` per employee: CPR, employee number; then ``6001`` per non-zero amount field:
      field number and amount in øre;
    * ``8001`` per retro correction paid with the employee's payslip: the corrected period
      and its amount-field differences (a correction of an earlier period is reported for
      that period);
    * ``9999`` delivery end: record count.

    Written as the payslips are read, a batch at a time; each batch's CPR numbers are read
    with one personal-data access event per employee (purpose: this report).
    """
    cvr = (run.institution.cvr or "").rjust(8, "0")
    mark = "P" if is_final(run) else "T"
    purpose = f"eIndkomst report, pay run {run.pk} ({run.label})"
    out.write("1000" + cvr + timezone.localdate().strftime("%Y%m%d") + mark + "\n")
    out.write(
        "5000"
        + cvr
        + run.period_start.strftime("%Y%m%d")
        + run.period_end.strftime("%Y%m%d")
        + run.payment_date.strftime("%Y%m%d")
        + "\n"
    )
    count = 2
    fields_wanted = EINDKOMST_AMOUNT_FIELDS
    for batch in _paid_rows(
        run,
        "employee__institution_id",
        "employee_id",
        "employee__cpr_cipher",
        "employee__number",
        "data__eindkomst",
        "retro",
    ):
        cprs = cprs_read(actor=actor, rows=[row[:3] for row in batch], purpose=purpose)
        recs: list[str] = []
        for (_i, _e, _c, number, fields, retros), cpr in zip(batch, cprs, strict=True):
            recs.append("6000" + cpr + _txt(number, 20))
            fields = fields or {}
            for no in fields_wanted:
                value = Decimal(fields.get(no, "0"))
                if value:
                    recs.append("6001" + no.rjust(4, "0") + _num(value))
            for retro in retros:
                for no, value_text in retro.get("eindkomst", {}).items():
                    value = Decimal(value_text)
                    if value and no in fields_wanted:
                        recs.append(
                            "8001"
                            + retro["period_start"].replace("-", "")
                            + retro["period_end"].replace("-", "")
                            + no.rjust(4, "0")
                            + _num(value)
                        )
        count += len(recs)
        out.write("\n".join(recs) + "\n")
    out.write("9999" + str(count + 1).rjust(9, "0") + "\n")


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
        *([f"Adresse: {slip.employee.address}"] if slip.employee.address else []),
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


def write_payment_files(run: PayRun, out_dir: Path, *, actor: Any = None) -> list[Path]:
    """Write the run's pain.001 file and eIndkomst report to ``out_dir``:
    ``pain001-<inst>-<period>[-DRAFT].xml`` and ``eindkomst-…txt``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(run)
    written: list[Path] = []
    path = out_dir / f"pain001-{stem}.xml"
    with path.open("wb") as binary:
        write_pain001(run, binary)
    written.append(path)
    path = out_dir / f"eindkomst-{stem}.txt"
    with path.open("w", encoding="latin-1", errors="replace", newline="") as text:
        write_eindkomst(run, text, actor=actor)
    written.append(path)
    return written


def write_outputs(run: PayRun, out_dir: Path, *, actor: Any = None) -> list[Path]:
    """Write the run's pain.001, eIndkomst report and payslips (HTML and PDF) to
    ``out_dir``: ``pain001-<inst>-<period>[-DRAFT].xml``, ``eindkomst-…txt``,
    ``payslips/<inst>-<period>[-DRAFT]/<employee number>.html|.pdf``."""
    written = write_payment_files(run, out_dir, actor=actor)
    stem = file_stem(run)
    slip_dir = out_dir / "payslips" / stem
    slip_dir.mkdir(parents=True, exist_ok=True)
    for slip in _slips(run):
        html = slip_dir / f"{slip.employee.number}.html"
        html.write_text(payslip_html(slip), encoding="utf-8")
        pdf = slip_dir / f"{slip.employee.number}.pdf"
        pdf.write_bytes(payslip_pdf(slip))
        written += [html, pdf]
    return written
