"""The dashboard page: who sees what, bad input, the audit trail and the query count."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brunswick.audit.models import AuditEvent
from reports.services import report_close
from tests.conftest import sign_in
from tests.factories import CaseFactory, PersonFactory, ReportFactory
from tests.insight.helpers import september

pytestmark = pytest.mark.django_db

URL = "/staff/insight/"


def custom(start: str, end: str, **more) -> dict:
    (d1, m1, y1), (d2, m2, y2) = start.split("/"), end.split("/")
    return {
        "period": "custom",
        **{"starts_on_0": d1, "starts_on_1": m1, "starts_on_2": y1},
        **{"ends_on_0": d2, "ends_on_1": m2, "ends_on_2": y2},
        **more,
    }


SEPTEMBER = custom("1/9/2026", "30/9/2026")


def test_the_head_teacher_sees_every_chart_with_its_table(client, head_teacher):
    september(head_teacher)
    page = sign_in(client, head_teacher).get(URL, SEPTEMBER).content.decode()
    assert page.count('role="img"') == 7  # Every table but the people one has a chart.
    assert page.count("Figures for this chart") == 7
    assert "Chosen dates: 1 September 2026 to 30 September 2026" in page
    assert 'href="/static/css/insight.css"' in page


def test_names_of_people_with_several_cases_are_for_the_head_teacher_only(
    client, slt, head_teacher
):
    school = september(slt)
    repeated = school.people[0].full_name
    assert repeated in sign_in(client, head_teacher).get(URL, SEPTEMBER).content.decode()
    page = sign_in(client, slt).get(URL, SEPTEMBER).content.decode()
    assert repeated not in page
    assert "Person 1" in page and "shown to the Head Teacher only" in page


def test_an_end_before_the_start_is_refused_and_keeps_what_was_typed(client, slt):
    response = sign_in(client, slt).get(URL, custom("30/9/2026", "1/9/2026"))
    page = response.content.decode()
    assert "The end date must be the same as or after the start date" in page
    assert "govuk-error-summary" in page and page.startswith("<!DOCTYPE html>")
    assert 'name="starts_on_0" value="30"' in page
    assert 'role="img"' not in page


def test_a_period_of_more_than_5_years_is_refused(client, slt):
    page = sign_in(client, slt).get(URL, custom("1/9/2019", "2/9/2024")).content.decode()
    assert "Choose a period of 5 years or less" in page


def test_a_custom_period_needs_both_dates(client, slt):
    page = sign_in(client, slt).get(URL, {"period": "custom"}).content.decode()
    assert "Enter the start date" in page and "Enter the end date" in page


def test_an_unknown_group_is_a_message_not_an_error(client, slt):
    page = sign_in(client, slt).get(URL, {"period": "this_term", "group": "999"}).content
    assert "Select a group from the list" in page.decode()


def test_an_empty_period_says_so_instead_of_drawing_empty_axes(client, slt):
    september(slt)
    page = sign_in(client, slt).get(URL, custom("1/1/2020", "31/1/2020")).content.decode()
    assert "No reports in this period." in page
    assert "No cases closed in this period." in page
    assert 'id="chart-reports_received"' not in page
    assert 'id="chart-groups"' not in page
    assert 'id="chart-open_cases"' in page  # Cases open today, whatever the period.


def test_each_look_is_recorded_in_the_audit_trail(client, slt):
    sign_in(client, slt).get(URL, SEPTEMBER)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.INSIGHT_VIEWED).get()
    assert event.actor == slt
    assert event.extra == {
        "export": "insight_dashboard",
        "starts_on": "2026-09-01",
        "ends_on": "2026-09-30",
        "group": None,
    }


def test_working_the_figures_out_takes_the_same_queries_with_5_or_100_reports(client, head_teacher):
    sign_in(client, head_teacher)
    school = september(head_teacher)
    client.get(URL, SEPTEMBER)  # Warm up: the first request after sign-in checks the device.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(URL, SEPTEMBER)
    for _ in range(20):
        person = PersonFactory(created_by=head_teacher)
        for case in CaseFactory.create_batch(2, lead=head_teacher):
            case.people.add(person)
            ReportFactory.create_batch(2, case=case, group=school.year1)
    cache.clear()  # Factories record no audit events: the cache would not notice them.
    with CaptureQueriesContext(connection) as many:
        client.get(URL, SEPTEMBER)
    assert len(many) == len(few)


def test_the_dashboard_query_count(client, head_teacher, django_assert_num_queries):
    september(head_teacher)
    sign_in(client, head_teacher).get("/staff/")  # Checks the device once.
    # Session, user, device and roles (4); groups, terms, closures, settings (4); the
    # newest change in the audit trail (1); one per chart and the people table (7); the
    # names of people with more than one case (1); the audit event (savepoint, lock, last
    # hash, insert, release: 5); the roles waiting for the Head Teacher, in the menu (1).
    with django_assert_num_queries(23):
        assert client.get(URL, SEPTEMBER).status_code == 200
    # Again, with nothing changed: the figures come from the cache.
    with django_assert_num_queries(23 - 7):
        assert client.get(URL, SEPTEMBER).status_code == 200


def test_a_change_shows_at_once_despite_the_cache(client, slt):
    school = september(slt)
    sign_in(client, slt)

    def acknowledged_late() -> str:
        tables = client.get(URL, SEPTEMBER).context["insight"].tables
        table = next(t for t in tables if t.key == "acknowledged")
        return next(row.cells[0].text for row in table.rows if row.label.startswith("Later"))

    assert acknowledged_late() == "1"
    # Every change goes through a service, which records an audit event: the cache's key.
    report_close(report=school.reports[4], reason="not_a_breach", message="", acting_user=slt)
    assert acknowledged_late() == "2"
