"""The office's "date posted" is the project's date field too: a two-digit year or a day
the month does not have is refused in words, in the row, with what was typed kept."""

import pytest

from letters.models import Letter
from tests.conftest import sign_in
from tests.forms.helpers import approved_letter, text

transactional = pytest.mark.django_db(transaction=True)  # The PDF is made on commit.


@transactional
@pytest.mark.parametrize(
    "typed, message",
    [
        (("1", "12", "26"), "The date posted must include a year with 4 numbers"),
        (("31", "2", "2026"), "The date posted must be a real date"),
        (("3", "", "2026"), "The date posted must include a month"),
    ],
)
def test_a_date_posted_that_is_not_a_real_date_is_refused_and_kept(
    client, office, slt, head_teacher, typed, message
):
    letter = approved_letter(slt, head_teacher)
    prefix = f"letter-{letter.id}-posted_on"
    data = {f"{prefix}_{index}": value for index, value in enumerate(typed)}

    response = sign_in(client, office).post(f"/office/letters/{letter.id}/posted/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert text(response).count(message) == 2  # In the summary and in the letter's row.
    assert f'name="{prefix}_0" value="{typed[0]}"' in page
    assert f'name="{prefix}_2" value="{typed[2]}"' in page
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.posted_on is None
