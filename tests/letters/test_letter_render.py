import subprocess

import pytest
from django.core.files.storage import default_storage

from letters.models import Letter
from letters.services import letter_approve, letter_render
from tests.letters.helpers import warning_letter

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(letter) -> str:
    path = default_storage.path(letter.pdf.name)
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_approved_letter_is_rendered_once_with_its_hash(slt, head_teacher):
    letter, _report = warning_letter(slt)
    letter_approve(letter=letter, acting_user=head_teacher)  # Eager here: rendered on commit.
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY
    text = pdf_text(letter)
    assert "Jordan Smith" in text and "1 Example Road" in text
    assert "You called a teacher names in the group." in text
    on = letter.letter_date
    assert f"{on.day} {on:%B %Y}" in text  # The letter's date, as approved.
    incident = letter.case.reports.get().occurred_on
    assert f"{incident.day} {incident:%B %Y}" in " ".join(text.split())  # The incident's date.
    assert "Priya" not in text and "priya@example.org" not in text  # Never the reporter.
    sha = letter.pdf_sha256
    letter_render(letter.id)  # A second run changes nothing.
    letter.refresh_from_db()
    assert letter.pdf_sha256 == sha
