"""The Head Teacher's audit log of the whole portal, searchable, and the page every audit
log is shown on (`audit_events_page`: the cases app shows a case's and a person's with it,
cases/audit_views.py). Events hold ids and codes, never content, so these pages reveal who
did what, not what was said. The admin role does not see them."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role

from .events import audit_record
from .models import ACCESS_ACTIONS, AuditEvent

PAGE = 50


# The action filter's extra choice: every change to who may read what.
ACCESS = "access"


def audit_events_page(request, events, heading: str, about=None, filters: dict | None = None):
    """A page of `events`, newest first, under `heading`; looking at it is itself an event
    (about `about`, the case or person whose log it is)."""
    # Record the look first: counting the page's events must include it.
    audit_record(action=AuditEvent.Action.AUDIT_VIEWED, obj=about, actor=request.user)
    events = events.select_related("actor").order_by("-id")
    page = Paginator(events, PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "heading": heading,
        "about": about,
        "actions": AuditEvent.Action.choices,
        "access": ACCESS,
        **(filters or {}),
    }
    return render(request, "audit/events.html", context)


@never_cache
@staff_required(Role.HEAD_TEACHER)
def portal_audit(request):
    """Every event, searchable by action (or every access change), actor's username,
    object or request id."""
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "")
    if action == ACCESS:
        events = events.filter(action__in=ACCESS_ACTIONS)
    elif action:
        events = events.filter(action=action)
    query = request.GET.get("q", "").strip()
    if query:
        events = events.filter(
            Q(actor__username__icontains=query)
            | Q(object_id=query)
            | Q(object_type__icontains=query)
            | Q(request_id=query)
        )
    return audit_events_page(request, events, "Audit log", filters={"action": action, "q": query})
