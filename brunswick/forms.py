"""The project's form fields and messages, in the GOV.UK Design System's words.

- `GovukDateField`: every date any form takes. Day, month and year boxes; a year of 4
  numbers (26 is not 2026, nor the year 26); a real date (not 31 2 2026, month 13 or day 0);
  nothing before 1 January 2000 unless a field says otherwise, and optionally nothing after
  today. Each refusal is the Design System's date input message, naming the date, and the
  boxes keep what was typed. https://design-system.service.gov.uk/components/date-input/
- `govuk_messages`: gives a field a message naming it for every error it can show, in
  place of Django's ("This field is required.", "Select a valid choice ...", "Ensure this
  value has at most ...", "Null characters are not allowed.").
- e-mail addresses need a domain with a dot (`govuk_messages` replaces Django's validator,
  which lets a@localhost through); `PhoneNumberField` checks a number with libphonenumber.
- `VersionField` and `ErrorSummaryMixin`: the hidden version a form carries, and a form
  whose every error, a hidden field's too, is in the page's error summary.

tests/test_form_messages.py walks every form in the project and fails on a date field that
is not a `GovukDateField`, or on any message in Django's default words.
"""

import re
from calendar import month_abbr, month_name
from datetime import date
from typing import TypeVar

import phonenumbers
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core import validators
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

EARLIEST = date(2000, 1, 1)  # Nothing the school records through the portal is older.
EXAMPLE = "For example, 27 3 2026"
EMAIL = "Enter an email address in the correct format, like name@example.com"
PHONE = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
STALE_PAGE = (
    "This page is out of date and your change was not saved. Reload the page and try again."
)

PARTS = ("day", "month", "year")
DAY = re.compile(r"^0?([1-9]|[12][0-9]|3[01])(st|nd|rd|th)?$", re.IGNORECASE)
MONTH = re.compile(r"^0?([1-9]|1[0-2])$")
MONTHS = {
    **{month_name[n].lower(): n for n in range(1, 13)},
    **{month_abbr[n].lower(): n for n in range(1, 13)},
    "sept": 9,
}
YEAR = re.compile(r"^[1-9][0-9]{3}$")

F = TypeVar("F", bound=forms.Field)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def long_date(day: date) -> str:
    """A date as the school writes it: 1 January 2000."""
    return f"{day.day} {day:%B %Y}"


class GovukDateWidget(DateInputWidget):
    """The Design System's three boxes. When the date as a whole is wrong, every box is
    marked; crispy-forms-gds marks only the boxes whose part carries the message."""

    whole_date_wrong = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for box in self.widgets:
            box.attrs["inputmode"] = "numeric"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.whole_date_wrong:
            for box in context["widget"]["subwidgets"]:
                classes = box["attrs"].get("class", "")
                if "govuk-input--error" not in classes.split():
                    box["attrs"]["class"] = f"{classes} govuk-input--error".strip()
        return context


class GovukDateField(DateInputField):
    """A date in three boxes, refused in the Design System's words.

    `subject` names the date as a message starts ("Date of the decision must be a real
    date"); it defaults to the label, which may be a question. `earliest` (1 January 2000
    unless given; None for no floor) and `past_only` ("must be today or in the past") bound
    it. What was typed stays in the boxes: the form shows the data it was given.
    """

    widget = GovukDateWidget

    def __init__(
        self,
        *,
        label: str,
        subject: str = "",
        required: bool = True,
        hint: str = EXAMPLE,
        earliest: date | None = EARLIEST,
        past_only: bool = False,
        required_message: str = "",
        **kwargs,
    ):
        super().__init__(
            label=label, required=required, require_all_fields=False, help_text=hint, **kwargs
        )
        self.subject = subject = subject or label
        self.earliest, self.past_only = earliest, past_only
        the = "" if subject.lower().startswith("the ") else "the "
        real = f"{subject} must be a real date"
        self.error_messages.update(
            {
                "required": required_message or f"Enter {the}{_lower_first(subject)}",
                "incomplete": f"{subject} must include a day, month and year",
                "invalid": real,
                "year": f"{subject} must include a year with 4 numbers",
                "future": f"{subject} must be today or in the past",
            }
        )
        if earliest:
            self.error_messages["earliest"] = (
                f"{subject} must be the same as or after {long_date(earliest)}"
            )
        # The boxes are read by clean() below, never by their own fields: their words too.
        for box, part in zip(self.fields, PARTS, strict=True):
            box.validators = []
            box.error_messages.update(
                {
                    "required": f"{subject} must include a {part}",
                    "incomplete": f"{subject} must include a {part}",
                    "null_characters_not_allowed": real,
                }
            )

    def clean(self, value):
        """The date, or None when an optional date is left blank. The first problem found,
        in the Design System's order: nothing typed, a part missing, a part that cannot be
        right, a year without 4 numbers, a day the month does not have, out of bounds."""
        if self.disabled and not isinstance(value, list):
            value = self.widget.decompress(value)
        self.widget.whole_date_wrong = False
        for box in self.fields:
            box.widget.errors = []
        values = list(value) if isinstance(value, list | tuple) else []
        typed = [str(part or "").strip() for part in [*values, "", "", ""][:3]]
        if not any(typed):
            if self.required:
                raise self._refuse(self.error_messages["required"], "required", PARTS)
            return None
        missing = [part for part, text in zip(PARTS, typed, strict=True) if not text]
        if missing:
            message = f"{self.subject} must include a {' and '.join(missing)}"
            raise self._refuse(message, "incomplete", missing)
        day, month = _day(typed[0]), _month(typed[1])
        wrong = [part for part, number in (("day", day), ("month", month)) if number is None]
        if wrong:
            raise self._refuse(self.error_messages["invalid"], "invalid", wrong)
        if not YEAR.match(typed[2]):
            raise self._refuse(self.error_messages["year"], "year", ["year"])
        try:
            chosen = date(int(typed[2]), month, day)
        except ValueError:  # A day the month does not have: 31 2 2026.
            raise self._refuse(self.error_messages["invalid"], "invalid", ["day"]) from None
        if self.earliest and chosen < self.earliest:
            raise self._refuse(self.error_messages["earliest"], "earliest", PARTS)
        if self.past_only and chosen > timezone.localdate():
            raise self._refuse(self.error_messages["future"], "future", PARTS)
        return chosen

    def _refuse(self, message: str, code: str, parts) -> ValidationError:
        """The error, carried by the box it is about, or by the day box (where the date
        starts, and where the error summary links) with every box marked."""
        index = PARTS.index(parts[0]) if len(parts) == 1 else 0
        self.fields[index].widget.errors = [message]
        self.widget.whole_date_wrong = len(parts) > 1
        return ValidationError(message, code=code)


def _day(text: str) -> int | None:
    match = DAY.match(text)
    return int(match[1]) if match else None


def _month(text: str) -> int | None:
    match = MONTH.match(text)
    return int(match[1]) if match else MONTHS.get(text.lower().rstrip("."))


def _django_default(field: forms.Field, code: str):
    """The message Django's own field classes give `code`, if any."""
    for cls in type(field).__mro__:
        if cls.__module__.startswith("django.") and code in cls.__dict__.get(
            "default_error_messages", {}
        ):
            return cls.__dict__["default_error_messages"][code]
    return None


def _limit(field: forms.Field, code: str):
    for validator in field.validators:
        if getattr(validator, "code", None) == code:
            limit = validator.limit_value
            return limit() if callable(limit) else limit
    return None


def govuk_messages(field: F, subject: str, **messages: str) -> F:
    """Give `field` a message naming `subject` for every error it can show.

    `subject` names what the field holds as a sentence starts: "Reasons for the decision".
    `messages`, by error code, are used as given. Messages the field was already given in
    the project's own words are kept; the rest are worded here: "Enter ..." or "Select ..."
    when required, "Select ... from the list" for a crafted choice, "... must be 10,000
    characters or fewer", the Design System's e-mail message. A code this cannot word (a
    time's "invalid") must be given, or this raises ImproperlyConfigured at import.
    """
    lower = _lower_first(subject)
    choosing = isinstance(field, forms.ChoiceField | forms.BooleanField)
    codes = {*field.error_messages, *(getattr(v, "code", None) for v in field.validators)}
    codes.discard(None)
    for code, message in messages.items():
        field.error_messages[code] = message
    if isinstance(field, forms.EmailField):
        # Django lets a@localhost through (its allowlist): no one at a school can be
        # written to there. Any address needs a domain with a dot in it.
        field.validators = [
            v for v in field.validators if not isinstance(v, validators.EmailValidator)
        ] + [validators.EmailValidator(message=EMAIL, allowlist=[])]
    for code in sorted(codes - set(messages)):
        own = field.error_messages.get(code)
        if own and own != _django_default(field, code):
            continue
        field.error_messages[code] = _worded(field, code, subject, lower, choosing)
    return field


def _worded(field: forms.Field, code: str, subject: str, lower: str, choosing: bool) -> str:
    required = field.error_messages.get("required")
    if required == _django_default(field, "required"):
        required = f"{'Select' if choosing else 'Enter'} {lower}"
    if code == "required":
        return required
    if code in ("invalid_choice", "invalid_list", "invalid_pk_value"):
        if required.startswith("Select "):
            return required
        # A message, not SQL: "Select ... from" reads like a query to the linters.
        return f"Select {lower} from the list"  # noqa: S608  # nosec B608
    if code == "max_length":
        return f"{subject} must be {_limit(field, code):,} characters or fewer"
    if code == "min_length":
        return f"{subject} must be {_limit(field, code):,} characters or more"
    if code == "null_characters_not_allowed":
        return f"{subject} must not include hidden characters"
    if code == "max_value":
        return f"{subject} must be {_limit(field, code)} or less"
    if code == "min_value":
        return f"{subject} must be {_limit(field, code)} or more"
    if code == "invalid" and isinstance(field, forms.EmailField):
        return EMAIL
    if code == "invalid" and isinstance(field, forms.IntegerField):
        return f"{subject} must be a whole number"
    raise ImproperlyConfigured(
        f"{type(field).__name__} for {subject!r}: give its message for {code!r}"
    )


class TelInput(forms.TextInput):
    input_type = "tel"  # Phones show their number pad.


def shown_as_typed(form: forms.BaseForm) -> forms.BaseForm:
    """The form showing what was typed and no message: a page that was not a send (a
    screenshot added, a send refused for its rate). A date's boxes keep their own marks
    (GovukDateField), so those go too, or the summary would still list them."""
    form.full_clean()
    form._errors = forms.utils.ErrorDict()
    for field in form.fields.values():
        if isinstance(field, GovukDateField):
            field.widget.whole_date_wrong = False
            for box in field.fields:
                box.widget.errors = []
    return form


class PhoneNumberField(forms.CharField):
    """A phone number the school can ring: UK numbers as a parent writes them (07700 900
    982, 020 7946 0000), others with their country code (+33 1 23 45 67 89). Checked by
    Google's libphonenumber (`phonenumbers`); kept as typed, tidied into its usual form."""

    default_error_messages = {"invalid": PHONE}
    widget = TelInput(attrs={"autocomplete": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return text
        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        uk = number.country_code == 44
        # A UK number of the right length counts even where libphonenumber does not know the
        # range, Ofcom's numbers for examples (07700 900 982) among them.
        uk_shaped = uk and len(str(number.national_number)) in (9, 10)
        if not (phonenumbers.is_valid_number(number) or uk_shaped):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        style = phonenumbers.PhoneNumberFormat
        return phonenumbers.format_number(number, style.NATIONAL if uk else style.INTERNATIONAL)


class VersionField(forms.IntegerField):
    """The version of the record a form was shown with. Missing or not a number, the
    page was not the portal's, or is out of date: the message says what to do."""

    widget = forms.HiddenInput
    default_error_messages = {"required": STALE_PAGE, "invalid": STALE_PAGE}


class ErrorSummaryMixin:
    """Every error in the page's error summary ("There is a problem").

    crispy-forms-gds's summary shows nothing for a form without a `helper`, and lists only
    visible fields: an error on a hidden field (a tampered version) would leave the
    banner empty. Here it becomes an error of the form as a whole.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # The templates hold the <form>.

    def full_clean(self):
        super().full_clean()
        hidden = [
            name
            for name in list(self._errors)
            if name in self.fields and self.fields[name].widget.is_hidden
        ]
        for name in hidden:
            self.add_error(None, self._errors.pop(name).as_data())


class GovukForm(ErrorSummaryMixin, forms.Form):
    pass
