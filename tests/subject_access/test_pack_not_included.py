"""A document that cannot be made never stops the pack: the rest downloads, and the pack
lists what it could not include and why, for the Head Teacher."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from brunswick.audit.models import AuditEvent
from letters.models import LetterTemplate
from tests.conftest import sign_in
from tests.letters.helpers import WARNING_BODY

from .conftest import pack_pdf_text, pdf_text

pytestmark = pytest.mark.django_db

BROKEN = "{% include 'base.html' %}"  # Letters may not include other templates.


def break_the_template_version_of(letter) -> None:
    """The template exactly as the letter was made from it, now unrenderable (as a version
    saved before templates were checked would be)."""
    LetterTemplate.history.filter(history_id=letter.template_version.history_id).update(body=BROKEN)


def everything_else_is_in(text: str, world) -> None:
    for words in (
        "Jordan Smith",
        "1 Example Road",
        world.case.code,
        "Jordan Smith has posted abuse twice",
        "it happened again",
        world.letter.code,
        # The letter's own details stay: its status, and staff's summary.
        "Status Ready to print",
        "posted insults about",
    ):
        assert words in text, words


@pytest.mark.smoke
def test_a_letter_whose_template_cannot_render_is_listed_and_the_rest_downloads(
    client, head_teacher, world, tmp_path
):
    break_the_template_version_of(world.letter)

    text = pack_pdf_text(client, head_teacher, world.request, tmp_path)

    everything_else_is_in(text, world)
    assert "Please treat every member of our school community" not in text
    assert "Some documents could not be included in this pack" in text
    not_included = text.split("Not included These documents could not be made")[1]
    assert (
        f"Warning letter {world.letter.code}, version 1 Its text could not be made from its "
        "template (" in not_included
    )
    assert "Its details are above; print the letter from the case if you need it." in not_included
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUBJECT_ACCESS_PACK_MADE)
    assert event.extra["not_included"] == 1 and event.extra["letters"] == 1


def test_the_person_page_says_the_last_pack_could_not_include_a_document(
    client, head_teacher, world, tmp_path
):
    break_the_template_version_of(world.letter)
    pack_pdf_text(client, head_teacher, world.request, tmp_path)

    page = client.get(f"/staff/people/{world.person.id}/").content.decode()

    assert "Last pack made" in page
    assert f"The last pack for {world.request.code} could not include 1 document." in page


def test_repairing_the_template_later_still_leaves_the_letter_out_and_the_pack_downloads(
    client, head_teacher, world, tmp_path
):
    """The letter keeps the version it was made from: a repaired template is a new version,
    whose words the letter never had."""
    break_the_template_version_of(world.letter)
    repaired = LetterTemplate.objects.get(kind=world.letter.kind)
    repaired.body = WARNING_BODY
    repaired.save()

    text = pack_pdf_text(client, head_teacher, world.request, tmp_path)

    everything_else_is_in(text, world)
    assert f"Warning letter {world.letter.code}, version 1 Its text could not be made" in text


def test_a_screenshot_whose_file_is_missing_is_listed_and_the_zip_still_downloads(
    client, head_teacher, world, tmp_path
):
    default_storage.delete(world.screenshot.working.name)
    sign_in(client, head_teacher)

    response = client.post(f"/staff/subject-access/{world.request.id}/pack/", {"format": "zip"})

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["subject-access-pack.pdf"]
    text = pdf_text(archive.read("subject-access-pack.pdf"), tmp_path)
    everything_else_is_in(text, world)
    assert "Screenshot report-1-1.png Its file could not be read." in text
    assert "in the screenshots folder" not in text  # It names only what the ZIP holds.
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUBJECT_ACCESS_PACK_MADE)
    assert event.extra["not_included"] == 1
