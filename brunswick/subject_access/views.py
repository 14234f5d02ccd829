"""The Head Teacher's subject access and erasure pages. Everyone else (SLT included) gets
403: these are the Head Teacher's decisions as the school's lead for data protection."""

import logging

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from cases.models import Person

from . import services
from .erasure import ErasureRefused, erasure_apply, erasure_refusal
from .forms import ErasureForm, SubjectAccessRequestForm
from .models import SubjectAccessRequest

logger = logging.getLogger(__name__)

HEAD_TEACHER = Role.HEAD_TEACHER
PACK_FAILED = (
    "The pack could not be made. Try again in a few minutes; if it still cannot be made, "
    "tell the technician."
)


@never_cache
@staff_required(HEAD_TEACHER)
def request_new(request, person_id: int):
    person = get_object_or_404(Person, id=person_id)
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.subject_access_record(
                person=person,
                received_on=form.cleaned_data["received_on"],
                notes=form.cleaned_data["notes"],
                acting_user=request.user,
            )
            messages.success(
                request, f"Request recorded. Answer it by {made.due_on.day} {made.due_on:%B %Y}."
            )
            return redirect(person)
        except services.SubjectAccessError as error:
            form.add_error(error.field, error.message)
    status = 400 if form.errors else 200
    context = {"person": person, "form": form}
    return render(request, "subject_access/request_form.html", context, status=status)


@never_cache
@staff_required(HEAD_TEACHER)
@require_POST
def pack_download(request, request_id: int):
    """The pack as a download, built now: a ZIP (the PDF and the screenshots), or the PDF
    alone with format=pdf. Never stored on the server. A document that cannot be made is
    listed in the pack, not a failure; if the PDF itself cannot be made, the Head Teacher
    is sent back to the person's page with a message."""
    subject_access = get_object_or_404(SubjectAccessRequest, id=request_id)
    try:
        made = services.subject_access_pack_make(
            request=subject_access,
            with_screenshots=request.POST.get("format") != "pdf",
            acting_user=request.user,
        )
    except Exception:
        logger.exception("Subject access pack %s could not be made", subject_access.id)
        messages.error(request, PACK_FAILED)
        return redirect(subject_access)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@staff_required(HEAD_TEACHER)
@require_POST
def request_complete(request, request_id: int):
    subject_access = get_object_or_404(SubjectAccessRequest, id=request_id)
    services.subject_access_complete(request=subject_access, acting_user=request.user)
    messages.success(request, f"{subject_access.code} marked completed. Its reminders stop.")
    return redirect(subject_access)


@never_cache
@staff_required(HEAD_TEACHER)
def erase(request, person_id: int):
    person = get_object_or_404(Person, id=person_id)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure_apply(
                person=person, reason=form.cleaned_data["reason"], acting_user=request.user
            )
            messages.success(request, "This person's personal data has been erased.")
            return redirect(person)
        except ErasureRefused as error:
            form.add_error(None, str(error))
    context = {"person": person, "form": form, "refusal": erasure_refusal(person)}
    status = 400 if form.errors else 200
    return render(request, "subject_access/erase_form.html", context, status=status)
