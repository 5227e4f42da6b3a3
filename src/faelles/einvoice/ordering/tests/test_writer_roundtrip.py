"""Every published post-award example read, written by our writer and read back.

For each example in ``../shared/data/ordering/examples``: read it into the model, write it
with the writer of its kind, validate the output as a received document (the UBL 2.1 schema,
then its PEPPOLBIS-Txx rules, and where ``saxonche`` is installed the published Schematron:
no fatal finding where the example had none, and the same transaction) and read it back: the model must be equal. The writers cannot write what the
model does not keep (``docs/design/einvoice.md``, "Model, reader and writers"), so the model
is compared, not the bytes; :func:`_kept` lists the two things the model reads but a writer
cannot write back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from faelles.einvoice.model import Contact
from faelles.einvoice.ordering.model import (
    ApplicationResponse,
    Catalogue,
    DespatchAdvice,
    Order,
    OrderCancellation,
    OrderingDocument,
    OrderResponse,
)
from faelles.einvoice.ordering.reader import read
from faelles.einvoice.ordering.serialize import document_to_dict
from faelles.einvoice.ordering.tests.conftest import ORDERING_DATA, require_ordering
from faelles.einvoice.ordering.tests.test_writer import _official
from faelles.einvoice.ordering.validate import validate_bytes
from faelles.einvoice.ordering.writer import (
    application_response_to_ubl,
    catalogue_to_ubl,
    despatch_advice_to_ubl,
    order_cancellation_to_ubl,
    order_change_to_ubl,
    order_response_to_ubl,
    order_to_ubl,
)


def write(doc: OrderingDocument) -> bytes:
    """The document written by the writer of its kind."""
    if isinstance(doc, Order):
        return order_change_to_ubl(doc) if doc.is_change else order_to_ubl(doc)
    writers: dict[type, Callable[[Any], bytes]] = {
        OrderResponse: order_response_to_ubl,
        OrderCancellation: order_cancellation_to_ubl,
        Catalogue: catalogue_to_ubl,
        DespatchAdvice: despatch_advice_to_ubl,
        ApplicationResponse: application_response_to_ubl,
    }
    return writers[type(doc)](doc)


def _kept(value: Any) -> Any:
    """What a writer can write back of a read model: a contact without name, telephone or
    e-mail (e.g. only a ``cbc:ID``) is not written, and an Order Response's
    ``order_change_id`` is not (the UBL 2.1 OrderResponse schema has no
    ``cac:OrderChangeDocumentReference``)."""
    if isinstance(value, Contact):
        return value if (value.name or value.telephone or value.email) else None
    if isinstance(value, OrderResponse):
        value = replace(value, order_change_id=None)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _kept(getattr(value, f.name)) for f in fields(value)})  # type: ignore[misc]
    if isinstance(value, tuple):
        return tuple(_kept(v) for v in value)
    return value


def _examples() -> list[Path]:
    folder = ORDERING_DATA / "examples"
    return sorted(folder.rglob("*.xml")) if folder.is_dir() else []


def _fatal(data: bytes) -> list[tuple[str, str, str]]:
    return [(f.rule, f.location, f.message) for f in validate_bytes(data).findings if f.is_fatal]


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.relative_to(ORDERING_DATA / "examples").as_posix()) for p in _examples()]
    or [None],
)
def test_every_published_example_round_trips(path: Path | None) -> None:
    require_ordering()
    if path is None:
        pytest.skip(f"no published examples found under {ORDERING_DATA / 'examples'}")
    data = path.read_bytes()
    original = read(data)
    written = write(original)
    received = validate_bytes(data)
    ours = validate_bytes(written)
    assert ours.profile.transaction == received.profile.transaction
    if not received.valid:  # the two Order Response Advanced examples the schema refuses
        assert {f.rule for f in received.findings if f.is_fatal} == {"UBL-XSD"}
    assert _fatal(written) == []
    run = _official()  # the published Schematron under Saxon, where saxonche is installed
    if run is not None:
        fired = run(ours.profile.transaction.code, written)
        assert fired is not None
        assert {rule: n for (rule, flag), n in fired.items() if flag == "fatal"} == {}
    back = read(written)
    assert document_to_dict(back) == document_to_dict(_kept(original)) or back == _kept(original)
