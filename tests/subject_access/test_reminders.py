from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from brunswick.subject_access.models import SubjectAccessReminder, SubjectAccessRequest
from brunswick.subject_access.reminders import subject_access_reminders_send
from brunswick.subject_access.tasks import remind_subject_access_deadlines
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def request_due_in(days: int, created_by, **fields) -> SubjectAccessRequest:
    due_on = TODAY + timedelta(days=days)
    return SubjectAccessRequest.objects.create(
        person=PersonFactory(full_name="Jordan Smith"),
        received_on=due_on - timedelta(days=30),
        due_on=due_on,
        created_by=created_by,
        **fields,
    )


def test_requests_due_within_a_week_or_overdue_remind_the_head_teacher_once_a_day(
    head_teacher, slt
):
    soon = request_due_in(3, head_teacher)
    late = request_due_in(-2, head_teacher)
    request_due_in(10, head_teacher)  # Not yet.
    request_due_in(-5, head_teacher, status="completed", completed_at=timezone.now())

    assert subject_access_reminders_send() == 2
    assert [message.to for message in mail.outbox] == [[head_teacher.email]] * 2
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects[0] == "Reminder: a subject access request is due on " + (
        f"{soon.due_on.day} {soon.due_on:%B %Y}"
    )
    assert subjects[1] == "Reminder: a subject access request is overdue"

    assert subject_access_reminders_send() == 0  # Not again today.
    assert remind_subject_access_deadlines() == 0  # The beat task is the same, and idempotent.
    assert len(mail.outbox) == 2
    assert subject_access_reminders_send(TODAY + timedelta(days=1)) == 2  # Tomorrow, again.
    assert SubjectAccessReminder.objects.filter(request=late).count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REMINDER_SENT).count() == 4


def test_the_email_has_a_link_and_nothing_about_the_person(head_teacher):
    request = request_due_in(1, head_teacher, notes="SECRET NOTES")
    subject_access_reminders_send()
    body = mail.outbox[0].body
    assert f"/staff/people/{request.person_id}/" in body
    for secret in ("Jordan", "SECRET NOTES", request.person.email):
        assert secret not in body + mail.outbox[0].subject


def test_a_reminder_already_recorded_today_is_not_sent_again(head_teacher):
    request = request_due_in(-1, head_teacher)
    SubjectAccessReminder.objects.create(request=request, sent_on=TODAY)
    assert subject_access_reminders_send() == 0
    assert mail.outbox == []


def test_reminders_start_seven_days_before_the_deadline(head_teacher):
    week = request_due_in(7, head_teacher)
    request_due_in(8, head_teacher)
    assert subject_access_reminders_send() == 1
    assert SubjectAccessReminder.objects.get().request == week
