"""How every form field's input looks: as GOV.UK Frontend's components, whatever widget
Django gives it. templates/gds/field.html (crispy-forms-gds's, overridden) calls
`govuk_prepare` before crispy-forms-gds renders the input, because crispy-forms-gds styles
only some widgets: a time or number box, a multiple file input and an e-mail box with an
error came out unstyled, with the browser's 1 px focus ring or no red border.

- Every text box is a `govuk-input`, every file input a `govuk-file-upload`, each with its
  error state when the field has an error.
- No `maxlength`: the browser would cut a long paste without a word. The field's own limit
  says "... must be N characters or fewer" instead, and a textarea with a limit is a GOV.UK
  character count, which counts down as the parent types (`character_limit`).

tests/test_form_inputs.py renders every field of every form and fails on an input that is
not styled, a `maxlength`, or a long text without a count.
"""

from django import forms, template
from django.forms.widgets import Input

register = template.Library()

NOT_TEXT_BOXES = (forms.HiddenInput, forms.CheckboxInput)
# Narrower boxes for short answers (GOV.UK "input width"): the width fits what is typed.
WIDTHS = {forms.TimeInput: "govuk-input--width-5", forms.NumberInput: "govuk-input--width-5"}


def _add(widget: forms.Widget, *names: str) -> None:
    classes = widget.attrs.get("class", "").split()
    widget.attrs["class"] = " ".join([*classes, *(n for n in names if n not in classes)])


@register.simple_tag
def govuk_prepare(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return ""  # The date's boxes: brunswick.forms.GovukDateWidget styles them.
    widget.attrs.pop("maxlength", None)
    if isinstance(widget, forms.FileInput):
        _add(widget, "govuk-file-upload", *(["govuk-file-upload--error"] if field.errors else []))
    elif isinstance(widget, Input) and not isinstance(widget, NOT_TEXT_BOXES):
        # Text, e-mail, password, number, time, date...: all GOV.UK text inputs.
        width = next((w for kind, w in WIDTHS.items() if isinstance(widget, kind)), None)
        error = ["govuk-input--error"] if field.errors else []
        _add(widget, "govuk-input", *([width] if width else []), *error)
    elif isinstance(widget, forms.Textarea):
        # crispy-forms-gds marks a textarea's error with the text input's class.
        _add(widget, *(["govuk-textarea--error"] if field.errors else []))
        if character_limit(field):
            _add(widget, "govuk-js-character-count")
            # crispy-forms-gds appends "<id>-info" (the count's message) to this.
            widget.attrs.setdefault("aria-describedby", "")
    elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        # A Select subclass (brunswick.widgets.LongSelect) is not in crispy-forms-gds's map.
        _add(widget, "govuk-select", *(["govuk-select--error"] if field.errors else []))
    return ""


@register.filter
def character_limit(field) -> int | None:
    """The limit a textarea's count shows, or None for anything else."""
    if isinstance(field.field.widget, forms.Textarea):
        return getattr(field.field, "max_length", None)
    return None
