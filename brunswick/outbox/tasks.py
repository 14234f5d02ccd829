from celery import shared_task

from .services import outbox_deliver, outbox_relay


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def deliver_outbox_message(message_id: int) -> bool:
    return outbox_deliver(message_id)


@shared_task
def relay_outbox() -> int:
    return outbox_relay()
