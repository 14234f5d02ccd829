"""Forms for recording a subject access request and for erasing a person's data. They
validate input; services.py and erasure.py apply the rules."""

from crispy_forms_gds.fields import DateInputField
from django import forms


class SubjectAccessRequestForm(forms.Form):
    received_on = DateInputField(
        label="Date the request was received",
        help_text="The deadline is one calendar month from this date. For example, 27 3 2026",
        require_all_fields=False,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=5_000,
        help_text="How the request arrived and how you checked who is asking.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["received_on"]
        field.error_messages["required"] = "Enter the date the request was received"
        field.error_messages["incomplete"] = "Enter a full date for when it was received"


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why this person's personal data is being erased",
        max_length=5_000,
        help_text="For example, the parent's request and its date, and why no exemption "
        "applies. Do not write their name: this reason is kept after the erasure.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the data is being erased"},
    )
    confirm = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Confirm that you understand this cannot be undone"},
    )
