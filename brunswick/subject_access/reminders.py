"""Deadline reminders for subject access requests: every open request due within
deadlines.REMIND_BEFORE, or overdue, is reminded to the Head Teacher once a day, by e-mail
with a link only (no name, nothing from the request)."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from brunswick.accounts.models import Role, User
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent

from .deadlines import REMIND_BEFORE
from .models import SubjectAccessReminder, SubjectAccessRequest


def subject_access_reminders_send(today: date | None = None) -> int:
    """Send today's reminders; returns how many requests were reminded.

    Each is one transaction: the SubjectAccessReminder row (unique per request and day),
    the audit event, then the e-mail. A second run the same day, or a second worker at the
    same moment, finds the row and sends nothing; an e-mail that fails rolls the row back,
    so the next run tries again."""
    today = today or timezone.localdate()
    due = SubjectAccessRequest.objects.due_by(today + REMIND_BEFORE).exclude(
        reminders__sent_on=today
    )
    recipients = _head_teachers()
    sent = 0
    for request in due.order_by("due_on", "id"):
        try:
            with transaction.atomic():
                reminder = SubjectAccessReminder.objects.create(request=request, sent_on=today)
                audit_record(
                    action=AuditEvent.Action.REMINDER_SENT,
                    obj=request,
                    actor_kind="system",
                    reminder=reminder.id,
                )
                _email(request, today, recipients).send()
        except IntegrityError:
            continue  # Another run reminded this request today.
        sent += 1
    return sent


def _head_teachers() -> list[str]:
    heads = User.objects.with_role(Role.HEAD_TEACHER)
    return sorted({user.email for user in heads if user.email})


def _email(request: SubjectAccessRequest, today: date, to: list[str]) -> EmailMessage:
    overdue = request.is_overdue(today)
    context = {
        "request": request,
        "overdue": overdue,
        "link": settings.PORTAL_URL + request.get_absolute_url(),
    }
    state = "overdue" if overdue else f"due on {request.due_on.day} {request.due_on:%B %Y}"
    return EmailMessage(
        subject=f"Reminder: a subject access request is {state}",
        body=render_to_string("subject_access/email/reminder.txt", context),
        to=to,
    )
