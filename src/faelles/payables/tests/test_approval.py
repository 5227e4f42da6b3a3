"""The approval flow: states, segregation of duties, approval limits, substitutes, posting
through the ledger (idempotent, closed periods wait) and rejection. Every refusal is checked
to have changed nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from faelles.core.models import AuditEvent
from faelles.ledger import services as ledger
from faelles.ledger.models import JournalEntry, Period
from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.lifecycle.approval import SOD_CODES
from faelles.payables.lifecycle.posting import posting_spec
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Delegation, OperatorStaff, Role, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db

D = Decimal

#: Payment details a payment run can pay (the published example's IBAN is not valid).
PAYABLE = [{"kind": "iban", "iban": "DK5000400440116243"}]


@pytest.fixture
def world():
    w = make_world()
    services.routing_rule_create(
        actor=w.receiver,
        institution=w.institution,
        requester=w.requester,
        buyer_reference="0150abc",
    )
    return w


CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2230", D("25.00"), "200", vat_code="I25"),
]


@pytest.fixture
def make(world, dkk_document):
    """An invoice brought to ``state`` by the usual people."""

    def build(state=InvoiceState.ATTESTED, number="F1", coder=None, **kwargs):
        intake = services.document_receive(
            content=dkk_document(number=number, **kwargs), channel="api"
        )
        invoice = intake.invoice
        assert invoice is not None, intake.document.findings
        if state == InvoiceState.RECEIVED:
            return invoice
        services.invoice_code(actor=coder or world.receiver, invoice=invoice, allocations=CODING)
        if state == InvoiceState.CODED:
            return Invoice.objects.get(pk=invoice.pk)
        services.invoice_attest(actor=world.requester, invoice=invoice)
        if state == InvoiceState.ATTESTED:
            return Invoice.objects.get(pk=invoice.pk)
        services.invoice_approve(actor=world.approver, invoice=invoice)
        return Invoice.objects.get(pk=invoice.pk)

    return build


def codes(exc):
    return sorted({e.code for errors in exc.value.error_dict.values() for e in errors})


def snapshot(invoice):
    fresh = Invoice.objects.get(pk=invoice.pk)
    return (
        fresh.state,
        fresh.attested_by_id,
        fresh.first_approved_by_id,
        fresh.approved_by_id,
        fresh.journal_entry_id,
        AuditEvent.objects.exclude(action__endswith=".refused").count(),
        JournalEntry.objects.count(),
    )


def refused(call, invoice, expected_codes):
    """The call is refused with exactly these codes and changes nothing; a refusal on
    segregation of duties leaves one audit event of its own."""
    before = snapshot(invoice)
    refusals = AuditEvent.objects.filter(action__endswith=".refused").count()
    with pytest.raises(ValidationError) as exc:
        call()
    assert codes(exc) == expected_codes
    assert snapshot(invoice) == before
    sod = sorted(set(expected_codes) & SOD_CODES)
    recorded = list(
        AuditEvent.objects.filter(action__endswith=".refused")
        .order_by("seq")
        .values_list("action", "details__codes")[refusals:]
    )
    assert recorded == ([("payables.invoice.approve.refused", sod)] if sod else [])


# --- the happy path ---------------------------------------------------------------------------


def test_received_to_paid_with_who_acts_next_at_each_step(world, make):
    invoice = make(InvoiceState.RECEIVED)
    assert (invoice.next_role, invoice.assigned_to) == ("requester", world.requester)
    services.invoice_code(actor=world.requester, invoice=invoice, allocations=CODING)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.next_role, invoice.assigned_to) == (
        "coded",
        "requester",
        world.requester,
    )
    services.invoice_attest(actor=world.requester, invoice=invoice)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.next_role, invoice.assigned_to) == ("attested", "approver", None)

    services.invoice_approve(actor=world.approver, invoice=invoice)

    invoice.refresh_from_db()
    assert (invoice.state, invoice.approved_by, invoice.posted_by, invoice.next_role) == (
        "posted",
        world.approver,
        world.approver,
        "payer",
    )
    entry = invoice.journal_entry
    assert (entry.source_type, entry.source_id, entry.date) == (
        "payables.invoice",
        str(invoice.pk),
        date(2026, 3, 15),
    )
    lines = list(
        entry.lines.order_by("line_no").values_list(
            "account__number", "org_unit__code", "vat_code__code", "debit", "credit"
        )
    )
    assert lines == [
        ("2210", "100", "I25", D("1300.00"), D("0.00")),
        ("2230", "200", "I25", D("25.00"), D("0.00")),
        ("5620", None, None, D("331.25"), D("0.00")),
        ("9110", None, None, D("0.00"), D("1656.25")),
    ]
    Invoice.objects.filter(pk=invoice.pk).update(payment_means=PAYABLE)  # a run could pay it
    services.invoice_schedule(actor=world.payer, invoice=invoice)
    services.invoice_mark_paid(actor=world.payer, invoice=invoice, paid_on=date(2026, 4, 10))
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_by, invoice.next_role) == ("paid", world.payer, "")
    payment = JournalEntry.objects.get(source_type="payables.payment", source_id=str(invoice.pk))
    assert list(
        payment.lines.order_by("line_no").values_list("account__number", "debit", "credit")
    ) == [("9110", D("1656.25"), D("0.00")), ("5810", D("0.00"), D("1656.25"))]
    actions = list(
        AuditEvent.objects.filter(object_type="payables.invoice", object_id=str(invoice.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "payables.invoice.coded",
        "payables.invoice.attested",
        "payables.invoice.approved",
        "payables.invoice.posted",
        "payables.invoice.scheduled",
        "payables.invoice.paid",
    ]


def test_a_credit_note_is_posted_as_the_mirror_image(world, make):
    invoice = make(InvoiceState.APPROVED, credit_note=True, number="C1")
    assert (invoice.kind, invoice.state) == ("CreditNote", "posted")
    lines = list(
        invoice.journal_entry.lines.order_by("line_no").values_list(
            "account__number", "debit", "credit"
        )
    )
    assert lines == [
        ("2210", D("0.00"), D("1300.00")),
        ("2230", D("0.00"), D("25.00")),
        ("5620", D("0.00"), D("331.25")),
        ("9110", D("1656.25"), D("0.00")),
    ]


def test_postings_are_named_in_the_books_language_whatever_the_actors(world, make):
    invoice = make(InvoiceState.ATTESTED)

    with translation.override("en"):
        services.invoice_approve(actor=world.approver, invoice=invoice)
        invoice.refresh_from_db()
        Invoice.objects.filter(pk=invoice.pk).update(payment_means=PAYABLE)  # a run could pay it
        services.invoice_schedule(actor=world.payer, invoice=invoice)
        services.invoice_mark_paid(actor=world.payer, invoice=invoice, paid_on=date(2026, 4, 10))

    invoice.refresh_from_db()
    payment = JournalEntry.objects.get(source_type="payables.payment", source_id=str(invoice.pk))
    vendor = invoice.vendor.name
    assert invoice.journal_entry.description == f"Faktura {invoice.number} {vendor}"[:200]
    assert payment.description == f"Betaling {invoice.number} {vendor}"[:200]


# --- segregation of duties ------------------------------------------------------------------


def test_the_attester_cannot_approve(world, make):
    member(world.institution, Role.APPROVER, "5000", user=world.requester)
    invoice = make()
    refused(
        lambda: services.invoice_approve(actor=world.requester, invoice=invoice),
        invoice,
        ["attester"],
    )


def test_whoever_coded_cannot_approve(world, make):
    member(world.institution, Role.BOOKKEEPER, user=world.approver)
    invoice = make(coder=world.approver)
    refused(
        lambda: services.invoice_approve(actor=world.approver, invoice=invoice), invoice, ["coder"]
    )


def test_whoever_changed_the_payment_details_cannot_approve(world, make):
    invoice = make()
    Invoice.objects.filter(pk=invoice.pk).update(payment_changed_by=world.approver)
    refused(
        lambda: services.invoice_approve(actor=world.approver, invoice=invoice),
        invoice,
        ["payment_changed"],
    )


def test_a_system_administrator_cannot_approve(world, make):
    OperatorStaff.objects.create(
        operator=OperatorFactory(), user=world.approver, role=StaffRole.SYSTEM_ADMIN
    )
    invoice = make()
    refused(
        lambda: services.invoice_approve(actor=world.approver, invoice=invoice),
        invoice,
        ["system_admin"],
    )


@pytest.mark.parametrize("who", ["requester", "receiver", "bookkeeper", "payer", "controller"])
def test_only_approvers_approve(world, make, who):
    invoice = make()
    refused(
        lambda: services.invoice_approve(actor=getattr(world, who), invoice=invoice),
        invoice,
        ["not_approver"],
    )


def test_a_duplicate_is_never_approved_nor_paid(world, make, dkk_document):
    invoice = make()
    again = dkk_document(number="F1").replace(b"<cbc:Note>", b"<cbc:Note>Again ", 1) + b"\n"
    dup = services.document_receive(content=again, channel="api").invoice
    assert dup.duplicate_of_id == invoice.pk
    Invoice.objects.filter(pk=dup.pk).update(state=InvoiceState.ATTESTED)
    refused(lambda: services.invoice_approve(actor=world.approver, invoice=dup), dup, ["duplicate"])
    Invoice.objects.filter(pk=dup.pk).update(state=InvoiceState.POSTED)
    refused(lambda: services.invoice_schedule(actor=world.payer, invoice=dup), dup, ["duplicate"])


def test_the_payer_is_not_the_person_who_posted(world, make):
    member(world.institution, Role.PAYER, user=world.approver)
    invoice = make(InvoiceState.APPROVED)
    assert invoice.posted_by == world.approver
    refused(
        lambda: services.invoice_schedule(actor=world.approver, invoice=invoice),
        invoice,
        ["poster"],
    )


def test_steps_out_of_order_are_refused(world, make):
    invoice = make(InvoiceState.RECEIVED)
    refused(
        lambda: services.invoice_attest(actor=world.requester, invoice=invoice),
        invoice,
        ["wrong_state"],
    )
    refused(
        lambda: services.invoice_approve(actor=world.approver, invoice=invoice),
        invoice,
        ["wrong_state"],
    )
    refused(
        lambda: services.invoice_post(actor=world.bookkeeper, invoice=invoice),
        invoice,
        ["wrong_state"],
    )


def test_only_the_requester_attests_a_routed_invoice(world, make):
    invoice = make(InvoiceState.CODED)
    refused(
        lambda: services.invoice_attest(actor=world.receiver, invoice=invoice),
        invoice,
        ["not_requester"],
    )


# --- limits -------------------------------------------------------------------------------


def test_above_the_limit_a_second_approver_with_a_higher_limit_approves(world, make):
    invoice = make()
    services.invoice_approve(actor=world.low_approver, invoice=invoice)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.first_approved_by, invoice.next_role) == (
        "attested",
        world.low_approver,
        "approver",
    )
    refused(
        lambda: services.invoice_approve(actor=world.low_approver, invoice=invoice),
        invoice,
        ["first_approver", "limit"],
    )
    other_low = member(world.institution, Role.APPROVER, "1000")
    refused(lambda: services.invoice_approve(actor=other_low, invoice=invoice), invoice, ["limit"])

    services.invoice_approve(actor=world.approver, invoice=invoice)

    invoice.refresh_from_db()
    assert (invoice.state, invoice.approved_by) == ("posted", world.approver)


def test_a_limit_equal_to_the_amount_is_enough(world, make):
    exact = member(world.institution, Role.APPROVER, "1656.25")
    invoice = make()
    services.invoice_approve(actor=exact, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == "posted"


def test_a_foreign_currency_invoice_without_a_rate_is_not_approved(world, make, peppol_invoice):
    intake = services.document_receive(
        content=peppol_invoice(issue="2026-03-15", number="EUR1"), channel="api"
    )
    invoice = intake.invoice
    Invoice.objects.filter(pk=invoice.pk).update(state=InvoiceState.ATTESTED)
    refused(
        lambda: services.invoice_approve(actor=world.approver, invoice=invoice),
        invoice,
        ["no_rate"],
    )


# --- substitutes ----------------------------------------------------------------------------


def _delegate(world, principal, substitute, start, end):
    return Delegation.objects.create(
        institution=world.institution,
        principal=principal,
        substitute=substitute,
        valid_from=start,
        valid_to=end,
    )


def test_a_substitute_approves_inside_the_dates_logged_on_behalf_of(world, make):
    today = timezone.localdate()
    substitute = member(world.institution, Role.CONTROLLER)
    _delegate(
        world, world.approver, substitute, today - timedelta(days=1), today + timedelta(days=1)
    )
    invoice = make()

    services.invoice_approve(actor=substitute, invoice=invoice)

    invoice.refresh_from_db()
    assert (invoice.state, invoice.approved_by) == ("posted", substitute)
    event = AuditEvent.objects.get(action="payables.invoice.approved")
    assert (event.actor, event.on_behalf_of) == (substitute, world.approver)


@pytest.mark.parametrize(("start", "end"), [(-10, -1), (1, 10)])
def test_a_substitute_outside_the_dates_cannot_approve(world, make, start, end):
    today = timezone.localdate()
    substitute = member(world.institution, Role.CONTROLLER)
    _delegate(
        world,
        world.approver,
        substitute,
        today + timedelta(days=start),
        today + timedelta(days=end),
    )
    invoice = make()
    refused(
        lambda: services.invoice_approve(actor=substitute, invoice=invoice),
        invoice,
        ["not_approver"],
    )


def test_a_substitute_attests_for_the_requester_and_then_cannot_approve(world, make):
    today = timezone.localdate()
    substitute = member(world.institution, Role.CONTROLLER)
    _delegate(world, world.requester, substitute, today, today)
    _delegate(world, world.approver, substitute, today, today)
    invoice = make(InvoiceState.CODED)

    services.invoice_attest(actor=substitute, invoice=invoice)

    event = AuditEvent.objects.get(action="payables.invoice.attested")
    assert (event.actor, event.on_behalf_of) == (substitute, world.requester)
    refused(
        lambda: services.invoice_approve(actor=substitute, invoice=invoice), invoice, ["attester"]
    )


def test_a_substitute_whose_delegation_ended_cannot_attest(world, make):
    today = timezone.localdate()
    substitute = member(world.institution, Role.CONTROLLER)
    _delegate(
        world, world.requester, substitute, today - timedelta(days=5), today - timedelta(days=1)
    )
    invoice = make(InvoiceState.CODED)
    refused(
        lambda: services.invoice_attest(actor=substitute, invoice=invoice),
        invoice,
        ["not_requester"],
    )


# --- posting --------------------------------------------------------------------------------


def _march(world):
    return Period.objects.get(
        institution=world.institution, start__lte=date(2026, 3, 15), end__gte=date(2026, 3, 15)
    )


def _close_from_march(world):
    """Close March 2026 and every period after it: no open period on or after the invoice
    date (2026-03-15), so posting waits."""
    for period in Period.objects.filter(
        institution=world.institution, start__gte=date(2026, 3, 1)
    ).order_by("start"):
        ledger.period_set_state(actor=world.bookkeeper, period=period, state="closed")


WAITS = (
    "No open fiscal period on or after 2026-03-15: the periods from then on are closed or "
    "locked. A bookkeeper must reopen a period or open the fiscal year 2027."
)


def test_a_closed_period_leaves_the_invoice_approved_and_waiting(world, make):
    _close_from_march(world)
    invoice = make()

    services.invoice_approve(actor=world.approver, invoice=invoice)

    invoice.refresh_from_db()
    assert (invoice.state, invoice.journal_entry, invoice.next_role) == (
        "approved",
        None,
        "bookkeeper",
    )
    assert invoice.posting_error == WAITS
    assert JournalEntry.objects.filter(source_type="payables.invoice").count() == 0
    refused(
        lambda: services.invoice_post(actor=world.bookkeeper, invoice=invoice),
        invoice,
        ["no_open_period"],
    )

    ledger.period_set_state(actor=world.bookkeeper, period=_march(world), state="open")
    services.invoice_post(actor=world.bookkeeper, invoice=invoice)

    invoice.refresh_from_db()
    assert (invoice.state, invoice.posted_by, invoice.posting_error) == (
        "posted",
        world.bookkeeper,
        "",
    )


def test_posting_is_idempotent_in_the_ledger(world, make):
    invoice = make(InvoiceState.APPROVED)
    spec = posting_spec(invoice)
    again = ledger.entry_record(actor=world.bookkeeper, institution=world.institution, spec=spec)
    assert again.pk == invoice.journal_entry_id
    assert JournalEntry.objects.filter(source_type="payables.invoice").count() == 1


def test_a_foreign_currency_invoice_is_refused_for_posting(world, peppol_invoice):
    invoice = services.document_receive(
        content=peppol_invoice(issue="2026-03-15", number="EUR2"), channel="api"
    ).invoice
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    Invoice.objects.filter(pk=invoice.pk).update(state=InvoiceState.APPROVED)
    refused(
        lambda: services.invoice_post(actor=world.bookkeeper, invoice=invoice), invoice, ["no_rate"]
    )


def test_only_bookkeepers_post(world, make):
    _close_from_march(world)
    invoice = make()
    services.invoice_approve(actor=world.approver, invoice=invoice)
    ledger.period_set_state(actor=world.bookkeeper, period=_march(world), state="open")
    refused(
        lambda: services.invoice_post(actor=world.payer, invoice=invoice),
        invoice,
        ["not_permitted"],
    )


# --- rejection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "who"),
    [("received", "receiver"), ("coded", "requester"), ("attested", "approver")],
)
def test_rejection_keeps_the_reason_and_the_step(world, make, state, who):
    invoice = make(state)
    services.invoice_reject(actor=getattr(world, who), invoice=invoice, reason="Ikke bestilt")
    invoice.refresh_from_db()
    assert (
        invoice.state,
        invoice.rejected_in_state,
        invoice.rejection_reason,
        invoice.next_role,
    ) == (
        "rejected",
        state,
        "Ikke bestilt",
        "",
    )


def test_rejection_needs_a_reason_and_the_role_of_the_step(world, make):
    invoice = make()
    refused(
        lambda: services.invoice_reject(actor=world.approver, invoice=invoice, reason=" "),
        invoice,
        ["required"],
    )
    refused(
        lambda: services.invoice_reject(actor=world.payer, invoice=invoice, reason="x"),
        invoice,
        ["not_permitted"],
    )


def test_a_posted_invoice_cannot_be_rejected(world, make):
    invoice = make(InvoiceState.APPROVED)
    refused(
        lambda: services.invoice_reject(actor=world.bookkeeper, invoice=invoice, reason="x"),
        invoice,
        ["wrong_state"],
    )


# --- isolation ------------------------------------------------------------------------------


def test_people_of_another_institution_cannot_act(world, make):
    other = make_world(gln="5790000000005")
    invoice = make()
    refused(
        lambda: services.invoice_approve(actor=other.approver, invoice=invoice),
        invoice,
        ["not_approver"],
    )
    refused(
        lambda: services.invoice_reject(actor=other.approver, invoice=invoice, reason="x"),
        invoice,
        ["not_permitted"],
    )
    refused(
        lambda: services.invoice_code(actor=other.receiver, invoice=invoice, allocations=CODING),
        invoice,
        ["not_permitted"],
    )


def test_waiting_invoices_are_posted_in_one_batch(world, make):
    _close_from_march(world)
    waiting = []
    for n in range(3):
        invoice = make(number=f"B{n}")
        services.invoice_approve(actor=world.approver, invoice=invoice)
        waiting.append(invoice)
    received = make(InvoiceState.RECEIVED, number="B9")
    ledger.period_set_state(actor=world.bookkeeper, period=_march(world), state="open")

    refused = services.invoices_post_batch(actor=world.bookkeeper, invoices=[*waiting, received])

    assert refused == {received.pk: "The invoice is received; this step is not possible now."}
    posted = Invoice.objects.filter(pk__in=[i.pk for i in waiting])
    assert {(i.state, i.posted_by_id, i.next_role) for i in posted} == {
        ("posted", world.bookkeeper.pk, "payer")
    }
    assert JournalEntry.objects.filter(source_type="payables.invoice").count() == 3
    assert sorted(posted.values_list("journal_entry__source_id", flat=True)) == sorted(
        str(i.pk) for i in waiting
    )
    assert AuditEvent.objects.filter(action="payables.invoice.posted").count() == 3
    again = services.invoices_post_batch(actor=world.bookkeeper, invoices=waiting)
    assert set(again) == {i.pk for i in waiting}
    assert JournalEntry.objects.filter(source_type="payables.invoice").count() == 3


def test_only_bookkeepers_post_in_batches(world, make):
    invoice = make()
    refused(
        lambda: services.invoices_post_batch(actor=world.payer, invoices=[invoice]),
        invoice,
        ["not_permitted"],
    )


def test_a_foreign_currency_invoice_with_a_rate_is_approved_in_dkk_and_posted(
    world, peppol_invoice
):
    invoice = services.document_receive(
        content=peppol_invoice(issue="2026-03-15", number="EUR3"), channel="api"
    ).invoice
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    refused(
        lambda: services.invoice_set_exchange_rate(
            actor=world.requester, invoice=invoice, rate=D("7.46")
        ),
        invoice,
        ["not_permitted"],
    )
    services.invoice_set_exchange_rate(actor=world.bookkeeper, invoice=invoice, rate=D("7.46"))
    services.invoice_attest(actor=world.requester, invoice=invoice)

    # 1,656.25 EUR × 7.46 = 12,355.62 DKK: above the approver's 5,000, so two approvals.
    services.invoice_approve(actor=world.approver, invoice=invoice)
    assert Invoice.objects.get(pk=invoice.pk).state == "attested"
    services.invoice_approve(actor=world.high_approver, invoice=invoice)

    invoice.refresh_from_db()
    assert invoice.state == "posted"
    lines = list(
        invoice.journal_entry.lines.order_by("line_no").values_list(
            "account__number", "debit", "credit", "currency", "currency_amount", "rate"
        )
    )
    assert lines == [
        ("2210", D("9698.00"), D("0.00"), "EUR", D("1300.00"), D("7.460000")),
        ("2230", D("186.50"), D("0.00"), "EUR", D("25.00"), D("7.460000")),
        ("5620", D("2471.12"), D("0.00"), "EUR", D("331.25"), D("7.460000")),
        ("9110", D("0.00"), D("12355.62"), "EUR", D("-1656.25"), D("7.460000")),
    ]


# --- batch approval ---------------------------------------------------------------------------


def test_a_batch_approval_applies_every_rule_per_invoice_and_posts_the_approved(world, make):
    member(world.institution, Role.BOOKKEEPER, user=world.approver)
    ok = [make(number=f"A{n}") for n in range(3)]
    coded_by_approver = make(number="C1", coder=world.approver)
    not_attested = make(InvoiceState.CODED, number="C2")
    before = snapshot(coded_by_approver)

    refused = services.invoices_approve_batch(
        actor=world.approver, invoices=[*ok, coded_by_approver, not_attested]
    )

    assert refused == {
        coded_by_approver.pk: "You coded this invoice; another person must approve it.",
        not_attested.pk: "The invoice is coded; only an attested invoice can be approved.",
    }
    assert snapshot(coded_by_approver) == (
        *before[:-2],
        AuditEvent.objects.exclude(action__endswith=".refused").count(),
        before[-1] + 3,
    )
    # The refusal on segregation of duties is an audit event; the wrong state is not.
    assert list(
        AuditEvent.objects.filter(action="payables.invoice.approve.refused").values_list(
            "object_id", "actor_id", "details__code"
        )
    ) == [(str(coded_by_approver.pk), world.approver.pk, "coder")]
    approved = Invoice.objects.filter(pk__in=[i.pk for i in ok])
    assert {(i.state, i.approved_by_id, i.posted_by_id, i.next_role) for i in approved} == {
        ("posted", world.approver.pk, world.approver.pk, "payer")
    }
    assert sorted(
        JournalEntry.objects.filter(source_type="payables.invoice").values_list(
            "source_id", flat=True
        )
    ) == sorted(str(i.pk) for i in ok)
    actions = list(
        AuditEvent.objects.filter(object_id__in=[str(i.pk) for i in ok])
        .filter(action__in=["payables.invoice.approved", "payables.invoice.posted"])
        .values_list("action", flat=True)
    )
    assert sorted(actions) == ["payables.invoice.approved"] * 3 + ["payables.invoice.posted"] * 3


def test_a_batch_approval_above_the_limit_is_the_first_of_two(world, make):
    invoice = make()

    refused = services.invoices_approve_batch(actor=world.low_approver, invoices=[invoice])

    invoice.refresh_from_db()
    assert refused == {}
    assert (invoice.state, invoice.first_approved_by, invoice.first_approver_ids) == (
        "attested",
        world.low_approver,
        [world.low_approver.pk],
    )
    again = services.invoices_approve_batch(actor=world.low_approver, invoices=[invoice])
    assert again == {
        invoice.pk: "You approved this invoice already; a second approver must approve it. "
        "The amount 1656.25 DKK exceeds your approval limit of 1000.00."
    }
    services.invoices_approve_batch(actor=world.approver, invoices=[invoice])
    invoice.refresh_from_db()
    assert (invoice.state, invoice.approved_by) == ("posted", world.approver)


def test_a_batch_approval_in_a_closed_period_leaves_the_invoices_waiting(world, make):
    _close_from_march(world)
    invoices = [make(number=f"W{n}") for n in range(2)]

    refused = services.invoices_approve_batch(actor=world.approver, invoices=invoices)

    assert refused == {}
    waiting = Invoice.objects.filter(pk__in=[i.pk for i in invoices])
    assert {(i.state, i.journal_entry_id, i.next_role, i.posting_error) for i in waiting} == {
        ("approved", None, "bookkeeper", WAITS)
    }
    assert AuditEvent.objects.filter(action="payables.invoice.posting_waits").count() == 2


def test_only_approvers_approve_in_batches_and_one_institution_at_a_time(world, make):
    invoice = make()
    assert services.invoices_approve_batch(actor=world.payer, invoices=[invoice]) == {
        invoice.pk: "You are not an approver in this institution."
    }
    other = make_world("5790000000005")
    assert services.invoices_approve_batch(actor=other.approver, invoices=[invoice]) == {
        invoice.pk: "You are not an approver in this institution."
    }
    assert Invoice.objects.get(pk=invoice.pk).state == "attested"
    foreign = Invoice(institution=other.institution, pk=invoice.pk + 1000)
    with pytest.raises(ValidationError) as exc:
        services.invoices_approve_batch(actor=world.approver, invoices=[invoice, foreign])
    assert codes(exc) == ["mixed"]


def test_a_batch_attestation_applies_the_rules_of_one_attestation(world, make):
    mine = [make(InvoiceState.CODED, number=f"T{n}") for n in range(2)]
    received = make(InvoiceState.RECEIVED, number="T9")
    other_requester = member(world.institution, Role.REQUESTER)
    before = snapshot(mine[0])

    assert services.invoices_attest_batch(actor=other_requester, invoices=mine) == {
        i.pk: f"Only the requester {world.requester} (or their substitute) attests this invoice."
        for i in mine
    }
    assert snapshot(mine[0]) == before

    refused = services.invoices_attest_batch(actor=world.requester, invoices=[*mine, received])

    assert refused == {received.pk: "The invoice is received; this step is not possible now."}
    attested = Invoice.objects.filter(pk__in=[i.pk for i in mine])
    assert {(i.state, i.attested_by_id, tuple(i.attester_ids), i.next_role) for i in attested} == {
        ("attested", world.requester.pk, (world.requester.pk,), "approver")
    }
    assert AuditEvent.objects.filter(action="payables.invoice.attested").count() == 2


def test_a_substitute_attests_in_a_batch_on_behalf_of_the_requester(world, make):
    substitute = member(world.institution, Role.REQUESTER)
    Delegation.objects.create(
        institution=world.institution,
        principal=world.requester,
        substitute=substitute,
        valid_from=timezone.localdate() - timedelta(days=1),
        valid_to=timezone.localdate() + timedelta(days=1),
    )
    invoice = make(InvoiceState.CODED)

    assert services.invoices_attest_batch(actor=substitute, invoices=[invoice]) == {}

    invoice.refresh_from_db()
    assert sorted(invoice.attester_ids) == sorted([substitute.pk, world.requester.pk])
    event = AuditEvent.objects.get(action="payables.invoice.attested")
    assert (event.actor_id, event.on_behalf_of_id) == (substitute.pk, world.requester.pk)
