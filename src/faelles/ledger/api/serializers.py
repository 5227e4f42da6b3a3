"""Serializers of the ledger API. Amounts are decimal strings, never floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from faelles.ledger.models import Account, JournalEntry, JournalLine, Period


class AccountSerializer(serializers.ModelSerializer[Account]):
    class Meta:
        model = Account
        fields = [
            "id",
            "institution",
            "number",
            "name",
            "type",
            "account_class",
            "is_common",
            "is_postable",
            "is_active",
            "requires_org_unit",
            "requires_purpose",
        ]
        read_only_fields = fields


class PeriodSerializer(serializers.ModelSerializer[Period]):
    year = serializers.IntegerField(source="fiscal_year.year", read_only=True)

    class Meta:
        model = Period
        fields = ["id", "institution", "year", "number", "start", "end", "state"]
        read_only_fields = fields


class LineSerializer(serializers.ModelSerializer[JournalLine]):
    account = serializers.CharField(source="account.number")
    org_unit = serializers.CharField(source="org_unit.code", allow_null=True, default=None)
    purpose = serializers.CharField(source="purpose.code", allow_null=True, default=None)

    class Meta:
        model = JournalLine
        fields = ["line_no", "account", "org_unit", "purpose", "debit", "credit", "text"]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer[JournalEntry]):
    year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "institution",
            "year",
            "number",
            "state",
            "kind",
            "date",
            "description",
            "voucher_ref",
            "source_type",
            "source_id",
            "reversal_of",
            "created_by",
            "posted_by",
            "posted_at",
            "hash",
            "lines",
        ]
        read_only_fields = fields


class LineInputSerializer(serializers.Serializer[Any]):
    account = serializers.CharField(max_length=12)
    org_unit = serializers.CharField(max_length=20, required=False, allow_null=True)
    purpose = serializers.CharField(max_length=20, required=False, allow_null=True)
    debit = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal(0), default=Decimal(0)
    )
    credit = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal(0), default=Decimal(0)
    )
    text = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ManualEntryInputSerializer(serializers.Serializer[Any]):
    institution = serializers.IntegerField()
    date = serializers.DateField()
    description = serializers.CharField(max_length=300)
    voucher_ref = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    lines = serializers.ListField(child=LineInputSerializer(), min_length=2, max_length=500)


class TrialBalanceRowSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    name = serializers.CharField()
    account_class = serializers.CharField()
    debit = serializers.DecimalField(max_digits=20, decimal_places=2)
    credit = serializers.DecimalField(max_digits=20, decimal_places=2)
    balance = serializers.DecimalField(max_digits=20, decimal_places=2)


class TrialBalanceSerializer(serializers.Serializer[Any]):
    institution = serializers.IntegerField(source="institution.pk")
    year = serializers.IntegerField()
    period_from = serializers.IntegerField()
    period_to = serializers.IntegerField()
    total_debit = serializers.DecimalField(max_digits=20, decimal_places=2)
    total_credit = serializers.DecimalField(max_digits=20, decimal_places=2)
    balanced = serializers.BooleanField()
    rows = TrialBalanceRowSerializer(many=True)


class PostingAccountsSerializer(serializers.Serializer[Any]):
    """An institution's posting accounts by number (input and output)."""

    institution = serializers.IntegerField(source="institution_id", read_only=True)
    payables_account = serializers.CharField(max_length=12)
    input_vat_account = serializers.CharField(max_length=12)
    bank_account = serializers.CharField(max_length=12)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "institution": instance.institution_id,
            "payables_account": instance.payables_account.number,
            "input_vat_account": instance.input_vat_account.number,
            "bank_account": instance.bank_account.number,
        }
