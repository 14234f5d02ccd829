"""A mail server that refuses: e-mails are retried, then marked failed and shown to the
admin, never silently dropped; once the server accepts, a retry sends them."""

import socket

import pytest
from aiosmtpd.controller import Controller

from brunswick.outbox import services
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_deliver, outbox_retry
from tests.conftest import sign_in
from tests.factories import ReportFactory
from tests.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


class MailServer:
    """A real SMTP server on loopback that refuses every message until told to accept."""

    def __init__(self):
        self.accepting, self.received = False, []

    async def handle_DATA(self, server, session, envelope):
        if not self.accepting:
            return "554 Transaction failed: not accepting mail right now"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def mail_server(settings):
    handler, port = MailServer(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    yield handler
    controller.stop()


def test_refused_mail_is_retried_then_failed_then_sent_after_a_retry(
    mail_server, slt, client, admin_user
):
    report = ReportFactory()
    message = OutboxMessage.objects.create(kind="new_report_to_staff", object_id=report.id)

    for attempt in range(1, services.MAX_ATTEMPTS):
        with pytest.raises(Exception, match="554"):
            outbox_deliver(message.id)
        assert OutboxMessage.objects.get(id=message.id).attempts == attempt
    assert outbox_deliver(message.id) is False  # The last attempt: marked failed, not raised.
    failed = OutboxMessage.objects.get(id=message.id)
    assert failed.failed_at is not None and failed.sent_at is None
    assert not OutboxMessage.objects.pending().exists()  # The relay stops trying...

    sign_in(client, admin_user)
    page = client.get("/admin/outbox/outboxmessage/?failed_at__isempty=0").content.decode()
    assert "SMTPDataError" in page  # ...and the admin sees it.

    mail_server.accepting = True
    outbox_retry(message.id)  # On commit: published, and (eager here) delivered.
    assert OutboxMessage.objects.get(id=message.id).sent_at is not None
    assert [e.rcpt_tos for e in mail_server.received] == [[slt.email]]


def test_a_mail_server_that_is_down_is_retried_too(settings, slt):
    with socket.socket() as closed:  # A port nobody listens on: connection refused.
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    message = OutboxMessage.objects.create(kind="new_report_to_staff", object_id=ReportFactory().id)
    with pytest.raises(ConnectionRefusedError):
        outbox_deliver(message.id)
    assert OutboxMessage.objects.get(id=message.id).last_error == "ConnectionRefusedError"
