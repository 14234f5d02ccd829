"""The person page's data protection panel (templates/subject_access/includes/
person_panel.html), prepared here so that cases/people_views.py need not know about it."""

from dataclasses import dataclass
from datetime import date

from django import template
from django.utils import timezone

from ..deadlines import REMIND_BEFORE
from ..models import ErasureRecord, SubjectAccessRequest

register = template.Library()

ERASED_LABELS = {
    "person": "register entry",
    "letters_to_them": "letters addressed to them",
    "letter_pdfs": "letter PDFs deleted",
    "case": "case titles",
    "report": "reports",
    "message": "messages",
    "ladderstep": "steps",
    "decision": "decisions",
    "letter": "letter summaries",
    "subjectaccessrequest": "subject access requests",
    "history_rows": "history rows",
}


@dataclass(frozen=True)
class RequestRow:
    request: SubjectAccessRequest
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class Panel:
    requests: list[RequestRow]
    erasure: ErasureRecord | None
    erased: list[tuple[str, int]]
    may_act: bool
    today: date


@register.simple_tag(takes_context=True)
def subject_access_panel(context, person) -> Panel:
    """Two queries whatever the number of requests (the person page's query count is
    tested to stay flat)."""
    today = timezone.localdate()
    requests = SubjectAccessRequest.objects.filter(person=person).order_by("-received_on", "-id")
    rows = [
        RequestRow(
            request,
            overdue=request.is_overdue(today),
            due_soon=request.status == request.Status.OPEN
            and today <= request.due_on <= today + REMIND_BEFORE,
        )
        for request in requests
    ]
    erasure = ErasureRecord.objects.select_related("decided_by").filter(person_id=person.id).first()
    counts = erasure.erased if erasure else {}
    erased = [(ERASED_LABELS.get(key, key), count) for key, count in counts.items()]
    return Panel(rows, erasure, erased, context["request"].user.is_head_teacher(), today)
