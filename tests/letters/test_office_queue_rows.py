"""Each row of the print queue has its own "date posted" field, though the page renders
the field once and gives it each letter's prefix (letters.office_views)."""

import re

import pytest
from django.utils import timezone

from tests.conftest import sign_in
from tests.letters.test_office_queue import QUEUE, approved, with_stored_pdf

pytestmark = pytest.mark.django_db


def test_every_row_has_its_own_date_fields_with_todays_date(client, office, slt, head_teacher):
    letters = [with_stored_pdf(approved(slt, head_teacher)) for _ in range(3)]
    html = sign_in(client, office).get(QUEUE).content.decode()
    today = timezone.localdate()
    for letter in letters:
        prefix = f"letter-{letter.id}-posted_on"
        for part, value in enumerate((today.day, today.month, today.year)):
            field = re.search(rf'<input[^>]*name="{prefix}_{part}"[^>]*>', html)
            assert field, f"no {prefix}_{part}"
            assert f'id="id_{prefix}_{part}"' in field.group(0)
            assert f'value="{value}"' in field.group(0)
        assert f'for="id_{prefix}_0"' in html
    assert "ROW-PREFIX" not in html


def test_a_refused_date_shows_its_error_in_its_own_row(client, office, slt, head_teacher):
    letters = [with_stored_pdf(approved(slt, head_teacher)) for _ in range(2)]
    sign_in(client, office)
    prefix = f"letter-{letters[0].id}-posted_on"
    data = {f"{prefix}_0": "31", f"{prefix}_1": "2", f"{prefix}_2": "2026"}
    html = client.post(f"/office/letters/{letters[0].id}/posted/", data).content.decode()
    assert 'value="31"' in html  # What was typed stays in the refused row.
    assert html.count("govuk-form-group--error") == 1
