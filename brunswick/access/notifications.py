"""The Head Teacher is told of every change to staff access: a link, never a name."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from brunswick.accounts.models import Role, User
from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import register_composer
from brunswick.school.models import SchoolSettings


@register_composer(OutboxMessage.Kind.ACCESS_CHANGED)
def access_changed(event_id: int) -> list[EmailMessage]:
    """One e-mail to each Head Teacher, saying what kind of change it was."""
    event = AuditEvent.objects.filter(id=event_id).only("action").first()
    if event is None:
        return []
    waiting = event.action == AuditEvent.Action.ROLE_GRANT_REQUESTED
    context = {
        "change": event.get_action_display(),
        "waiting": waiting,
        "link": settings.PORTAL_URL + reverse("access:staff"),
        "school": SchoolSettings.current(),
    }
    subject = "A staff role waits for your confirmation" if waiting else "Staff access was changed"
    body = render_to_string("access/email/access_changed.txt", context)
    heads = User.objects.with_role(Role.HEAD_TEACHER).exclude(email="")
    return [EmailMessage(subject=subject, body=body, to=[head.email]) for head in heads]
