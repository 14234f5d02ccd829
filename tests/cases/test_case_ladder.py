"""The policy's rules for moving a case, through cases/ladder.py and the staff pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from cases import ladder
from cases.models import Case, Decision, LadderStep
from reports.models import Report
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory, ReportFactory

pytestmark = pytest.mark.django_db
Kind, Status = LadderStep.Kind, LadderStep.Status
TODAY = timezone.localdate()


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def propose(client, case, kind, **fields):
    data = {"version": Case.objects.get(id=case.id).version, "kind": kind, **fields}
    return client.post(f"/staff/cases/{case.id}/steps/new/?kind={kind}", data)


def ban_fields(**overrides):
    fields = {
        "rationale": "Threats to staff at the gate.",
        "ban_type": "full",
        **date_fields("ban_starts_on", TODAY + timedelta(days=14)),
        **date_fields("review_on", TODAY + timedelta(days=100)),
        **date_fields("representations_invited_on", TODAY),
        **date_fields("representations_deadline", TODAY + timedelta(days=10)),
    }
    return {**fields, **overrides}


@pytest.fixture
def case(slt):
    return CaseFactory(lead=slt, opened_by=slt)


def test_the_first_rung_is_added_at_once_and_audited(client, slt, case):
    sign_in(client, slt)
    response = propose(
        client, case, Kind.INFORMATION_GATHERING, rationale="Speak to the parent first."
    )
    assert response.status_code == 302
    step = case.steps.get()
    assert step.status == Status.IN_PROGRESS
    assert step.proposed_by == slt
    assert AuditEvent.objects.filter(action="step_proposed", actor=slt).count() == 1
    assert Case.objects.get(id=case.id).version == case.version + 1


def test_a_step_needs_a_rationale_and_keeps_what_was_typed(client, slt, case):
    sign_in(client, slt)
    response = propose(
        client, case, Kind.INFORMATION_GATHERING, rationale="", notes="Call on Monday"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter why this step is proportionate" in page
    assert "Call on Monday" in page
    assert not case.steps.exists()


def test_skipping_a_rung_needs_a_written_reason(client, slt, case):
    sign_in(client, slt)
    page = client.get(f"/staff/cases/{case.id}/steps/new/?kind=warning_letter").content.decode()
    assert "above the next step on the ladder" in page

    refused = propose(client, case, Kind.WARNING_LETTER, rationale="Repeated swearing.")
    assert refused.status_code == 400
    assert "Explain why the steps before it are being skipped" in refused.content.decode()
    assert not case.steps.exists()

    accepted = propose(
        client,
        case,
        Kind.WARNING_LETTER,
        rationale="Repeated swearing.",
        skip_reason="Spoke to them last term.",
    )
    assert accepted.status_code == 302
    assert case.steps.get().skip_reason == "Spoke to them last term."


def test_the_next_rung_needs_no_reason(case, slt):
    LadderStepFactory(case=case, kind=Kind.INFORMATION_GATHERING)
    assert ladder.next_rung(case) == 2
    assert not ladder.is_a_skip(case, Kind.MEETING)
    assert ladder.is_a_skip(case, Kind.WARNING_LETTER)


def test_withdrawn_steps_do_not_count_towards_the_ladder(case):
    LadderStepFactory(case=case, kind=Kind.MEETING, status=Status.WITHDRAWN)
    assert ladder.next_rung(case) == 1


def test_moderator_removal_can_be_recorded_at_any_point_and_is_done_at_once(client, slt, case):
    sign_in(client, slt)
    response = propose(
        client, case, Kind.MODERATOR_REMOVAL, rationale="The group admin removed them."
    )
    assert response.status_code == 302
    step = case.steps.get()
    assert step.status == Status.COMPLETED  # The school records it; there is nothing to do.
    assert step.completed_at is not None


@pytest.mark.parametrize("kind", [Kind.AUTHORITIES, Kind.LEGAL_ADVICE])
def test_serious_steps_wait_for_the_head_teacher(client, slt, case, kind):
    sign_in(client, slt)
    propose(client, case, kind, rationale="Serious.", skip_reason="Criminal threats.")
    assert case.steps.get().status == Status.AWAITING_APPROVAL


def test_only_the_head_teacher_can_approve(client, slt, head_teacher, case):
    step = LadderStepFactory(case=case, kind=Kind.AUTHORITIES, status=Status.AWAITING_APPROVAL)
    sign_in(client, slt)
    url = f"/staff/cases/{case.id}/steps/{step.id}/approval/"
    forbidden = client.post(
        url, {"version": case.version, "approve": "yes", "status": "in_progress"}
    )
    assert forbidden.status_code == 403
    assert LadderStep.objects.get(id=step.id).status == Status.AWAITING_APPROVAL
    with pytest.raises(ladder.PermissionDenied):
        ladder.step_approve(step=step, version=case.version, approve=True, note="", acting_user=slt)

    sign_in(client, head_teacher)
    assert client.post(url, {"version": case.version, "approve": "yes"}).status_code == 302
    step.refresh_from_db()
    assert (step.status, step.decided_by) == (Status.IN_PROGRESS, head_teacher)


def test_refusing_a_step_needs_a_reason(client, head_teacher, case):
    step = LadderStepFactory(case=case, kind=Kind.LEGAL_ADVICE, status=Status.AWAITING_APPROVAL)
    sign_in(client, head_teacher)
    url = f"/staff/cases/{case.id}/steps/{step.id}/approval/"
    response = client.post(url, {"version": case.version, "approve": "no"})
    assert "Give a reason for not approving the step" in response.content.decode()
    client.post(url, {"version": case.version, "approve": "no", "note": "Not proportionate yet."})
    assert LadderStep.objects.get(id=step.id).status == Status.NOT_APPROVED


def test_a_site_ban_needs_a_review_date_and_dates_in_order(client, slt, case):
    sign_in(client, slt)
    fields = ban_fields(skip_reason="Threats.")
    del fields["review_on_0"], fields["review_on_1"], fields["review_on_2"]
    assert (
        "Enter a date to review the ban"
        in propose(client, case, Kind.SITE_BAN, **fields).content.decode()
    )

    backwards = ban_fields(skip_reason="Threats.", **date_fields("ban_ends_on", TODAY))
    assert (
        "The ban must end on or after the day it starts"
        in propose(client, case, Kind.SITE_BAN, **backwards).content.decode()
    )
    assert not case.steps.exists()


def test_a_site_ban_invites_representations_before_approval(client, slt, head_teacher, case):
    sign_in(client, slt)
    no_invitation = ban_fields(skip_reason="Threats.")
    for part in ("0", "1", "2"):
        del no_invitation[f"representations_invited_on_{part}"]
    assert (
        "invited to make representations"
        in propose(client, case, Kind.SITE_BAN, **no_invitation).content.decode()
    )

    assert (
        propose(client, case, Kind.SITE_BAN, **ban_fields(skip_reason="Threats.")).status_code
        == 302
    )
    step = case.steps.get()
    assert step.status == Status.AWAITING_APPROVAL

    sign_in(client, head_teacher)
    url = f"/staff/cases/{case.id}/steps/{step.id}/approval/"
    version = Case.objects.get(id=case.id).version
    too_early = client.post(url, {"version": version, "approve": "yes"})
    assert "can still make representations" in too_early.content.decode()
    assert LadderStep.objects.get(id=step.id).status == Status.AWAITING_APPROVAL

    client.post(
        f"/staff/cases/{case.id}/steps/{step.id}/representations/",
        {
            "version": version,
            "received": "yes",
            "representations": "She apologised and asked for a meeting.",
        },
    )
    version = Case.objects.get(id=case.id).version
    assert client.post(url, {"version": version, "approve": "yes"}).status_code == 302
    assert LadderStep.objects.get(id=step.id).status == Status.IN_PROGRESS


def test_an_urgent_temporary_ban_skips_representations_with_reasons(slt, head_teacher, case):
    proposal = ladder.StepProposal(
        kind=Kind.SITE_BAN,
        rationale="Assault at the gate.",
        skip_reason="Violence.",
        ban_type="temporary",
        ban_starts_on=TODAY,
        review_on=TODAY + timedelta(days=20),
        urgent=True,
        urgent_reasons="",
    )
    with pytest.raises(ladder.LadderError, match="cannot wait for representations"):
        ladder.step_propose(
            case=case, version=case.version, proposal=proposal, acting_user=head_teacher
        )
    proposal = ladder.StepProposal(
        **{**proposal.__dict__, "urgent_reasons": "Police involved; staff at risk."}
    )
    step = ladder.step_propose(
        case=case, version=case.version, proposal=proposal, acting_user=head_teacher
    )
    assert ladder.can_approve(step) is None


def test_an_urgent_ban_must_be_temporary(case, head_teacher):
    proposal = ladder.StepProposal(
        kind=Kind.SITE_BAN,
        rationale="x",
        skip_reason="y",
        ban_type="full",
        ban_starts_on=TODAY,
        review_on=TODAY,
        urgent=True,
        urgent_reasons="z",
    )
    with pytest.raises(ladder.LadderError, match="must be temporary"):
        ladder.step_propose(
            case=case, version=case.version, proposal=proposal, acting_user=head_teacher
        )


def test_steps_are_withdrawn_never_deleted(client, slt, case):
    step = LadderStepFactory(case=case)
    sign_in(client, slt)
    url = f"/staff/cases/{case.id}/steps/{step.id}/withdraw/"
    assert (
        "Enter why the step is being withdrawn"
        in client.post(url, {"version": case.version}).content.decode()
    )
    client.post(url, {"version": case.version, "reason": "Opened on the wrong case."})
    step.refresh_from_db()
    assert step.status == Status.WITHDRAWN
    assert step.withdrawn_by == slt
    assert LadderStep.objects.filter(id=step.id).exists()


def test_a_meeting_records_its_minutes(client, slt, case):
    step = LadderStepFactory(case=case, kind=Kind.MEETING)
    sign_in(client, slt)
    url = f"/staff/cases/{case.id}/steps/{step.id}/outcome/"
    client.post(
        url,
        {
            "version": case.version,
            "outcome": "Agreed to leave the group.",
            "minutes": "Met at 3pm.",
        },
    )
    step.refresh_from_db()
    assert (step.status, step.minutes) == (Status.COMPLETED, "Met at 3pm.")


def test_a_stale_form_cannot_move_the_case(client, slt, case):
    sign_in(client, slt)
    stale = case.version
    propose(client, case, Kind.INFORMATION_GATHERING, rationale="First.")
    response = client.post(
        f"/staff/cases/{case.id}/steps/new/?kind=meeting",
        {"version": stale, "kind": "meeting", "rationale": "x"},
    )
    assert response.status_code == 400
    assert "Someone else changed this case" in response.content.decode()
    assert case.steps.count() == 1


def decide(client, case, **fields):
    data = {
        "version": Case.objects.get(id=case.id).version,
        "outcome": "advice_given",
        "reasons": "Advice is proportionate.",
        **date_fields("decided_on", TODAY),
        **fields,
    }
    return client.post(f"/staff/cases/{case.id}/decision/", data)


def test_only_the_head_teacher_records_the_final_decision(client, slt, head_teacher, case):
    sign_in(client, slt)
    assert decide(client, case, decided_by=str(slt.id)).status_code == 403
    assert not Decision.objects.exists()

    sign_in(client, head_teacher)
    assert decide(client, case, decided_by=str(slt.id)).status_code == 302
    decision = Decision.objects.get()
    assert decision.decided_by == head_teacher  # A forged decided_by is ignored.


def test_changing_the_decision_keeps_the_old_one_in_history(client, head_teacher, case):
    LadderStepFactory(case=case, kind=Kind.WARNING_LETTER)
    sign_in(client, head_teacher)
    decide(client, case, outcome="warning_issued")
    decide(client, case, outcome="advice_given", reasons="On reflection, advice is enough.")
    decision = Decision.objects.get()
    assert decision.outcome == "advice_given"
    assert [h.outcome for h in decision.history.order_by("history_date")] == [
        "warning_issued",
        "advice_given",
    ]
    assert AuditEvent.objects.filter(action="decision_changed").count() == 1


def test_no_decision_while_steps_wait_for_approval(client, head_teacher, case):
    LadderStepFactory(case=case, kind=Kind.AUTHORITIES, status=Status.AWAITING_APPROVAL)
    sign_in(client, head_teacher)
    response = decide(client, case)
    assert response.status_code == 400
    assert "before deciding" in response.content.decode()


def test_a_decision_in_the_future_is_refused(client, head_teacher, case):
    sign_in(client, head_teacher)
    response = decide(client, case, **date_fields("decided_on", TODAY + timedelta(days=3)))
    assert "cannot be in the future" in response.content.decode()


def test_closing_needs_a_final_decision_and_closes_the_reports(client, slt, head_teacher, case):
    report = ReportFactory(case=case, status=Report.Status.BEING_LOOKED_AT)
    sign_in(client, slt)
    refused = client.post(f"/staff/cases/{case.id}/close/", {"version": case.version})
    assert "must record the final decision" in refused.content.decode()
    assert 'href="#"' not in refused.content.decode()  # Nowhere to go: plain text.

    sign_in(client, head_teacher)
    decide(client, case)
    client.post(f"/staff/cases/{case.id}/close/", {"version": Case.objects.get(id=case.id).version})
    assert Case.objects.get(id=case.id).status == Case.Status.CLOSED
    assert Report.objects.get(id=report.id).status == Report.Status.CLOSED


def test_closing_needs_every_step_dealt_with(head_teacher, case):
    LadderStepFactory(case=case)
    ladder.case_decide(
        case=case,
        version=case.version,
        acting_user=head_teacher,
        details=ladder.DecisionDetails(outcome="advice_given", reasons="r", decided_on=TODAY),
    )
    with pytest.raises(ladder.LadderError, match="open steps"):
        ladder.case_close(case=case, version=case.version + 1, acting_user=head_teacher)


def test_office_and_admin_cannot_open_cases(client, office, admin_user, case):
    for user in (office, admin_user):
        sign_in(client, user)
        assert client.get(f"/staff/cases/{case.id}/").status_code == 403


def test_an_unknown_case_is_a_404(client, slt):
    sign_in(client, slt)
    assert client.get("/staff/cases/999999/").status_code == 404


def test_a_warning_letter_waits_for_the_head_teacher_unless_the_school_lets_slt_send_it(slt):
    from brunswick.school.models import SchoolSettings

    first, second = CaseFactory(lead=slt), CaseFactory(lead=slt)
    proposal = ladder.StepProposal(
        kind=Kind.WARNING_LETTER, rationale="Abuse.", skip_reason="Refused a meeting."
    )
    step = ladder.step_propose(
        case=first, version=first.version, proposal=proposal, acting_user=slt
    )
    assert step.status == Status.AWAITING_APPROVAL

    SchoolSettings.objects.update_or_create(id=1, defaults={"slt_may_send_warning_letters": True})
    step = ladder.step_propose(
        case=second, version=second.version, proposal=proposal, acting_user=slt
    )
    assert step.status == Status.IN_PROGRESS
