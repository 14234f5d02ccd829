"""The placeholders a letter template may use, an example value for each, and the one check
of whether a template's text can be rendered (`template_problems`, `render_problem`).

Templates are written by the school's admin, so they run in the sandbox of
letters/sandbox.py: only these named strings in reach (never settings, models or files),
undefined names as errors, and every value HTML-escaped: what staff or parents typed is
printed as text, even if it looks like HTML or like a placeholder itself.
"""

import re
from collections.abc import Mapping
from datetime import date, timedelta

from django.utils import timezone
from markupsafe import Markup, escape

from . import sandbox
from .models import LetterKind

# Placeholders in letters to the parent a case is about. Nothing about who reported.
PARENT_PLACEHOLDERS: dict[str, str] = {
    "parent_name": "The parent's or carer's name",
    "parent_address": "Their postal address",
    "pupil_class": "Their child or children, and class",
    "letter_date": "The date on the letter",
    "incident_date": "The date of the incident (from the report the letter is about)",
    "group": "The class or year WhatsApp group",
    "incident_posted": "What was posted, in staff's words",
    "summary": "What happened, written by staff for this letter",
    "meeting_date": "The meeting's date",
    "meeting_time": "The meeting's time",
    "attendees": "Who will attend the meeting",
    "ban_start": "The first day of the site ban",
    "ban_end": "The last day of the site ban (or 'until further notice')",
    "review_date": "When the ban will be reviewed",
    "representations_deadline": "The deadline for the parent's representations",
    "school_name": "The school's name",
    "signatory_name": "Who signs the letter",
    "signatory_role": "Their role",
}
# A note to the person who reported reveals nothing about action taken against another parent.
REPORTER_PLACEHOLDERS: dict[str, str] = {
    "reporter_name": "The name of the person who reported",
    "report_reference": "Their report's reference",
    "report_date": "The date they sent the report",
    "letter_date": "The date on the letter",
    "summary": "A note written by staff for this letter",
    "school_name": "The school's name",
    "signatory_name": "Who signs the letter",
    "signatory_role": "Their role",
}
# The school's own details, when there is no school to hand (checking a template).
EXAMPLE_SCHOOL = {
    "school_name": "Example Primary School",
    "signatory_name": "Ms Example",
    "signatory_role": "Head Teacher",
}


def placeholders_for(kind: str) -> dict[str, str]:
    return REPORTER_PLACEHOLDERS if kind == LetterKind.REPORTER_NOTE else PARENT_PLACEHOLDERS


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"  # As on letters: 3 March 2027, no leading zero.


def _parent_examples(today: date) -> dict[str, str]:
    """Example details for a letter to a parent: invented, never anyone's case."""
    return {
        "parent_name": "Sam Example",
        "parent_address": "12 Sample Street\nLondon\nSE5 0XX",
        "pupil_class": "Alex Example, Year 3",
        "letter_date": long_date(today),
        "incident_date": long_date(today - timedelta(days=10)),
        "group": "Year 3",
        "incident_posted": "messages calling the class teacher names",
        "summary": "This is where the summary written by staff for this letter appears: what "
        "happened, in plain words.",
        "meeting_date": long_date(today + timedelta(days=7)),
        "meeting_time": "09:15",
        "attendees": "the Head Teacher and the Deputy Head Teacher",
        "ban_start": long_date(today + timedelta(days=1)),
        "ban_end": "until further notice",
        "review_date": long_date(today + timedelta(days=42)),
        "representations_deadline": long_date(today + timedelta(days=10)),
    }


def _reporter_examples(today: date) -> dict[str, str]:
    return {
        "reporter_name": "Robin Example",
        "report_reference": "BP-ABCD-2345",
        "report_date": long_date(today - timedelta(days=12)),
        "letter_date": long_date(today),
        "summary": "This is where the note written by staff for this letter appears.",
    }


def sample_values(kind: str, today: date, school=None) -> dict[str, str]:
    """A value for every placeholder the kind may use: the school's own details (or an
    example school's), the rest invented. The admin's preview and the template check both
    use these."""
    invented = (
        _reporter_examples(today) if kind == LetterKind.REPORTER_NOTE else _parent_examples(today)
    )
    own = EXAMPLE_SCHOOL
    if school is not None:
        own = {
            "school_name": school.name,
            "signatory_name": school.signatory_name,
            "signatory_role": school.signatory_role,
        }
    values = {**invented, **own}
    return {name: values[name] for name in placeholders_for(kind)}


# The most each field may hold, checked before anything is parsed: a stored text of any
# size is refused at once, on every page. The heading is one line (LetterTemplate.heading);
# a body of four full pages is about 10,000 characters.
LENGTHS = {"heading": 200, "body": sandbox.MAX_CHARACTERS}


def _too_long(field: str, source: str) -> str | None:
    limit = LENGTHS[field]
    if len(source) <= limit:
        return None
    return (
        f"The {field} is too long for a letter: it has {len(source):,} characters, and can "
        f"have at most {limit:,}. Shorten it."
    )


def template_problems(
    kind: str, heading: str, body: str, values: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """The one check of whether a template's text can be used, as messages per field
    ("heading", "body"), each "Line N: ..." (or about the whole field, such as its length).
    The text must be no longer than LENGTHS, pass the sandbox's checks, use only the kind's
    placeholders, and render: with `values` (a real letter's), or else with the example
    values and again with every placeholder blank (a real letter may leave one blank)."""
    allowed = placeholders_for(kind).keys()
    trials = (
        [values]
        if values is not None
        else [sample_values(kind, timezone.localdate()), dict.fromkeys(allowed, "")]
    )
    found: dict[str, list[str]] = {}
    for field, source in (("heading", heading), ("body", body)):
        if too_long := _too_long(field, source):
            found[field] = [too_long]
            continue
        messages = [str(problem) for problem in sandbox.problems(source, allowed)]
        messages = messages or _render_messages(source, trials)
        if messages:
            found[field] = messages
    return found


def _render_messages(source: str, trials: list[Mapping[str, str]]) -> list[str]:
    for values in trials:
        try:
            sandbox.render(source, values)
        except sandbox.TemplateProblem as problem:
            return [str(problem)]
    return []


def render_problem(
    kind: str, heading: str, body: str, values: Mapping[str, str] | None = None
) -> str | None:
    """What stops this text being rendered, in one sentence for a page; None if nothing
    does. See template_problems."""
    found = template_problems(kind, heading, body, values)
    if not found:
        return None
    message = f"In the heading: {found['heading'][0]}" if "heading" in found else found["body"][0]
    return message if message.endswith(".") else f"{message}."


def placeholders_used(heading: str, body: str) -> set[str]:
    return sandbox.names_used(heading) | sandbox.names_used(body)


def render_text(source: str, values: dict[str, str]) -> Markup:
    """Render a template's text with plain-string values; the result is escaped HTML.
    Raises sandbox.TemplateProblem (a jinja2.TemplateError) if it cannot be rendered.

    Templates are plain text: the template's own words are escaped before rendering (so
    markup an admin types prints as typed), and autoescape escapes every value."""
    return sandbox.render(source, values)


def paragraphs(rendered: Markup) -> Markup:
    """Blank lines separate paragraphs; single line breaks stay line breaks."""
    parts = re.split(r"\n\s*\n", str(rendered).replace("\r\n", "\n").strip())
    # Safe: `rendered` is already escaped; only <p> and <br> are added.
    return Markup(  # noqa: S704  # nosec B704
        "".join(f"<p>{part.strip().replace(chr(10), '<br>')}</p>" for part in parts if part.strip())
    )


__all__ = [
    "escape",
    "paragraphs",
    "placeholders_for",
    "placeholders_used",
    "render_problem",
    "render_text",
    "sample_values",
    "template_problems",
]
