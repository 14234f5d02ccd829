"""The audit chain: intact, edited, deleted, truncated against an exported head; the
database's triggers; concurrent writers."""

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import ProgrammingError

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def record(n: int) -> None:
    for _ in range(n):
        audit_record(action=AuditEvent.Action.REPORT_VIEWED, actor_kind="system")


def verify(capsys, *args) -> str:
    call_command("verify_audit", *args)
    return capsys.readouterr().out.strip()


@pytest.fixture
def tamper(request):
    """What someone with the database file (SQLite) or the superuser (PostgreSQL, triggers
    switched off) could do behind the portal's back."""
    if connection.vendor == "sqlite":

        def run(sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

        return run
    servers = request.getfixturevalue("servers")
    name = connection.settings_dict["NAME"]

    def run(sql: str) -> None:
        with psycopg.connect(
            host="127.0.0.1", port=servers.postgres.port, user="postgres", dbname=name
        ) as db:
            db.execute("SET session_replication_role = replica")
            db.execute(sql)

    return run


def events() -> list[int]:
    return list(AuditEvent.objects.order_by("id").values_list("id", flat=True))


@pytest.mark.smoke
def test_an_untouched_chain_is_intact(capsys):
    record(5)
    assert verify(capsys) == "audit chain intact: 5 events"


@pytest.mark.smoke
def test_an_edited_event_is_found_and_named(capsys, tamper):
    record(5)
    third = events()[2]
    tamper(f"UPDATE audit_auditevent SET action = 'case_closed' WHERE id = {third}")
    with pytest.raises(CommandError, match=f"after 2 good events: event {third} was changed"):
        verify(capsys)


@pytest.mark.smoke
def test_an_event_with_its_hash_recomputed_breaks_the_link_to_the_next(capsys, tamper):
    # An intruder who edits an event and recomputes its hash is found at the next event.
    record(5)
    ids = events()
    edited = AuditEvent.objects.get(id=ids[2])
    edited.action = "case_closed"
    tamper(
        f"UPDATE audit_auditevent SET action = 'case_closed', hash = '{edited.compute_hash()}' "
        f"WHERE id = {ids[2]}"
    )
    with pytest.raises(CommandError, match=f"event {ids[3]} does not follow the event before it"):
        verify(capsys)


@pytest.mark.smoke
def test_a_deleted_event_is_found_and_named(capsys, tamper):
    record(5)
    ids = events()
    tamper(f"DELETE FROM audit_auditevent WHERE id = {ids[2]}")
    with pytest.raises(CommandError, match=f"event {ids[3]} does not follow the event before it"):
        verify(capsys)


@pytest.mark.smoke
def test_a_reordered_pair_is_found_and_named(capsys, tamper):
    record(5)
    ids = events()
    second, third = ids[1], ids[2]
    # Swap two neighbouring events' places in the log, each left exactly as recorded.
    tamper(f"UPDATE audit_auditevent SET id = -1 WHERE id = {third}")
    tamper(f"UPDATE audit_auditevent SET id = {third} WHERE id = {second}")
    tamper(f"UPDATE audit_auditevent SET id = {second} WHERE id = -1")
    with pytest.raises(CommandError, match=f"event {second} does not follow the event before it"):
        verify(capsys)


@pytest.mark.smoke
def test_a_cut_tail_is_found_against_the_exported_head(capsys, tamper, tmp_path):
    record(5)
    call_command("audit_head")
    head = capsys.readouterr().out.strip()
    (tmp_path / "head").write_text(head)
    last_two = events()[-2:]
    tamper(f"DELETE FROM audit_auditevent WHERE id IN ({last_two[0]}, {last_two[1]})")

    assert verify(capsys) == "audit chain intact: 3 events"  # The chain alone cannot tell...
    with pytest.raises(
        CommandError, match=f"the exported head \\(event {last_two[1]}\\) is missing"
    ):
        verify(capsys, "--head-file", str(tmp_path / "head"))  # ...the exported head can.


@pytest.mark.smoke
def test_an_edited_head_event_is_found_against_the_exported_head(capsys, tamper, tmp_path):
    record(3)
    call_command("audit_head")
    (tmp_path / "head").write_text(capsys.readouterr().out)
    last = events()[-1]
    tamper(f"UPDATE audit_auditevent SET object_id = '99' WHERE id = {last}")
    with pytest.raises(CommandError, match=f"event {last} was changed"):
        verify(capsys, "--head-file", str(tmp_path / "head"))


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"]
)
def test_the_database_refuses_to_change_or_delete_events(sql):
    record(1)
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete"),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_the_database_refuses_to_truncate_the_log(servers):
    record(1)
    settings = connection.settings_dict  # The application's own role, not a superuser.
    with (
        psycopg.connect(
            host="127.0.0.1",
            port=servers.postgres.port,
            user=settings["USER"],
            password=settings["PASSWORD"],
            dbname=settings["NAME"],
        ) as db,
        pytest.raises(psycopg.errors.RaiseException, match="cannot be truncated"),
    ):
        db.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() == 1


def test_concurrent_writers_never_fork_the_chain(capsys):
    def write(_):
        try:
            record(10)
        finally:
            connection.close()

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(write, range(6)))
    assert verify(capsys) == "audit chain intact: 60 events"
    assert AuditEvent.objects.values("previous_hash").distinct().count() == 60


def test_events_record_the_request_and_the_actor_s_role(client, slt):
    from tests.conftest import sign_in
    from tests.factories import ReportFactory

    report = ReportFactory()
    sign_in(client, slt)
    response = client.get(f"/staff/reports/{report.reference}/")
    event = AuditEvent.objects.get(action="report_viewed")
    assert event.request_id == response["X-Request-ID"]
    assert (event.actor, event.actor_role) == (slt, "slt")


def test_sign_in_sign_out_and_failures_are_recorded_without_what_was_typed(client, slt):
    from django_otp.oath import totp

    from tests.factories import PASSWORD

    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client.post(
        "/staff/login/", {"username": "alice", "password": "wrong-secret-typed", "otp_token": "1"}
    )
    device = slt.totpdevice_set.get()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post("/staff/login/", {"username": "alice", "password": PASSWORD, "otp_token": code})
    client.post("/staff/logout/")
    actions = list(
        AuditEvent.objects.filter(id__gt=before).order_by("id").values_list("action", flat=True)
    )
    assert actions.count("sign_in_failed") >= 1
    assert "signed_in" in actions and "signed_out" in actions
    assert "two_factor_changed" not in actions  # Using a code is not changing the factor.
    assert "wrong-secret-typed" not in str(list(AuditEvent.objects.values_list("extra", flat=True)))
