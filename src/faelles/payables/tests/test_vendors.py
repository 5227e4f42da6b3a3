"""Vendor payment details with history, and bank-account changes as objects of their own: new
details on an invoice open (or join) a pending change; until a second person — neither a
requester nor an approver of an invoice to the account — confirms it, no invoice to the
account is approved; whoever requested or confirmed it never approves an invoice paid to it.
Every refused attempt is an audit event."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.models import AuditEvent
from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, VendorBankChange, VendorPaymentDetails
from faelles.payables.tests.factories import make_world, member
from faelles.payables.vendors import payment_key
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]


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


def receive(dkk_document, number, account="IBAN32423940"):
    content = dkk_document(number=number).replace(b"IBAN32423940", account.encode())
    return services.document_receive(content=content, channel="api").invoice


def codes(exc):
    return sorted({e.code for errors in exc.value.error_dict.values() for e in errors})


def test_payment_key_is_canonical():
    assert (
        payment_key(
            [
                {"kind": "iban", "iban": "dk50 0040 0440 1162 43"},
                {"kind": "fik", "card_type": "71", "creditor": "12345678"},
            ]
        )
        == "fik:71:12345678 iban:DK5000400440116243"
    )
    assert payment_key([]) == ""


def test_the_first_invoice_sets_the_master_and_the_same_details_pass(world, dkk_document):
    first = receive(dkk_document, "P1")
    second = receive(dkk_document, "P2")
    assert (first.payment_blocked, second.payment_blocked) == (False, False)
    master = VendorPaymentDetails.objects.get()
    assert (master.key, master.source_invoice, master.confirmed_by) == (
        "account:IBAN32423940",
        first,
        None,
    )


NEW_IBAN = "DK5000400440116243"


def attested(world, invoice):
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    services.invoice_attest(actor=world.requester, invoice=invoice)
    invoice.refresh_from_db()
    return invoice


def refusals(action):
    return list(
        AuditEvent.objects.filter(action=f"{action}.refused")
        .order_by("seq")
        .values_list("actor_id", "details__code")
    )


def test_new_details_open_one_pending_change_that_later_invoices_join(world, dkk_document):
    first = receive(dkk_document, "P1")
    changed = receive(dkk_document, "P2", account=NEW_IBAN)
    again = receive(dkk_document, "P3", account=NEW_IBAN)

    assert (changed.payment_blocked, again.payment_blocked) == (True, True)
    change = VendorBankChange.objects.get()
    assert (change.state, change.key, change.requested_by, change.requester_ids) == (
        "requested",
        f"iban:{NEW_IBAN}",
        None,
        [],
    )
    assert (change.source_invoice, change.previous.key) == (changed, "account:IBAN32423940")
    assert change.previous.source_invoice == first
    events = AuditEvent.objects.filter(action="payables.bank_change.requested")
    assert [(e.object_id, e.actor_id, e.details["by"]) for e in events] == [
        (str(change.pk), None, "intake")
    ]


def test_no_invoice_to_an_account_with_a_pending_change_can_be_approved_by_anyone(
    world, dkk_document
):
    receive(dkk_document, "P1")
    changed = attested(world, receive(dkk_document, "P2", account=NEW_IBAN))

    for who in (world.approver, world.high_approver):
        with pytest.raises(ValidationError) as exc:
            services.invoice_approve(actor=who, invoice=changed)
        assert codes(exc) == ["bank_change_pending"]
    refused = services.invoices_approve_batch(actor=world.high_approver, invoices=[changed])

    change = VendorBankChange.objects.get()
    assert refused == {
        changed.pk: (
            f"The change of the vendor's bank account to iban:{NEW_IBAN} (no. {change.pk}) "
            "awaits confirmation by a second person; until then no invoice to that account "
            "can be approved."
        )
    }
    assert Invoice.objects.get(pk=changed.pk).state == "attested"
    assert refusals("payables.invoice.approve") == [
        (world.approver.pk, "bank_change_pending"),
        (world.high_approver.pk, "bank_change_pending"),
        (world.high_approver.pk, "bank_change_pending"),
    ]


def test_confirming_makes_the_details_master_and_unblocks_the_invoices(world, dkk_document):
    receive(dkk_document, "P1")
    changed = attested(world, receive(dkk_document, "P2", account=NEW_IBAN))
    change = VendorBankChange.objects.get()

    services.vendor_bank_change_confirm(actor=world.bookkeeper, change=change)

    change.refresh_from_db()
    assert (change.state, change.decided_by, change.decider_ids) == (
        "confirmed",
        world.bookkeeper,
        [world.bookkeeper.pk],
    )
    changed.refresh_from_db()
    assert (changed.payment_blocked, changed.payment_changed_by) == (False, world.bookkeeper)
    history = list(VendorPaymentDetails.objects.order_by("pk").values_list("key", "confirmed_by"))
    assert history == [
        ("account:IBAN32423940", None),
        (f"iban:{NEW_IBAN}", world.bookkeeper.pk),
    ]
    assert change.result.key == f"iban:{NEW_IBAN}"
    event = AuditEvent.objects.get(action="payables.vendor.payment_details_confirmed")
    assert (event.details["old"], event.details["new"]) == (
        "account:IBAN32423940",
        f"iban:{NEW_IBAN}",
    )
    assert AuditEvent.objects.get(action="payables.bank_change.confirmed").details["invoices"] == [
        changed.pk
    ]
    later = receive(dkk_document, "P4", account=NEW_IBAN)
    assert later.payment_blocked is False
    assert VendorBankChange.objects.count() == 1
    services.invoice_approve(actor=world.approver, invoice=changed)
    assert Invoice.objects.get(pk=changed.pk).state == "posted"


def test_bank_fraud_whoever_confirmed_a_new_iban_cannot_approve_invoices_to_it(world, dkk_document):
    """A confirms the new IBAN on one invoice, then tries to approve the next one to it."""
    receive(dkk_document, "P1")
    receive(dkk_document, "P2", account=NEW_IBAN)
    a = world.approver
    member(world.institution, Role.BOOKKEEPER, user=a)
    services.vendor_bank_change_confirm(actor=a, change=VendorBankChange.objects.get())
    following = attested(world, receive(dkk_document, "P3", account=NEW_IBAN))
    assert following.payment_blocked is False  # it arrives unblocked: the account is master

    with pytest.raises(ValidationError) as exc:
        services.invoice_approve(actor=a, invoice=following)

    assert codes(exc) == ["bank_change_party"]
    assert exc.value.message_dict == {
        "actor": [
            f"You requested or confirmed the change of the vendor's bank account to "
            f"iban:{NEW_IBAN}; another person must approve invoices paid to it."
        ]
    }
    assert Invoice.objects.get(pk=following.pk).state == "attested"
    assert refusals("payables.invoice.approve") == [(a.pk, "bank_change_party")]
    assert services.invoices_approve_batch(actor=a, invoices=[following]) == {
        following.pk: exc.value.messages[0]
    }
    assert Invoice.objects.get(pk=following.pk).state == "attested"

    services.invoice_approve(actor=world.high_approver, invoice=following)
    assert Invoice.objects.get(pk=following.pk).state == "posted"


def test_the_requester_cannot_confirm_their_own_change(world, dkk_document):
    first = receive(dkk_document, "P1")
    change = services.vendor_bank_change_request(
        actor=world.receiver,
        vendor=first.vendor,
        payment_means=[{"kind": "iban", "iban": "dk50 0040 0440 1162 43"}],
        reason="The vendor's letter of 2 March",
    )
    assert (change.requested_by, change.requester_ids, change.key) == (
        world.receiver,
        [world.receiver.pk],
        f"iban:{NEW_IBAN}",
    )

    with pytest.raises(ValidationError) as exc:
        services.vendor_bank_change_confirm(actor=world.receiver, change=change)

    assert codes(exc) == ["requester"]
    assert VendorBankChange.objects.get().state == "requested"
    assert VendorPaymentDetails.objects.count() == 1
    assert refusals("payables.bank_change.confirm") == [(world.receiver.pk, "requester")]
    # An invoice to the requested account joins the change and is blocked.
    joined = receive(dkk_document, "P2", account=NEW_IBAN)
    assert joined.payment_blocked
    assert VendorBankChange.objects.count() == 1
    services.vendor_bank_change_confirm(actor=world.bookkeeper, change=change)
    assert Invoice.objects.get(pk=joined.pk).payment_blocked is False


def test_an_approver_of_an_unpaid_invoice_to_the_account_cannot_confirm(world, dkk_document):
    receive(dkk_document, "P1")
    changed = receive(dkk_document, "P2", account=NEW_IBAN)
    # Approved before the change control existed (the old per-invoice flow allowed it).
    Invoice.objects.filter(pk=changed.pk).update(state="posted", approved_by=world.approver)
    member(world.institution, Role.BOOKKEEPER, user=world.approver)
    change = VendorBankChange.objects.get()

    with pytest.raises(ValidationError) as exc:
        services.vendor_bank_change_confirm(actor=world.approver, change=change)

    assert codes(exc) == ["approver"]
    assert VendorBankChange.objects.get().state == "requested"
    assert Invoice.objects.get(pk=changed.pk).payment_blocked
    assert refusals("payables.bank_change.confirm") == [(world.approver.pk, "approver")]
    with pytest.raises(ValidationError) as exc:
        services.invoice_schedule(actor=world.payer, invoice=changed)
    assert codes(exc) == ["payment_blocked"]


def test_a_refused_change_keeps_the_invoices_blocked(world, dkk_document):
    receive(dkk_document, "P1")
    changed = attested(world, receive(dkk_document, "P2", account=NEW_IBAN))
    change = VendorBankChange.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.vendor_bank_change_refuse(actor=world.bookkeeper, change=change, reason=" ")
    assert codes(exc) == ["required"]

    services.vendor_bank_change_refuse(
        actor=world.bookkeeper, change=change, reason="The vendor knows nothing of it"
    )

    change.refresh_from_db()
    assert (change.state, change.decided_by, change.reason) == (
        "refused",
        world.bookkeeper,
        "The vendor knows nothing of it",
    )
    assert VendorPaymentDetails.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.invoice_approve(actor=world.approver, invoice=changed)
    assert codes(exc) == ["payment_blocked"]
    with pytest.raises(ValidationError) as exc:
        services.vendor_bank_change_confirm(actor=world.receiver, change=change)
    assert codes(exc) == ["wrong_state"]
    # The same details again: a new pending change, decided afresh.
    receive(dkk_document, "P3", account=NEW_IBAN)
    assert list(VendorBankChange.objects.order_by("pk").values_list("state", flat=True)) == [
        "refused",
        "requested",
    ]


def test_handling_bank_changes_needs_a_role_in_the_institution(world, dkk_document):
    first = receive(dkk_document, "P1")
    receive(dkk_document, "P2", account=NEW_IBAN)
    change = VendorBankChange.objects.get()
    other = make_world(gln="5790000000005")
    for who in (world.payer, world.requester, other.bookkeeper):
        with pytest.raises(ValidationError) as exc:
            services.vendor_bank_change_confirm(actor=who, change=change)
        assert codes(exc) == ["not_permitted"]
        with pytest.raises(ValidationError) as exc:
            services.vendor_bank_change_request(
                actor=who, vendor=first.vendor, payment_means=[{"kind": "iban", "iban": NEW_IBAN}]
            )
        assert codes(exc) == ["not_permitted"]
    assert VendorBankChange.objects.get().state == "requested"
    assert VendorPaymentDetails.objects.count() == 1
    assert len(refusals("payables.bank_change.confirm")) == 3
    assert len(refusals("payables.bank_change.request")) == 3


def test_a_person_enters_new_details_checked_like_a_payment(world, dkk_document):
    first = receive(dkk_document, "P1")
    for means, code in (
        ([{"kind": "iban", "iban": "DK5000400440116244"}], "invalid_iban_check"),
        ([], "required"),
        (first.payment_means, "unchanged"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.vendor_bank_change_request(
                actor=world.receiver, vendor=first.vendor, payment_means=means
            )
        assert list(exc.value.error_dict) == ["payment_means"], code
    assert VendorBankChange.objects.count() == 0
    change = services.vendor_bank_change_request(
        actor=world.receiver,
        vendor=first.vendor,
        payment_means=[{"kind": "iban", "iban": NEW_IBAN}],
    )
    joined = services.vendor_bank_change_request(
        actor=world.bookkeeper,
        vendor=first.vendor,
        payment_means=[{"kind": "iban", "iban": NEW_IBAN}],
    )
    assert joined.pk == change.pk
    assert sorted(joined.requester_ids) == sorted([world.receiver.pk, world.bookkeeper.pk])
    for who in (world.receiver, world.bookkeeper):
        with pytest.raises(ValidationError) as exc:
            services.vendor_bank_change_confirm(actor=who, change=change)
        assert codes(exc) == ["requester"]
    local_admin = member(world.institution, Role.LOCAL_ADMIN)
    services.vendor_bank_change_confirm(actor=local_admin, change=change)
    assert VendorBankChange.objects.get().state == "confirmed"


def test_the_invoice_page_button_confirms_the_change_of_its_account(world, dkk_document):
    first = receive(dkk_document, "P1")
    with pytest.raises(ValidationError) as exc:
        services.invoice_confirm_payment_details(actor=world.bookkeeper, invoice=first)
    assert codes(exc) == ["not_blocked"]
    changed = receive(dkk_document, "P2", account=NEW_IBAN)
    with pytest.raises(ValidationError) as exc:
        services.invoice_confirm_payment_details(actor=world.payer, invoice=changed)
    assert codes(exc) == ["not_permitted"]

    services.invoice_confirm_payment_details(actor=world.bookkeeper, invoice=changed)

    assert VendorBankChange.objects.get().state == "confirmed"
    assert Invoice.objects.get(pk=changed.pk).payment_blocked is False


def test_an_invoice_blocked_before_changes_were_objects_gets_its_change_on_confirmation(
    world, dkk_document
):
    receive(dkk_document, "P1")
    changed = receive(dkk_document, "P2", account=NEW_IBAN)
    VendorBankChange.objects.all().delete()

    services.invoice_confirm_payment_details(actor=world.bookkeeper, invoice=changed)

    change = VendorBankChange.objects.get()
    assert (change.state, change.source_invoice, change.decided_by) == (
        "confirmed",
        changed,
        world.bookkeeper,
    )
