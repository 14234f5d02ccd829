"""Letter templates in the Django admin, for the Admin role: the wording of each kind of
letter, its versions, the placeholders it may use, and a preview on example details.

Letters themselves are not registered: they carry case content, which is not for the Admin
role (see brunswick/accounts/admin.py).
"""

from dataclasses import dataclass
from datetime import date

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

from brunswick.audit.admin import AuditedAdmin
from brunswick.school.models import SchoolSettings

from .models import LetterTemplate
from .placeholders import (
    PARENT_PLACEHOLDERS,
    REPORTER_PLACEHOLDERS,
    paragraphs,
    placeholders_for,
    render_problem,
    render_text,
    sample_values,
)
from .rendering import STATIC_ROOT, html_to_pdf, letter_html

CANNOT_BE_SHOWN = "This template cannot be shown: {}"


@dataclass(frozen=True)
class PreviewLetter:
    """Stands in for a Letter on the page: only what letter.html reads. Nothing is saved."""

    addressee_name: str
    addressee_address: str
    code: str = "PREVIEW"
    version: int = 1


def preview_context(template: LetterTemplate, school: SchoolSettings, today: date) -> dict:
    """The context letters.content.letter_context builds, on example details."""
    values = sample_values(template.kind, today, school)
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


def _preview_on_examples(template: LetterTemplate) -> dict:
    return preview_context(template, SchoolSettings.current(), timezone.localdate())


def _placeholder_list(placeholders: dict[str, str]) -> SafeString:
    rows = format_html_join("", "<li><code>{{{{ {} }}}}</code>: {}</li>", placeholders.items())
    return format_html('<ul class="letter-placeholders">{}</ul>', rows)


def template_problem(template: LetterTemplate) -> str | None:
    """Why this saved wording cannot be shown, for the admin's pages (rows saved before the
    checks, or written straight to the database); None if it can."""
    return render_problem(template.kind, template.heading, template.body)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("__str__", "heading", "updated_at", "problem")
    fields = ("kind", "heading", "body", "placeholders", "preview")
    readonly_fields = ("placeholders", "preview")
    # Saving (and reverting to an old version) runs LetterTemplate.clean(): the wording is
    # checked in the letters' sandbox and rendered on example details; each problem comes
    # back under its field, with its line. No page here renders wording without asking
    # template_problem first, so a broken row shows a message, never an error page.
    # Each save (a revert too) is a SETTINGS_CHANGED audit event (AuditedAdmin).

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

    @admin.display(description="Can it be used?")
    def problem(self, obj: LetterTemplate) -> str:
        problem = template_problem(obj)
        return CANNOT_BE_SHOWN.format(problem) if problem else "Yes"

    @admin.display(description="Preview (as saved, on example details)")
    def preview(self, obj: LetterTemplate | None) -> SafeString:
        saved = LetterTemplate.objects.filter(pk=obj.pk).first() if obj and obj.pk else None
        if saved is None:
            return format_html("<p>{}</p>", "Save the template to see a preview.")
        try:
            problem = template_problem(saved)
            context = None if problem else _preview_on_examples(saved)
        except TemplateError as error:  # The school's own details broke it: say so.
            problem, context = str(error), None
        if context is None:
            return format_html('<p class="letter-problem">{}</p>', CANNOT_BE_SHOWN.format(problem))
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

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        if not object_id.isdigit():
            raise Http404  # Not an id: simple-history's lookup would crash on it.
        template = LetterTemplate.objects.filter(pk=object_id).first()
        if template is not None and (problem := template_problem(template)):
            self.message_user(request, CANNOT_BE_SHOWN.format(problem), messages.WARNING)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, **kwargs):
        # One old version, with a button to revert to it: reverting saves through the form,
        # so LetterTemplate.clean() refuses a version that cannot be rendered.
        if not (object_id.isdigit() and version_id.isdigit()):
            raise Http404
        return super().history_form_view(request, object_id, version_id, **kwargs)

    def preview_pdf(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The saved template as a PDF on example details, marked as a preview. Not stored."""
        template = LetterTemplate.objects.filter(pk=object_id).first()
        if template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        content, problem = b"", template_problem(template)
        if problem is None:
            try:
                content = html_to_pdf(letter_html(_preview_on_examples(template)))
            except TemplateError as error:  # The school's own details broke it.
                problem = str(error)
            except Exception:  # WeasyPrint failed or took too long: say so, don't crash.
                problem = "the PDF could not be made. Try again in a minute."
        if problem:  # Say so on the form.
            self.message_user(request, CANNOT_BE_SHOWN.format(problem), messages.ERROR)
            return redirect("admin:letters_lettertemplate_change", template.pk)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{template.kind}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response  # admin_view adds no-store (never_cache).
