"""The personal-data access log: who read which person's data, when and for what purpose.

The CPR number is never stored: the log keeps a keyed hash of it (HMAC-SHA256 with the
project's secret key), so two reads of the same person can be matched without the log
revealing who the person is. The same applies to the audit event written alongside.

What counts as a CPR number, in which written forms, is decided in one place,
:mod:`faelles.redact` (the same pattern masks CPR numbers in errors and logs).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from faelles.core import bulk
from faelles.core.audit import record_event, record_events_bulk
from faelles.core.models import PersonalDataAccess
from faelles.redact import cpr_digits, scrub_cpr

_HASH_CONTEXT = b"faelles.personal_data.cpr:"


def cpr_ref(cpr: str) -> str:
    """A keyed, stable reference for a CPR number in any written form (its ten digits are
    hashed, so ``010190-1234`` and ``010190 1234`` give the same reference)."""
    digits = cpr_digits(str(cpr))
    if digits is None:
        # The value is not repeated: it may be a mistyped CPR number.
        raise ValueError("not a CPR number (DDMMYY-XXXX)")
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, _HASH_CONTEXT + digits.encode("ascii"), hashlib.sha256).hexdigest()


@transaction.atomic
def log_personal_data_access(
    *,
    actor: Any,
    institution: Any,
    subject_type: str,
    subject_id: Any,
    purpose: str,
    fields: Sequence[str],
    cpr: str | None = None,
) -> PersonalDataAccess:
    """Record that ``actor`` read ``fields`` of a person for ``purpose``.

    ``cpr`` is only used to compute the keyed reference; the value is neither stored nor
    written to the audit trail. A CPR number written into the purpose or given as the subject
    id is masked.
    """
    if not purpose or not purpose.strip():
        raise ValueError("a read of personal data needs a purpose")
    ref = cpr_ref(cpr) if cpr else ""
    entry = PersonalDataAccess.objects.create(
        institution=institution,
        actor=actor,
        subject_type=subject_type,
        subject_id=scrub_cpr(str(subject_id)),
        subject_ref=ref,
        purpose=scrub_cpr(purpose.strip()),
        fields=list(fields),
    )
    record_event(
        institution=institution,
        actor=actor,
        action="personal_data.read",
        object_type=subject_type,
        object_id=entry.subject_id,
        details={"purpose": entry.purpose, "fields": list(fields), "subject_ref": ref},
    )
    return entry


_ACCESS_COLUMNS = (
    "institution_id",
    "actor_id",
    "subject_type",
    "subject_id",
    "subject_ref",
    "purpose",
    "fields",
    "accessed_at",
)


@transaction.atomic
def log_personal_data_access_bulk(
    *,
    actor: Any,
    institution_id: int,
    subject_type: str,
    subject_ids: Sequence[Any],
    purpose: str,
    fields: Sequence[str],
) -> None:
    """:func:`log_personal_data_access` for many people of one institution at once, without
    keyed references: the same access rows (one insert, COPY on PostgreSQL) and the same
    ``personal_data.read`` events (one append to the institution's chain)."""
    if not purpose or not purpose.strip():
        raise ValueError("a read of personal data needs a purpose")
    purpose = scrub_cpr(purpose.strip())
    fields = list(fields)
    ids = [scrub_cpr(str(subject_id)) for subject_id in subject_ids]
    now = timezone.now()
    fields_json = json.dumps(fields)
    bulk.insert_many(
        PersonalDataAccess._meta.db_table,
        _ACCESS_COLUMNS,
        [(institution_id, actor.pk, subject_type, i, "", purpose, fields_json, now) for i in ids],
    )
    record_events_bulk(
        institution=institution_id,
        actor=actor,
        events=[
            {
                "action": "personal_data.read",
                "object_type": subject_type,
                "object_id": i,
                "details": {"purpose": purpose, "fields": fields, "subject_ref": ""},
            }
            for i in ids
        ],
    )
