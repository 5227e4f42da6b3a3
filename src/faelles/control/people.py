"""The people and parties the employee-based controls compare: a small interface.

``employee_records(institutions)`` yields :class:`EmployeeRecord` (institution, id, name,
address, account key) from the payroll app: ``payroll.Employee.address`` is one line in the
form :func:`seller_address` gives a vendor's ("Vej 1, 2100 København Ø"), so the linkage
compares like with like. When ``faelles.payroll`` is not installed, it yields nothing and the
two employee-based controls find nothing (the run's summary says so). The benchmark and some
tests plant records through :func:`employee_source` instead.

``vendor_parties(institutions)`` yields :class:`VendorParty` (the vendor's name and postal
address as its newest invoice states them: the vendor master keeps no address).
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Max

from faelles.control import normalize


@dataclass(frozen=True, slots=True)
class EmployeeRecord:
    institution_id: int
    id: int
    name: str
    address: str
    account: str  # a key of normalize.account_key; empty when unknown


@dataclass(frozen=True, slots=True)
class VendorParty:
    institution_id: int
    vendor_id: int
    name: str
    address: str


Source = Callable[[list[int]], Iterable[EmployeeRecord]]
_SOURCE: ContextVar[Source | None] = ContextVar("faelles_control_employees", default=None)


@contextlib.contextmanager
def employee_source(source: Source) -> Iterator[None]:
    """Use ``source`` instead of the payroll app for the employee records (tests, benchmark)."""
    token = _SOURCE.set(source)
    try:
        yield
    finally:
        _SOURCE.reset(token)


def _model(label: str, name: str) -> Any:
    if not apps.is_installed(f"faelles.{label}"):
        return None
    try:
        return apps.get_model(label, name)
    except LookupError:
        return None


def _has(model: Any, field: str) -> bool:
    try:
        model._meta.get_field(field)
    except FieldDoesNotExist:
        return False
    return True


def payroll_available() -> bool:
    """Whether the payroll app holds employees (the employee-based controls can run)."""
    return _SOURCE.get() is not None or _model("payroll", "Employee") is not None


def employee_records(institutions: list[int]) -> Iterator[EmployeeRecord]:
    """Every employee of ``institutions`` once per bank account they ever had (once without an
    account when they have none)."""
    source = _SOURCE.get()
    if source is not None:
        yield from source(institutions)
        return
    employee = _model("payroll", "Employee")
    if employee is None:
        return
    # payroll keeps the postal address on one line in the form seller_address() gives a
    # vendor's ("street building, postcode city"); a payroll without it yields no address
    address = _has(employee, "address")
    fields = ["id", "institution_id", "name", *(["address"] if address else [])]
    accounts: dict[int, list[str]] = {}
    bank = _model("payroll", "BankAccount")
    if bank is not None and _has(bank, "reg_no") and _has(bank, "account_no"):
        rows = (
            bank.objects.filter(institution_id__in=institutions)
            .order_by()
            .values_list("employee_id", "reg_no", "account_no")
        )
        for employee_id, reg, account in rows.iterator(chunk_size=20_000):
            key = normalize.account_key("dk", account, reg=reg)
            if key:
                accounts.setdefault(employee_id, []).append(key)
    rows = employee.objects.filter(institution_id__in=institutions).order_by().values_list(*fields)
    for row in rows.iterator(chunk_size=20_000):
        pk, institution_id, name = row[0], row[1], row[2]
        where = str(row[3] or "") if address else ""
        for key in accounts.get(pk) or [""]:
            yield EmployeeRecord(institution_id, pk, name or "", where, key)


_SUPPLIER = re.compile(
    rb"<(?:[A-Za-z0-9_]+:)?AccountingSupplierParty[ >].*?</(?:[A-Za-z0-9_]+:)?AccountingSupplierParty>",
    re.S,
)
_POSTAL = re.compile(
    rb"<(?:[A-Za-z0-9_]+:)?PostalAddress[ >].*?</(?:[A-Za-z0-9_]+:)?PostalAddress>", re.S
)


def _field(block: bytes, tag: str) -> str:
    match = re.search(rb"<(?:[A-Za-z0-9_]+:)?" + tag.encode() + rb">([^<]*)<", block)
    return html.unescape(match.group(1).decode("utf-8", "replace")).strip() if match else ""


def seller_address(content: bytes) -> str:
    """The seller's postal address in a UBL or OIOUBL document ("street building, postcode
    city"), read by pattern (the document was parsed and validated at intake; this runs for
    every vendor on every run, so it does not parse the whole document again)."""
    party = _SUPPLIER.search(content)
    postal = _POSTAL.search(party.group(0)) if party else None
    if postal is None:
        return ""
    block = postal.group(0)
    street = " ".join(
        p for p in (_field(block, "StreetName"), _field(block, "BuildingNumber")) if p
    )
    town = " ".join(p for p in (_field(block, "PostalZone"), _field(block, "CityName")) if p)
    return ", ".join(p for p in (street, town) if p)


def vendor_parties(
    institutions: list[int], *, newest: dict[int, int] | None = None
) -> Iterator[VendorParty]:
    """Each vendor's name, and the postal address its newest invoice gives (``newest``:
    vendor → document, when the caller knows it already)."""
    from faelles.payables.models import Invoice, ReceivedDocument, Vendor

    if newest is None:
        newest = dict(
            Invoice.objects.filter(institution_id__in=institutions)
            .order_by()
            .values("vendor_id")
            .annotate(doc=Max("document_id"))
            .values_list("vendor_id", "doc")
        )
    by_doc = {doc: vendor for vendor, doc in newest.items()}
    addresses: dict[int, str] = {}
    ids = list(by_doc)
    for start in range(0, len(ids), 5000):
        docs = ReceivedDocument.objects.filter(pk__in=ids[start : start + 5000]).values_list(
            "pk", "content"
        )
        for pk, content in docs:
            addresses[by_doc[pk]] = seller_address(bytes(content))
    vendors = (
        Vendor.objects.filter(institution_id__in=institutions)
        .order_by()
        .values_list("id", "institution_id", "name")
    )
    for pk, institution_id, name in vendors.iterator(chunk_size=20_000):
        yield VendorParty(institution_id, pk, name, addresses.get(pk, ""))
