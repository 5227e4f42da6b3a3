"""The audit trail: one tamper-evident sha256 chain per institution (and one for the operator).

Every event is hashed as ``sha256(prev_hash + canonical_json(event))``, where the canonical JSON
has sorted keys, no whitespace, and Decimal, date and datetime values as strings. The first
event of a chain has ``prev_hash = ""``. Appending locks the chain's head row
(:class:`~faelles.core.models.AuditChainHead`), so the chain stays linear under concurrency, and
the event is written in the caller's transaction: a change and its audit event commit or roll
back together.

``verify_chains()`` recomputes every hash and link and compares each chain with its head; an
edited, deleted or reordered event shows up as a problem.

Receipts of documents (``payables.document.received``, written before anyone knows whose the
document is) do not go to the one operator chain, which every concurrent intake would queue
on, but to one of :data:`RECEIPT_SHARDS` operator receipt chains (``op:r:0`` … ``op:r:f``),
chosen by the first hex digit of the document's content hash (:func:`receipt_chain`). Each is
a chain like any other — linked, hashed, with its head — so ``faelles audit verify`` finds an
edited, deleted or reordered receipt exactly as before; two intakes wait for each other only
when their batches fall on the same shard (1 in 16).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, TypeVar, cast
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from faelles.core import bulk
from faelles.core.models import AuditChainHead, AuditEvent
from faelles.redact import contains_cpr, scrub_cpr, scrub_data

OPERATOR_CHAIN = "op"
#: The operator's receipt chains (one per first hex digit of a content hash).
RECEIPT_SHARDS = 16
_RECEIPT_PREFIX = f"{OPERATOR_CHAIN}:r:"
BULK_THRESHOLD = 100
_PLAIN = frozenset({int, bool, type(None)})
_COLUMNS = (
    "chain",
    "seq",
    "institution_id",
    "actor_id",
    "on_behalf_of_id",
    "action",
    "object_type",
    "object_id",
    "details",
    "created_at",
    "prev_hash",
    "hash",
)
_EVENT_KEYS = ("action", "object_type", "object_id", "details", "on_behalf_of")


def chain_for(institution: Any) -> str:
    """The chain name of an institution (``inst:<pk>``); ``None`` is the operator chain."""
    if institution is None:
        return OPERATOR_CHAIN
    pk = institution if isinstance(institution, int) else institution.pk
    if pk is None:
        raise ValueError("the institution must be saved before it can be audited")
    return f"inst:{pk}"


def receipt_chain(digest: str) -> str:
    """The operator receipt chain of a content hash (hex): ``op:r:`` and its first digit."""
    first = digest[:1].lower()
    if len(first) != 1 or first not in "0123456789abcdef":
        raise ValueError("a receipt chain is chosen by a hex content hash")
    return _RECEIPT_PREFIX + first


def chain_owner(chain: str, institution_names: Mapping[str, str]) -> str:
    """Whose chain ``chain`` is, for people: the institution's short name (from
    ``institution_names``, keyed by chain), "operator", or "operator receipts 0" … "f"."""
    if chain == "op":
        return "operator"
    if chain.startswith(_RECEIPT_PREFIX):
        return f"operator receipts {chain[len(_RECEIPT_PREFIX) :]}"
    return institution_names.get(chain, "?")


def _chain(institution: Any, chain: str | None) -> str:
    if chain is None:
        return chain_for(institution)
    if institution is not None or not chain.startswith(_RECEIPT_PREFIX):
        raise ValueError("only events of no institution go to an operator receipt chain")
    return chain


def _flat_plain(value: Mapping[Any, Any]) -> bool:
    """Whether a mapping holds only text keys and plain values (text without NUL, int,
    bool, None): its JSON round trip is itself."""
    for k, v in value.items():
        if type(k) is not str or "\x00" in k:
            return False
        t = type(v)
        if t is str:
            if "\x00" in v:
                return False
        elif t not in _PLAIN:
            return False
    return True


def _jsonable(value: Any) -> Any:
    """``value`` with Decimals, dates, datetimes, UUIDs and floats turned into strings."""
    if isinstance(value, str):
        # PostgreSQL's jsonb cannot hold NUL characters; store what can be stored and hashed.
        return value.replace("\x00", "\ufffd")
    if isinstance(value, Mapping):
        if _flat_plain(value):
            return dict(value)  # the common case: already what JSON stores
        return {_jsonable(str(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        return _timestamp(value)
    if isinstance(value, (Decimal, dt.date, dt.time, UUID, float)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, non-ASCII kept; the form every hash is computed over."""
    return json.dumps(_jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _timestamp(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_payload(event: AuditEvent) -> dict[str, Any]:
    """The fields of an event that its hash covers."""
    return {
        "chain": event.chain,
        "seq": event.seq,
        "institution": event.institution_id,
        "actor": event.actor_id,
        "on_behalf_of": event.on_behalf_of_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
        "created_at": _timestamp(event.created_at),
    }


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    data = (prev_hash + canonical_json(event_payload(event))).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _pk(obj: Any) -> int | None:
    if obj is None:
        return None
    return int(obj) if isinstance(obj, int) else int(obj.pk)


def _user_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    pk = user if isinstance(user, int) else user.pk
    return int(pk) if pk is not None else None


def _require_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "audit events must be recorded inside the caller's transaction.atomic block"
        )


def _lock_head(chain: str) -> AuditChainHead:
    """The chain's head row, created if missing and locked until the transaction ends.

    ``INSERT … ON CONFLICT DO NOTHING`` makes the creation race-free: a second writer waits for
    the first one's insert to commit and then finds the row.
    """
    locked = AuditChainHead.objects.select_for_update()
    head = locked.filter(chain=chain).first()
    if head is None:
        AuditChainHead.objects.bulk_create([AuditChainHead(chain=chain)], ignore_conflicts=True)
        head = locked.get(chain=chain)
    return head


def _build(
    *,
    chain: str,
    institution: Any,
    actor: Any,
    now: dt.datetime,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    details: Mapping[str, Any] | None = None,
    on_behalf_of: Any = None,
    row_class: Any = AuditEvent,
) -> Any:
    if not action:
        raise ValueError("an audit event needs an action")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    # Stored exactly as hashed: JSON round trip of the canonical form.
    stored, details_json = _stored_json(details)
    row = row_class(
        chain=chain,
        institution_id=_pk(institution),
        actor_id=_user_id(actor),
        on_behalf_of_id=_user_id(on_behalf_of),
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else scrub_cpr(str(object_id)),
        details=stored,
        created_at=now,
    )
    row._details_json = details_json  # reused for the hash and the batch insert
    return row


class _EventRow:
    """The fields of an audit event, for batches written below the ORM (no model instance)."""

    __slots__ = (
        "_details_json",
        "action",
        "actor_id",
        "chain",
        "created_at",
        "details",
        "hash",
        "institution_id",
        "object_id",
        "object_type",
        "on_behalf_of_id",
        "prev_hash",
        "seq",
    )

    def __init__(self, **fields: Any) -> None:
        self.seq = 0
        self.prev_hash = self.hash = ""
        for name, value in fields.items():
            setattr(self, name, value)


def _stored_json(details: Mapping[str, Any] | None) -> tuple[dict[str, Any], str]:
    """Details as they will be stored and read back — the JSON round trip of their canonical
    form (a flat mapping of plain values is that already) — and that canonical form.

    A CPR number never enters the trail in clear text: when the canonical form holds one (in
    any written form, in a value or a key), it is masked before it is stored and hashed, so
    the chain covers the masked details and verifies as usual.
    """
    if not details:
        return {}, "{}"
    text = canonical_json(dict(details))
    if contains_cpr(text):
        text = canonical_json(scrub_data(json.loads(text)))
        masked: dict[str, Any] = json.loads(text)
        return masked, text
    if _flat_plain(details):
        return dict(details), text
    stored: dict[str, Any] = json.loads(text)
    return stored, text


def _hash_with(prev_hash: str, event: Any, details_json: str) -> str:
    """:func:`compute_hash` with the canonical JSON of the details already known.

    The canonical payload is its keys in sorted order, so it is the keys before ``details``,
    then ``details``, then the keys after it; the details' text is spliced in instead of
    being encoded again. The result is the same string (``test_audit`` checks it against
    :func:`compute_hash`, and ``verify_chains`` recomputes every hash the slow way).
    """
    head = {
        "action": event.action,
        "actor": event.actor_id,
        "chain": event.chain,
        "created_at": _timestamp(event.created_at),
    }
    tail = {
        "institution": event.institution_id,
        "object_id": event.object_id,
        "object_type": event.object_type,
        "on_behalf_of": event.on_behalf_of_id,
        "seq": event.seq,
    }
    text = canonical_json(head)[:-1] + ',"details":' + details_json + "," + canonical_json(tail)[1:]
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


def _append(head: AuditChainHead, events: list[AuditEvent]) -> list[AuditEvent]:
    prev = head.last_hash
    seq = head.last_seq
    for event in events:
        seq += 1
        event.seq = seq
        event.prev_hash = prev
        details_json = getattr(event, "_details_json", None)
        event.hash = (
            _hash_with(prev, event, details_json)
            if details_json is not None
            else compute_hash(prev, event)
        )
        prev = event.hash
    if len(events) >= BULK_THRESHOLD:
        # Batch paths (thousands of postings): one COPY/executemany below the ORM. The events
        # are returned without primary keys.
        bulk.insert_many(
            AuditEvent._meta.db_table,
            _COLUMNS,
            [
                [
                    e.chain,
                    e.seq,
                    e.institution_id,
                    e.actor_id,
                    e.on_behalf_of_id,
                    e.action,
                    e.object_type,
                    e.object_id,
                    getattr(e, "_details_json", None) or canonical_json(e.details),
                    e.created_at,
                    e.prev_hash,
                    e.hash,
                ]
                for e in events
            ],
        )
        created = events
    else:
        created = AuditEvent.objects.bulk_create(events)
    AuditChainHead.objects.filter(pk=head.pk).update(last_seq=seq, last_hash=prev)
    head.last_seq, head.last_hash = seq, prev
    return created


def record_event(
    *,
    institution: Any,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    details: dict[str, Any] | None = None,
    on_behalf_of: Any = None,
    chain: str | None = None,
) -> AuditEvent:
    """Append one event to the institution's chain (``None``: the operator chain, or the
    operator receipt chain ``chain`` from :func:`receipt_chain`).

    Must run inside the caller's ``transaction.atomic`` block, so the event commits with the
    change it records. ``obj`` fills ``object_type`` (app label and model) and ``object_id``.
    """
    _require_atomic()
    chain = _chain(institution, chain)
    pending = _pending_here()
    head = None if pending is not None else _lock_head(chain)  # first: times follow the chain
    event: AuditEvent = _build(
        chain=chain,
        institution=institution,
        actor=actor,
        now=timezone.now(),
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        details=details,
        on_behalf_of=on_behalf_of,
    )
    if head is None:
        assert pending is not None
        pending.add(chain, [event])
        return event
    return _append(head, [event])[0]


def record_events_bulk(
    *, institution: Any, actor: Any, events: list[dict[str, Any]], chain: str | None = None
) -> list[AuditEvent]:
    """Append many events to one chain with one lock and one bulk insert (batch paths).

    Each item takes the keyword arguments of :func:`record_event` other than ``institution``
    and ``actor``: ``action`` and optionally ``obj``, ``object_type``, ``object_id``,
    ``details``, ``on_behalf_of``. ``chain``: as for :func:`record_event`.
    """
    _require_atomic()
    if not events:
        return []
    chain = _chain(institution, chain)
    pending = _pending_here()
    head = None if pending is not None else _lock_head(chain)
    now = timezone.now()
    # Large batches skip model instances: they are written below the ORM anyway.
    row_class = _EventRow if len(events) >= BULK_THRESHOLD else AuditEvent
    built = []
    for item in events:
        unknown = set(item) - {"obj", *_EVENT_KEYS}
        if unknown:
            raise TypeError(f"unknown audit event keys: {sorted(unknown)}")
        built.append(
            _build(
                chain=chain,
                institution=institution,
                actor=actor,
                now=now,
                row_class=row_class,
                **item,
            )
        )
    if head is None:
        assert pending is not None
        pending.add(chain, built)
        return built
    return _append(head, built)


# --- one append per chain and transaction ---------------------------------------------------


class _Pending:
    """Events collected by :func:`events_batched`, by chain, in the order they were recorded."""

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.chains: dict[str, list[Any]] = {}

    def add(self, chain: str, events: list[Any]) -> None:
        self.chains.setdefault(chain, []).extend(events)


_PENDING: ContextVar[_Pending | None] = ContextVar("faelles_audit_pending", default=None)


def _pending_here() -> _Pending | None:
    """The open :func:`events_batched` collection, if an event recorded now may wait for it:
    no savepoint has been opened since it began (a savepoint rolled back alone would otherwise
    leave its events behind in the collection)."""
    pending = _PENDING.get()
    if pending is None:
        return None
    connection = transaction.get_connection()
    if len(connection.savepoint_ids) < pending.depth:
        return None  # the block that began the collection has ended: record at once
    if any(sid is not None for sid in connection.savepoint_ids[pending.depth :]):
        return None
    return pending


@contextmanager
def events_batched() -> Iterator[None]:
    """Record the audit events of the block with one lock of each chain head, one insert and
    one head update per chain, when the block ends (batch paths whose steps each record their
    own events, e.g. the ledger's entries and the invoices they post).

    Must run inside the caller's ``transaction.atomic`` block and end before it commits: the
    events are still written in the transaction of the change they record. The events keep
    the order they were recorded in; their time is the time they are appended, so times
    follow the chain order. An exception discards them with the transaction. An event
    recorded inside a savepoint opened within the block is written at once (a savepoint can
    roll back alone). Nested blocks join the outer one.
    """
    _require_atomic()
    if _PENDING.get() is not None:
        yield
        return
    pending = _Pending(len(transaction.get_connection().savepoint_ids))
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    # Reached only when the block ended without an exception.
    for chain, events in pending.chains.items():
        head = _lock_head(chain)
        now = timezone.now()
        for event in events:
            event.created_at = now
        _append(head, events)


def _verify_one(chain: str, events: Iterable[AuditEvent], head: AuditChainHead | None) -> list[str]:
    problems: list[str] = []
    expected_seq = 1
    prev_hash = ""
    for event in events:
        where = f"{chain}#{event.seq}"
        if event.seq != expected_seq:
            problems.append(
                f"{chain}: expected event #{expected_seq}, found #{event.seq} "
                "(events deleted or reordered)"
            )
            expected_seq = event.seq
        if event.prev_hash != prev_hash:
            problems.append(f"{where}: link to the previous event is broken")
        if compute_hash(event.prev_hash, event) != event.hash:
            problems.append(f"{where}: content does not match its hash (event edited)")
        prev_hash = event.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is None:
        problems.append(f"{chain}: the chain head is missing")
    elif (head.last_seq, head.last_hash) != (last_seq, prev_hash):
        problems.append(
            f"{chain}: the head says #{head.last_seq} but the chain ends at #{last_seq} "
            "(latest events deleted or edited)"
        )
    return problems


def verify_chains(institution: Any = None) -> list[str]:
    """Recompute every chain (or only ``institution``'s) and return the problems found.

    An empty list means every event is intact, in order and complete up to the chain head.
    """
    if institution is None:
        chains = set(AuditChainHead.objects.values_list("chain", flat=True))
        chains |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    else:
        chains = {chain_for(institution)}
    problems: list[str] = []
    for chain in sorted(chains):
        head = AuditChainHead.objects.filter(chain=chain).first()
        events = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
        if head is None and institution is not None:
            if AuditEvent.objects.filter(chain=chain).exists():
                problems.append(f"{chain}: the chain head is missing")
            continue
        problems.extend(_verify_one(chain, events, head))
    return problems


# --- refused attempts ----------------------------------------------------------------------------


class Refused(ValidationError):
    """A refused attempt that the audit trail must keep: segregation of duties, a missing role,
    a self-grant. It is a ``ValidationError`` (forms and the API show it like any other error,
    under ``field``), and it carries what the audit event needs.

    Raise it from a service wrapped in :func:`refusals_recorded` (outside its
    ``transaction.atomic``): the service's transaction rolls back, then the refusal is recorded
    as ``<action>.refused`` in a transaction of its own.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        action: str,
        institution: Any,
        obj: models.Model | None = None,
        field: str = "actor",
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__({field: [ValidationError(message, code=code)]})
        self.refusal_code = code
        self.refusal_message = str(message)
        self.refusal_action = action
        self.refusal_institution = institution
        self.refusal_object = obj
        self.refusal_details = dict(details or {})


def refusal_record(exc: Refused, *, actor: Any, on_behalf_of: Any = None) -> AuditEvent:
    """Record ``exc`` as the event ``<action>.refused`` with its code and reason.

    Outside an atomic block the event gets a transaction of its own; inside one (a caller that
    checks before it changes anything) it joins that transaction.
    """
    details = {"code": exc.refusal_code, "reason": exc.refusal_message, **exc.refusal_details}
    with transaction.atomic():
        return record_event(
            institution=exc.refusal_institution,
            actor=actor,
            action=f"{exc.refusal_action}.refused",
            obj=exc.refusal_object,
            details=details,
            on_behalf_of=on_behalf_of,
        )


class Denied(PermissionDenied):
    """A refused permission (answered 403 rather than as a form error) that the audit trail
    keeps like a :class:`Refused`, which it carries."""

    def __init__(self, refusal: Refused) -> None:
        super().__init__(refusal.refusal_message)
        self.refusal = refusal


_F = TypeVar("_F", bound=Callable[..., Any])


def refusals_recorded(func: _F) -> _F:
    """Decorate a service (outside its ``@transaction.atomic``) so that every :class:`Refused`
    or :class:`Denied` it raises is recorded, with the service's ``actor=`` keyword as the
    actor, and re-raised."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Refused as exc:
            refusal_record(exc, actor=kwargs.get("actor"))
            raise
        except Denied as exc:
            refusal_record(exc.refusal, actor=kwargs.get("actor"))
            raise

    return cast(_F, wrapper)
