"""The running count the dashboard uses gives the same school days as the calendar's own
sum (brunswick.school.calendar.school_days_between), for every pair of dates."""

import random
from datetime import date, timedelta

import pytest

from brunswick.school.calendar import SchoolCalendar

TERMS = ((date(2026, 9, 3), date(2026, 12, 18)), (date(2027, 1, 5), date(2027, 3, 26)))
CLOSURES = frozenset({date(2026, 11, 2), date(2027, 2, 15), date(2026, 12, 25)})


@pytest.mark.parametrize("terms", [TERMS, ()], ids=["with terms", "no terms entered"])
def test_the_counter_agrees_with_the_sum(terms):
    calendar = SchoolCalendar(terms=terms, closures=CLOSURES)
    first, last = date(2026, 8, 20), date(2027, 4, 10)
    counter = calendar.counter(first, last)
    pick = random.Random(1)
    for _ in range(500):
        start = first + timedelta(days=pick.randint(-10, 240))
        end = start + timedelta(days=pick.randint(-3, 60))
        assert counter.between(start, end) == calendar.school_days_since(start, end), (
            start,
            end,
        )
