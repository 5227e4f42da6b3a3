"""Every route, as a foreign user, with institution A's ids: 404, and nothing changes.

The test walks the whole URL configuration (pages, the API, the admin) instead of a list
written by hand. Every route that takes keyword arguments must have an entry in ``ROUTES``
saying how to get institution A's object for it; a route added later without an entry fails
``test_every_route_with_an_id_has_an_entry`` by name, so it cannot be forgotten.

The foreign users, each of whom must see none of A's objects:

- ``institution_b``: a person in institution B holding every institution role there;
- ``case_worker_b``: an operator case worker of A's own operator, named only by B's agreement;
- ``operator_admin_2``: the administrator of a second operator, which serves only C;
- ``system_user``: a system administrator of A's operator who serves no institution.

For each of them every route is requested with every method it accepts; the answer must be
404 (the same as for a missing id), and the row counts of every table and the number of
audit events must be the same afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from faelles.cases import services as cases_services
from faelles.cases.shipped import SHIPPED
from faelles.control.models import ControlRun, Hit
from faelles.core.models import AuditEvent, OutgoingMail
from faelles.ledger import services as ledger_services
from faelles.ledger.models import Account, JournalEntry, Period
from faelles.ledger.tests.factories import expense_spec, make_institution
from faelles.payables import services as payables_services
from faelles.payables.models import (
    CodingRule,
    DocumentStatus,
    PaymentRun,
    ReceivedDocument,
    RoutingRule,
    VendorBankChange,
)
from faelles.payroll import services as payroll_services
from faelles.payroll.models import PayRun as PayrollRun
from faelles.payroll.models import Payslip as PayrollPayslip
from faelles.payroll.models import PendingChange as PayrollChange
from faelles.purchasing.tests import builders as purchasing_builders
from faelles.servicedesk import services as servicedesk_services
from faelles.servicedesk.models import Article as ServicedeskArticle
from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Delegation,
    Institution,
    Membership,
    OperatorStaff,
    Role,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.tests.factories import (
    DelegationFactory,
    EndpointFactory,
    InstitutionFactory,
    MembershipFactory,
    OperatorFactory,
    OperatorStaffFactory,
    ServiceAgreementFactory,
    UserFactory,
    valid_gln,
)

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[4].parent / "shared/data/einvoice/examples/peppol"

FOREIGN = ("institution_b", "case_worker_b", "operator_admin_2", "system_user")


@dataclass
class World:
    a: Institution
    gln_a: str
    objects: dict[str, Any]
    users: dict[str, User]


def _document(receiver: str, number: str) -> bytes:
    path = EXAMPLE / "base-example.xml"
    if not path.is_file():
        pytest.skip(f"published e-invoice examples not found at {EXAMPLE}")
    text = path.read_text()
    text = text.replace(
        '<cbc:EndpointID schemeID="0002">FR23342</cbc:EndpointID>',
        f'<cbc:EndpointID schemeID="0088">{receiver}</cbc:EndpointID>',
    )
    text = text.replace("<cbc:ID>Snippet1</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>", 1)
    return text.replace("2017-11-13", "2026-03-15").replace("EUR", "DKK").encode()


def build_world() -> World:
    operator = OperatorFactory(name="Statens Fællesdrift")
    operator_2 = OperatorFactory(name="Anden driftsherre")
    a = make_institution()
    b = make_institution()
    c = InstitutionFactory(name="Gamma-styrelsen", short_name="GAMMA")
    gln_a = valid_gln(9001)
    EndpointFactory(institution=a, identifier=gln_a)
    EndpointFactory(institution=b, identifier=valid_gln(9002))

    case_worker_a = UserFactory(username="casewa")
    OperatorStaffFactory(operator=operator, user=case_worker_a, role=StaffRole.CASE_WORKER)
    case_worker_b = UserFactory(username="casewb")
    OperatorStaffFactory(operator=operator, user=case_worker_b, role=StaffRole.CASE_WORKER)
    system_user = UserFactory(username="system")
    system_staff = OperatorStaffFactory(
        operator=operator, user=system_user, role=StaffRole.SYSTEM_ADMIN
    )
    operator_admin_2 = UserFactory(username="opadmin2")
    OperatorStaffFactory(operator=operator_2, user=operator_admin_2, role=StaffRole.OPERATOR_ADMIN)
    agreement_a = ServiceAgreementFactory(institution=a, operator=operator, staff=[case_worker_a])
    ServiceAgreementFactory(institution=b, operator=operator, staff=[case_worker_b])
    ServiceAgreementFactory(institution=c, operator=operator_2)

    institution_b = UserFactory(username="allrolesb")
    for role in Role.values:
        MembershipFactory(institution=b, user=institution_b, role=role)

    people_a = {}
    for role in Role.values:
        people_a[role] = UserFactory(username=f"a-{role}")
        MembershipFactory(institution=a, user=people_a[role], role=role)
    substitute_a = UserFactory(username="a-substitute")
    MembershipFactory(institution=a, user=substitute_a, role=Role.REQUESTER)
    delegation_a = DelegationFactory(
        institution=a,
        principal=people_a[Role.APPROVER],
        substitute=substitute_a,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )

    entry = ledger_services.entry_create(
        actor=people_a[Role.BOOKKEEPER], institution=a, spec=expense_spec()
    )
    intake = payables_services.document_receive(content=_document(gln_a, "ISO-1"), channel="import")
    assert intake.status == "accepted", intake.document.findings
    unroutable = payables_services.document_receive(
        content=_document("5790000000005", "ISO-2"), channel="import"
    ).document
    assert unroutable.status == DocumentStatus.UNROUTABLE
    routing_rule = RoutingRule.objects.create(
        institution=a, requester=people_a[Role.REQUESTER], buyer_reference="ISO"
    )
    coding_rule = CodingRule.objects.create(institution=a, account="2210")
    run = PaymentRun.objects.create(
        institution=a,
        execution_date=date(2026, 4, 1),
        debtor_iban="DK5000400440116243",
        created_by=people_a[Role.PAYER],
        file=b"<Document/>",
        total=Decimal("1.00"),
    )
    approver_a = Membership.objects.get(user=people_a[Role.APPROVER])
    limit_request = ApprovalLimitRequest.objects.create(
        institution=a,
        membership=approver_a,
        requested_limit=Decimal("9000000.00"),
        ceiling=Decimal("1000000.00"),
        requested_by=people_a[Role.LOCAL_ADMIN],
    )
    bank_change = VendorBankChange.objects.create(
        institution=a,
        vendor=intake.invoice.vendor,
        key="iban:DK5000400440116243",
        requested_by=people_a[Role.INVOICE_RECEIVER],
    )
    control_run = ControlRun.objects.create(controls=["duplicate_invoices"])
    control_hit = Hit.objects.create(
        institution=a,
        control="duplicate_invoices",
        fingerprint="f" * 64,
        pattern="p" * 64,
        score=Decimal("0.950"),
        amount=Decimal("100.00"),
        priority=Decimal("95.00"),
        institutions=[a.pk],
        objects_involved=[{"type": "invoice", "id": intake.invoice.pk, "institution": a.pk}],
        evidence={"sides": [], "facts": {}},
        reason="planted",
        first_run=control_run,
        last_run=control_run,
    )
    outgoing_mail = OutgoingMail.objects.create(
        institution=a,
        kind=OutgoingMail.Kind.REMINDER,
        to="a-bookkeeper@example.dk",
        subject="Reminder",
        body="Reminder",
        state=OutgoingMail.State.FAILED,
        attempts=5,
    )
    ticket = servicedesk_services.ticket_open(
        actor=people_a[Role.REQUESTER],
        institution=a,
        title="Printer",
        description="Den blinker.",
        attachments=[servicedesk_services.AttachmentSpec("log.txt", "text/plain", b"log")],
    )
    article = ServicedeskArticle.objects.create(
        operator=operator, institution=a, title="VPN", body="Sådan.", domain="it"
    )
    payroll_employee = payroll_services.employee_create(
        actor=None, institution=a, number="P1", name="Løn Modtager", cpr="0101801234"
    )
    payroll_run = PayrollRun.objects.create(
        institution=a,
        frequency="monthly",
        period_start=date(2026, 5, 1),
        period_end=date(2026, 5, 31),
        payment_date=date(2026, 5, 29),
        state="calculated",
    )
    payroll_payslip = PayrollPayslip.objects.create(
        institution=a, run=payroll_run, employee=payroll_employee, cost_centre="100"
    )
    payroll_change = PayrollChange.objects.create(
        institution=a,
        employee=payroll_employee,
        kind="bank_account",
        operation="create",
        values={"reg_no": "1234", "account_no": "12345678", "valid_from": "2026-01-01"},
        effective_from=date(2026, 1, 1),
        made_by=people_a[Role.CONTROLLER],
    )
    case_type = cases_services.case_type_import(
        actor=None,
        institution=a,
        files=SHIPPED["complaint"].read(),
        code="complaint",
        check_role=False,
    ).case_type
    case = cases_services.case_open(
        actor=None,
        case_type=case_type,
        title="Klage",
        parties=[
            cases_services.PartyInput(
                kind="citizen", role="complainant", name="Borger", cpr="0101901234"
            )
        ],
        documents=[cases_services.DocumentInput("Klage", "klage.txt", b"Jeg klager.")],
    )
    objects: dict[str, Any] = {
        "case": case,
        "case_task": case.tasks.get(),
        "case_document": case.documents.get(),
        "case_party": case.parties.get(),
        "case_type": case_type,
        "payroll_run": payroll_run,
        "payroll_payslip": payroll_payslip,
        "payroll_change": payroll_change,
        "payroll_employee": payroll_employee,
        "ticket": ticket,
        "attachment": ticket.attachments.get(),
        "article": article,
        "outgoing_mail": outgoing_mail,
        "limit_request": limit_request,
        "bank_change": bank_change,
        "control_hit": control_hit,
        "institution": a,
        "org_unit": a.org_units.order_by("pk").first(),
        "endpoint": a.endpoints.get(),
        "user": people_a[Role.CONTROLLER],
        "membership": Membership.objects.get(user=people_a[Role.CONTROLLER]),
        "delegation": delegation_a,
        "agreement": agreement_a,
        "operator_staff": system_staff,
        "account": Account.objects.filter(institution=a).order_by("pk").first(),
        "period": Period.objects.filter(institution=a).order_by("pk").first(),
        "entry": entry,
        "invoice": intake.invoice,
        "document": intake.document,
        "unroutable": unroutable,
        "routing_rule": routing_rule,
        "coding_rule": coding_rule,
        "payment_run": run,
        "vendor": intake.invoice.vendor,
    }
    objects.update(_servicedesk_facilities(operator, a))
    objects.update(_economics(operator, a, entry))
    objects.update(_insight(a))
    objects.update(_purchasing(a, gln_a))
    users = {
        "institution_b": institution_b,
        "case_worker_b": case_worker_b,
        "operator_admin_2": operator_admin_2,
        "system_user": system_user,
    }
    assert Delegation.objects.filter(institution=a).count() == 1
    return World(a=a, gln_a=gln_a, objects=objects, users=users)


def _purchasing(a: Institution, gln_a: str) -> dict[str, Any]:
    """A's framework agreement with a catalogue, a requisition approved into an order."""
    from faelles.purchasing import services as purchasing_services
    from faelles.purchasing.models import InboundDocument

    agreement, items = purchasing_builders.active_agreement(a, gln_a)
    requester = purchasing_builders.member(a)
    basket = purchasing_services.basket_add(
        actor=requester, institution=a, item=items[0], quantity=Decimal(2)
    )
    requisition = purchasing_services.requisition_submit(
        actor=requester,
        requisition=basket,
        title="Kuglepenne",
        account="2210",
        org_unit="100",
        delivery=purchasing_services.Delivery("A", "Vej 1", "2100", "København"),
    )
    approver = purchasing_builders.member(a, Role.APPROVER, limit="10000")
    order = purchasing_services.requisition_approve(actor=approver, requisition=requisition)
    return {
        "pu_agreement": agreement,
        "pu_requisition": requisition,
        "pu_order": order,
        "pu_document": InboundDocument.objects.filter(institution=a).first(),
    }


def _economics(operator: Any, a: Institution, entry: Any) -> dict[str, Any]:
    """A's monthly charge from the operator (operator economics, issue 16 item 3)."""
    from django.utils import timezone

    from faelles.economics.models import Charge

    charge = Charge.objects.create(
        institution=a,
        operator=operator,
        period=date(2026, 3, 1),
        number="FD-2026-000001",
        issue_date=date(2026, 4, 10),
        net=Decimal("1000.00"),
        vat=Decimal("250.00"),
        total=Decimal("1250.00"),
        xml=b"<Invoice/>",
        delivery="accepted",
        entry=entry,
        issued_at=timezone.now(),
    )
    return {"economics_charge": charge}


def _insight(a: Institution) -> dict[str, Any]:
    """A task of A's task inventory and a business case of A (insight, issue 16 item 2)."""
    from faelles.insight.models import BusinessCase, Task

    task = Task.objects.create(institution=a, name="Fakturabehandling", form_code="04.01.02")
    case = BusinessCase.objects.create(
        institution=a,
        title="Fælles fakturabehandling",
        current_scenario="I dag",
        future_scenario="I morgen",
        start_month=date(2026, 4, 1),
    )
    return {"insight_task": task, "insight_case": case}


def _servicedesk_facilities(operator: Any, a: Institution) -> dict[str, Any]:
    """A's FM contract, a cleaning inspection with a sampled room and a chargeback statement
    with a line (issue 14, items 3 and 4)."""
    from faelles.servicedesk.chargeback_models import Statement, StatementLine
    from faelles.servicedesk.models import Asset, FrameworkContract, Location, Supplier
    from faelles.servicedesk.quality_models import CleaningInspection, InspectedRoom

    supplier = Supplier.objects.create(operator=operator, name="Rengøring A/S")
    contract = FrameworkContract.objects.create(
        operator=operator,
        supplier=supplier,
        reference="FM-A",
        title="FM",
        domain="facilities",
        valid_from=date(2026, 1, 1),
    )
    contract.institutions.add(a)
    building = Location.objects.create(institution=a, level="building", code="B", name="B")
    floor = Location.objects.create(
        institution=a, level="floor", code="B1", name="1", parent=building
    )
    room = Location.objects.create(institution=a, level="room", code="B1-1", name="1", parent=floor)
    asset = Asset.objects.create(institution=a, tag="PC-1", name="PC", kind="it", location=room)
    inspection = CleaningInspection.objects.create(
        institution=a,
        contract=contract,
        building=building,
        inspected_on=date(2026, 3, 10),
        lot_size=1,
        sample_size=1,
        acceptance_number=0,
    )
    InspectedRoom.objects.create(
        institution=a, inspection=inspection, room=room, room_type="office", quality_level=3
    )
    statement = Statement.objects.create(
        institution=a, period=date(2026, 3, 1), prepared_at=date(2026, 4, 1)
    )
    line = StatementLine.objects.create(
        institution=a,
        statement=statement,
        kind="subscription",
        domain="it",
        description="Arbejdsplads",
        quantity=Decimal(1),
        unit_price=Decimal("450.00"),
        amount=Decimal("450.00"),
    )
    return {
        "sd_contract": contract,
        "sd_inspection": inspection,
        "sd_statement": statement,
        "sd_statement_line": line,
        "sd_room": room,
        "sd_asset": asset,
    }


# --- the map: route name → A's object(s) for its keyword arguments ---------------------------

Kwargs = Callable[[World], list[dict[str, Any]]]


def pk(name: str, **extra: list[str]) -> Kwargs:
    """The id of A's ``name`` object; each ``extra`` keyword is tried with each given value."""

    def kwargs(world: World) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = [{"pk": world.objects[name].pk}]
        for key, values in extra.items():
            result = [{**r, key: v} for r in result for v in values]
        return result

    return kwargs


SERVICEDESK_STEPS = ["start", "wait", "resume", "resolve", "reopen", "close"]
INVOICE_STEPS = ["attest", "approve", "post", "schedule", "paid", "confirm-payment"]

#: Every route that takes keyword arguments, by name. A route whose answer to a foreign user
#: cannot be 404 names the status it gives instead and why (``EXPECT``).
ROUTES: dict[str, Kwargs] = {
    # tenancy pages
    "tenancy:institution-detail": pk("institution"),
    "tenancy:institution-edit": pk("institution"),
    "tenancy:orgunit-detail": pk("org_unit"),
    "tenancy:orgunit-edit": pk("org_unit"),
    "tenancy:endpoint-detail": pk("endpoint"),
    "tenancy:endpoint-edit": pk("endpoint"),
    "tenancy:user-detail": pk("user"),
    "tenancy:user-edit": pk("user"),
    "tenancy:membership-edit": pk("membership"),
    "tenancy:membership-revoke": pk("membership"),
    "tenancy:delegation-detail": pk("delegation"),
    "tenancy:delegation-revoke": pk("delegation"),
    "tenancy:staff-revoke": pk("operator_staff"),
    "tenancy:agreement-detail": pk("agreement"),
    "tenancy:agreement-edit": pk("agreement"),
    "tenancy:responsibility-set": pk("agreement"),
    # tenancy API
    "tenancy-api:institution-detail": pk("institution"),
    "tenancy-api:org-unit-detail": pk("org_unit"),
    "tenancy-api:endpoint-detail": pk("endpoint"),
    "tenancy-api:user-detail": pk("user"),
    "tenancy-api:membership-detail": pk("membership"),
    "tenancy-api:membership-revoke": pk("membership"),
    "tenancy-api:delegation-detail": pk("delegation"),
    "tenancy-api:delegation-revoke": pk("delegation"),
    "tenancy-api:service-agreement-detail": pk("agreement"),
    # ledger pages and API
    "ledger:period-state": pk("period", state=["open", "closed", "locked"]),
    "ledger:entry-detail": pk("entry"),
    "ledger:entry-post": pk("entry"),
    "ledger:entry-reverse": pk("entry"),
    "ledger-api:account-detail": pk("account"),
    "ledger-api:period-detail": pk("period"),
    "ledger-api:entry-detail": pk("entry"),
    "ledger-api:entry-post": pk("entry"),
    "ledger-api:entry-reverse": pk("entry"),
    "ledger-api:posting-accounts-detail": pk("institution"),
    # payables pages
    "payables:invoice-detail": pk("invoice"),
    "payables:invoice-xml": pk("invoice"),
    "payables:invoice-response": pk("invoice"),
    "payables:invoice-response-send": pk("invoice"),
    "payables:mail-send-again": pk("outgoing_mail"),
    "payables:invoice-code": pk("invoice"),
    "payables:invoice-action": pk("invoice", action=[*INVOICE_STEPS, "reject", "rate", "forward"]),
    "payables:routing-rule-update": pk("routing_rule"),
    "payables:coding-rule-update": pk("coding_rule"),
    "payables:rule-active": lambda w: [
        {"kind": kind, "pk": w.objects[f"{kind}_rule"].pk, "action": action}
        for kind in ("routing", "coding")
        for action in ("deactivate", "reactivate")
    ],
    "payables:payment-run-detail": pk("payment_run"),
    "payables:payment-run-file": pk("payment_run"),
    "payables:payment-run-action": pk("payment_run", action=["release", "paid"]),
    # A's accepted document may not be assigned or rejected as if it were unroutable.
    "payables:document-assign": pk("document"),
    "payables:document-reject": pk("document"),
    # payables API
    "payables-api:document-detail": pk("document"),
    "payables-api:invoice-detail": pk("invoice"),
    "payables-api:invoice-step": pk("invoice", step=INVOICE_STEPS),
    "payables-api:invoice-reject": pk("invoice"),
    "payables-api:invoice-coding": pk("invoice"),
    "payables-api:payment-run-detail": pk("payment_run"),
    "payables-api:payment-run-release": pk("payment_run"),
    "payables-api:payment-run-paid": pk("payment_run"),
    "payables:bank-change-detail": pk("bank_change"),
    # control: a hit of A (its evidence names A's invoice)
    "control:hit-detail": pk("control_hit"),
    # operator economics: A's monthly charge and the invoice document as issued
    "economics:charge-detail": pk("economics_charge"),
    "economics:charge-xml": pk("economics_charge"),
    # insight: A's task of the inventory
    "insight:task-detail": pk("insight_task"),
    "insight:case-detail": pk("insight_case"),
    "insight:follow-up": pk("insight_case"),
    "payables:bank-change-action": pk("bank_change", action=["confirm", "refuse"]),
    "payables-api:bank-change-detail": pk("bank_change"),
    "payables-api:bank-change-confirm": pk("bank_change"),
    "payables-api:bank-change-refuse": pk("bank_change"),
    # approval limits above the ceiling, password links
    "tenancy:limit-request-approve": pk("limit_request"),
    "tenancy:limit-request-refuse": pk("limit_request"),
    "tenancy:user-password-link": pk("user"),
    "tenancy-api:user-password-link": pk("user"),
    "tenancy-api:approval-limit-request-detail": pk("limit_request"),
    "tenancy-api:approval-limit-request-approve": pk("limit_request"),
    "tenancy-api:approval-limit-request-refuse": pk("limit_request"),
    # service desk pages and API
    # payroll pages
    "payroll:run-detail": pk("payroll_run"),
    "payroll:run-pain001": pk("payroll_run"),
    "payroll:run-eindkomst": pk("payroll_run"),
    "payroll:run-action": pk(
        "payroll_run", action=["calculate", "approve", "second_approve", "mark_paid"]
    ),
    "payroll:payslip-detail": pk("payroll_payslip"),
    "payroll:payslip-pdf": pk("payroll_payslip"),
    "payroll:payslip-stop": pk("payroll_payslip"),
    "payroll:change-action": pk("payroll_change", action=["approve", "reject"]),
    "payroll:employee-detail": pk("payroll_employee"),
    "payroll:employee-cpr": pk("payroll_employee"),
    "payroll:employee-address": pk("payroll_employee"),
    "payroll:employee-bank": pk("payroll_employee"),
    "payroll:employee-element": pk("payroll_employee"),
    "payroll:employee-element-end": pk("payroll_employee"),
    "payroll:employee-employment": pk("payroll_employee"),
    "payroll:employee-new-employment": pk("payroll_employee"),
    "servicedesk:portal-ticket": pk("ticket"),
    "servicedesk:portal-ticket-action": pk("ticket", action=["message", "rate", "reopen", "close"]),
    "servicedesk:ticket-detail": pk("ticket"),
    "servicedesk:ticket-action": pk(
        "ticket",
        action=[*SERVICEDESK_STEPS, "message", "assign", "priority", "order-line", "place"],
    ),
    "servicedesk:attachment": pk("attachment"),
    "servicedesk:article-detail": pk("article"),
    "servicedesk:article-edit": pk("article"),
    "servicedesk:inspection-detail": pk("sd_inspection"),
    "servicedesk:inspection-action": pk("sd_inspection", action=["assess", "complete"]),
    "servicedesk:scorecard": pk("sd_contract"),
    "servicedesk:ticket-survey": pk("ticket"),
    "servicedesk:statement-detail": pk("sd_statement"),
    "servicedesk:statement-post": pk("sd_statement"),
    "servicedesk:statement-line-correct": pk("sd_statement_line"),
    "servicedesk:location-detail": pk("sd_room"),
    "servicedesk:location-edit": pk("sd_room"),
    "servicedesk:asset-detail": pk("sd_asset"),
    "servicedesk:asset-edit": pk("sd_asset"),
    "servicedesk-api:ticket-detail": pk("ticket"),
    "servicedesk-api:ticket-messages": pk("ticket"),
    "servicedesk-api:ticket-step": pk("ticket", step=SERVICEDESK_STEPS),
    "servicedesk-api:ticket-rate": pk("ticket"),
    # purchasing
    "purchasing:agreement": pk("pu_agreement"),
    "purchasing:requisition": pk("pu_requisition"),
    "purchasing:order": pk("pu_order"),
    "purchasing-api:order-detail": pk("pu_order"),
    "purchasing-api:document-detail": pk("pu_document"),
    # case handling
    "cases:case-detail": pk("case"),
    "cases:task-form": pk("case_task"),
    "cases:document": pk("case_document"),
    "cases:party-cpr": pk("case_party"),
    "cases:case-type-detail": pk("case_type"),
    "cases:letter-templates": pk("case_type"),
    "cases:letter-template-download": pk("case_type", kind=["decision"]),
    # cases API
    "cases-api:case-type-detail": pk("case_type"),
    "cases-api:case-detail": pk("case"),
    "cases-api:task-detail": pk("case_task"),
    "cases-api:task-complete": pk("case_task"),
    "cases-api:document-detail": pk("case_document"),
    "cases-api:document-content": pk("case_document"),
    "tenancy:password-set": lambda w: [
        {
            "uidb64": urlsafe_base64_encode(force_bytes(w.objects["user"].pk)),
            "token": "cz6h3m-0123456789abcdef0123456789abcdef",
        }
    ],
}

#: Answers other than 404, by route and foreign user, each with the reason.
EXPECT: dict[tuple[str, str], int] = {
    # Staff rows belong to the operator, not to an institution: a colleague of the same
    # operator finds the row (the staff list is the operator's) but may not revoke it.
    ("tenancy:staff-revoke", "case_worker_b"): 403,
    ("tenancy:staff-revoke", "system_user"): 403,
    # The reset link's token is the credential, not the user's id: with a forged token the page
    # answers "this link is invalid" (200) to anyone, and sets nothing.
    ("tenancy:password-set", "*"): 200,
}

#: Routes whose keyword arguments are not an object id (nothing of A's to find).
NO_OBJECT: dict[str, str] = {
    "format": "the API's format suffix (.json) on a route that has an entry of its own",
}

# The Django admin is view-only and open to ``is_staff`` accounts only (none of the foreign
# users): every admin route answers a redirect to the admin login. Checked below for each.
ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class Route:
    name: str
    namespace: str
    pattern: str
    kwargs: tuple[str, ...]
    methods: frozenset[str]


def _methods(callback: Any) -> frozenset[str]:
    actions = getattr(callback, "actions", None)
    if actions:
        return frozenset(m.upper() for m in actions if m not in ("options", "head", "trace"))
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if cls is not None:
        return frozenset(
            m.upper()
            for m in cls.http_method_names
            if m not in ("options", "head", "trace") and hasattr(cls, m)
        )
    return frozenset({"GET", "POST"})


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), full)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            kwargs = tuple(re.compile(str(p.pattern.regex.pattern)).groupindex)
            yield Route(name, namespace, prefix + str(p.pattern), kwargs, _methods(p.callback))


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def routes_with_ids() -> list[Route]:
    return [
        r
        for r in all_routes()
        if set(r.kwargs) - set(NO_OBJECT) and r.namespace.split(":")[0] != ADMIN_NAMESPACE
    ]


def test_every_route_with_an_id_has_an_entry():
    missing = sorted(
        {f"{r.name or '(unnamed)'} {r.pattern}" for r in routes_with_ids()}
        - {f"{r.name} {r.pattern}" for r in routes_with_ids() if r.name in ROUTES}
    )
    assert missing == [], (
        "routes that take an id but have no entry in ROUTES (say how to get institution A's "
        f"object for them): {missing}"
    )


def test_the_map_names_only_routes_that_exist():
    names = {r.name for r in all_routes()}
    assert sorted(set(ROUTES) - names) == []
    assert {name for name, _user in EXPECT} <= set(ROUTES)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _requests(world: World) -> Iterator[tuple[str, str, str]]:
    """(route name, method, url) for every route with an id and every method it accepts."""
    seen: set[tuple[str, str]] = set()
    for route in routes_with_ids():
        if route.name not in ROUTES:
            continue  # named by test_every_route_with_an_id_has_an_entry
        for kwargs in ROUTES[route.name](world):
            given = {k: v for k, v in kwargs.items() if k in route.kwargs}
            if "format" in route.kwargs:
                given["format"] = "json"
            if set(given) != set(route.kwargs):
                continue  # the same name with other arguments (e.g. a format suffix)
            url = reverse(route.name, kwargs=given)
            for method in sorted(route.methods):
                if (method, url) not in seen:
                    seen.add((method, url))
                    yield route.name, method, url


def _call(client: Client, method: str, url: str) -> int:
    # A plausible body, so that the answer is the gate's and not the input validation's.
    body: dict[str, Any] = {"content_type": "application/json", "data": '{"reason": "x"}'}
    if method == "GET":
        return client.get(url).status_code
    if method == "POST" and not url.startswith("/api/"):
        return client.post(url, {"reason": "x", "institution": "1", "rate": "7.45"}).status_code
    handler = getattr(client, method.lower())
    return int(handler(url, **body).status_code)


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.mark.parametrize("who", FOREIGN)
def test_a_foreign_user_gets_404_for_every_object_of_another_institution_and_changes_nothing(
    world, who
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(world.users[who])
    before, events = _counts(), AuditEvent.objects.count()
    assert events == before[AuditEvent._meta.label]
    wrong = []
    requests = list(_requests(world))
    for name, method, url in requests:
        status = _call(client, method, url)
        expected = EXPECT.get((name, who), EXPECT.get((name, "*"), 404))
        if status != expected:
            wrong.append(f"{method} {url} ({name}): {status}, expected {expected}")
    assert wrong == [], "\n".join(wrong)
    assert len(requests) >= 100
    # A refused attempt is recorded as an event of its own (``<action>.refused``), and only
    # the routes that answer 403 above may have been refused; nothing else is written.
    new_events = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))[events:]
    allowed = [name for (name, user), code in EXPECT.items() if user == who and code == 403]
    assert all(a.endswith(".refused") for a in new_events), new_events
    assert len(new_events) <= len(allowed), new_events
    after = _counts()
    after[AuditEvent._meta.label] -= len(new_events)
    assert after == before


@pytest.mark.parametrize("who", FOREIGN)
def test_the_admin_is_closed_to_foreign_users(world, who):
    client = Client()
    client.force_login(world.users[who])
    wrong = []
    for route in all_routes():
        if route.namespace.split(":")[0] != ADMIN_NAMESPACE or "GET" not in route.methods:
            continue
        if not route.name or route.name in ("admin:login", "admin:logout"):
            continue
        kwargs = dict.fromkeys(route.kwargs, "1")
        if "app_label" in kwargs:
            kwargs["app_label"] = "tenancy"
        try:
            url = reverse(route.name, kwargs=kwargs)
        except Exception:
            continue
        response = client.get(url)
        if response.status_code != 302 or "/admin/login/" not in response["Location"]:
            wrong.append(f"{url}: {response.status_code}")
    assert wrong == []


def test_unroutable_documents_are_seen_by_the_operator_queue_staff_only(world):
    """A document of no institution: the operator's case workers see it (the queue is the
    operator's); an institution user and a system user do not."""
    url = reverse("payables-api:document-detail", kwargs={"pk": world.objects["unroutable"].pk})
    client = Client()
    answers = {}
    for who in FOREIGN:
        client.force_login(world.users[who])
        answers[who] = client.get(url).status_code
    assert answers == {
        "institution_b": 404,
        "case_worker_b": 200,
        "operator_admin_2": 200,
        "system_user": 404,
    }


def test_a_served_case_worker_sees_the_document_the_others_do_not(world):
    """The positive control: the same request answers 200 to A's own case worker, so the
    404s above are the gate at work and not a broken route."""
    client = Client()
    client.force_login(User.objects.get(username="casewa"))
    document = world.objects["document"]
    url = reverse("payables-api:document-detail", kwargs={"pk": document.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["institution"] == world.a.short_name
    assert ReceivedDocument.objects.filter(institution=world.a).count() == 1
    assert ServiceAgreement.objects.filter(institution=world.a).count() == 1
    assert OperatorStaff.objects.filter(user__username="system").count() == 1
    assert JournalEntry.objects.filter(institution=world.a).count() == 1
