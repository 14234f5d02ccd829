"""A worker killed with SIGKILL in the middle of sending an e-mail: the job runs again and
the mail server ends up with exactly one copy of each e-mail."""

import asyncio
import signal
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_deliver, outbox_enqueue, outbox_relay
from tests.celery_worker import wait_until
from tests.factories import ReportFactory
from tests.servers import free_port


class StallingMailServer:
    """Holds the first message after its content arrives and before it says "250 OK".

    As a real mail server does, a message is kept only once it has been acknowledged: if
    the client has gone by then, the message is not delivered.
    """

    def __init__(self):
        self.stalled, self.release = threading.Event(), threading.Event()
        self.delivered = []

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            if session.transport is None or session.transport.is_closing():
                return "451 Client went away"
        self.delivered.append(envelope)
        return "250 OK"


@pytest.fixture
def stalling_mail_server():
    handler, port = StallingMailServer(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, f"smtp://127.0.0.1:{port}"
    handler.release.set()
    controller.stop()


def test_a_worker_killed_mid_send_sends_the_email_exactly_once(
    slt, celery_worker, stalling_mail_server
):
    server, email_url = stalling_mail_server
    first = celery_worker(email_url=email_url)
    report = ReportFactory()
    message = outbox_enqueue(kind=OutboxMessage.Kind.NEW_REPORT_TO_STAFF, object_id=report.id)

    assert server.stalled.wait(30), "the worker never reached the mail server"
    first.process.send_signal(signal.SIGKILL)  # Mid-conversation: no chance to finish.
    first.process.wait(10)
    server.release.set()
    assert OutboxMessage.objects.pending().filter(id=message.id).exists()
    assert server.delivered == []

    second = celery_worker(email_url=email_url)
    outbox_relay(older_than=timedelta(0))  # What beat does every minute.
    wait_until(lambda: OutboxMessage.objects.get(id=message.id).sent_at, timeout=60)
    outbox_relay(older_than=timedelta(0))  # Nothing left to do: no second copy.
    second.stop()
    assert [envelope.rcpt_tos for envelope in server.delivered] == [[slt.email]]


def test_the_same_job_sent_again_carries_the_same_message_ids(db, slt, head_teacher):
    """The duplicate a kill after "250 OK" can cause is recognisably the same e-mail."""
    report = ReportFactory()
    first = OutboxMessage.objects.create(kind="new_report_to_staff", object_id=report.id)
    other = OutboxMessage.objects.create(kind="new_report_to_staff", object_id=report.id)
    outbox_deliver(first.id)
    OutboxMessage.objects.filter(id=first.id).update(sent_at=None)  # As if never committed.
    outbox_deliver(first.id)
    outbox_deliver(other.id)

    ids = [email.extra_headers["Message-ID"] for email in mail.outbox]
    assert len(ids) == 6 and len(set(ids)) == 4  # Two recipients; the resend repeats ids.
    assert ids[:2] == ids[2:4]
    assert ids[0].startswith(f"<outbox-{first.id}-") and ids[0].endswith(">")
