"""Before a ban that is not urgent, the parent may make representations: the school records
what they said, or, only once the deadline has passed, that they did not respond; and the
ban cannot start before that deadline."""

from datetime import timedelta

import pytest

from brunswick.audit.models import AuditEvent
from cases import ladder
from cases.models import LadderStep
from tests.cases.helpers import (
    TODAY,
    Kind,
    Snapshot,
    Status,
    ban_awaiting_approval,
    ban_fields,
    case_opened,
    date_fields,
    on,
    page,
    propose,
    version,
)
from tests.conftest import sign_in
from tests.factories import LadderStepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(slt):
    return case_opened(days_ago=30, lead=slt, opened_by=slt)


def record(client, step, **fields):
    url = f"/staff/cases/{step.case_id}/steps/{step.id}/representations/"
    return client.post(url, {"version": version(step.case), **fields})


def approve(client, step):
    url = f"/staff/cases/{step.case_id}/steps/{step.id}/approval/"
    return client.post(url, {"version": version(step.case), "approve": "yes"})


def test_the_form_asks_whether_the_parent_made_representations_or_did_not_respond(
    client, slt, case
):
    step = ban_awaiting_approval(case)
    sign_in(client, slt)
    text = page(client.get(f"/staff/cases/{case.id}/steps/{step.id}/representations/"))
    assert "The parent made representations" in text
    assert "The parent did not respond by the deadline" in text


def test_did_not_respond_is_refused_before_the_deadline_and_nothing_changes(
    client, slt, head_teacher, case
):
    deadline = TODAY + timedelta(days=5)
    step = ban_awaiting_approval(case, deadline=deadline)
    sign_in(client, slt)
    before = Snapshot.of(case)
    response = record(client, step, received="no")
    assert response.status_code == 400
    assert (
        f"You can record that the parent did not respond after the deadline, {on(deadline)}"
        in page(response)
    )
    assert Snapshot.of(case) == before
    step.refresh_from_db()
    assert step.representations_received is None
    assert step.representations_recorded_at is None

    sign_in(client, head_teacher)
    assert "can still make representations" in page(approve(client, step))
    assert LadderStep.objects.get(id=step.id).status == Status.AWAITING_APPROVAL


def test_did_not_respond_is_refused_on_the_deadline_itself(client, slt, case):
    step = ban_awaiting_approval(case, deadline=TODAY)
    sign_in(client, slt)
    assert record(client, step, received="no").status_code == 400
    assert LadderStep.objects.get(id=step.id).representations_received is None


def test_after_the_deadline_no_response_is_recorded_and_the_ban_can_be_approved(
    client, slt, head_teacher, case
):
    step = ban_awaiting_approval(case, deadline=TODAY - timedelta(days=1))
    sign_in(client, slt)
    assert record(client, step, received="no").status_code == 302
    step.refresh_from_db()
    assert (step.representations_received, step.representations) == (False, "")
    event = AuditEvent.objects.get(action="representations_recorded")
    assert event.extra["representations_received"] == [None, False]

    sign_in(client, head_teacher)
    case_page = page(client.get(f"/staff/cases/{case.id}/"))
    assert "The parent did not respond by the deadline." in case_page
    assert approve(client, step).status_code == 302
    assert LadderStep.objects.get(id=step.id).status == Status.IN_PROGRESS


def test_representations_need_what_the_parent_said_and_allow_approval_at_once(
    client, slt, head_teacher, case
):
    step = ban_awaiting_approval(case, deadline=TODAY + timedelta(days=5))
    sign_in(client, slt)
    refused = record(client, step, received="yes", representations="")
    assert refused.status_code == 400
    assert "Enter what the parent said" in page(refused)

    said = "She apologised and asked for a meeting."
    assert record(client, step, received="yes", representations=said).status_code == 302
    step.refresh_from_db()
    assert (step.representations_received, step.representations) == (True, said)

    sign_in(client, head_teacher)
    assert approve(client, step).status_code == 302


def test_a_choice_is_needed(client, slt, case):
    step = ban_awaiting_approval(case)
    sign_in(client, slt)
    response = record(client, step, representations="Something")
    assert response.status_code == 400
    assert "Select whether the parent made representations or did not respond" in page(response)
    assert "Something" in page(response)


def test_did_not_respond_with_what_they_said_typed_in_is_refused_and_keeps_it(client, slt, case):
    step = ban_awaiting_approval(case, deadline=TODAY - timedelta(days=1))
    sign_in(client, slt)
    response = record(client, step, received="no", representations="She phoned on Monday.")
    assert response.status_code == 400
    text = page(response)
    assert "You chose that the parent did not respond" in text
    assert "She phoned on Monday." in text
    assert LadderStep.objects.get(id=step.id).representations_received is None


def test_approval_reads_the_recorded_choice_not_the_text(head_teacher, case):
    # Text recorded before the choice existed, with no choice: still to be recorded.
    step = ban_awaiting_approval(
        case,
        deadline=TODAY - timedelta(days=1),
        representations="Did not respond.",
        representations_recorded_at=case.opened_at,
    )
    assert "Record whether the parent made representations" in ladder.can_approve(step)
    # "Did not respond" stored against a deadline still to come does not unlock approval.
    step = LadderStep(
        kind=Kind.SITE_BAN,
        status=Status.AWAITING_APPROVAL,
        representations_deadline=TODAY + timedelta(days=2),
        representations_received=False,
    )
    assert "can still make representations" in ladder.can_approve(step)


@pytest.mark.parametrize(
    "step_fields",
    [
        {"kind": Kind.MEETING, "status": Status.IN_PROGRESS},
        {"kind": Kind.SITE_BAN, "status": Status.AWAITING_APPROVAL, "urgent": True},
    ],
    ids=["a meeting", "an urgent ban"],
)
def test_representations_are_only_for_a_ban_that_is_not_urgent(slt, case, step_fields):
    step = LadderStepFactory(case=case, **step_fields)
    with pytest.raises(ladder.LadderError, match="only for a site ban that is not urgent"):
        ladder.step_record_representations(
            step=step, version=case.version, received=True, representations="x", acting_user=slt
        )


def test_representations_are_not_recorded_once_the_ban_was_approved(slt, head_teacher, case):
    step = ban_awaiting_approval(case, status=Status.IN_PROGRESS)
    with pytest.raises(ladder.LadderError, match="while the ban waits"):
        ladder.step_record_representations(
            step=step, version=case.version, received=True, representations="x", acting_user=slt
        )


def test_a_ban_starts_after_the_deadline_for_representations(client, slt, case):
    sign_in(client, slt)
    deadline = TODAY + timedelta(days=10)
    before = Snapshot.of(case)
    for too_soon in (TODAY, deadline):  # On the deadline day the parent can still respond.
        response = propose(
            client, case, Kind.SITE_BAN, **ban_fields(**date_fields("ban_starts_on", too_soon))
        )
        assert response.status_code == 400
        assert (
            "The ban must start after the deadline for representations: the parent can still "
            f"respond on {on(deadline)}"
        ) in page(response)
        assert Snapshot.of(case) == before

    the_day_after = ban_fields(**date_fields("ban_starts_on", deadline + timedelta(days=1)))
    assert propose(client, case, Kind.SITE_BAN, **the_day_after).status_code == 302


def test_a_deadline_already_past_or_a_start_in_the_past_is_refused(client, slt, case):
    """A tester proposed a ban invited 14 months ago with its deadline long gone, recorded
    'did not respond' at once and had it approved in the same minute."""
    sign_in(client, slt)
    before = Snapshot.of(case)
    past = ban_fields(
        **date_fields("representations_invited_on", TODAY - timedelta(days=20)),
        **date_fields("representations_deadline", TODAY - timedelta(days=10)),
        **date_fields("ban_starts_on", TODAY + timedelta(days=1)),
    )
    response = propose(client, case, Kind.SITE_BAN, **past)
    assert "The deadline for representations has already passed" in page(response)
    started = ban_fields(**date_fields("ban_starts_on", TODAY - timedelta(days=1)))
    assert "The ban cannot start in the past" in page(
        propose(client, case, Kind.SITE_BAN, **started)
    )
    assert Snapshot.of(case) == before


def test_the_deadline_must_be_after_the_invitation(client, slt, case):
    sign_in(client, slt)
    same_day = ban_fields(**date_fields("representations_deadline", TODAY))
    response = propose(client, case, Kind.SITE_BAN, **same_day)
    assert response.status_code == 400
    assert "The deadline for representations must be after the day the parent was invited" in (
        page(response)
    )
    assert not case.steps.exists()


def test_an_urgent_temporary_ban_may_start_at_once(client, head_teacher, case):
    sign_in(client, head_teacher)
    urgent = ban_fields(
        ban_type="temporary",
        urgent="on",
        urgent_reasons="Police involved; staff at risk.",
        **date_fields("ban_starts_on", TODAY),
        **date_fields("review_on", TODAY + timedelta(days=14)),
    )
    assert propose(client, case, Kind.SITE_BAN, **urgent).status_code == 302
    step = case.steps.get()
    assert (step.urgent, step.ban_starts_on) == (True, TODAY)
    assert ladder.can_approve(step) is None


def test_a_ban_recorded_without_a_deadline_shows_its_approval_page_and_waits(
    client, head_teacher, case
):
    # Made before the deadline was required: the page says what is missing, never a 500.
    step = ban_awaiting_approval(case, representations_deadline=None)
    sign_in(client, head_teacher)
    url = f"/staff/cases/{case.id}/steps/{step.id}/approval/"
    assert client.get(url).status_code == 200
    assert "Record whether the parent made representations" in page(approve(client, step))
    assert LadderStep.objects.get(id=step.id).status == Status.AWAITING_APPROVAL
