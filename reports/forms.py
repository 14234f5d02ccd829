"""The parent's forms. They validate and keep what was typed; services do the rest."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.conf import settings

from brunswick.forms import GovukDateField, PhoneNumberField, govuk_messages, long_date
from brunswick.school.models import ClassGroup, SchoolSettings

from .models import Category, Relationship, Screenshot
from .services import ReportDetails

OTHER_GROUP = "other"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    """Any number of files; each is checked by content in the view, one message per file.
    clean() never refuses: its messages below are there in case a future change does."""

    default_error_messages = {
        "required": "Select a screenshot",
        "invalid": "Select a screenshot from your device",
        "missing": "Select a screenshot from your device",
        "empty": "The selected screenshot is empty",
        "max_length": "The name of the screenshot is too long: rename it and try again",
        "contradiction": "Select a screenshot or remove it, not both",
    }

    widget = MultipleFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}
    )

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [f for f in files if f]


def screenshot_hint() -> str:
    megabytes = settings.SCREENSHOT_MAX_BYTES // (1024 * 1024)
    return (
        f"Up to {settings.SCREENSHOT_MAX_FILES} pictures, each up to {megabytes} MB: "
        "JPEG, PNG, WebP or HEIC."
    )


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # Templates hold the <form>: they add the staged screenshots.
    helper.attrs = {"novalidate": ""}
    return helper


class ReportForm(forms.Form):
    group = govuk_messages(
        forms.ChoiceField(
            label="Which class or year WhatsApp group was it posted in?",
            widget=forms.RadioSelect,
        ),
        "The WhatsApp group",
        required="Select the WhatsApp group it was posted in",
    )
    group_other = govuk_messages(
        forms.CharField(
            label="Name of the group",
            required=False,
            max_length=200,
            help_text="If the group is not listed, tell us its name as it appears in WhatsApp.",
        ),
        "The name of the group",
    )
    categories = govuk_messages(
        forms.MultipleChoiceField(
            label="What did you see?",
            help_text="Select everything that applies. Under each is what the school's code "
            "of conduct for class WhatsApp groups says.",
            # What a parent saw, with the policy's own words as its hint.
            choices=[
                Choice(c.value, c.as_seen, hint=f"Code of conduct: {c.label}") for c in Category
            ],
            widget=forms.CheckboxSelectMultiple,
        ),
        "What happened",
        required="Select at least one thing you saw",
        invalid_choice="Select what you saw from the list",
    )
    occurred_on = GovukDateField(
        label="When was it posted?",
        subject="The date it was posted",
        past_only=True,
        required_message="Enter the date it was posted, for example 27 3 2026",
    )
    occurred_at_time = govuk_messages(
        forms.TimeField(
            label="What time was it posted? (optional)",
            help_text="For example, 14:30",
            required=False,
            input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        ),
        "The time it was posted",
        invalid="Enter the time as hours and minutes, for example 14:30",
    )
    posted_by = govuk_messages(
        forms.CharField(
            label="Who posted it? (optional)",
            help_text="Their name or phone number as it appears in the group.",
            required=False,
            max_length=200,
        ),
        "The name or phone number of who posted it",
    )
    description = govuk_messages(
        forms.CharField(
            label="Describe what was posted",
            help_text="Tell us what was said and why it concerns you. Include anything the "
            "screenshots do not show.",
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=10_000,
        ),
        "The description of what was posted",
        required="Describe what was posted",
    )
    screenshots = ScreenshotsField(
        label="Screenshots (optional)",
        required=False,
    )
    reporter_name = govuk_messages(
        forms.CharField(label="Your name", max_length=200, required=False),
        "Your name",
        required="Enter your name",
    )
    reporter_relationship = govuk_messages(
        forms.ChoiceField(
            label="Are you a parent or carer of a pupil at the school?",
            choices=Relationship.choices,
            widget=forms.RadioSelect,
            required=False,
        ),
        "Whether you are a parent or carer",
        required="Select whether you are a parent, carer or other",
    )
    reporter_email = govuk_messages(
        forms.EmailField(
            label="Email address",
            help_text="We send a confirmation with your reference number, never your passphrase.",
            required=False,
        ),
        "Your email address",
    )
    reporter_phone = govuk_messages(
        PhoneNumberField(
            label="Phone number",
            help_text="For example, 07700 900 982. Include the country code if it is not a UK "
            "number.",
            required=False,
        ),
        "Your phone number",
    )
    confirm_confidentiality = govuk_messages(
        forms.BooleanField(label="I have read how my report will be kept confidential"),
        "Confirmation",
        required="Confirm that you have read how your report will be kept confidential",
    )

    def __init__(self, *args, school: SchoolSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_anonymous = allow_anonymous = school.allow_anonymous_reports
        groups = [
            (str(g.id), g.name) for g in ClassGroup.objects.active().order_by("position", "name")
        ]
        self.fields["screenshots"].help_text = screenshot_hint()
        self._earliest_from(school.earliest_report_date)
        self.fields["group"].choices = [*groups, (OTHER_GROUP, "Other or not listed")]
        if not allow_anonymous:
            self.fields["reporter_name"].required = True
            self.fields["reporter_relationship"].required = True
        self.helper = _helper()

    def _earliest_from(self, earliest) -> None:
        """The school's earliest date (a setting): a report about an older post is refused."""
        field = self.fields["occurred_on"]
        field.earliest = earliest
        field.error_messages["earliest"] = (
            f"{field.subject} must be the same as or after {long_date(earliest)}"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group") == OTHER_GROUP and not cleaned.get("group_other", "").strip():
            self.add_error("group_other", "Enter the name of the group")
        email, phone = cleaned.get("reporter_email"), cleaned.get("reporter_phone", "").strip()
        if (
            not self.allow_anonymous
            and "reporter_email" not in self.errors
            and not (email or phone)
        ):
            self.add_error(
                "reporter_email", "Enter an email address or a phone number so we can contact you"
            )
        return cleaned

    def details(self) -> ReportDetails:
        data = self.cleaned_data
        group_id = data["group"]
        return ReportDetails(
            group=None if group_id == OTHER_GROUP else ClassGroup.objects.get(id=group_id),
            group_other=data["group_other"].strip() if group_id == OTHER_GROUP else "",
            categories=data["categories"],
            occurred_on=data["occurred_on"],
            occurred_at_time=data["occurred_at_time"],
            posted_by=data["posted_by"].strip(),
            description=data["description"].strip(),
            reporter_name=data["reporter_name"].strip(),
            reporter_relationship=data["reporter_relationship"],
            reporter_email=data["reporter_email"],
            reporter_phone=data["reporter_phone"].strip(),
        )


class FollowUpSignInForm(forms.Form):
    reference = govuk_messages(
        forms.CharField(
            label="Report reference", help_text="For example, BP-7KQ2-M4XD", max_length=40
        ),
        "Your report reference",
        required="Enter your report reference",
    )
    passphrase = govuk_messages(
        forms.CharField(
            label="Passphrase",
            help_text="The five words you were shown when you sent the report.",
            max_length=200,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        ),
        "Your passphrase",
        required="Enter your passphrase",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AddInformationForm(forms.Form):
    """More information, more screenshots, or both: either alone is enough."""

    body = govuk_messages(
        forms.CharField(
            label="Add more information",
            help_text="The Senior Leadership Team will read this with your report.",
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=10_000,
            required=False,
        ),
        "The information you add",
    )
    screenshots = ScreenshotsField(
        label="More screenshots (optional)",
        required=False,
    )

    def __init__(self, *args, staging_token=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staging_token = staging_token
        self.fields["screenshots"].help_text = screenshot_hint()
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        token = self.staging_token
        staged = token is not None and Screenshot.objects.staged_with(token).exists()
        if not cleaned.get("body", "").strip() and "body" not in self.errors and not staged:
            self.add_error("body", "Enter the information you want to add, or add a screenshot")
        return cleaned
