"""How each of one person's records goes into their subject access pack: their own
entries, and each case with its reports, steps, decision, holds, reopenings and letters.
Which of it is withheld, and why, is explained in pack.py; how a record's personal fields
become rows, in pack_rows.py."""

import html
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from brunswick.retention.models import LegalHold
from brunswick.school.models import SchoolSettings
from cases.models import Case, CaseReopening, LadderStep, Person
from cases.selectors import case_decision
from letters.content import parent_values
from letters.models import Letter
from letters.placeholders import render_text
from reports.models import Message, Report, Screenshot

from .models import ErasureRecord
from .pack_rows import ABOUT_THE_CASE, REPORTERS_FILE, PackRows, Row, rows, when
from .redaction import REPORTER

logger = logging.getLogger(__name__)

STEP_DATES = [
    ("Due", "due_on"),
    ("Decided", "decided_at"),
    ("Completed", "completed_at"),
    ("Withdrawn", "withdrawn_at"),
    ("Meeting", "meeting_at"),
    ("Ban starts", "ban_starts_on"),
    ("Ban ends", "ban_ends_on"),
    ("Ban review", "review_on"),
    ("Representations invited", "representations_invited_on"),
    ("Deadline for representations", "representations_deadline"),
]
NOT_INCLUDED_ROW = "Not included: see “Not included” at the end of this pack"
PROBLEM_LENGTH = 200


@dataclass
class Section:
    title: str
    rows: list[Row]


@dataclass
class PackReport:
    title: str
    rows: list[Row]
    messages: list[Section]
    screenshots: list[str]  # Their names in the ZIP.


@dataclass
class PackCase:
    title: str
    rows: list[Row]
    shared: bool  # About other people too: its case-wide text is withheld.
    reports: list[PackReport] = field(default_factory=list)
    steps: list[Section] = field(default_factory=list)
    decision: Section | None = None
    holds: list[Section] = field(default_factory=list)
    reopenings: list[Section] = field(default_factory=list)
    letters: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class NotIncluded:
    """A document that could not be made for the pack, and why, in plain words."""

    what: str
    why: str


def _extension(screenshot: Screenshot) -> str:
    return ".jpg" if screenshot.working_content_type == "image/jpeg" else ".png"


class PackRecords:
    """Walks one person's records in order, numbering reports across the pack."""

    def __init__(self, person: Person, pack_rows: PackRows):
        self.person, self.rows = person, pack_rows
        self.screenshots: list[tuple[str, Screenshot]] = []
        self.not_included: list[NotIncluded] = []
        self._reports = 0

    # --- The person's own records ---

    def register(self) -> list[Row]:
        person = self.person
        own = self.rows.of(person, "Your entry on the register", own=True)
        return own + rows(("Added to the register", when(person.created_at)))

    def requests(self) -> list[Section]:
        requests = self.person.subject_access_requests.order_by("received_on", "id")
        return [
            Section(
                f"Request {request.code}",
                rows(
                    ("Received", when(request.received_on)),
                    ("To be answered by", when(request.due_on)),
                    ("Status", request.get_status_display()),
                    ("Answered", when(request.completed_at)),
                )
                + self.rows.of(request, f"Request {request.code}"),
            )
            for request in requests
        ]

    def person_holds(self) -> list[Section]:
        holds = self.person.legal_holds.select_related("placed_by", "released_by")
        return [self._hold(hold, "Your records") for hold in holds.order_by("placed_at")]

    def erasure(self) -> Section | None:
        record = ErasureRecord.objects.filter(person_id=self.person.id).first()
        if record is None:
            return None
        facts = rows(("Erased on", when(record.applied_at)), ("Decided by", record.decided_by))
        return Section("Erasure of your personal data", facts + self.rows.of(record, "Erasure"))

    # --- A case ---

    def case(self, case: Case) -> PackCase:
        shared = any(other.id != self.person.id for other in case.people.all())
        why = ABOUT_THE_CASE if shared else ""
        packed = PackCase(
            title=f"Case {case.code}",
            shared=shared,
            rows=self.rows.of(case, case.code, withhold=why)
            + rows(
                ("Status", case.get_status_display()),
                ("Opened", when(case.opened_at)),
                ("Closed", when(case.closed_at)),
                ("Led by", str(case.lead)),
            ),
        )
        packed.reports = [self._report(report) for report in case.reports.all()]
        packed.steps = self._steps(case, why)
        packed.decision = self._decision(case, why)
        packed.holds = [self._hold(hold, case.code, why) for hold in case.legal_holds.all()]
        packed.reopenings = [self._reopening(r, case.code, why) for r in case.reopenings.all()]
        packed.letters = self._letters(case)
        return packed

    def _steps(self, case: Case, why: str) -> list[Section]:
        """Steps about this person in full; steps for the whole case as the case's other
        records; steps about another parent left out."""
        sections = []
        for step in case.steps.all():
            if step.person_id not in (None, self.person.id):
                self.rows.withhold(case.code, "a step", "it is about another parent")
                continue
            sections.append(self._step(step, case, why if step.person_id is None else ""))
        return sections

    def _step(self, step: LadderStep, case: Case, why: str) -> Section:
        where = f"{case.code}, step “{step.get_kind_display()}” of {when(step.proposed_at)}"
        dates = [(label, when(getattr(step, name))) for label, name in STEP_DATES]
        about = "This case as a whole" if step.person_id is None else "You"
        return Section(
            step.get_kind_display(),
            rows(
                ("About", about),
                ("Status", step.get_status_display()),
                ("Proposed", when(step.proposed_at)),
                ("Proposed by", str(step.proposed_by)),
                ("Decided by", str(step.decided_by or "")),
                ("Type of ban", step.get_ban_type_display()),
                *dates,
            )
            + self.rows.of(step, where, withhold=why),
        )

    def _decision(self, case: Case, why: str) -> Section | None:
        decision = case_decision(case)
        if decision is None:
            return None
        facts = rows(
            ("Outcome", decision.get_outcome_display()),
            ("Decided on", when(decision.decided_on)),
            ("Decided by", str(decision.decided_by)),
            ("Site ban starts", when(decision.ban_starts_on)),
            ("Site ban ends", when(decision.ban_ends_on)),
        )
        where = f"{case.code}, final decision"
        return Section("Final decision", facts + self.rows.of(decision, where, withhold=why))

    def _hold(self, hold: LegalHold, on: str, why: str = "") -> Section:
        facts = rows(
            ("Placed", when(hold.placed_at)),
            ("Placed by", str(hold.placed_by)),
            ("Released", when(hold.released_at)),
            ("Released by", str(hold.released_by or "")),
        )
        where = f"{on}, hold placed {when(hold.placed_at)}"
        return Section("Hold on deleting records", facts + self.rows.of(hold, where, withhold=why))

    def _reopening(self, reopening: CaseReopening, code: str, why: str) -> Section:
        facts = rows(
            ("Closed", when(reopening.closed_at)),
            ("Reopened", when(reopening.reopened_at)),
            ("Reopened by", str(reopening.reopened_by)),
        )
        where = f"{code}, reopened {when(reopening.reopened_at)}"
        return Section("Case reopened", facts + self.rows.of(reopening, where, withhold=why))

    # --- Reports ---

    def _report(self, report: Report) -> PackReport:
        self._reports += 1
        where = f"Report {self._reports}"
        shots = []
        for n, shot in enumerate(report.screenshots.all(), start=1):
            name = f"report-{self._reports}-{n}{_extension(shot)}"
            shots.append(name)
            self.screenshots.append((name, shot))
            self.rows.of(shot, f"{where}, screenshot {name}", withhold=REPORTERS_FILE)
        relationship = self.rows.redactor.field(
            report.get_reporter_relationship_display(),
            where,
            "the reporter's relationship",
            REPORTER,
        )
        facts = rows(
            ("Received", when(report.submitted_at)),
            ("Happened on", when(report.occurred_on)),
            ("At", report.occurred_at_time.strftime("%H:%M") if report.occurred_at_time else ""),
            ("Group", report.group.name if report.group_id else ""),
            ("Categories", "; ".join(str(c) for c in report.categories.all())),
        )
        return PackReport(
            title=where,
            rows=facts
            + self.rows.of(report, where, whose=REPORTER)
            + rows(("Their relationship", relationship)),
            messages=[self._message(message, where) for message in report.messages.all()],
            screenshots=shots,
        )

    def _message(self, message: Message, where: str) -> Section:
        # Staff keep their names; a reporter is "the person who reported", never named.
        school = message.author == Message.Author.SCHOOL
        author = "the school" if school else "the person who reported"
        return Section(
            f"Message from {author}, {when(message.sent_at)}", self.rows.of(message, where)
        )

    # --- Letters ---

    def _letters(self, case: Case) -> list[Section]:
        sections = []
        for letter in case.letters.all():
            if letter.person_id != self.person.id:
                to = "a person who reported" if letter.report_id else "another parent"
                self.rows.withhold(case.code, "a letter", f"it is to {to}")
                continue
            sections.append(self._letter(letter))
        return sections

    def _letter(self, letter: Letter) -> Section:
        name = f"{letter.get_kind_display()} {letter.code}, version {letter.version}"
        try:
            text = self.rows.redactor.text(letter_text(letter), f"{letter.code}, text")
        except Exception as error:
            # Whatever went wrong (the renderer's own errors, or anything else), this one
            # letter is left out and the rest of the pack still goes to the Head Teacher.
            logger.warning("Subject access pack: letter %s could not be made", letter.id)
            text = NOT_INCLUDED_ROW
            self.not_included.append(NotIncluded(name, self._letter_problem(error)))
        return Section(
            name,
            rows(
                ("Status", letter.get_status_display()),
                ("Dated", when(letter.letter_date)),
                ("Sent", letter.get_delivery_display()),
                ("Approved by", str(letter.approved_by or "")),
            )
            + self.rows.of(letter, letter.code, own=True)
            + rows(("Text", text)),
        )

    def _letter_problem(self, error: Exception) -> str:
        problem = self.rows.redactor.text(problem_in_words(error), "Not included")
        return (
            f"its text could not be made from its template ({problem}). Its details are "
            "above; print the letter from the case if you need it."
        )


def problem_in_words(error: Exception) -> str:
    """The error's own message, with its line if it has one ("Line 1: ..."), kept short."""
    message = str(getattr(error, "message", None) or error) or type(error).__name__
    line = getattr(error, "lineno", None)
    if isinstance(line, int) and not message.startswith("Line "):
        message = f"Line {line}: {message}"
    message = " ".join(message.split())
    return message if len(message) <= PROBLEM_LENGTH else message[: PROBLEM_LENGTH - 1] + "…"


def letter_text(letter: Letter) -> str:
    """The letter's words as plain text, from the template version it was made from (not
    today's template: the pack shows what the letter said). Raises whatever the renderer
    raises; the caller decides what a failure means."""
    values = parent_values(
        letter, letter.letter_date or timezone.localdate(), SchoolSettings.current()
    )
    source = letter.template_version
    heading = render_text(source.heading, values)
    body = render_text(source.body, values)
    return html.unescape(f"{heading}\n\n{body}")
