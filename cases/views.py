"""Staff pages for cases: the list, a case with its timeline, and the actions on it.
Each action view parses its form, makes one call into cases/ladder.py or cases/services.py,
and turns a refusal by the policy's rules into a message on the form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent

from . import ladder, services
from .forms import CloseCaseForm, DecisionForm, LeadForm, LinkPersonForm, ReopenCaseForm
from .models import Case, LadderStep
from .selectors import case_decision, case_events, get_case_for_user

READERS = (Role.SLT, Role.HEAD_TEACHER)


def refused(form, error: ladder.LadderError) -> None:
    """Show a rule's refusal next to the field it is about, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@never_cache
@staff_required(*READERS)
def case_list(request):
    show = request.GET.get("show", "open")
    cases = Case.objects.select_related("lead").order_by("-opened_at")
    if show == "mine":
        cases = cases.open().led_by(request.user)
    elif show == "closed":
        cases = cases.filter(status=Case.Status.CLOSED)
    else:
        show, cases = "open", cases.open()
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {"page": page, "show": show})


def _case_page(request, case, status=200, **forms):
    lead_form = forms.get("lead_form") or LeadForm(
        initial={"version": case.version, "lead": case.lead_id}
    )
    person_form = forms.get("person_form") or LinkPersonForm(initial={"version": case.version})
    close_form = forms.get("close_form") or CloseCaseForm(initial={"version": case.version})
    action_forms = [lead_form, person_form, close_form]
    reopenings = list(case.reopenings.all())
    context = {
        "case": case,
        "decision": case_decision(case),
        "reopened": reopenings[-1] if reopenings and case.status == Case.Status.OPEN else None,
        "events": case_events(case),
        "next_rung": ladder.next_rung_from(case.steps.all()),
        "step_choices": [(k.value, k.label, ladder.RUNGS.get(k)) for k in LadderStep.Kind],
        "is_head_teacher": request.user.is_head_teacher(),
        "lead_form": lead_form,
        "person_form": person_form,
        "close_form": close_form,
        "action_forms": action_forms,
        "has_errors": any(form.errors for form in action_forms),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@never_cache
@staff_required(*READERS)
def case_detail(request, case_id: int):
    case = get_case_for_user(request.user, case_id)
    audit_record(action=AuditEvent.Action.CASE_VIEWED, obj=case, actor=request.user)
    return _case_page(request, case)


def _case_action(request, case_id: int, form_class, form_name: str, act):
    """POST-only action on a case page: on success redirect, on refusal show the page."""
    case = get_case_for_user(request.user, case_id)
    if request.method != "POST":
        return redirect(case)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(case, form)
            return redirect(case)
        except ladder.LadderError as error:
            refused(form, error)
    return _case_page(
        request, get_case_for_user(request.user, case_id), status=400, **{form_name: form}
    )


@staff_required(*READERS)
def case_change_lead(request, case_id: int):
    def act(case, form):
        services.case_assign_lead(
            case=case,
            version=form.cleaned_data["version"],
            lead=form.cleaned_data["lead"],
            acting_user=request.user,
        )
        messages.success(request, f"{form.cleaned_data['lead']} now leads the case.")

    return _case_action(request, case_id, LeadForm, "lead_form", act)


@staff_required(*READERS)
def case_add_person(request, case_id: int):
    def act(case, form):
        person = form.cleaned_data["person"]
        services.case_link_person(
            case=case, version=form.cleaned_data["version"], person=person, acting_user=request.user
        )
        messages.success(request, f"{person} added to the case.")

    return _case_action(request, case_id, LinkPersonForm, "person_form", act)


@staff_required(*READERS)
def case_close(request, case_id: int):
    def act(case, form):
        ladder.case_close(case=case, version=form.cleaned_data["version"], acting_user=request.user)
        messages.success(request, "The case is closed. Its reporters now see that it has finished.")

    return _case_action(request, case_id, CloseCaseForm, "close_form", act)


DECISION_FIELDS = ("outcome", "reasons", "decided_on", "ban_starts_on", "ban_ends_on")


def _decision_initial(case, decision, ban) -> dict:
    """The form starts from the decision as it stands; a site ban's dates from the ban the
    Head Teacher approved, when the decision does not have them yet."""
    initial = {"version": case.version}
    if decision:
        initial.update({f: getattr(decision, f) for f in DECISION_FIELDS})
    if ban and not initial.get("ban_starts_on"):
        initial.update({"ban_starts_on": ban.ban_starts_on, "ban_ends_on": ban.ban_ends_on})
    return initial


@never_cache
@staff_required(Role.HEAD_TEACHER)
def case_decide(request, case_id: int):
    """Only the Head Teacher records or changes the final decision."""
    case = get_case_for_user(request.user, case_id)
    decision = case_decision(case)
    ban = ladder.ban_in_effect(case)
    form = DecisionForm(request.POST or None, initial=_decision_initial(case, decision, ban))
    if request.method == "POST" and form.is_valid():
        try:
            ladder.case_decide(
                case=case,
                version=form.cleaned_data["version"],
                details=form.details(),
                acting_user=request.user,
            )
            messages.success(request, "The final decision is recorded.")
            return redirect(case)
        except ladder.LadderError as error:
            refused(form, error)
    reopenings = list(case.reopenings.all())
    context = {
        "case": case,
        "form": form,
        "decision": decision,
        "ban": ban,
        "ban_period": ladder.ban_period(ban) if ban else "",
        "reopened": reopenings[-1] if reopenings and case.status == Case.Status.OPEN else None,
        "closed_message": ladder.CLOSED_MESSAGE if case.status == Case.Status.CLOSED else "",
    }
    status = 400 if form.errors else 200
    return render(request, "cases/decision_form.html", context, status=status)


@never_cache
@staff_required(Role.HEAD_TEACHER)
def case_reopen(request, case_id: int):
    """Only the Head Teacher reopens a closed case, with a reason. An open case has nothing
    to reopen: back to its page."""
    case = get_case_for_user(request.user, case_id)
    if case.status != Case.Status.CLOSED and request.method != "POST":
        return redirect(case)
    form = ReopenCaseForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            ladder.case_reopen(
                case=case,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            messages.success(
                request,
                "The case is open again. Its reporters see their reports as being looked at. "
                "Record or confirm the final decision before closing it again.",
            )
            return redirect(case)
        except ladder.LadderError as error:
            refused(form, error)
    status = 400 if form.errors else 200
    return render(request, "cases/reopen_form.html", {"case": case, "form": form}, status=status)
