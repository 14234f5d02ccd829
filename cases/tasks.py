from celery import shared_task

from .reminders import reminders_send


@shared_task
def send_reminders() -> int:
    return reminders_send()
