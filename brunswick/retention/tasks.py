import logging

from celery import shared_task
from django.utils import timezone

from .purge import PurgeAlreadyRunning, purge_expired

logger = logging.getLogger(__name__)


@shared_task
def purge_expired_records() -> dict[str, int]:
    """Nightly (Celery beat). Killed half way, the message is delivered again (acks_late)
    or the next night's run finishes the work."""
    try:
        result = purge_expired(today=timezone.localdate(), dry_run=False)
    except PurgeAlreadyRunning:
        logger.info("A purge is already running; this one is not needed")
        return {}
    return result.counts.totals()
