"""Opening cases from reports, and the people register. Moving a case along the ladder is
in cases/ladder.py."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from reports.models import Report
from reports.services import report_check_awaiting_triage

from .ladder import case_bump, case_lock
from .models import Case, Person


def _triage(report: Report, case: Case, acting_user) -> None:
    report = Report.objects.select_for_update().get(id=report.id)
    report_check_awaiting_triage(report)
    report.case, report.status = case, Report.Status.BEING_LOOKED_AT
    report.triaged_at, report.triaged_by = timezone.now(), acting_user
    report.save(update_fields=["case", "status", "triaged_at", "triaged_by", "updated_at"])


def case_open(*, report: Report, title: str, lead, acting_user) -> Case:
    """Open a new case from a report. The reporter's page now says it is being looked at."""
    with transaction.atomic():
        case = Case.objects.create(title=title.strip(), lead=lead, opened_by=acting_user)
        _triage(report, case, acting_user)
        audit_record(
            action=AuditEvent.Action.CASE_OPENED, obj=case, actor=acting_user, report=report.id
        )
    return case


def report_add_to_case(*, report: Report, case: Case, acting_user) -> None:
    """Several parents often report the same post: their reports join one case."""
    with transaction.atomic():
        case = case_lock(case, case.version)
        _triage(report, case, acting_user)
        audit_record(
            action=AuditEvent.Action.REPORT_ADDED_TO_CASE,
            obj=report,
            actor=acting_user,
            case=case.id,
        )
        case_bump(case)


def case_assign_lead(*, case: Case, version: int, lead, acting_user) -> None:
    with transaction.atomic():
        case = case_lock(case, version)
        case.lead = lead
        case_bump(case, "lead")
        audit_record(
            action=AuditEvent.Action.CASE_LEAD_CHANGED, obj=case, actor=acting_user, lead=lead.id
        )


def case_link_person(*, case: Case, version: int, person: Person, acting_user) -> None:
    with transaction.atomic():
        case = case_lock(case, version)
        case.people.add(person)
        case_bump(case)
        audit_record(
            action=AuditEvent.Action.PERSON_LINKED, obj=case, actor=acting_user, person=person.id
        )


def person_add(*, acting_user, **fields) -> Person:
    with transaction.atomic():
        person = Person.objects.create(created_by=acting_user, **fields)
        audit_record(action=AuditEvent.Action.PERSON_ADDED, obj=person, actor=acting_user)
    return person


def person_change(*, person: Person, acting_user, **fields) -> Person:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(person, name, value)
        person.save()
        audit_record(action=AuditEvent.Action.PERSON_CHANGED, obj=person, actor=acting_user)
    return person


def possible_duplicates(
    *, full_name: str, group_names: str, email: str, exclude_id: int | None = None
):
    """People who may be the same parent: same name, same e-mail, or a shared group name
    or number. Shown when someone is added, so the register does not split a history."""
    query = Q(full_name__iexact=full_name.strip())
    if email:
        query |= Q(email__iexact=email.strip())
    for alias in filter(None, (line.strip() for line in group_names.splitlines())):
        query |= Q(group_names__icontains=alias)
    return Person.objects.filter(query).exclude(id=exclude_id).order_by("full_name")[:10]
