"""Routing and coding rules are edited, reordered, deactivated and reactivated, never deleted:
the services with their refusals (nothing changes), the effect at intake, and the pages with
their permission matrix (another institution's rule is 404 like a missing one)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.payables import coding, routing, services
from faelles.payables.models import CodingRule, InvoiceState, RoutingRule
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def other():
    return make_world(gln="5790000000005")


@pytest.fixture
def client():
    """Pages in English (the msgids), whatever translations are compiled."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def routing_rule(w, **kwargs):
    kwargs.setdefault("buyer_reference", "0150abc")
    return services.routing_rule_create(
        actor=w.receiver, institution=w.institution, requester=w.requester, **kwargs
    )


def coding_rule(w, **kwargs):
    kwargs = {"text_contains": "", "account": "2230", "org_unit": "200", **kwargs}
    if not kwargs["text_contains"] and "classification" not in kwargs:
        kwargs["classification"] = "09348023"
    return services.coding_rule_create(actor=w.bookkeeper, institution=w.institution, **kwargs)


def receive(content):
    intake = services.document_receive(content=content, channel="api")
    assert intake.status == "accepted", intake.document.findings
    return intake.invoice


def row(rule):
    return type(rule).objects.values().get(pk=rule.pk)


def events(action):
    return list(AuditEvent.objects.filter(action=action).values_list("object_id", "details"))


def codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


# --- routing rules: services ------------------------------------------------------------------


def test_a_routing_rule_is_edited_and_the_event_records_before_and_after(world):
    rule = routing_rule(world)
    other_requester = member(world.institution, Role.REQUESTER)

    changed = routing.routing_rule_update(
        actor=world.receiver,
        rule=rule,
        priority=7,
        buyer_reference=" 0150XYZ ",
        order_reference="",
        requester=other_requester,
    )

    assert (changed.priority, changed.buyer_reference, changed.requester) == (
        7,
        "0150XYZ",
        other_requester,
    )
    assert row(rule)["priority"] == 7
    assert events("payables.routing_rule.updated") == [
        (
            str(rule.pk),
            {
                "changed": {
                    "priority": {"before": 100, "after": 7},
                    "buyer_reference": {"before": "0150abc", "after": "0150XYZ"},
                    "requester": {"before": world.requester.pk, "after": other_requester.pk},
                }
            },
        )
    ]


def test_changing_only_the_priority_reorders_the_routing_rules(world, dkk_document):
    second = member(world.institution, Role.REQUESTER)
    first_rule = routing_rule(world, priority=10)
    second_rule = services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=second,
        priority=20,
        buyer_reference="0150abc",
    )
    assert receive(dkk_document(number="R1")).routing_rule == first_rule

    routing.routing_rule_update(actor=world.receiver, rule=second_rule, priority=5)

    invoice = receive(dkk_document(number="R2"))
    assert (invoice.routing_rule, invoice.requester) == (second_rule, second)
    assert row(first_rule)["priority"] == 10
    assert events("payables.routing_rule.updated") == [
        (str(second_rule.pk), {"changed": {"priority": {"before": 20, "after": 5}}})
    ]


def test_an_update_that_changes_nothing_writes_nothing(world):
    rule = routing_rule(world, priority=3)
    before = row(rule)
    routing.routing_rule_update(
        actor=world.receiver, rule=rule, priority=3, buyer_reference="0150abc"
    )
    assert row(rule) == before
    assert events("payables.routing_rule.updated") == []


def test_a_local_administrator_edits_routing_rules_too(world):
    admin = member(world.institution, Role.LOCAL_ADMIN)
    rule = routing_rule(world)
    routing.routing_rule_update(actor=admin, rule=rule, endpoint="5798009811578")
    assert row(rule)["endpoint"] == "5798009811578"


@pytest.mark.parametrize("who", ["requester", "approver", "bookkeeper", "controller"])
def test_only_invoice_receivers_and_local_admins_change_routing_rules(world, who):
    rule = routing_rule(world)
    before = row(rule)
    actor = getattr(world, who)
    for call in (
        lambda: routing.routing_rule_update(actor=actor, rule=rule, priority=1),
        lambda: routing.routing_rule_deactivate(actor=actor, rule=rule),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert codes(exc) == {"actor": ["not_permitted"]}
    assert row(rule) == before
    assert not AuditEvent.objects.filter(action__startswith="payables.routing_rule.").exclude(
        action="payables.routing_rule.created"
    )


def test_another_institutions_staff_cannot_change_a_routing_rule(world, other):
    rule = routing_rule(world)
    before = row(rule)
    with pytest.raises(ValidationError) as exc:
        routing.routing_rule_update(actor=other.receiver, rule=rule, priority=1)
    assert codes(exc) == {"actor": ["not_permitted"]}
    with pytest.raises(ValidationError) as exc:
        routing.routing_rule_deactivate(actor=other.receiver, rule=rule)
    assert codes(exc) == {"actor": ["not_permitted"]}
    assert row(rule) == before


def test_an_edited_routing_rule_must_stay_valid(world, other):
    rule = routing_rule(world)
    before = row(rule)
    foreign_vendor = receive_vendor(other)
    with pytest.raises(ValidationError) as exc:
        routing.routing_rule_update(
            actor=world.receiver,
            rule=rule,
            buyer_reference="",
            requester=other.requester,
        )
    assert codes(exc) == {"buyer_reference": ["no_criterion"], "requester": ["not_member"]}
    with pytest.raises(ValidationError) as exc:
        routing.routing_rule_update(actor=world.receiver, rule=rule, vendor=foreign_vendor)
    assert codes(exc) == {"vendor": ["other_institution"]}
    with pytest.raises(ValidationError) as exc:
        routing.routing_rule_update(actor=world.receiver, rule=rule, priority=-1)
    assert set(exc.value.message_dict) == {"priority"}
    assert row(rule) == before
    assert events("payables.routing_rule.updated") == []


def receive_vendor(w):
    from faelles.payables.models import Vendor

    return Vendor.objects.create(institution=w.institution, name="Fremmed A/S", cvr="41000018")


def test_a_deactivated_routing_rule_routes_nothing_and_is_kept(world, dkk_document):
    rule = routing_rule(world)
    assert receive(dkk_document(number="D1")).requester == world.requester

    routing.routing_rule_deactivate(actor=world.receiver, rule=rule)

    invoice = receive(dkk_document(number="D2"))
    assert (invoice.requester, invoice.routing_rule, invoice.next_role) == (
        None,
        None,
        "invoice_receiver",
    )
    assert row(rule)["is_active"] is False
    assert events("payables.routing_rule.deactivated") == [
        (str(rule.pk), {"changed": {"is_active": {"before": True, "after": False}}})
    ]

    routing.routing_rule_reactivate(actor=world.receiver, rule=rule)

    assert receive(dkk_document(number="D3")).requester == world.requester
    assert events("payables.routing_rule.reactivated") == [
        (str(rule.pk), {"changed": {"is_active": {"before": False, "after": True}}})
    ]
    assert RoutingRule.objects.count() == 1


def test_deactivating_twice_or_reactivating_for_a_former_member_is_refused(world):
    rule = routing_rule(world)
    routing.routing_rule_deactivate(actor=world.receiver, rule=rule)
    with pytest.raises(ValidationError) as exc:
        routing.routing_rule_deactivate(actor=world.receiver, rule=rule)
    assert codes(exc) == {"is_active": ["already_inactive"]}
    Membership.objects.filter(user=world.requester).update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        routing.routing_rule_reactivate(actor=world.receiver, rule=rule)
    assert codes(exc) == {"requester": ["not_member"]}
    assert row(rule)["is_active"] is False
    assert len(events("payables.routing_rule.deactivated")) == 1
    assert events("payables.routing_rule.reactivated") == []


# --- coding rules: services -------------------------------------------------------------------


def test_a_coding_rule_is_edited_and_the_event_records_before_and_after(world):
    rule = coding_rule(world, text_contains="charges", account="2290", org_unit="100")

    coding.coding_rule_update(
        actor=world.bookkeeper, rule=rule, account="2230", org_unit="200", priority=4
    )

    assert (row(rule)["account"], row(rule)["org_unit"], row(rule)["priority"]) == (
        "2230",
        "200",
        4,
    )
    assert events("payables.coding_rule.updated") == [
        (
            str(rule.pk),
            {
                "changed": {
                    "priority": {"before": 100, "after": 4},
                    "account": {"before": "2290", "after": "2230"},
                    "org_unit": {"before": "100", "after": "200"},
                }
            },
        )
    ]


def test_an_edited_coding_rule_codes_the_next_invoice_its_new_way(world, dkk_document):
    lines = coding_rule(world)
    charges = coding_rule(world, text_contains="charges", account="2290", org_unit="100")
    first = receive(dkk_document(number="C1"))
    assert set(first.allocations.values_list("account", flat=True)) == {"2230", "2290"}

    coding.coding_rule_update(actor=world.bookkeeper, rule=charges, account="2220")

    second = receive(dkk_document(number="C2"))
    assert set(second.allocations.values_list("account", flat=True)) == {"2230", "2220"}
    assert set(first.allocations.values_list("account", flat=True)) == {"2230", "2290"}
    assert row(lines)["account"] == "2230"


def test_a_deactivated_coding_rule_codes_nothing(world, dkk_document):
    coding_rule(world)
    charges = coding_rule(world, text_contains="charges", account="2290", org_unit="100")
    coding.coding_rule_deactivate(actor=world.bookkeeper, rule=charges)

    invoice = receive(dkk_document(number="C3"))

    assert (invoice.state, invoice.coded_automatically) == (InvoiceState.RECEIVED, False)
    assert invoice.allocations.count() == 0
    assert events("payables.coding_rule.deactivated") == [
        (str(charges.pk), {"changed": {"is_active": {"before": True, "after": False}}})
    ]
    coding.coding_rule_reactivate(actor=world.bookkeeper, rule=charges)
    assert receive(dkk_document(number="C4")).state == InvoiceState.CODED
    assert CodingRule.objects.count() == 2


@pytest.mark.parametrize("who", ["receiver", "requester", "approver", "controller"])
def test_only_bookkeepers_and_local_admins_change_coding_rules(world, who):
    rule = coding_rule(world)
    before = row(rule)
    actor = getattr(world, who)
    for call in (
        lambda: coding.coding_rule_update(actor=actor, rule=rule, account="2220"),
        lambda: coding.coding_rule_deactivate(actor=actor, rule=rule),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert codes(exc) == {"actor": ["not_permitted"]}
    assert row(rule) == before
    assert AuditEvent.objects.filter(action__startswith="payables.coding_rule.").count() == 1


def test_another_institutions_bookkeeper_cannot_change_a_coding_rule(world, other):
    rule = coding_rule(world)
    before = row(rule)
    with pytest.raises(ValidationError) as exc:
        coding.coding_rule_update(actor=other.bookkeeper, rule=rule, account="2220")
    assert codes(exc) == {"actor": ["not_permitted"]}
    with pytest.raises(ValidationError) as exc:
        coding.coding_rule_deactivate(actor=other.bookkeeper, rule=rule)
    assert codes(exc) == {"actor": ["not_permitted"]}
    assert row(rule) == before


def test_an_edited_coding_rule_must_stay_valid_in_the_ledger(world):
    rule = coding_rule(world)
    before = row(rule)
    with pytest.raises(ValidationError) as exc:
        coding.coding_rule_update(
            actor=world.bookkeeper,
            rule=rule,
            account="9999",
            vat_code="Q9",
            classification="",
        )
    assert exc.value.message_dict == {
        "account": ["Account 9999 does not exist in the chart of accounts."],
        "vat_code": ["VAT code Q9 does not exist."],
        "vendor": ["A coding rule needs at least one criterion: vendor, classification or text."],
    }
    with pytest.raises(ValidationError) as exc:
        coding.coding_rule_reactivate(actor=world.bookkeeper, rule=rule)
    assert codes(exc) == {"is_active": ["already_active"]}
    assert row(rule) == before
    assert events("payables.coding_rule.updated") == []


# --- pages ------------------------------------------------------------------------------------


def test_the_rules_page_has_edit_and_deactivate_for_managers_and_marks_inactive_rules(
    client, world
):
    active = routing_rule(world)
    inactive = routing_rule(world, order_reference="PO-OLD", buyer_reference="")
    routing.routing_rule_deactivate(actor=world.receiver, rule=inactive)
    crule = coding_rule(world)

    client.force_login(world.receiver)
    html = client.get(reverse("payables:rules")).content.decode()
    assert reverse("payables:routing-rule-update", args=[active.pk]) in html
    assert reverse("payables:rule-active", args=["routing", active.pk, "deactivate"]) in html
    assert reverse("payables:rule-active", args=["routing", inactive.pk, "reactivate"]) in html
    assert 'class="faelles-rule faelles-rule--inactive"' in html
    assert html.count("faelles-rule--inactive") == 1
    assert reverse("payables:coding-rule-update", args=[crule.pk]) not in html  # not a coder

    client.force_login(world.controller)
    html = client.get(reverse("payables:rules")).content.decode()
    assert "PO-OLD" in html and "Inactive" in html
    assert reverse("payables:routing-rule-update", args=[active.pk]) not in html
    assert "/deactivate/" not in html


def test_an_invoice_receiver_edits_a_routing_rule_on_its_page(client, world):
    rule = routing_rule(world)
    url = reverse("payables:routing-rule-update", args=[rule.pk])
    client.force_login(world.receiver)
    page = client.get(url)
    assert page.status_code == 200 and 'value="0150abc"' in page.content.decode()
    response = client.post(
        url, {"priority": "3", "buyer_reference": "0150abc", "requester": world.requester.pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse("payables:rules")
    assert row(rule)["priority"] == 3
    assert events("payables.routing_rule.updated") == [
        (str(rule.pk), {"changed": {"priority": {"before": 100, "after": 3}}})
    ]


def test_a_coding_rule_edit_with_errors_saves_nothing(client, world):
    rule = coding_rule(world)
    before = row(rule)
    url = reverse("payables:coding-rule-update", args=[rule.pk])
    client.force_login(world.bookkeeper)
    bad = client.post(url, {"priority": "1", "classification": "09348023", "account": "9999"})
    assert bad.status_code == 200
    assert "Account 9999 does not exist in the chart of accounts." in bad.content.decode()
    assert row(rule) == before
    good = client.post(
        url, {"priority": "1", "classification": "09348023", "account": "2220", "org_unit": "100"}
    )
    assert good.status_code == 302
    assert (row(rule)["account"], row(rule)["org_unit"], row(rule)["priority"]) == (
        "2220",
        "100",
        1,
    )


def test_deactivate_and_activate_buttons(client, world):
    rule = coding_rule(world)
    client.force_login(world.bookkeeper)
    off = reverse("payables:rule-active", args=["coding", rule.pk, "deactivate"])
    on = reverse("payables:rule-active", args=["coding", rule.pk, "reactivate"])
    assert client.post(off).status_code == 302
    assert row(rule)["is_active"] is False
    again = client.post(off, follow=True)
    assert "The rule is already inactive." in again.content.decode()
    assert client.post(on).status_code == 302
    assert row(rule)["is_active"] is True
    assert client.get(off).status_code == 405
    assert (
        client.post(reverse("payables:rule-active", args=["coding", rule.pk, "drop"])).status_code
        == 404
    )
    assert CodingRule.objects.count() == 1


def _rule_urls(routing_pk, coding_pk):
    return [
        ("get", reverse("payables:routing-rule-update", args=[routing_pk])),
        ("post", reverse("payables:routing-rule-update", args=[routing_pk])),
        ("get", reverse("payables:coding-rule-update", args=[coding_pk])),
        ("post", reverse("payables:coding-rule-update", args=[coding_pk])),
        *[
            ("post", reverse("payables:rule-active", args=[kind, pk, action]))
            for kind, pk in (("routing", routing_pk), ("coding", coding_pk))
            for action in ("deactivate", "reactivate")
        ],
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        # The roles that manage one kind of rule are refused the other kind (403).
        ("receiver", {"routing": 200, "coding": 403}),
        ("bookkeeper", {"routing": 403, "coding": 200}),
        ("requester", {"routing": 403, "coding": 403}),
        ("approver", {"routing": 403, "coding": 403}),
        ("controller", {"routing": 403, "coding": 403}),
    ],
)
def test_rule_pages_permission_matrix(client, world, who, status):
    rrule, crule = routing_rule(world), coding_rule(world)
    before = (row(rrule), row(crule))
    client.force_login(getattr(world, who))
    for kind, url in (
        ("routing", reverse("payables:routing-rule-update", args=[rrule.pk])),
        ("coding", reverse("payables:coding-rule-update", args=[crule.pk])),
    ):
        assert client.get(url).status_code == status[kind], url
    for kind, pk in (("routing", rrule.pk), ("coding", crule.pk)):
        url = reverse("payables:rule-active", args=[kind, pk, "deactivate"])
        response = client.post(url)
        assert response.status_code == (302 if status[kind] == 200 else 403), url
        if status[kind] == 200:
            client.post(reverse("payables:rule-active", args=[kind, pk, "reactivate"]))
    assert (row(rrule)["priority"], row(crule)["priority"]) == (100, 100)
    if all(s == 403 for s in status.values()):
        assert (row(rrule), row(crule)) == before


def test_another_institutions_rules_are_404_like_missing_ones(client, world, other):
    rrule, crule = routing_rule(world), coding_rule(world)
    before = (row(rrule), row(crule))
    for outsider in (other.receiver, other.bookkeeper):
        client.force_login(outsider)
        for method, url in _rule_urls(rrule.pk, crule.pk) + _rule_urls(999999, 999999):
            data = {"priority": "1", "buyer_reference": "x", "account": "2210"}
            assert getattr(client, method)(url, data).status_code == 404, url
    assert (row(rrule), row(crule)) == before
    assert not AuditEvent.objects.filter(
        action__in=[
            "payables.routing_rule.updated",
            "payables.routing_rule.deactivated",
            "payables.coding_rule.updated",
            "payables.coding_rule.deactivated",
        ]
    ).exists()


def test_rule_pages_need_a_login(client, world):
    rule = routing_rule(world)
    response = client.get(reverse("payables:routing-rule-update", args=[rule.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("payables:rule-active", args=["routing", rule.pk, "deactivate"]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert row(rule)["is_active"] is True
