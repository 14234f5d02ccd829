from datetime import date

import pytest

from insight.periods import PeriodError, PeriodKind, Term, custom_period, named_period

TERMS = [
    Term("Summer term 2026", date(2026, 4, 13), date(2026, 7, 22)),
    Term("Autumn term 2026", date(2026, 9, 3), date(2026, 12, 18)),
    Term("Spring term 2027", date(2027, 1, 5), date(2027, 3, 26)),
]


def test_this_term_runs_from_its_first_day_to_today():
    period = named_period(PeriodKind.THIS_TERM, TERMS, date(2026, 11, 2))
    assert (period.label, period.starts_on, period.ends_on) == (
        "Autumn term 2026",
        date(2026, 9, 3),
        date(2026, 11, 2),
    )
    assert period.bucket == "week"


def test_in_the_holidays_this_term_is_the_one_just_ended_and_last_term_the_one_before():
    this = named_period(PeriodKind.THIS_TERM, TERMS, date(2026, 8, 10))
    last = named_period(PeriodKind.LAST_TERM, TERMS, date(2026, 11, 2))
    assert this.label == "Summer term 2026" and this.ends_on == date(2026, 7, 22)
    assert last.label == "Summer term 2026"


def test_the_school_year_starts_on_1_august_and_is_counted_per_month():
    period = named_period(PeriodKind.THIS_YEAR, TERMS, date(2027, 2, 1))
    assert (period.starts_on, period.ends_on) == (date(2026, 8, 1), date(2027, 2, 1))
    assert period.bucket == "month"


def test_with_no_term_dates_a_term_is_13_weeks():
    period = named_period(PeriodKind.LAST_TERM, [], date(2026, 11, 2))
    assert period.days == 91 and "no term dates" in period.label


def test_a_custom_period_must_end_after_it_starts_and_last_5_years_at_most():
    with pytest.raises(PeriodError, match="same as or after the start date"):
        custom_period(date(2026, 9, 2), date(2026, 9, 1))
    with pytest.raises(PeriodError, match="5 years or less"):
        custom_period(date(2020, 9, 1), date(2025, 9, 2))
    assert custom_period(date(2020, 9, 1), date(2025, 9, 1)).days == 1827
