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


class NobodyToTell(Exception):
    """No active Head Teacher has an e-mail address. The job fails (and is retried, then
    listed in the admin as failed) rather than counting as sent to nobody."""


def _address_before(event: AuditEvent) -> str:
    """The e-mail address the account had before this event changed it ("" if none)."""
    addresses = list(
        User.history.filter(id=event.object_id, history_date__lte=event.at)
        .order_by("-history_date", "-history_id")
        .values_list("email", flat=True)[:2]
    )
    return addresses[1] if len(addresses) == 2 and addresses[1] != addresses[0] else ""


@register_composer(OutboxMessage.Kind.ACCESS_CHANGED)
def access_changed(event_id: int) -> list[EmailMessage]:
    """One e-mail to each Head Teacher, saying what kind of change it was; when an
    account's e-mail address changed, one to its old address too."""
    event = AuditEvent.objects.filter(id=event_id).first()
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
    heads = sorted({h.email for h in User.objects.with_role(Role.HEAD_TEACHER) if h.email})
    if not heads:
        raise NobodyToTell
    emails = [EmailMessage(subject=subject, body=body, to=[address]) for address in heads]
    if "email" in event.extra.get("fields", []) and (old := _address_before(event)):
        notice = render_to_string("access/email/address_changed.txt", context)
        emails.append(
            EmailMessage(subject="The e-mail address of your staff account was changed",
                         body=notice, to=[old])
        )  # fmt: skip
    return emails
