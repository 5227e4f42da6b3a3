"""Builders for the payroll tests: an institution with a chart, an open fiscal year, cost
centres, two payroll officers, and employees whose master data went through the two-person
rule (proposed by one officer, approved by the other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from faelles.ledger import services as ledger_services
from faelles.payroll import services
from faelles.payroll.models import Employee, Employment, PendingChange
from faelles.tenancy.models import Institution, OrgUnit, User
from faelles.tenancy.roles import PAYROLL_OFFICER
from faelles.tenancy.tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    OrgUnitFactory,
    UserFactory,
)

D = Decimal
YEAR = 2026


@dataclass
class Setup:
    institution: Institution
    unit: OrgUnit
    officer: User
    second: User
    n: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def employee(
        self,
        profile: str = "AC",
        *,
        salary: str = "45000.00",
        start: date = date(YEAR, 1, 1),
        card: dict[str, Any] | None = None,
        user: User | None = None,
        frequency: str = "monthly",
        cpr: str | None = None,
        address: str = "",
    ) -> Employee:
        """An employee with an approved employment, pay element, tax card and NemKonto."""
        self.n += 1
        emp = services.employee_create(
            actor=self.officer,
            institution=self.institution,
            number=f"E{self.n:04d}",
            name=f"Medarbejder {self.n}",
            cpr=cpr or f"0101{80 + self.n % 20:02d}{1000 + self.n:04d}",
            user=user,
            address=address,
        )
        hourly = profile in ("HOURLY", "STUDENT")
        employment_values: dict[str, Any] = {
            "org_unit_id": self.unit.pk,
            "position": {"AC": "Fuldmægtig", "HK": "Overassistent"}.get(profile, "Timelønnet"),
            "agreement": profile,
            "weekly_hours": "37.00" if not hourly else "15.00",
            "frequency": frequency,
            "start": start.isoformat(),
            "atp_family": "A",
            "holiday_scheme": "holiday_pay" if hourly else "paid_holiday",
        }
        if profile == "AC":
            employment_values["pension_state_ac"] = True
        elif profile == "HK":
            employment_values["pension_employer_rate"] = "15.00"
            employment_values["pension_employee_rate"] = "5.00"
        c1 = services.change_propose(
            actor=self.officer,
            employee=emp,
            kind=PendingChange.Kind.EMPLOYMENT,
            values=employment_values,
            effective_from=start,
        )
        services.change_approve(actor=self.second, change=c1)
        employment = Employment.objects.get(employee=emp)
        if hourly:
            element = {
                "code": "hourly",
                "text": "Timeløn",
                "kind": "hourly",
                "hours": "60.00",
                "rate": "180.00" if profile == "HOURLY" else "150.00",
            }
        else:
            element = {"code": "salary", "text": "Månedsløn", "kind": "salary", "amount": salary}
        changes = [
            services.change_propose(
                actor=self.officer,
                employee=emp,
                kind=PendingChange.Kind.PAY_ELEMENT,
                values={**element, "employment_id": employment.pk, "valid_from": start.isoformat()},
                effective_from=start,
            ),
            services.change_propose(
                actor=self.officer,
                employee=emp,
                kind=PendingChange.Kind.TAX_CARD,
                values=card
                or {
                    "type": "hovedkort",
                    "rate": "37.00",
                    "deduction_month": "5600.00",
                    "deduction_14days": "2585.00",
                    "valid_from": f"{YEAR}-01-01",
                },
                effective_from=start,
            ),
            services.change_propose(
                actor=self.officer,
                employee=emp,
                kind=PendingChange.Kind.BANK_ACCOUNT,
                values={
                    "reg_no": "1234",
                    "account_no": f"{self.n:010d}",
                    "valid_from": f"{YEAR}-01-01",
                },
                effective_from=start,
            ),
        ]
        services.changes_approve(actor=self.second, changes=changes)
        return emp


def payroll_setup(**kwargs: Any) -> Setup:
    institution = InstitutionFactory(**kwargs)
    unit = OrgUnitFactory(institution=institution, code="100")
    officer = UserFactory()
    second = UserFactory()
    for user in (officer, second):
        MembershipFactory(institution=institution, user=user, role=PAYROLL_OFFICER)
    bookkeeper = UserFactory()
    MembershipFactory(institution=institution, user=bookkeeper, role="bookkeeper")
    ledger_services.chart_adopt(actor=bookkeeper, institution=institution)
    ledger_services.fiscal_year_open(actor=bookkeeper, institution=institution, year=YEAR)
    return Setup(institution, unit, officer, second)


def monthly_run(setup: Setup, month: int, actor: User | None = None):
    start, end, pay = services.periods_for("monthly", YEAR, month)[0]
    run = services.run_create(
        actor=actor or setup.officer,
        institution=setup.institution,
        frequency="monthly",
        period_start=start,
        period_end=end,
        payment_date=pay,
    )
    return services.run_calculate(actor=actor or setup.officer, run=run)


def pay(setup: Setup, run):
    run = services.run_approve(actor=setup.officer, run=run)
    run = services.run_second_approve(actor=setup.second, run=run)
    return services.run_mark_paid(actor=setup.second, run=run)
