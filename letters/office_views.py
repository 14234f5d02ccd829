"""The office's print queue: download, print, post and e-mail approved letters. The office
sees the addressee and the letter's kind, never the case, its reports or who reported."""

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from types import SimpleNamespace

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.accounts.access import staff_required
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.forms import GovukDateField

from .models import Letter
from .printing import print_run_pdf
from .selectors import OFFICE_ROLES, get_letter_for_office, letters_to_print, office_queue
from .services import LetterError, letter_email, letter_mark_posted, letter_mark_printed

PAGE = "letters/office_queue.html"
NOTHING_SELECTED = "Select the letters to print"
NO_LONGER_WAITING = "None of the letters you selected is waiting to be printed any more"


class PostedForm(forms.Form):
    posted_on = GovukDateField(
        label="Date posted",
        subject="The date posted",
        hint="",
        required_message="Enter the date the letter was posted",
    )

    def __init__(self, *args, letter: Letter, **kwargs):
        # One form per letter on the page: the prefix keeps their fields apart.
        super().__init__(*args, prefix=f"letter-{letter.id}", **kwargs)
        self.letter_id = letter.id


@dataclass(frozen=True)
class Problem:
    """One line of the error summary; `anchor` is the id of the field it is about, if any."""

    message: str
    anchor: str = ""


@dataclass(frozen=True)
class QueueRow:
    letter: Letter
    posted_form: PostedForm
    # The form's date field, already rendered; None for a refused form (it shows errors).
    posted_field: str | None = None


_ROW = "ROW-PREFIX-0"  # Stands in for a letter's id while the shared field is rendered.


def _posted_field_renderer(today) -> Callable[[Letter], str]:
    """The "date posted" field of a row, rendered by crispy-forms once per page and given
    each letter's own prefix. Every unrefused row shows the same date and no error, and
    rendering the field per row was most of the page's time with sixty letters waiting
    (docs/performance.md)."""
    sample = PostedForm(letter=SimpleNamespace(id=_ROW), initial={"posted_on": today})
    html = str(as_crispy_field(sample["posted_on"]))

    def for_letter(letter: Letter) -> str:
        # Reviewed: crispy-forms' escaped output, with one integer (the id) put in.
        return mark_safe(html.replace(f"letter-{_ROW}-", f"letter-{letter.id}-"))  # noqa: S308  # nosec B308 B703

    return for_letter


def _queue_page(
    request, *, failed: PostedForm | None = None, problems: list[Problem] | None = None
) -> HttpResponse:
    """The queue, with a form that was refused (and what was typed in it) in its row."""
    queue = office_queue(request.user)
    today = timezone.localdate()
    posted_field = _posted_field_renderer(today)
    rows = [
        QueueRow(letter, failed, None)
        if failed and failed.letter_id == letter.id
        else QueueRow(
            letter, PostedForm(letter=letter, initial={"posted_on": today}), posted_field(letter)
        )
        for letter in queue.to_print
    ]
    problems = (problems or []) + (_form_problems(failed) if failed else [])
    context = {"queue": queue, "rows": rows, "problems": problems}
    return render(request, PAGE, context, status=400 if problems else 200)


def _form_problems(form: PostedForm) -> list[Problem]:
    # The box the error is about (GovukDateField marks it), else the day box, where the
    # date starts: GOV.UK Frontend focuses it when the summary's link is followed.
    boxes = form.fields["posted_on"].fields
    index = next((i for i, box in enumerate(boxes) if box.widget.errors), 0)
    anchor = f"{form['posted_on'].auto_id}_{index}"
    field_errors = [Problem(message, anchor) for message in form.errors.get("posted_on", [])]
    return [Problem(message) for message in form.non_field_errors()] + field_errors


@never_cache
@staff_required(*OFFICE_ROLES)
def queue(request):
    return _queue_page(request)


@never_cache
@staff_required(*OFFICE_ROLES)
def letter_pdf(request, letter_id: int):
    """The stored PDF, unchanged. Opening it is an audit event."""
    letter = get_letter_for_office(request.user, letter_id)
    if not letter.pdf:  # Still being made, or failed: nothing to serve.
        raise Http404
    audit_record(action=AuditEvent.Action.LETTER_DOWNLOADED, obj=letter, actor=request.user)
    filename = f"{letter.code}-v{letter.version}.pdf"
    return _pdf_response(letter.pdf.open("rb"), filename)


def _pdf_response(content, filename: str) -> FileResponse:
    # Inline, so the browser's viewer opens it ready to print; never cached on a shared PC.
    response = FileResponse(content, content_type="application/pdf", filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


def _selected_ids(request) -> list[int]:
    # Anything that is not a plausible id is ignored, like the id of a letter not waiting.
    values = request.POST.getlist("letter")
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 16]


@never_cache
@staff_required(*OFFICE_ROLES)
@require_POST
def bulk_print(request):
    """One PDF of the selected letters that are still waiting, in queue order."""
    ids = _selected_ids(request)
    letters = letters_to_print(request.user, ids) if ids else []
    if not letters:
        problem = NO_LONGER_WAITING if ids else NOTHING_SELECTED
        return _queue_page(request, problems=[Problem(problem, "letter")])
    content = print_run_pdf(letters)
    with transaction.atomic():  # Either every letter in the run is recorded, or none.
        for letter in letters:
            audit_record(
                action=AuditEvent.Action.LETTER_DOWNLOADED,
                obj=letter,
                actor=request.user,
                print_run=len(letters),
            )
    filename = f"letters-{timezone.localdate():%Y-%m-%d}.pdf"
    return _pdf_response(BytesIO(content), filename)


@never_cache
@staff_required(*OFFICE_ROLES)
@require_POST
def mark_printed(request, letter_id: int):
    letter = get_letter_for_office(request.user, letter_id)
    try:
        letter_mark_printed(letter=letter, acting_user=request.user)
    except LetterError as error:
        return _queue_page(request, problems=[Problem(error.message)])
    messages.success(request, f"The letter to {letter.addressee_name} is marked as printed.")
    return redirect("office:queue")


@never_cache
@staff_required(*OFFICE_ROLES)
@require_POST
def mark_posted(request, letter_id: int):
    letter = get_letter_for_office(request.user, letter_id)
    form = PostedForm(request.POST, letter=letter)
    if form.is_valid():
        posted_on = form.cleaned_data["posted_on"]
        try:
            letter_mark_posted(letter=letter, posted_on=posted_on, acting_user=request.user)
        except LetterError as error:
            form.add_error("posted_on" if error.field == "posted_on" else None, error.message)
        else:
            messages.success(
                request,
                f"The letter to {letter.addressee_name} is marked as posted on "
                f"{posted_on.day} {posted_on:%B %Y}.",
            )
            return redirect("office:queue")
    return _queue_page(request, failed=form)


@never_cache
@staff_required(*OFFICE_ROLES)
@require_POST
def email(request, letter_id: int):
    """The PDF goes by e-mail through the outbox; the letter shows as e-mailed once sent."""
    letter = get_letter_for_office(request.user, letter_id)
    try:
        letter_email(letter=letter, acting_user=request.user)
    except LetterError as error:
        return _queue_page(request, problems=[Problem(error.message)])
    messages.success(
        request,
        f"The letter to {letter.addressee_name} is being e-mailed to {letter.addressee_email}.",
    )
    return redirect("office:queue")
