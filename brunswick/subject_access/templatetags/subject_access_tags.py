"""The person page's data protection panel (templates/subject_access/includes/
person_panel.html), prepared here so that cases/people_views.py need not know about it."""

from dataclasses import dataclass
from datetime import date, datetime

from django import template
from django.utils import timezone

from brunswick.audit.models import AuditEvent

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
    "casereopening": "reasons a case was reopened",
    "letter": "letter summaries",
    "screenshot": "screenshot file names",
    "legalhold": "legal holds",
    "subjectaccessrequest": "subject access requests",
    "erasurerecord": "the reason for this erasure",
    "history_rows": "history rows",
}


@dataclass(frozen=True)
class LastPack:
    """The newest pack made for a request, from its audit event (counts only)."""

    made_at: datetime
    not_included: int


@dataclass(frozen=True)
class RequestRow:
    request: SubjectAccessRequest
    overdue: bool
    due_soon: bool
    last_pack: LastPack | None = None


@dataclass(frozen=True)
class Panel:
    requests: list[RequestRow]
    erasure: ErasureRecord | None
    erased: list[tuple[str, int]]
    may_act: bool
    today: date


def last_packs(requests: list[SubjectAccessRequest]) -> dict[int, LastPack]:
    """The newest pack of each request, in one query. The audit trail is the record: the
    pack itself is never stored."""
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.SUBJECT_ACCESS_PACK_MADE,
        object_type=SubjectAccessRequest._meta.label_lower,
        object_id__in=[str(request.id) for request in requests],
    ).order_by("at", "id")
    newest = {int(event.object_id): event for event in events.only("at", "object_id", "extra")}
    return {
        request_id: LastPack(event.at, int(event.extra.get("not_included", 0)))
        for request_id, event in newest.items()
    }


@register.simple_tag(takes_context=True)
def subject_access_panel(context, person) -> Panel:
    """At most three queries whatever the number of requests (the person page's query
    count is tested to stay flat)."""
    today = timezone.localdate()
    requests = list(
        SubjectAccessRequest.objects.filter(person=person).order_by("-received_on", "-id")
    )
    packs = last_packs(requests) if requests else {}
    rows = [
        RequestRow(
            request,
            overdue=request.is_overdue(today),
            due_soon=request.status == request.Status.OPEN
            and today <= request.due_on <= today + REMIND_BEFORE,
            last_pack=packs.get(request.id),
        )
        for request in requests
    ]
    erasure = ErasureRecord.objects.select_related("decided_by").filter(person_id=person.id).first()
    counts = erasure.erased if erasure else {}
    erased = [(ERASED_LABELS.get(key, key), count) for key, count in counts.items()]
    return Panel(rows, erasure, erased, context["request"].user.is_head_teacher(), today)
