"""The audit log's hash chain (``AuditSeal``), and the database refusing to change it.

PostgreSQL: the append-only trigger also guards the seals, and the owner's SECURITY DEFINER function
``ownpath_audit_partitions_ahead()`` lets the application's role (which may not create tables) have next
months' partitions made; ``manage.py migrate`` grants it (``ownpath.core.dbroles``). SQLite: triggers refuse
UPDATE and DELETE on both tables.
"""

import django.utils.timezone
from django.db import migrations, models

PG_FUNCTIONS = """
CREATE TRIGGER core_auditseal_append_only BEFORE UPDATE OR DELETE ON core_auditseal
FOR EACH ROW EXECUTE FUNCTION ownpath_audit_append_only();

CREATE OR REPLACE FUNCTION ownpath_audit_create_partitions(oldest timestamptz, ahead integer)
RETURNS SETOF text LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
DECLARE
    month date := date_trunc('month', oldest AT TIME ZONE 'UTC')::date;
    last date := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ahead))::date;
    lo timestamptz;
    hi timestamptz;
    name text;
BEGIN
    WHILE month <= last LOOP
        name := 'core_auditevent_' || to_char(month, 'YYYY_MM');
        lo := month::timestamp AT TIME ZONE 'UTC';
        hi := (month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        IF to_regclass(name) IS NULL THEN
            IF EXISTS (SELECT 1 FROM core_auditevent_default WHERE at >= lo AND at < hi) THEN
                RAISE WARNING 'audit events of % are in the default partition; its partition is not made', name;
            ELSE
                EXECUTE format('CREATE TABLE %I PARTITION OF core_auditevent FOR VALUES FROM (%L) TO (%L)',
                               name, lo, hi);
                RETURN NEXT name;
            END IF;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION ownpath_audit_create_partitions(timestamptz, integer) FROM PUBLIC;

CREATE OR REPLACE FUNCTION ownpath_audit_partitions_ahead() RETURNS SETOF text
LANGUAGE sql SECURITY DEFINER SET search_path = {schema}, pg_temp
AS $$ SELECT ownpath_audit_create_partitions(now(), 3) $$;
REVOKE ALL ON FUNCTION ownpath_audit_partitions_ahead() FROM PUBLIC;
"""
PG_DROP = """
DROP FUNCTION IF EXISTS ownpath_audit_partitions_ahead();
DROP FUNCTION IF EXISTS ownpath_audit_create_partitions(timestamptz, integer);
DROP TRIGGER IF EXISTS core_auditseal_append_only ON core_auditseal;
"""
SQLITE_TABLES = ("core_auditevent", "core_auditseal")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT quote_ident(current_schema())")
            schema = cursor.fetchone()[0]
        schema_editor.execute(PG_FUNCTIONS.replace("{schema}", schema), params=None)
    elif vendor == "sqlite":
        for table in SQLITE_TABLES:
            for event in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
                )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for table in SQLITE_TABLES:
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")


class Migration(migrations.Migration):
    dependencies = [("core", "0013_calendarfeed_personmessage")]

    operations = [
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("position", models.BigIntegerField(primary_key=True, serialize=False)),
                ("event_id", models.BigIntegerField(unique=True)),
                ("event_at", models.DateTimeField()),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"ordering": ["position"]},
        ),
        migrations.RunPython(forwards, backwards),
    ]
