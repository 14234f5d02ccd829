import pytest

from brunswick.audit.models import AuditEvent
from cases.models import Decision, Person
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "full_name": "Jordan Smith",
    "pupils": "Alex Smith, Year 4",
    "group_names": "Jordan S\n+44 7700 900111",
    "postal_address": "2 Example Street\nLondon",
    "email": "jordan@example.org",
}


def test_slt_adds_a_parent_to_the_register(client, slt):
    sign_in(client, slt)
    response = client.post("/staff/people/new/", NEW_PERSON)
    person = Person.objects.get()
    assert response["Location"] == f"/staff/people/{person.id}/"
    assert person.created_by == slt
    assert AuditEvent.objects.filter(action="person_added").exists()


def test_a_possible_duplicate_is_flagged_before_adding(client, slt):
    existing = PersonFactory(full_name="J. Smith", group_names="+44 7700 900111")
    sign_in(client, slt)
    response = client.post("/staff/people/new/", NEW_PERSON)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This may be someone already in the register" in page
    assert existing.full_name in page
    assert 'value="Jordan Smith"' in page  # Nothing typed is lost.
    assert Person.objects.count() == 1

    client.post("/staff/people/new/", {**NEW_PERSON, "confirm_not_duplicate": "on"})
    assert Person.objects.count() == 2


def test_a_parent_added_from_a_case_is_linked_to_it(client, slt):
    case = CaseFactory(lead=slt)
    sign_in(client, slt)
    response = client.post(f"/staff/people/new/?case={case.id}", NEW_PERSON)
    assert response["Location"] == f"/staff/cases/{case.id}/"
    assert list(case.people.values_list("full_name", flat=True)) == ["Jordan Smith"]


def test_a_name_is_required(client, slt):
    sign_in(client, slt)
    response = client.post("/staff/people/new/", {**NEW_PERSON, "full_name": ""})
    assert "Enter the parent&#x27;s full name" in response.content.decode()


def test_the_chronology_shows_every_report_step_and_decision_in_date_order(client, head_teacher):
    person = PersonFactory()
    first, second = CaseFactory(title="First case"), CaseFactory(title="Second case")
    for case in (first, second):
        case.people.add(person)
        ReportFactory(case=case)
        LadderStepFactory(case=case, rationale=f"Step on {case.title}")
        if case == first:
            Decision.objects.create(
                case=first,
                outcome="advice_given",
                reasons="Advice given.",
                decided_on="2026-01-05",
                decided_by=head_teacher,
            )
    sign_in(client, head_teacher)
    page = client.get(f"/staff/people/{person.id}/").content.decode()
    assert (
        page.index("Step on First case")
        < page.index("Final decision: Advice given")
        < page.index("Step on Second case")
    )
    assert first.code in page and second.code in page
    assert AuditEvent.objects.filter(action="person_viewed", object_id=str(person.id)).exists()


def test_people_search_finds_group_names(client, slt):
    PersonFactory(full_name="Casey Jones", group_names="Casey J ⚽")
    PersonFactory(full_name="Robin Hood")
    sign_in(client, slt)
    page = client.get("/staff/people/?q=casey j").content.decode()
    assert "Casey Jones" in page and "Robin Hood" not in page


def test_office_cannot_see_the_register(client, office):
    sign_in(client, office)
    assert client.get("/staff/people/").status_code == 403
