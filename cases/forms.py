"""Staff forms for cases. They validate input; cases/ladder.py applies the policy's rules."""

from dataclasses import fields

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms

from brunswick.accounts.models import Role, User
from brunswick.widgets import LongSelect

from .ladder import DecisionDetails, StepProposal
from .models import Decision, LadderStep, Person

Kind = LadderStep.Kind


class StaffForm(forms.Form):
    """Every case form carries the version of the case it was shown with."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _date(
    label: str, required: bool = False, hint: str = "For example, 27 3 2026"
) -> DateInputField:
    field = DateInputField(label=label, required=required, require_all_fields=False, help_text=hint)
    field.error_messages["incomplete"] = f"Enter a full date for “{label.lower()}”"
    field.error_messages["required"] = f"Enter the date for “{label.lower()}”"
    return field


def _text(label: str, required: bool = True, rows: int = 4, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10_000,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def staff_leads():
    return User.objects.with_role(Role.SLT, Role.HEAD_TEACHER).order_by("first_name", "last_name")


class StepForm(StaffForm):
    """Propose a step of one kind; only that kind's fields are shown."""

    rationale = _text(
        "Why this step is proportionate",
        hint="The Head Teacher reads this. Say what happened and why this response fits it.",
    )
    skip_reason = _text("Why earlier steps are being skipped", required=False, rows=3)
    person = forms.ModelChoiceField(
        label="Which parent is this step about?", queryset=Person.objects.none(), required=False
    )
    due_on = _date("Due date", hint="When this step should be done by. For example, 27 3 2026")
    notes = _text("Notes", required=False, rows=3)
    meeting_at = forms.DateTimeField(
        label="Meeting date and time",
        required=False,
        help_text="For example, 27/03/2026 15:30",
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "Enter the meeting date and time like 27/03/2026 15:30"},
    )
    attendees = _text("Who will attend", required=False, rows=2)
    ban_type = forms.ChoiceField(
        label="Type of ban",
        choices=LadderStep.BanType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    ban_starts_on = _date("Ban starts")
    ban_ends_on = _date(
        "Ban ends", hint="Leave blank for a ban with no end date. For example, 27 3 2026"
    )
    review_on = _date("Review date", hint="Every ban is reviewed. For example, 27 3 2026")
    representations_invited_on = _date("Parent invited to make representations on")
    representations_deadline = _date("Deadline for representations")
    urgent = forms.BooleanField(
        label="Urgent temporary ban: it cannot wait for representations", required=False
    )
    urgent_reasons = _text("Reasons it is urgent", required=False, rows=3)

    FIELDS_BY_KIND = {
        Kind.MEETING: ["meeting_at", "attendees"],
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

    def proposal(self) -> StepProposal:
        data = self.cleaned_data
        person = data.get("person")
        given = {f.name: data[f.name] for f in fields(StepProposal) if f.name in data}
        return StepProposal(
            **{**given, "kind": self.kind, "person_id": person.id if person else None}
        )


class ApprovalForm(StaffForm):
    approve = forms.TypedChoiceField(
        label="Do you approve this step?",
        choices=[("yes", "Yes, approve it"), ("no", "No, do not approve it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve this step"},
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
    reason = _text("Why the step is being withdrawn", rows=3)


class RepresentationsForm(StaffForm):
    """Either what the parent said, or that they did not respond by the deadline: the
    ladder refuses the second before the deadline has passed."""

    received = forms.TypedChoiceField(
        label="Did the parent make representations?",
        choices=[
            ("yes", "The parent made representations"),
            ("no", "The parent did not respond by the deadline"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the parent made representations or did not respond"
        },
    )
    representations = _text(
        "What the parent said",
        required=False,
        hint="Only if they made representations: what they said, and how (letter, meeting).",
    )


class DecisionForm(StaffForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    reasons = _text("Reasons for the decision")
    decided_on = _date("Date of the decision", required=True)
    ban_starts_on = _date("Site ban starts", hint="Only for a site ban. For example, 27 3 2026")
    ban_ends_on = _date("Site ban ends", hint="Only for a site ban; blank for no end date.")

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
    lead = forms.ModelChoiceField(label="Case lead", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = staff_leads()


class LinkPersonForm(StaffForm):
    person = forms.ModelChoiceField(
        label="Add a parent from the register",
        queryset=Person.objects.order_by("full_name"),
        widget=LongSelect,
        error_messages={
            "required": "Select a parent",
            "invalid_choice": "Select a parent from the list",
        },
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
        rows=4,
        hint="For example, a new report about the same post, or a review of the ban. "
        "It shows on the case's timeline.",
    )


class PersonForm(forms.ModelForm):
    confirm_not_duplicate = forms.BooleanField(
        label="This is a different person from those listed", required=False
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
        error_messages = {"full_name": {"required": "Enter the parent's full name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
