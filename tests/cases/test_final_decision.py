"""The Head Teacher's final decision agrees with the steps taken on the case
(cases.ladder.DECISION_NEEDS), a site ban's dates with the approved ban's, and no date
comes before the case was opened."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from cases import ladder
from cases.models import Case, Decision
from tests.cases.helpers import (
    TODAY,
    Kind,
    Snapshot,
    Status,
    approved_ban,
    case_opened,
    date_fields,
    decide,
    on,
    page,
    version,
)
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory

pytestmark = pytest.mark.django_db

# Each outcome that rests on a step: the step's kind, a status that does not count (the
# step was never approved, or did not happen), and one that does.
RESTS_ON = [
    ("warning_issued", Kind.WARNING_LETTER, Status.WITHDRAWN, Status.IN_PROGRESS),
    ("meeting_held", Kind.MEETING, Status.IN_PROGRESS, Status.COMPLETED),
    ("authorities_informed", Kind.AUTHORITIES, Status.NOT_APPROVED, Status.IN_PROGRESS),
    ("legal_advice_sought", Kind.LEGAL_ADVICE, Status.NOT_APPROVED, Status.COMPLETED),
    ("group_removal", Kind.MODERATOR_REMOVAL, Status.WITHDRAWN, Status.COMPLETED),
]


@pytest.fixture
def case(slt):
    return CaseFactory(lead=slt, opened_by=slt)


def test_a_site_ban_decision_with_no_site_ban_step_is_refused_and_nothing_changes(
    client, head_teacher, case
):
    sign_in(client, head_teacher)
    before = Snapshot.of(case)
    response = decide(
        client,
        case,
        outcome="site_ban",
        reasons="Threats at the gate.",
        **date_fields("ban_starts_on", TODAY),
    )
    assert response.status_code == 400
    text = page(response)
    assert (
        "A site ban decision needs a site ban step approved by the Head Teacher. "
        "Propose the site ban first." in text
    )
    assert "Threats at the gate." in text  # What was typed is still there.
    assert Snapshot.of(case) == before
    assert not Decision.objects.filter(case=case).exists()


def test_a_site_ban_waiting_for_approval_or_not_approved_does_not_support_the_decision(
    head_teacher, case
):
    LadderStepFactory(case=case, kind=Kind.SITE_BAN, status=Status.NOT_APPROVED)
    details = ladder.DecisionDetails(
        outcome="site_ban", reasons="r", decided_on=TODAY, ban_starts_on=TODAY
    )
    with pytest.raises(ladder.LadderError, match="needs a site ban step approved"):
        ladder.case_decide(
            case=case, version=case.version, details=details, acting_user=head_teacher
        )


@pytest.mark.parametrize(("outcome", "kind", "not_enough", "enough"), RESTS_ON)
def test_each_outcome_needs_the_step_it_rests_on(
    client, head_teacher, case, outcome, kind, not_enough, enough
):
    sign_in(client, head_teacher)
    refusal = ladder.DECISION_NEEDS[outcome].refusal

    assert refusal in page(decide(client, case, outcome=outcome))
    step = LadderStepFactory(case=case, kind=kind, status=not_enough)
    refused = decide(client, case, outcome=outcome)
    assert refused.status_code == 400
    assert refusal in page(refused)
    assert not Decision.objects.filter(case=case).exists()

    step.status = enough
    step.save()
    assert decide(client, case, outcome=outcome).status_code == 302
    assert Decision.objects.get(case=case).outcome == outcome


@pytest.mark.parametrize("outcome", ["no_breach", "advice_given"])
def test_no_breach_and_advice_given_need_no_step(client, head_teacher, case, outcome):
    sign_in(client, head_teacher)
    assert decide(client, case, outcome=outcome).status_code == 302
    assert Decision.objects.get(case=case).outcome == outcome


def test_a_site_ban_decision_with_the_approved_bans_dates_is_recorded(client, head_teacher, case):
    ban = approved_ban(case, head_teacher)
    sign_in(client, head_teacher)
    response = decide(
        client,
        case,
        outcome="site_ban",
        **date_fields("ban_starts_on", ban.ban_starts_on),
        **date_fields("ban_ends_on", ban.ban_ends_on),
    )
    assert response.status_code == 302
    decision = Decision.objects.get(case=case)
    assert (decision.ban_starts_on, decision.ban_ends_on) == (ban.ban_starts_on, ban.ban_ends_on)
    event = AuditEvent.objects.get(action="decision_recorded")
    assert event.extra["outcome"] == "site_ban"


def test_an_urgent_temporary_ban_the_head_teacher_approved_supports_a_site_ban_decision(
    head_teacher, case
):
    proposal = ladder.StepProposal(
        kind=Kind.SITE_BAN,
        rationale="Assault at the gate.",
        skip_reason="Violence.",
        ban_type="temporary",
        ban_starts_on=TODAY,
        ban_ends_on=TODAY + timedelta(days=10),
        review_on=TODAY + timedelta(days=7),
        urgent=True,
        urgent_reasons="Police involved.",
    )
    step = ladder.step_propose(
        case=case, version=case.version, proposal=proposal, acting_user=head_teacher
    )
    ladder.step_approve(
        step=step, version=version(case), approve=True, note="", acting_user=head_teacher
    )
    decision = ladder.case_decide(
        case=case,
        version=version(case),
        acting_user=head_teacher,
        details=ladder.DecisionDetails(
            outcome="site_ban",
            reasons="Temporary ban while the police investigate.",
            decided_on=TODAY,
            ban_starts_on=TODAY,
            ban_ends_on=TODAY + timedelta(days=10),
        ),
    )
    assert decision.outcome == "site_ban"


def test_a_site_ban_decision_with_other_dates_than_the_approved_ban_says_so(
    client, head_teacher, case
):
    ban = approved_ban(case, head_teacher)
    sign_in(client, head_teacher)
    before = Snapshot.of(case)
    response = decide(
        client,
        case,
        outcome="site_ban",
        **date_fields("ban_starts_on", ban.ban_starts_on + timedelta(days=1)),
        **date_fields("ban_ends_on", ban.ban_ends_on),
    )
    assert response.status_code == 400
    assert (
        "The ban dates must be those of the site ban the Head Teacher approved: "
        f"from {on(ban.ban_starts_on)} to {on(ban.ban_ends_on)}" in page(response)
    )
    assert Snapshot.of(case) == before


def test_the_decision_form_starts_with_the_approved_bans_dates(client, head_teacher, case):
    ban = approved_ban(case, head_teacher)
    sign_in(client, head_teacher)
    text = page(client.get(f"/staff/cases/{case.id}/decision/"))
    assert f"The site ban you approved runs from {on(ban.ban_starts_on)}" in text
    start = ban.ban_starts_on
    assert f'name="ban_starts_on_0" value="{start.day}"' in text
    assert f'name="ban_starts_on_2" value="{start.year}"' in text


def test_ban_dates_on_a_decision_that_is_not_a_site_ban_are_refused(client, head_teacher, case):
    sign_in(client, head_teacher)
    response = decide(client, case, outcome="advice_given", **date_fields("ban_starts_on", TODAY))
    assert response.status_code == 400
    assert "Only a site ban decision has ban dates" in page(response)
    assert not Decision.objects.filter(case=case).exists()


def test_the_decision_date_cannot_be_before_the_case_was_opened(client, head_teacher):
    case = case_opened(days_ago=3)
    opened = timezone.localdate(case.opened_at)
    sign_in(client, head_teacher)
    before = Snapshot.of(case)
    response = decide(client, case, **date_fields("decided_on", opened - timedelta(days=1)))
    assert response.status_code == 400
    assert f"The date of the decision cannot be before the case was opened on {on(opened)}" in page(
        response
    )
    assert Snapshot.of(case) == before
    assert decide(client, case, **date_fields("decided_on", opened)).status_code == 302


def test_the_decision_date_still_cannot_be_in_the_future(client, head_teacher, case):
    sign_in(client, head_teacher)
    response = decide(client, case, **date_fields("decided_on", TODAY + timedelta(days=1)))
    assert "The decision date cannot be in the future" in page(response)
    assert not Decision.objects.filter(case=case).exists()


def test_changing_a_decision_records_the_old_and_new_outcome(client, head_teacher, case):
    sign_in(client, head_teacher)
    decide(client, case, outcome="advice_given")
    decide(client, case, outcome="no_breach", reasons="On reflection, no breach.")
    event = AuditEvent.objects.get(action="decision_changed")
    assert event.extra["outcome"] == ["advice_given", "no_breach"]


def test_a_case_whose_decision_no_longer_agrees_with_its_steps_cannot_be_closed(
    client, slt, head_teacher, case
):
    # A decision recorded before these rules, with no warning letter on the case.
    Decision.objects.create(
        case=case,
        outcome="warning_issued",
        reasons="Recorded before the rule.",
        decided_on=TODAY,
        decided_by=head_teacher,
    )
    sign_in(client, slt)
    response = client.post(f"/staff/cases/{case.id}/close/", {"version": case.version})
    assert response.status_code == 400
    assert "The final decision no longer agrees with the steps" in page(response)
    assert Case.objects.get(id=case.id).status == Case.Status.OPEN


def test_a_step_the_decision_rests_on_cannot_be_withdrawn(client, head_teacher, case):
    step = LadderStepFactory(case=case, kind=Kind.WARNING_LETTER)
    ladder.case_decide(
        case=case,
        version=case.version,
        acting_user=head_teacher,
        details=ladder.DecisionDetails(outcome="warning_issued", reasons="r", decided_on=TODAY),
    )
    sign_in(client, head_teacher)
    before = Snapshot.of(case)
    response = client.post(
        f"/staff/cases/{case.id}/steps/{step.id}/withdraw/",
        {"version": version(case), "reason": "Not needed after all."},
    )
    assert response.status_code == 400
    assert "The final decision (Warning issued) rests on this step" in page(response)
    assert Snapshot.of(case) == before
