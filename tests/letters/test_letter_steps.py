"""Each letter that carries out a step of the ladder needs that step on the case, for that
parent, in the right state, when it is drafted, sent for approval, approved and corrected;
a ban letter states the ban's own dates (letters.steps)."""

from datetime import date

import pytest
from django.utils.html import escape

from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from cases import ladder
from letters.models import Letter, LetterKind
from letters.services import (
    LetterError,
    letter_approve,
    letter_correct,
    letter_draft,
    letter_edit,
    letter_send_for_approval,
)
from letters.steps import LETTER_STEPS
from tests.conftest import sign_in
from tests.factories import PersonFactory
from tests.letters.helpers import date_fields
from tests.letters.steps_helpers import BAN_DATES, ban, draft, scene, step

pytestmark = pytest.mark.django_db

Kind = LetterKind
FULL_BAN_REFUSAL = (
    "A site ban letter needs a full site ban approved by the Head Teacher for this parent. "
    "Propose the ban first, or choose another letter."
)
# Each kind of letter, and a step on the case that it may carry out.
ALLOWED = [
    (Kind.WARNING_LETTER, {"kind": "warning_letter"}),
    (Kind.WARNING_LETTER, {"kind": "warning_letter", "status": "awaiting_approval"}),
    (Kind.MEETING_INVITATION, {"kind": "meeting"}),
    (Kind.REPRESENTATIONS_INVITATION, {"ban": {"status": "awaiting_approval"}}),
    (Kind.SITE_BAN_TEMPORARY, {"ban": {"ban_type": "temporary"}}),
    (Kind.SITE_BAN_TEMPORARY, {"ban": {"ban_type": "temporary", "status": "completed"}}),
    (Kind.SITE_BAN_FULL, {"ban": {}}),
    (Kind.SITE_BAN_FULL, {"ban": {"status": "completed"}}),
    (Kind.BAN_REVIEW_OUTCOME, {"ban": {"ban_type": "temporary"}}),
]
# Each kind of letter, and a step on the case that it may not carry out.
REFUSED = [
    (Kind.WARNING_LETTER, None),
    (Kind.WARNING_LETTER, {"kind": "warning_letter", "status": "withdrawn"}),
    (Kind.WARNING_LETTER, {"kind": "warning_letter", "status": "completed"}),
    (Kind.MEETING_INVITATION, {"kind": "meeting", "status": "completed"}),
    (Kind.REPRESENTATIONS_INVITATION, {"ban": {"status": "in_progress"}}),
    (Kind.REPRESENTATIONS_INVITATION, {"ban": {"status": "awaiting_approval", "urgent": True}}),
    (Kind.SITE_BAN_TEMPORARY, {"ban": {"ban_type": "temporary", "status": "withdrawn"}}),
    (Kind.SITE_BAN_TEMPORARY, {"ban": {"ban_type": "full"}}),
    (Kind.SITE_BAN_FULL, {"ban": {"status": "withdrawn"}}),
    (Kind.SITE_BAN_FULL, {"ban": {"status": "awaiting_approval"}}),
    (Kind.SITE_BAN_FULL, {"ban": {"status": "not_approved"}}),
    (Kind.SITE_BAN_FULL, {"ban": {"ban_type": "temporary"}}),
    (Kind.BAN_REVIEW_OUTCOME, {"ban": {"status": "awaiting_approval"}}),
]


def make(at, made: dict | None):
    if made is None:
        return None
    if "ban" in made:
        return ban(at.case, at.person, **made["ban"])
    return step(at.case, at.person, made["kind"], made.get("status", "in_progress"))


def ids(cases):
    return [f"{kind.value}-{made}" for kind, made in cases]


@pytest.mark.parametrize(("kind", "made"), ALLOWED, ids=ids(ALLOWED))
def test_a_letter_is_drafted_when_its_step_is_on_the_case_in_the_right_state(slt, kind, made):
    at = scene(slt)
    carried_out = make(at, made)

    letter = letter_draft(case=at.case, kind=kind, draft=draft(), acting_user=slt, person=at.person)
    assert letter.step == carried_out


@pytest.mark.smoke
@pytest.mark.parametrize(("kind", "made"), REFUSED, ids=ids(REFUSED))
def test_a_letter_is_not_drafted_without_its_step_in_the_right_state(slt, kind, made):
    at = scene(slt)
    make(at, made)

    with pytest.raises(LetterError) as refused:
        letter_draft(case=at.case, kind=kind, draft=draft(), acting_user=slt, person=at.person)
    assert refused.value.message == LETTER_STEPS[kind].refusal
    assert not Letter.objects.exists()


def test_a_step_about_another_parent_is_not_this_parent_s(slt):
    at = scene(slt)
    other = PersonFactory(full_name="Robin Other")
    at.case.people.add(other)
    ban(at.case, other)

    with pytest.raises(LetterError, match="for this parent"):
        letter_draft(
            case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
        )


def test_a_step_about_no_one_is_the_parent_s_only_when_they_are_the_only_one(slt):
    at = scene(slt)
    about_no_one = ban(at.case, None)
    letter = letter_draft(
        case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
    )
    assert letter.step == about_no_one

    at.case.people.add(PersonFactory(full_name="Robin Other"))
    with pytest.raises(LetterError, match="for this parent"):
        letter_draft(
            case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
        )


@pytest.mark.smoke
@pytest.mark.parametrize(
    "kind", [Kind.SITE_BAN_FULL, Kind.SITE_BAN_TEMPORARY, Kind.REPRESENTATIONS_INVITATION]
)
def test_the_testers_case_a_ban_that_was_withdrawn_offers_no_letter_and_saves_none(
    client, slt, kind
):
    at = scene(slt)
    ban(at.case, at.person, status="withdrawn", ban_type="temporary")
    sign_in(client, slt)
    url = f"/staff/cases/{at.case.id}/letters/new/?kind={kind.value}&person={at.person.id}"

    page = client.get(url).content.decode()
    assert escape(LETTER_STEPS[kind].refusal) in page
    assert "Save draft" not in page

    posted = {
        "addressee_name": "Jordan Smith",
        "addressee_address": "1 Example Road",
        "delivery": "post",
        "summary": "You shouted at the class teacher.",
        **date_fields("ban_starts_on", date(2026, 5, 11)),
        **date_fields("review_on", date(2026, 6, 15)),
        **date_fields("representations_deadline", date(2026, 5, 4)),
    }
    response = client.post(url, posted)
    assert response.status_code == 400
    assert escape(LETTER_STEPS[kind].refusal) in response.content.decode()
    assert "You shouted at the class teacher." in response.content.decode()  # Kept as typed.
    assert not Letter.objects.exists()


def withdraw(made, head_teacher):
    made.case.refresh_from_db()
    ladder.step_withdraw(
        step=made, version=made.case.version, reason="Not needed.", acting_user=head_teacher
    )


@pytest.mark.smoke
def test_a_ban_letter_whose_ban_is_withdrawn_after_drafting_is_not_sent_or_approved(
    slt, head_teacher
):
    at = scene(slt)
    made = ban(at.case, at.person)
    letter = letter_draft(
        case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
    )
    withdraw(made, head_teacher)

    with pytest.raises(LetterError) as refused:
        letter_send_for_approval(letter=letter, acting_user=slt)
    assert refused.value.message == FULL_BAN_REFUSAL
    with pytest.raises(LetterError, match="needs a full site ban approved"):
        letter_approve(letter=letter, acting_user=head_teacher)
    letter.refresh_from_db()
    assert (letter.status, letter.approved_by) == (Letter.Status.DRAFT, None)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_APPROVED).exists()
    assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.RENDER_LETTER).exists()


def test_a_ban_letter_whose_ban_is_withdrawn_while_it_waits_for_approval_is_not_approved(
    slt, head_teacher
):
    at = scene(slt)
    made = ban(at.case, at.person)
    letter = letter_draft(
        case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
    )
    letter_send_for_approval(letter=letter, acting_user=slt)
    withdraw(made, head_teacher)

    with pytest.raises(LetterError, match="needs a full site ban approved"):
        letter_approve(letter=letter, acting_user=head_teacher)
    assert Letter.objects.get(id=letter.id).status == Letter.Status.AWAITING_APPROVAL


def test_a_ban_letter_is_not_corrected_once_its_ban_is_withdrawn(slt, head_teacher):
    at = scene(slt)
    made = ban(at.case, at.person)
    letter = letter_draft(
        case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
    )
    Letter.objects.filter(id=letter.id).update(status=Letter.Status.POSTED)  # As sent.
    withdraw(made, head_teacher)

    with pytest.raises(LetterError, match="needs a full site ban approved"):
        letter_correct(letter=letter, acting_user=slt)
    assert Letter.objects.count() == 1


def test_a_warning_letter_is_approved_after_its_step_not_before(slt, head_teacher):
    at = scene(slt)
    waiting = step(at.case, at.person, "warning_letter", "awaiting_approval")
    letter = letter_draft(
        case=at.case, kind=Kind.WARNING_LETTER, draft=draft(), acting_user=slt, person=at.person
    )
    letter_send_for_approval(letter=letter, acting_user=slt)  # The Head Teacher sees both.

    with pytest.raises(LetterError) as refused:
        letter_approve(letter=letter, acting_user=head_teacher)
    assert refused.value.message == (
        "The warning letter step for this parent is waiting for the Head Teacher's approval. "
        "Approve the step on the case first, then this letter."
    )
    at.case.refresh_from_db()
    ladder.step_approve(
        step=waiting, version=at.case.version, approve=True, note="", acting_user=head_teacher
    )
    letter_approve(letter=letter, acting_user=head_teacher)
    assert Letter.objects.get(id=letter.id).approved_by == head_teacher


@pytest.mark.smoke
def test_a_ban_letter_states_the_ban_s_dates_whatever_the_draft_says(slt):
    at = scene(slt)
    ban(at.case, at.person)
    letter = letter_draft(
        case=at.case,
        kind=Kind.SITE_BAN_FULL,
        draft=draft(ban_starts_on=date(2026, 4, 1), ban_ends_on=None, review_on=date(2027, 1, 1)),
        acting_user=slt,
        person=at.person,
    )
    assert (letter.ban_starts_on, letter.ban_ends_on, letter.review_on) == (
        BAN_DATES["ban_starts_on"],
        BAN_DATES["ban_ends_on"],
        BAN_DATES["review_on"],
    )

    letter_edit(letter=letter, draft=draft(ban_starts_on=date(2026, 4, 1)), acting_user=slt)
    assert Letter.objects.get(id=letter.id).ban_starts_on == BAN_DATES["ban_starts_on"]


def test_the_draft_form_shows_the_ban_s_dates_and_has_no_boxes_for_them(client, slt):
    at = scene(slt)
    ban(at.case, at.person)
    sign_in(client, slt)
    url = f"/staff/cases/{at.case.id}/letters/new/?kind=site_ban_full&person={at.person.id}"

    page = client.get(url).content.decode()
    assert "From the site ban on the case" in page
    assert "11 May 2026" in page and "17 July 2026" in page and "15 June 2026" in page
    assert 'name="ban_starts_on_0"' not in page and 'name="review_on_0"' not in page

    forged = {
        "addressee_name": "Jordan Smith",
        "addressee_address": "1 Example Road",
        "delivery": "post",
        "summary": "You shouted at the class teacher.",
        **date_fields("ban_starts_on", date(2026, 4, 1)),
    }
    assert client.post(url, forged).status_code == 302
    assert Letter.objects.get().ban_starts_on == BAN_DATES["ban_starts_on"]


def test_a_letter_whose_dates_are_not_the_ban_s_is_not_sent_until_saved_again(slt):
    at = scene(slt)
    ban(at.case, at.person)
    letter = letter_draft(
        case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
    )
    Letter.objects.filter(id=letter.id).update(ban_starts_on=date(2026, 4, 1))  # A stray row.

    with pytest.raises(LetterError, match="The ban dates on this letter are not the dates"):
        letter_send_for_approval(letter=letter, acting_user=slt)
    letter_edit(letter=Letter.objects.get(id=letter.id), draft=draft(), acting_user=slt)
    letter_send_for_approval(letter=letter, acting_user=slt)
    assert Letter.objects.get(id=letter.id).status == Letter.Status.AWAITING_APPROVAL


def test_a_letter_drafted_before_the_rule_with_no_step_says_why_and_offers_no_approval(
    client, slt, head_teacher
):
    at = scene(slt)
    made = ban(at.case, at.person)
    letter = letter_draft(
        case=at.case, kind=Kind.SITE_BAN_FULL, draft=draft(), acting_user=slt, person=at.person
    )
    Letter.objects.filter(id=letter.id).update(step=None)  # As the tester's letters were.
    made.status = "withdrawn"
    made.save()
    sign_in(client, head_teacher)

    page = client.get(f"/staff/letters/{letter.id}/").content.decode()
    assert escape(FULL_BAN_REFUSAL) in page
    assert "Approve this letter" not in page
    client.post(f"/staff/letters/{letter.id}/approve/")
    assert Letter.objects.get(id=letter.id).status == Letter.Status.DRAFT


def test_the_case_page_offers_a_ban_letter_only_while_the_ban_is_in_effect(
    client, slt, head_teacher
):
    at = scene(slt)
    made = ban(at.case, at.person)
    sign_in(client, slt)
    option = f'<option value="site_ban_full">{Kind.SITE_BAN_FULL.label}</option>'
    assert option in client.get(f"/staff/cases/{at.case.id}/").content.decode()

    withdraw(made, head_teacher)
    page = client.get(f"/staff/cases/{at.case.id}/").content.decode()
    assert option not in page
    assert escape(FULL_BAN_REFUSAL) in page
