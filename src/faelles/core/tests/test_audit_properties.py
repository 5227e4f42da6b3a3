"""Property: any chain of events verifies; changing any one stored field of any one event is
detected."""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faelles.core.audit import record_event, verify_chains
from faelles.core.models import AuditEvent

pytestmark = pytest.mark.django_db

values = st.one_of(
    st.integers(-(10**12), 10**12),
    st.text(max_size=20),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-(10**9)
    ),
    st.booleans(),
    st.none(),
)
details = st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=4)


class _Rollback(Exception):
    pass


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chain=st.lists(details, min_size=1, max_size=6),
    victim=st.integers(min_value=0),
    field=st.sampled_from(["details", "action", "object_id", "actor_id", "created_at"]),
)
def test_any_single_change_is_detected(institution, user, chain, victim, field):
    with pytest.raises(_Rollback), transaction.atomic():
        events = [
            record_event(institution=institution, actor=user, action="p.test", details=d)
            for d in chain
        ]
        assert verify_chains(institution) == []
        target = events[victim % len(events)]
        changes = {
            "details": {"forged": "1.00"} if target.details != {"forged": "1.00"} else {},
            "action": "p.forged",
            "object_id": "forged",
            "actor_id": None,
            "created_at": target.created_at - timedelta(days=1),
        }
        AuditEvent.objects.filter(pk=target.pk).update(**{field: changes[field]})
        assert verify_chains(institution) != []
        raise _Rollback
