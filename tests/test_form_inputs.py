"""Guard: every input of every form in the project is a GOV.UK Frontend input.

For every form tests/test_form_messages.py finds (every app, every form class), every
field is rendered as the pages render it (crispy-forms-gds, through templates/gds/
field.html), blank and with an error, and:

- every <input>, <select> and <textarea> carries GOV.UK Frontend's class for its kind
  (`govuk-input`, `govuk-select`, `govuk-textarea`, `govuk-file-upload`, the radios' and
  checkboxes'), and its error class when the field has an error: an unstyled time box or
  file input had the browser's 1 px focus ring;
- nothing has a `maxlength`: the browser cuts a long paste without a word;
- every textarea with a limit is a GOV.UK character count (`govuk-character-count`,
  `data-maxlength`, the count's message linked by aria-describedby);
- every e-mail field refuses `a@localhost` and `name@school` in the Design System's words,
  and every phone field refuses "abc" and takes 07700 900 982 and +33 1 23 45 67 89.
"""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from brunswick.forms import EMAIL, PHONE, PhoneNumberField
from tests.test_form_messages import FORMS, _build

pytestmark = pytest.mark.django_db

CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "tel": "govuk-input",
    "url": "govuk-input",
    "search": "govuk-input",
    "file": "govuk-file-upload",
    "radio": "govuk-radios__input",
    "checkbox": "govuk-checkboxes__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-file-upload": "govuk-file-upload--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
}
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)


def _attrs(text: str) -> dict[str, str]:
    return {k: v for k, v in re.findall(r'([\w-]+)="([^"]*)"', text)} | {
        k: "" for k in re.findall(r"\s([\w-]+)(?=[\s>]|$)", text)
    }


def _visible_fields(name):
    for form in _build(name):
        for bound in form.visible_fields():
            if not bound.field.disabled:
                yield form, bound


def _problems(label: str, html: str, with_error: bool) -> list[str]:
    found = []
    for tag, raw in CONTROL.findall(html):
        attrs = _attrs(raw)
        kind = tag if tag != "input" else attrs.get("type", "text")
        if kind == "hidden":
            continue
        classes = set(attrs.get("class", "").split())
        wanted = CLASSES.get(kind)
        if wanted is None:
            found.append(f"{label}: an <{tag} type={kind}> GOV.UK Frontend has no style for")
            continue
        if wanted not in classes:
            found.append(f"{label}: <{tag} type={kind}> without {wanted}")
        error = ERROR_CLASSES.get(wanted)
        if with_error and error and error not in classes:
            found.append(f"{label}: <{tag} type={kind}> with an error but without {error}")
        if "maxlength" in attrs:
            found.append(f"{label}: maxlength, which cuts a long paste without a word")
    return found


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_input_is_styled_as_gov_uk_frontend_and_never_cut(name):
    problems = []
    for form, bound in _visible_fields(name):
        label = f"{name}.{bound.name}"
        problems += _problems(label, str(as_crispy_field(bound)), with_error=False)
        form._errors = form._errors or forms.utils.ErrorDict()
        form._errors[bound.name] = form.error_class(["A problem"])
        problems += _problems(label, str(as_crispy_field(bound)), with_error=True)
        del form._errors[bound.name]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_long_text_counts_its_characters(name):
    problems = []
    for _form, bound in _visible_fields(name):
        if not isinstance(bound.field.widget, forms.Textarea):
            continue
        limit = getattr(bound.field, "max_length", None)
        html = str(as_crispy_field(bound))
        label = f"{name}.{bound.name}"
        if not limit:
            problems.append(f"{label}: a textarea with no limit (give it max_length)")
        elif f'data-maxlength="{limit}"' not in html or "govuk-js-character-count" not in html:
            problems.append(f"{label}: not a GOV.UK character count")
        elif f"{bound.auto_id}-info" not in html.split("aria-describedby=")[1].split(">")[0]:
            problems.append(f"{label}: the count's message is not linked to the textarea")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_email_and_phone_field_checks_what_a_school_can_use(name):
    problems = []
    for _form, bound in _visible_fields(name):
        field, label = bound.field, f"{name}.{bound.name}"
        if isinstance(field, forms.EmailField):
            for wrong in ("a@localhost", "name@school"):
                try:
                    field.clean(wrong)
                    problems.append(f"{label}: accepted {wrong!r}")
                except forms.ValidationError as refusal:
                    if refusal.messages != [EMAIL]:
                        problems.append(f"{label}: {refusal.messages} for {wrong!r}")
        if "phone" in bound.name and not isinstance(field, PhoneNumberField):
            problems.append(
                f"{label}: a phone number not checked (brunswick.forms.PhoneNumberField)"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("typed", ["abc", "0207", "12345", "0000000000"])
def test_a_phone_number_that_cannot_be_rung_is_refused(typed):
    with pytest.raises(forms.ValidationError) as refusal:
        PhoneNumberField().clean(typed)
    assert refusal.value.messages == [PHONE]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("07700 900982", "07700 900982"),
        ("07700900982", "07700 900982"),
        ("+44 20 7946 0000", "020 7946 0000"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
    ],
)
def test_a_phone_number_is_kept_in_its_usual_form(typed, kept):
    assert PhoneNumberField().clean(typed) == kept
