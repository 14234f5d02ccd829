from datetime import date

import pytest

from brunswick.subject_access.deadlines import one_calendar_month_after


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2025, 3, 15), date(2025, 4, 15)),
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2024, 1, 31), date(2024, 2, 29)),  # A leap year.
        (date(2025, 1, 29), date(2025, 2, 28)),
        (date(2025, 3, 31), date(2025, 4, 30)),
        (date(2025, 2, 28), date(2025, 3, 28)),
        (date(2025, 12, 15), date(2026, 1, 15)),
        (date(2025, 12, 31), date(2026, 1, 31)),
    ],
)
def test_it_is_due_on_the_same_date_next_month_or_that_months_last_day(received_on, due_on):
    assert one_calendar_month_after(received_on) == due_on
