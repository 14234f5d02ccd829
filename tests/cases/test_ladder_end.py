"""The ladder holds to the end: no step's date before the case was opened, an outcome only
for what has happened, an approved step withdrawn by the Head Teacher only, and a step only
about a parent on the case."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cases import ladder
from cases.models import LadderStep
from tests.cases.helpers import (
    TODAY,
    Kind,
    Snapshot,
    Status,
    approved_ban,
    ban_fields,
    case_opened,
    date_fields,
    on,
    page,
    propose,
    version,
)
from tests.conftest import sign_in
from tests.factories import LadderStepFactory, PersonFactory

pytestmark = pytest.mark.django_db
OPENED_DAYS_AGO = 3
BEFORE = TODAY - timedelta(days=OPENED_DAYS_AGO + 1)

# Each date a ladder form takes, set to the day before the case was opened.
EARLY_DATES = [
    (
        Kind.INFORMATION_GATHERING,
        {"rationale": "Speak to them.", **date_fields("due_on", BEFORE)},
        "The due date",
    ),
    (
        Kind.MEETING,
        {"rationale": "Meet them.", **date_fields("meeting_at", BEFORE), "meeting_time": "15:30"},
        "The meeting date",
    ),
    (
        Kind.SITE_BAN,
        ban_fields(**date_fields("representations_invited_on", BEFORE)),
        "The date the parent was invited to make representations",
    ),
    (
        Kind.SITE_BAN,
        ban_fields(
            ban_type="temporary",
            urgent="on",
            urgent_reasons="Staff at risk.",
            **date_fields("ban_starts_on", BEFORE),
        ),
        "The date the ban starts",
    ),
]


@pytest.fixture
def case(slt):
    return case_opened(days_ago=OPENED_DAYS_AGO, lead=slt, opened_by=slt)


@pytest.mark.parametrize(
    ("kind", "fields", "what"), EARLY_DATES, ids=["due", "meeting", "invitation", "ban start"]
)
def test_no_step_date_can_be_before_the_case_was_opened(client, slt, case, kind, fields, what):
    sign_in(client, slt)
    before = Snapshot.of(case)
    response = propose(client, case, kind, **{"skip_reason": "Serious.", **fields})
    assert response.status_code == 400
    opened = timezone.localdate(case.opened_at)
    assert f"{what} cannot be before the case was opened on {on(opened)}" in page(response)
    assert Snapshot.of(case) == before


def test_a_date_on_the_day_the_case_was_opened_is_accepted(client, slt, case):
    sign_in(client, slt)
    opened = timezone.localdate(case.opened_at)
    fields = {"rationale": "Speak to them.", **date_fields("due_on", opened)}
    assert propose(client, case, Kind.INFORMATION_GATHERING, **fields).status_code == 302


def test_a_ban_cannot_be_completed_before_it_starts(client, slt, head_teacher, case):
    ban = approved_ban(case, head_teacher)
    sign_in(client, head_teacher)
    before = Snapshot.of(case)
    url = f"/staff/cases/{case.id}/steps/{ban.id}/outcome/"
    response = client.post(url, {"version": version(case), "outcome": "Ban served."})
    assert response.status_code == 400
    assert (
        f"The ban starts on {on(ban.ban_starts_on)}. You can record its outcome once it has "
        "started" in page(response)
    )
    assert Snapshot.of(case) == before
    assert LadderStep.objects.get(id=ban.id).status == Status.IN_PROGRESS


def test_a_ban_that_has_started_can_be_completed(client, head_teacher, case):
    ban = approved_ban(case, head_teacher, urgent=True)
    LadderStep.objects.filter(id=ban.id).update(ban_starts_on=TODAY)
    sign_in(client, head_teacher)
    url = f"/staff/cases/{case.id}/steps/{ban.id}/outcome/"
    assert client.post(url, {"version": version(case), "outcome": "Ban in place."}).status_code == (
        302
    )
    assert LadderStep.objects.get(id=ban.id).status == Status.COMPLETED


def test_a_meeting_cannot_be_completed_before_it_takes_place(client, slt, case):
    tomorrow = timezone.make_aware(datetime.combine(TODAY + timedelta(days=1), time(15, 30)))
    meeting = LadderStepFactory(case=case, kind=Kind.MEETING, meeting_at=tomorrow)
    sign_in(client, slt)
    url = f"/staff/cases/{case.id}/steps/{meeting.id}/outcome/"
    response = client.post(url, {"version": version(case), "outcome": "Went well."})
    assert response.status_code == 400
    assert (
        f"The meeting is on {on(tomorrow.date())} at 15:30. You can record its outcome once it "
        "has taken place" in page(response)
    )
    assert "Went well." in page(response)
    assert LadderStep.objects.get(id=meeting.id).status == Status.IN_PROGRESS


def test_slt_cannot_withdraw_a_step_the_head_teacher_approved(client, slt, head_teacher, case):
    ban = approved_ban(case, head_teacher)
    sign_in(client, slt)
    assert f"/steps/{ban.id}/withdraw/" not in page(client.get(f"/staff/cases/{case.id}/"))
    before = Snapshot.of(case)
    url = f"/staff/cases/{case.id}/steps/{ban.id}/withdraw/"
    response = client.post(url, {"version": version(case), "reason": "Changed our minds."})
    assert response.status_code == 400
    assert "The Head Teacher approved this step: only they can withdraw it" in page(response)
    assert Snapshot.of(case) == before

    sign_in(client, head_teacher)
    assert f"/steps/{ban.id}/withdraw/" in page(client.get(f"/staff/cases/{case.id}/"))
    response = client.post(url, {"version": version(case), "reason": "The parent apologised."})
    assert response.status_code == 302
    assert LadderStep.objects.get(id=ban.id).status == Status.WITHDRAWN


def test_slt_can_still_withdraw_a_step_waiting_for_approval(client, slt, case):
    step = LadderStepFactory(case=case, kind=Kind.AUTHORITIES, status=Status.AWAITING_APPROVAL)
    sign_in(client, slt)
    url = f"/staff/cases/{case.id}/steps/{step.id}/withdraw/"
    assert client.post(url, {"version": version(case), "reason": "Wrong case."}).status_code == 302
    assert LadderStep.objects.get(id=step.id).status == Status.WITHDRAWN


def test_a_step_can_only_be_about_a_parent_on_the_case(slt, case):
    stranger = PersonFactory()
    proposal = ladder.StepProposal(
        kind=Kind.INFORMATION_GATHERING, rationale="Speak to them.", person_id=stranger.id
    )
    with pytest.raises(ladder.LadderError, match="Select a parent who is on this case"):
        ladder.step_propose(case=case, version=case.version, proposal=proposal, acting_user=slt)
    assert not case.steps.exists()

    case.people.add(stranger)
    step = ladder.step_propose(case=case, version=case.version, proposal=proposal, acting_user=slt)
    assert step.person == stranger


def test_a_step_must_be_one_of_the_ladders(slt, case):
    proposal = ladder.StepProposal(kind="expel_the_child", rationale="No.")
    with pytest.raises(ladder.LadderError, match="Select a step from the ladder"):
        ladder.step_propose(case=case, version=case.version, proposal=proposal, acting_user=slt)


def test_moving_a_step_records_its_old_and_new_status(client, head_teacher, case):
    from brunswick.audit.models import AuditEvent

    step = LadderStepFactory(case=case, kind=Kind.LEGAL_ADVICE, status=Status.AWAITING_APPROVAL)
    ladder.step_approve(
        step=step, version=case.version, approve=True, note="", acting_user=head_teacher
    )
    ladder.step_complete(
        step=step, version=version(case), outcome="Advised.", minutes="", acting_user=head_teacher
    )
    approved, completed = (
        AuditEvent.objects.get(action=action) for action in ("step_approved", "step_completed")
    )
    assert approved.extra["status"] == ["awaiting_approval", "in_progress"]
    assert completed.extra["status"] == ["in_progress", "completed"]
