"""On PostgreSQL monitoring's facts become a table partitioned by month of ``occurred_on``.

Facts only grow (one row per countable thing that happened, ten million in the national benchmark) and are
read by period: monthly partitions keep each index small, let a period's figures read only its months, and
let old months be detached and archived whole. The Django model is unchanged. A partitioned table cannot
hold a unique index without its partition key, so "one fact per ``source``" is kept by ``facts.record``
(a transaction-level advisory lock on the source, then a look-up on the ``source`` index of every
partition) instead of the former unique constraint, which SQLite keeps. Partitions are created for every
month that has facts and three months ahead; core's daily ``core.audit_partitions`` job keeps every
partitioned table three months ahead; a fact outside them lands in the default partition.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE monitoring_fact RENAME TO monitoring_fact_unpartitioned;
CREATE SEQUENCE monitoring_fact_id_seq_monthly;
CREATE TABLE monitoring_fact (
    LIKE monitoring_fact_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (id, occurred_on)
) PARTITION BY RANGE (occurred_on);
ALTER TABLE monitoring_fact ALTER COLUMN id SET DEFAULT nextval('monitoring_fact_id_seq_monthly');
ALTER SEQUENCE monitoring_fact_id_seq_monthly OWNED BY monitoring_fact.id;
SELECT setval('monitoring_fact_id_seq_monthly', COALESCE((SELECT max(id) FROM monitoring_fact_unpartitioned), 0) + 1, false);
CREATE TABLE monitoring_fact_default PARTITION OF monitoring_fact DEFAULT;
"""
COPY = """
INSERT INTO monitoring_fact SELECT * FROM monitoring_fact_unpartitioned;
DROP TABLE monitoring_fact_unpartitioned;
CREATE INDEX fact_kind_month ON monitoring_fact (kind, month);
CREATE INDEX fact_kind_person ON monitoring_fact (kind, person_id);
CREATE INDEX monitoring_fact_source_idx ON monitoring_fact (source);
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from ownpath.core.partitions import ensure_monthly_partitions

    schema_editor.execute(FORWARD)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(occurred_on) FROM monitoring_fact_unpartitioned")
        oldest = cursor.fetchone()[0]
    ensure_monthly_partitions("monitoring_fact", oldest=oldest, connection=schema_editor.connection)
    schema_editor.execute(COPY)


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("monitoring", "0001_initial"), ("core", "0010_audit_partitioned_by_month")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
