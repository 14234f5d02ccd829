from celery import shared_task

from .reminders import subject_access_reminders_send


@shared_task
def remind_subject_access_deadlines() -> int:
    return subject_access_reminders_send()
