"""The invoice's life cycle is one table (``payables.workflow``): the groups of states every
module reads come from it, services go through it, and the model refuses a change of state
that is not in it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.models import AuditEvent
from faelles.payables import reminders, selectors, services, workflow
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.tests.factories import make_world
from faelles.payables.workflow import Action

pytestmark = pytest.mark.django_db

D = Decimal
S = InvoiceState
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def coded(world, dkk_document):
    intake = services.document_receive(content=dkk_document(), channel="api")
    invoice = intake.invoice
    assert invoice is not None
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    return Invoice.objects.get(pk=invoice.pk)


def test_the_groups_of_states_are_read_from_the_table():
    assert workflow.OPEN_STATES == (
        S.RECEIVED,
        S.CODED,
        S.ATTESTED,
        S.APPROVED,
        S.POSTED,
        S.SCHEDULED,
    )
    assert workflow.ACTIVE_STATES == (S.RECEIVED, S.CODED, S.ATTESTED, S.APPROVED)
    assert workflow.APPROVED_STATES == (S.APPROVED, S.POSTED, S.SCHEDULED, S.PAID)
    assert {S.RECEIVED, S.CODED} == workflow.CODABLE_STATES
    assert {S.RECEIVED, S.CODED, S.ATTESTED, S.APPROVED} == workflow.REJECTABLE_STATES
    assert {S.RECEIVED, S.CODED, S.REJECTED} == workflow.INITIAL_STATES
    # The modules that used to keep their own lists read these.
    assert reminders.ACTIVE_STATES is workflow.ACTIVE_STATES
    assert selectors.OPEN_STATES is workflow.OPEN_STATES


def test_who_acts_next_comes_from_the_table():
    assert workflow.NEXT_ACTOR == {
        S.RECEIVED: workflow.NextActor.REQUESTER,
        S.CODED: workflow.NextActor.REQUESTER,
        S.ATTESTED: workflow.NextActor.APPROVERS,
        S.APPROVED: workflow.NextActor.BOOKKEEPERS,
        S.POSTED: workflow.NextActor.PAYERS,
        S.SCHEDULED: workflow.NextActor.PAYERS,
        S.PAID: workflow.NextActor.NOBODY,
        S.REJECTED: workflow.NextActor.NOBODY,
    }


def test_the_model_refuses_a_change_of_state_that_is_not_in_the_table(coded):
    coded.state = S.APPROVED  # coded → approved skips attestation
    with pytest.raises(ValidationError) as exc:
        coded.save()
    assert [e.code for e in exc.value.error_dict["state"]] == ["not_in_workflow"]
    assert Invoice.objects.get(pk=coded.pk).state == S.CODED

    # Out of a final state, too, and when created in a state intake never creates.
    paid = Invoice.objects.get(pk=coded.pk)
    Invoice.objects.filter(pk=paid.pk).update(state=S.PAID)
    paid.refresh_from_db()
    paid.state = S.RECEIVED
    with pytest.raises(ValidationError):
        paid.save()
    assert Invoice.objects.get(pk=coded.pk).state == S.PAID
    with pytest.raises(ValidationError):
        workflow.check_change(workflow.NEW, S.POSTED)


def test_the_model_lets_a_change_in_the_table_through(coded):
    coded.state = S.ATTESTED
    coded.save()
    assert Invoice.objects.get(pk=coded.pk).state == S.ATTESTED
    coded.state = S.REJECTED
    coded.save(update_fields=["state"])
    assert Invoice.objects.get(pk=coded.pk).state == S.REJECTED


def test_transition_refuses_an_action_the_state_does_not_have_and_changes_nothing(coded):
    with pytest.raises(ValidationError) as exc:
        workflow.transition(coded, Action.POST)
    assert [e.code for e in exc.value.error_dict["state"]] == ["wrong_state"]
    assert (coded.state, coded.next_role) == (S.CODED, "invoice_receiver")
    t = workflow.transition(coded, Action.ATTEST)
    assert (t.next_state, coded.state, coded.next_role, coded.assigned_to_id) == (
        S.ATTESTED,
        S.ATTESTED,
        "approver",
        None,
    )


def test_a_service_refuses_a_step_out_of_order_through_the_table(world, coded):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.invoice_post(actor=world.bookkeeper, invoice=coded)
    assert [e.code for e in exc.value.error_dict["state"]] == ["wrong_state"]
    assert Invoice.objects.get(pk=coded.pk).state == S.CODED
    assert AuditEvent.objects.count() == before


def test_allowed_actions_by_role(world, coded):
    def allowed(user):
        return set(workflow.allowed_actions(coded, user))

    assert allowed(world.receiver) == {Action.CODE, Action.FORWARD, Action.ATTEST, Action.REJECT}
    assert allowed(world.requester) == {
        Action.CODE,
        Action.FORWARD,
        Action.ATTEST,
        Action.REJECT,
    }
    assert allowed(world.bookkeeper) == {Action.CODE, Action.SET_RATE, Action.REJECT}
    assert allowed(world.approver) == set()
    assert allowed(world.payer) == set()
    assert allowed(world.controller) == set()

    coded.duplicate_of_id = coded.pk  # a duplicate is only ever rejected
    assert allowed(world.receiver) == {Action.REJECT}
