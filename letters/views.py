"""Staff pages for letters: draft one from a case, preview, edit, approve, correct."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from cases.selectors import get_case_for_user

from . import services
from .content import (
    FACTS,
    facts_stated,
    letter_page,
    prefilled_facts,
    reports_about,
)
from .forms import DraftForm, initial_reports
from .models import Letter, LetterKind, LetterTemplate
from .placeholders import long_date
from .selectors import get_letter_for_staff
from .steps import editable_facts, step_facts, step_for_letter, step_refusal

READERS = (Role.SLT, Role.HEAD_TEACHER)
REFILLED = (
    "The facts were filled in again from the reports you chose. Check them, then save the draft."
)


def _id(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _addressee(case, request):
    """The person (for a parent letter) or report (for a note to a reporter) on this case."""
    if person_id := _id(request.GET.get("person")):
        person = case.people.filter(id=person_id).first()
        if person:
            return {"person": person}, {
                "addressee_name": person.full_name,
                "addressee_address": person.postal_address,
                "addressee_email": person.email,
            }
    if report_id := _id(request.GET.get("report")):
        report = case.reports.filter(id=report_id).first()
        if report:
            return {"report": report}, {
                "addressee_name": report.reporter_name,
                "addressee_email": report.reporter_email,
            }
    raise Http404


def _case_reports(case, kind: str):
    """The reports a letter of this kind may be about; None for a note to a reporter."""
    if kind == LetterKind.REPORTER_NOTE:
        return None
    return case.reports.select_related("group").order_by("submitted_at", "id")


def _refill(request, form: DraftForm, person, step) -> DraftForm | None:
    """If staff ticked other reports than the facts came from, the form again with the facts
    filled in from those (nothing saved); otherwise None."""
    form.is_valid()
    if not form.reports_changed():
        return None
    messages.info(request, REFILLED)
    facts = prefilled_facts(person=person, step=step, reports=form.chosen_reports())
    return form.refilled(facts)


def _from_the_step(kind: str, step, stated: list[str]) -> list[tuple[str, str]]:
    """The facts the letter takes from its step (a ban's dates), as the draft shows them."""
    owned = step_facts(kind, step)
    rows = []
    for name in stated:
        if name in owned:
            value = owned[name]
            missing = "Until further notice" if name == "ban_ends_on" else "Not given"
            rows.append((FACTS[name][1], long_date(value) if value else missing))
    return rows


def _draft_page(request, form, case, kind, letter, *, step=None, stated=(), refusal=None):
    context = {
        "case": case,
        "form": form,
        "kind": LetterKind(kind),
        "letter": letter,
        "from_the_step": _from_the_step(kind, step, list(stated)),
        "refusal": refusal,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "letters/draft_form.html", context, status=status)


@never_cache
@staff_required(*READERS)
def letter_new(request, case_id: int):
    case = get_case_for_user(request.user, case_id)
    kind = request.GET.get("kind", "")
    if kind not in LetterKind.values:
        raise Http404
    who, initial = _addressee(case, request)
    if (kind == LetterKind.REPORTER_NOTE) != ("report" in who):
        raise Http404  # A note to a reporter goes to a reporter; other letters to a parent.
    person = who.get("person")
    step = step_for_letter(case, kind, person)
    people = [someone.id for someone in case.people.all()]
    refusal = step_refusal(kind, step, person, people)
    template = LetterTemplate.objects.filter(kind=kind).first()
    stated = facts_stated(kind, template.heading, template.body) if template else []
    page = {"step": step, "stated": stated}
    if refusal and request.method != "POST":  # Say why at once, rather than offer a form.
        return _draft_page(request, None, case, kind, None, refusal=refusal, **page)
    case_reports = _case_reports(case, kind)
    if case_reports is not None:
        about = reports_about(person, case_reports)
        initial |= prefilled_facts(person=person, step=step, reports=about)
        initial |= initial_reports(about)
    options = {"case_reports": case_reports, "stated": editable_facts(kind, stated)}
    form = DraftForm(request.POST or None, initial=initial, **options)
    if request.method == "POST":
        if refilled := _refill(request, form, person, step):
            return _draft_page(request, refilled, case, kind, None, **page)
        if form.is_valid():
            try:
                letter = services.letter_draft(
                    case=case,
                    kind=kind,
                    draft=form.draft(),
                    acting_user=request.user,
                    step=step,
                    **who,
                )
                messages.success(
                    request, "Draft saved. Check the preview, then send it for approval."
                )
                return redirect(letter)
            except services.LetterError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        elif refusal:  # Said with the form's own errors, so nothing typed is lost.
            form.add_error(None, refusal)
    return _draft_page(request, form, case, kind, None, **page)


@never_cache
@staff_required(*READERS)
def letter_detail(request, letter_id: int):
    letter = get_letter_for_staff(request.user, letter_id)
    audit_record(action=AuditEvent.Action.LETTER_VIEWED, obj=letter, actor=request.user)
    page = letter_page(letter)
    problem = page["problem"]
    may_approve = services.may_approve(request.user, letter)
    step_problem = (
        services.step_problem(letter, approving=may_approve) if letter.is_editable else None
    )
    context = {
        "letter": letter,
        "case": letter.case,
        "problem": services.cannot_be_used(problem) if problem else None,
        "step_problem": step_problem,
        "preview": page["preview"],
        "facts": page["facts"],
        "reports": letter.reports.order_by("submitted_at", "id"),
        "may_approve": may_approve,
        "needs_head_teacher": services.needs_head_teacher(letter),
        "versions": Letter.objects.filter(
            case=letter.case, kind=letter.kind, person=letter.person, report=letter.report
        )
        .order_by("version")
        .only("id", "version", "status"),
    }
    return render(request, "letters/letter_detail.html", context)


@never_cache
@staff_required(*READERS)
def letter_edit(request, letter_id: int):
    letter = get_letter_for_staff(request.user, letter_id)
    if not letter.is_editable:
        messages.info(
            request, "This letter is approved and can no longer change: make a corrected version."
        )
        return redirect(letter)
    version = letter.template_version
    stated = facts_stated(letter.kind, version.heading, version.body)
    page = {"step": letter.step, "stated": stated}
    case_reports = _case_reports(letter.case, letter.kind)
    initial = {name: getattr(letter, name) for name in (*services.WRITTEN, *FACTS)}
    initial |= initial_reports(letter.reports.all())
    options = {"case_reports": case_reports, "stated": editable_facts(letter.kind, stated)}
    form = DraftForm(request.POST or None, initial=initial, **options)
    if request.method == "POST":
        if refilled := _refill(request, form, letter.person, letter.step):
            return _draft_page(request, refilled, letter.case, letter.kind, letter, **page)
        if form.is_valid():
            try:
                services.letter_edit(letter=letter, draft=form.draft(), acting_user=request.user)
                messages.success(request, "Draft saved.")
                return redirect(letter)
            except services.LetterError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
    return _draft_page(request, form, letter.case, letter.kind, letter, **page)


@never_cache
@staff_required(*READERS)
def letter_preview(request, letter_id: int):
    """The letter as a PDF, made now and not kept; opening it is audited."""
    letter = get_letter_for_staff(request.user, letter_id)
    try:
        content = services.letter_preview_pdf(letter=letter, acting_user=request.user)
    except services.LetterError as error:  # Its template cannot be used: say why.
        messages.error(request, error.message)
        return redirect(letter)
    except Exception:  # A render timeout or a WeasyPrint failure: tell staff, don't crash.
        messages.error(
            request,
            "The preview could not be made. Try again, and if it fails again ask the "
            "admin to check the letter's template.",
        )
        return redirect(letter)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.code}-preview.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


ACTIONS = {
    "send_for_approval": (
        services.letter_send_for_approval,
        "Sent to the Head Teacher for approval.",
    ),
    "approve": (
        services.letter_approve,
        "Approved. The PDF is being made for the office to print.",
    ),
    "retry": (services.letter_render_retry, "Trying again to make the PDF."),
    "correct": (services.letter_correct, "A corrected version was drafted. The original is kept."),
}


@staff_required(*READERS)
@require_POST
def letter_action(request, letter_id: int, action: str):
    letter = get_letter_for_staff(request.user, letter_id)
    act, done = ACTIONS[action]
    try:
        result = act(letter=letter, acting_user=request.user)
    except PermissionDenied:
        raise
    except services.LetterError as error:
        messages.error(request, error.message)
        return redirect(letter)
    messages.success(request, done)
    return redirect(result)
