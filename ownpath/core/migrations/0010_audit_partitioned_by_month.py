"""On PostgreSQL the audit log becomes a table partitioned by month of ``at``.

The log only grows (every read of a person is one row), and is searched by time: monthly partitions keep
each index small, let old months be detached and archived whole (``ALTER TABLE ... DETACH PARTITION``)
instead of deleted row by row, and let a search for a date range read only its months. The Django model is
unchanged. Partitions are created for every month that has rows, and three months ahead; the daily job
``core.audit_partitions`` keeps three months ahead (``ownpath.core.partitions``); a row outside them lands in
the default partition rather than failing. The append-only trigger moves to the partitioned table. Columns
added later (``ALTER TABLE core_auditevent ADD COLUMN ...``) reach every partition.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE core_auditevent RENAME TO core_auditevent_unpartitioned;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent_unpartitioned;
CREATE SEQUENCE core_auditevent_id_seq_monthly;
CREATE TABLE core_auditevent (
    LIKE core_auditevent_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER TABLE core_auditevent ALTER COLUMN id SET DEFAULT nextval('core_auditevent_id_seq_monthly');
ALTER SEQUENCE core_auditevent_id_seq_monthly OWNED BY core_auditevent.id;
SELECT setval('core_auditevent_id_seq_monthly', COALESCE((SELECT max(id) FROM core_auditevent_unpartitioned), 0) + 1, false);
CREATE TABLE core_auditevent_default PARTITION OF core_auditevent DEFAULT;
CREATE INDEX core_auditevent_at_idx ON core_auditevent (at);
CREATE INDEX core_auditevent_actor_idx ON core_auditevent (actor_id);
CREATE INDEX core_auditevent_organisation_idx ON core_auditevent (organisation_id);
CREATE INDEX core_auditevent_person_idx ON core_auditevent (person_id);
"""
COPY = """
INSERT INTO core_auditevent SELECT * FROM core_auditevent_unpartitioned;
DROP TABLE core_auditevent_unpartitioned;
CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
FOR EACH ROW EXECUTE FUNCTION ownpath_audit_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from ownpath.core.partitions import ensure_monthly_partitions

    schema_editor.execute(FORWARD)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(at) FROM core_auditevent_unpartitioned")
        oldest = cursor.fetchone()[0]
    ensure_monthly_partitions("core_auditevent", oldest=oldest, connection=schema_editor.connection)
    schema_editor.execute(COPY)


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("core", "0009_task_queue")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
