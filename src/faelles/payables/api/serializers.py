"""Serializers of the invoice API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from faelles.payables.models import Invoice, InvoiceAllocation, InvoiceLine


class InvoiceAllocationSerializer(serializers.ModelSerializer[InvoiceAllocation]):
    line = serializers.IntegerField(source="line.line_no", read_only=True)

    class Meta:
        model = InvoiceAllocation
        fields = ["line", "account", "org_unit", "purpose", "vat_code", "amount"]
        read_only_fields = fields


class InvoiceLineSerializer(serializers.ModelSerializer[InvoiceLine]):
    class Meta:
        model = InvoiceLine
        fields = [
            "line_no",
            "line_id",
            "description",
            "quantity",
            "unit",
            "net_amount",
            "vat_category",
            "vat_rate",
            "classification",
        ]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )
    vendor = serializers.CharField(source="vendor.name", read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    allocations = InvoiceAllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "institution",
            "document",
            "vendor",
            "kind",
            "number",
            "issue_date",
            "due_date",
            "currency",
            "net_amount",
            "vat_amount",
            "payable_amount",
            "buyer_reference",
            "order_reference",
            "state",
            "next_role",
            "assigned_to",
            "requester",
            "coded_automatically",
            "duplicate_of",
            "suspected_duplicate_of",
            "payment_blocked",
            "posting_error",
            "journal_entry",
            "rejection_reason",
            "lines",
            "allocations",
        ]
        read_only_fields = fields


class InvoiceAllocationInputSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(min_value=1)
    account = serializers.CharField(max_length=12)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    org_unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    purpose = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    vat_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")


class InvoiceCodingInputSerializer(serializers.Serializer[Any]):
    allocations = InvoiceAllocationInputSerializer(many=True)


class InvoiceRejectInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)
