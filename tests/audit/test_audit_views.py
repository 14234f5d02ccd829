import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_head_teacher_sees_a_case_s_events_including_its_steps(client, head_teacher, slt):
    case = CaseFactory(lead=slt)
    step = LadderStepFactory(case=case)
    audit_record(action=AuditEvent.Action.STEP_PROPOSED, obj=step, actor=slt, case=case.id)
    audit_record(
        action=AuditEvent.Action.CASE_VIEWED, obj=CaseFactory(), actor=slt
    )  # Another case.
    sign_in(client, head_teacher)
    page = client.get(f"/staff/cases/{case.id}/audit/").content.decode()
    assert "Ladder step proposed" in page
    assert '<td class="govuk-table__cell">Case viewed</td>' not in page
    assert AuditEvent.objects.filter(action="audit_viewed", actor=head_teacher).exists()


def test_the_whole_portal_log_is_searchable(client, head_teacher, slt):
    person = PersonFactory()
    audit_record(action=AuditEvent.Action.PERSON_VIEWED, obj=person, actor=slt)
    sign_in(client, head_teacher)
    page = client.get("/staff/audit/?q=alice&action=person_viewed").content.decode()
    cell = '<td class="govuk-table__cell">Person viewed</td>'
    assert cell in page
    assert cell not in client.get("/staff/audit/?q=nobody-by-this-name").content.decode()


def test_slt_and_admin_cannot_read_the_audit_log(client, slt, admin_user):
    for user in (slt, admin_user):
        sign_in(client, user)
        assert client.get("/staff/audit/").status_code == 403


def test_the_log_page_makes_the_same_queries_for_5_or_120_events(client, head_teacher, slt):
    sign_in(client, head_teacher)

    def count():
        client.get("/staff/audit/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/staff/audit/")
        return len(queries)

    for _ in range(5):
        audit_record(action=AuditEvent.Action.CASE_VIEWED, actor=slt)
    few = count()
    for _ in range(115):
        audit_record(action=AuditEvent.Action.CASE_VIEWED, actor=slt)
    assert count() == few


def test_the_log_shows_a_change_as_old_and_new_values(client, head_teacher):
    audit_record(
        action=AuditEvent.Action.ROLE_GRANT_CONFIRMED,
        obj=head_teacher,
        actor_kind="system",
        roles=[["office"], ["office", "slt"]],
        reports=[3, 4],
    )
    page = sign_in(client, head_teacher).get("/staff/audit/?action=access").content.decode()
    assert "roles: office → office, slt" in page
    assert "reports: 3, 4" in page  # A list of ids, not a change.
