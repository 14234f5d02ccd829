"""Least privilege on the real server, with the roles docker/db-init/ makes."""

import pytest

# The first test here also waits for the topology to boot (about 30 s, more on a busy
# machine), and the drill and the restarts wait for e-mails: more than the suite's 120 s.
pytestmark = pytest.mark.timeout(300)

AUDIT = "audit_auditevent"


def as_app(portal, sql: str):
    return portal.postgres.psql(
        sql, role="portal_app", password=portal.secret["PORTAL_APP_PASSWORD"], check=False
    )


def test_the_portal_connects_as_a_role_that_owns_nothing(portal):
    who = portal.manage(
        "shell", "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT current_user'); print(c.fetchone()[0])",
    ).stdout.split()[-1]  # fmt: skip
    assert who == "portal_app"
    owners = portal.postgres.psql(
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
    ).stdout.split()
    assert owners == ["portal_owner"]  # Migrations ran as the owner.


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        (f"UPDATE {AUDIT} SET action = 'x'", "permission denied"),
        (f"DELETE FROM {AUDIT}", "permission denied"),
        (f"TRUNCATE {AUDIT}", "permission denied"),
        ("SET brunswick.allow_truncate = 'on'; TRUNCATE audit_auditevent", "permission denied"),
        (f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        ("ALTER TABLE reports_report ADD COLUMN extra integer", "must be owner"),
        ("DROP TABLE reports_report", "must be owner"),
        ("CREATE TABLE stolen (x integer)", "permission denied for schema public"),
        ("TRUNCATE reports_report CASCADE", "permission denied"),
        ("DELETE FROM django_migrations", "permission denied"),
        ("CREATE ROLE intruder", "permission denied"),
    ],
)  # fmt: skip
def test_the_portals_role_cannot_rewrite_the_audit_or_the_schema(portal, sql, refusal):
    result = as_app(portal, sql)
    assert result.returncode != 0, sql
    assert refusal in result.stderr, result.stderr


def test_the_audit_triggers_are_in_place_and_only_the_owner_may_drop_them(portal):
    triggers = portal.postgres.psql(
        f"SELECT tgname FROM pg_trigger WHERE tgrelid = '{AUDIT}'::regclass AND NOT tgisinternal"
    ).stdout.split()
    assert any("append_only" in name for name in triggers)
    assert any("truncated" in name for name in triggers)
    for name in triggers:
        result = as_app(portal, f"DROP TRIGGER {name} ON {AUDIT}")
        assert "must be owner" in result.stderr, result.stderr


def test_every_table_gives_the_portals_role_exactly_what_it_needs(portal):
    """The walk: every table in the database, whatever migration made it."""
    rows = portal.postgres.psql(
        "SELECT t.tablename, coalesce(string_agg(g.privilege_type, ',' ORDER BY"
        " g.privilege_type), '') FROM pg_tables t LEFT JOIN information_schema.role_table_grants"
        " g ON g.table_name = t.tablename AND g.grantee = 'portal_app'"
        " WHERE t.schemaname = 'public' GROUP BY t.tablename"
    ).stdout.splitlines()
    privileges = dict(row.split("|") for row in rows)
    assert len(privileges) > 40
    rows_only = "DELETE,INSERT,SELECT,UPDATE"
    for table, granted in privileges.items():
        if table == AUDIT:
            assert granted == "INSERT,SELECT", table
        elif table == "django_migrations":
            assert granted == "SELECT", table
        else:
            assert granted == rows_only, table  # Never TRUNCATE, REFERENCES or TRIGGER.


def test_demo_data_refuses_to_load_in_production(portal):
    result = portal.manage("seed_demo", check=False)
    assert result.returncode != 0
    assert "does not run with DJANGO_ENV=production" in result.stderr


def test_the_portals_role_reaches_no_other_database(portal):
    result = portal.postgres.psql(
        "SELECT 1", database="postgres", role="portal_app",
        password=portal.secret["PORTAL_APP_PASSWORD"], check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "permission denied for database" in result.stderr
