"""The Head Teacher's legal hold forms: a reason, always."""

from django import forms

from brunswick.forms import GovukForm, govuk_messages


def _reason(label: str, hint: str, subject: str, required_message: str) -> forms.CharField:
    field = forms.CharField(
        label=label, help_text=hint, widget=forms.Textarea(attrs={"rows": 3}), max_length=2_000
    )
    return govuk_messages(field, subject, required=required_message)


class ReasonForm(GovukForm):
    """GovukForm gives it the helper the error summary reads."""


class LegalHoldForm(ReasonForm):
    reason = _reason(
        "Why the records must be kept",
        "For example, a claim, a complaint to the Department for Education, or a police "
        "inquiry. Staff who can read the case see this.",
        "The reason the records must be kept",
        "Enter why the records must be kept",
    )


class LegalHoldReleaseForm(ReasonForm):
    reason = _reason(
        "Why the hold can be released",
        "For example, the claim was settled. The retention schedule then applies again.",
        "The reason the hold can be released",
        "Enter why the hold can be released",
    )
