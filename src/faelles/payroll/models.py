"""The payroll app's data: employees and their pay-relevant master data, pending changes
(the two-person rule), pay runs and payslips.

Master data rows (employments, pay elements, tax cards, bank accounts) are written only by
applying an approved :class:`PendingChange`; an employee with a change still pending is paid
on the last approved data and flagged. The CPR number is stored encrypted (Fernet, key derived
from the project's secret) next to a keyed hash for look-ups and the last four digits for the
masked form; reading the full number goes through ``services.employee_cpr_read``, which logs a
personal-data access event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet


def money_field(verbose_name: Any = None) -> Any:
    """An amount in kroner and øre (Decimal)."""
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, default=Decimal("0.00")
    )


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    FORTNIGHTLY = "14days", _("14 days")


class Employee(models.Model):
    """A person on the institution's payroll. Identity only; pay follows from employments."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_employees"
    )
    number = models.CharField(_("employee number"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    # Postal address on one line ("Vej 1, 2100 København Ø"): the form the control app reads a
    # vendor's seller address in, so the vendor/employee linkage compares like with like.
    address = models.CharField(_("address"), max_length=300, blank=True)
    cpr_ref = models.CharField(max_length=64, editable=False)
    cpr_cipher = models.TextField(editable=False)
    cpr_last4 = models.CharField(max_length=4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payroll_employee_records",
        verbose_name=_("login (self-service)"),
    )
    retro_from = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["institution", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="payroll_employee_number_once"
            ),
            models.UniqueConstraint(fields=["institution", "cpr_ref"], name="payroll_cpr_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def cpr_masked(self) -> str:
        return f"XXXXXX-{self.cpr_last4}"


class Employment(models.Model):
    """One employment: where, on which agreement, how many hours, how paid, from when."""

    class Agreement(models.TextChoices):
        AC = "AC", _("AC (academics)")
        HK = "HK", _("HK (office staff)")
        HOURLY = "HOURLY", _("hourly paid")
        STUDENT = "STUDENT", _("student assistant")

    class HolidayScheme(models.TextChoices):
        PAID_HOLIDAY = "paid_holiday", _("salary during holiday")
        HOLIDAY_PAY = "holiday_pay", _("holiday pay")
        NONE = "none", _("none")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_employments"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="employments")
    org_unit = models.ForeignKey(
        "tenancy.OrgUnit", on_delete=models.PROTECT, related_name="payroll_employments"
    )
    position = models.CharField(_("position"), max_length=100)
    agreement = models.CharField(_("agreement"), max_length=20, choices=Agreement.choices)
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=2)
    frequency = models.CharField(
        _("pay frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    pension_scheme = models.CharField(_("pension scheme"), max_length=60, blank=True)
    pension_employer_rate = models.DecimalField(
        _("employer pension %"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    pension_employee_rate = models.DecimalField(
        _("employee pension %"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    pension_state_ac = models.BooleanField(_("state AC pension"), default=False)
    atp_family = models.CharField(_("ATP family"), max_length=1, default="A")
    holiday_scheme = models.CharField(
        _("holiday scheme"),
        max_length=20,
        choices=HolidayScheme.choices,
        default=HolidayScheme.PAID_HOLIDAY,
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["employee", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="payroll_employment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.position}"


class PayElement(models.Model):
    """A pay element of an employment with its validity period (salary, supplement, hourly
    pay, a one-off, a deduction from net pay)."""

    class Kind(models.TextChoices):
        SALARY = "salary", _("monthly salary")
        SUPPLEMENT = "supplement", _("supplement")
        HOURLY = "hourly", _("hourly pay")
        OVERTIME = "overtime", _("overtime")
        ONE_OFF = "one_off", _("one-off")
        TAX_FREE = "tax_free", _("tax-free payment")
        DEDUCTION = "deduction", _("deduction from net pay")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_elements"
    )
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="elements")
    code = models.CharField(_("code"), max_length=30)
    text = models.CharField(_("text"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=2, null=True, blank=True)
    pensionable = models.BooleanField(_("pensionable"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("pay element")
        verbose_name_plural = _("pay elements")
        ordering = ["employment", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="payroll_element_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class TaxCard(models.Model):
    """A tax card as SKAT's eSkattekort delivers it, with its validity dates."""

    class Type(models.TextChoices):
        MAIN = "hovedkort", _("main card")
        SECONDARY = "bikort", _("secondary card")
        FREE = "frikort", _("free card")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_tax_cards"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="tax_cards")
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    rate = models.DecimalField(_("withholding rate %"), max_digits=5, decimal_places=2)
    deduction_month = money_field(_("deduction per month"))
    deduction_14days = money_field(_("deduction per 14 days"))
    free_amount = money_field(_("free amount"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("tax card")
        verbose_name_plural = _("tax cards")
        ordering = ["employee", "-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.rate} % {self.valid_from}"


class BankAccount(models.Model):
    """Where the net pay goes: the NemKonto (or another account) from a date."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_bank_accounts"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="bank_accounts")
    reg_no = models.CharField(_("registration number"), max_length=4)
    account_no = models.CharField(_("account number"), max_length=10)
    is_nemkonto = models.BooleanField(_("NemKonto"), default=True)
    valid_from = models.DateField(_("valid from"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["employee", "-valid_from", "-pk"]

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        return f"{self.reg_no} …{self.account_no[-4:]}"


class PayrollSettings(models.Model):
    """An institution's payroll settings: SKAT's rounding method for AM-bidrag and A-skat
    (the employer chooses one and keeps it), and the account the net salaries are paid from
    (the debtor of the pain.001 file). Changed only through a pending change."""

    class Rounding(models.TextChoices):
        METHOD_1 = "1", _("method 1 (øre)")
        METHOD_2 = "2", _("method 2 (kroner, rounded)")
        METHOD_2T = "2t", _("method 2 (kroner, øre dropped)")
        METHOD_3 = "3", _("method 3 (bases in tens, amounts up)")

    institution = models.OneToOneField(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_settings"
    )
    rounding = models.CharField(
        _("rounding method"), max_length=2, choices=Rounding.choices, default=Rounding.METHOD_1
    )
    debtor_iban = models.CharField(_("salary account (IBAN)"), max_length=34, blank=True)
    debtor_bic = models.CharField(_("bank (BIC)"), max_length=11, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("payroll settings")
        verbose_name_plural = _("payroll settings")

    def __str__(self) -> str:
        return f"{self.institution}: {self.get_rounding_display()}"


class PendingChange(models.Model):
    """A proposed change to pay-relevant data, applied only when a second person approves it.

    ``values`` holds the proposed field values as JSON (amounts as strings); ``target_id`` is
    the row changed (empty when the change creates one). Approval by the maker is refused.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("employment")
        PAY_ELEMENT = "pay_element", _("pay element")
        TAX_CARD = "tax_card", _("tax card")
        BANK_ACCOUNT = "bank_account", _("bank account")
        SETTINGS = "settings", _("payroll settings")

    class Operation(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_changes"
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="changes", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices)
    target_id = models.BigIntegerField(null=True, blank=True)
    values = models.JSONField(_("proposed values"), default=dict)
    effective_from = models.DateField(_("effective from"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    made_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_id = models.BigIntegerField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending") | ~Q(decided_by=models.F("made_by")),
                name="payroll_change_two_persons",
            ),
        ]
        indexes = [models.Index(fields=["employee", "state"])]

    def __str__(self) -> str:
        who = self.employee or self.institution
        return f"{self.get_kind_display()} {self.get_operation_display()} · {who}"


class PayRun(models.Model):
    """One pay run of an institution for one period and frequency.

    Life cycle (one table, :data:`faelles.payroll.services.TRANSITIONS`): draft → calculated
    → approved (a payroll officer) → second_approved (another one) → paid. Recalculation is
    possible until the first approval; the ledger entry is posted at the second approval.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        CALCULATED = "calculated", _("calculated")
        APPROVED = "approved", _("approved")
        SECOND_APPROVED = "second_approved", _("second approval given")
        PAID = "paid", _("paid")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_runs"
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    payment_date = models.DateField(_("payment date"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    calculated_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    second_approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    employees = models.PositiveIntegerField(default=0)
    payslips = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    gross = money_field()
    am = money_field()
    a_tax = money_field()
    net = money_field()
    employer_cost = money_field()
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("pay run")
        verbose_name_plural = _("pay runs")
        ordering = ["-period_start", "institution", "frequency"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "frequency", "period_start"], name="payroll_run_once"
            ),
            models.CheckConstraint(
                condition=Q(second_approved_by__isnull=True)
                | ~Q(second_approved_by=models.F("approved_by")),
                name="payroll_run_two_persons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.get_frequency_display()}"

    @property
    def label(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return self.period_start.strftime("%Y-%m")
        return f"{self.period_start.isoformat()}–{self.period_end.isoformat()}"


class Payslip(models.Model):
    """One employee's payslip in a run: the engine's result as calculated (``data``), the input
    it was calculated from (``input``, for retro corrections), and the retro difference lines
    of earlier paid periods paid with it (``retro``). ``net_payable`` = net + retro net."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_payslips"
    )
    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="slips")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="payslips")
    cost_centre = models.CharField(_("cost centre"), max_length=20)
    gross = money_field()
    am = money_field()
    a_income = money_field()
    a_tax = money_field()
    net = money_field()
    employer_cost = money_field()
    retro_net = money_field()
    net_payable = money_field()
    flagged = models.BooleanField(_("pending changes not included"), default=False)
    retro_from = models.DateField(null=True, blank=True, editable=False)
    stopped = models.BooleanField(_("pay stopped"), default=False)
    stop_reason = models.CharField(_("reason for stopping"), max_length=200, blank=True)
    bank_reg = models.CharField(max_length=4, blank=True)
    bank_account = models.CharField(max_length=10, blank=True)
    data = models.JSONField(default=dict)
    input = models.JSONField(default=dict)
    retro = models.JSONField(default=list)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        ordering = ["run", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="payroll_payslip_once"),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.employee}"


class RunProblem(models.Model):
    """An employee the engine refused in a run (field and message; never a CPR number)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="payroll_problems"
    )
    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="problems")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=60)
    field = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=300)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["run", "employee"]

    def __str__(self) -> str:
        return f"{self.code} {self.field}"
