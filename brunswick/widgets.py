"""Form widgets shared by the staff pages."""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString


class LongSelect(forms.Select):
    """A <select> for lists that grow with the school's records (the people register, the
    open cases): the same HTML as Django's Select, built in Python.

    Django renders each <option> through its own template, about 0.1 ms apiece: with 3,000
    people on the register that was 300 ms of every case page (docs/performance.md).
    Grouped choices are left to Django's own rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        # Plain string joins: format_html per option was most of the 3,000 options' time.
        # _escaped() is exactly what format_html would have done to each part. Reviewed:
        # every key and label is escaped, the rest is our own literal markup.
        options = SafeString(  # nosec B703 B308
            "".join(
                f'<option value="{_escaped(key)}"{" selected" if key in selected else ""}>'
                f"{_escaped(label)}</option>"
                for key, label in ((str(v), label) for v, label in choices)
            )
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final_attrs, options)


def _escaped(value) -> str:
    """conditional_escape(): safe strings as they are, anything else through html.escape
    (which is what Django's escape() does), without a SafeString made per call."""
    if hasattr(value, "__html__"):
        return conditional_escape(value)
    return html.escape(str(value))
