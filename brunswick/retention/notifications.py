"""The Head Teacher is told when the admin changes the retention schedule."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from brunswick.accounts.models import Role, User
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import register_composer
from brunswick.school.models import SchoolSettings

from .models import SHORTENING_NOTICE, RetentionSchedule


@register_composer(OutboxMessage.Kind.RETENTION_CHANGED)
def retention_changed(schedule_id: int) -> list[EmailMessage]:
    """The periods now, and those the purge uses until a shorter one takes effect."""
    now = timezone.now()
    context = {
        "schedule": RetentionSchedule.current(),
        "in_force": RetentionSchedule.in_force(now),
        "shorter_from": timezone.localdate(now + SHORTENING_NOTICE),
        "link": settings.PORTAL_URL + reverse("audit:portal") + "?action=settings_changed",
        "school": SchoolSettings.current(),
    }
    body = render_to_string("retention/email/schedule_changed.txt", context)
    heads = sorted({h.email for h in User.objects.with_role(Role.HEAD_TEACHER) if h.email})
    subject = "The retention schedule was changed"
    return [EmailMessage(subject=subject, body=body, to=[address]) for address in heads]
