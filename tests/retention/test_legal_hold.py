"""Legal holds: what they keep from the purge, and only the Head Teacher places or
releases them, from the case and person pages."""

import pytest
from django.core.exceptions import PermissionDenied

from brunswick.audit.models import AuditEvent
from brunswick.retention.holds import LegalHoldError, legal_hold_place, legal_hold_release
from brunswick.retention.models import LegalHold
from brunswick.retention.purge import purge_expired
from brunswick.retention.tombstones import PURGED
from cases.models import Case, Person
from tests.conftest import sign_in
from tests.factories import CaseFactory, PersonFactory

from .helpers import SIX_YEARS_ON, old_closed_case

pytestmark = pytest.mark.django_db


def purge():
    return purge_expired(today=SIX_YEARS_ON, dry_run=False)


def test_a_hold_on_a_case_keeps_it_and_its_people_until_released(slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    legal_hold_place(subject=old.case, reason="Claim from Jordan Smith", acting_user=head_teacher)

    result = purge()
    assert (result.case_ids, result.person_ids) == ([], [])
    assert Case.objects.get(id=old.case.id).title == old.case.title

    legal_hold_release(subject=old.case, reason="Claim settled", acting_user=head_teacher)
    result = purge()
    assert (result.case_ids, result.person_ids) == ([old.case.id], [old.person.id])
    hold = LegalHold.objects.get()  # Its reasons went with the case; who and when stay.
    assert (hold.reason, hold.release_reason, hold.placed_by) == (PURGED, PURGED, head_teacher)


def test_a_hold_on_a_person_keeps_every_case_they_are_linked_to(slt, head_teacher):
    first, second = old_closed_case(slt, head_teacher), old_closed_case(slt, head_teacher)
    second.case.people.add(first.person)
    legal_hold_place(subject=first.person, reason="Police inquiry", acting_user=head_teacher)

    result = purge()
    # Both of their cases stay, and so does the other parent on the second case.
    assert (result.case_ids, result.person_ids) == ([], [])

    legal_hold_release(subject=first.person, reason="Inquiry closed", acting_user=head_teacher)
    result = purge()
    assert sorted(result.case_ids) == sorted([first.case.id, second.case.id])
    assert sorted(result.person_ids) == sorted([first.person.id, second.person.id])


def test_only_the_head_teacher_places_or_releases_a_hold(slt, head_teacher):
    case = CaseFactory(lead=slt)
    with pytest.raises(PermissionDenied):
        legal_hold_place(subject=case, reason="A claim", acting_user=slt)
    legal_hold_place(subject=case, reason="A claim", acting_user=head_teacher)
    with pytest.raises(PermissionDenied):
        legal_hold_release(subject=case, reason="Settled", acting_user=slt)


def test_a_case_is_held_once_and_a_purged_one_cannot_be_held(slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    other = CaseFactory(lead=slt)
    legal_hold_place(subject=other, reason="A claim", acting_user=head_teacher)
    with pytest.raises(LegalHoldError, match="already on legal hold"):
        legal_hold_place(subject=other, reason="Again", acting_user=head_teacher)
    purge()
    with pytest.raises(LegalHoldError, match="already been purged"):
        legal_hold_place(subject=old.case, reason="Too late", acting_user=head_teacher)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/cases/{case}/legal-hold/",
        "/staff/cases/{case}/legal-hold/release/",
        "/staff/people/{person}/legal-hold/",
        "/staff/people/{person}/legal-hold/release/",
    ],
)
def test_slt_may_not_place_or_release_a_hold(client, slt, head_teacher, path):
    case, person = CaseFactory(lead=slt), PersonFactory(created_by=slt)
    legal_hold_place(subject=case, reason="A claim", acting_user=head_teacher)
    legal_hold_place(subject=person, reason="A claim", acting_user=head_teacher)
    sign_in(client, slt)
    url = path.format(case=case.id, person=person.id)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Because"}).status_code == 403
    assert LegalHold.objects.active().count() == 2


def test_the_head_teacher_places_and_releases_a_hold_on_a_case(client, slt, head_teacher):
    case = CaseFactory(lead=slt)
    sign_in(client, head_teacher)

    response = client.post(f"/staff/cases/{case.id}/legal-hold/", {"reason": "Claim by J"})
    assert response["Location"] == f"/staff/cases/{case.id}/"
    hold = LegalHold.objects.get(case=case)
    assert (hold.reason, hold.placed_by, hold.is_active) == ("Claim by J", head_teacher, True)
    placed = AuditEvent.objects.get(action=AuditEvent.Action.LEGAL_HOLD_PLACED)
    assert (placed.object_type, placed.object_id) == ("cases.case", str(case.id))
    assert placed.extra == {"hold": hold.id}  # Ids only: the reason stays on the hold.

    release = f"/staff/cases/{case.id}/legal-hold/release/"
    response = client.post(release, {"reason": "Settled"})
    assert response["Location"] == f"/staff/cases/{case.id}/"
    hold.refresh_from_db()
    assert not hold.is_active
    assert (hold.released_by, hold.release_reason) == (head_teacher, "Settled")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LEGAL_HOLD_RELEASED).count() == 1


def test_the_head_teacher_places_a_hold_on_a_person(client, slt, head_teacher):
    person = PersonFactory(created_by=slt)
    sign_in(client, head_teacher)
    response = client.post(f"/staff/people/{person.id}/legal-hold/", {"reason": "Inquiry"})
    assert response["Location"] == f"/staff/people/{person.id}/"
    assert LegalHold.objects.active().get().person == person


def test_a_hold_needs_a_reason(client, slt, head_teacher):
    case = CaseFactory(lead=slt)
    sign_in(client, head_teacher)
    response = client.post(f"/staff/cases/{case.id}/legal-hold/", {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why the records must be kept" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_holding_twice_is_refused_on_the_form(client, slt, head_teacher):
    case = CaseFactory(lead=slt)
    legal_hold_place(subject=case, reason="A claim", acting_user=head_teacher)
    sign_in(client, head_teacher)
    response = client.post(f"/staff/cases/{case.id}/legal-hold/", {"reason": "Again"})
    assert response.status_code == 400
    assert "It is already on legal hold" in response.content.decode()


def test_releasing_what_is_not_held_goes_back_to_the_page(client, slt, head_teacher):
    person = PersonFactory(created_by=slt)
    sign_in(client, head_teacher)
    response = client.post(f"/staff/people/{person.id}/legal-hold/release/", {"reason": "x"})
    assert response["Location"] == f"/staff/people/{person.id}/"


def test_the_case_page_offers_the_head_teacher_a_hold_and_shows_slt_the_status(
    client, slt, head_teacher
):
    old = old_closed_case(slt, head_teacher)
    page = sign_in(client, head_teacher).get(f"/staff/cases/{old.case.id}/").content.decode()
    assert "Place a legal hold" in page
    assert "purged on or after 15 March 2032" in page

    client.logout()
    page = sign_in(client, slt).get(f"/staff/cases/{old.case.id}/").content.decode()
    assert "Not on legal hold" in page and "Place a legal hold" not in page


def test_a_held_person_shows_on_their_page_and_on_their_cases(client, slt, head_teacher):
    person = PersonFactory(created_by=slt)
    case = CaseFactory(lead=slt)
    case.people.add(person)
    legal_hold_place(subject=person, reason="Police inquiry", acting_user=head_teacher)
    sign_in(client, head_teacher)

    page = client.get(f"/staff/people/{person.id}/").content.decode()
    assert "On legal hold since" in page and "Police inquiry" in page
    assert "Release the legal hold" in page

    page = client.get(f"/staff/cases/{case.id}/").content.decode()
    link = f'<a class="govuk-link" href="/staff/people/{person.id}/#legal-hold">'
    assert f"Kept by the legal hold on {link}" in page
    assert "Place a legal hold" in page  # The case may have its own hold too.


def test_a_purged_case_says_so(client, slt, head_teacher):
    old = old_closed_case(slt, head_teacher)
    purge()
    page = sign_in(client, head_teacher).get(f"/staff/people/{old.person.id}/").content.decode()
    assert "The personal details were purged on" in page
    assert "Place a legal hold" not in page
    assert Person.objects.get(id=old.person.id).full_name == PURGED
