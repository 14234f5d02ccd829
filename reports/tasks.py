from datetime import timedelta

from celery import shared_task
from django.conf import settings

from .services import staged_screenshots_discard


@shared_task
def discard_stale_staged_screenshots() -> int:
    return staged_screenshots_discard(older_than=timedelta(hours=settings.SCREENSHOT_STAGING_HOURS))
