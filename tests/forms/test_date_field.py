"""The project's date field on its own: what it takes, what it refuses and in which words,
and which boxes it marks."""

import re
from datetime import date, timedelta

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils import timezone

from brunswick.forms import GovukDateField


class DecisionDate(forms.Form):
    decided_on = GovukDateField(label="Date of the decision")


class PostedDate(forms.Form):
    posted_on = GovukDateField(
        label="When was it posted?", subject="The date it was posted", past_only=True
    )


class OptionalDate(forms.Form):
    ends_on = GovukDateField(label="Site ban ends", required=False, earliest=None)


def typed(form_class, day, month, year):
    name = next(iter(form_class.base_fields))
    form = form_class({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    form.is_valid()
    return form, name


@pytest.mark.parametrize(
    "day, month, year, taken",
    [
        ("27", "3", "2026", date(2026, 3, 27)),
        ("05", "04", "2026", date(2026, 4, 5)),
        (" 5 ", "4", " 2026", date(2026, 4, 5)),
        ("1st", "Jan", "2026", date(2026, 1, 1)),
        ("29", "february", "2028", date(2028, 2, 29)),
        ("3", "Sept.", "2026", date(2026, 9, 3)),
    ],
)
def test_it_takes_a_date_as_people_type_it(day, month, year, taken):
    form, name = typed(DecisionDate, day, month, year)
    assert form.cleaned_data[name] == taken


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("", "", "", "Enter the date of the decision"),
        ("1", "12", "26", "Date of the decision must include a year with 4 numbers"),
        ("1", "12", "0026", "Date of the decision must include a year with 4 numbers"),
        ("1", "12", "99999", "Date of the decision must include a year with 4 numbers"),
        ("29", "2", "2027", "Date of the decision must be a real date"),
        ("31", "9", "2026", "Date of the decision must be a real date"),
        ("32", "1", "2026", "Date of the decision must be a real date"),
        ("1", "0", "2026", "Date of the decision must be a real date"),
        ("1", "Smarch", "2026", "Date of the decision must be a real date"),
        ("-1", "1", "2026", "Date of the decision must be a real date"),
        ("1", "1", "2026\x00", "Date of the decision must include a year with 4 numbers"),
        ("1", "", "", "Date of the decision must include a month and year"),
        ("", "1", "", "Date of the decision must include a day and year"),
        ("1", "1", "", "Date of the decision must include a year"),
        ("31", "12", "1999", "Date of the decision must be the same as or after 1 January 2000"),
    ],
)
def test_it_refuses_what_is_not_a_date_in_the_design_systems_words(day, month, year, message):
    form, name = typed(DecisionDate, day, month, year)
    assert form.errors[name] == [message]


def test_it_can_refuse_a_date_after_today():
    tomorrow = timezone.localdate() + timedelta(days=1)
    form, name = typed(PostedDate, str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    assert form.errors[name] == ["The date it was posted must be today or in the past"]


def test_an_optional_date_may_be_left_blank_but_not_half_typed():
    form, name = typed(OptionalDate, "", "", "")
    assert form.is_valid() and form.cleaned_data[name] is None
    form, name = typed(OptionalDate, "", "6", "")
    assert form.errors[name] == ["Site ban ends must include a day and year"]
    form, name = typed(OptionalDate, "1", "1", "1990")
    assert form.is_valid()  # No floor asked for.


def test_what_was_typed_stays_in_the_boxes():
    form, name = typed(DecisionDate, "31", "2", "26")
    html = str(as_crispy_field(form[name]))
    for box, value in enumerate(("31", "2", "26")):
        assert f'name="{name}_{box}" value="{value}"' in html


def marked_boxes(form, name) -> list[int]:
    boxes = re.findall(r"<input [^>]*>", str(as_crispy_field(form[name])))
    return [index for index, box in enumerate(boxes) if "govuk-input--error" in box]


def test_the_box_in_the_wrong_is_marked_or_every_box_when_it_is_the_whole_date():
    assert marked_boxes(*typed(DecisionDate, "1", "13", "2026")) == [1]
    assert marked_boxes(*typed(DecisionDate, "1", "1", "26")) == [2]
    assert marked_boxes(*typed(DecisionDate, "", "", "2026")) == [0, 1, 2]
    assert marked_boxes(*typed(DecisionDate, "1", "1", "1999")) == [0, 1, 2]


def test_every_box_asks_for_numbers_on_a_phone():
    html = str(as_crispy_field(DecisionDate()["decided_on"]))
    assert html.count('inputmode="numeric"') == 3
