"""Records old enough to purge: a closed case with everything on it, and a report closed at
triage. Dates are set on the rows; the purge is given `today`."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from cases.models import Case, Decision, LadderStep, Person
from letters.models import Letter
from reports.models import Message, Report, Screenshot
from reports.services import screenshot_stage
from tests.factories import LadderStepFactory, ReportFactory
from tests.images import png_bytes
from tests.letters.helpers import warning_letter

LONDON = ZoneInfo("Europe/London")
CLOSED_AT = datetime(2026, 3, 15, 16, 30, tzinfo=LONDON)
SIX_YEARS_ON = date(2032, 3, 15)  # The first day the case above may be purged.


def screenshot_for(report: Report, message: Message | None = None) -> Screenshot:
    """A real screenshot (original, working copy, thumbnail), attached as report_submit does."""
    token = uuid.uuid4()
    shot = screenshot_stage(token=token, data=png_bytes(), name="Jordan Smith posting.png")
    shot.report, shot.message, shot.staging_token = report, message, None
    shot.save()
    return shot


def with_pdf(letter: Letter) -> Letter:
    """A letter as the office finds it: approved, with its PDF (made without WeasyPrint)."""
    content = b"%PDF-1.7 a letter to Jordan Smith"
    letter.pdf.save(f"letters/{letter.id:06d}-v1.pdf", ContentFile(content), save=False)
    letter.pdf_sha256 = hashlib.sha256(content).hexdigest()
    letter.status = Letter.Status.READY
    letter.save()
    return letter


@dataclass
class OldCase:
    case: Case
    report: Report
    message: Message
    screenshot: Screenshot
    letter: Letter
    person: Person
    step: LadderStep
    decision: Decision


def old_closed_case(slt, head_teacher, closed_at: datetime = CLOSED_AT) -> OldCase:
    """A case closed at `closed_at` with a report, a reporter's message with a screenshot,
    a step, the Head Teacher's decision and a warning letter with its PDF."""
    letter, report = warning_letter(slt, summary="Jordan called Ms Patel a liar in Year 3.")
    case = letter.case
    case.title = "Jordan Smith's posts about Ms Patel"
    case.status, case.closed_at = Case.Status.CLOSED, closed_at
    case.save()
    report.description, report.posted_by = "Jordan Smith called Ms Patel a liar.", "Jordan Smith"
    report.reporter_phone, report.status = "07700 900123", Report.Status.CLOSED
    report.save()
    message = Message.objects.create(
        report=report, author=Message.Author.REPORTER, body="Another post from Jordan today."
    )
    step = LadderStepFactory(
        case=case, status="completed", outcome="Jordan apologised to Ms Patel."
    )
    decision = Decision.objects.create(
        case=case,
        outcome=Decision.Outcome.WARNING_ISSUED,
        reasons="Jordan's posts named Ms Patel.",
        decided_on=closed_at.date(),
        decided_by=head_teacher,
    )
    return OldCase(
        case=case,
        report=report,
        message=message,
        screenshot=screenshot_for(report, message),
        letter=with_pdf(letter),
        person=letter.person,
        step=step,
        decision=decision,
    )


def closed_at_triage(triaged_at: datetime, **fields) -> Report:
    """A report closed at triage (no case) at `triaged_at`, with a screenshot."""
    report = ReportFactory(
        status=Report.Status.CLOSED, closed_reason="not_a_breach", triaged_at=triaged_at, **fields
    )
    screenshot_for(report)
    return report


def file_names(shot: Screenshot) -> list[str]:
    return [shot.original.name, shot.working.name, shot.thumbnail.name]
