"""Counting school days: weekdays inside a term, less closure days."""

import itertools
from datetime import date, timedelta

import pytest

from brunswick.school.calendar import school_calendar, school_days_between
from brunswick.school.models import ClosureDay, TermDate

AUTUMN = (date(2026, 9, 7), date(2026, 12, 18))  # Monday to Friday.
SPRING = (date(2027, 1, 4), date(2027, 3, 26))
TERMS = [AUTUMN, SPRING]


def days(start: date, end: date, terms=TERMS, closures=()) -> int:
    return school_days_between(start, end, terms=terms, closures=set(closures))


def test_the_day_it_arrived_does_not_count():
    assert days(date(2026, 9, 8), date(2026, 9, 8)) == 0
    assert days(date(2026, 9, 8), date(2026, 9, 9)) == 1


def test_an_end_before_the_start_is_no_days():
    assert days(date(2026, 9, 9), date(2026, 9, 8)) == 0


def test_weekends_are_not_school_days():
    friday, monday = date(2026, 9, 11), date(2026, 9, 14)
    assert days(friday, friday + timedelta(days=2)) == 0
    assert days(friday, monday) == 1
    assert days(friday, monday + timedelta(days=7)) == 6


def test_a_closure_day_is_not_a_school_day():
    inset = date(2026, 11, 2)  # A Monday.
    assert days(date(2026, 10, 30), date(2026, 11, 3), closures=[inset]) == 1
    assert days(date(2026, 10, 30), date(2026, 11, 3)) == 2


def test_a_closure_day_outside_the_range_or_at_a_weekend_changes_nothing():
    closures = [date(2026, 9, 1), date(2026, 9, 12), date(2026, 12, 25)]
    assert days(date(2026, 9, 8), date(2026, 9, 15), closures=closures) == 5


def test_the_holidays_between_terms_are_not_school_days():
    thursday_before_christmas = date(2026, 12, 17)
    tuesday_of_spring_term = date(2027, 1, 5)
    # Friday 18 December, then Monday 4 and Tuesday 5 January.
    assert days(thursday_before_christmas, tuesday_of_spring_term) == 3


def test_a_report_sent_in_the_summer_holiday_waits_for_term_to_start():
    august = date(2026, 8, 10)
    assert days(august, date(2026, 9, 4)) == 0
    assert days(august, date(2026, 9, 8)) == 2


def test_with_no_terms_configured_every_weekday_is_a_school_day():
    friday = date(2026, 8, 14)  # No term has been entered for August.
    assert days(friday, date(2026, 8, 21), terms=[]) == 5
    assert days(friday, date(2026, 8, 21), terms=[], closures=[date(2026, 8, 17)]) == 4


def test_overlapping_terms_count_a_day_once():
    overlapping = [(date(2026, 9, 7), date(2026, 9, 18)), (date(2026, 9, 14), date(2026, 9, 25))]
    assert days(date(2026, 9, 6), date(2026, 9, 27), terms=overlapping) == 15


def brute_force(start: date, end: date, terms, closures) -> int:
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        in_term = any(s <= day <= e for s, e in terms) or not terms
        count += day.weekday() < 5 and in_term and day not in closures
        day += timedelta(days=1)
    return count


@pytest.mark.parametrize("terms", [TERMS, []])
def test_it_agrees_with_counting_day_by_day(terms):
    closures = {date(2026, 11, 2), date(2026, 12, 25), date(2027, 2, 15), date(2026, 9, 13)}
    anchors = [AUTUMN[0] + timedelta(days=n) for n in range(-10, 220, 9)]
    for start, end in itertools.product(anchors, repeat=2):
        assert days(start, end, terms, closures) == brute_force(start, end, terms, closures), (
            start,
            end,
        )


@pytest.mark.django_db
def test_the_calendar_loads_in_two_queries(django_assert_num_queries):
    TermDate.objects.create(name="Autumn term 2026", starts_on=AUTUMN[0], ends_on=AUTUMN[1])
    ClosureDay.objects.create(date=date(2026, 11, 2), reason="INSET day")
    with django_assert_num_queries(2):
        calendar = school_calendar()
    assert calendar.school_days_since(date(2026, 10, 30), today=date(2026, 11, 3)) == 1


@pytest.mark.django_db
def test_a_term_cannot_end_before_it_starts():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        TermDate.objects.create(name="Backwards", starts_on=AUTUMN[1], ends_on=AUTUMN[0])
