"""Every date error a parent can make on the report form gets the Design System's words,
linked from the error summary to the box it is about, and the boxes keep what was typed."""

from datetime import date

import pytest

from brunswick.school.models import SchoolSettings
from tests.reports.helpers import report_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "box"),
    [
        ("3", "11", "26", "The date it was posted must include a year with 4 numbers", 2),
        ("3", "11", "0", "The date it was posted must include a year with 4 numbers", 2),
        ("31", "2", "2026", "The date it was posted must be a real date", 0),
        ("3", "13", "2026", "The date it was posted must be a real date", 1),
        ("3", "", "2026", "The date it was posted must include a month", 1),
        ("3", "11", "2099", "The date it was posted must be today or in the past", 0),
        ("3", "11", "1900", "must be the same as or after 1 September 2020", 0),
        ("", "", "", "Enter the date it was posted, for example 27 3 2026", 0),
    ],
)
def test_each_date_error_in_gov_uk_words(client, groups, day, month, year, message, box):
    data = report_form_data(groups[0], occurred_on_0=day, occurred_on_1=month, occurred_on_2=year)
    page = client.post("/report/", data).content.decode()
    assert message in page
    assert f'href="#id_occurred_on_{box}">' in page
    assert "day is out of range" not in page and "Enter a valid date" not in page
    for typed in (day, month, year):
        if typed:
            assert f'value="{typed}"' in page


def test_the_earliest_date_is_the_schools_setting(client, groups):
    school = SchoolSettings.current()
    school.earliest_report_date = date(2026, 1, 1)
    school.save()
    data = report_form_data(groups[0], occurred_on_0="31", occurred_on_1="12", occurred_on_2="2025")
    page = client.post("/report/", data).content.decode()
    assert "must be the same as or after 1 January 2026" in page


def test_over_long_text_names_the_field_and_keeps_every_character(client, groups):
    long = "x" * 201
    page = client.post("/report/", report_form_data(groups[0], posted_by=long)).content.decode()
    assert "must be 200 characters or fewer" in page
    assert "Ensure this value" not in page
    assert long in page  # Nothing cut: the parent shortens it.
    assert " maxlength=" not in page
