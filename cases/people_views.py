"""The register of parents and carers that cases are about, and each one's chronology."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent

from . import services
from .forms import PersonForm
from .models import Case, Person
from .selectors import get_case_for_user, get_person_for_user, person_chronology
from .views import READERS


@never_cache
@staff_required(*READERS)
def people(request):
    query = request.GET.get("q", "").strip()
    found = Person.objects.annotate(case_count=Count("cases")).order_by("full_name")
    if query:
        found = found.filter(
            Q(full_name__icontains=query)
            | Q(group_names__icontains=query)
            | Q(email__icontains=query)
        )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    return render(request, "cases/people.html", {"page": page, "q": query})


@never_cache
@staff_required(*READERS)
def person_detail(request, person_id: int):
    person = get_person_for_user(request.user, person_id)
    audit_record(action=AuditEvent.Action.PERSON_VIEWED, obj=person, actor=request.user)
    cases, events = person_chronology(person)
    return render(
        request, "cases/person_detail.html", {"person": person, "cases": cases, "events": events}
    )


def _duplicates_unconfirmed(form, exclude_id=None) -> list[Person]:
    """Possible duplicates the user has not yet said are different people."""
    data = form.cleaned_data
    if data.get("confirm_not_duplicate"):
        return []
    return list(
        services.possible_duplicates(
            full_name=data["full_name"],
            group_names=data["group_names"],
            email=data["email"],
            exclude_id=exclude_id,
        )
    )


def _person_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in PersonForm.Meta.fields}


@never_cache
@staff_required(*READERS)
def person_new(request):
    """Add a parent; flag possible duplicates first. With ?case=N, link them to that case."""
    case = _case_from(request)
    form = PersonForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_unconfirmed(form)
        if not duplicates:
            person = services.person_add(acting_user=request.user, **_person_fields(form))
            if case:
                services.case_link_person(
                    case=case, version=case.version, person=person, acting_user=request.user
                )
                messages.success(request, f"{person} added to the register and to the case.")
                return redirect(case)
            messages.success(request, f"{person} added to the register.")
            return redirect(person)
    context = {"form": form, "duplicates": duplicates, "case": case, "editing": None}
    return render(
        request, "cases/person_form.html", context, status=400 if form.errors or duplicates else 200
    )


def _case_from(request) -> Case | None:
    case_id = request.GET.get("case")
    if not (case_id and case_id.isdigit()):
        return None
    case = get_case_for_user(request.user, int(case_id))
    return case if case.status == Case.Status.OPEN else None


@never_cache
@staff_required(*READERS)
def person_edit(request, person_id: int):
    person = get_person_for_user(request.user, person_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_change(person=person, acting_user=request.user, **_person_fields(form))
        messages.success(request, "Details saved.")
        return redirect(person)
    context = {"form": form, "duplicates": [], "case": None, "editing": person}
    return render(request, "cases/person_form.html", context, status=400 if form.errors else 200)
