"""Who may see which area, declared once.

Each area of the application (the administration pages of an institution, its ledger, its
invoices, the operator's queues, document intake) is seen by the holders of the roles below.
A person holds a role in an institution through a membership, as operator staff serving it
(its current service agreement names them; operator administrators serve every institution
under an agreement), or as a substitute (delegation). Pages, the API, exports, navigation and
the access gate (``faelles.core.access.restrict(..., roles=view_roles(area))``) all read this
table; nothing else declares who sees an area.

What someone may *do* inside an area (approve, post, pay, grant roles) is decided by the
services; this table only says who sees.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from faelles.tenancy.models import Role, StaffRole

OPERATOR_ADMIN = StaffRole.OPERATOR_ADMIN.value
CASE_WORKER = StaffRole.CASE_WORKER.value
SYSTEM_ADMIN = StaffRole.SYSTEM_ADMIN.value
LOCAL_ADMIN = Role.LOCAL_ADMIN.value
#: Payroll roles: the payroll officer (lønbehandler) keeps master data and calculates and
#: approves pay runs; every pending change and every run needs a second payroll officer
#: (two-person rule, enforced by the services).
PAYROLL_OFFICER = Role.PAYROLL_OFFICER.value
#: An employee who logs in only to see their own payslips (self-service): the membership lets
#: them log in; the payslips they see are those of the employee record linked to their user.
#: The role sees no area of the institution.
PAYROLL_EMPLOYEE = Role.PAYROLL_EMPLOYEE.value


class Area(StrEnum):
    #: The management pages and API of an institution: org units, endpoints, users,
    #: memberships, delegations, service agreements.
    ADMINISTRATION = "administration"
    #: The operator's own staff list (who works for the operator).
    OPERATOR_STAFF = "operator_staff"
    #: An institution's ledger: entries, periods, accounts, reports and their exports.
    LEDGER = "ledger"
    #: An institution's invoice handling: received documents, invoices, rules, payment runs,
    #: key figures and the pain.001 files.
    PAYABLES = "payables"
    #: The operator's queues: unroutable and rejected documents, overdue invoices of the
    #: institutions served. Documents of no institution (unroutable) are seen only here.
    OPERATOR_QUEUES = "operator_queues"
    #: Delivering a document (upload page, intake API): only to the endpoints of an
    #: institution where the person holds one of these roles.
    INTAKE = "intake"
    #: An institution's outgoing mail (reminders, escalations, responses to suppliers): its
    #: state and errors, and sending a failed one again.
    OUTGOING_MAIL = "outgoing_mail"
    #: An institution's case handling: case types (BPMN models), cases, work lists, letters.
    CASES = "cases"
    #: Cross-institution controls (faelles.control): an institution's ranked work list of
    #: hits (duplicates, segregation of duties, vendor/employee matches) and the feedback on
    #: them. Institution controllers see their own institution's hits; operator staff those
    #: of every institution they serve.
    CONTROL = "control"
    #: The operator's work list over every institution it serves, and starting a run.
    OPERATOR_CONTROL = "operator_control"
    #: The service desk's agent pages: every ticket of the institution, assignment, order
    #: lines, the knowledge base's drafts. Agents are the operator's staff serving it.
    SERVICE_DESK = "service_desk"
    #: The self-service portal: asking, following and answering one's own tickets, rating
    #: them, the knowledge base and the service catalogue. Every person of the institution.
    SERVICE_PORTAL = "service_portal"
    #: The institution's contact persons for the service agreement: every ticket of their
    #: institution in the portal (not only their own) and the figures per customer.
    SERVICE_CONTACT = "service_contact"
    #: An institution's payroll: employees, master data, pending changes, pay runs, payslips
    #: and their outputs (pain.001, eIndkomst, the run's ledger entry).
    PAYROLL = "payroll"
    #: Purchasing on framework agreements (faelles.purchasing): the shop, one's own
    #: requisitions, orders and goods receipts. Every person of the institution may buy
    #: (a requester); approving needs an approver's limit (decided by the services).
    PURCHASING = "purchasing"


_OPERATOR = frozenset({OPERATOR_ADMIN, CASE_WORKER})

VIEW_ROLES: MappingProxyType[Area, frozenset[str]] = MappingProxyType(
    {
        Area.ADMINISTRATION: frozenset({LOCAL_ADMIN}) | _OPERATOR,
        Area.OPERATOR_STAFF: frozenset({OPERATOR_ADMIN}),
        Area.LEDGER: frozenset(
            {Role.BOOKKEEPER, Role.CONTROLLER, Role.LOCAL_ADMIN, Role.PAYER} | _OPERATOR
        ),
        Area.PAYABLES: frozenset(
            {
                Role.INVOICE_RECEIVER,
                Role.REQUESTER,
                Role.APPROVER,
                Role.BOOKKEEPER,
                Role.PAYER,
                Role.CONTROLLER,
                Role.LOCAL_ADMIN,
            }
        )
        | _OPERATOR,
        Area.OPERATOR_QUEUES: _OPERATOR,
        # System administrators run the integrations (the access point) that deliver documents
        # for the institutions they serve; they see no invoices.
        Area.INTAKE: frozenset({Role.INVOICE_RECEIVER, SYSTEM_ADMIN}) | _OPERATOR,
        Area.OUTGOING_MAIL: frozenset({Role.BOOKKEEPER, Role.LOCAL_ADMIN, Role.CONTROLLER})
        | _OPERATOR,
        Area.CONTROL: frozenset({Role.CONTROLLER}) | _OPERATOR,
        Area.OPERATOR_CONTROL: _OPERATOR,
        Area.SERVICE_DESK: _OPERATOR,
        Area.SERVICE_PORTAL: frozenset(Role.values) | _OPERATOR,
        Area.SERVICE_CONTACT: frozenset({Role.LOCAL_ADMIN, Role.CONTROLLER}) | _OPERATOR,
        Area.PAYROLL: frozenset({PAYROLL_OFFICER, Role.CONTROLLER}) | _OPERATOR,
        Area.PURCHASING: frozenset(set(Role.values) - {PAYROLL_EMPLOYEE}) | _OPERATOR,
        Area.CASES: frozenset(
            {
                Role.CASE_HANDLER,
                Role.CASE_MANAGER,
                Role.APPROVER,
                Role.CONTROLLER,
                Role.LOCAL_ADMIN,
            }
        )
        | _OPERATOR,
    }
)

#: Case handling: who works the tasks of each lane a case-type model may name. The operator's
#: case workers (the secretariat that serves the boards), an institution's case handlers and
#: its local administrators work cases; a decision is approved by a case manager or an
#: approver of the institution or an operator administrator. Uploading a model is for local and operator administrators.
CASE_LANES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "case_worker": frozenset({CASE_WORKER, LOCAL_ADMIN, Role.CASE_HANDLER.value}),
        "case_manager": frozenset({OPERATOR_ADMIN, Role.APPROVER.value, Role.CASE_MANAGER.value}),
    }
)
CASE_MODELLERS: frozenset[str] = frozenset({OPERATOR_ADMIN, LOCAL_ADMIN})


def view_roles(area: Area) -> frozenset[str]:
    """The roles whose holders see ``area`` (in the institutions where they hold them)."""
    return frozenset(str(role) for role in VIEW_ROLES[area])
