"""Reporters and other parents are redacted from a pack in the forms people write their
names and addresses ("Avery B.", "Mrs Brooks", "Priya here", "12 Acacia Avenue, SE5 9ZZ"),
and the requester's own names and the ordinary words around them come through."""

import pytest

from brunswick.subject_access.pack import pack_gather
from brunswick.subject_access.redaction import FOUND_POSTCODE, REPORTER, THIRD_PARTY, Redaction
from tests.factories import CaseFactory, PersonFactory, ReportFactory

from .conftest import pack_pdf_text, request_for
from .scene import SECRETS, the_testers_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(slt, head_teacher):
    return the_testers_scene(slt, head_teacher)


def cases_part(text: str) -> str:
    """The pack before its appendix."""
    return text.split("Appendix: what was replaced or left out")[0]


@pytest.mark.smoke
def test_the_testers_pack_names_neither_avery_nor_the_reporter_in_any_form(
    client, head_teacher, scene, tmp_path
):
    text = pack_pdf_text(client, head_teacher, scene.request, tmp_path)

    for secret in SECRETS:
        assert secret not in text, secret
    assert f"Who posted it {THIRD_PARTY} and Jordan Smith" in text
    assert f"{THIRD_PARTY} also said she would keep posting until the class listened." in text
    assert f"{THIRD_PARTY}'s number is {THIRD_PARTY} and she lives at {THIRD_PARTY}, " in text
    assert f"{REPORTER} here, my mobile is {REPORTER} if you need me." in text
    assert f"{THIRD_PARTY} was in tears at the gate this morning." in text
    assert f"Thank you, {REPORTER}. We are looking at this." in text


def test_the_requesters_own_names_address_and_contacts_stay(client, head_teacher, scene, tmp_path):
    text = pack_pdf_text(client, head_teacher, scene.request, tmp_path)

    for own in (
        "Jordan Smith",
        "Jordan S",
        "Sam Smith, Year 3",
        "1 Example Road",
        "London SE5 0AA",
        "jordan@example.org",
    ):
        assert own in text, own
    assert "[redacted" not in text.split("Your entry on the register")[1].split("Added")[0]


def test_the_appendix_lists_each_kind_of_thing_replaced_where_it_was(
    client, head_teacher, scene, tmp_path
):
    pack = pack_gather(scene.request)
    found = {(r.where, r.what, r.replacement) for r in pack.redactions}
    description, posted = "Report 1, description", "Report 1, who posted it"
    expected = {
        (posted, "another person's name, with an initial", THIRD_PARTY),
        (description, "another person's name, with a title", THIRD_PARTY),
        (description, "another person's name: a first name or surname alone", THIRD_PARTY),
        (description, "another person's name in a group", THIRD_PARTY),  # Her number.
        (description, "another person's postal address", THIRD_PARTY),
        (description, "another person's postcode", THIRD_PARTY),
        (description, "a reporter's name: a first name or surname alone", REPORTER),
        (description, "a reporter's phone number", REPORTER),
        (
            "Report 1, message",
            "the name of another person's child: a first name or surname alone",
            THIRD_PARTY,
        ),
        ("Report 1, message", "a reporter's name, with a title", REPORTER),
    }
    assert expected <= found, expected - found

    appendix = pack_pdf_text(client, head_teacher, scene.request, tmp_path).split(
        "Appendix: what was replaced or left out"
    )[1]
    for where, what, replacement in expected:
        assert f"{where} {what[0].upper()}{what[1:]} {replacement}" in appendix, what


def test_ordinary_words_come_through_even_when_they_are_someone_elses_name(
    client, slt, head_teacher, tmp_path
):
    # Grace Brown's first name and surname are everyday words; "Jo Ng"'s are too short.
    jordan = PersonFactory(full_name="Jordan Smith", created_by=slt)
    grace = PersonFactory(full_name="Grace Brown", pupils="Will Brown, Year 2", created_by=slt)
    case = CaseFactory(lead=slt)
    case.people.add(jordan, grace)
    ordinary = (
        "I hope the head teacher will mark this. The grass by the brown gate in the park is "
        "green, the queue was long and the class may be told at school; by God's grace "
        "everyone was good. We will all be there on Monday at 3 pm, Year 3 and Reception."
    )
    ReportFactory(
        case=case,
        reporter_name="Jo Ng",
        posted_by="Grace Brown",
        description=f"{ordinary} Mrs Brown and Ms Ng saw it; so did Grace B. and Will Brown.",
    )

    text = pack_pdf_text(client, head_teacher, request_for(jordan, head_teacher), tmp_path)

    assert ordinary in text
    assert f"{THIRD_PARTY} and {REPORTER} saw it; so did {THIRD_PARTY} and {THIRD_PARTY}." in (text)
    assert f"Who posted it {THIRD_PARTY}" in text


def test_a_postcode_that_is_no_ones_on_the_register_is_redacted_but_the_schools_is_not(
    client, head_teacher, scene, tmp_path
):
    from brunswick.school.models import SchoolSettings

    school = SchoolSettings.current()
    school.address = "Brunswick Park Road\nLondon SE5 7QH"
    school.save()
    ReportFactory(
        case=scene.case,
        description="She moved to N1 9GU last year. Bring it to the school, SE5 7QH.",
    )

    pack = pack_gather(scene.request)
    assert Redaction("Report 2, description", FOUND_POSTCODE, THIRD_PARTY, 1) in pack.redactions
    text = cases_part(pack_pdf_text(client, head_teacher, scene.request, tmp_path))
    assert f"She moved to {THIRD_PARTY} last year. Bring it to the school, SE5 7QH." in text
