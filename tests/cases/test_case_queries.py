"""List and detail pages make a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory

pytestmark = pytest.mark.django_db


def count_queries(client, path) -> int:
    client.get(path)  # Warm up: the first request after sign-in checks the device.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_case_list(client, slt):
    sign_in(client, slt)
    CaseFactory.create_batch(5)
    few = count_queries(client, "/staff/cases/")
    CaseFactory.create_batch(195)
    assert count_queries(client, "/staff/cases/") == few


def test_a_case_page_with_5_or_200_steps_and_reports(client, slt):
    sign_in(client, slt)
    case = CaseFactory()
    people = PersonFactory.create_batch(2)
    case.people.add(*people)
    # Done steps: a case has one open step of each kind at most.
    LadderStepFactory.create_batch(5, case=case, status="completed")
    ReportFactory.create_batch(5, case=case)
    few = count_queries(client, f"/staff/cases/{case.id}/")
    LadderStepFactory.create_batch(195, case=case, status="completed")
    ReportFactory.create_batch(195, case=case)
    assert count_queries(client, f"/staff/cases/{case.id}/") == few


def test_a_person_page_with_5_or_20_cases(client, head_teacher):
    sign_in(client, head_teacher)
    person = PersonFactory()

    def add_cases(n):
        for case in CaseFactory.create_batch(n):
            case.people.add(person)
            LadderStepFactory(case=case)
            ReportFactory(case=case)

    add_cases(5)
    few = count_queries(client, f"/staff/people/{person.id}/")
    add_cases(15)
    assert count_queries(client, f"/staff/people/{person.id}/") == few


def test_the_people_register(client, slt):
    sign_in(client, slt)
    PersonFactory.create_batch(5)
    few = count_queries(client, "/staff/people/")
    PersonFactory.create_batch(195)
    assert count_queries(client, "/staff/people/") == few


def test_the_approvals_list(client, head_teacher):
    sign_in(client, head_teacher)
    LadderStepFactory.create_batch(5, kind="authorities", status="awaiting_approval")
    few = count_queries(client, "/staff/approvals/")
    LadderStepFactory.create_batch(45, kind="authorities", status="awaiting_approval")
    assert count_queries(client, "/staff/approvals/") == few
