"""The subject access pack: what the portal holds about one person, with other people's
personal data redacted. This module gathers it; pack_files.py makes the PDF and the ZIP.

In the pack:
- their register entry, as held (their own data, not redacted);
- every case they are linked to, with its reports (dates, group, categories, who posted
  it, the description, messages), the steps about them or about the whole case, the final
  decision, and the letters addressed to them with their text;
- the working copies of the reports' screenshots, in the ZIP (never the sealed originals).

Redacted, and listed in the appendix (where and what kind, never the value): every
reporter's identity (name, e-mail, phone, relationship), and the names, group names,
e-mail addresses and children's names of the other people on the register linked to the
same cases, wherever they appear in free text. Withheld, and listed: steps about another
parent, letters to anyone else. Staff names stay: they act as the school's officers.
Report references are left out: with a passphrase they open the reporter's follow-up
page, and rate limits per reference would let someone holding one lock the reporter out.
"""

import html
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone
from jinja2 import TemplateError

from brunswick.school.models import SchoolSettings
from cases.models import Case, LadderStep, Person
from cases.selectors import case_decision
from letters.content import parent_values
from letters.models import Letter
from letters.placeholders import render_text
from reports.models import Message, Report, Screenshot

from .models import SubjectAccessRequest
from .redaction import REPORTER, THIRD_PARTY, Needle, Redaction, Redactor, person_needles

Row = tuple[str, str]

STEP_TEXT = [
    ("Why this step", "rationale"),
    ("Why earlier steps were skipped", "skip_reason"),
    ("Notes", "notes"),
    ("Outcome", "outcome"),
    ("The Head Teacher's note", "decision_note"),
    ("Why it was withdrawn", "withdrawn_reason"),
    ("Who attended", "attendees"),
    ("Minutes", "minutes"),
    ("Representations", "representations"),
    ("Reasons for an urgent ban", "urgent_reasons"),
]
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
    reports: list[PackReport] = field(default_factory=list)
    steps: list[Section] = field(default_factory=list)
    decision: Section | None = None
    letters: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Withheld:
    """A record left out of the pack because it is about someone else."""

    where: str
    what: str


@dataclass
class Pack:
    request: SubjectAccessRequest
    register: list[Row]
    cases: list[PackCase]
    redactions: list[Redaction]
    withheld: list[Withheld]
    screenshots: list[tuple[str, Screenshot]]  # (name in the ZIP, screenshot)
    made_at: datetime

    @property
    def counts(self) -> dict[str, int]:
        """For the audit event: how much went in, never what."""
        return {
            "cases": len(self.cases),
            "reports": sum(len(case.reports) for case in self.cases),
            "steps": sum(len(case.steps) for case in self.cases),
            "letters": sum(len(case.letters) for case in self.cases),
            "messages": sum(len(r.messages) for case in self.cases for r in case.reports),
            "screenshots": len(self.screenshots),
            "redactions": sum(r.count for r in self.redactions),
            "withheld": len(self.withheld),
        }


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
        return f"{value.day} {value:%B %Y}, {value:%H:%M}"
    return f"{value.day} {value:%B %Y}"


def rows(*pairs: tuple[str, object]) -> list[Row]:
    """Label and value pairs, leaving out what was never recorded."""
    return [(label, str(value)) for label, value in pairs if value not in ("", None)]


def pack_gather(request: SubjectAccessRequest) -> Pack:
    """Everything about the request's person, redacted, ready for the PDF and the ZIP."""
    person = request.person
    cases = _cases(person)
    redactor = Redactor(_others(person, cases), keep=_own_values(person))
    withheld: list[Withheld] = []
    screenshots: list[tuple[str, Screenshot]] = []
    gathered = []
    number = 0  # Reports are numbered across the pack, oldest first within each case.
    for case in cases:
        packed = _case(case, redactor)
        for report in case.reports.all():
            number += 1
            shots = [
                (f"report-{number}-{n}{_extension(shot)}", shot)
                for n, shot in enumerate(report.screenshots.all(), start=1)
            ]
            screenshots += shots
            packed.reports.append(_report(report, number, [n for n, _ in shots], redactor))
        withheld += _actions(packed, case, person, redactor)
        gathered.append(packed)
    return Pack(
        request=request,
        register=_register(person),
        cases=gathered,
        redactions=redactor.log,
        withheld=withheld,
        screenshots=screenshots,
        made_at=timezone.now(),
    )


def _cases(person: Person) -> list[Case]:
    steps = LadderStep.objects.select_related("proposed_by", "decided_by", "withdrawn_by")
    reports = (
        Report.objects.select_related("group")
        .prefetch_related(
            "categories",
            Prefetch("messages", Message.objects.order_by("sent_at", "id")),
            Prefetch("screenshots", Screenshot.objects.exclude(working="").order_by("id")),
        )
        .order_by("submitted_at", "id")
    )
    letters = Letter.objects.select_related("template_version", "person", "approved_by")
    return list(
        person.cases.select_related("lead", "decision__decided_by")
        .prefetch_related(
            Prefetch("steps", steps.order_by("proposed_at", "id")),
            Prefetch("reports", reports),
            Prefetch("letters", letters.order_by("drafted_at", "id")),
            "people",
        )
        .order_by("opened_at", "id")
    )


def _others(person: Person, cases: list[Case]) -> list[Needle]:
    """Reporters first: a value that is both a reporter's and a parent's is a reporter's."""
    reporters = [
        Needle(value, what, REPORTER)
        for case in cases
        for report in case.reports.all()
        for value, what in (
            (report.reporter_name, "a reporter's name"),
            (report.reporter_email, "a reporter's e-mail address"),
            (report.reporter_phone, "a reporter's phone number"),
        )
        if value.strip()
    ]
    others = {other.id: other for case in cases for other in case.people.all()}
    others.pop(person.id, None)
    third = [n for o in others.values() for n in person_needles(o, "another person", THIRD_PARTY)]
    return reporters + third


def _own_values(person: Person) -> list[str]:
    return [needle.value for needle in person_needles(person, "their", "")]


def _register(person: Person) -> list[Row]:
    return rows(
        ("Name", person.full_name),
        ("Children and classes", person.pupils),
        ("Names in WhatsApp groups", person.group_names),
        ("Postal address", person.postal_address),
        ("E-mail", person.email),
        ("Added to the register", when(person.created_at)),
    )


def _case(case: Case, redactor: Redactor) -> PackCase:
    title = redactor.text(case.title, f"{case.code}, title")
    return PackCase(
        title=f"{case.code}: {title}",
        rows=rows(
            ("Status", case.get_status_display()),
            ("Opened", when(case.opened_at)),
            ("Closed", when(case.closed_at)),
            ("Led by", str(case.lead)),
        ),
    )


def _actions(packed: PackCase, case: Case, person: Person, redactor: Redactor) -> list[Withheld]:
    """The case's steps, decision and letters that are about this person; what is left out
    because it is about someone else."""
    withheld = []
    for step in case.steps.all():
        if step.person_id not in (None, person.id):
            withheld.append(Withheld(case.code, "a step about another parent"))
            continue
        packed.steps.append(_step(step, case, redactor))
    packed.decision = _decision(case, redactor)
    for letter in case.letters.all():
        if letter.person_id != person.id:
            to = "a person who reported" if letter.report_id else "another parent"
            withheld.append(Withheld(case.code, f"a letter to {to}"))
            continue
        packed.letters.append(_letter(letter, redactor))
    return withheld


def _decision(case: Case, redactor: Redactor) -> Section | None:
    decision = case_decision(case)
    if decision is None:
        return None
    where = f"{case.code}, final decision"
    return Section(
        "Final decision",
        rows(
            ("Outcome", decision.get_outcome_display()),
            ("Reasons", redactor.text(decision.reasons, where)),
            ("Decided on", when(decision.decided_on)),
            ("Decided by", str(decision.decided_by)),
            ("Site ban starts", when(decision.ban_starts_on)),
            ("Site ban ends", when(decision.ban_ends_on)),
        ),
    )


def _step(step: LadderStep, case: Case, redactor: Redactor) -> Section:
    where = f"{case.code}, step “{step.get_kind_display()}”"
    texts = [(label, redactor.text(getattr(step, name), where)) for label, name in STEP_TEXT]
    dates = [(label, when(getattr(step, name))) for label, name in STEP_DATES]
    return Section(
        step.get_kind_display(),
        rows(
            ("Status", step.get_status_display()),
            ("Proposed", when(step.proposed_at)),
            ("Proposed by", str(step.proposed_by)),
            ("Decided by", str(step.decided_by or "")),
            ("Type of ban", step.get_ban_type_display()),
            *dates,
            *texts,
        ),
    )


def _report(report: Report, number: int, shots: list[str], redactor: Redactor) -> PackReport:
    where = f"Report {number}"
    reporter = [
        (label, redactor.field(value, where, what, REPORTER))
        for label, value, what in (
            ("Reported by", report.reporter_name, "the reporter's name"),
            (
                "Their relationship",
                report.get_reporter_relationship_display(),
                "the reporter's relationship",
            ),
            ("Their e-mail", report.reporter_email, "the reporter's e-mail address"),
            ("Their phone", report.reporter_phone, "the reporter's phone number"),
        )
    ]
    return PackReport(
        title=f"Report {number}",
        rows=rows(
            ("Received", when(report.submitted_at)),
            ("Happened on", when(report.occurred_on)),
            ("At", report.occurred_at_time.strftime("%H:%M") if report.occurred_at_time else ""),
            ("Group", redactor.text(report.group_display, f"{where}, group")),
            ("Categories", "; ".join(str(c) for c in report.categories.all())),
            ("Who posted it", redactor.text(report.posted_by, f"{where}, who posted it")),
            ("What happened", redactor.text(report.description, f"{where}, description")),
            *reporter,
        ),
        messages=[_message(message, where, redactor) for message in report.messages.all()],
        screenshots=shots,
    )


def _message(message: Message, where: str, redactor: Redactor) -> Section:
    # Staff keep their names; a reporter is "the person who reported", never named.
    author = "The school" if message.author == Message.Author.SCHOOL else "The person who reported"
    return Section(
        f"Message from {author.lower()}, {when(message.sent_at)}",
        rows(("Message", redactor.text(message.body, f"{where}, message"))),
    )


def _letter(letter: Letter, redactor: Redactor) -> Section:
    where = f"{letter.code}, text"
    return Section(
        f"{letter.get_kind_display()} ({letter.code}, version {letter.version})",
        rows(
            ("Status", letter.get_status_display()),
            ("Dated", when(letter.letter_date)),
            ("Sent", letter.get_delivery_display()),
            ("To", letter.addressee_name),
            ("Address", letter.addressee_address),
            ("E-mail", letter.addressee_email),
            ("Approved by", str(letter.approved_by or "")),
            ("Text", redactor.text(letter_text(letter), where)),
        ),
    )


def letter_text(letter: Letter) -> str:
    """The letter's words as plain text, from the template version it was made from."""
    values = parent_values(
        letter, letter.letter_date or timezone.localdate(), SchoolSettings.current()
    )
    try:
        source = letter.template_version
        heading = render_text(source.heading, values)
        body = render_text(source.body, values)
    except TemplateError:
        # A template that no longer renders still leaves the staff's own summary.
        return letter.summary
    return html.unescape(f"{heading}\n\n{body}")


def _extension(screenshot: Screenshot) -> str:
    return ".jpg" if screenshot.working_content_type == "image/jpeg" else ".png"
