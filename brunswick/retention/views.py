"""The Head Teacher places and releases legal holds, from the case and person pages. Each
view parses its form, makes one call into holds.py, and shows a refusal on the form."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from cases.models import Case
from cases.selectors import get_case_for_user, get_person_for_user

from . import holds
from .forms import LegalHoldForm, LegalHoldReleaseForm


@never_cache
@staff_required(Role.HEAD_TEACHER)
def case_hold(request, case_id: int):
    return _place(request, get_case_for_user(request.user, case_id))


@never_cache
@staff_required(Role.HEAD_TEACHER)
def case_hold_release(request, case_id: int):
    return _release(request, get_case_for_user(request.user, case_id))


@never_cache
@staff_required(Role.HEAD_TEACHER)
def person_hold(request, person_id: int):
    return _place(request, get_person_for_user(request.user, person_id))


@never_cache
@staff_required(Role.HEAD_TEACHER)
def person_hold_release(request, person_id: int):
    return _release(request, get_person_for_user(request.user, person_id))


def _name(subject: holds.Subject) -> str:
    return subject.code if isinstance(subject, Case) else subject.full_name


def _place(request, subject: holds.Subject):
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holds.legal_hold_place(
                subject=subject, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except holds.LegalHoldError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{_name(subject)} is on legal hold: nothing it covers is purged until the "
                "hold is released.",
            )
            return redirect(subject)
    return _form_page(request, subject, form, hold=None)


def _release(request, subject: holds.Subject):
    hold = holds.active_hold_on(subject)
    if hold is None:  # Released meanwhile, or held only through a linked case or person.
        messages.info(request, f"{_name(subject)} has no legal hold of its own to release.")
        return redirect(subject)
    form = LegalHoldReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holds.legal_hold_release(
                subject=subject, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except holds.LegalHoldError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The legal hold on {_name(subject)} is released.")
            return redirect(subject)
    return _form_page(request, subject, form, hold=hold)


def _form_page(request, subject: holds.Subject, form, hold):
    context = {"subject": subject, "name": _name(subject), "form": form, "hold": hold}
    status = 400 if form.errors else 200
    return render(request, "retention/legal_hold_form.html", context, status=status)
