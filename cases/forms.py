"""Staff forms for cases. They validate input; cases/ladder.py applies the policy's rules."""

from dataclasses import fields
from datetime import datetime

from django import forms
from django.utils import timezone

from brunswick.accounts.models import Role, User
from brunswick.forms import (
    ErrorSummaryMixin,
    GovukDateField,
    GovukForm,
    VersionField,
    govuk_messages,
)
from brunswick.widgets import LongSelect

from .ladder import STEP_DATES, DecisionDetails, StepProposal
from .models import Decision, LadderStep, Person

Kind = LadderStep.Kind


class StaffForm(GovukForm):
    """Every case form carries the version of the case it was shown with; a missing or
    tampered one is an error at the top of the form (brunswick.forms.VersionField)."""

    version = VersionField()


def _date(
    label: str, subject: str = "", required: bool = False, hint: str = "For example, 27 3 2026"
) -> GovukDateField:
    return GovukDateField(label=label, subject=subject, required=required, hint=hint)


def _text(
    label: str, subject: str = "", required: bool = True, rows: int = 4, hint: str = ""
) -> forms.CharField:
    """A few lines of text. `subject` names it in messages where the label is a question
    or a clause ("Why the step is being withdrawn")."""
    field = forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10_000,
    )
    return govuk_messages(field, subject or label, required=f"Enter {label[0].lower()}{label[1:]}")


def staff_leads():
    return User.objects.with_role(Role.SLT, Role.HEAD_TEACHER).order_by("first_name", "last_name")


class StepForm(StaffForm):
    """Propose a step of one kind; only that kind's fields are shown."""

    rationale = _text(
        "Why this step is proportionate",
        "The reason this step is proportionate",
        hint="The Head Teacher reads this. Say what happened and why this response fits it.",
    )
    skip_reason = _text(
        "Why earlier steps are being skipped",
        "The reason earlier steps are being skipped",
        required=False,
        rows=3,
    )
    person = govuk_messages(
        forms.ModelChoiceField(
            label="Which parent is this step about?", queryset=Person.objects.none(), required=False
        ),
        "The parent this step is about",
        invalid_choice="Select a parent who is on this case",
    )
    due_on = _date(
        "Due date",
        STEP_DATES["due_on"],
        hint="When this step should be done by. For example, 27 3 2026",
    )
    notes = _text("Notes", required=False, rows=3)
    # The meeting's date, under the name of the step's field (meeting_at), so a refusal by
    # the ladder ("The meeting date ...") shows next to it; meeting_time is its time.
    meeting_at = _date("Date of the meeting", "The meeting date")
    meeting_time = govuk_messages(
        forms.TimeField(
            label="Time of the meeting",
            required=False,
            help_text="For example, 15:30",
            input_formats=["%H:%M", "%H.%M"],
        ),
        "The time of the meeting",
        invalid="Enter the time of the meeting like 15:30, using the 24-hour clock",
    )
    attendees = _text("Who will attend", "The list of who will attend", required=False, rows=2)
    ban_type = govuk_messages(
        forms.ChoiceField(
            label="Type of ban",
            choices=LadderStep.BanType.choices,
            widget=forms.RadioSelect,
            required=False,
        ),
        "The type of ban",
        required="Select the type of ban",
    )
    ban_starts_on = _date("Ban starts", STEP_DATES["ban_starts_on"])
    ban_ends_on = _date(
        "Ban ends",
        STEP_DATES["ban_ends_on"],
        hint="Leave blank for a ban with no end date. For example, 27 3 2026",
    )
    review_on = _date(
        "Review date",
        STEP_DATES["review_on"],
        hint="Every ban is reviewed. For example, 27 3 2026",
    )
    representations_invited_on = _date(
        "Parent invited to make representations on",
        STEP_DATES["representations_invited_on"],
    )
    representations_deadline = _date(
        "Deadline for representations", STEP_DATES["representations_deadline"]
    )
    urgent = govuk_messages(
        forms.BooleanField(
            label="Urgent temporary ban: it cannot wait for representations", required=False
        ),
        "Whether the ban is urgent",
    )
    urgent_reasons = _text("Reasons it is urgent", required=False, rows=3)

    FIELDS_BY_KIND = {
        Kind.MEETING: ["meeting_at", "meeting_time", "attendees"],
        Kind.SITE_BAN: [
            "ban_type", "ban_starts_on", "ban_ends_on", "review_on", "representations_invited_on",
            "representations_deadline", "urgent", "urgent_reasons",
        ],
    }  # fmt: skip
    SPECIFIC = {name for names in FIELDS_BY_KIND.values() for name in names}

    def __init__(self, *args, kind: str, case, skipping: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in self.SPECIFIC - set(self.FIELDS_BY_KIND.get(kind, [])):
            del self.fields[name]
        if not skipping:
            del self.fields["skip_reason"]
        self.fields["person"].queryset = case.people.order_by("full_name")

    def clean(self):
        data = super().clean()
        if "meeting_at" in self.fields:
            day, time = data.get("meeting_at"), data.get("meeting_time")
            if day and not time and "meeting_time" not in self.errors:
                self.add_error("meeting_time", "Enter the time of the meeting, like 15:30")
            if time and not day and "meeting_at" not in self.errors:
                self.add_error("meeting_at", "Enter the date of the meeting")
        return data

    def proposal(self) -> StepProposal:
        data = self.cleaned_data
        person = data.get("person")
        given = {f.name: data[f.name] for f in fields(StepProposal) if f.name in data}
        if given.get("meeting_at"):
            given["meeting_at"] = timezone.make_aware(
                datetime.combine(data["meeting_at"], data["meeting_time"])
            )
        return StepProposal(
            **{**given, "kind": self.kind, "person_id": person.id if person else None}
        )


class ApprovalForm(StaffForm):
    approve = govuk_messages(
        forms.TypedChoiceField(
            label="Do you approve this step?",
            choices=[("yes", "Yes, approve it"), ("no", "No, do not approve it")],
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
        ),
        "Whether you approve this step",
        required="Select whether you approve this step",
    )
    note = _text(
        "Note for the record", required=False, rows=3, hint="Required if you do not approve it."
    )


class CompleteStepForm(StaffForm):
    outcome = _text("Outcome", hint="What happened, and what the parent said.")
    minutes = _text("Meeting minutes", required=False, rows=6)

    def __init__(self, *args, step: LadderStep, **kwargs):
        super().__init__(*args, **kwargs)
        if step.kind != Kind.MEETING:
            del self.fields["minutes"]


class WithdrawStepForm(StaffForm):
    reason = _text(
        "Why the step is being withdrawn", "The reason the step is being withdrawn", rows=3
    )


class RepresentationsForm(StaffForm):
    """Either what the parent said, or that they did not respond by the deadline: the
    ladder refuses the second before the deadline has passed."""

    received = govuk_messages(
        forms.TypedChoiceField(
            label="Did the parent make representations?",
            choices=[
                ("yes", "The parent made representations"),
                ("no", "The parent did not respond by the deadline"),
            ],
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
        ),
        "Whether the parent made representations",
        required="Select whether the parent made representations or did not respond",
    )
    representations = _text(
        "What the parent said",
        "The parent's representations",
        required=False,
        hint="Only if they made representations: what they said, and how (letter, meeting).",
    )


class DecisionForm(StaffForm):
    outcome = govuk_messages(
        forms.ChoiceField(
            label="Outcome", choices=Decision.Outcome.choices, widget=forms.RadioSelect
        ),
        "The outcome",
        required="Select the outcome",
    )
    reasons = _text("Reasons for the decision")
    decided_on = _date("Date of the decision", required=True)
    ban_starts_on = _date(
        "Site ban starts",
        "The date the site ban starts",
        hint="Only for a site ban. For example, 27 3 2026",
    )
    ban_ends_on = _date(
        "Site ban ends",
        "The date the site ban ends",
        hint="Only for a site ban; blank for no end date.",
    )

    def details(self) -> DecisionDetails:
        data = self.cleaned_data
        return DecisionDetails(
            outcome=data["outcome"],
            reasons=data["reasons"],
            decided_on=data["decided_on"],
            ban_starts_on=data.get("ban_starts_on"),
            ban_ends_on=data.get("ban_ends_on"),
        )


class LeadForm(StaffForm):
    lead = govuk_messages(
        forms.ModelChoiceField(label="Case lead", queryset=User.objects.none()),
        "The case lead",
        required="Select who will lead the case",
        invalid_choice="Select a case lead from the list",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = staff_leads()


class LinkPersonForm(StaffForm):
    person = govuk_messages(
        forms.ModelChoiceField(
            label="Add a parent from the register",
            queryset=Person.objects.order_by("full_name"),
            widget=LongSelect,
        ),
        "The parent",
        required="Select a parent",
        invalid_choice="Select a parent from the list",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The whole register, thousands of people at a large trust: the options from two
        # columns, not a model instance per person. Validation still uses the queryset.
        field = self.fields["person"]
        names = Person.objects.order_by("full_name").values_list("id", "full_name")
        field.choices = [("", field.empty_label), *names]


class CloseCaseForm(StaffForm):
    pass


class ReopenCaseForm(StaffForm):
    reason = _text(
        "Why the case is being reopened",
        "The reason the case is being reopened",
        rows=4,
        hint="For example, a new report about the same post, or a review of the ban. "
        "It shows on the case's timeline.",
    )


class PersonForm(ErrorSummaryMixin, forms.ModelForm):
    confirm_not_duplicate = govuk_messages(
        forms.BooleanField(label="This is a different person from those listed", required=False),
        "Whether this is a different person",
        required="Confirm that this is a different person from those listed",
    )

    class Meta:
        model = Person
        fields = ["full_name", "pupils", "group_names", "postal_address", "email"]
        labels = {
            "full_name": "Full name",
            "pupils": "Children and classes",
            "postal_address": "Postal address",
        }
        widgets = {
            "pupils": forms.Textarea(attrs={"rows": 2}),
            "group_names": forms.Textarea(attrs={"rows": 2}),
            "postal_address": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        named = {
            "full_name": ("Full name", {"required": "Enter the parent's full name"}),
            "pupils": ("Children and classes", {}),
            "group_names": ("Names in groups", {}),
            "postal_address": ("Postal address", {}),
            "email": ("Email address", {}),
        }
        for name, (subject, messages) in named.items():
            govuk_messages(self.fields[name], subject, **messages)
