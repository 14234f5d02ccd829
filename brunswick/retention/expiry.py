"""What has expired on a given day: the retention schedule turned into queries.

The purge asks these twice: once to list candidates, and again for each one after locking
its row, so a legal hold placed (or a case reopened) in between is respected.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case, Person
from reports.models import Report

from .holds import held_case_ids, held_person_ids
from .models import PurgedRecord, RetentionSchedule
from .periods import add_months


def _start_of_day_after(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass(frozen=True)
class Cutoffs:
    """Records closed (or added) before these moments have been kept long enough."""

    cases_closed_before: datetime
    reports_closed_before: datetime
    people_added_before: datetime

    @classmethod
    def on(cls, today: date, schedule: RetentionSchedule) -> "Cutoffs":
        def cutoff(months: int) -> datetime:
            return _start_of_day_after(add_months(today, -months))

        return cls(
            cases_closed_before=cutoff(schedule.closed_case_months),
            reports_closed_before=cutoff(schedule.closed_report_months),
            people_added_before=cutoff(schedule.unlinked_person_months),
        )


def purged_ids(model: type[models.Model]):
    return PurgedRecord.objects.filter(model_label=model._meta.label_lower).values("object_id")


def expired_cases(cutoffs: Cutoffs):
    """Closed cases past their period, not purged yet, and not held (directly, or through
    a person linked to them)."""
    return (
        Case.objects.filter(status=Case.Status.CLOSED, closed_at__lt=cutoffs.cases_closed_before)
        .exclude(id__in=purged_ids(Case))
        .exclude(id__in=held_case_ids())
        .order_by("closed_at", "id")
    )


def expired_reports(cutoffs: Cutoffs):
    """Reports closed at triage without a case. A report in a case goes with its case."""
    return (
        Report.objects.filter(
            case__isnull=True,
            status=Report.Status.CLOSED,
            triaged_at__lt=cutoffs.reports_closed_before,
        )
        .exclude(id__in=purged_ids(Report))
        .order_by("triaged_at", "id")
    )


def expired_people(cutoffs: Cutoffs, going_case_ids: Collection[int] = ()):
    """People whose every case is purged (or in `going_case_ids`, for a dry run), or who
    were never linked to a case and were added before the cutoff; and not held. A person
    linked to a held case is kept by that case, which is not purged."""
    links = Case.people.through.objects.filter(person_id=OuterRef("id"))
    live_links = links.exclude(case_id__in=purged_ids(Case)).exclude(
        case_id__in=list(going_case_ids)
    )
    return (
        Person.objects.exclude(id__in=purged_ids(Person))
        .exclude(id__in=held_person_ids())
        .filter(~Exists(live_links))
        .filter(Exists(links) | Q(created_at__lt=cutoffs.people_added_before))
        .order_by("id")
    )
