import threading

import pytest
from django.db import connection, connections, transaction

from faelles.core.audit import chain_for, record_event, verify_chains
from faelles.core.models import AuditChainHead, AuditEvent
from faelles.core.tests.conftest import make_institution


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain_on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency test needs PostgreSQL (row locks); SQLite serialises writes")
    institution = make_institution()
    barrier = threading.Barrier(8)
    errors = []

    def runner(i):
        try:
            barrier.wait()
            for n in range(20):
                with transaction.atomic():
                    record_event(
                        institution=institution,
                        actor=None,
                        action="concurrent.write",
                        details={"thread": i, "n": n},
                    )
                    if n % 5 == 0:  # operator chain at the same time
                        record_event(institution=None, actor=None, action="op.write")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    chain = chain_for(institution)
    seqs = list(AuditEvent.objects.filter(chain=chain).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, 161))
    assert AuditChainHead.objects.get(chain=chain).last_seq == 160
    assert AuditEvent.objects.filter(chain="op").count() == 32
    assert verify_chains() == []
