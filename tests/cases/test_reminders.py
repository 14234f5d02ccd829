from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import LadderStep, Reminder
from cases.reminders import reminders_send
from reports.models import Report
from tests.factories import CaseFactory, LadderStepFactory, ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


def test_a_step_past_its_due_date_reminds_the_lead_and_the_head_teacher_once(slt, head_teacher):
    case = CaseFactory(lead=slt)
    LadderStepFactory(case=case, due_on=TODAY - timedelta(days=1), rationale="SECRET RATIONALE")
    LadderStepFactory(case=case, kind="meeting", due_on=TODAY + timedelta(days=30))

    assert reminders_send() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([slt.email, head_teacher.email])
    for message in mail.outbox:
        assert f"/staff/cases/{case.id}/" in message.body
        assert "SECRET RATIONALE" not in message.body
    assert reminders_send() == 0  # Not again the same week.
    assert reminders_send(TODAY + timedelta(days=7)) == 1


def test_a_ban_due_for_review_reminds(slt, head_teacher):
    LadderStepFactory(
        case=CaseFactory(lead=slt),
        kind=LadderStep.Kind.SITE_BAN,
        ban_type="full",
        ban_starts_on=TODAY - timedelta(days=30),
        review_on=TODAY,
    )
    assert reminders_send() == 1
    assert Reminder.objects.get().kind == Reminder.Kind.BAN_REVIEW_DUE


def test_a_report_past_the_acknowledgement_target_reminds_slt_and_the_head_teacher(
    slt, head_teacher
):
    old = ReportFactory()
    Report.objects.filter(id=old.id).update(submitted_at=timezone.now() - timedelta(days=10))
    ReportFactory()  # Just arrived: not overdue.
    assert reminders_send() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([slt.email, head_teacher.email])
    assert old.reference not in mail.outbox[0].body
