"""The placeholders a letter template may use, and the sandbox that renders them.

Templates are written by the school's admin, so they run in Jinja's sandbox with no
globals, only these named strings in reach (never settings, models or files), undefined
names as errors, and every value HTML-escaped: what staff or parents typed is printed as
text, even if it looks like HTML or like a placeholder itself.
"""

import html
import re

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from .models import LetterKind

# Placeholders in letters to the parent a case is about. Nothing about who reported.
PARENT_PLACEHOLDERS: dict[str, str] = {
    "parent_name": "The parent's or carer's name",
    "parent_address": "Their postal address",
    "pupil_class": "Their child or children, and class",
    "letter_date": "The date on the letter",
    "incident_date": "The date of the incident (the first report on the case)",
    "group": "The class or year WhatsApp group",
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

_environment = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
_environment.globals.clear()  # No range(), lipsum(), namespace() and the like.


def placeholders_for(kind: str) -> dict[str, str]:
    return REPORTER_PLACEHOLDERS if kind == LetterKind.REPORTER_NOTE else PARENT_PLACEHOLDERS


def _line_of(source: str, name: str) -> int:
    match = re.search(r"\{\{[^}]*\b" + re.escape(name) + r"\b", source)
    return source[: match.start()].count("\n") + 1 if match else 1


def template_errors(kind: str, source: str, field: str) -> list[tuple[str, str]]:
    """(field, message) for each problem in a template's text: syntax errors with their
    line, and placeholders this kind of letter may not use."""
    try:
        parsed = _environment.parse(source)
    except TemplateSyntaxError as error:
        return [(field, f"Line {error.lineno}: {error.message}")]
    unknown = sorted(meta.find_undeclared_variables(parsed) - placeholders_for(kind).keys())
    message = "Line {line}: {{{{ {name} }}}} is not a placeholder this letter can use"
    return [(field, message.format(line=_line_of(source, name), name=name)) for name in unknown]


def render_text(source: str, values: dict[str, str]) -> Markup:
    """Render a template's text with plain-string values; the result is escaped HTML.

    Templates are plain text: the template's own words are escaped before rendering (so
    markup an admin types prints as typed), and autoescape escapes every value."""
    plain = html.escape(source, quote=False)
    return Markup(_environment.from_string(plain).render(**values))  # noqa: S704  # nosec B704


def paragraphs(rendered: Markup) -> Markup:
    """Blank lines separate paragraphs; single line breaks stay line breaks."""
    parts = re.split(r"\n\s*\n", str(rendered).replace("\r\n", "\n").strip())
    # Safe: `rendered` is already escaped; only <p> and <br> are added.
    return Markup(  # noqa: S704  # nosec B704
        "".join(f"<p>{part.strip().replace(chr(10), '<br>')}</p>" for part in parts if part.strip())
    )


__all__ = ["escape", "paragraphs", "placeholders_for", "render_text", "template_errors"]
