"""The print queue's letter cell ({% letter_cell %}, letters/templatetags/office_letters.py)
writes exactly what the included template it replaced wrote."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template

from tests.letters.test_office_queue import approved, with_stored_pdf

pytestmark = pytest.mark.django_db

# templates/letters/office_letter_cell.html, as it was.
TEMPLATE = (
    "{# A letter's kind, its code (in the PDF's file name), when it was approved, and its"
    " PDF. #}\n"
    "{{ letter.get_kind_display }}{% if letter.version > 1 %} (corrected, version"
    " {{ letter.version }}){% endif %}\n"
    '<br><span class="govuk-body-s">{{ letter.code }}, approved'
    ' {{ letter.approved_at|date:"j M Y" }}</span>\n'
    '{% if letter.pdf %}<br><a class="govuk-link" href="{% url \'office:pdf\' letter.id %}">'
    'Open PDF<span class="govuk-visually-hidden"> of the letter to {{ letter.addressee_name }}'
    "</span></a>{% endif %}\n"
)


def _both(letter) -> tuple[str, str]:
    context = Context({"letter": letter})
    old = Template(TEMPLATE).render(context)
    new = Template("{% load office_letters %}{% letter_cell letter %}").render(context)
    return old, new


def test_it_writes_what_the_template_wrote(slt, head_teacher):
    letter = with_stored_pdf(approved(slt, head_teacher))
    letter.addressee_name = "Ann & <Bob>"
    old, new = _both(letter)
    assert new == old
    assert "Open PDF" in new and "Ann &amp; &lt;Bob&gt;" in new


def test_a_corrected_letter_without_its_pdf_yet(slt, head_teacher):
    letter = approved(slt, head_teacher)
    letter.pdf, letter.version = "", 2
    letter.approved_at = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 1 July in London.
    old, new = _both(letter)
    assert new == old
    assert "(corrected, version 2)" in new and "approved 1 Jul 2026" in new
    assert "Open PDF" not in new
