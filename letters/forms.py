from crispy_forms_gds.helper import FormHelper
from django import forms

from .models import Letter
from .services import Draft


class DraftForm(forms.Form):
    addressee_name = forms.CharField(
        label="Addressed to",
        max_length=200,
        error_messages={"required": "Enter who the letter is addressed to"},
    )
    addressee_address = forms.CharField(
        label="Postal address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed to post the letter.",
    )
    addressee_email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    delivery = forms.ChoiceField(
        label="How will it be sent?",
        choices=Letter.Delivery.choices,
        widget=forms.RadioSelect,
        initial="post",
    )
    summary = forms.CharField(
        label="What happened, for this letter",
        help_text="Written in plain words to the addressee. "
        "It appears where the template says {{ summary }}.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        error_messages={"required": "Enter what happened, for this letter"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            summary=data["summary"].strip(),
            addressee_name=data["addressee_name"].strip(),
            addressee_address=data["addressee_address"].strip(),
            addressee_email=data["addressee_email"],
            delivery=data["delivery"],
        )
