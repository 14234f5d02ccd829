import pytest
from django.core.files.storage import default_storage
from django.forms.models import model_to_dict

from brunswick.audit.models import AuditEvent
from brunswick.subject_access.erasure import ErasureRefused, erasure_apply
from brunswick.subject_access.models import ErasureRecord, SubjectAccessRequest
from cases.models import Case, LadderStep, Person
from letters.models import Letter
from reports.models import Message, Report
from tests.conftest import sign_in

from .conftest import OTHER_NAME, REPORTER_EMAIL, REPORTER_NAME, close_the_case

pytestmark = pytest.mark.django_db

# Everything on Jordan's register entry, as typed anywhere.
JORDAN = ("Jordan Smith", "Jordan S", "900111", "jordan@example.org", "Example Road", "Sam Smith")


def history_text(model, ids) -> str:
    """Every value of every historical row of these objects, as one string."""
    rows = model.history.filter(id__in=ids)
    return " ".join(str(value) for row in rows for value in model_to_dict(row).values())


def assert_nothing_of_jordan_in(text: str) -> None:
    for value in JORDAN:
        assert value not in text, value


def erase(client, head_teacher, world, django_capture_on_commit_callbacks):
    sign_in(client, head_teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/people/{world.person.id}/erase/",
            {"reason": "Parent's written request of 1 May; no exemption applies.", "confirm": "on"},
        )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/people/{world.person.id}/"


def test_it_erases_the_register_entry_and_its_history(
    client, head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    erase(client, head_teacher, world, django_capture_on_commit_callbacks)
    person = Person.objects.get(id=world.person.id)
    assert (person.full_name, person.pupils, person.group_names) == ("[erased]", "", "")
    assert (person.postal_address, person.email) == ("", "")
    assert person.history.count() >= 2  # History kept, emptied of the data.
    assert_nothing_of_jordan_in(history_text(Person, [person.id]))
    other = Person.objects.get(id=world.other.id)
    assert other.full_name == OTHER_NAME  # Someone else's data is not theirs to erase.


def test_letters_to_them_become_tombstones_without_their_pdfs(
    client, head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    pdf_name, sha = world.letter.pdf.name, world.letter.pdf_sha256
    assert default_storage.exists(pdf_name)
    erase(client, head_teacher, world, django_capture_on_commit_callbacks)
    letter = Letter.objects.get(id=world.letter.id)
    assert (letter.addressee_name, letter.addressee_address, letter.addressee_email) == (
        "[erased]",
        "",
        "",
    )
    assert not letter.pdf and not default_storage.exists(pdf_name)
    assert letter.pdf_sha256 == sha and letter.status == Letter.Status.POSTED  # The tombstone.
    assert "[erased] posted insults about" in letter.summary
    assert_nothing_of_jordan_in(history_text(Letter, [letter.id]))
    assert pdf_name not in history_text(Letter, [letter.id])


def test_their_names_go_from_reports_and_case_text_and_history_but_not_others(
    client, head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    world.request.notes = "Jordan Smith asked in person at the office."
    world.request.save()
    erase(client, head_teacher, world, django_capture_on_commit_callbacks)
    report = Report.objects.get(id=world.report.id)
    assert report.posted_by == "[erased] ([erased])"
    assert report.description.startswith(f"[erased] called {OTHER_NAME} a liar")
    assert (report.reporter_name, report.reporter_email) == (REPORTER_NAME, REPORTER_EMAIL)
    step = LadderStep.objects.get(id=world.step.id)
    assert step.rationale.startswith("[erased] has posted abuse twice")
    world.case.refresh_from_db()
    assert world.case.title == "Insults in the Year 3 group by [erased]"
    world.request.refresh_from_db()
    assert world.request.notes == "[erased] asked in person at the office."
    for model, ids in (
        (Case, [world.case.id]),
        (SubjectAccessRequest, [world.request.id]),
        (Report, [report.id]),
        (LadderStep, [step.id]),
        (Letter, [world.letter.id, world.other_letter.id]),
        (Message, list(report.messages.values_list("id", flat=True))),
    ):
        assert_nothing_of_jordan_in(history_text(model, ids))
    assert REPORTER_NAME in history_text(Report, [report.id])


def test_every_audit_event_is_kept_and_the_erasure_is_recorded(
    client, head_teacher, office, world, django_capture_on_commit_callbacks, erasure_ledger
):
    close_the_case(world, office)
    before = set(AuditEvent.objects.values_list("id", flat=True))
    erase(client, head_teacher, world, django_capture_on_commit_callbacks)
    assert before < set(AuditEvent.objects.values_list("id", flat=True))
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASURE_APPLIED)
    assert (event.actor, event.object_type, event.object_id) == (
        head_teacher,
        "cases.person",
        str(world.person.id),
    )
    record = ErasureRecord.objects.get(person_id=world.person.id)
    assert record.decided_by == head_teacher and record.reason.startswith("Parent's written")
    assert record.erased["person"] == 1 and record.erased["letter_pdfs"] == 1
    assert record.erased["report"] == 1 and record.erased["history_rows"] > 0
    assert event.extra["erasure"] == record.id and event.extra["letter_pdfs"] == 1
    assert f'"person_id": {world.person.id}' in erasure_ledger.read_text()
    assert "Jordan" not in erasure_ledger.read_text()


def test_the_person_page_says_it_was_erased(
    client, head_teacher, office, world, django_capture_on_commit_callbacks
):
    close_the_case(world, office)
    erase(client, head_teacher, world, django_capture_on_commit_callbacks)
    page = client.get(f"/staff/people/{world.person.id}/").content.decode()
    assert "Personal data erased on" in page
    assert "Erase this person&#x27;s personal data" not in page


def test_it_is_refused_while_a_case_is_open_or_a_letter_is_waiting(
    client, head_teacher, office, world
):
    with pytest.raises(ErasureRefused, match="open cases"):
        erasure_apply(person=world.person, reason="Asked", acting_user=head_teacher)
    world.case.status = "closed"
    world.case.save()
    Letter.objects.filter(id=world.letter.id).update(status=Letter.Status.READY)
    sign_in(client, head_teacher)
    response = client.post(
        f"/staff/people/{world.person.id}/erase/", {"reason": "Asked", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "still being made or waiting" in response.content.decode()
    assert Person.objects.get(id=world.person.id).full_name == "Jordan Smith"
    assert not ErasureRecord.objects.exists()


def test_it_needs_a_reason_and_the_confirmation(client, head_teacher, office, world):
    close_the_case(world, office)
    sign_in(client, head_teacher)
    response = client.post(f"/staff/people/{world.person.id}/erase/", {"reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter why the data is being erased" in page
    assert "Confirm that you understand this cannot be undone" in page
    assert Person.objects.get(id=world.person.id).full_name == "Jordan Smith"
