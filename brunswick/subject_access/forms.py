"""Forms for recording a subject access request and for erasing a person's data. They
validate input; services.py and erasure.py apply the rules."""

from django import forms

from brunswick.forms import GovukDateField, GovukForm, govuk_messages


class SubjectAccessRequestForm(GovukForm):
    received_on = GovukDateField(
        label="Date the request was received",
        hint="The deadline is one calendar month from this date. For example, 27 3 2026",
    )
    notes = govuk_messages(
        forms.CharField(
            label="Notes (optional)",
            required=False,
            max_length=5_000,
            help_text="How the request arrived and how you checked who is asking.",
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
        "Notes",
    )


class ErasureForm(GovukForm):
    reason = govuk_messages(
        forms.CharField(
            label="Why this person's personal data is being erased",
            max_length=5_000,
            help_text="For example, the parent's request and its date, and why no exemption "
            "applies. Do not write their name: this reason is kept after the erasure.",
            widget=forms.Textarea(attrs={"rows": 4}),
        ),
        "The reason the data is being erased",
        required="Enter why the data is being erased",
    )
    confirm = govuk_messages(
        forms.BooleanField(label="I understand that this cannot be undone"),
        "Confirmation",
        required="Confirm that you understand this cannot be undone",
    )
