"""The Head Teacher, and only the Head Teacher, reopens a closed case with a reason; the case
can then be worked and closed again, once the final decision is recorded again or
confirmed. Every reopening is kept and shows on the timeline."""

import pytest
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from brunswick.retention.models import PurgedRecord, PurgeRun
from cases import ladder
from cases.models import Case, CaseReopening
from reports.models import Report
from tests.cases.helpers import TODAY, Kind, Snapshot, decide, page, propose, version
from tests.conftest import sign_in
from tests.factories import CaseFactory, ReportFactory

pytestmark = pytest.mark.django_db
REASON = "A new report about the same parent."


@pytest.fixture
def closed_case(slt, head_teacher):
    """A case decided and closed through the ladder, with one report."""
    case = CaseFactory(lead=slt, opened_by=slt)
    ReportFactory(case=case, status=Report.Status.BEING_LOOKED_AT)
    ladder.case_decide(
        case=case,
        version=case.version,
        acting_user=head_teacher,
        details=ladder.DecisionDetails(outcome="advice_given", reasons="Advice.", decided_on=TODAY),
    )
    return ladder.case_close(case=case, version=case.version + 1, acting_user=head_teacher)


def reopen(client, case, **fields):
    data = {"version": version(case), "reason": REASON, **fields}
    return client.post(f"/staff/cases/{case.id}/reopen/", data)


@pytest.mark.smoke
def test_the_head_teacher_reopens_a_closed_case_with_a_reason(client, head_teacher, closed_case):
    closed_at = Case.objects.get(id=closed_case.id).closed_at
    sign_in(client, head_teacher)
    case_page = page(client.get(f"/staff/cases/{closed_case.id}/"))
    assert f"/staff/cases/{closed_case.id}/reopen/" in case_page
    form = client.get(f"/staff/cases/{closed_case.id}/reopen/")
    assert form.status_code == 200
    assert "Why the case is being reopened" in page(form)

    start = version(closed_case)
    response = reopen(client, closed_case)
    assert response.status_code == 302

    case = Case.objects.get(id=closed_case.id)
    assert (case.status, case.closed_at, case.version) == ("open", None, start + 1)
    reopening = CaseReopening.objects.get(case=case)
    assert (reopening.reason, reopening.reopened_by, reopening.closed_at) == (
        REASON,
        head_teacher,
        closed_at,
    )
    assert set(case.reports.values_list("status", flat=True)) == {"being_looked_at"}
    event = AuditEvent.objects.get(action="case_reopened")
    assert event.object_id == str(case.id)
    assert event.extra == {"reopening": reopening.id, "status": ["closed", "open"]}
    assert REASON not in str(event.extra)  # The reason stays on the reopening.


def test_slt_cannot_reopen_and_is_not_offered_it(client, slt, closed_case):
    sign_in(client, slt)
    case_page = page(client.get(f"/staff/cases/{closed_case.id}/"))
    assert f"/staff/cases/{closed_case.id}/reopen/" not in case_page
    assert "This case is closed. The Head Teacher can reopen it." in case_page

    before = Snapshot.of(closed_case)
    assert reopen(client, closed_case).status_code == 403
    assert client.get(f"/staff/cases/{closed_case.id}/reopen/").status_code == 403
    assert Case.objects.get(id=closed_case.id).status == Case.Status.CLOSED
    assert Snapshot.of(closed_case) == before
    assert not CaseReopening.objects.exists()


def test_reopening_needs_a_reason(client, head_teacher, closed_case):
    sign_in(client, head_teacher)
    before = Snapshot.of(closed_case)
    response = reopen(client, closed_case, reason="  ")
    assert response.status_code == 400
    assert "Enter why the case is being reopened" in page(response)
    assert Case.objects.get(id=closed_case.id).status == Case.Status.CLOSED
    assert Snapshot.of(closed_case) == before


def test_a_stale_reopen_form_changes_nothing(client, head_teacher, closed_case):
    sign_in(client, head_teacher)
    response = reopen(client, closed_case, version=closed_case.version - 1)
    assert response.status_code == 400
    assert "Someone else changed this case" in page(response)
    assert not CaseReopening.objects.exists()


def test_an_open_case_has_nothing_to_reopen(client, head_teacher, slt):
    case = CaseFactory(lead=slt)
    sign_in(client, head_teacher)
    assert client.get(f"/staff/cases/{case.id}/reopen/").status_code == 302
    response = reopen(client, case)
    assert response.status_code == 400
    assert "This case is already open" in page(response)
    assert not CaseReopening.objects.exists()


def test_a_purged_case_cannot_be_reopened(head_teacher, closed_case):
    run = PurgeRun.objects.create(run_on=TODAY)
    PurgedRecord.objects.create(
        model_label="cases.case", object_id=closed_case.id, purged_at=timezone.now(), run=run
    )
    with pytest.raises(ladder.LadderError, match="purged under the retention schedule"):
        ladder.case_reopen(
            case=closed_case,
            version=closed_case.version,
            reason=REASON,
            acting_user=head_teacher,
        )
    assert Case.objects.get(id=closed_case.id).status == Case.Status.CLOSED


def test_a_closed_case_refuses_changes_with_words_slt_can_act_on(client, slt, closed_case):
    sign_in(client, slt)
    form = page(client.get(f"/staff/cases/{closed_case.id}/steps/new/?kind=meeting"))
    assert "This case is closed. The Head Teacher can reopen it." in form
    response = propose(client, closed_case, Kind.MEETING, rationale="Meet them.")
    assert response.status_code == 400
    assert "This case is closed. The Head Teacher can reopen it." in page(response)
    assert "Reopen it before changing it" not in page(response)
    assert not closed_case.steps.exists()


def test_a_reopened_case_is_worked_and_closed_again_once_the_decision_is_confirmed(
    client, slt, head_teacher, closed_case
):
    sign_in(client, head_teacher)
    reopen(client, closed_case)

    sign_in(client, slt)
    meet = {"rationale": "Meet them.", "skip_reason": "Spoken to before the case closed."}
    assert propose(client, closed_case, Kind.MEETING, **meet).status_code == 302
    meeting = closed_case.steps.get()
    outcome = f"/staff/cases/{closed_case.id}/steps/{meeting.id}/outcome/"
    client.post(outcome, {"version": version(closed_case), "outcome": "They apologised."})

    close = f"/staff/cases/{closed_case.id}/close/"
    refused = client.post(close, {"version": version(closed_case)})
    assert refused.status_code == 400
    assert (
        "The Head Teacher must record the final decision again, or confirm it, before the case "
        "is closed" in page(refused)
    )
    assert Case.objects.get(id=closed_case.id).status == Case.Status.OPEN

    sign_in(client, head_teacher)
    assert "Record or confirm the decision" in page(
        client.get(f"/staff/cases/{closed_case.id}/decision/")
    )
    assert decide(client, closed_case, outcome="meeting_held").status_code == 302
    assert client.post(close, {"version": version(closed_case)}).status_code == 302
    case = Case.objects.get(id=closed_case.id)
    assert case.status == Case.Status.CLOSED
    assert set(case.reports.values_list("status", flat=True)) == {"closed"}
    assert case.decision.outcome == "meeting_held"
    assert [h.outcome for h in case.decision.history.order_by("history_date")] == [
        "advice_given",
        "meeting_held",
    ]


def test_every_reopening_is_kept_and_shows_on_the_timeline(client, head_teacher, closed_case):
    sign_in(client, head_teacher)
    reopen(client, closed_case, reason="First: a new report.")
    decide(client, closed_case, reasons="Confirmed.")
    client.post(f"/staff/cases/{closed_case.id}/close/", {"version": version(closed_case)})
    reopen(client, closed_case, reason="Second: the parent asked for a review.")

    assert CaseReopening.objects.filter(case=closed_case).count() == 2
    text = page(client.get(f"/staff/cases/{closed_case.id}/"))
    timeline = text[text.index('class="govuk-list bp-timeline"') :]
    assert timeline.count("Case closed") == 2
    assert timeline.count(f"Case reopened by {head_teacher}") == 2
    assert timeline.index("First: a new report.") < timeline.index("Second: the parent asked")
    assert AuditEvent.objects.filter(action="case_reopened").count() == 2
