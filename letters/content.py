"""What goes into a letter: the placeholder values from the case, and the page around them."""

from datetime import date

from django.conf import settings

from brunswick.school.models import SchoolSettings

from .models import Letter, LetterKind
from .placeholders import paragraphs, render_text


def _day(value: date | None, missing: str = "") -> str:
    return f"{value.day} {value:%B %Y}" if value else missing


def parent_values(letter: Letter, on: date, school: SchoolSettings) -> dict[str, str]:
    """Values for a letter to the parent a case is about. Nothing about who reported."""
    case, step, person = letter.case, letter.step, letter.person
    first_report = case.reports.order_by("submitted_at").first()
    meeting = step.meeting_at if step else None
    return {
        "parent_name": letter.addressee_name,
        "parent_address": letter.addressee_address,
        "pupil_class": person.pupils.replace("\n", ", ") if person else "",
        "incident_date": _day(first_report.occurred_on) if first_report else "",
        "group": first_report.group_display.removeprefix("Other: ") if first_report else "",
        "meeting_date": _day(meeting.date()) if meeting else "",
        "meeting_time": f"{meeting:%H:%M}" if meeting else "",
        "attendees": step.attendees if step else "",
        "ban_start": _day(step.ban_starts_on) if step else "",
        "ban_end": _day(step.ban_ends_on, "until further notice") if step else "",
        "review_date": _day(step.review_on) if step else "",
        "representations_deadline": _day(step.representations_deadline) if step else "",
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


def letter_context(letter: Letter, on: date) -> dict:
    """Everything the letter page needs: letterhead, addressee, date, heading and body."""
    school = SchoolSettings.current()
    make = reporter_values if letter.kind == LetterKind.REPORTER_NOTE else parent_values
    values = make(letter, on, school)
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
