"""SLT drafts letters from a case; the Head Teacher approves the serious ones; a worker
makes the PDF once; corrections are new versions."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from brunswick.school.models import SchoolSettings
from letters.models import Letter, LetterKind, LetterTemplate
from letters.services import letter_approve, letter_correct
from tests.conftest import sign_in
from tests.letters.helpers import broken_version, draft_data, template, warning_letter

pytestmark = pytest.mark.django_db(transaction=True)


def test_slt_drafts_a_letter_with_the_parent_s_details_filled_in(client, slt):
    letter, _ = warning_letter(slt)
    case, person = letter.case, letter.person
    sign_in(client, slt)
    page = client.get(
        f"/staff/cases/{case.id}/letters/new/?kind=warning_letter&person={person.id}"
    ).content.decode()
    assert "1 Example Road" in page and 'value="Jordan Smith"' in page

    response = client.post(
        f"/staff/cases/{case.id}/letters/new/?kind=warning_letter&person={person.id}",
        draft_data(addressee_address="1 Example Road", summary="You swore at a teacher."),
    )
    drafted = Letter.objects.exclude(id=letter.id).get()
    assert response["Location"] == f"/staff/letters/{drafted.id}/"
    assert (
        drafted.template_version
        == LetterTemplate.objects.get(kind="warning_letter").history.latest()
    )
    assert "You swore at a teacher." in client.get(f"/staff/letters/{drafted.id}/").content.decode()


def test_a_draft_needs_what_happened(client, slt):
    letter, _ = warning_letter(slt)
    sign_in(client, slt)
    url = (
        f"/staff/cases/{letter.case_id}/letters/new/?kind=warning_letter&person={letter.person_id}"
    )
    response = client.post(
        url, {"addressee_name": "Jordan Smith", "delivery": "post", "summary": ""}
    )
    assert response.status_code == 400
    assert "Enter what happened, for this letter" in response.content.decode()


def test_slt_cannot_approve_a_warning_letter_but_can_send_it_for_approval(
    client, slt, head_teacher
):
    letter, _ = warning_letter(slt)
    sign_in(client, slt)
    assert client.post(f"/staff/letters/{letter.id}/approve/").status_code == 403
    assert Letter.objects.get(id=letter.id).status == Letter.Status.DRAFT
    client.post(f"/staff/letters/{letter.id}/send-for-approval/")
    assert Letter.objects.get(id=letter.id).status == Letter.Status.AWAITING_APPROVAL

    sign_in(client, head_teacher)
    assert "Warning letter to Jordan Smith" in client.get("/staff/approvals/").content.decode()
    client.post(f"/staff/letters/{letter.id}/approve/")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY
    assert letter.approved_by == head_teacher
    assert default_storage.exists(letter.pdf.name)
    timeline = client.get(f"/staff/cases/{letter.case_id}/").content.decode()
    assert f"SHA-256 {letter.pdf_sha256}" in timeline
    assert "Letter approved by" in timeline


def test_slt_may_approve_warning_letters_when_the_school_allows(slt):
    SchoolSettings.objects.update_or_create(id=1, defaults={"slt_may_send_warning_letters": True})
    letter, _ = warning_letter(slt)
    letter_approve(letter=letter, acting_user=slt)
    assert Letter.objects.get(id=letter.id).status == Letter.Status.READY


def test_a_letter_without_a_postal_address_cannot_be_approved_for_posting(
    client, slt, head_teacher
):
    letter, _ = warning_letter(slt, address="")
    sign_in(client, head_teacher)
    client.post(f"/staff/letters/{letter.id}/approve/")
    assert Letter.objects.get(id=letter.id).status == Letter.Status.DRAFT
    page = client.get(f"/staff/letters/{letter.id}/").content.decode()
    assert "There is no postal address for Jordan Smith" in page


def test_the_letter_keeps_the_wording_of_the_template_version_it_was_made_from(slt, head_teacher):
    letter, _ = warning_letter(slt)
    changed = LetterTemplate.objects.get(kind="warning_letter")
    changed.body = "Completely new wording."
    changed.save()
    letter_approve(letter=letter, acting_user=head_teacher)
    letter.refresh_from_db()
    assert letter.template_version.body != "Completely new wording."


def test_a_correction_is_a_new_version_and_both_pdfs_are_kept(client, slt, head_teacher):
    letter, _ = warning_letter(slt)
    letter_approve(letter=letter, acting_user=head_teacher)
    letter.refresh_from_db()
    first_pdf = letter.pdf.name

    correction = letter_correct(letter=letter, acting_user=slt)
    assert (correction.version, correction.supersedes_id) == (2, letter.id)
    sign_in(client, slt)
    assert (
        client.post(f"/staff/letters/{letter.id}/edit/", {}).status_code == 302
    )  # Approved: not editable.
    letter_approve(letter=correction, acting_user=head_teacher)
    letter.refresh_from_db()
    correction.refresh_from_db()
    assert letter.status == Letter.Status.SUPERSEDED
    assert correction.status == Letter.Status.READY
    assert default_storage.exists(first_pdf) and default_storage.exists(correction.pdf.name)
    assert first_pdf != correction.pdf.name


def test_a_failed_render_is_retried_then_shown_with_a_retry_button(client, slt, head_teacher):
    letter, _ = warning_letter(slt)
    with transaction.atomic():  # The PDF is made once this commits.
        letter_approve(letter=letter, acting_user=head_teacher)
        # Broken behind the admin's back, after approval and before the worker renders it.
        version = broken_version(letter, "{{ not_a_placeholder }}")
    letter.refresh_from_db()
    assert (letter.status, letter.render_attempts) == (Letter.Status.RENDER_FAILED, 3)
    assert not letter.pdf

    sign_in(client, slt)
    assert (
        "Try again to make the PDF" in client.get(f"/staff/letters/{letter.id}/").content.decode()
    )
    version.body = "Fixed."
    version.save()
    client.post(f"/staff/letters/{letter.id}/retry/")
    assert Letter.objects.get(id=letter.id).status == Letter.Status.READY


def test_a_note_to_the_reporter_goes_only_to_a_reporter(client, slt):
    letter, report = warning_letter(slt)
    template(
        LetterKind.REPORTER_NOTE,
        "Your report",
        "Dear {{ reporter_name }}, about {{ report_reference }}.",
    )
    sign_in(client, slt)
    base = f"/staff/cases/{letter.case_id}/letters/new/"
    assert client.get(f"{base}?kind=reporter_note&person={letter.person_id}").status_code == 404
    page = client.get(f"{base}?kind=reporter_note&report={report.id}").content.decode()
    assert 'value="Priya Reporter"' in page


def test_office_and_admin_cannot_open_staff_letter_pages(client, slt, office, admin_user):
    letter, _ = warning_letter(slt)
    for user in (office, admin_user):
        sign_in(client, user)
        assert client.get(f"/staff/letters/{letter.id}/").status_code == 403
        assert client.get(f"/staff/cases/{letter.case_id}/").status_code == 403
