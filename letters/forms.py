"""The draft form: who the letter is to, the reports it is about, every fact it states and
what staff write. Only the facts the letter's wording states are shown."""

import re

from django import forms
from django.core.exceptions import ValidationError

from brunswick.forms import STALE_PAGE, GovukDateField, GovukForm, govuk_messages

from .content import FACTS
from .models import Letter
from .placeholders import long_date
from .services import Draft

OPTIONAL = {"ban_ends_on"}  # Left blank, the ban is "until further notice".
MESSAGES = {
    "incident_on": "Enter the date of the incident",
    "incident_group": "Enter the WhatsApp group",
    "incident_posted": "Enter what was posted",
    "pupil_class": "Enter the child or children, and their class",
    "meeting_on": "Enter the date of the meeting",
    "meeting_time": "Enter the time of the meeting, like 09:15",
    "attendees": "Enter who will attend the meeting",
    "ban_starts_on": "Enter the first day of the ban",
    "review_on": "Enter the review date",
    "representations_deadline": "Enter the deadline for representations",
}
HINTS = {
    "incident_on": "From the report. For example, 27 3 2026",
    "incident_group": "As the letter should name it, for example Year 3.",
    "incident_posted": "In your own words. Never say who reported it.",
    "pupil_class": "For example, Sam Patel, Year 3.",
    "meeting_time": "For example, 09:15",
    "ban_ends_on": "Leave blank for a ban until further notice. For example, 27 3 2026",
}
# How a message names each fact that is text ("The WhatsApp group must be 200 characters
# or fewer"); a date is named from its label ("The date of the incident must be a real date").
SUBJECTS = {
    "incident_group": "The WhatsApp group",
    "incident_posted": "The description of what was posted",
    "pupil_class": "The children and their class",
    "meeting_time": "The time of the meeting",
    "attendees": "The list of who will attend the meeting",
}
WHO = ("addressee_name", "addressee_address", "addressee_email", "delivery")
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _fact_field(name: str) -> forms.Field:
    """The field for one fact: a date, a line of text, or a few lines."""
    required = name not in OPTIONAL
    label = FACTS[name][1]
    if name.endswith("_on") or name == "representations_deadline":
        return GovukDateField(
            label=label,
            subject=f"The {label.lower()}",
            required=required,
            hint=HINTS.get(name, "For example, 27 3 2026"),
            required_message=MESSAGES.get(name, f"Enter the {label.lower()}"),
        )
    text = {
        "label": label,
        "help_text": HINTS.get(name, ""),
        "required": required,
    }
    if name == "incident_group":
        field = forms.CharField(max_length=200, **text)
    elif name == "meeting_time":
        field = forms.CharField(max_length=20, **text)
    else:
        field = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}), **text)
    return govuk_messages(field, SUBJECTS[name], required=MESSAGES[name])


def _report_label(report) -> str:
    posted_by = report.posted_by.strip() or "not known"
    group = report.group_display.removeprefix("Other: ")
    return (
        f"{report.reference}: posted on {long_date(report.occurred_on)} in {group}, by {posted_by}"
    )


def _ids(value: str) -> list[int]:
    return sorted(int(part) for part in value.split(",") if part.strip().isdigit())


class DraftForm(GovukForm):
    reports = govuk_messages(
        forms.ModelMultipleChoiceField(
            label="Which reports is this letter about?",
            help_text="Select every report about this parent. The facts below are filled in "
            "from them.",
            queryset=None,
            widget=forms.CheckboxSelectMultiple,
        ),
        "The reports this letter is about",
        required="Select the report or reports this letter is about",
    )
    # The reports the facts shown were filled in from (ids, comma-separated). Hidden: a
    # tampered value is an error at the top of the form (brunswick.forms.ErrorSummaryMixin).
    facts_from = govuk_messages(
        forms.CharField(widget=forms.HiddenInput, required=False),
        "The reports the facts were filled in from",
        null_characters_not_allowed=STALE_PAGE,
    )
    addressee_name = govuk_messages(
        forms.CharField(label="Addressed to", max_length=200),
        "The name the letter is addressed to",
        required="Enter who the letter is addressed to",
    )
    addressee_address = govuk_messages(
        forms.CharField(
            label="Postal address",
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Needed to post the letter.",
        ),
        "The postal address",
    )
    addressee_email = govuk_messages(
        forms.EmailField(label="Email address", required=False), "The email address"
    )
    delivery = govuk_messages(
        forms.ChoiceField(
            label="How will it be sent?",
            choices=Letter.Delivery.choices,
            widget=forms.RadioSelect,
            initial="post",
        ),
        "How the letter will be sent",
        required="Select how the letter will be sent",
    )
    summary = govuk_messages(
        forms.CharField(
            label="What happened, for this letter",
            help_text="Written in plain words to the addressee. "
            "It appears where the template says {{ summary }}.",
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=10_000,
        ),
        "The summary of what happened",
        required="Enter what happened, for this letter",
    )

    def __init__(self, *args, case_reports=None, stated: list[str] = (), **kwargs):
        """`case_reports`: the case's reports (a queryset), or None for a letter that is
        about no report (a note to a reporter); a list to choose from when there is more
        than one. `stated`: the facts (Letter fields) the letter's wording states."""
        super().__init__(*args, **kwargs)
        self.case_reports, self.stated = case_reports, list(stated)
        if case_reports is not None and len(case_reports) > 1:
            self.fields["reports"].queryset = case_reports
            self.fields["reports"].label_from_instance = _report_label
        else:
            del self.fields["reports"], self.fields["facts_from"]
        for name in self.stated:
            self.fields[name] = _fact_field(name)
        # As on the page (and so in the error summary): who, which reports, facts, summary.
        self.order_fields([*WHO, "reports", "facts_from", *self.stated, "summary"])

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.stated]

    def clean_meeting_time(self) -> str:
        typed = self.cleaned_data["meeting_time"].strip()
        match = TIME.match(typed)
        if typed and not match:
            raise ValidationError(
                "Enter the time of the meeting like 09:15, using the 24-hour clock"
            )
        return f"{int(match[1]):02d}:{match[2]}" if match else ""

    def clean(self):
        data = super().clean()
        starts, ends = data.get("ban_starts_on"), data.get("ban_ends_on")
        if starts and ends and ends < starts:
            self.add_error(
                "ban_ends_on", "The last day of the ban must be on or after the first day"
            )
        return data

    def chosen_reports(self) -> list | None:
        """The reports staff chose: the ticked ones, or the case's only report."""
        if "reports" in self.fields:
            return list(self.cleaned_data.get("reports") or [])
        return None if self.case_reports is None else list(self.case_reports)

    def reports_changed(self) -> bool:
        """Whether staff ticked other reports than the facts shown were filled in from. Call
        after is_valid()."""
        if "reports" not in self.fields or "reports" not in self.cleaned_data:
            return False
        chosen = sorted(report.id for report in self.cleaned_data["reports"])
        return chosen != _ids(self.cleaned_data.get("facts_from", ""))

    def refilled(self, facts: dict) -> "DraftForm":
        """A new form with the facts filled in again from the chosen reports, and everything
        else as typed."""
        kept = {name: self[name].value() for name in self.fields if name not in FACTS}
        chosen = sorted(report.id for report in self.chosen_reports() or [])
        initial = {**kept, **facts, "reports": chosen, "facts_from": ",".join(map(str, chosen))}
        return DraftForm(initial=initial, case_reports=self.case_reports, stated=self.stated)

    def draft(self) -> Draft:
        data = self.cleaned_data
        reports = self.chosen_reports()
        return Draft(
            summary=data["summary"].strip(),
            addressee_name=data["addressee_name"].strip(),
            addressee_address=data["addressee_address"].strip(),
            addressee_email=data["addressee_email"],
            delivery=data["delivery"],
            reports=None if reports is None else tuple(reports),
            facts={name: _tidy(data[name]) for name in self.stated},
        )


def _tidy(value):
    return value.strip() if isinstance(value, str) else value


def initial_reports(reports: list) -> dict:
    """The form's initial choice of reports, and the record that the facts came from them."""
    chosen = sorted(report.id for report in reports)
    return {"reports": chosen, "facts_from": ",".join(map(str, chosen))}
