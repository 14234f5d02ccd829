"""Recording and answering subject access requests. Erasure is in erasure.py."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from cases.models import Person

from .deadlines import one_calendar_month_after
from .models import SubjectAccessRequest
from .pack import pack_gather
from .pack_files import PackFile, pack_file

Status = SubjectAccessRequest.Status


class SubjectAccessError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def subject_access_record(
    *, person: Person, received_on: date, notes: str, acting_user
) -> SubjectAccessRequest:
    """Record a request, due one calendar month after it was received. Audited in the same
    transaction."""
    if received_on > timezone.localdate():
        raise SubjectAccessError("The date received cannot be in the future", "received_on")
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            person=person,
            received_on=received_on,
            due_on=one_calendar_month_after(received_on),
            notes=notes,
            created_by=acting_user,
        )
        audit_record(
            action=AuditEvent.Action.SUBJECT_ACCESS_REQUESTED,
            obj=request,
            actor=acting_user,
            person=person.id,
            due_on=request.due_on.isoformat(),
        )
    return request


def subject_access_complete(*, request: SubjectAccessRequest, acting_user) -> None:
    """Mark a request answered and record a SUBJECT_ACCESS_COMPLETED audit event (old and
    new status), in one transaction; its history (simple-history) records who and when.
    Its reminders stop. Completing a completed request changes and records nothing."""
    with transaction.atomic():
        request = SubjectAccessRequest.objects.select_for_update().get(id=request.id)
        if request.status == Status.COMPLETED:
            return
        old = request.status
        request.status, request.completed_at = Status.COMPLETED, timezone.now()
        request.save()
        audit_record(
            action=AuditEvent.Action.SUBJECT_ACCESS_COMPLETED,
            obj=request,
            actor=acting_user,
            person=request.person_id,
            status=[str(old), Status.COMPLETED.value],
        )


def subject_access_pack_make(
    *, request: SubjectAccessRequest, with_screenshots: bool, acting_user
) -> PackFile:
    """Build the pack (the PDF, or a ZIP with the PDF and the screenshots' working copies)
    and record that it was made, with counts of what went in, what was redacted or
    withheld, and how many documents could not be included (`not_included`; they are
    listed in the PDF). Nothing is stored: the file goes straight to the Head Teacher's
    browser. If the PDF itself cannot be made, this raises and nothing is recorded."""
    pack = pack_gather(request)
    made = pack_file(pack, with_screenshots)
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.SUBJECT_ACCESS_PACK_MADE,
            obj=request,
            actor=acting_user,
            person=request.person_id,
            format="zip" if with_screenshots else "pdf",
            **pack.counts,
        )
    return made
