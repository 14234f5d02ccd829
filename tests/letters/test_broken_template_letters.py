"""A letter whose text cannot be rendered cannot be sent for approval or approved, and its
page says why."""

import pytest
from django.utils.html import escape

from brunswick.audit.models import AuditEvent
from letters.models import Letter, LetterKind, LetterTemplate
from letters.services import Draft, LetterError, letter_approve, letter_draft
from letters.services import letter_send_for_approval as send_for_approval
from tests.conftest import sign_in
from tests.letters.helpers import broken_version, warning_letter

pytestmark = pytest.mark.django_db

REFUSAL = (
    "This letter's template cannot be used: Line 1: letters cannot include other templates "
    "({% include %}). Remove it. Ask the admin to correct the template, then make a new draft"
)


def test_a_letter_whose_template_cannot_be_rendered_is_not_sent_for_approval(slt):
    letter, _ = warning_letter(slt)
    broken_version(letter)

    with pytest.raises(LetterError) as refused:
        send_for_approval(letter=letter, acting_user=slt)
    assert refused.value.message == REFUSAL
    assert Letter.objects.get(id=letter.id).status == Letter.Status.DRAFT


def test_a_letter_whose_template_cannot_be_rendered_is_not_approved(slt, head_teacher):
    letter, _ = warning_letter(slt)
    broken_version(letter, "Dear {{ parent_name.__class__ }}")

    with pytest.raises(LetterError, match="letters cannot use names that start with an under"):
        letter_approve(letter=letter, acting_user=head_teacher)
    letter.refresh_from_db()
    assert (letter.status, letter.approved_by) == (Letter.Status.DRAFT, None)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_APPROVED).exists()


@pytest.mark.smoke
def test_the_letter_page_says_why_and_offers_no_approval(client, slt, head_teacher):
    letter, _ = warning_letter(slt)
    broken_version(letter)
    sign_in(client, head_teacher)

    response = client.get(f"/staff/letters/{letter.id}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(REFUSAL) in page
    assert "Approve this letter" not in page
    assert "Send to the Head Teacher for approval" not in page

    client.post(f"/staff/letters/{letter.id}/approve/")
    assert Letter.objects.get(id=letter.id).status == Letter.Status.DRAFT
    assert escape(REFUSAL) in client.get(f"/staff/letters/{letter.id}/").content.decode()


def test_a_letter_can_still_be_drafted_from_a_template_mended_since(slt, head_teacher):
    letter, _ = warning_letter(slt)
    broken_version(letter)
    mended = LetterTemplate.objects.get(kind=LetterKind.WARNING_LETTER)
    mended.body = "Dear {{ parent_name }},\n\n{{ summary }}"
    mended.save()

    again = letter_draft(
        case=letter.case,
        kind=LetterKind.WARNING_LETTER,
        draft=Draft(
            summary="Again.", addressee_name="Jordan Smith", addressee_address="1 Road",
            addressee_email="", delivery="post",
        ),
        acting_user=slt,
        person=letter.person,
    )  # fmt: skip
    letter_approve(letter=again, acting_user=head_teacher)
    assert Letter.objects.get(id=again.id).status == Letter.Status.RENDERING  # Approved.


def test_no_letter_is_drafted_from_a_template_that_cannot_be_rendered(client, slt):
    letter, _ = warning_letter(slt)
    LetterTemplate.objects.filter(kind=LetterKind.WARNING_LETTER).update(
        body="{% extends 'base.html' %}"
    )
    # Its newest version too, as a row written straight to the database would be.
    LetterTemplate.objects.get(kind=LetterKind.WARNING_LETTER).save()
    sign_in(client, slt)

    response = client.post(
        f"/staff/cases/{letter.case_id}/letters/new/?kind=warning_letter&person={letter.person_id}",
        {
            "addressee_name": "Jordan Smith",
            "addressee_address": "1 Example Road",
            "delivery": "post",
            "summary": "You swore at a teacher.",
        },
    )
    assert response.status_code == 400
    assert (
        escape(
            "The template for this kind of letter cannot be used: Line 1: letters cannot extend "
            "other templates ({% extends %}). Remove it. Ask the admin to correct the template"
        )
        in response.content.decode()
    )
    assert Letter.objects.count() == 1


def test_the_preview_of_a_letter_that_cannot_be_rendered_goes_back_and_says_why(client, slt):
    letter, _ = warning_letter(slt)
    broken_version(letter)
    sign_in(client, slt)

    response = client.get(f"/staff/letters/{letter.id}/preview/", follow=True)
    assert response.redirect_chain == [(f"/staff/letters/{letter.id}/", 302)]
    assert escape(REFUSAL) in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_PREVIEWED).exists()


def test_no_correction_is_made_on_a_template_that_cannot_be_rendered(client, slt, head_teacher):
    letter, _ = warning_letter(slt)
    letter_approve(letter=letter, acting_user=head_teacher)
    LetterTemplate.objects.filter(kind=LetterKind.WARNING_LETTER).update(body="{{ x.__y }}")
    LetterTemplate.objects.get(kind=LetterKind.WARNING_LETTER).save()  # Its newest version.
    sign_in(client, slt)

    page = client.post(f"/staff/letters/{letter.id}/correct/", follow=True).content.decode()
    assert "The template for this kind of letter cannot be used: Line 1:" in page
    assert Letter.objects.count() == 1
