"""The office's print queue: each letter's kind, code, approval date and PDF link, built
in Python.

The queue lists every letter waiting and every one sent in the last 30 days (about 300 at
a large trust's volume); through an included template each cell cost a template context,
a `date` filter and a dozen lookups (docs/performance.md). This writes the same HTML as
the template it replaced (tests/letters/test_office_letter_cell.py).
"""

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

register = template.Library()


@register.simple_tag
def letter_cell(letter) -> SafeString:
    version = f" (corrected, version {letter.version})" if letter.version > 1 else ""
    approved = letter.approved_at
    approved_on = date_format(template_localtime(approved), "j M Y") if approved else ""
    pdf = ""
    if letter.pdf:
        pdf = format_html(
            '<br><a class="govuk-link" href="{}">Open PDF'
            '<span class="govuk-visually-hidden"> of the letter to {}</span></a>',
            reverse("office:pdf", args=[letter.id]),
            letter.addressee_name,
        )
    return format_html(
        '\n{}{}\n<br><span class="govuk-body-s">{}, approved {}</span>\n{}\n',
        letter.get_kind_display(),
        version,
        letter.code,
        approved_on,
        pdf,
    )
