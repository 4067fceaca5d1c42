"""PostgreSQL roles: the schema's owner runs migrations, the application's role may only add to and read the
audit log (docs/audit.md).

``manage.py migrate`` and ``createcachetable`` connect as ``OWNPATH_OWNER_DATABASE_URL``'s role when it is set
(``owner_connection``), and afterwards grant ``DATABASE_URL``'s role what the application needs
(``grant_application_role``): read and write on ordinary tables, only SELECT and INSERT on the audit log and
its seals, nothing on the audit log's partitions, no CREATE in the schema. The application's role owns
nothing, so it cannot TRUNCATE, ALTER (disable a trigger) or DROP the audit tables; it creates next months'
partitions through ``ownpath_audit_partitions_ahead()``, a SECURITY DEFINER function of the owner.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

AUDIT_TABLES = ("core_auditevent", "core_auditseal")
APPLICATION_FUNCTIONS = ("ownpath_audit_partitions_ahead()",)
# The owner's URL gives the role and where to reach the server; the database is always DATABASE_URL's (or the
# test database made from it).
_CONNECTION_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def owner_connection(alias: str = DEFAULT_DB_ALIAS) -> Iterator[str | None]:
    """Within the block ``alias`` connects as the owner role (``OWNPATH_OWNER_DATABASE_URL``); yields the
    application role to grant to afterwards, or None when no owner is configured."""
    url = getattr(settings, "OWNPATH_OWNER_DATABASE_URL", "")
    connection = connections[alias]
    if not url or connection.vendor != "postgresql":
        yield None
        return
    owner = dj_database_url.parse(url)
    if owner["ENGINE"] != connection.settings_dict["ENGINE"]:
        raise ImproperlyConfigured("OWNPATH_OWNER_DATABASE_URL must be a PostgreSQL URL like DATABASE_URL")
    application_role = connection.settings_dict["USER"]
    if owner["USER"] == application_role:
        raise ImproperlyConfigured("OWNPATH_OWNER_DATABASE_URL must use another role than DATABASE_URL")
    saved = {key: connection.settings_dict.get(key) for key in _CONNECTION_KEYS}
    _reconnect(connection, {key: owner.get(key) or saved[key] for key in _CONNECTION_KEYS})
    try:
        yield application_role
    finally:
        _reconnect(connection, saved)


def _reconnect(connection: Any, values: dict[str, Any]) -> None:
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    connection.settings_dict.update(values)


def grant_application_role(role: str, alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Give ``role`` what the application needs and nothing on the audit log beyond SELECT and INSERT.
    Run as the owner after every migration (new tables); returns warnings about the role."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    warnings = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema(), current_user")
        schema, owner = cursor.fetchone()
        if role == owner:
            raise ImproperlyConfigured("the application role must not be the owner of the schema")
        cursor.execute(
            "SELECT c.relname, c.relkind, c.relispartition FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S') ORDER BY c.relname"
        )
        relations = cursor.fetchall()
        statements = [f"GRANT USAGE ON SCHEMA {quote(schema)} TO {quote(role)}"]
        for name, kind, is_partition in relations:
            if kind == "S":
                statements.append(f"GRANT USAGE, SELECT ON SEQUENCE {quote(name)} TO {quote(role)}")
                continue
            statements.append(f"REVOKE ALL ON TABLE {quote(name)} FROM {quote(role)}")
            if is_partition:
                continue  # reached through its parent only, which checks the privileges
            if name in AUDIT_TABLES:
                privileges = "SELECT, INSERT"
            elif name == "django_migrations":
                privileges = "SELECT"
            else:
                privileges = "SELECT, INSERT, UPDATE, DELETE"
            statements.append(f"GRANT {privileges} ON TABLE {quote(name)} TO {quote(role)}")
        statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {quote(role)}" for f in APPLICATION_FUNCTIONS]
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(
            "SELECT has_schema_privilege(%s, current_schema(), 'CREATE'), rolsuper, rolbypassrls "
            "FROM pg_roles WHERE rolname = %s",
            [role, role],
        )
        can_create, superuser, bypass = cursor.fetchone()
    if superuser:
        warnings.append(f"the application role {role} is a superuser: it can do anything, audit log included")
    if can_create:
        warnings.append(
            f"the application role {role} may create tables in schema {schema}: "
            f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {role}"
        )
    if bypass:
        warnings.append(f"the application role {role} bypasses row security")
    return warnings


# -- SQLite: no roles, only triggers (migration core.0013 makes them) --------------------------------------
SQLITE_AUDIT_TRIGGERS = {
    f"{table}_no_{event.lower()}": (
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    for table in AUDIT_TABLES
    for event in ("UPDATE", "DELETE")
}


@contextmanager
def sqlite_audit_triggers_lifted(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """For ``manage.py flush`` only, which empties every table (on PostgreSQL it TRUNCATEs, which row
    triggers do not see, as the owner): on SQLite the triggers are dropped for its duration and put back."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = [name for (name,) in cursor.fetchall() if name in SQLITE_AUDIT_TRIGGERS]
        for name in present:
            cursor.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name in present:
                cursor.execute(SQLITE_AUDIT_TRIGGERS[name])
