from datetime import date, timedelta

import pytest
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from brunswick.subject_access.models import SubjectAccessRequest
from tests.conftest import sign_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def post_request(client, person, day: date, notes: str = ""):
    return client.post(
        f"/staff/people/{person.id}/subject-access/new/",
        {
            "received_on_0": day.day,
            "received_on_1": day.month,
            "received_on_2": day.year,
            "notes": notes,
        },
    )


def test_the_head_teacher_records_a_request_due_one_calendar_month_later(client, head_teacher):
    person = PersonFactory(full_name="Jordan Smith")
    sign_in(client, head_teacher)
    assert client.get(f"/staff/people/{person.id}/subject-access/new/").status_code == 200
    response = post_request(client, person, date(2025, 1, 31), "By letter; ID checked")
    assert response["Location"] == f"/staff/people/{person.id}/"
    request = SubjectAccessRequest.objects.get()
    assert (request.received_on, request.due_on) == (date(2025, 1, 31), date(2025, 2, 28))
    assert request.status == "open" and request.created_by == head_teacher
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUBJECT_ACCESS_REQUESTED)
    assert event.extra == {"person": person.id, "due_on": "2025-02-28"}

    page = client.get(f"/staff/people/{person.id}/").content.decode()
    assert "28 February 2025" in page and "Overdue" in page


def test_a_request_cannot_be_received_in_the_future(client, head_teacher):
    person = PersonFactory()
    sign_in(client, head_teacher)
    response = post_request(client, person, timezone.localdate() + timedelta(days=1))
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def test_marking_it_answered_completes_it_once(client, head_teacher, world):
    sign_in(client, head_teacher)
    url = f"/staff/subject-access/{world.request.id}/complete/"
    assert client.post(url)["Location"] == f"/staff/people/{world.person.id}/"
    world.request.refresh_from_db()
    completed_at = world.request.completed_at
    assert world.request.status == "completed" and completed_at is not None
    client.post(url)
    world.request.refresh_from_db()
    assert world.request.completed_at == completed_at
    assert world.request.history.first().history_user == head_teacher


def test_marking_it_answered_is_one_audit_event_with_the_old_and_new_status(
    client, head_teacher, world
):
    sign_in(client, head_teacher)
    url = f"/staff/subject-access/{world.request.id}/complete/"
    client.post(url)
    client.post(url)  # Already answered: nothing changes, nothing more is recorded.
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUBJECT_ACCESS_COMPLETED)
    assert (event.actor, event.object_type, event.object_id) == (
        head_teacher,
        "subject_access.subjectaccessrequest",
        str(world.request.id),
    )
    assert event.extra == {"person": world.person.id, "status": ["open", "completed"]}
