"""PostgreSQL: the application's own role cannot rewrite the audit log (a real second role, granted by
``manage.py migrate`` run as the owner), and a backup restores into a fresh database whose encrypted notes
read back with the keys and not without them."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from ownpath.core.choices import AuditAction, Channel, SensitiveGroup
from ownpath.core.dbroles import _reconnect
from ownpath.core.models import AuditEvent, PersonNote
from ownpath.core.services import audit
from ownpath.core.tasks import audit_partitions
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("roles and pg_dump are PostgreSQL's")


@contextmanager
def connected_as(user: str, password: str) -> Iterator[None]:
    saved = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    _reconnect(connection, {"USER": user, "PASSWORD": password})
    try:
        yield
    finally:
        _reconnect(connection, saved)


@pytest.fixture
def application_role(postgres: None) -> Iterator[tuple[str, str]]:
    """A login role for the application, made here and dropped afterwards; migrate, run as the owner (the
    test database's role), grants it what the application needs."""
    owner = connection.settings_dict
    role, password = f"{owner['NAME']}_app"[:63], secrets.token_hex(16)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')
        cursor.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
        cursor.execute(f'GRANT "{role}" TO CURRENT_USER')  # so that the owner may drop what it was granted
    owner_url = (
        f"postgres://{owner['USER']}:{owner['PASSWORD']}@{owner['HOST'] or 'localhost'}:{owner['PORT'] or 5432}/x"
    )
    try:
        with connected_as(role, password), override_settings(OWNPATH_OWNER_DATABASE_URL=owner_url):
            call_command("migrate", verbosity=0)  # nothing to apply; connects as the owner and grants
        yield role, password
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


def _refused(sql: str, params: list[Any] | None = None) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    return str(error.value)


def test_the_application_role_may_add_to_the_audit_log_but_never_change_it(
    application_role: tuple[str, str],
) -> None:
    furthest = audit_partitions_in_place()[-1]
    with connection.cursor() as cursor:  # as the owner: a month ahead not made yet
        cursor.execute(f"DROP TABLE {furthest}")
    with connected_as(*application_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == application_role[0]
        # What the application does works: record, seal, verify, next months' partitions, ordinary tables.
        event = audit.record(None, AuditAction.READ, channel=Channel.UI, person_id=1, fields=["name"])
        assert audit.seal() == 1 and audit.verify().ok
        assert audit_partitions.call() == [furthest]
        OrganisationFactory(name="Written by the application")
        partition = audit_partitions_in_place()[0]
        refusals = [
            _refused("UPDATE core_auditevent SET purpose = 'x' WHERE id = %s", [event.pk]),
            _refused("DELETE FROM core_auditevent WHERE id = %s", [event.pk]),
            _refused("TRUNCATE core_auditevent"),
            _refused(f"UPDATE {partition} SET purpose = 'x'"),  # noqa: S608  (a partition's name, from pg_class)
            _refused(f"DELETE FROM {partition}"),  # noqa: S608
            _refused(f"TRUNCATE {partition}"),
            _refused("TRUNCATE core_auditevent_default"),
            _refused("UPDATE core_auditseal SET hash = 'x'"),
            _refused("DELETE FROM core_auditseal"),
            _refused("TRUNCATE core_auditseal"),
            _refused("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only"),
            _refused("ALTER TABLE core_auditevent DISABLE TRIGGER ALL"),
            _refused("DROP TRIGGER core_auditevent_append_only ON core_auditevent"),
            _refused(f"ALTER TABLE {partition} DISABLE TRIGGER ALL"),
            _refused("ALTER TABLE core_auditevent DETACH PARTITION core_auditevent_default"),
            _refused("DROP TABLE core_auditseal"),
            _refused("SET session_replication_role = replica"),
            _refused(
                "CREATE TABLE core_auditevent_2199_01 PARTITION OF core_auditevent "
                "FOR VALUES FROM ('2199-01-01') TO ('2199-02-01')"
            ),
            _refused("SELECT ownpath_audit_create_partitions('0001-01-01', 1)"),
            _refused(
                "CREATE OR REPLACE FUNCTION ownpath_audit_append_only() RETURNS trigger AS "
                "$$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
        ]
        assert all("permission denied" in r or "must be owner" in r for r in refusals), refusals
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    assert AuditEvent.objects.filter(pk=event.pk, purpose="").exists()
    assert audit.verify().ok


def audit_partitions_in_place() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'core_auditevent'::regclass AND c.relname <> 'core_auditevent_default' "
            "ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_backup_restores_into_a_fresh_database_and_its_notes_need_the_keys(postgres: None, tmp_path: Path) -> None:
    from ownpath.core.models import Person

    centre = OrganisationFactory(name="Centre")
    person = Person.objects.create(organisation=centre, given_name="Olena", family_name="Backup")
    secret = "Psychological note: only with the keys"
    note = PersonNote.objects.create(
        person=person, organisation=centre, group=SensitiveGroup.PSYCHOLOGICAL, body=secret
    )
    audit.record(None, AuditAction.CREATE, channel=Channel.UI, person=person, obj=note)
    dump = tmp_path / "ownpath.dump"
    call_command("backup", output=str(dump))  # seals nothing: the chain is verified on the copy below
    assert dump.stat().st_size > 0 and dump.stat().st_mode & 0o077 == 0
    assert secret.encode() not in dump.read_bytes()

    default = dict(connection.settings_dict)
    fresh = f"{default['NAME']}_restored"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    env = {"PGPASSWORD": default["PASSWORD"], "PATH": "/usr/bin:/bin"}
    subprocess.run(  # noqa: S603  (the documented restore, docs/backups.md)
        [shutil.which("pg_restore") or "pg_restore", "--exit-on-error", "--no-owner", f"--host={default['HOST'] or 'localhost'}",
         f"--port={default['PORT'] or 5432}", f"--username={default['USER']}", f"--dbname={fresh}", str(dump)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    sealed_here = audit.seal()  # after the backup: the copy's events are not sealed yet
    _reconnect(connection, {"NAME": fresh})  # the application, pointed at the restored database
    try:
        restored = PersonNote.objects.get(pk=note.pk)
        assert restored.body == secret and restored.person.family_name == "Backup"
        with connection.cursor() as cursor:
            cursor.execute("SELECT body FROM core_personnote WHERE id = %s", [note.pk])
            assert secret not in cursor.fetchone()[0]
        other_keys = [Fernet.generate_key().decode()]
        with override_settings(OWNPATH_ENCRYPTION_KEYS=other_keys), pytest.raises(ImproperlyConfigured, match="cannot"):
            PersonNote.objects.get(pk=note.pk)
        assert AuditEvent.objects.filter(person_id=person.pk, action="create").exists()
        assert audit.seal() == sealed_here and audit.verify().ok
    finally:
        _reconnect(connection, {"NAME": default["NAME"]})
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
