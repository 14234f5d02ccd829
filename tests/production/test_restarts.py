"""Restarts and outages under load: nothing lost, nothing half-written, and every failure a
page in the portal's own words."""

import re
import signal
import time
import uuid

import pytest

from tests.production.conftest import Load, report_send, visitor
from tests.production.test_proxy import LEAKS

# The first test here also waits for the topology to boot (about 30 s, more on a busy
# machine), and the drill and the restarts wait for e-mails: more than the suite's 120 s.
pytestmark = pytest.mark.timeout(300)

ACK = "We have received your report"


def acknowledgements_to(portal, addresses: list[str]) -> dict[str, int]:
    """How many different acknowledgements each parent's address has received.

    Different by Message-ID: a job whose e-mail the mail server took just before the
    database went away is sent again with the same Message-ID (brunswick/outbox), which
    mail servers and clients recognise as the same e-mail. Two Message-IDs would be two.
    """
    received: dict[str, set[str]] = {address: set() for address in addresses}
    for message in list(portal.mail.messages):
        if str(message["Subject"]) == ACK and str(message["To"]) in received:
            received[str(message["To"])].add(str(message["Message-ID"]))
    return {address: len(ids) for address, ids in received.items()}


def wait_for_acknowledgements(portal, addresses: list[str], timeout: float = 90) -> None:
    """Every parent gets their acknowledgement, exactly once."""
    assert addresses
    deadline = time.monotonic() + timeout
    while 0 in acknowledgements_to(portal, addresses).values():
        assert time.monotonic() < deadline, acknowledgements_to(portal, addresses)
        time.sleep(0.3)
    time.sleep(2)  # Nothing more arrives after a moment.
    assert set(acknowledgements_to(portal, addresses).values()) == {1}


def send_reports(portal, count: int) -> list[str]:
    addresses = [f"parent-{uuid.uuid4().hex[:12]}@example.org" for _ in range(count)]
    for address in addresses:
        with visitor(portal) as client:
            assert report_send(client, email=address).status_code == 302
    return addresses


def assert_consistent(portal) -> None:
    """Nothing half-written: the audit chain holds and every row has its file."""
    assert "audit chain intact" in portal.manage("verify_audit").stdout
    storage = portal.manage("check_storage", "--grace-minutes", "0", check=False).stdout
    assert "Row pointing at a missing file" not in storage, storage
    assert "File with no row" not in storage, storage


def portal_error_page(status: int, text: str) -> bool:
    return status in (500, 503) and "Sorry" in text and not LEAKS.search(text)


def test_healthz_through_the_proxy_says_when_the_database_is_down(portal):
    with visitor(portal) as client:
        healthy = client.get("/healthz")
        assert healthy.status_code == 200
        assert healthy.json() == {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok"}
        portal.postgres.stop()
        try:
            down = client.get("/healthz")
            assert down.status_code == 503
            assert down.json()["database"] == "fail"
            page = client.get("/report/")
            assert portal_error_page(page.status_code, page.text), page.text[:500]
        finally:
            portal.postgres.start()
        assert client.get("/healthz").status_code == 200
        assert client.get("/report/").status_code == 200


def test_postgresql_restarted_mid_load(portal):
    with Load(portal) as load:
        time.sleep(3)
        portal.postgres.restart()
        restarted = time.monotonic()
        time.sleep(4)
    for _, status, text in load.results:
        assert status == 302 or portal_error_page(status, text), (status, text[:300])
    after = [status for at, status, _ in load.results if at > restarted + 1]
    assert after and set(after) == {302}  # Working again straight after.
    assert_consistent(portal)
    wait_for_acknowledgements(portal, load.parents)  # Every report made is acknowledged.


def test_a_rolling_restart_of_gunicorn_loses_no_request(portal):
    master = portal.processes["web"]
    with Load(portal, threads=2) as reports, Load(portal, action="page", threads=2) as pages:
        time.sleep(1.5)
        for _ in range(2):
            master.send_signal(signal.SIGHUP)  # gunicorn: new workers, old ones finish.
            time.sleep(2.5)
    assert set(reports.statuses()) == {302}, reports.statuses()
    assert set(pages.statuses()) == {200}, pages.statuses()
    assert len(reports.results) > 4 and len(pages.results) > 10
    assert_consistent(portal)
    wait_for_acknowledgements(portal, reports.parents)


def test_a_worker_restarted_during_the_load_loses_no_job(portal):
    with Load(portal, threads=1) as load:
        time.sleep(2)
        portal.stop_process("worker")  # Warm shutdown, as `docker compose restart worker`:
        time.sleep(1.5)  # the job in hand is finished, the queued ones stay in Redis.
        portal.start_worker()
        time.sleep(1.5)
    assert set(load.statuses()) == {302}, load.statuses()
    wait_for_acknowledgements(portal, load.parents)


def test_redis_restarted_with_jobs_queued_loses_none(portal):
    portal.stop_process("worker")
    addresses = send_reports(portal, 3)
    queued = int(portal.redis.cli("LLEN", "celery").stdout)
    assert queued >= 3
    portal.redis.restart()  # SIGTERM, then start on the same append-only file.
    assert int(portal.redis.cli("LLEN", "celery").stdout) >= queued
    portal.start_worker()
    wait_for_acknowledgements(portal, addresses)


def test_redis_full_during_a_submission_keeps_the_report_and_its_job(portal):
    keys = int(portal.redis.cli("DBSIZE").stdout)
    portal.redis.cli("CONFIG", "SET", "maxmemory", "1")  # Every write refused from now.
    try:
        address = "parent-while-redis-is-full@example.org"
        with visitor(portal) as client:
            response = report_send(client, email=address)
        assert response.status_code == 302  # The parent's report is accepted...
        info = portal.redis.cli("INFO", "stats").stdout
        assert re.search(r"evicted_keys:0\b", info)  # ...nothing was evicted for it...
        assert int(portal.redis.cli("DBSIZE").stdout) >= keys
        waiting = portal.postgres.psql(
            "SELECT count(*) FROM outbox_outboxmessage WHERE sent_at IS NULL"
        ).stdout
        assert int(waiting) >= 1  # ...and its e-mail waits in the outbox.
    finally:
        portal.redis.cli("CONFIG", "SET", "maxmemory", "0")
    # Beat's relay hands it to the worker within a minute or two (it leaves messages
    # younger than 30 s to their own publish); here the same relay, at once.
    portal.manage("shell", "-c", "from datetime import timedelta\n"
                  "from brunswick.outbox.services import outbox_relay\n"
                  "outbox_relay(older_than=timedelta(0))")  # fmt: skip
    wait_for_acknowledgements(portal, [address])


def test_the_proxy_answers_in_the_portals_words_while_gunicorn_is_down(portal):
    portal.stop_process("web")
    try:
        with visitor(portal) as client:
            response = client.get("/report/")
        assert response.status_code == 503
        assert "Sorry, the service is unavailable" in response.text
        assert not LEAKS.search(response.text)
        assert "Server" not in response.headers
    finally:
        portal.start_web()
    with visitor(portal) as client:
        assert client.get("/report/").status_code == 200
