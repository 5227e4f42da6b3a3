"""The evidence of hits side by side: one plain dict per object a finding names, read in a few
queries for all findings of a run (never one query per hit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from faelles.payables.models import Invoice, PaymentRun, Vendor, VendorPaymentDetails
from faelles.tenancy.models import Institution, User


def _chunks(ids: list[int], size: int = 5000) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def sides_for(findings: Iterable[Any]) -> dict[tuple[str, int], dict[str, Any]]:
    wanted: dict[str, set[int]] = defaultdict(set)
    extra: dict[tuple[str, int], dict[str, Any]] = {}
    vendor_address: dict[int, str] = {}
    for f in findings:
        for o in f.objects:
            wanted[o["type"]].add(int(o["id"]))
            if o["type"] == "vendor" and "vendor_address" in f.facts:
                vendor_address[int(o["id"])] = f.facts["vendor_address"]
        for key, value in f.facts.get("people", {}).items():
            extra[("employee", int(key))] = value
    names = dict(Institution.objects.values_list("pk", "short_name"))
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for chunk in _chunks(sorted(wanted.get("invoice", ()))):
        rows = Invoice.objects.filter(pk__in=chunk).values(
            "pk",
            "institution_id",
            "vendor__name",
            "vendor__cvr",
            "number",
            "issue_date",
            "payable_amount",
            "currency",
            "state",
            "document__channel",
            "payment_run_id",
            "payment_run__execution_date",
            "received_at",
            "approved_by__username",
        )
        for r in rows:
            out[("invoice", r["pk"])] = {
                "type": "invoice",
                "id": r["pk"],
                "institution": r["institution_id"],
                "institution_name": names.get(r["institution_id"], ""),
                "vendor": r["vendor__name"],
                "cvr": r["vendor__cvr"],
                "number": r["number"],
                "issue_date": str(r["issue_date"]),
                "amount": str(r["payable_amount"]),
                "currency": r["currency"],
                "state": r["state"],
                "channel": r["document__channel"],
                "payment_run": r["payment_run_id"],
                "paid_on": str(r["payment_run__execution_date"] or ""),
                "received": r["received_at"].date().isoformat() if r["received_at"] else "",
                "approved_by": r["approved_by__username"] or "",
            }
    vendor_ids = sorted(wanted.get("vendor", ()))
    accounts: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(vendor_ids):
        for vendor, key in VendorPaymentDetails.objects.filter(vendor_id__in=chunk).values_list(
            "vendor_id", "key"
        ):
            if key not in accounts[vendor]:
                accounts[vendor].append(key)
        for v in Vendor.objects.filter(pk__in=chunk).values(
            "pk", "institution_id", "name", "cvr", "gln"
        ):
            out[("vendor", v["pk"])] = {
                "type": "vendor",
                "id": v["pk"],
                "institution": v["institution_id"],
                "institution_name": names.get(v["institution_id"], ""),
                "name": v["name"],
                "cvr": v["cvr"],
                "gln": v["gln"],
                "accounts": accounts.get(v["pk"], []),
            }
            if v["pk"] in vendor_address:
                out[("vendor", v["pk"])]["address"] = vendor_address[v["pk"]]
    for chunk in _chunks(sorted(wanted.get("user", ()))):
        for u in User.objects.filter(pk__in=chunk).values(
            "pk", "username", "first_name", "last_name"
        ):
            full = f"{u['first_name']} {u['last_name']}".strip()
            out[("user", u["pk"])] = {
                "type": "user",
                "id": u["pk"],
                "name": full or u["username"],
                "username": u["username"],
            }
    for chunk in _chunks(sorted(wanted.get("payment_run", ()))):
        for pr in PaymentRun.objects.filter(pk__in=chunk).values(
            "pk",
            "institution_id",
            "execution_date",
            "total",
            "state",
            "created_by__username",
            "released_by__username",
        ):
            out[("payment_run", pr["pk"])] = {
                "type": "payment_run",
                "id": pr["pk"],
                "institution": pr["institution_id"],
                "institution_name": names.get(pr["institution_id"], ""),
                "execution_date": str(pr["execution_date"]),
                "amount": str(pr["total"]),
                "state": pr["state"],
                "created_by": pr["created_by__username"] or "",
                "released_by": pr["released_by__username"] or "",
            }
    for key, value in extra.items():
        out[key] = {"type": "employee", "id": key[1], **value}
    return out
