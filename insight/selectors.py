"""The aggregate queries behind the dashboard and the governors' report: one query per
chart, counted by the database, named in the policy's words.

`group` is a ClassGroup id, "other" (a group not listed), or None for every group. Dates
are the school's (Europe/London): a period runs from the start of its first day to the end
of its last.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from cases.ladder import COUNTING, RUNGS
from cases.models import Case, LadderStep, Person
from reports.models import Category, Report

from .periods import Period

REPEAT_WINDOW = timedelta(days=365)
TOP_GROUPS = 10
OTHER_GROUP = "other"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_period(field: str, period: Period) -> Q:
    return Q(
        **{
            f"{field}__gte": _start_of(period.starts_on),
            f"{field}__lt": _start_of(period.ends_on + timedelta(days=1)),
        }
    )


def _report_group(group, prefix: str = "") -> Q:
    if group is None:
        return Q()
    if group == OTHER_GROUP:
        return Q(**{f"{prefix}group__isnull": True})
    return Q(**{f"{prefix}group_id": group})


def _reports(period: Period, group) -> QuerySet:
    return Report.objects.filter(_in_period("submitted_at", period), _report_group(group))


def _cases(group) -> QuerySet:
    if group is None:
        return Case.objects.all()
    in_group = Report.objects.filter(_report_group(group), case=OuterRef("pk"))
    return Case.objects.filter(Exists(in_group))


def reports_received_by_category(period: Period, group) -> list[dict]:
    """Per week (or month): how many reports arrived, and how many named each category
    (a report may name several). Only buckets with reports are returned."""
    trunc = TruncWeek if period.bucket == "week" else TruncMonth
    per_category = {
        f"c_{code}": Count("categories", filter=Q(categories__category=code))
        for code in Category.values
    }
    return list(
        _reports(period, group)
        .annotate(bucket=trunc("submitted_at"))
        .values("bucket")
        .annotate(reports=Count("id", distinct=True), **per_category)
        .order_by("bucket")
    )


def cases_open_by_ladder_step(group) -> dict[str | None, int]:
    """Cases open today, by the response they are at: the latest step proposed on the
    ladder that was not withdrawn or refused (None: no step yet)."""
    current = (
        LadderStep.objects.filter(case=OuterRef("pk"), kind__in=list(RUNGS), status__in=COUNTING)
        .order_by("-proposed_at", "-id")
        .values("kind")[:1]
    )
    rows = (
        _cases(group)
        .open()
        .annotate(step=Subquery(current))
        .values("step")
        .annotate(cases=Count("id"))
        .order_by()
    )
    return {row["step"]: row["cases"] for row in rows}


def reports_acknowledged(period: Period, group) -> list[tuple[date, date | None, int]]:
    """How many reports in the period arrived on each day and were acknowledged (triaged:
    opened into a case, added to one, or closed with a reason) on each day, None if not
    yet. School days are counted from these by the school's calendar, which the database
    does not know; counting by pairs of days keeps the rows few."""
    rows = (
        _reports(period, group)
        .values_list(TruncDate("submitted_at"), TruncDate("triaged_at"))
        .annotate(reports=Count("id"))
        .order_by()
    )
    return list(rows)


def cases_closed_or_open(period: Period, group) -> list[tuple[date, date | None, int]]:
    """How many cases were opened and closed on each pair of days, for the cases closed in
    the period, and for every case still open (closed is None)."""
    closed = Q(status=Case.Status.CLOSED) & _in_period("closed_at", period)
    still_open = ~Q(status=Case.Status.CLOSED)
    rows = (
        _cases(group)
        .filter(closed | still_open)
        .values_list(TruncDate("opened_at"), TruncDate("closed_at"))
        .annotate(cases=Count("id"))
        .order_by()
    )
    return list(rows)


def cases_closed_by_outcome(period: Period, group) -> dict[str, int]:
    """The Head Teacher's final decision on each case closed in the period."""
    rows = (
        _cases(group)
        .filter(_in_period("closed_at", period), status=Case.Status.CLOSED)
        .values("decision__outcome")
        .annotate(cases=Count("id"))
        .order_by()
    )
    return {row["decision__outcome"]: row["cases"] for row in rows}


def groups_with_most_reports(period: Period, group) -> list[tuple[str | None, int]]:
    """The groups named in most reports in the period (None: a group not listed)."""
    rows = (
        _reports(period, group)
        .values("group__name")
        .annotate(reports=Count("id"))
        .order_by("-reports", "group__name")[:TOP_GROUPS]
    )
    return [(row["group__name"], row["reports"]) for row in rows]


def people_in_more_than_one_case(today: date, group) -> list[dict]:
    """People linked to more than one case opened in the last 12 months: ids and counts
    only (names are looked up for the Head Teacher, and never kept in the cache)."""
    recent = Q(cases__opened_at__gte=_start_of(today) - REPEAT_WINDOW)
    if group is not None:
        recent &= _report_group(group, prefix="cases__reports__")
    return list(
        Person.objects.annotate(cases_count=Count("cases", filter=recent, distinct=True))
        .filter(cases_count__gt=1)
        .order_by("-cases_count", "id")
        .values("id", "cases_count")
    )


def names_of_people(ids: list[int]) -> dict[int, str]:
    return dict(Person.objects.filter(id__in=ids).values_list("id", "full_name"))
