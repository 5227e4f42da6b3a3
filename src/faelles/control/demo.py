"""Demo data for the controls: ``faelles demo`` (after the invoice demo) re-sends a few of the
demo invoices the way real duplicates arrive, runs every control over all institutions and
records a controller's decisions, so the work lists, a hit's evidence and the precision page
show something real.

The re-sent documents go through the real intake (stored, read, validated, routed):

* the same invoice with a leading zero in its number (intake suspects it as well);
* the same invoice with the letter O for a zero (an OCR-like slip intake does not see);
* the same invoice delivered to a second institution (the same vendor CVR, another buyer);
* an invoice from a sole trader who trades under their own name from their home address and
  is on the institution's payroll (the employee is the payroll demo's ``VENDOR_TWIN``, made
  here through the payroll service because this demo runs before payroll's).

Idempotent: nothing happens when the controls have run before.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps

from faelles.control import people
from faelles.control.models import ControlRun, Hit, HitStatus
from faelles.control.services import control_run, hit_decide
from faelles.payables import services as payables
from faelles.payables.models import Invoice, InvoiceState
from faelles.tenancy.models import Endpoint, Institution, Membership, Role

PREFIX = "control-demo-"


def _variant(number: str, how: str) -> str:
    if how == "zero":
        match = re.search(r"[0-9]", number)
        return number if match is None else number[: match.start()] + "0" + number[match.start() :]
    return number.replace("0", "O", 1) if "0" in number else number + "O"


def _gln(institution: Institution) -> str | None:
    return (
        Endpoint.objects.for_institution(institution)
        .filter(scheme=Endpoint.Scheme.GLN, is_active=True, org_unit__isnull=True)
        .order_by("pk")
        .values_list("identifier", flat=True)
        .first()
    )


#: The sole trader's vendor number (CVR) and the demo vendor whose invoice they re-use.
TWIN_CVR = "41000074"
TWIN_TEMPLATE_CVR = "41000042"  # Konsulenthuset I/S in faelles.payables.demo.VENDORS


def _seller(block: bytes, name: str, street: str, postcode: str, city: str) -> bytes:
    def tag(local: str, value: str, text: bytes) -> bytes:
        pattern = rb"(<(?:[A-Za-z0-9_]+:)?" + local.encode() + rb">)[^<]*(<)"
        return re.sub(pattern, lambda m: m.group(1) + value.encode() + m.group(2), text)

    block = tag("Name", name, block)
    block = tag("RegistrationName", name, block)
    block = tag("StreetName", street, block)
    block = re.sub(rb"<(?:[A-Za-z0-9_]+:)?BuildingNumber>[^<]*</[^>]*>", b"", block)
    block = tag("PostalZone", postcode, block)
    block = tag("CityName", city, block)
    return block.replace(TWIN_TEMPLATE_CVR.encode(), TWIN_CVR.encode())


def _vendor_twin(institutions: list[Institution]) -> tuple[bytes, str] | None:
    """An invoice from the payroll demo's employee who is also a vendor: a demo invoice of
    another vendor re-issued in the sole trader's name, number, CVR and home address, to the
    first institution that has such an invoice (the employee is registered there)."""
    if not apps.is_installed("faelles.payroll"):
        return None
    from faelles.payroll import demo as payroll_demo

    template = None
    for inst in institutions:
        template = (
            Invoice.objects.for_institution(inst)
            .filter(
                kind=Invoice.Kind.INVOICE,
                vendor__cvr=TWIN_TEMPLATE_CVR,
                document__filename__startswith="demo-",
            )
            .select_related("document", "institution")
            .order_by("pk")
            .first()
        )
        if template is not None:
            break
    if template is None:
        return None
    institution = template.institution
    employee = payroll_demo.plant_vendor_twin(institution)
    street, _, town = employee.address.partition(", ")
    postcode, _, city = town.partition(" ")
    content = bytes(template.document.content)
    content = content.replace(f">{template.number}</cbc:ID>".encode(), b">HL-2026-014</cbc:ID>", 1)
    content = people._SUPPLIER.sub(
        lambda m: _seller(m.group(0), employee.name, street, postcode, city), content, count=1
    )
    return content, f"{PREFIX}{institution.short_name.lower()}-twin.xml"


def load_demo(*, stdout: Any = None) -> None:
    if ControlRun.objects.exists():
        return
    institutions = [
        i
        for i in Institution.objects.filter(is_active=True).order_by("pk")
        if Invoice.objects.for_institution(i)
        .filter(document__filename__startswith="demo-")
        .exists()
        and _gln(i)
    ]
    sources: list[tuple[bytes, str]] = []
    for n, inst in enumerate(institutions):
        originals = list(
            Invoice.objects.for_institution(inst)
            .filter(
                kind=Invoice.Kind.INVOICE,
                duplicate_of__isnull=True,
                state__in=[InvoiceState.POSTED, InvoiceState.PAID, InvoiceState.APPROVED],
            )
            .select_related("document")
            .order_by("pk")[:3]
        )
        gln = _gln(inst) or ""
        for k, (invoice, how) in enumerate(zip(originals, ("zero", "ocr", "other"), strict=False)):
            content = bytes(invoice.document.content)
            tag = f">{invoice.number}</cbc:ID>".encode()
            if how == "other":
                other = institutions[(n + 1) % len(institutions)]
                if other == inst:
                    continue
                content = content.replace(gln.encode(), (_gln(other) or gln).encode())
            else:
                content = content.replace(
                    tag, f">{_variant(invoice.number, how)}</cbc:ID>".encode(), 1
                )
            sources.append((content, f"{PREFIX}{inst.short_name.lower()}-{k}.xml"))
    twin = _vendor_twin(institutions)
    if twin is not None:
        sources.append(twin)
    received = list(payables.documents_receive(sources=sources, channel="upload"))
    run = control_run(actor=None)
    # a controller's first decisions: the first hit confirmed, the second already known
    decided = 0
    for hit, status in zip(
        Hit.objects.filter(last_run=run).order_by("-priority")[:2],
        (HitStatus.CONFIRMED, HitStatus.KNOWN),
        strict=False,
    ):
        controller = (
            Membership.objects.filter(
                institution=hit.institution, role=Role.CONTROLLER, is_active=True
            )
            .select_related("user")
            .first()
        )
        if controller is not None:
            hit_decide(actor=controller.user, hit=hit, status=status, note="demo")
            decided += 1
    if stdout is not None:
        stdout.write(
            f"control: {len(received)} documents re-sent (duplicates and a vendor on the "
            f"payroll), "
            f"{run.summary.get('hits', 0)} hits, {decided} decided\n"
        )
