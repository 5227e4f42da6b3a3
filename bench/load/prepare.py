"""The data set of the load test (``make load``): one institution with ``--invoices`` invoices.

    .venv/bin/python bench/load/prepare.py --out var/load/world.json [--invoices 60000]

Runs on ``$DATABASE_URL`` (PostgreSQL; the load test's own database) with the ``SECRET_KEY``
the server will run with (the sessions written here are signed with it). When the database
already holds the load institution with at least ``--invoices`` invoices, only the
credentials and the document templates are written again (a second ``make load`` starts at
once).

The institution is the benchmark institution of ``bench/payables_world.py`` ("Loadstyrelsen",
short name ``LOAD``). Its invoices are received in batches through ``documents_receive`` (the
import path), then, of the first ``--attested`` + ``--posted``, ``--attested`` are left
attested (the approver's inbox) and ``--posted`` are approved and posted (journal entries and
balances behind the trial balance); the rest wait for the requester, coded. Then ``ANALYZE``
(the development server runs without autovacuum).

Written to ``--out``: the institution's id, an API token and a session cookie of the approver,
the bookkeeper and the invoice receiver, 1,000 invoice ids to open, and a document template
per vendor whose invoice number the load test replaces to make each document new.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import payables_world  # noqa: E402  (bench/ on sys.path)

SHORT_NAME = "LOAD"
#: The invoice number in the document templates, replaced by the load test.
NUMBER_MARK = "L-9999999"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _session(user, institution_id: int) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from faelles.tenancy.middleware import SESSION_KEY as INSTITUTION_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[INSTITUTION_KEY] = institution_id
    store.set_expiry(7 * 24 * 3600)
    store.save()
    return str(store.session_key)


def _build(invoices: int, attested: int, posted: int, batch: int) -> None:
    from django.db import connection

    from faelles.payables import services
    from faelles.payables.models import Invoice
    from faelles.payables.reading import worker_reader
    from faelles.tenancy.models import Role

    inst, people, document = payables_world.build("Loadstyrelsen", SHORT_NAME)
    started = time.perf_counter()
    with worker_reader(1) as reader:
        sources = ((document(n), f"{n}.xml") for n in range(invoices))
        received = services.documents_receive(
            sources=sources, channel="import", batch_size=batch, reader=reader
        )
        for done, _intake in enumerate(received, start=1):
            if done % 10000 == 0:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                print(f"prepare: {done} received ({time.perf_counter() - started:.0f} s)")
    ids = list(
        Invoice.objects.for_institution(inst)
        .order_by("pk")
        .values_list("pk", flat=True)[: attested + posted]
    )
    for start in range(0, len(ids), batch):
        chunk = list(Invoice.objects.filter(pk__in=ids[start : start + batch]).only("institution"))
        services.invoices_attest_batch(actor=people[Role.REQUESTER], invoices=chunk)
    to_post = ids[attested:]
    for start in range(0, len(to_post), batch):
        chunk = list(
            Invoice.objects.filter(pk__in=to_post[start : start + batch]).only("institution")
        )
        services.invoices_approve_batch(actor=people[Role.APPROVER], invoices=chunk)
    print(f"prepare: {invoices} invoices in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--invoices", type=int, default=60000)
    parser.add_argument("--attested", type=int, default=2000)
    parser.add_argument("--posted", type=int, default=8000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("prepare: DATABASE_URL must name a PostgreSQL database")
    _setup()
    from django.db import connection
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from faelles.payables import demo
    from faelles.payables.models import Invoice
    from faelles.tenancy.models import Institution, Membership, Role

    inst = Institution.objects.filter(short_name=SHORT_NAME).first()
    count = Invoice.objects.filter(institution=inst).count() if inst else 0
    if inst is None:
        _build(args.invoices, args.attested, args.posted, args.batch)
        inst = Institution.objects.get(short_name=SHORT_NAME)
        count = Invoice.objects.filter(institution=inst).count()
    elif count < args.invoices:
        sys.exit(
            f"prepare: the database holds {SHORT_NAME} with {count} invoices, fewer than "
            f"{args.invoices}: drop the database to build it again"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    people = {
        m.role: m.user for m in Membership.objects.filter(institution=inst).select_related("user")
    }
    credentials = {}
    for role in (Role.APPROVER, Role.BOOKKEEPER, Role.INVOICE_RECEIVER):
        user = people[role]
        token, _created = Token.objects.get_or_create(user=user)
        credentials[str(role)] = {"token": token.key, "session": _session(user, inst.pk)}
    ids = list(
        Invoice.objects.filter(institution=inst).order_by("?").values_list("pk", flat=True)[:1000]
    )
    # The same documents as the data set's (vendor n % 5, one or two lines), numbered
    # NUMBER_MARK for the load test to replace.
    templates = [payables_world_document(inst, n) for n in range(len(demo.VENDORS) * 2)]
    world = {
        "institution": inst.pk,
        "invoices": count,
        "states": dict(
            Invoice.objects.filter(institution=inst)
            .values_list("state")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "credentials": credentials,
        "invoice_ids": ids,
        "number_mark": NUMBER_MARK,
        "templates": templates,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(world))
    print(f"prepare: {SHORT_NAME} holds {count} invoices {world['states']}; wrote {out}")


def payables_world_document(inst, n: int) -> str:
    """Document ``n`` of the data set's kind, numbered :data:`NUMBER_MARK`."""
    from datetime import date
    from decimal import Decimal

    from faelles.payables import demo

    vendor = demo.VENDORS[n % len(demo.VENDORS)]
    items = vendor[3][: 1 + n % 2]
    return demo._document(
        number=NUMBER_MARK,
        issue=date(2026, 3, 15),
        buyer_gln=payables_world.GLN,
        buyer_name=inst.name,
        vendor=vendor,
        lines=[(t, u, Decimal(1 + n % 5), Decimal(p)) for t, u, p in items],
        buyer_reference=SHORT_NAME,
    ).decode()


if __name__ == "__main__":
    main()
