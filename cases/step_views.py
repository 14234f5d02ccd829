"""Pages for the ladder's steps: propose, approve, record representations, complete,
withdraw. The Head Teacher's list of steps and letters waiting for approval is in letters
(letters/approval_views.py), which may read cases."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required

from . import ladder
from .forms import ApprovalForm, CompleteStepForm, RepresentationsForm, StepForm, WithdrawStepForm
from .models import Case, LadderStep
from .selectors import get_case_for_user, get_step_for_user
from .views import READERS, refused

Kind = LadderStep.Kind


def _closed_message(case) -> str:
    return ladder.CLOSED_MESSAGE if case.status == Case.Status.CLOSED else ""


@never_cache
@staff_required(*READERS)
def step_new(request, case_id: int):
    case = get_case_for_user(request.user, case_id)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in Kind.values:
        raise Http404
    skipping = ladder.RUNGS.get(kind, 0) > ladder.next_rung_from(case.steps.all())
    form = StepForm(
        request.POST or None,
        initial={"version": case.version},
        kind=kind,
        case=case,
        skipping=skipping,
    )
    if request.method == "POST" and form.is_valid():
        try:
            step = ladder.step_propose(
                case=case,
                version=form.cleaned_data["version"],
                proposal=form.proposal(),
                acting_user=request.user,
            )
            waiting = step.status == LadderStep.Status.AWAITING_APPROVAL
            messages.success(
                request,
                "Step proposed. It now waits for the Head Teacher's approval."
                if waiting
                else "Step added.",
            )
            return redirect(case)
        except ladder.LadderError as error:
            refused(form, error)
    context = {
        "case": case,
        "form": form,
        "kind": Kind(kind),
        "skipping": skipping,
        "needs_approval": ladder.needs_head_teacher_approval(kind),
        "already_open": ladder.open_step_refusal(case, kind),
        "closed_message": _closed_message(case),
    }
    return render(request, "cases/step_form.html", context, status=400 if form.errors else 200)


def _step_page(request, case_id, step_id, form_class, act, template_title, form_kwargs):
    """A form about one step. `act(step, form)` calls the ladder; refusals show on the form."""
    step = get_step_for_user(request.user, case_id, step_id)
    form = form_class(
        request.POST or None, initial={"version": step.case.version}, **form_kwargs(step)
    )
    if request.method == "POST" and form.is_valid():
        try:
            act(step, form)
            return redirect(step.case)
        except ladder.LadderError as error:
            refused(form, error)
    context = {
        "case": step.case,
        "step": step,
        "form": form,
        "title": template_title,
        "closed_message": _closed_message(step.case),
    }
    if form_class is ApprovalForm:
        context["not_yet"] = ladder.can_approve(step)
    return render(request, "cases/step_action.html", context, status=400 if form.errors else 200)


def _no_kwargs(step):
    return {}


@never_cache
@staff_required(*READERS)
def step_approve(request, case_id: int, step_id: int):
    """SLT may look; only the Head Teacher may decide (a 403, and nothing changes)."""
    if request.method == "POST" and not request.user.is_head_teacher():
        raise PermissionDenied

    def act(step, form):
        data = form.cleaned_data
        ladder.step_approve(
            step=step,
            version=data["version"],
            approve=data["approve"],
            note=data["note"],
            acting_user=request.user,
        )
        messages.success(
            request,
            "Step approved: it now takes effect." if data["approve"] else "Step not approved.",
        )

    return _step_page(
        request,
        case_id,
        step_id,
        ApprovalForm,
        act,
        "Approve or refuse this step",
        form_kwargs=_no_kwargs,
    )


@never_cache
@staff_required(*READERS)
def step_complete(request, case_id: int, step_id: int):
    def act(step, form):
        data = form.cleaned_data
        ladder.step_complete(
            step=step,
            version=data["version"],
            outcome=data["outcome"],
            minutes=data.get("minutes", ""),
            acting_user=request.user,
        )
        messages.success(request, "Outcome recorded.")

    return _step_page(
        request,
        case_id,
        step_id,
        CompleteStepForm,
        act,
        "Record the outcome",
        form_kwargs=lambda step: {"step": step},
    )


@never_cache
@staff_required(*READERS)
def step_withdraw(request, case_id: int, step_id: int):
    def act(step, form):
        data = form.cleaned_data
        ladder.step_withdraw(
            step=step, version=data["version"], reason=data["reason"], acting_user=request.user
        )
        messages.success(request, "Step withdrawn. It stays on the case's record.")

    return _step_page(
        request,
        case_id,
        step_id,
        WithdrawStepForm,
        act,
        "Withdraw this step",
        form_kwargs=_no_kwargs,
    )


@never_cache
@staff_required(*READERS)
def step_representations(request, case_id: int, step_id: int):
    def act(step, form):
        data = form.cleaned_data
        ladder.step_record_representations(
            step=step,
            version=data["version"],
            received=data["received"],
            representations=data["representations"],
            acting_user=request.user,
        )
        messages.success(
            request,
            "Representations recorded."
            if data["received"]
            else "Recorded that the parent did not respond by the deadline.",
        )

    return _step_page(
        request,
        case_id,
        step_id,
        RepresentationsForm,
        act,
        "Record the parent's representations",
        form_kwargs=_no_kwargs,
    )
