"""A person with a case that names a reporter and another parent, a screenshot, a step
about each of them, and letters: everything a subject access pack or an erasure touches."""

import subprocess
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from brunswick.subject_access.models import SubjectAccessRequest
from cases.models import Case, Decision, LadderStep, Person
from letters.models import Letter, LetterKind
from letters.services import Draft, letter_approve, letter_draft, letter_render
from reports.models import Message, Report, Screenshot
from reports.services import screenshot_stage
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory
from tests.images import png_bytes
from tests.letters.helpers import template

# What must never reach Jordan's pack: the reporter's and the other parent's details.
REPORTER_NAME, REPORTER_EMAIL, REPORTER_PHONE = (
    "Priya Reporter",
    "priya@example.org",
    "07700 900222",
)
OTHER_NAME, OTHER_GROUP_NAME, OTHER_CHILD = "Casey Morgan", "Casey M", "Riley Morgan"


@pytest.fixture(autouse=True)
def erasure_ledger(settings, tmp_path):
    """Each test keeps its own ledger of erasures."""
    settings.ERASURE_LEDGER_PATH = tmp_path / "erasure-ledger.jsonl"
    return settings.ERASURE_LEDGER_PATH


@dataclass
class World:
    person: Person
    other: Person
    case: Case
    report: Report
    screenshot: Screenshot
    step: LadderStep
    letter: Letter
    other_letter: Letter
    request: SubjectAccessRequest


def _screenshot_for(report: Report) -> Screenshot:
    screenshot = screenshot_stage(token=uuid.uuid4(), data=png_bytes(), name="Priya chat.png")
    screenshot.report, screenshot.staging_token = report, None
    screenshot.save()
    return screenshot


def _letter(case, step, person, slt) -> Letter:
    draft = Draft(
        summary=f"{person.full_name} posted insults about {OTHER_NAME} in the group.",
        addressee_name=person.full_name,
        addressee_address=person.postal_address,
        addressee_email=person.email,
        delivery="post",
    )
    return letter_draft(
        case=case,
        kind=LetterKind.WARNING_LETTER,
        draft=draft,
        acting_user=slt,
        step=step,
        person=person,
    )


def _letter_to_the_other_parent(case, person, slt) -> Letter:
    """A draft warning letter to the other parent, as a row: a case has one open warning
    letter step at a time (Jordan's), and the pack only needs the letter to exist to
    withhold it."""
    warning = template()
    return Letter.objects.create(
        case=case,
        person=person,
        kind=LetterKind.WARNING_LETTER,
        template=warning,
        template_version=warning.history.latest(),
        addressee_name=person.full_name,
        addressee_address=person.postal_address,
        addressee_email=person.email,
        summary=f"{person.full_name} posted insults in the group.",
        drafted_by=slt,
    )


@pytest.fixture
def world(slt, head_teacher) -> World:
    template()
    person = PersonFactory(
        full_name="Jordan Smith",
        pupils="Sam Smith, Year 3",
        group_names="Jordan S\n+44 7700 900111",
        postal_address="1 Example Road\nLondon SE5 0AA",
        email="jordan@example.org",
    )
    other = PersonFactory(
        full_name=OTHER_NAME,
        pupils=f"{OTHER_CHILD}, Year 3",
        group_names=OTHER_GROUP_NAME,
        postal_address="9 Other Street\nLondon SE5 0BB",
        email="casey@example.org",
    )
    case = CaseFactory(lead=slt, title="Insults in the Year 3 group by Jordan Smith")
    case.people.add(person, other)
    report = ReportFactory(
        case=case,
        reporter_name=REPORTER_NAME,
        reporter_email=REPORTER_EMAIL,
        reporter_phone=REPORTER_PHONE,
        occurred_on=date(2025, 3, 3),
        posted_by="Jordan S (+44 7700 900111)",
        description=(
            f"Jordan Smith called {OTHER_NAME} a liar in front of everyone. "
            f"I am {REPORTER_NAME}; call me on 07700900222. {OTHER_GROUP_NAME} left the group "
            f"and {OTHER_CHILD} was upset."
        ),
    )
    Message.objects.create(
        report=report, author="reporter", body=f"{REPORTER_NAME} here: it happened again."
    )
    step = LadderStepFactory(
        case=case,
        person=person,
        kind="warning_letter",
        rationale="Jordan Smith has posted abuse twice: a warning letter is proportionate.",
    )
    LadderStepFactory(case=case, person=other, rationale="A STEP ABOUT THE OTHER PARENT")
    letter = _letter(case, step, person, slt)
    letter_approve(letter=letter, acting_user=head_teacher)
    letter_render(letter.id)  # Here, not on commit: these tests never commit.
    letter.refresh_from_db()
    request = SubjectAccessRequest.objects.create(
        person=person,
        received_on=date(2025, 3, 15),
        due_on=date(2025, 4, 15),
        created_by=head_teacher,
    )
    return World(
        person=person,
        other=other,
        case=case,
        report=report,
        screenshot=_screenshot_for(report),
        step=step,
        letter=letter,
        other_letter=_letter_to_the_other_parent(case, other, slt),
        request=request,
    )


def decide(case: Case, head_teacher, reasons: str) -> Decision:
    """The Head Teacher's final decision on the case, as recorded (a warning)."""
    return Decision.objects.create(
        case=case,
        outcome=Decision.Outcome.WARNING_ISSUED,
        reasons=reasons,
        decided_on=date(2025, 4, 1),
        decided_by=head_teacher,
    )


def request_for(person: Person, head_teacher) -> SubjectAccessRequest:
    return SubjectAccessRequest.objects.create(
        person=person,
        received_on=date(2025, 3, 15),
        due_on=date(2025, 4, 15),
        created_by=head_teacher,
    )


def pack_pdf_text(client, head_teacher, request: SubjectAccessRequest, tmp_path) -> str:
    """The Head Teacher downloads the PDF pack; its text."""
    sign_in(client, head_teacher)
    response = client.post(f"/staff/subject-access/{request.id}/pack/", {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content, tmp_path)


def close_the_case(world: World, office) -> None:
    """An erasure needs the case closed and the letter sent."""
    world.case.status, world.case.closed_at = Case.Status.CLOSED, timezone.now()
    world.case.save()
    letter = world.letter
    letter.status, letter.posted_on, letter.posted_by = (
        Letter.Status.POSTED,
        timezone.localdate(),
        office,
    )
    letter.save()


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text in reading order (-raw: a table row's cells stay together), with runs
    of whitespace made single spaces (tables wrap lines)."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())
