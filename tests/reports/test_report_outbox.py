"""Nothing is lost: the report, its screenshots and its notification jobs commit together,
and the SLT e-mail goes out through a real worker even if Redis was down at submit."""

import re
from datetime import timedelta

import redis

from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_relay
from brunswick.outbox.tasks import deliver_outbox_message
from reports.models import Report
from tests.celery_worker import wait_until
from tests.reports.helpers import report_form_data, screenshot_upload


def submit(client, data, files=()):
    return client.post("/report/", {**data, "screenshots": list(files)})


def test_a_report_sent_while_redis_is_down_is_announced_once_redis_is_back(
    client, groups, slt, head_teacher, servers, celery_worker
):
    servers.redis.halt()
    response = submit(client, report_form_data(groups[0]), [screenshot_upload()])

    assert response.status_code == 302  # The parent still gets the reference.
    report = Report.objects.get()
    assert 'data-testid="reference"' in client.get("/report/sent/").content.decode()
    assert report.screenshots.count() == 1
    assert OutboxMessage.objects.pending().count() == 2  # Staff e-mail and acknowledgement.

    servers.redis.resume()
    worker = celery_worker()
    outbox_relay(older_than=timedelta(0))  # What Celery beat runs every minute.

    wait_until(lambda: OutboxMessage.objects.pending().count() == 0)
    mails = worker.mails()
    recipients = sorted(re.search(r"^To: (.+)$", m, re.M).group(1) for m in mails)
    assert recipients == sorted([slt.email, head_teacher.email, "priya@example.org"])


def test_a_relayed_message_is_sent_once_even_if_published_twice(client, groups, slt, celery_worker):
    worker = celery_worker()
    submit(client, report_form_data(groups[0], reporter_email="", reporter_phone="020 7946 0000"))
    wait_until(lambda: OutboxMessage.objects.pending().count() == 0)
    outbox_relay(older_than=timedelta(0))  # Nothing pending: publishes nothing.
    message = OutboxMessage.objects.get()

    deliver_outbox_message.delay(message.id)  # A duplicate publish.
    wait_until(lambda: worker.log.read_text().count("succeeded") == 2)
    assert len(worker.mails()) == 1
    assert OutboxMessage.objects.get().attempts == 1


CANARIES = {
    "description": "CANARY-DESCRIPTION-7f3a",
    "posted_by": "CANARY-POSTER-91c2",
    "reporter_name": "CANARY-NAME-4b8e",
    "reporter_email": "canary-email-2d6f@example.org",
    "reporter_phone": "07700 955 123",
    "group_other": "CANARY-GROUP-5e1d",
}


def test_no_content_reaches_logs_broker_messages_or_e_mails(
    client, groups, slt, servers, celery_worker, caplog, capfd
):
    caplog.set_level("DEBUG")
    data = report_form_data(groups[0], group="other", **CANARIES)
    submit(client, data, [screenshot_upload("CANARY-FILE-8a0c.png")])
    passphrase = re.search(
        r'data-testid="passphrase">([a-z ]+)<', client.get("/report/sent/").content.decode()
    ).group(1)
    canaries = [*CANARIES.values(), "CANARY-FILE-8a0c", passphrase]

    # The jobs wait in Redis: read every message the broker holds.
    broker = redis.Redis.from_url(servers.redis.url)
    queued = b"".join(broker.lrange("celery", 0, -1)).decode()
    assert queued.count("deliver_outbox_message") == 2
    for canary in canaries:
        assert canary not in queued

    worker = celery_worker()
    wait_until(lambda: OutboxMessage.objects.pending().count() == 0)
    worker.stop()
    mails = worker.mails()
    assert len(mails) == 2
    for mail in mails:
        body = mail.split("\n\n", 1)[1]  # The acknowledgement is addressed to the reporter.
        for canary in canaries:
            assert canary not in body
    logs = caplog.text + "".join(capfd.readouterr()) + worker.log.read_text()
    for canary in canaries:
        assert canary not in logs
