"""The forms on a report's staff page (cases/triage_views.py): triage (open a case, add to
a case, close) and a message to the reporter. Each has its own prefix, so several can share
one page with unique field ids, and a failed one comes back with what was typed."""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from brunswick.accounts.models import Role, User
from brunswick.forms import govuk_messages
from brunswick.widgets import LongSelect
from reports.models import ClosedReason

from .models import Case

MESSAGE_MAX_LENGTH = 10_000


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # Each form's template holds its <form> and its own action URL.
    helper.attrs = {"novalidate": ""}
    return helper


def _listed_once(field: forms.ModelChoiceField, queryset: QuerySet) -> None:
    """Offer the rows of `queryset`, read once: a ModelChoiceField otherwise queries again
    each time its options are rendered. Validation still checks the queryset itself."""
    field.queryset = queryset
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = [*empty, *((obj.pk, field.label_from_instance(obj)) for obj in queryset)]


class CaseLeadField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.get_full_name() or user.username


class OpenCaseForm(forms.Form):
    prefix = "open_case"

    title = govuk_messages(
        forms.CharField(
            label="Case title",
            help_text="A short summary for staff, for example: Comments about a teacher in Year 3.",
            max_length=200,
        ),
        "The case title",
        required="Enter a title for the case",
    )
    lead = govuk_messages(
        CaseLeadField(label="Case lead", queryset=User.objects.none(), empty_label=None),
        "The case lead",
        required="Select who will lead the case",
        invalid_choice="Select a case lead from the list",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cases are led by those who may read reports: SLT and the Head Teacher.
        leads = User.objects.with_role(Role.SLT, Role.HEAD_TEACHER)
        _listed_once(self.fields["lead"], leads.order_by("first_name", "last_name", "username"))
        self.helper = _helper()


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case: Case) -> str:
        return f"{case.code}: {case.title}"


class AddToCaseForm(forms.Form):
    prefix = "add_to_case"

    case = govuk_messages(
        CaseChoiceField(
            label="Case",
            help_text="Several parents often report the same post: their reports join one case.",
            queryset=Case.objects.none(),
            widget=LongSelect,  # Every open case: thousands at a large trust.
            empty_label="Select a case",
        ),
        "The case",
        required="Select the case to add this report to",
        # A case that does not exist, or has closed since the page was shown.
        invalid_choice="Select an open case from the list",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_cases = Case.objects.open().only("id", "title").order_by("-opened_at", "-id")
        _listed_once(self.fields["case"], open_cases)
        self.helper = _helper()

    @property
    def has_open_cases(self) -> bool:
        return len(self.fields["case"].choices) > 1  # More than "Select a case".


class FirstRadioBoundField(forms.BoundField):
    @property
    def auto_id(self) -> str:
        # The error summary links to a field's id; for radios GOV.UK links to the first one,
        # which crispy-forms-gds renders as "<id>_1".
        return f"{super().auto_id}_1"


class CloseReportForm(forms.Form):
    prefix = "close"

    reason = govuk_messages(
        forms.ChoiceField(
            bound_field_class=FirstRadioBoundField,
            label="Why are you closing the report?",
            choices=ClosedReason.choices,
            widget=forms.RadioSelect,
        ),
        "The reason for closing the report",
        required="Select why you are closing the report",
        invalid_choice="Select a reason from the list",
    )
    message = govuk_messages(
        forms.CharField(
            label="Message to the reporter (optional)",
            help_text="They read it on their follow-up page. If the concern is outside the "
            "policy's scope, tell them where it belongs, for example the school's complaints "
            "procedure.",
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            max_length=MESSAGE_MAX_LENGTH,
        ),
        "The message",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        # The reporter needs to know where a concern the policy does not cover belongs.
        if (
            cleaned.get("reason") == ClosedReason.OUTSIDE_SCOPE
            and not cleaned.get("message", "").strip()
        ):
            self.add_error(
                "message",
                ValidationError(
                    "Write a message telling the reporter where their concern belongs, "
                    "as it is outside the policy's scope"
                ),
            )
        return cleaned


class MessageReporterForm(forms.Form):
    prefix = "message"

    body = govuk_messages(
        forms.CharField(
            label="Message to the reporter",
            help_text="They read it on their follow-up page, with their reference and "
            "passphrase. Nothing is e-mailed. Never say who else reported, or what action was "
            "taken about another parent.",
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=MESSAGE_MAX_LENGTH,
        ),
        "The message",
        required="Enter a message to the reporter",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
