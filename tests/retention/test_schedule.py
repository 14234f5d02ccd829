"""The retention schedule: its defaults and sources, and how a period becomes a cutoff."""

from datetime import date, datetime

import pytest
from django.conf import settings
from django.db import IntegrityError

from brunswick.retention.expiry import Cutoffs
from brunswick.retention.models import RetentionSchedule
from brunswick.retention.periods import add_months, purge_date
from brunswick.retention.tasks import purge_expired_records

from .helpers import LONDON


@pytest.mark.django_db
def test_the_defaults_follow_the_irms_toolkit_and_say_so():
    schedule = RetentionSchedule.current()
    assert (schedule.closed_case_months, schedule.closed_report_months) == (72, 12)
    assert schedule.unlinked_person_months == 12
    help_text = RetentionSchedule._meta.get_field("closed_case_months").help_text
    assert "IRMS Information Management Toolkit for Schools" in help_text
    assert "6 years" in help_text
    for name in ("closed_report_months", "unlinked_person_months"):
        help_text = RetentionSchedule._meta.get_field(name).help_text
        assert "Default 12 months" in help_text and "Toolkit" in help_text


@pytest.mark.django_db
def test_there_is_one_schedule_and_its_changes_are_kept():
    schedule = RetentionSchedule.current()
    schedule.closed_case_months = 84
    schedule.save()
    assert RetentionSchedule.current().closed_case_months == 84
    assert schedule.history.count() == 2
    with pytest.raises(IntegrityError):
        RetentionSchedule.objects.create(id=2)


@pytest.mark.django_db
def test_a_period_of_zero_months_is_refused():
    schedule = RetentionSchedule.current()
    schedule.closed_report_months = 0
    with pytest.raises(IntegrityError):
        schedule.save()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 15), 72, date(2032, 3, 15)),
        (date(2026, 3, 15), -12, date(2025, 3, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 1, 31), -2, date(2025, 11, 30)),
    ],
)
def test_adding_months(day, months, expected):
    assert add_months(day, months) == expected


def test_the_purge_date_is_the_first_day_the_period_has_passed():
    assert purge_date(date(2026, 3, 15), 72) == date(2032, 3, 15)
    # 31 August + 6 months: 28 February minus 6 months is only 28 August.
    assert purge_date(date(2026, 8, 31), 6) == date(2027, 3, 1)


@pytest.mark.django_db
def test_a_record_closed_late_on_the_cutoff_day_has_expired_and_the_next_day_not():
    cutoffs = Cutoffs.on(date(2032, 3, 15), RetentionSchedule.current())
    assert datetime(2026, 3, 15, 23, 59, tzinfo=LONDON) < cutoffs.cases_closed_before
    assert datetime(2026, 3, 16, 0, 0, tzinfo=LONDON) == cutoffs.cases_closed_before
    assert cutoffs.reports_closed_before == datetime(2031, 3, 16, tzinfo=LONDON)


def test_the_purge_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-records"]
    assert entry["task"] == "brunswick.retention.tasks.purge_expired_records"
    assert entry["schedule"].hour == {2}


@pytest.mark.django_db
def test_the_task_purges_as_of_today_and_returns_counts():
    assert purge_expired_records.delay().get() == {}
