import io
import json
import zipfile

import pytest

from brunswick.audit.models import AuditEvent
from brunswick.subject_access.pack import pack_gather
from brunswick.subject_access.pack_rows import ABOUT_THE_CASE, REPORTERS_FILE, Withheld
from brunswick.subject_access.redaction import REPORTER, THIRD_PARTY, Redaction
from tests.conftest import sign_in

from .conftest import (
    OTHER_CHILD,
    OTHER_GROUP_NAME,
    OTHER_NAME,
    REPORTER_EMAIL,
    REPORTER_NAME,
    pdf_text,
)

pytestmark = pytest.mark.django_db


def build(client, head_teacher, world, format: str):
    sign_in(client, head_teacher)
    response = client.post(f"/staff/subject-access/{world.request.id}/pack/", {"format": format})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    return response


def test_the_pdf_holds_the_persons_own_data_and_cases(client, head_teacher, world, tmp_path):
    response = build(client, head_teacher, world, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{world.request.code}.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    for own in (
        "Jordan Smith",
        "Sam Smith, Year 3",
        "1 Example Road",
        "jordan@example.org",
        "+44 7700 900111",
        world.case.code,
        "Abusive or personal comments about staff",
        "3 March 2025",
        "Jordan S (+44 7700 900111)",
        f"Jordan Smith called {THIRD_PARTY} a liar",
        "Jordan Smith has posted abuse twice",
        world.letter.code,
        "Please treat every member of our school community with respect.",
        f"Jordan Smith posted insults about {THIRD_PARTY} in the group.",
        str(world.case.lead),  # Staff are named: they act for the school.
    ):
        assert own in text, own


def test_the_pdf_never_names_a_reporter_or_another_parent(client, head_teacher, world, tmp_path):
    text = pdf_text(build(client, head_teacher, world, "pdf").content, tmp_path)
    for secret in (
        REPORTER_NAME,
        "Priya",
        REPORTER_EMAIL,
        "900222",
        "900 222",
        OTHER_NAME,
        "Casey",
        "casey@example.org",
        "9 Other Street",
        OTHER_CHILD,
        "A STEP ABOUT THE OTHER PARENT",
        world.other_letter.code,
        world.report.reference,  # With a passphrase it opens the reporter's page.
    ):
        assert secret not in text, secret
    assert f"Reported by {REPORTER}" in text
    assert f"Their e-mail {REPORTER}" in text
    assert "Priya chat.png" not in text  # The reporter's own file name.


def test_each_redaction_is_listed_where_and_what_never_the_value(
    client, head_teacher, world, tmp_path
):
    pack = pack_gather(world.request)
    assert Redaction("Report 1", "the reporter's name", REPORTER) in pack.redactions
    assert Redaction("Report 1", "the reporter's phone number", REPORTER) in pack.redactions
    assert Redaction("Report 1", "the reporter's relationship", REPORTER) in pack.redactions
    assert Redaction("Report 1, description", "a reporter's name", REPORTER) in pack.redactions
    assert (
        Redaction("Report 1, description", "a reporter's phone number", REPORTER) in pack.redactions
    )
    assert (
        Redaction("Report 1, description", "another person's name", THIRD_PARTY) in pack.redactions
    )
    assert (
        Redaction("Report 1, description", "the name of another person's child", THIRD_PARTY)
        in pack.redactions
    )
    assert Redaction("Report 1, message", "a reporter's name", REPORTER) in pack.redactions
    code = world.case.code
    assert pack.withheld == [
        Withheld(code, "title", ABOUT_THE_CASE),  # The case is about Casey Morgan too.
        Withheld(
            "Report 1, screenshot report-1-1.png",
            "the file name on the reporter's device",
            REPORTERS_FILE,
        ),
        Withheld(code, "a step", "it is about another parent"),
        Withheld(code, "a letter", "it is to another parent"),
    ]

    text = pdf_text(build(client, head_teacher, world, "pdf").content, tmp_path)
    appendix = text.split("Appendix: what was replaced or left out")[1]
    for redaction in pack.redactions:
        assert redaction.where in appendix
        assert redaction.what[0].upper() + redaction.what[1:] in appendix
    for item in pack.withheld:
        assert item.where in appendix
        assert (
            f"{item.what[0].upper()}{item.what[1:]} {item.why[0].upper()}{item.why[1:]}" in appendix
        )
    for secret in (REPORTER_NAME, OTHER_NAME, OTHER_GROUP_NAME, OTHER_CHILD):
        assert secret not in appendix


def test_the_zip_holds_the_pdf_and_the_working_copies_never_the_originals(
    client, head_teacher, world
):
    response = build(client, head_teacher, world, "zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["subject-access-pack.pdf", "screenshots/report-1-1.png"]
    assert archive.read("subject-access-pack.pdf").startswith(b"%PDF-")
    with world.screenshot.working.open("rb") as working:
        assert archive.read("screenshots/report-1-1.png") == working.read()
    with world.screenshot.original.open("rb") as original:
        sealed = original.read()
    assert all(archive.read(name) != sealed for name in archive.namelist())


def test_making_the_pack_is_audited_with_counts_only(client, head_teacher, world):
    build(client, head_teacher, world, "zip")
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUBJECT_ACCESS_PACK_MADE)
    assert event.actor == head_teacher
    assert (event.object_type, event.object_id) == (
        "subject_access.subjectaccessrequest",
        str(world.request.id),
    )
    assert event.extra["person"] == world.person.id
    assert event.extra["format"] == "zip"
    assert event.extra["cases"] == 1 and event.extra["reports"] == 1
    assert event.extra["letters"] == 1 and event.extra["screenshots"] == 1
    assert event.extra["withheld"] == 4 and event.extra["redactions"] >= 8
    assert event.extra["not_included"] == 0
    assert "Jordan" not in json.dumps(event.extra)


def test_a_person_with_no_cases_gets_their_register_entry(client, head_teacher, tmp_path):
    from brunswick.subject_access.models import SubjectAccessRequest
    from tests.factories import PersonFactory

    person = PersonFactory(full_name="Alex Lonely")
    request = SubjectAccessRequest.objects.create(
        person=person, received_on="2025-03-15", due_on="2025-04-15", created_by=head_teacher
    )
    sign_in(client, head_teacher)
    response = client.post(f"/staff/subject-access/{request.id}/pack/", {"format": "pdf"})
    text = pdf_text(response.content, tmp_path)
    assert "Alex Lonely" in text and "You are not linked to any case." in text
