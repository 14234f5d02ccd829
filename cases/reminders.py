"""Reminders (run by Celery beat): reports not acknowledged within the school's target,
ladder steps past their due date, and site bans due for review. Each goes to the case
lead and the Head Teacher (for a report not yet in a case: SLT and the Head Teacher), by
e-mail with a link only, at most once a week for the same thing."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from brunswick.accounts.models import Role, User
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_enqueue, register_composer
from brunswick.school.calendar import school_calendar
from brunswick.school.models import SchoolSettings
from reports.models import Report

from .models import LadderStep, Reminder

REPEAT_AFTER = timedelta(days=7)
Kind = Reminder.Kind


def reminders_send(today: date | None = None) -> int:
    """Create and enqueue every reminder due today; returns how many."""
    today = today or timezone.localdate()
    due = [
        *(
            (Kind.ACKNOWLEDGEMENT_OVERDUE, report_id)
            for report_id in _unacknowledged_reports(today)
        ),
        *((Kind.STEP_OVERDUE, step_id) for step_id in _overdue_steps(today)),
        *((Kind.BAN_REVIEW_DUE, step_id) for step_id in _bans_due_for_review(today)),
    ]
    recent = set(
        Reminder.objects.filter(sent_on__gt=today - REPEAT_AFTER).values_list("kind", "object_id")
    )
    sent = 0
    for kind, object_id in due:
        if (kind, object_id) in recent:
            continue
        with transaction.atomic():
            reminder = Reminder.objects.create(kind=kind, object_id=object_id, sent_on=today)
            about = "reports.report" if kind == Kind.ACKNOWLEDGEMENT_OVERDUE else "cases.ladderstep"
            audit_record(
                action=AuditEvent.Action.REMINDER_SENT,
                actor_kind="system",
                reminder=reminder.id,
                kind=kind,
                about=about,
                about_id=object_id,
            )
            outbox_enqueue(kind=OutboxMessage.Kind.REMINDER, object_id=reminder.id)
        sent += 1
    return sent


def _unacknowledged_reports(today: date) -> list[int]:
    target = SchoolSettings.current().acknowledgement_target_school_days
    calendar = school_calendar()
    waiting = Report.objects.filter(status=Report.Status.RECEIVED).values_list("id", "submitted_at")
    return [
        report_id
        for report_id, submitted_at in waiting
        if calendar.school_days_since(timezone.localdate(submitted_at), today) > target
    ]


def _overdue_steps(today: date) -> list[int]:
    open_statuses = [LadderStep.Status.AWAITING_APPROVAL, LadderStep.Status.IN_PROGRESS]
    steps = LadderStep.objects.filter(status__in=open_statuses, due_on__lt=today)
    return list(steps.values_list("id", flat=True))


def _bans_due_for_review(today: date) -> list[int]:
    bans = LadderStep.objects.filter(
        kind=LadderStep.Kind.SITE_BAN, status=LadderStep.Status.IN_PROGRESS, review_on__lte=today
    )
    return list(bans.values_list("id", flat=True))


def _recipients(step: LadderStep | None) -> list[str]:
    heads = User.objects.with_role(Role.HEAD_TEACHER)
    people = (
        [*heads, step.case.lead] if step else [*User.objects.with_role(Role.SLT, Role.HEAD_TEACHER)]
    )
    return sorted({user.email for user in people if user.email and user.is_active})


@register_composer(OutboxMessage.Kind.REMINDER)
def reminder_emails(reminder_id: int) -> list[EmailMessage]:
    reminder = Reminder.objects.filter(id=reminder_id).first()
    if reminder is None:
        return []
    step = None
    if reminder.kind == Kind.ACKNOWLEDGEMENT_OVERDUE:
        link = reverse("staff_home")
    else:
        step = LadderStep.objects.select_related("case__lead").filter(id=reminder.object_id).first()
        if step is None:
            return []
        link = reverse("cases:detail", args=[step.case_id])
    context = {
        "reminder": reminder,
        "link": settings.PORTAL_URL + link,
        "school": SchoolSettings.current(),
    }
    subject = f"Reminder: {reminder.get_kind_display().lower()}"
    body = render_to_string("cases/email/reminder.txt", context)
    return [EmailMessage(subject=subject, body=body, to=[address]) for address in _recipients(step)]
