"""Employees: registration (the CPR number encrypted at rest) and the logged reads of a full CPR number."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event, record_events_bulk, refusals_recorded
from faelles.core.personal_data import (
    cpr_ref,
    log_personal_data_access,
    log_personal_data_access_bulk,
)
from faelles.payroll.models import (
    Employee,
)
from faelles.payroll.services.common import _require_act
from faelles.redact import cpr_digits
from faelles.tenancy.models import Institution, User
from faelles.tenancy.services.users import system_user

# --- the CPR number at rest ---------------------------------------------------------------


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"faelles.payroll.cpr:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_cpr(digits: str) -> str:
    return _fernet().encrypt(digits.encode("ascii")).decode("ascii")


@refusals_recorded
@transaction.atomic
def employee_create(
    *,
    actor: User | None,
    institution: Institution,
    number: str,
    name: str,
    cpr: str,
    user: User | None = None,
    address: str = "",
) -> Employee:
    """Register a person on the payroll. The CPR number is stored encrypted, with a keyed
    hash for look-ups and the last four digits for the masked form; it is never logged. The
    postal address (one line, "Vej 1, 2100 København Ø") is identity, not pay: like the name
    it is stored at once, without the two-person rule, and kept out of the audit details."""
    if actor is not None:
        _require_act(actor, institution, "payroll.employee.create")
    digits = cpr_digits(cpr)
    if digits is None:
        raise ValidationError({"cpr": _("A CPR number has ten digits (DDMMYY-XXXX).")})
    employee = Employee(
        institution=institution,
        number=number.strip(),
        name=name.strip(),
        address=normal_address(address),
        cpr_ref=cpr_ref(digits),
        cpr_cipher=encrypt_cpr(digits),
        cpr_last4=digits[-4:],
        user=user,
    )
    employee.full_clean()
    employee.save()
    record_event(
        institution=institution,
        actor=actor,
        action="payroll.employee.created",
        obj=employee,
        details={"number": employee.number, "subject_ref": employee.cpr_ref},
    )
    return employee


def normal_address(address: str) -> str:
    """An address on one line with single blanks ("Vej 1, 2100 København Ø")."""
    return " ".join((address or "").split())


@refusals_recorded
@transaction.atomic
def employee_address_set(*, actor: User | None, employee: Employee, address: str) -> Employee:
    """Change the employee's postal address. Not pay-relevant, so it applies at once (like
    the name, it is not a pending change); the event names the field changed, not the
    address (personal data stays on the employee)."""
    institution = employee.institution
    if actor is not None:
        _require_act(actor, institution, "payroll.employee.update", employee)
    new = normal_address(address)
    if new == employee.address:
        return employee
    employee.address = new
    employee.full_clean()
    employee.save(update_fields=["address"])
    record_event(
        institution=institution,
        actor=actor,
        action="payroll.employee.updated",
        obj=employee,
        details={"number": employee.number, "subject_ref": employee.cpr_ref, "fields": ["address"]},
    )
    return employee


def employees_create_bulk(
    *,
    actor: User | None,
    institution: Institution,
    rows: Sequence[tuple[str, str, str] | tuple[str, str, str, str]],
) -> list[Employee]:
    """Many employees (number, name, CPR and optionally the address) with one insert: the
    batch path of the demo and the benchmark. Caller's transaction; one audit event per
    employee in one append."""
    fernet = _fernet()
    objs = []
    for row in rows:
        number, name, cpr = row[0], row[1], row[2]
        address = normal_address(row[3]) if len(row) > 3 else ""
        digits = cpr_digits(cpr)
        if digits is None:
            raise ValidationError({"cpr": _("A CPR number has ten digits (DDMMYY-XXXX).")})
        objs.append(
            Employee(
                institution=institution,
                number=number,
                name=name,
                address=address,
                cpr_ref=cpr_ref(digits),
                cpr_cipher=fernet.encrypt(digits.encode("ascii")).decode("ascii"),
                cpr_last4=digits[-4:],
            )
        )
    created = Employee.objects.bulk_create(objs, batch_size=2000)
    if not created or created[0].pk is None:
        numbers = [o.number for o in objs]
        created = list(
            Employee.objects.for_institution(institution).filter(number__in=numbers).order_by("pk")
        )
    record_events_bulk(
        institution=institution,
        actor=actor,
        events=[
            {
                "action": "payroll.employee.created",
                "object_type": "payroll.employee",
                "object_id": e.pk,
                "details": {"number": e.number, "subject_ref": e.cpr_ref},
            }
            for e in created
        ],
    )
    return created


def employee_cpr_read(*, actor: Any, employee: Employee, purpose: str) -> str:
    """The full CPR number, for a purpose; every read is a personal-data access event."""
    log_personal_data_access(
        actor=actor,
        institution=employee.institution,
        subject_type="payroll.employee",
        subject_id=employee.pk,
        purpose=purpose,
        fields=["cpr"],
        cpr=None,
    )
    return _fernet().decrypt(employee.cpr_cipher.encode("ascii")).decode("ascii")


def employees_cpr_read(*, actor: Any, employees: Sequence[Employee], purpose: str) -> list[str]:
    """The CPR numbers of many employees for one purpose (an eIndkomst report, a payment
    file): one personal-data access event per person, written in one transaction. Without
    an actor the read is logged as the system's."""
    return cprs_read(
        actor=actor,
        rows=[(e.institution_id, e.pk, e.cpr_cipher) for e in employees],
        purpose=purpose,
    )


def cprs_read(*, actor: Any, rows: Sequence[tuple[int, int, str]], purpose: str) -> list[str]:
    """The CPR numbers of ``(institution id, employee id, cpr_cipher)`` rows for one purpose,
    with one personal-data access row and one audit event per person, written set-based per
    institution (:func:`faelles.core.personal_data.log_personal_data_access_bulk`)."""
    actor = actor or system_user()
    fernet = _fernet()
    by_institution: dict[int, list[int]] = {}
    for institution_id, employee_id, _cipher in rows:
        by_institution.setdefault(institution_id, []).append(employee_id)
    with transaction.atomic():
        for institution_id, employee_ids in by_institution.items():
            log_personal_data_access_bulk(
                actor=actor,
                institution_id=institution_id,
                subject_type="payroll.employee",
                subject_ids=employee_ids,
                purpose=purpose,
                fields=["cpr"],
            )
    return [fernet.decrypt(cipher.encode("ascii")).decode("ascii") for _i, _e, cipher in rows]
