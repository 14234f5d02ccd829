"""The letters app puts its letters on the cases app's pages, which do not import it: the
case page's letters and their timeline, a person's chronology, and the letters staff may
write from the case page (letters/timeline.py, letters/templatetags/case_letters.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from letters.models import Letter, LetterKind
from tests.conftest import sign_in
from tests.factories import CaseFactory, PersonFactory
from tests.letters.helpers import warning_letter

pytestmark = pytest.mark.django_db


def approved_letter(like: Letter, approver, **fields) -> Letter:
    """Another letter on the case of `like`, approved and posted: as the office leaves it."""
    now = timezone.now()
    made = {
        "case": like.case,
        "person": like.person,
        "kind": LetterKind.WARNING_LETTER,
        "template": like.template,
        "template_version": like.template_version,
        "addressee_name": like.addressee_name,
        "summary": "You called a teacher names in the group.",
        "drafted_by": like.drafted_by,
        "status": Letter.Status.POSTED,
        "approved_by": approver,
        "approved_at": now,
        "rendered_at": now,
        "pdf_sha256": "a" * 64,
        "printed_at": now,
        "posted_on": timezone.localdate(),
    }
    return Letter.objects.create(**(made | fields))


def count_queries(client, path) -> int:
    client.get(path)  # Warm up: the first request after sign-in checks the device.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_case_page_lists_its_letters_in_the_order_they_were_drafted(client, slt, head_teacher):
    letter, _ = warning_letter(slt)
    approved_letter(letter, head_teacher, addressee_name="Robin Other")
    sign_in(client, slt)
    page = client.get(f"/staff/cases/{letter.case_id}/").content.decode()
    assert page.index("Warning letter to Jordan Smith</a> (version 1)") < page.index(
        "Warning letter to Robin Other</a> (version 1)"
    )
    timeline = page[page.index("Timeline") :]
    assert "Letter drafted: Warning letter to Jordan Smith (version 1)" in timeline
    assert f"Letter approved by {head_teacher}: Warning letter to Robin Other" in timeline
    assert "Letter posted: Warning letter to Robin Other (version 1)" in timeline


def test_the_case_page_offers_the_letters_its_steps_allow_and_a_note_beside_each_report(
    client, slt
):
    letter, report = warning_letter(slt)  # The case has a warning letter step only.
    sign_in(client, slt)
    page = client.get(f"/staff/cases/{letter.case_id}/").content.decode()
    offered = {
        kind for kind in LetterKind if f'<option value="{kind.value}">{kind.label}</option>' in page
    }
    assert offered == {LetterKind.WARNING_LETTER, LetterKind.CASE_OUTCOME}
    assert "Why some letters are not offered" in page
    assert (
        "<strong>Site ban</strong>: A site ban letter needs a full site ban approved by the "
        "Head Teacher for this parent. Propose the ban first, or choose another letter."
    ) in page
    assert f"Write a note to the person who sent {report.reference}" in page


def test_a_person_s_chronology_shows_the_letters_to_them_not_to_others_on_their_case(
    client, slt, head_teacher
):
    letter, _ = warning_letter(slt)
    other = PersonFactory(full_name="Robin Other")
    letter.case.people.add(other)
    approved_letter(letter, head_teacher, person=other, addressee_name="Robin Other")
    sign_in(client, head_teacher)
    page = client.get(f"/staff/people/{letter.person_id}/").content.decode()
    assert "Letter drafted: Warning letter to Jordan Smith" in page
    assert "Robin Other" not in page
    page = client.get(f"/staff/people/{other.id}/").content.decode()
    assert "Letter posted: Warning letter to Robin Other" in page
    assert "Letter drafted: Warning letter to Jordan Smith" not in page


def test_a_case_page_with_1_or_10_letters_makes_the_same_number_of_queries(
    client, slt, head_teacher
):
    letter, _ = warning_letter(slt)
    sign_in(client, slt)
    few = count_queries(client, f"/staff/cases/{letter.case_id}/")
    for _ in range(9):
        approved_letter(letter, head_teacher)
    assert count_queries(client, f"/staff/cases/{letter.case_id}/") == few


def test_a_person_page_with_letters_on_2_or_10_cases_makes_the_same_number_of_queries(
    client, slt, head_teacher
):
    letter, _ = warning_letter(slt)
    person = letter.person

    def add_cases(n):
        for case in CaseFactory.create_batch(n, lead=slt):
            case.people.add(person)
            approved_letter(letter, head_teacher, case=case)

    add_cases(1)
    sign_in(client, head_teacher)
    few = count_queries(client, f"/staff/people/{person.id}/")
    add_cases(8)
    assert count_queries(client, f"/staff/people/{person.id}/") == few
