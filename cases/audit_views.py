"""The Head Teacher's audit log of one case and of one person: every event about it, newest
first. The audit app renders the page (`audit_events_page`); finding the case or person
(and refusing what the user may not see) is this app's."""

from django.db.models import Q
from django.views.decorators.cache import never_cache

from brunswick.accounts.access import staff_required
from brunswick.accounts.models import Role
from brunswick.audit.models import AuditEvent
from brunswick.audit.views import audit_events_page

from .selectors import get_case_for_user, get_person_for_user


@never_cache
@staff_required(Role.HEAD_TEACHER)
def case_audit(request, case_id: int):
    case = get_case_for_user(request.user, case_id)
    events = AuditEvent.objects.filter(
        Q(object_type="cases.case", object_id=str(case.id)) | Q(extra__case=case.id)
    )
    return audit_events_page(request, events, f"Audit log for {case.code}", case)


@never_cache
@staff_required(Role.HEAD_TEACHER)
def person_audit(request, person_id: int):
    person = get_person_for_user(request.user, person_id)
    events = AuditEvent.objects.filter(
        Q(object_type="cases.person", object_id=str(person.id)) | Q(extra__person=person.id)
    )
    return audit_events_page(request, events, f"Audit log for {person.full_name}", person)
