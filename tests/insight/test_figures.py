"""The aggregated figures against a small school worked out by hand (tests/insight/helpers)."""

import pytest

from insight import figures
from tests.insight.helpers import CALENDAR, SEPTEMBER, TODAY, september

pytestmark = pytest.mark.django_db


def texts(table):
    return {row.label: [cell.text for cell in row.cells] for row in table.rows}


def test_reports_are_counted_per_week_and_per_category(slt):
    september(slt)
    table = figures.reports_received(SEPTEMBER, None)
    assert table.columns == (
        "Reports",
        "Political opinions",
        "Abusive or personal comments",
        "Anger or swearing",
        "Threatening behaviour",
    )
    assert texts(table) == {
        "Week of 31 Aug 2026": ["2", "0", "1", "2", "0"],
        "Week of 7 Sep 2026": ["1", "0", "0", "0", "1"],
        "Week of 14 Sep 2026": ["0", "0", "0", "0", "0"],
        "Week of 21 Sep 2026": ["0", "0", "0", "0", "0"],
        "Week of 28 Sep 2026": ["2", "1", "1", "0", "0"],
        "Total": ["5", "1", "2", "2", "1"],
    }
    by_category = figures.reports_by_category(table)
    assert texts(by_category) == {
        "Abusive or personal comments": ["2"],
        "Anger or swearing": ["2"],
        "Political opinions": ["1"],
        "Threatening behaviour": ["1"],
    }


def test_a_group_filter_counts_only_that_group(slt):
    school = september(slt)
    assert texts(figures.reports_received(SEPTEMBER, school.year2))["Total"] == ["1", "1"]
    assert texts(figures.reports_received(SEPTEMBER, "other"))["Total"] == ["1", "1"]
    # Cases are in a group through their reports: case 3 (Year 2, at a meeting) and
    # case 4 (its report is in October).
    assert texts(figures.open_cases_by_step(school.year2.id))["2. Meeting"] == ["1"]
    assert texts(figures.open_cases_by_step(school.year1.id))["2. Meeting"] == ["0"]


def test_open_cases_are_at_their_latest_step_not_counting_withdrawn_ones(slt):
    september(slt)
    table = figures.open_cases_by_step(None)
    assert texts(table) == {
        "No step yet": ["1"],
        "1. Gathering information": ["0"],
        "2. Meeting": ["1"],
        "3. Warning letter": ["0"],
        "4. Authorities": ["0"],
        "5. Legal advice": ["0"],
        "6. Site ban": ["0"],
    }
    assert dict(table.facts)["Cases open today"].text == "2"


def test_time_to_acknowledge_counts_school_days_against_the_target(slt):
    september(slt)
    table = figures.time_to_acknowledge(SEPTEMBER, None, calendar=CALENDAR, target=2, today=TODAY)
    # 1 Sep -> 2 Sep: 1 day. 2 Sep -> 7 Sep: 3 days (Thu, Fri, Mon). 11 Sep -> 15 Sep: 1 day
    # (Mon 14th is an INSET day). Waiting: 28 Sep, 4 days by 2 Oct; 30 Sep, 2 days.
    assert texts(table) == {
        "Within 2 school days": ["2"],
        "Later than 2 school days": ["1"],
        "Not yet, and past the target": ["1"],
        "Not yet, still within the target": ["1"],
    }
    assert dict(table.facts)["Median time to acknowledge"].text == "1 school day"


def test_time_to_close_counts_school_days_against_the_target(slt):
    september(slt)
    table = figures.time_to_close(SEPTEMBER, None, calendar=CALENDAR, target=10, today=TODAY)
    # Case 1: 2 -> 16 Sep, 9 school days. Case 2: 7 -> 30 Sep, 16. Case 3, open since
    # 15 Sep: 13 by 2 Oct. Case 4, open since 1 Oct: 1.
    assert texts(table) == {
        "Closed within 10 school days": ["1"],
        "Closed later than 10 school days": ["1"],
        "Open today, past the target": ["1"],
    }
    assert dict(table.facts)["Median time to close"].text == "12.5 school days"


def test_outcomes_are_shares_of_the_cases_closed_in_the_period(slt):
    september(slt)
    shares = texts(figures.outcomes(SEPTEMBER, None))
    assert shares["Warning issued"] == ["50% (1 of 2)"]
    assert shares["Advice given"] == ["50% (1 of 2)"]
    assert shares["No breach of the code of conduct"] == ["0% (0 of 2)"]  # 2025's case.


def test_groups_with_the_most_reports(slt):
    september(slt)
    assert texts(figures.groups(SEPTEMBER, None)) == {
        "Year 1": ["3"],
        "Year 2": ["1"],
        "Other or not listed": ["1"],
    }


def test_people_with_more_than_one_case_in_the_last_12_months(slt):
    september(slt)
    # Lee Old's other case was opened in June 2025: more than 12 months before.
    unnamed = figures.repeated_people(TODAY, None)
    assert texts(unnamed) == {"Person 1": ["2"]}
    assert texts(figures.with_names(unnamed)) == {"Pat Repeat": ["2"]}


def test_an_empty_period_has_empty_tables(slt):
    from datetime import date

    from insight.periods import Period

    empty = Period("Chosen dates", date(2020, 1, 1), date(2020, 1, 31))
    september(slt)
    assert figures.reports_received(empty, None).is_empty
    assert figures.groups(empty, None).is_empty
    assert figures.outcomes(empty, None).is_empty
