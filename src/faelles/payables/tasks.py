"""Background work of invoice handling: work that leaves the request.

Every task takes ids, is queued with ``transaction.on_commit`` by the service that decided
it (so a rolled-back decision queues nothing), and is idempotent, so a repeated delivery
changes nothing twice. In the embedded default (no broker) they run eagerly right after the
commit; with ``CELERY_BROKER_URL`` they run on workers. Mail (reminders, escalations, the
response to the supplier) goes through the outbox task ``faelles.core.mail.send_mail``.
"""

from __future__ import annotations

from collections.abc import Iterable

from faelles.celery import app
from faelles.payables import intake, payments


@app.task(  # type: ignore[untyped-decorator]
    name="faelles.payables.tasks.payment_run_file_make", max_retries=3, default_retry_delay=30
)
def payment_run_file_make(run_id: int) -> str:
    """Make a released payment run's pain.001 file; ``made`` or ``skipped`` (already made)."""
    return "made" if payments.payment_run_file_make(run_id=run_id) is not None else "skipped"


@app.task(name="faelles.payables.tasks.documents_process")  # type: ignore[untyped-decorator]
def documents_process(ids: list[int]) -> dict[str, int]:
    """Process stored documents that still wait (status *received*), e.g. a large delivery
    stored by a request that should not wait for the processing; documents processed
    meanwhile are left alone. Answers the count per outcome."""
    return _counts(intake.documents_process_waiting(ids=ids))


@app.task(name="faelles.payables.tasks.documents_process_waiting")  # type: ignore[untyped-decorator]
def documents_process_waiting() -> dict[str, int]:
    """The sweep (``CELERY_BEAT_SCHEDULE``): process every stored document still waiting."""
    return _counts(intake.documents_process_waiting())


@app.task(name="faelles.payables.tasks.invoice_approve_covered")  # type: ignore[untyped-decorator]
def invoice_approve_covered(invoice_id: int, approver_id: int, order: str) -> str:
    """Approve a matched invoice as its order's approver, the order's approval covering it
    (queued by intake after the commit); ``approved``, ``posted`` or ``refused`` (it waits
    for the approvers)."""
    from faelles.payables.lifecycle.approval import invoice_approve_covered as approve
    from faelles.tenancy.models import User

    actor = User.objects.filter(pk=approver_id).first()
    if actor is None:
        return "refused"
    return approve(actor=actor, invoice_id=invoice_id, order=order)


def _counts(results: Iterable[intake.Intake]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return counts
