"""Letter templates in the Django admin, for the Admin role: the wording of each kind of
letter, its versions, the placeholders it may use, and a preview on example details.

Letters themselves are not registered: they carry case content, which is not for the Admin
role (see brunswick/accounts/admin.py).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from jinja2 import TemplateError
from simple_history.admin import SimpleHistoryAdmin

from brunswick.school.models import SchoolSettings

from .models import LetterKind, LetterTemplate
from .placeholders import (
    PARENT_PLACEHOLDERS,
    REPORTER_PLACEHOLDERS,
    paragraphs,
    placeholders_for,
    render_text,
)
from .rendering import STATIC_ROOT, html_to_pdf, letter_html


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"  # As on letters: 3 March 2027, no leading zero.


def _demo_parent(today: date) -> dict[str, str]:
    """Example details for a letter to a parent: invented, never anyone's case."""
    return {
        "parent_name": "Sam Example",
        "parent_address": "12 Sample Street\nLondon\nSE5 0XX",
        "pupil_class": "Alex Example, Year 3",
        "letter_date": _long_date(today),
        "incident_date": _long_date(today - timedelta(days=10)),
        "group": "Year 3",
        "summary": "This is where the summary written by staff for this letter appears: what "
        "happened, in plain words.",
        "meeting_date": _long_date(today + timedelta(days=7)),
        "meeting_time": "09:15",
        "attendees": "the Head Teacher and the Deputy Head Teacher",
        "ban_start": _long_date(today + timedelta(days=1)),
        "ban_end": "until further notice",
        "review_date": _long_date(today + timedelta(days=42)),
        "representations_deadline": _long_date(today + timedelta(days=10)),
    }


def _demo_reporter(today: date) -> dict[str, str]:
    return {
        "reporter_name": "Robin Example",
        "report_reference": "BP-ABCD-2345",
        "report_date": _long_date(today - timedelta(days=12)),
        "letter_date": _long_date(today),
        "summary": "This is where the note written by staff for this letter appears.",
    }


def demo_values(kind: str, school: SchoolSettings, today: date) -> dict[str, str]:
    """A value for every placeholder the kind may use: the school's own details, the rest
    invented."""
    invented = _demo_reporter(today) if kind == LetterKind.REPORTER_NOTE else _demo_parent(today)
    own = {
        "school_name": school.name,
        "signatory_name": school.signatory_name,
        "signatory_role": school.signatory_role,
    }
    values = {**invented, **own}
    return {name: values[name] for name in placeholders_for(kind)}


@dataclass(frozen=True)
class PreviewLetter:
    """Stands in for a Letter on the page: only what letter.html reads. Nothing is saved."""

    addressee_name: str
    addressee_address: str
    code: str = "PREVIEW"
    version: int = 1


def preview_context(template: LetterTemplate, school: SchoolSettings, today: date) -> dict:
    """The context letters.content.letter_context builds, on example details."""
    values = demo_values(template.kind, school, today)
    name = values.get("parent_name") or values["reporter_name"]
    return {
        "school": school,
        "letter": PreviewLetter(name, values.get("parent_address", "1 Sample Road\nLondon")),
        "letter_date": values["letter_date"],
        "heading": render_text(template.heading, values),
        "body": paragraphs(render_text(template.body, values)),
        "static_root": str(STATIC_ROOT),
        "preview": True,  # letter.html marks every page: never to be posted.
    }


def _placeholder_list(placeholders: dict[str, str]) -> SafeString:
    rows = format_html_join("", "<li><code>{{{{ {} }}}}</code>: {}</li>", placeholders.items())
    return format_html('<ul class="letter-placeholders">{}</ul>', rows)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "heading", "updated_at")
    fields = ("kind", "heading", "body", "placeholders", "preview")
    readonly_fields = ("placeholders", "preview")
    # Saving runs LetterTemplate.clean(): syntax errors and placeholders the kind may not use
    # come back under the field, with their line.

    def get_readonly_fields(self, request: HttpRequest, obj: LetterTemplate | None = None):
        # Letters point at their template by kind: a saved template keeps its kind.
        return (*self.readonly_fields, "kind") if obj else self.readonly_fields

    @admin.display(description="Placeholders you can use")
    def placeholders(self, obj: LetterTemplate | None) -> SafeString:
        if obj and obj.pk:
            return _placeholder_list(placeholders_for(obj.kind))
        return format_html(
            "<p>In letters to a parent:</p>{}<p>In a note to the person who reported:</p>{}",
            _placeholder_list(PARENT_PLACEHOLDERS),
            _placeholder_list(REPORTER_PLACEHOLDERS),
        )

    @admin.display(description="Preview (as saved, on example details)")
    def preview(self, obj: LetterTemplate | None) -> SafeString:
        saved = LetterTemplate.objects.filter(pk=obj.pk).first() if obj and obj.pk else None
        if saved is None:
            return format_html("<p>{}</p>", "Save the template to see a preview.")
        try:
            context = preview_context(saved, SchoolSettings.current(), timezone.localdate())
        except TemplateError as error:  # Saved before today's checks: show, don't crash.
            return format_html("<p>This template cannot be shown: {}</p>", error)
        url = reverse("admin:letters_lettertemplate_preview", args=[saved.pk])
        return format_html(
            '<div class="letter-preview" style="max-width:40em">'
            "<p><strong>{}</strong></p>{}</div>"
            '<p><a href="{}" target="_blank" rel="noopener">Preview as PDF</a></p>',
            context["heading"],
            context["body"],
            url,
        )

    def get_urls(self):
        # Before the defaults: "<path:object_id>/" would otherwise take this URL.
        preview = path(
            "<int:object_id>/preview.pdf/",
            self.admin_site.admin_view(self.preview_pdf),
            name="letters_lettertemplate_preview",
        )
        return [preview, *super().get_urls()]

    def preview_pdf(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The saved template as a PDF on example details, marked as a preview. Not stored."""
        template = LetterTemplate.objects.filter(pk=object_id).first()
        if template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        try:
            context = preview_context(template, SchoolSettings.current(), timezone.localdate())
        except TemplateError as error:  # Saved before today's checks: say so on the form.
            self.message_user(request, f"This template cannot be shown: {error}", messages.ERROR)
            return redirect("admin:letters_lettertemplate_change", template.pk)
        response = HttpResponse(html_to_pdf(letter_html(context)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{template.kind}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response  # admin_view adds no-store (never_cache).
