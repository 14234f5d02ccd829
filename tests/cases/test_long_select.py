"""brunswick.widgets.LongSelect: the same <select> as Django's, much faster for the long
lists on the case page (the register) and the report page (the open cases)."""

import re

import pytest
from django import forms
from django.utils.html import escape

from brunswick.widgets import LongSelect
from tests.conftest import sign_in
from tests.factories import CaseFactory, PersonFactory

CHOICES = [("", "Select one"), (1, "Ann & Bob <Smith>"), (2, "Cara")]


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", 2, "1"])
def test_it_renders_what_djangos_select_renders(value):
    ours = LongSelect(choices=CHOICES).render("person", value, {"id": "id_person"})
    django = forms.Select(choices=CHOICES).render("person", value, {"id": "id_person"})
    assert _normalised(ours) == _normalised(django)


def test_it_escapes_labels():
    html = LongSelect(choices=CHOICES).render("person", None)
    assert "Ann &amp; Bob &lt;Smith&gt;" in html
    assert "<Smith>" not in html


@pytest.mark.django_db
def test_the_case_page_offers_everyone_on_the_register(client, slt):
    sign_in(client, slt)
    case = CaseFactory()
    people = PersonFactory.create_batch(3)
    html = client.get(f"/staff/cases/{case.id}/").content.decode()
    for person in people:
        assert f'<option value="{person.id}">{escape(person.full_name)}</option>' in html


def test_safe_and_lazy_labels_render_as_djangos_select_renders_them():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    bold = mark_safe("<b>Bold</b>")  # nosec B308 B703
    choices = [("", gettext_lazy("Select one")), ('a"b', bold), (3, "O'Neil")]
    ours = LongSelect(choices=choices).render("person", 'a"b')
    django = forms.Select(choices=choices).render("person", 'a"b')
    assert _normalised(ours) == _normalised(django)
