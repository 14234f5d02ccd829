"""A kind of step is open (waiting for approval, or in progress) once per case: the ladder
refuses a second in words, and the database refuses it even when the ladder is bypassed
or raced."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from brunswick.audit.models import AuditEvent
from cases.models import LadderStep
from tests.cases.helpers import Kind, Snapshot, Status, page, propose, version
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory

WARNING_OPEN = (
    "This case already has an open step: Send a warning letter to the parent. "
    "Complete or withdraw it first."
)


@pytest.fixture
def case(slt):
    return CaseFactory(lead=slt, opened_by=slt)


def warning(client, case):
    return propose(
        client, case, Kind.WARNING_LETTER, rationale="Abuse again.", skip_reason="Spoken to."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.AWAITING_APPROVAL, Status.IN_PROGRESS])
def test_a_second_open_step_of_a_kind_is_refused_and_nothing_changes(client, slt, case, status):
    LadderStepFactory(case=case, kind=Kind.WARNING_LETTER, status=status)
    sign_in(client, slt)
    before = Snapshot.of(case)
    response = warning(client, case)
    assert response.status_code == 400
    text = page(response)
    assert WARNING_OPEN in text
    assert "Abuse again." in text  # What was typed is still there.
    assert Snapshot.of(case) == before


@pytest.mark.django_db
def test_the_step_form_says_so_before_anything_is_typed(client, slt, case):
    LadderStepFactory(case=case, kind=Kind.WARNING_LETTER)
    sign_in(client, slt)
    response = client.get(f"/staff/cases/{case.id}/steps/new/?kind=warning_letter")
    assert response.status_code == 200
    assert WARNING_OPEN in page(response)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.COMPLETED, Status.WITHDRAWN, Status.NOT_APPROVED])
def test_a_step_that_is_no_longer_open_does_not_stop_another(client, slt, case, status):
    LadderStepFactory(case=case, kind=Kind.WARNING_LETTER, status=status)
    sign_in(client, slt)
    assert warning(client, case).status_code == 302
    assert (
        case.steps.filter(kind=Kind.WARNING_LETTER, status__in=["awaiting_approval"]).count() == 1
    )


@pytest.mark.django_db
def test_other_kinds_stay_open_side_by_side(client, slt, case):
    LadderStepFactory(case=case, kind=Kind.INFORMATION_GATHERING)
    sign_in(client, slt)
    assert propose(client, case, Kind.MEETING, rationale="Meet them.").status_code == 302
    assert case.steps.filter(status=Status.IN_PROGRESS).count() == 2


@pytest.mark.django_db
def test_each_moderator_removal_is_recorded_as_done_so_several_can_be_recorded(client, slt, case):
    sign_in(client, slt)
    for group in ("Year 3", "Year 4"):
        response = propose(
            client, case, Kind.MODERATOR_REMOVAL, rationale=f"Removed from the {group} group."
        )
        assert response.status_code == 302
    assert list(case.steps.values_list("status", flat=True)) == ["completed", "completed"]


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_step_made_directly(case):
    LadderStepFactory(case=case, kind=Kind.MEETING, status=Status.IN_PROGRESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        LadderStepFactory(case=case, kind=Kind.MEETING, status=Status.AWAITING_APPROVAL)
    # Closed ones are history, as many as there were.
    LadderStepFactory(case=case, kind=Kind.MEETING, status=Status.COMPLETED)
    LadderStepFactory(case=case, kind=Kind.MEETING, status=Status.WITHDRAWN)
    assert case.steps.filter(kind=Kind.MEETING).count() == 3


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_a_step_added_by_another_transaction_at_the_same_moment_gives_one_step_and_a_clear_message(
    slt,
):
    """Another writer (here, a direct insert that skips the ladder's check) adds an open
    warning letter and holds its transaction while a member of staff proposes one. The
    proposal waits for it and is refused in words: no second step, no 500."""
    case = CaseFactory(lead=slt, opened_by=slt)
    inserted, start = threading.Event(), case.version

    def insert_and_hold():
        try:
            with transaction.atomic():
                LadderStep.objects.create(
                    case_id=case.id,
                    kind=Kind.WARNING_LETTER,
                    status=Status.IN_PROGRESS,
                    proposed_by=slt,
                    rationale="Added elsewhere.",
                )
                inserted.set()
                threading.Event().wait(1.0)  # Still uncommitted while the proposal runs.
        finally:
            connection.close()

    def propose_through_the_page():
        try:
            inserted.wait(10)
            client = sign_in(Client(), slt)
            return warning(client, case)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        holder = pool.submit(insert_and_hold)
        response = pool.submit(propose_through_the_page).result()
        holder.result()

    assert response.status_code == 400
    assert WARNING_OPEN in page(response)
    assert LadderStep.objects.filter(case_id=case.id, kind=Kind.WARNING_LETTER).count() == 1
    assert version(case) == start
    assert not AuditEvent.objects.filter(action="step_proposed").exists()
