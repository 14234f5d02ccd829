"""What goes into a letter: the facts it states (stored on the letter, prefilled from the
reports it is about, the step and the person), the placeholder values made from them, and
the page around them."""

import re
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils import timezone

from brunswick.school.models import SchoolSettings
from cases.models import LadderStep, Person

from .models import Letter, LetterKind
from .placeholders import paragraphs, placeholders_used, render_problem, render_text

# Each fact a letter can state: the Letter field that holds it, the placeholder that prints
# it, and what staff see it called.
FACTS: dict[str, tuple[str, str]] = {
    "incident_on": ("incident_date", "Date of the incident"),
    "incident_group": ("group", "WhatsApp group"),
    "incident_posted": ("incident_posted", "What was posted"),
    "pupil_class": ("pupil_class", "Child or children, and class"),
    "meeting_on": ("meeting_date", "Date of the meeting"),
    "meeting_time": ("meeting_time", "Time of the meeting"),
    "attendees": ("attendees", "Who will attend the meeting"),
    "ban_starts_on": ("ban_start", "First day of the ban"),
    "ban_ends_on": ("ban_end", "Last day of the ban"),
    "review_on": ("review_date", "Review date"),
    "representations_deadline": ("representations_deadline", "Deadline for representations"),
}


def _day(value: date | None, missing: str = "") -> str:
    return f"{value.day} {value:%B %Y}" if value else missing


def facts_stated(kind: str, heading: str, body: str) -> list[str]:
    """The Letter fields whose facts this wording prints, in FACTS order. A note to a
    reporter states none of them."""
    if kind == LetterKind.REPORTER_NOTE:
        return []
    used = placeholders_used(heading, body)
    return [field for field, (placeholder, _label) in FACTS.items() if placeholder in used]


def _names_of(person: Person) -> list[str]:
    names = [person.full_name, *person.group_names.splitlines()]
    return [" ".join(name.lower().split()) for name in names if len(name.strip()) >= 3]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def is_about(report, person: Person | None) -> bool:
    """Whether the report's "who posted it" names this person: their name or a name they use
    in the groups, as whole words, or the same phone number (its last 10 digits)."""
    if person is None or not report.posted_by.strip():
        return False
    posted = " ".join(report.posted_by.lower().split())
    for name in _names_of(person):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", posted):
            return True
        number = _digits(name)
        if len(number) >= 10 and number[-10:] in _digits(posted):
            return True
    return False


def reports_about(person: Person | None, reports: Iterable) -> list:
    """The reports a letter to this person is about, to start with: those that name them,
    or the only report if the case has one."""
    reports = list(reports)
    about = [report for report in reports if is_about(report, person)]
    return about or (reports if len(reports) == 1 else [])


def _groups(reports: list) -> str:
    names = [report.group_display.removeprefix("Other: ") for report in reports]
    unique = list(dict.fromkeys(names))  # Each group once, in the reports' order.
    if len(unique) <= 2:
        return " and ".join(unique)
    return f"{', '.join(unique[:-1])} and {unique[-1]}"


def prefilled_facts(*, person: Person | None, step: LadderStep | None, reports: list) -> dict:
    """Every fact, as the chosen reports, the step and the person give it, for staff to
    check and correct. What was posted is left for staff to write in their own words."""
    meeting = timezone.localtime(step.meeting_at) if step and step.meeting_at else None
    return {
        "incident_on": min((report.occurred_on for report in reports), default=None),
        "incident_group": _groups(reports),
        "incident_posted": "",
        "pupil_class": ", ".join(person.pupils.splitlines()) if person else "",
        "meeting_on": meeting.date() if meeting else None,
        "meeting_time": f"{meeting:%H:%M}" if meeting else "",
        "attendees": step.attendees if step else "",
        "ban_starts_on": step.ban_starts_on if step else None,
        "ban_ends_on": step.ban_ends_on if step else None,
        "review_on": step.review_on if step else None,
        "representations_deadline": step.representations_deadline if step else None,
    }


def parent_values(letter: Letter, on: date, school: SchoolSettings) -> dict[str, str]:
    """Values for a letter to the parent a case is about: the facts stored on the letter,
    never read again from the case. Nothing about who reported."""
    # "Until further notice" only says something about a ban that has started.
    open_ended = "until further notice" if letter.ban_starts_on else ""
    return {
        "parent_name": letter.addressee_name,
        "parent_address": letter.addressee_address,
        "pupil_class": letter.pupil_class,
        "incident_date": _day(letter.incident_on),
        "group": letter.incident_group,
        "incident_posted": letter.incident_posted,
        "meeting_date": _day(letter.meeting_on),
        "meeting_time": letter.meeting_time,
        "attendees": letter.attendees,
        "ban_start": _day(letter.ban_starts_on),
        "ban_end": _day(letter.ban_ends_on, open_ended),
        "review_date": _day(letter.review_on),
        "representations_deadline": _day(letter.representations_deadline),
        **_common(letter, on, school),
    }


def reporter_values(letter: Letter, on: date, school: SchoolSettings) -> dict[str, str]:
    report = letter.report
    return {
        "reporter_name": letter.addressee_name,
        "report_reference": report.reference,
        "report_date": _day(report.submitted_at.date()),
        **_common(letter, on, school),
    }


def _common(letter: Letter, on: date, school: SchoolSettings) -> dict[str, str]:
    return {
        "letter_date": _day(on),
        "summary": letter.summary,
        "school_name": school.name,
        "signatory_name": school.signatory_name,
        "signatory_role": school.signatory_role,
    }


def letter_values(letter: Letter, on: date, school: SchoolSettings) -> dict[str, str]:
    make = reporter_values if letter.kind == LetterKind.REPORTER_NOTE else parent_values
    return make(letter, on, school)


def _fact_rows(letter: Letter, values: dict[str, str]) -> list[tuple[str, str]]:
    source = letter.template_version
    stated = facts_stated(letter.kind, source.heading, source.body)
    return [(FACTS[name][1], values[FACTS[name][0]] or "Not given") for name in stated]


def letter_problem(letter: Letter) -> str | None:
    """What stops this letter's text being rendered (its template version, with its own
    values), or None."""
    school = SchoolSettings.current()
    values = letter_values(letter, letter.letter_date or timezone.localdate(), school)
    source = letter.template_version
    return render_problem(letter.kind, source.heading, source.body, values)


def letter_page(letter: Letter) -> dict:
    """For the letter's page: what stops its text being rendered (or None), its wording
    (None if it cannot be rendered), and each fact it states, as it prints."""
    school = SchoolSettings.current()
    values = letter_values(letter, letter.letter_date or timezone.localdate(), school)
    source = letter.template_version
    problem = render_problem(letter.kind, source.heading, source.body, values)
    return {
        "problem": problem,
        "preview": None if problem else _context(letter, school, values),
        "facts": _fact_rows(letter, values),
    }


def letter_context(letter: Letter, on: date) -> dict:
    """Everything the letter page needs: letterhead, addressee, date, heading and body.
    Raises a jinja2.TemplateError if the text cannot be rendered (see letter_problem)."""
    school = SchoolSettings.current()
    return _context(letter, school, letter_values(letter, on, school))


def _context(letter: Letter, school: SchoolSettings, values: dict[str, str]) -> dict:
    # The wording is the template version this letter was made from, not today's template.
    source = letter.template_version
    return {
        "school": school,
        "letter": letter,
        "letter_date": values["letter_date"],
        "heading": render_text(source.heading, values),
        "body": paragraphs(render_text(source.body, values)),
        "static_root": str(settings.BASE_DIR / "static"),
    }
