"""What the portal's own database role may do, granted by `migrate` (run as the tables' owner).

In production the portal connects as a role that owns nothing (docker/db-init/): it can
read and write rows, but it cannot alter or drop a table, drop a trigger, or truncate
anything, and on an append-only table (one whose model carries a pgtrigger.Protect against
UPDATE and DELETE: the audit log) it can only read and add. So someone who takes over the
web server cannot rewrite the audit trail even by switching the triggers off: only the
owner can, and only `migrate` connects as the owner.

The grants are remade from scratch after every `migrate` (settings.DATABASE_APP_ROLE names
the role; unset, as in development and the test suite, nothing is granted), so a new table
is covered the moment it exists and a table made append-only loses UPDATE at once.
"""

import logging

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

ROWS = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY = "SELECT, INSERT"
READ_ONLY = "SELECT"
# Django's record of applied migrations: only `migrate` (the owner) writes it.
READ_ONLY_TABLES = frozenset({"django_migrations"})


def is_append_only(model) -> bool:
    """A model whose rows the database refuses to change or delete (pgtrigger.Protect)."""
    for trigger in getattr(model._meta, "triggers", ()):
        if isinstance(trigger, pgtrigger.Protect):
            operation = trigger.operation
            if pgtrigger.Update in operation and pgtrigger.Delete in operation:
                return True
    return False


def append_only_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if is_append_only(model)
    }


def table_privileges(table: str, append_only: set[str]) -> str:
    if table in READ_ONLY_TABLES:
        return READ_ONLY
    return APPEND_ONLY if table in append_only else ROWS


def app_role_privileges_grant(role: str, using: str = "default") -> dict[str, str]:
    """Give `role` exactly the row privileges each table needs; returns {table: privileges}."""
    connection = connections[using]
    append_only = append_only_tables()
    granted = {}
    with transaction.atomic(using=using), connection.cursor() as cursor:
        role_sql = connection.ops.quote_name(role)
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        # From nothing, in one transaction: no request ever sees the role without its rights.
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role_sql}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role_sql}")
        for table in tables:
            privileges = table_privileges(table, append_only)
            cursor.execute(
                f"GRANT {privileges} ON TABLE {connection.ops.quote_name(table)} TO {role_sql}"
            )
            granted[table] = privileges
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_sql}")
    return granted


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: every migration has been applied when it runs."""
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if connections[using].vendor != "postgresql":
        return
    if not role:
        if settings.PRODUCTION:
            logger.warning(
                "DATABASE_APP_ROLE is not set: no rights were granted on new tables. "
                "Run migrations with the migrate service (docker/migrate.env)."
            )
        return
    granted = app_role_privileges_grant(role, using=using)
    append_only = sorted(table for table, rights in granted.items() if rights == APPEND_ONLY)
    logger.info(
        "database role %s: rows of %d tables, append-only %s",
        role,
        len(granted),
        ", ".join(append_only),
    )
