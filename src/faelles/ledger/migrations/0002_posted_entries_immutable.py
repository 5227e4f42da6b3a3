"""On PostgreSQL, a trigger refuses any UPDATE or DELETE of a posted entry or its lines.

The application never changes posted rows; this catches everything else that connects to the
database. On SQLite the model guard and the service refusal stand alone.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ledger_refuse_posted_change() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'ledger_journalentry' THEN
        IF OLD.state = 'posted' THEN
            RAISE EXCEPTION 'journal entry % is posted and cannot change', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM ledger_journalentry e WHERE e.id = OLD.entry_id AND e.state = 'posted'
    ) THEN
        RAISE EXCEPTION 'lines of posted journal entry % cannot change', OLD.entry_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_journalentry_posted_immutable
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_posted_change();
CREATE TRIGGER ledger_journalline_posted_immutable
    BEFORE UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_posted_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ledger_journalline_posted_immutable ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalentry_posted_immutable ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_refuse_posted_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
