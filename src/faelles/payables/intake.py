"""Intake, where nothing is lost: store the bytes, then read, route and create the invoices.

One path serves a single document (API, upload) and a batch of thousands (import):

1. **Store.** The bytes of a batch are stored as received (sha256, size, time, channel) with
   one audit event each, and committed in a transaction of their own before anything else
   happens. The same bytes arriving again are the same document (the sha256 is unique).
2. **Read.** Each new document is read and validated by ``faelles.einvoice``
   (:mod:`faelles.payables.reading`), in this process or in worker processes while the main
   process writes the previous batch.
3. **Process.** In one transaction per batch, with the documents' rows locked: route by the
   receiver endpoint, match or create the vendors, detect duplicates and suspected
   duplicates, route to the requester, check the payment details against the vendor master,
   code by the coding rules, and insert invoices, lines and codings with a few statements
   per batch instead of dozens per document. The lookups that used to be one query per
   document (endpoints, vendors, earlier invoices, rules, ledger codes, payment details) are
   one query per batch and institution.

A crash between 1 and 3 leaves documents in status *received*; receiving or importing them
again processes them then, so nothing is lost and nothing is doubled. A unique key raced by a
concurrent intake (the same vendor's invoice number) rolls the batch back and processes it
again, which then finds the other invoice and marks this one its duplicate.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core import metrics
from faelles.core.audit import Refused, receipt_chain, record_events_bulk, refusal_record
from faelles.core.bulk import create_objects, gc_paused, update_rows
from faelles.payables import selectors
from faelles.payables.coding import (
    AllocationSpec,
    LedgerCodes,
    coding_rule_matches,
    default_vat_code,
)
from faelles.payables.models import (
    INVOICE_UNCHECKED_FIELDS,
    Channel,
    CodingRule,
    DocumentStatus,
    Invoice,
    InvoiceAllocation,
    InvoiceLine,
    InvoiceState,
    ReceivedDocument,
    RoutingRule,
    Vendor,
    VendorPaymentDetails,
)
from faelles.payables.order_matching import OrderMatch, match_orders
from faelles.payables.reading import MAX_DOCUMENT_BYTES, Facts, Reader, read_facts, read_here
from faelles.payables.routing import rule_matches
from faelles.payables.vendors import bank_changes_from_intake, payment_key
from faelles.payables.workflow import set_next_actor
from faelles.redact import scrub_cpr
from faelles.tenancy.models import Endpoint, Institution, User

DOCUMENT_LEVEL_LINE_ID = "DOC"
SUSPECT_WINDOW_DAYS = 7
DEFAULT_BATCH = 200
CENT = Decimal("0.01")
_RETRIES = 3


@dataclass(frozen=True, slots=True)
class Intake:
    """What happened to one received document."""

    document: ReceivedDocument
    status: str  # accepted, rejected, unroutable or duplicate
    invoice: Invoice | None = None

    @property
    def created(self) -> bool:
        return self.status != "duplicate"


def number_key(number: str) -> str:
    """An invoice number without punctuation, spaces and leading zeros, upper case: numbers
    that differ only in those are suspected to be the same invoice."""
    compact = re.sub(r"[^0-9A-Za-z]", "", number).upper()
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", compact)


def _amount(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(CENT)


def _places(value: Decimal | None, places: str) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_EVEN)


# --- the public services -----------------------------------------------------------------


def document_receive(
    *,
    content: bytes,
    channel: str,
    filename: str = "",
    actor: User | None = None,
) -> Intake:
    """Store one document's bytes (or find them stored already), then process them once.

    ``status == "duplicate"`` when these exact bytes had been received and processed before.
    """
    return next(
        iter(documents_receive(sources=[(content, filename)], channel=channel, actor=actor))
    )


def documents_receive(
    *,
    sources: Iterable[tuple[bytes, str]],
    channel: str,
    actor: User | None = None,
    batch_size: int = DEFAULT_BATCH,
    reader: Reader = read_here,
) -> Iterator[Intake]:
    """Receive many documents (``(content, filename)`` pairs) in batches; yields one intake
    result per source, in order.

    With an ``actor`` (the upload page and the intake API: a person or an integration), every
    document is read before anything is stored and refused (:class:`Refused`, recorded as the
    audit event ``payables.document.receive.refused``; nothing of the batch is stored) unless
    the actor may deliver to its receiver (:func:`_check_delivery`). Without one (the import
    command, run on the server) documents go wherever their receiver routes them.

    Each batch is stored and committed first, then processed in a transaction of its own. With
    a worker ``reader`` (:func:`faelles.payables.reading.worker_reader`) the next batch is
    stored and read by the workers while this process writes the invoices of the previous one.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    pending: _Batch | None = None
    # A file name is the sender's free text: stored, shown and audited with CPR numbers masked.
    named = ((content, scrub_cpr(filename)) for content, filename in sources)
    for chunk in _chunks(named, batch_size):
        screened: list[Facts] | None = None
        if actor is not None:
            # A person delivers only where they may: read first, refuse before storing.
            screened = reader([content for content, _name in chunk])()
            _check_delivery(actor, chunk, screened, channel)
        batch = _store_batch(chunk, channel, actor)
        if screened is None:
            batch.facts = reader([batch.items[i].content for i in batch.to_read])
        else:
            read = [screened[i] for i in batch.to_read]
            batch.facts = lambda read=read: read  # type: ignore[misc]
        if pending is not None:
            yield from _finish(pending)
        pending = batch
    if pending is not None:
        yield from _finish(pending)


def documents_process_waiting(
    *,
    batch_size: int = DEFAULT_BATCH,
    reader: Reader = read_here,
    ids: Sequence[int] | None = None,
) -> Iterator[Intake]:
    """Process the documents that were stored but never processed (the process stopped
    between storing and processing, and the same bytes did not arrive again), oldest first,
    in batches; with ``ids`` only those of them. Run it after a crash, from a schedule or as
    a background task (``payables.tasks``); it is idempotent."""
    query = ReceivedDocument.objects.filter(status=DocumentStatus.RECEIVED)
    if ids is not None:
        query = query.filter(pk__in=list(ids))
    while True:
        waiting = list(query.order_by("pk")[:batch_size])
        if not waiting:
            return
        facts = reader([bytes(d.content) for d in waiting])
        batch = _Batch(
            [_Item(bytes(d.content), d) for d in waiting], list(range(len(waiting))), facts
        )
        results = list(_finish(batch))
        yield from results
        if all(r.status == "duplicate" for r in results):
            return  # nothing was processed here (another process was faster): stop, not loop


def _check_delivery(
    actor: User, chunk: list[tuple[bytes, str]], facts: list[Facts], channel: str
) -> None:
    """Refuse the batch unless ``actor`` may deliver every document of it: an institution's
    invoice receivers (also substitutes) and the operator staff serving it deliver to its
    active endpoints; documents no endpoint routes, or whose receiver cannot be read, only
    the operator's staff (they land in the operator's queue).

    A refused document is not stored: the sender is told at once and keeps it, and a document
    stored on the word of someone who may not deliver it would block the rightful delivery of
    the same bytes (a document is its content hash). The refusal is an audit event in the
    chain of the institution it was addressed to (the operator's chain when none), with the
    content hash, size, file name, channel and receiver.
    """
    routes = _endpoints({(f.receiver_scheme, f.receiver_id) for f in facts})
    for (content, filename), fact in zip(chunk, facts, strict=True):
        receiver = f"{fact.receiver_scheme}:{fact.receiver_id}" if fact.receiver_id else ""
        institution = routes.get((fact.receiver_scheme, fact.receiver_id))
        if institution is not None:
            allowed = selectors.may_deliver(actor, institution)
            message = _(
                "You may not deliver documents addressed to %(receiver)s: it is not an "
                "endpoint of an institution you receive documents for. The document was not "
                "received."
            ) % {"receiver": receiver}
            code = "receiver_not_yours"
        else:
            allowed = selectors.may_deliver_unaddressed(actor)
            if receiver:
                message = _(
                    "No institution receives documents at %(receiver)s, and only the "
                    "operator's staff deliver such documents. The document was not received."
                ) % {"receiver": receiver}
                code = "receiver_unknown"
            else:
                message = _(
                    "The document's receiver could not be read (%(reason)s), and only the "
                    "operator's staff deliver such documents. The document was not received."
                ) % {"reason": fact.read_error or _("no receiver endpoint")}
                code = "receiver_unreadable"
        if allowed:
            continue
        refusal = Refused(
            message,
            code=code,
            action="payables.document.receive",
            institution=institution,
            field="file",
            details={
                "receiver": receiver,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "filename": filename[:255],
                "channel": channel,
            },
        )
        refusal_record(refusal, actor=actor)
        raise refusal


def _chunks(sources: Iterable[tuple[bytes, str]], size: int) -> Iterator[list[tuple[bytes, str]]]:
    chunk: list[tuple[bytes, str]] = []
    for source in sources:
        chunk.append(source)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- 1. store ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    content: bytes
    document: ReceivedDocument
    # Another source of this batch with the same bytes comes first.
    repeat: bool = False


@dataclass(slots=True)
class _Batch:
    items: list[_Item]
    # Indexes of the items whose documents wait to be processed (status received).
    to_read: list[int]
    facts: Callable[[], list[Facts]] = list


def _store_batch(chunk: list[tuple[bytes, str]], channel: str, actor: User | None) -> _Batch:
    digests = [hashlib.sha256(content).hexdigest() for content, _name in chunk]
    known = {
        d.sha256: d
        for d in ReceivedDocument.objects.filter(sha256__in=set(digests)).defer("content")
    }
    new: dict[str, ReceivedDocument] = {}
    for (content, filename), digest in zip(chunk, digests, strict=True):
        if digest not in known and digest not in new:
            new[digest] = ReceivedDocument(
                sha256=digest,
                content=content,
                size=len(content),
                filename=filename[:255],
                channel=channel,
                received_by=actor,
            )
    if new:
        try:
            with transaction.atomic():
                stored = list(new.values())
                create_objects(ReceivedDocument, stored)
                _audit_received(stored, actor)
            known.update((d.sha256, d) for d in stored)
        except IntegrityError:
            # A concurrent intake stored some of the same bytes first: one at a time.
            for digest, document in new.items():
                known[digest] = _store_one(document, actor)
    items: list[_Item] = []
    to_read: list[int] = []
    seen: set[str] = set()
    for n, ((content, _name), digest) in enumerate(zip(chunk, digests, strict=True)):
        document = known[digest]
        items.append(_Item(content, document, repeat=digest in seen))
        if digest not in seen and document.status == DocumentStatus.RECEIVED:
            to_read.append(n)
        seen.add(digest)
    return _Batch(items, to_read)


def _store_one(document: ReceivedDocument, actor: User | None) -> ReceivedDocument:
    try:
        with transaction.atomic():
            document.save(force_insert=True)
            _audit_received([document], actor)
        return document
    except IntegrityError:
        return ReceivedDocument.objects.defer("content").get(sha256=document.sha256)


def _audit_received(documents: Sequence[ReceivedDocument], actor: User | None) -> None:
    """The receipts, in the operator receipt chain of the batch's first document: concurrent
    intakes do not queue on one operator-wide chain head (``faelles.core.audit``)."""
    metrics.after_commit(partial(_count_received, [d.channel for d in documents]))
    record_events_bulk(
        institution=None,
        chain=receipt_chain(documents[0].sha256),
        actor=actor,
        events=[
            {
                "action": "payables.document.received",
                "obj": d,
                "details": {
                    "sha256": d.sha256,
                    "size": d.size,
                    "channel": d.channel,
                    "filename": d.filename,
                },
            }
            for d in documents
        ],
    )


# --- 2. and 3. read, then process --------------------------------------------------------


def _finish(batch: _Batch) -> Iterator[Intake]:
    facts = batch.facts()
    work = [(batch.items[i].document, f, None) for i, f in zip(batch.to_read, facts, strict=True)]
    outcome: dict[int, Intake] = {}
    for attempt in range(_RETRIES):
        try:
            outcome = process_documents(work)
            break
        except IntegrityError:
            # A concurrent intake stored the same vendor's invoice number first; processing
            # again finds it and marks this one as its duplicate.
            if attempt == _RETRIES - 1:
                raise
    others = [
        item.document.pk for item in batch.items if item.document.pk not in outcome or item.repeat
    ]
    invoices = {
        i.document_id: i
        for i in Invoice.objects.filter(document_id__in=others).select_related("vendor")
    }
    for item in batch.items:
        pk = item.document.pk
        if pk in outcome and not item.repeat:
            yield outcome[pk]
        else:
            yield Intake(item.document, "duplicate", invoices.get(pk))


@gc_paused()
@transaction.atomic
def process_documents(
    work: Sequence[tuple[ReceivedDocument, Facts, Institution | None]],
) -> dict[int, Intake]:
    """Process stored documents with their facts, with their rows locked; a document that is
    no longer waiting (processed meanwhile by someone else) is left out of the result."""
    if not work:
        return {}
    waiting = set(
        ReceivedDocument.objects.select_for_update()
        .filter(pk__in=[d.pk for d, _f, _i in work], status=DocumentStatus.RECEIVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _process([w for w in work if w[0].pk in waiting])


def process_assigned(document: ReceivedDocument, institution: Institution) -> Intake:
    """Process a document the operator assigned to ``institution`` (its row locked by the
    caller, in the caller's transaction)."""
    facts = read_facts(bytes(document.content), MAX_DOCUMENT_BYTES)
    document.status = DocumentStatus.RECEIVED
    return _process([(document, facts, institution)])[document.pk]


def _process(
    work: Sequence[tuple[ReceivedDocument, Facts, Institution | None]],
) -> dict[int, Intake]:
    now = timezone.now()
    routes = _endpoints({(f.receiver_scheme, f.receiver_id) for _d, f, _i in work})
    outcome: dict[int, Intake] = {}
    accepted: dict[int, list[tuple[ReceivedDocument, Facts]]] = defaultdict(list)
    institutions: dict[int, Institution] = {}
    for document, facts, assigned in work:
        document.findings = facts.findings
        document.processed_at = now
        if facts.read_error:
            document.status = DocumentStatus.REJECTED
            outcome[document.pk] = Intake(document, "rejected")
            continue
        document.syntax = facts.syntax
        document.document_type = facts.document_type
        document.receiver_scheme = facts.receiver_scheme
        document.receiver_id = facts.receiver_id[:50]
        institution = assigned or routes.get((facts.receiver_scheme, facts.receiver_id))
        document.institution = institution
        if not facts.valid:
            document.status = DocumentStatus.REJECTED
            outcome[document.pk] = Intake(document, "rejected")
        elif institution is None:
            document.status = DocumentStatus.UNROUTABLE
            outcome[document.pk] = Intake(document, "unroutable")
        else:
            document.status = DocumentStatus.ACCEPTED
            institutions[institution.pk] = institution
            accepted[institution.pk].append((document, facts))
    events: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for pk, items in accepted.items():
        created = _Invoices(institutions[pk], items, now).create(events[pk])
        for document, _facts in items:
            invoice = created.get(document.pk)
            if invoice is None:  # refused by the model's checks: rejected with the reason
                outcome[document.pk] = Intake(document, "rejected")
            else:
                outcome[document.pk] = Intake(document, "accepted", invoice)
    documents = [d for d, _f, _i in work]
    update_rows(
        ReceivedDocument,
        documents,
        [
            "status",
            "syntax",
            "document_type",
            "findings",
            "receiver_scheme",
            "receiver_id",
            "institution",
            "processed_at",
        ],
    )
    for document in documents:
        events[document.institution_id].append(_outcome_event(outcome[document.pk]))
    chains = {d.institution_id: d.institution for d in documents}
    # The chain heads are locked in one order (the operator's first, then by institution),
    # so two batches for the same institutions never wait for each other in a circle.
    for chain in sorted(events, key=lambda pk: -1 if pk is None else pk):
        record_events_bulk(institution=chains[chain], actor=None, events=events[chain])
    metrics.after_commit(partial(_count_processed, _outcomes(work, outcome)))
    return outcome


def _outcomes(
    work: Sequence[tuple[ReceivedDocument, Facts, Institution | None]], outcome: dict[int, Intake]
) -> list[tuple[str, str]]:
    """(status, rejection reason) of each processed document, for the metrics: unreadable (not
    XML, too large), invalid (fatal findings) or refused (the invoice's own checks)."""
    result = []
    for document, facts, _i in work:
        status = outcome[document.pk].status
        reason = ""
        if status == "rejected":
            reason = (
                "unreadable" if facts.read_error else "invalid" if not facts.valid else "refused"
            )
        result.append((status, reason))
    return result


def _count_received(channels: list[str]) -> None:
    for channel, n in Counter(channels).items():
        metrics.DOCUMENTS_RECEIVED.labels(channel).inc(n)


def _count_processed(outcomes: list[tuple[str, str]]) -> None:
    for (status, reason), n in Counter(outcomes).items():
        metrics.DOCUMENTS_PROCESSED.labels(status).inc(n)
        if reason:
            metrics.DOCUMENTS_REJECTED.labels(reason).inc(n)


def _endpoints(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Institution]:
    identifiers = {value for _scheme, value in keys if value}
    if not identifiers:
        return {}
    return {
        (e.scheme, e.identifier): e.institution
        for e in Endpoint.objects.filter(identifier__in=identifiers, is_active=True).select_related(
            "institution"
        )
    }


def _outcome_event(intake: Intake) -> dict[str, Any]:
    document, invoice = intake.document, intake.invoice
    details: dict[str, Any] = {
        "status": document.status,
        "receiver": f"{document.receiver_scheme}:{document.receiver_id}",
        "fatal": [f["rule"] for f in document.fatal_findings],
    }
    if invoice is not None:
        details.update(
            invoice=invoice.pk,
            number=invoice.number,
            duplicate_of=invoice.duplicate_of_id,
            suspected_duplicate_of=invoice.suspected_duplicate_of_id,
            requester=invoice.requester_id,
            routing_rule=invoice.routing_rule_id,
            coded_automatically=invoice.coded_automatically,
            payment_blocked=invoice.payment_blocked,
        )
    return {"action": f"payables.document.{document.status}", "obj": document, "details": details}


# --- the invoices of one institution -----------------------------------------------------

_RELATIONS = sorted(INVOICE_UNCHECKED_FIELDS)
_LINE_RELATIONS = [f.name for f in InvoiceLine._meta.fields if f.is_relation]


@dataclass(slots=True)
class _New:
    """An invoice being created, with what it refers to inside the batch."""

    document: ReceivedDocument
    invoice: Invoice
    lines: list[InvoiceLine]
    duplicate_of: _New | None = None
    suspected_of: _New | None = None
    specs: list[AllocationSpec] = field(default_factory=list)
    first_details: bool = False
    order_match: OrderMatch | None = None

    @property
    def is_duplicate(self) -> bool:
        """Of an invoice stored before, or of one earlier in the batch."""
        return self.duplicate_of is not None or self.invoice.duplicate_of_id is not None


class _Invoices:
    """Creates the invoices of one institution's accepted documents with a few statements."""

    def __init__(
        self,
        institution: Institution,
        items: list[tuple[ReceivedDocument, Facts]],
        now: Any,
    ) -> None:
        self.institution = institution
        self.items = items

    def create(self, events: list[dict[str, Any]]) -> dict[int, Invoice]:
        self.items = _complete(self.items)
        vendors = self._vendors(events)
        news = self._build(vendors)
        self._duplicates(news)
        self._route_and_code([n for n in news if not n.is_duplicate])
        self._insert(news)
        events.extend(_order_match_event(n) for n in news if n.order_match is not None)
        _queue_covered_approvals(news)
        # New payment details open (or join) a pending bank-account change.
        events.extend(bank_changes_from_intake(self.institution, [n.invoice for n in news]))
        return {n.document.pk: n.invoice for n in news}

    # vendors

    def _vendors(self, events: list[dict[str, Any]]) -> list[Vendor]:
        """The vendor of each item: matched on CVR, then GLN, then VAT id, or created
        unverified (once per batch for the same new vendor)."""
        facts = [f for _d, f in self.items]
        cvrs = {f.seller_cvr for f in facts if f.seller_cvr}
        glns = {f.seller_gln for f in facts if f.seller_gln}
        vats = {f.seller_vat_id for f in facts if f.seller_vat_id}
        found = (
            Vendor.objects.for_institution(self.institution)
            .filter(Q(cvr__in=cvrs) | Q(gln__in=glns) | Q(vat_id__in=vats))
            .order_by("pk")
        )
        by: dict[str, dict[str, Vendor]] = {"cvr": {}, "gln": {}, "vat_id": {}}
        for vendor in found:
            for name in by:
                value = getattr(vendor, name)
                if value:
                    by[name].setdefault(value, vendor)
        out: list[Vendor] = []
        created: list[Vendor] = []
        for f in facts:
            keys = (("cvr", f.seller_cvr), ("gln", f.seller_gln), ("vat_id", f.seller_vat_id))
            match = next((by[n][v] for n, v in keys if v and v in by[n]), None)
            if match is None:
                vendor = Vendor(
                    institution=self.institution,
                    name=f.seller_name[:200],
                    cvr=f.seller_cvr[:8],
                    gln=f.seller_gln[:13],
                    vat_id=f.seller_vat_id[:30],
                )
                created.append(vendor)
                for name, value in keys:
                    if value:
                        by[name].setdefault(value, vendor)
                match = vendor
            out.append(match)
        if created:
            Vendor.objects.bulk_create(created)
            events.extend(
                {
                    "action": "payables.vendor.created",
                    "obj": v,
                    "details": {
                        "name": v.name,
                        "cvr": v.cvr,
                        "gln": v.gln,
                        "vat_id": v.vat_id,
                        "verified": False,
                    },
                }
                for v in created
            )
        return out

    # invoices and lines

    def _build(self, vendors: list[Vendor]) -> list[_New]:
        news: list[_New] = []
        for (document, f), vendor in zip(self.items, vendors, strict=True):
            # ``_complete`` rejected every document without an issue date before this point.
            assert f.issue_date is not None
            payable = _amount(f.payable_amount)
            invoice = Invoice(
                institution=self.institution,
                document=document,
                vendor=vendor,
                kind=(Invoice.Kind.CREDIT_NOTE if f.kind == "CreditNote" else Invoice.Kind.INVOICE),
                number=f.number[:100],
                number_key=number_key(f.number)[:100],
                issue_date=f.issue_date,
                due_date=f.due_date,
                currency=f.currency[:3],
                net_amount=_amount(f.net_amount),
                vat_amount=_amount(f.vat_amount),
                payable_amount=payable,
                buyer_reference=f.buyer_reference[:200],
                order_reference=f.order_reference[:200],
                state=InvoiceState.RECEIVED,
                payment_means=list(f.payment_means),
            )
            lines = [
                InvoiceLine(
                    institution=self.institution,
                    line_no=no,
                    line_id=line.line_id[:50],
                    description=line.description[:500],
                    quantity=_places(line.quantity, "0.0001"),
                    unit=line.unit[:10],
                    net_amount=_amount(line.net_amount),
                    vat_category=line.vat_category[:4],
                    vat_rate=_places(line.vat_rate, "0.01"),
                    classification=line.classification[:50],
                )
                for no, line in enumerate(f.lines, start=1)
            ]
            rest = invoice.net_amount - sum((line.net_amount for line in lines), Decimal("0.00"))
            if rest and lines:
                # Allowances and charges on the document level are coded like a line of
                # their own, so the coding always adds up to the invoice's net amount.
                lines.append(
                    InvoiceLine(
                        institution=self.institution,
                        line_no=len(lines) + 1,
                        line_id=DOCUMENT_LEVEL_LINE_ID,
                        description=_("Allowances and charges on the document")[:500],
                        net_amount=rest,
                        vat_category=lines[0].vat_category,
                        vat_rate=lines[0].vat_rate,
                    )
                )
            problems = _check(invoice, lines)
            if problems:
                document.status = DocumentStatus.REJECTED
                document.findings = [*document.findings, *problems]
                continue
            news.append(_New(document, invoice, lines))
        return news

    # duplicates

    def _duplicates(self, news: list[_New]) -> None:
        """Same vendor, kind, number and issue date as a payable invoice: a duplicate (state
        rejected). Same vendor, kind and amount within the window, with a number equal but
        for punctuation and leading zeros: a suspected duplicate of the newest such."""
        if not news:
            return
        earlier = (
            Invoice.objects.for_institution(self.institution)
            .filter(
                vendor_id__in={n.invoice.vendor.pk for n in news},
                duplicate_of__isnull=True,
            )
            .filter(
                Q(number__in={n.invoice.number for n in news})
                | Q(number_key__in={n.invoice.number_key for n in news})
            )
            .order_by("pk")
            .values_list(
                "pk", "vendor_id", "kind", "number", "number_key", "issue_date", "payable_amount"
            )
        )
        exact: dict[tuple[Any, ...], int | _New] = {}
        similar: dict[tuple[Any, ...], list[tuple[int | _New, str, Any, Decimal]]] = defaultdict(
            list
        )
        for pk, vendor, kind, number, number_k, issued, payable in earlier:
            exact[(vendor, kind, number, issued)] = pk
            similar[(vendor, kind, number_k)].append((pk, number, issued, payable))
        window = timedelta(days=SUSPECT_WINDOW_DAYS)
        for new in news:
            inv = new.invoice
            same = (inv.vendor.pk, inv.kind, inv.number, inv.issue_date)
            key = (inv.vendor.pk, inv.kind, inv.number_key)
            original = exact.get(same)
            if original is not None:
                if isinstance(original, _New):
                    new.duplicate_of = original
                else:
                    inv.duplicate_of_id = original
                inv.state = InvoiceState.REJECTED
                continue
            for ref, number, issued, payable in reversed(similar[key]):
                if (
                    number != inv.number
                    and payable == inv.payable_amount
                    and abs(issued - inv.issue_date) <= window
                ):
                    if isinstance(ref, _New):
                        new.suspected_of = ref
                    else:
                        inv.suspected_duplicate_of_id = ref
                    break
            exact[same] = new
            similar[key].append((new, inv.number, inv.issue_date, inv.payable_amount))

    # routing, payment details, coding

    def _route_and_code(self, news: list[_New]) -> None:
        if not news:
            return
        routing = list(
            RoutingRule.objects.for_institution(self.institution)
            .filter(is_active=True)
            .order_by("priority", "pk")
        )
        coding = list(
            CodingRule.objects.for_institution(self.institution)
            .filter(is_active=True)
            .order_by("priority", "pk")
        )
        ledger = (
            LedgerCodes(
                self.institution,
                {r.account for r in coding},
                {r.org_unit for r in coding},
                {r.purpose for r in coding},
                {r.vat_code for r in coding} | {"I25", "RC25", "E0"},
            )
            if coding
            else None
        )
        current: dict[int, str] = {}
        for vendor_id, key in (
            VendorPaymentDetails.objects.filter(vendor_id__in={n.invoice.vendor.pk for n in news})
            .order_by("vendor_id", "-pk")
            .values_list("vendor_id", "key")
        ):
            current.setdefault(vendor_id, key)
        # Invoices naming an order: the registered matchers (purchasing) answer for them.
        ordered = [n for n in news if n.invoice.order_reference]
        for new, match in zip(
            ordered,
            match_orders(self.institution, [(n.invoice, n.lines) for n in ordered]),
            strict=True,
        ):
            new.order_match = match
        for new in news:
            inv = new.invoice
            receiver = new.document.receiver_id
            rule = next((r for r in routing if rule_matches(r, inv, receiver)), None)
            inv.requester_id = rule.requester_id if rule else None
            inv.routing_rule = rule
            key = payment_key(inv.payment_means)
            if key:
                if inv.vendor.pk not in current:
                    current[inv.vendor.pk] = key
                    new.first_details = True
                elif current[inv.vendor.pk] != key:
                    inv.payment_blocked = True
            if ledger is not None:
                new.specs = _automatic_coding(inv, new.lines, coding, ledger)
                if new.specs:
                    inv.state = InvoiceState.CODED
                    inv.coded_automatically = True
            if new.order_match is not None:
                _apply_order_match(new, new.order_match)
            set_next_actor(inv)

    # insertion

    def _insert(self, news: list[_New]) -> None:
        """Insert in waves: an invoice that refers to another one of the batch (duplicate,
        suspected duplicate) goes in after it, when its primary key is known."""
        remaining = list(news)
        while remaining:
            wave = [n for n in remaining if _ready(n)]
            if not wave:
                raise RuntimeError("invoices of a batch refer to each other in a circle")
            for new in wave:
                if new.duplicate_of is not None:
                    new.invoice.duplicate_of_id = new.duplicate_of.invoice.pk
                if new.suspected_of is not None:
                    new.invoice.suspected_duplicate_of_id = new.suspected_of.invoice.pk
            create_objects(Invoice, [n.invoice for n in wave])
            inserted = {id(n) for n in wave}
            remaining = [n for n in remaining if id(n) not in inserted]
        lines = []
        for new in news:
            for line in new.lines:
                line.invoice = new.invoice
                lines.append(line)
        create_objects(InvoiceLine, lines)
        allocations: list[InvoiceAllocation] = []
        for new in news:
            by_no = {line.line_no: line for line in new.lines}
            allocations.extend(
                InvoiceAllocation(
                    institution=self.institution,
                    invoice=new.invoice,
                    line=by_no[s.line_no],
                    account=s.account,
                    org_unit=s.org_unit,
                    purpose=s.purpose,
                    vat_code=s.vat_code,
                    amount=s.amount,
                )
                for s in new.specs
            )
        create_objects(InvoiceAllocation, allocations)
        create_objects(
            VendorPaymentDetails,
            [
                VendorPaymentDetails(
                    institution=self.institution,
                    vendor=n.invoice.vendor,
                    key=payment_key(n.invoice.payment_means),
                    details=n.invoice.payment_means,
                    source_invoice=n.invoice,
                )
                for n in news
                if n.first_details
            ],
        )


def _apply_order_match(new: _New, match: OrderMatch) -> None:
    """A matched invoice takes the order's coding and, when its goods receipt covers it, is
    attested by the requester who confirmed the receipt; a mismatch leaves it to the invoice
    receivers with the reasons as warnings on the document (``payables.order_matching``)."""
    inv = new.invoice
    if not match.matched:
        inv.requester_id = None
        new.document.findings = [
            *new.document.findings,
            *(
                {
                    "rule": "FAELLES-ORDER-MATCH",
                    "flag": "warning",
                    "location": f"/line[{no}]" if no is not None else "/cac:OrderReference",
                    "message": why,
                }
                for no, why in match.problems
            ),
        ]
        return
    new.specs = list(match.specs)
    inv.state = InvoiceState.CODED
    inv.coded_automatically = True
    if match.attested_by is not None:
        inv.state = InvoiceState.ATTESTED
        inv.requester_id = match.attested_by
        inv.attested_by_id = match.attested_by
        inv.attested_at = timezone.now()
        inv.attester_ids = [match.attested_by]


def _queue_covered_approvals(news: list[_New]) -> None:
    """The matched invoices the order's approval covers are approved as the order's approver
    after the commit (``tasks.invoice_approve_covered``): nothing is queued if intake rolls
    back."""
    covered = [
        (n.invoice.pk, n.order_match.approved_by, n.order_match.order)
        for n in news
        if n.order_match is not None
        and n.order_match.matched
        and n.order_match.approved_by is not None
        and n.invoice.state == InvoiceState.ATTESTED
    ]
    if covered:
        transaction.on_commit(lambda: _approve_covered(covered))


def _approve_covered(covered: list[tuple[int, int, str]]) -> None:
    from faelles.payables import tasks

    for invoice_id, approver_id, order in covered:
        tasks.invoice_approve_covered.delay(invoice_id, approver_id, order)


def _order_match_event(new: _New) -> dict[str, Any]:
    match = new.order_match
    assert match is not None
    return {
        "action": "payables.invoice.order_match",
        "obj": new.invoice,
        "details": {
            "order": match.order,
            "matched": match.matched,
            "state": new.invoice.state,
            "problems": [why for _no, why in match.problems],
        },
    }


def _missing(facts: Facts) -> list[dict[str, str]]:
    """Findings for each fact an invoice needs that the document does not state. Nothing is
    ever assumed in its place (no upload date as invoice date, no currency, no zero amount,
    no placeholder vendor). The UBL 2.1 schema and the rules refuse such documents before
    they come here; this is the last guard, so a gap can never become a made-up value."""
    needed = (
        ("/cbc:IssueDate", facts.issue_date, _("The document has no issue date.")),
        ("/cbc:DocumentCurrencyCode", facts.currency, _("The document has no currency.")),
        (
            "/cac:AccountingSupplierParty",
            facts.seller_name,
            _("The document does not name the seller."),
        ),
        (
            "/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
            facts.net_amount,
            _("The document has no amount without VAT."),
        ),
        ("/cac:TaxTotal/cbc:TaxAmount", facts.vat_amount, _("The document has no VAT amount.")),
        (
            "/cac:LegalMonetaryTotal/cbc:PayableAmount",
            facts.payable_amount,
            _("The document has no amount payable."),
        ),
    )
    problems = [
        {"rule": "FAELLES-INTAKE", "flag": "fatal", "location": where, "message": message}
        for where, value, message in needed
        if value is None or value == ""
    ]
    problems.extend(
        {
            "rule": "FAELLES-INTAKE",
            "flag": "fatal",
            "location": f"/line[{no}]",
            "message": _("The line has no net amount."),
        }
        for no, line in enumerate(facts.lines, start=1)
        if line.net_amount is None
    )
    return problems


def _complete(
    items: list[tuple[ReceivedDocument, Facts]],
) -> list[tuple[ReceivedDocument, Facts]]:
    """The items that state every fact an invoice needs; the others are rejected with
    findings saying what is missing."""
    complete = []
    for document, facts in items:
        problems = _missing(facts)
        if problems:
            document.status = DocumentStatus.REJECTED
            document.findings = [*document.findings, *problems]
        else:
            complete.append((document, facts))
    return complete


def _ready(new: _New) -> bool:
    return all(
        ref is None or ref.invoice.pk is not None for ref in (new.duplicate_of, new.suspected_of)
    )


def _check(invoice: Invoice, lines: list[InvoiceLine]) -> list[dict[str, str]]:
    """The model's own checks of lengths and sizes (amounts too large to store), as findings;
    relations are set by intake itself."""
    problems: list[dict[str, str]] = []
    for obj, exclude, where in (
        (invoice, _RELATIONS, "/"),
        *((line, _LINE_RELATIONS, f"/line[{line.line_no}]") for line in lines),
    ):
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                problems.extend(
                    {
                        "rule": "FAELLES-INTAKE",
                        "flag": "fatal",
                        "location": f"{where} {name}",
                        "message": str(message),
                    }
                    for message in messages
                )
    return problems


def _automatic_coding(
    invoice: Invoice, lines: list[InvoiceLine], rules: list[CodingRule], ledger: LedgerCodes
) -> list[AllocationSpec]:
    """The coding by the institution's rules when every line matches one and the result is
    valid in the ledger; otherwise nothing."""
    if not lines:
        return []
    specs: list[AllocationSpec] = []
    for line in lines:
        rule = next((r for r in rules if coding_rule_matches(r, invoice, line)), None)
        if rule is None:
            return []
        spec = AllocationSpec(
            line_no=line.line_no,
            account=rule.account,
            amount=line.net_amount,
            org_unit=rule.org_unit,
            purpose=rule.purpose,
            vat_code=rule.vat_code or default_vat_code(line),
        )
        if ledger.problems(spec.account, spec.org_unit, spec.purpose, spec.vat_code):
            return []
        specs.append(spec)
    return specs
