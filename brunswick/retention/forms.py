"""The Head Teacher's legal hold forms: a reason, always."""

from crispy_forms_gds.helper import FormHelper
from django import forms


def _reason(label: str, hint: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        error_messages={"required": required_message},
    )


class ReasonForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()  # The error summary reads it.
        self.helper.form_tag = False


class LegalHoldForm(ReasonForm):
    reason = _reason(
        "Why the records must be kept",
        "For example, a claim, a complaint to the Department for Education, or a police "
        "inquiry. Staff who can read the case see this.",
        "Enter why the records must be kept",
    )


class LegalHoldReleaseForm(ReasonForm):
    reason = _reason(
        "Why the hold can be released",
        "For example, the claim was settled. The retention schedule then applies again.",
        "Enter why the hold can be released",
    )
