"""The general ledger: chart of accounts, dimensions, fiscal periods and journal entries.

Posted entries never change: a model guard, a service refusal and, on PostgreSQL, a trigger
stop it; corrections are reversals linked to their origin. Balances per account, period and
dimension are kept in ``Balance`` by set-based upserts at posting, so reports over millions of
lines read a few thousand rows; ``faelles ledger check`` proves them equal to the lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet


class AccountType(models.TextChoices):
    """Account types; the class follows from the number range of the state's standard chart."""

    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")
    TRANSFER = "transfer", _("Transfer")
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")


class AccountClass(models.TextChoices):
    """The four classes of the state's standard chart, by the first two digits."""

    OPERATING = "operating", _("Operating items (10–29)")
    TRANSFERS = "transfers", _("Transfers (30–49)")
    ASSETS = "assets", _("Assets (50–69)")
    LIABILITIES = "liabilities", _("Liabilities and equity (70–99)")


def account_class_for(number: str) -> str:
    """Class of an account number by its first two digits (10–29, 30–49, 50–69, 70–99)."""
    head = int(number[:2])
    if 10 <= head <= 29:
        return AccountClass.OPERATING
    if 30 <= head <= 49:
        return AccountClass.TRANSFERS
    if 50 <= head <= 69:
        return AccountClass.ASSETS
    if 70 <= head <= 99:
        return AccountClass.LIABILITIES
    raise ValueError(f"account number {number!r} is outside the standard chart's 10–99 range")


class Account(models.Model):
    """An account in an institution's chart. Common accounts come from the shared template;
    local accounts sit beneath a common one. Sum accounts are not postable."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="accounts"
    )
    number = models.CharField(_("number"), max_length=12)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=AccountType.choices)
    account_class = models.CharField(_("class"), max_length=20, choices=AccountClass.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_common = models.BooleanField(_("from the common chart"), default=False)
    is_postable = models.BooleanField(_("postable"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    requires_org_unit = models.BooleanField(_("requires cost centre"), default=False)
    requires_purpose = models.BooleanField(_("requires purpose"), default=False)
    default_vat_code = models.ForeignKey(
        "VatCode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["institution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="account_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class VatCode(models.Model):
    """A VAT treatment with its rate and the accounts it posts to.

    Purchase VAT posts the deductible part to ``input_account``; reverse charge posts both
    input and output VAT; exempt posts none.
    """

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase VAT")
        SALES = "sales", _("Sales VAT")
        REVERSE_CHARGE = "reverse_charge", _("Reverse charge")
        EXEMPT = "exempt", _("Exempt")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="vat_codes"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    input_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    output_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("VAT code")
        verbose_name_plural = _("VAT codes")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="vatcode_code_unique"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="vatcode_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.rate} %)"


class Purpose(models.Model):
    """The purpose dimension (formål): what an expense is for, e.g. a grant or an activity."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="purposes"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="purpose_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    LOCKED = "locked", _("Locked")


class FiscalYear(models.Model):
    """An institution's fiscal year; the state's runs with the calendar year."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="fiscal_years"
    )
    year = models.PositiveIntegerField(_("year"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(
        _("state"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["institution", "year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="fiscalyear_unique"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="fiscalyear_dates"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class Period(models.Model):
    """A month of a fiscal year: open for posting, closed (reopenable), or locked for good."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="periods"
    )
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="periods")
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(
        _("state"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["institution", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "fiscal_year", "number"], name="period_unique"
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year}-{self.number:02d}"


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")


class PostedRecordError(Exception):
    """Raised when code tries to change or delete a posted entry or its lines."""


class JournalEntry(models.Model):
    """A voucher's entry: balanced lines, draft until posted, then immutable.

    ``source_type``/``source_id`` name the document it comes from (an invoice, a pay run);
    a unique constraint makes posting the same source twice post once.
    """

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manual")
        SYSTEM = "system", _("From another module")
        REVERSAL = "reversal", _("Reversal")

    # The unique keys lead with the institution; the other foreign keys are not searched
    # by, so they carry no index of their own (fewer indexes, faster posting).
    institution = models.ForeignKey(
        "tenancy.Institution",
        on_delete=models.PROTECT,
        related_name="journal_entries",
        db_index=False,
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    number = models.PositiveBigIntegerField(_("number"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=EntryState.choices, default=EntryState.DRAFT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    date = models.DateField(_("posting date"))
    description = models.CharField(_("description"), max_length=300)
    voucher_ref = models.CharField(_("voucher"), max_length=200, blank=True)
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    reversal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["institution", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "fiscal_year", "number"], name="entry_number_unique"
            ),
            models.UniqueConstraint(
                fields=["institution", "source_type", "source_id"],
                condition=~Q(source_id=""),
                name="entry_source_once",
            ),
            models.CheckConstraint(
                condition=Q(state="draft", number__isnull=True)
                | Q(state="posted", number__isnull=False),
                name="entry_number_iff_posted",
            ),
        ]
        indexes = [models.Index(fields=["institution", "state", "date"])]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year}-{self.number}" if self.number else f"draft {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and JournalEntry.objects.filter(pk=self.pk, state=EntryState.POSTED).exists():
            raise PostedRecordError(f"journal entry {self} is posted and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.state == EntryState.POSTED:
            raise PostedRecordError(f"journal entry {self} is posted and cannot be deleted")
        return super().delete(*args, **kwargs)


class JournalLine(models.Model):
    """A line: one account, its dimensions, a DKK debit or credit and the document amount."""

    # Few indexes on purpose: lines are the largest table and every index slows posting.
    # (entry, line_no) and (institution, account) cover the lookups; the dimension keys are
    # only looked up when a cost centre, purpose or VAT code is deleted (refused: PROTECT).
    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    line_no = models.PositiveIntegerField()
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    org_unit = models.ForeignKey(
        "tenancy.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    purpose = models.ForeignKey(
        Purpose, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    vat_code = models.ForeignKey(
        VatCode, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    debit = models.DecimalField(
        _("debit"), max_digits=18, decimal_places=2, default=Decimal("0.00")
    )
    credit = models.DecimalField(
        _("credit"), max_digits=18, decimal_places=2, default=Decimal("0.00")
    )
    currency = models.CharField(_("currency"), max_length=3, default="DKK")
    currency_amount = models.DecimalField(_("amount in currency"), max_digits=18, decimal_places=2)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=6, default=Decimal("1"))
    text = models.CharField(_("text"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "line_no"], name="line_no_unique"),
            models.CheckConstraint(condition=Q(debit__gte=0), name="line_debit_not_negative"),
            models.CheckConstraint(condition=Q(credit__gte=0), name="line_credit_not_negative"),
            models.CheckConstraint(
                condition=Q(debit=0) | Q(credit=0), name="line_not_both_debit_and_credit"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="line_rate_positive"),
        ]
        indexes = [models.Index(fields=["institution", "account"])]

    def __str__(self) -> str:
        return f"{self.account.number} D {self.debit} C {self.credit}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if JournalEntry.objects.filter(pk=self.entry_id, state=EntryState.POSTED).exists():
            raise PostedRecordError("lines of a posted journal entry cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if JournalEntry.objects.filter(pk=self.entry_id, state=EntryState.POSTED).exists():
            raise PostedRecordError("lines of a posted journal entry cannot be deleted")
        return super().delete(*args, **kwargs)


class Balance(models.Model):
    """Posted totals per account, period, cost centre and purpose, kept by posting in the same
    transaction (set-based upserts), so reports read these rows instead of every line.

    0 stands for "no dimension" in the id columns so the unique key works on every database.
    """

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    org_unit_key = models.BigIntegerField(default=0)
    purpose_key = models.BigIntegerField(default=0)
    # Whole øre: integer sums are exact on every database, SQLite included.
    debit_ore = models.BigIntegerField(default=0)
    credit_ore = models.BigIntegerField(default=0)
    line_count = models.BigIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("balance")
        verbose_name_plural = _("balances")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "account", "period", "org_unit_key", "purpose_key"],
                name="balance_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.period_id}: {self.debit_ore - self.credit_ore} øre"


#: The accounts other modules post to when an institution has not chosen its own: the common
#: chart's purchase VAT (5620), vendors payable (9110) and bank (5810).
DEFAULT_POSTING_ACCOUNTS = {
    "payables_account": "9110",
    "input_vat_account": "5620",
    "bank_account": "5810",
}


class PostingAccounts(models.Model):
    """The accounts an institution's invoices and payments post to (its ledger
    configuration), one row per institution.

    Invoices credit the vendors payable account (kreditorer) and debit their deductible VAT
    to the input VAT account; payments debit the vendors payable account and credit the bank
    account. The accounts must be postable, active accounts of the institution's own chart.
    A change applies to what is posted afterwards; posted entries keep their accounts.
    """

    institution = models.OneToOneField(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="posting_accounts"
    )
    payables_account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vendors payable account"),
    )
    input_vat_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("input VAT account")
    )
    bank_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("bank account")
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting accounts")
        verbose_name_plural = _("posting accounts")

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.payables_account_id}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in DEFAULT_POSTING_ACCOUNTS:
            if getattr(self, f"{name}_id") is None:
                continue
            account: Account = getattr(self, name)
            if account.institution_id != self.institution_id:
                errors[name] = _("Account %(n)s is not in this institution's chart.") % {
                    "n": account.number
                }
            elif not account.is_postable:
                errors[name] = _("Account %(n)s is a sum account and cannot be posted to.") % {
                    "n": account.number
                }
            elif not account.is_active:
                errors[name] = _("Account %(n)s is closed.") % {"n": account.number}
        if errors:
            raise ValidationError(errors)
