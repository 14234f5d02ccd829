"""Form widgets shared by the staff pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


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
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if key in selected else "", label)
                for key, label in ((str(v), label) for v, label in choices)
            ),
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final_attrs, options)
