"""Every page that takes a date refuses one that is not a real date of four-figure year,
in the GOV.UK Design System's words naming that date, in the error summary and next to the
boxes, keeps what was typed, and saves nothing."""

from datetime import date

import pytest

from brunswick.subject_access.models import SubjectAccessRequest
from tests.forms.helpers import DATE_PAGES, kept, summary, text

pytestmark = pytest.mark.django_db

REFUSED = [
    (("1", "12", "26"), "{} must include a year with 4 numbers", 2),
    (("1", "1", "99999"), "{} must include a year with 4 numbers", 2),
    (("31", "2", "2026"), "{} must be a real date", 0),
    (("1", "13", "2026"), "{} must be a real date", 1),
    (("0", "3", "2026"), "{} must be a real date", 0),
    (("x", "3", "2026"), "{} must be a real date", 0),
    (("3", "", "2026"), "{} must include a month", 1),
    (("", "", "2026"), "{} must include a day and month", 0),
    (("1", "1", "1999"), "{} must be the same as or after {earliest}", 0),
]


@pytest.mark.parametrize("date_page", DATE_PAGES, ids=str)
@pytest.mark.parametrize(
    "typed, message, box", REFUSED, ids=lambda v: "-".join(v) if isinstance(v, tuple) else None
)
def test_a_date_that_is_not_real_is_refused_in_words_and_kept_as_typed(
    client, slt, head_teacher, date_page, typed, message, box
):
    response = date_page.post(client, slt, head_teacher, typed)

    said = message.format(date_page.subject, earliest=date_page.earliest)
    anchor = f"id_{date_page.field}_{box}"  # The box the message is about.
    assert (anchor, said) in summary(response), summary(response)
    assert text(response).count(said) == 2  # In the summary and next to the boxes.
    assert kept(response, date_page.field, typed)
    assert not date_page.saved()
    for django_words in ("out of range", "Enter a valid", "must be in 1..12"):
        assert django_words not in text(response)


@pytest.mark.smoke
@pytest.mark.parametrize("date_page", DATE_PAGES[:4], ids=str)
def test_a_two_digit_year_is_not_taken_for_the_year_26(client, slt, head_teacher, date_page):
    response = date_page.post(client, slt, head_teacher, ("1", "12", "26"))

    assert response.status_code in (200, 400)
    assert f"{date_page.subject} must include a year with 4 numbers" in text(response)
    assert "There is a problem" in text(response)
    assert not date_page.saved()


def test_the_subject_access_request_form_shows_the_error_summary(client, head_teacher):
    subject_access = DATE_PAGES[0]
    response = subject_access.post(client, None, head_teacher, ("", "", ""))

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert ("id_received_on_0", "Enter the date the request was received") in summary(response)


def test_a_date_in_the_future_is_refused_on_the_parents_report(client, slt, head_teacher):
    report = DATE_PAGES[3]
    response = report.post(client, slt, head_teacher, ("1", "1", "2099"))

    assert ("id_occurred_on_0", "The date it was posted must be today or in the past") in summary(
        response
    )
    assert not report.saved()


def test_a_refused_date_marks_the_box_it_is_about_or_every_box(client, slt, head_teacher):
    decision = DATE_PAGES[1]
    page = decision.post(client, slt, head_teacher, ("1", "12", "26")).content.decode()
    assert page.count("govuk-input--error") == 1  # The year.

    page = decision.post(client, slt, head_teacher, ("1", "1", "1999")).content.decode()
    assert page.count("govuk-input--error") == 3  # The date as a whole.


def test_month_names_and_leading_zeros_are_taken_as_typed_by_people(client, head_teacher):
    subject_access = DATE_PAGES[0]
    response = subject_access.post(client, None, head_teacher, ("03", "Sept", "2026"))

    assert response.status_code == 302
    assert SubjectAccessRequest.objects.get().received_on == date(2026, 9, 3)
