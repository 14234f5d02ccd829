"""Enqueue and deliver outbox messages (e-mails that must never be lost)."""

import logging
from collections.abc import Callable
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent

from .models import OutboxMessage

logger = logging.getLogger(__name__)
# Celery retries a job with back-off; the relay publishes it again each minute. After this
# many attempts in all, a message is marked failed for a person to look at.
MAX_ATTEMPTS = 10

Composer = Callable[[int], list[EmailMessage]]
Handler = Callable[[int], None]
_handlers: dict[str, Handler] = {}
_composers: dict[str, Composer] = {}


# Jobs whose handler opens its own transactions and must not run inside the outbox's (a
# letter's PDF: on SQLite a transaction held for the whole render blocks every writer).
_outside_transaction: set[str] = set()


def register_handler(
    kind: OutboxMessage.Kind, *, own_transactions: bool = False
) -> Callable[[Handler], Handler]:
    """Domain apps say what doing a kind of job means (it gets the object's id). With
    `own_transactions`, the handler runs outside the outbox's transaction, holding no
    lock: it must open its own transactions and have the effect of once if run twice."""

    def decorator(handler: Handler) -> Handler:
        _handlers[kind] = handler
        if own_transactions:
            _outside_transaction.add(kind)
        return handler

    return decorator


def register_composer(kind: OutboxMessage.Kind) -> Callable[[Composer], Composer]:
    """For jobs that are e-mails: domain apps say how to write them; the outbox sends them."""

    def decorator(composer: Composer) -> Composer:
        _composers[kind] = composer
        return composer

    return decorator


def _send_emails(message: OutboxMessage, composer: Composer) -> None:
    """Send a job's e-mails, each with a Message-ID fixed by the job and its place in it.

    A worker killed after the mail server accepted an e-mail but before the job committed
    sends it again on the retry: the same Message-ID lets mail servers and clients see
    that the second copy is the first one again, and drop it.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    for index, email in enumerate(composer(message.object_id)):
        email.extra_headers["Message-ID"] = f"<outbox-{message.id}-{index}@{domain}>"
        email.send()


def outbox_enqueue(*, kind: OutboxMessage.Kind, object_id: int) -> OutboxMessage:
    """Add a message in the caller's transaction; publish it to Celery once that commits.

    If publishing fails (the broker is down), the row stays pending for the relay.
    """
    message = OutboxMessage.objects.create(kind=kind, object_id=object_id)
    transaction.on_commit(lambda: outbox_publish(message.id))
    return message


def outbox_publish(message_id: int) -> bool:
    """Hand one message to Celery. Returns False, and logs, when the broker refuses."""
    from .tasks import deliver_outbox_message

    try:
        deliver_outbox_message.apply_async((message_id,))
    except Exception as exc:  # Broker down or delivery failed eagerly: the relay retries.
        logger.warning("outbox message %s left for the relay: %s", message_id, type(exc).__name__)
        return False
    return True


def outbox_deliver(message_id: int) -> bool:
    """Do one job (send its e-mails, render its letter) once per commit; True if done now.

    The row is locked while working, so two workers never both do it. A worker that dies
    before committing leaves it pending, to be done again (at least once, never zero):
    handlers are written so that doing a job twice has the effect of doing it once.
    """
    job = OutboxMessage.objects.filter(id=message_id).only("kind", "object_id", "sent_at").first()
    if job is None or job.sent_at is not None:
        return False
    if job.kind in _outside_transaction:
        return _deliver_outside_transaction(job)
    failure = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(id=message_id).first()
        if message is None or message.sent_at is not None:
            return False
        try:
            with transaction.atomic():  # A failed job leaves nothing half-done behind.
                if message.kind in _composers:
                    _send_emails(message, _composers[message.kind])
                else:
                    _handlers[message.kind](message.object_id)
        except Exception as exc:
            failure = exc
        _count_attempt(message, failure)
    return _outcome(message, failure)


def _deliver_outside_transaction(job: OutboxMessage) -> bool:
    """outbox_deliver for a handler with its own transactions: run it with nothing locked,
    then count the attempt and mark the job in one short transaction."""
    failure = None
    try:
        _handlers[job.kind](job.object_id)
    except Exception as exc:
        failure = exc
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(id=job.id)
        if message.sent_at is not None:
            return False  # Done meanwhile by another worker; the handler did nothing twice.
        _count_attempt(message, failure)
    return _outcome(message, failure)


def _count_attempt(message: OutboxMessage, failure: Exception | None) -> None:
    """Record one attempt on the locked row: done, or failed (for good after MAX_ATTEMPTS)."""
    message.attempts += 1
    if failure is None:
        message.sent_at, message.last_error = timezone.now(), ""
    else:
        message.last_error = type(failure).__name__
        if message.attempts >= MAX_ATTEMPTS:
            message.failed_at = timezone.now()
            logger.error(
                "outbox message %s failed %s times: %s",
                message.id,
                MAX_ATTEMPTS,
                message.last_error,
            )
    message.save(update_fields=["attempts", "sent_at", "failed_at", "last_error"])


def _outcome(message: OutboxMessage, failure: Exception | None) -> bool:
    if failure and not message.failed_at:
        raise failure  # After commit, so the attempt is counted; Celery retries with back-off.
    return failure is None


def outbox_retry(message_id: int) -> None:
    """Try a failed message again (from the admin, once the fault is fixed)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(id=message_id)
        if message.sent_at is None:
            message.failed_at, message.attempts = None, 0
            message.save(update_fields=["failed_at", "attempts"])
            transaction.on_commit(lambda: outbox_publish(message.id))


def outbox_retry_failed(*, messages, acting_user) -> int:
    """The admin's "try again": every failed message chosen, and one audit event (kinds
    and a count; never which objects) in the same transaction. Returns how many."""
    with transaction.atomic():
        failed = list(messages.failed().select_for_update().values_list("id", "kind"))
        for message_id, _kind in failed:
            outbox_retry(message_id)
        if failed:
            audit_record(
                action=AuditEvent.Action.OUTBOX_RETRIED,
                actor=acting_user,
                count=len(failed),
                kinds=sorted({kind for _id, kind in failed}),
            )
    return len(failed)


def outbox_relay(*, older_than: timedelta = timedelta(seconds=30)) -> int:
    """Publish again every pending message older than `older_than`; returns how many."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.pending().filter(created_at__lte=cutoff).values_list("id", flat=True)
    )
    return sum(outbox_publish(message_id) for message_id in ids)
