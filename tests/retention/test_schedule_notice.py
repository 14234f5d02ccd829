"""The admin alone cannot have records purged sooner tonight: a shorter period takes effect
30 days after it is set, and the Head Teacher is told of every change."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from brunswick.accounts.roles import roles_ensure
from brunswick.retention.models import SHORTENING_NOTICE, RetentionSchedule
from tests.audit.test_admin_changes import _form_data
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def shorten(client, django_capture_on_commit_callbacks, **periods):
    schedule = RetentionSchedule.current()
    url = f"/admin/retention/retentionschedule/{schedule.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, _form_data(client, url) | periods).status_code == 302


def test_a_shorter_period_waits_a_month_and_the_head_teacher_is_told(
    client, admin_user, head_teacher, django_capture_on_commit_callbacks
):
    roles_ensure()
    sign_in(client, admin_user)
    shorten(
        client, django_capture_on_commit_callbacks, closed_case_months=1, closed_report_months=1
    )

    now = timezone.now()
    assert RetentionSchedule.current().closed_case_months == 1
    assert RetentionSchedule.in_force(now).closed_case_months == 72  # Not tonight.
    assert RetentionSchedule.in_force(now).closed_report_months == 12
    later = now + SHORTENING_NOTICE + timedelta(days=1)
    assert RetentionSchedule.in_force(later).closed_case_months == 1

    [told] = mail.outbox
    assert told.to == [head_teacher.email]
    assert "closed cases: 72 months after closing (set to 1)" in told.body


def test_a_longer_period_applies_at_once(client, admin_user, django_capture_on_commit_callbacks):
    roles_ensure()
    sign_in(client, admin_user)
    shorten(client, django_capture_on_commit_callbacks, closed_case_months=96)
    assert RetentionSchedule.in_force(timezone.now()).closed_case_months == 96
