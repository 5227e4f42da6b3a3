"""Migrations that would lock or rewrite a big table on PostgreSQL are flagged for review.

Every migration of our apps is walked (Django's ``MigrationLoader``, with the project state
before each operation) and each operation on a table expected to grow past 100,000 rows
(:data:`BIG_TABLES`) is judged as PostgreSQL 15 runs it:

* rewrites the table (ACCESS EXCLUSIVE for the whole copy): a column type change (other than
  widening a ``varchar``), a column whose ``db_default`` is an expression;
* scans the table under a lock that blocks writes: ``NOT NULL`` added to a column, a check
  constraint, a foreign key (validated row by row);
* builds an index without ``CONCURRENTLY`` (writes wait for the whole build): ``AddIndex``,
  a unique constraint, ``unique``/``db_index``/a foreign key on a new or altered column;
* ``RunPython``/``RunSQL``: what they touch is not known, so they are always listed.

Adding a nullable column, a column with a constant default (PostgreSQL 11+ stores it in the
catalogue; Django passes even a callable default as one constant), dropping an index or a
column, and operations on a table created in the same migration (still empty) are not flagged.

The test fails on a flagged operation that is not in :data:`ACKNOWLEDGED` — each entry there
says why it is acceptable — so a migration that would stop intake or posting for minutes on a
production database is seen in review and rewritten (``AddIndexConcurrently`` in a
non-atomic migration, a ``NOT VALID`` constraint validated separately, a column added
nullable and back-filled in batches) or acknowledged with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import connections, migrations, models
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

OUR_APPS = ("core", "tenancy", "web", "ledger", "payables", "servicedesk")

#: Tables expected to exceed 100,000 rows in production (app label, model name).
BIG_TABLES = frozenset(
    {
        ("core", "auditevent"),
        ("core", "personaldataaccess"),
        ("core", "outgoingmail"),
        ("ledger", "journalentry"),
        ("ledger", "journalline"),
        ("ledger", "balance"),
        ("payables", "receiveddocument"),
        ("payables", "invoice"),
        ("payables", "invoiceline"),
        ("payables", "invoiceallocation"),
        ("servicedesk", "ticket"),
        ("servicedesk", "ticketevent"),
        ("servicedesk", "message"),
        ("servicedesk", "attachment"),
        ("servicedesk", "inboundmail"),
    }
)

_FIRST_RELEASE = (
    "part of the schema before the first production release: the table was empty when it ran"
)

#: Flagged operations accepted after review, with the reason.
ACKNOWLEDGED: dict[str, str] = {
    "core.0002_initial: AddField core.auditevent.institution": _FIRST_RELEASE,
    "core.0002_initial: AddField core.auditevent.actor": _FIRST_RELEASE,
    "core.0002_initial: AddField core.auditevent.on_behalf_of": _FIRST_RELEASE,
    "core.0002_initial: AddField core.personaldataaccess.actor": _FIRST_RELEASE,
    "core.0002_initial: AddField core.personaldataaccess.institution": _FIRST_RELEASE,
    "core.0002_initial: AddIndex core.auditevent": _FIRST_RELEASE,
    "core.0002_initial: AddConstraint core.auditevent": _FIRST_RELEASE,
    "ledger.0005_posting_accounts_defaults: RunPython": (
        "reads the three common accounts of each institution (an indexed lookup of at most three "
        "rows per institution) and inserts one small row per institution; touches no big table"
    ),
    "ledger.0002_posted_entries_immutable: RunPython": (
        "creates the immutability triggers: CREATE TRIGGER takes a brief SHARE ROW EXCLUSIVE "
        "lock and reads no rows"
    ),
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.approved_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.coded_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.paid_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.posted_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.journal_entry": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.scheduled_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.rejected_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.attested_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.first_approved_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.assigned_to": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.payment_changed_by": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.requester": _FIRST_RELEASE,
    "payables.0002_invoice_approved_at_invoice_approved_by_and_more: "
    "AddField payables.invoice.routing_rule": _FIRST_RELEASE,
    "payables.0006_paymentrun_invoice_payment_run: AddField payables.invoice.payment_run": (
        _FIRST_RELEASE
    ),
}


@dataclass(frozen=True)
class Finding:
    key: str  # "<app>.<migration>: <Operation> <app>.<model>[.<field>]"
    why: str

    def __str__(self) -> str:
        return f"{self.key} — {self.why}"


def _pg() -> DatabaseWrapper:
    """A PostgreSQL backend that is never connected: only its column types are used."""
    settings = {**connections["default"].settings_dict}
    settings["ENGINE"] = "django.db.backends.postgresql"
    return DatabaseWrapper(settings, "migration-lint")


def _widened_varchar(old: str, new: str) -> bool:
    if old.startswith("varchar(") and new.startswith("varchar("):
        return int(new[8:-1]) >= int(old[8:-1])
    return old.startswith("varchar(") and new in ("text", "varchar")


def _indexed(field: models.Field) -> bool:
    return bool(field.unique or field.db_index) and not field.primary_key


def _foreign_key(field: models.Field) -> bool:
    return bool(field.remote_field is not None and not field.many_to_many and field.db_constraint)


def _add_field_reasons(field: models.Field) -> list[str]:
    if field.many_to_many:
        return []
    reasons = []
    db_default = getattr(field, "db_default", models.NOT_PROVIDED)
    if db_default is not models.NOT_PROVIDED and hasattr(db_default, "resolve_expression"):
        reasons.append("a db_default expression rewrites every row")
    if _foreign_key(field):
        reasons.append("a foreign key is validated over every row while writes wait")
    if _indexed(field):
        reasons.append("builds an index without CONCURRENTLY (writes wait for the build)")
    return reasons


def _target(field: models.Field) -> str:
    if field.remote_field is None:
        return ""
    model = field.remote_field.model
    return (model if isinstance(model, str) else model._meta.label).lower()


def _alter_field_reasons(old: models.Field, new: models.Field, pg: DatabaseWrapper) -> list[str]:
    reasons = []
    if old.is_relation or new.is_relation:
        # A key column has the type of its target's key: the same target, the same type.
        if _target(old) != _target(new):
            reasons.append("points the key column elsewhere: may rewrite the table")
    else:
        old_type, new_type = old.db_type(pg), new.db_type(pg)
        if old_type != new_type and not _widened_varchar(str(old_type), str(new_type)):
            reasons.append(f"changes the column type {old_type} → {new_type}: rewrites the table")
    if old.null and not new.null:
        reasons.append("adds NOT NULL: scans every row under an exclusive lock")
    if _indexed(new) and not _indexed(old):
        reasons.append("builds an index without CONCURRENTLY (writes wait for the build)")
    if _foreign_key(new) and not _foreign_key(old):
        reasons.append("a foreign key is validated over every row while writes wait")
    return reasons


def _operation_findings(
    op: migrations.operations.base.Operation,
    app: str,
    state: ProjectState,
    created_here: set[tuple[str, str]],
    pg: DatabaseWrapper,
) -> list[tuple[str, str]]:
    """(what, why) pairs for one operation, judged against ``state`` (before it)."""
    if isinstance(op, migrations.SeparateDatabaseAndState):
        found = []
        inner = state.clone()
        for sub in op.database_operations:
            found += _operation_findings(sub, app, inner, created_here, pg)
            sub.state_forwards(app, inner)
        return found
    if isinstance(op, (migrations.RunPython, migrations.RunSQL)):
        return [(type(op).__name__, "runs code whose tables and locks review must judge")]
    model = getattr(op, "model_name", None) or getattr(op, "name", None)
    if not isinstance(model, str):
        return []
    key = (app, model.lower())
    if key not in BIG_TABLES or key in created_here:
        return []
    what = f"{type(op).__name__} {app}.{model.lower()}"
    reasons: list[str] = []
    if isinstance(op, (AddIndexConcurrently, RemoveIndexConcurrently)):
        return []
    if isinstance(op, migrations.AddField):
        what += f".{op.name}"
        reasons = _add_field_reasons(op.field)
    elif isinstance(op, migrations.AlterField):
        what += f".{op.name}"
        old = state.models[key].get_field(op.name)
        reasons = _alter_field_reasons(old, op.field, pg)
    elif isinstance(op, migrations.AddIndex):
        reasons = ["builds an index without CONCURRENTLY (use AddIndexConcurrently)"]
    elif isinstance(op, migrations.AddConstraint):
        if isinstance(op.constraint, models.UniqueConstraint):
            reasons = ["a unique constraint builds its index without CONCURRENTLY"]
        else:
            reasons = ["a check constraint is validated over every row while writes wait"]
    elif isinstance(op, (migrations.AlterUniqueTogether, migrations.AlterIndexTogether)):
        reasons = ["builds indexes without CONCURRENTLY"]
    return [(what, "; ".join(reasons))] if reasons else []


def migration_findings(
    graph_nodes: list[tuple[str, str]] | None = None, loader: MigrationLoader | None = None
) -> list[Finding]:
    """Every flagged operation of our apps' migrations, in dependency order."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    pg = _pg()
    nodes = graph_nodes or [n for n in loader.graph.leaf_nodes() if n[0] in OUR_APPS]
    plan: list[tuple[str, str]] = []
    for leaf in nodes:
        for node in loader.graph.forwards_plan(leaf):
            if node[0] in OUR_APPS and node not in plan:
                plan.append(node)
    findings = []
    for node in plan:
        migration = loader.graph.nodes[node]
        state = loader.project_state(node, at_end=False)
        created_here: set[tuple[str, str]] = set()
        for op in migration.operations:
            if isinstance(op, migrations.CreateModel):
                created_here.add((migration.app_label, op.name.lower()))
            for what, why in _operation_findings(op, migration.app_label, state, created_here, pg):
                findings.append(Finding(f"{node[0]}.{node[1]}: {what}", why))
            op.state_forwards(migration.app_label, state)
    return findings


def test_no_new_migration_locks_or_rewrites_a_big_table():
    findings = migration_findings()
    new = [str(f) for f in findings if f.key not in ACKNOWLEDGED]
    assert new == [], (
        "These migrations lock or rewrite a table expected to exceed 100,000 rows. Rewrite "
        "them (AddIndexConcurrently in a non-atomic migration, NOT VALID then VALIDATE, a "
        "nullable column back-filled in batches) or add them to ACKNOWLEDGED with the "
        "reason:\n" + "\n".join(new)
    )


def test_every_acknowledged_migration_is_still_flagged():
    flagged = {f.key for f in migration_findings()}
    assert sorted(set(ACKNOWLEDGED) - flagged) == []


# --- the judge itself, on operations made up for the purpose --------------------------------------


class _FakeLoader:
    """Just enough of a MigrationLoader for one made-up migration after the real ones."""

    def __init__(self, migration: migrations.Migration) -> None:
        self.real = MigrationLoader(None, ignore_no_migrations=True)
        self.migration = migration
        self.node = (migration.app_label, migration.name)
        self.graph = self

    def forwards_plan(self, node):
        return [self.node]

    @property
    def nodes(self):
        return {self.node: self.migration}

    def project_state(self, node, at_end=False):
        return self.real.project_state(
            [n for n in self.real.graph.leaf_nodes() if n[0] in OUR_APPS]
        )


def _judge(*operations: migrations.operations.base.Operation) -> list[str]:
    migration = migrations.Migration("9999_review", "payables")
    migration.operations = list(operations)
    fake = _FakeLoader(migration)
    return [str(f) for f in migration_findings([fake.node], fake)]  # type: ignore[arg-type]


def test_the_judge_flags_what_locks_a_big_table_and_passes_what_does_not():
    flagged = _judge(
        migrations.AddIndex(
            "invoice", models.Index(fields=["due_date"], name="invoice_due_review")
        ),
        migrations.AlterField(
            "invoiceline", "description", models.CharField(max_length=10, blank=True)
        ),
        migrations.AddField(
            "invoice",
            "review_ref",
            models.ForeignKey("payables.vendor", null=True, on_delete=models.PROTECT),
        ),
        migrations.AddConstraint(
            "invoice", models.CheckConstraint(condition=models.Q(pk__gt=0), name="review_pk")
        ),
        migrations.RunPython(migrations.RunPython.noop),
        # Not flagged: nullable column, constant default, widened varchar, small table,
        # and an index built concurrently.
        migrations.AddField("invoice", "review_note", models.TextField(null=True)),
        migrations.AddField("invoice", "review_flag", models.BooleanField(default=False)),
        migrations.AlterField(
            "invoiceline", "description", models.CharField(max_length=900, blank=True)
        ),
        migrations.AddIndex("vendor", models.Index(fields=["name"], name="vendor_review")),
        AddIndexConcurrently(
            "invoice", models.Index(fields=["issue_date"], name="invoice_issue_review")
        ),
    )
    assert flagged == [
        "payables.9999_review: AddIndex payables.invoice — builds an index without "
        "CONCURRENTLY (use AddIndexConcurrently)",
        "payables.9999_review: AlterField payables.invoiceline.description — changes the "
        "column type varchar(500) → varchar(10): rewrites the table",
        "payables.9999_review: AddField payables.invoice.review_ref — a foreign key is "
        "validated over every row while writes wait; builds an index without CONCURRENTLY "
        "(writes wait for the build)",
        "payables.9999_review: AddConstraint payables.invoice — a check constraint is "
        "validated over every row while writes wait",
        "payables.9999_review: RunPython — runs code whose tables and locks review must judge",
    ]
