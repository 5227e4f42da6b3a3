"""Reading received documents into the facts intake needs, in this process or in workers.

Reading and validating an e-invoice is pure CPU work (``faelles.einvoice``), while the rest of
intake is database work. A batch import therefore reads its documents in worker processes
while the main process writes the previous batch. This module imports nothing from Django,
so a worker starts with only the e-invoice library; what it sends back is :class:`Facts`, a
small picklable summary instead of the whole document model.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from faelles import einvoice
from faelles.einvoice.model import Document, PaymentMeans
from faelles.redact import scrub_cpr, scrub_data

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One invoice line as intake stores it."""

    line_id: str
    description: str
    quantity: Decimal | None
    unit: str
    net_amount: Decimal | None
    vat_category: str
    vat_rate: Decimal | None
    classification: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What intake needs of one document: its findings, and when it could be read, the
    receiver, the seller's ids and the invoice's header, totals, payment details and lines."""

    findings: list[dict[str, str]]
    valid: bool
    read_error: str = ""
    syntax: str = ""
    document_type: str = ""
    receiver_scheme: str = ""
    receiver_id: str = ""
    seller_name: str = ""
    seller_cvr: str = ""
    seller_gln: str = ""
    seller_vat_id: str = ""
    kind: str = ""
    number: str = ""
    issue_date: date | None = None
    due_date: date | None = None
    currency: str = ""
    net_amount: Decimal | None = None
    vat_amount: Decimal | None = None
    payable_amount: Decimal | None = None
    buyer_reference: str = ""
    order_reference: str = ""
    payment_means: tuple[dict[str, Any], ...] = ()
    lines: tuple[LineFacts, ...] = ()


def payment_details(means: Sequence[PaymentMeans]) -> list[dict[str, Any]]:
    """The document's payment means as the plain dictionaries stored on the invoice."""
    out: list[dict[str, Any]] = []
    for m in means:
        item: dict[str, Any] = {"code": m.code}
        if m.fik:
            item.update(
                kind="fik",
                card_type=m.fik.card_type,
                creditor=m.fik.creditor,
                payment_id=m.fik.payment_id,
            )
        elif m.giro:
            item.update(
                kind="giro",
                card_type=m.giro.card_type,
                account=m.giro.account,
                payment_id=m.giro.payment_id,
            )
        elif m.iban:
            item.update(kind="iban", iban=m.iban, bic=m.account.branch_id if m.account else None)
        elif m.danish_bank_account:
            reg, account = m.danish_bank_account
            item.update(kind="dk_account", reg=reg, account=account)
        elif m.account is not None:
            item.update(kind="account", account=m.account.id)
        else:
            continue
        out.append(item)
    return out


def _receiver(doc: Document) -> tuple[str, str]:
    endpoint = doc.buyer.endpoint
    if endpoint is None or not endpoint.value:
        return "", ""
    scheme = endpoint.scheme or ""
    value = endpoint.value.strip()
    if scheme == "0184":
        value = value.removeprefix("DK")
    return scheme, value


def facts_of(doc: Document, findings: list[dict[str, str]], valid: bool) -> Facts:
    """The facts of a read document."""
    scheme, receiver = _receiver(doc)
    seller = doc.seller
    totals = doc.totals
    return Facts(
        findings=findings,
        valid=valid,
        syntax=doc.profile.syntax,
        document_type=doc.profile.document,
        receiver_scheme=scheme,
        receiver_id=receiver,
        seller_name=seller.name or seller.trading_name or "",
        seller_cvr=seller.cvr or "",
        seller_gln=seller.gln or "",
        seller_vat_id=(seller.vat_id or "").replace(" ", ""),
        kind=doc.kind,
        number=(doc.number or "").strip(),
        issue_date=doc.issue_date,
        due_date=doc.due_date,
        currency=doc.currency or "",
        net_amount=totals.tax_exclusive,
        vat_amount=totals.tax,
        payable_amount=totals.payable,
        buyer_reference=doc.buyer_reference or "",
        order_reference=doc.order_reference or "",
        payment_means=tuple(payment_details(doc.payment_means)),
        lines=tuple(
            LineFacts(
                line_id=line.id,
                description=line.item.name or line.item.description or "",
                quantity=line.quantity,
                unit=line.unit or "",
                net_amount=line.net_amount,
                vat_category=line.item.vat_category or "",
                vat_rate=line.item.vat_rate,
                classification=(
                    line.item.classifications[0].code if line.item.classifications else ""
                ),
            )
            for line in doc.lines
        ),
    )


def read_facts(content: bytes, max_bytes: int = MAX_DOCUMENT_BYTES) -> Facts:
    """Read and validate one document. A document that cannot be read gives facts with the
    reason in ``read_error`` and one fatal ``READ`` finding; nothing raises. Findings and the
    reason carry no CPR number (:mod:`faelles.redact`)."""
    try:
        doc, result = einvoice.read_and_validate(content, max_bytes=max_bytes)
    except einvoice.ReadError as exc:
        error = scrub_cpr(str(exc))
        finding = {"rule": "READ", "flag": "fatal", "location": "/", "message": error}
        return Facts(findings=[finding], valid=False, read_error=error)
    # Findings repeat values from the document and are shown wherever the document is (pages,
    # API, import output): any CPR number in them is masked once, here.
    findings = [scrub_data(f.to_dict()) for f in result.findings]
    return facts_of(doc, findings, result.valid)


def _read_many(contents: Sequence[bytes]) -> list[Facts]:
    return [read_facts(c) for c in contents]


#: Reads a batch of documents; calling what it returns gives their facts (waiting for the
#: reader processes, if any).
Reader = Callable[[Sequence[bytes]], Callable[[], list[Facts]]]


def read_here(contents: Sequence[bytes]) -> Callable[[], list[Facts]]:
    """Read in this process (single documents, tests, small batches)."""
    facts = _read_many(contents)
    return lambda: facts


@contextmanager
def worker_reader(workers: int) -> Iterator[Reader]:
    """A reader that sends each batch, in chunks, to ``workers`` processes (forkserver: a
    worker holds no database connection or other state of this process); ``workers < 1``
    reads here."""
    if workers < 1:
        yield read_here
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["faelles.payables.reading"])
    pool: Executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    chunk = 32

    def read(contents: Sequence[bytes]) -> Callable[[], list[Facts]]:
        parts = [
            pool.submit(_read_many, contents[i : i + chunk]) for i in range(0, len(contents), chunk)
        ]
        return lambda: [facts for part in parts for facts in part.result()]

    try:
        yield read
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
