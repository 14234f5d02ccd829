"""The dashboard's period and group, from GET parameters (a form or a shared link). Bad
input is a form error with a message in the page, never a 500."""

from datetime import date

from crispy_forms_gds.helper import FormHelper
from django import forms

from brunswick.forms import GovukDateField, govuk_messages
from brunswick.school.models import ClassGroup

from .periods import Period, PeriodError, PeriodKind, Term, custom_period, named_period

OTHER_GROUP = "other"


def _date(label: str) -> GovukDateField:
    # Optional here: clean() asks for both dates only for a period of your own.
    return GovukDateField(label=label, required=False, hint="For example, 1 9 2026")


class InsightFilterForm(forms.Form):
    period = govuk_messages(
        forms.ChoiceField(label="Period", choices=PeriodKind.choices, widget=forms.RadioSelect),
        "The period",
        required="Select a period",
        invalid_choice="Select a period from the list",
    )
    starts_on = _date("Start date")
    ends_on = _date("End date")
    group = govuk_messages(
        forms.ChoiceField(
            label="Group",
            required=False,
            choices=[],  # The groups are rows: set in __init__.
        ),
        "The group",
        invalid_choice="Select a group from the list",
    )

    def __init__(self, data, *, groups: list[tuple[int, str]], terms: list[Term], today: date):
        super().__init__(data)
        self.terms, self.today = terms, today
        self.fields["group"].choices = [
            ("", "All groups"),
            *((str(id_), name) for id_, name in groups),
            (OTHER_GROUP, "Other or not listed"),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False  # The template holds the GET <form> and its button.
        self.helper.attrs = {"novalidate": ""}

    def clean(self):
        data = super().clean()
        if data.get("period") != PeriodKind.CUSTOM:
            return data
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if "starts_on" not in self.errors and not starts_on:
            self.add_error("starts_on", "Enter the start date")
        if "ends_on" not in self.errors and not ends_on:
            self.add_error("ends_on", "Enter the end date")
        if starts_on and ends_on:
            try:
                data["chosen_period"] = custom_period(starts_on, ends_on)
            except PeriodError as error:
                self.add_error(error.field, error.message)
        return data

    def chosen_period(self) -> Period:
        """Call after is_valid()."""
        kind = self.cleaned_data["period"]
        if kind == PeriodKind.CUSTOM:
            return self.cleaned_data["chosen_period"]
        return named_period(kind, self.terms, self.today)

    def chosen_group(self) -> int | str | None:
        """A group's id, OTHER_GROUP, or None for all groups."""
        value = self.cleaned_data.get("group") or None
        return int(value) if value and value != OTHER_GROUP else value


def group_choices() -> list[tuple[int, str]]:
    # Inactive groups too: older reports still name them.
    return list(ClassGroup.objects.order_by("position", "name").values_list("id", "name"))
