from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry, as `manage.py clearsessions` does. A parent's
    session holds only sealed drafts and receipts (reports/browser.py), but nothing
    should stay in the table longer than it can be used."""
    count, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return count
