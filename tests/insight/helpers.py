"""A small known school for the Insight tests: September 2026, with the figures worked
out by hand in each test."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from brunswick.school.calendar import SchoolCalendar
from brunswick.school.models import ClassGroup, ClosureDay, TermDate
from cases.models import Case, Decision, Person
from insight.periods import Period
from reports.models import Category, Report
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory

SEPTEMBER = Period("Chosen dates", date(2026, 9, 1), date(2026, 9, 30))
TODAY = date(2026, 10, 2)  # A Friday.
CLOSED_ON = date(2026, 9, 14)  # An INSET day: not a school day.
CALENDAR = SchoolCalendar(terms=((date(2026, 9, 1), date(2026, 12, 18)),), closures={CLOSED_ON})


def at(day: date, hour: int = 19) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


def report_on(day, group, categories, *, acknowledged_on=None, case=None, **fields) -> Report:
    report = ReportFactory(group=group, categories=categories, case=case, **fields)
    Report.objects.filter(id=report.id).update(
        submitted_at=at(day),
        triaged_at=at(acknowledged_on, 10) if acknowledged_on else None,
        status=Report.Status.BEING_LOOKED_AT if acknowledged_on else Report.Status.RECEIVED,
    )
    return report


def case_on(opened_on, *, lead, closed_on=None, outcome=None, people=()) -> Case:
    case = CaseFactory(lead=lead)
    Case.objects.filter(id=case.id).update(
        opened_at=at(opened_on, 10),
        status=Case.Status.CLOSED if closed_on else Case.Status.OPEN,
        closed_at=at(closed_on, 15) if closed_on else None,
    )
    if outcome:
        Decision.objects.create(
            case=case, outcome=outcome, reasons="Reasons.", decided_on=closed_on, decided_by=lead
        )
    case.people.add(*people)
    return case


@dataclass
class School:
    year1: ClassGroup
    year2: ClassGroup
    people: list[Person]
    reports: list[Report]
    cases: list[Case]


def september(lead) -> School:
    """Five reports in September 2026, four cases, three people; see the tests for the sums."""
    TermDate.objects.create(
        name="Autumn term 2026", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 18)
    )
    ClosureDay.objects.create(date=CLOSED_ON, reason="INSET day")
    year1, year2 = (ClassGroup.objects.create(name=n) for n in ("Year 1", "Year 2"))
    p1, p2, p3 = (
        PersonFactory(full_name=n, created_by=lead) for n in ("Pat Repeat", "Sam Once", "Lee Old")
    )
    c1 = case_on(
        date(2026, 9, 2),
        lead=lead,
        closed_on=date(2026, 9, 16),
        outcome=Decision.Outcome.WARNING_ISSUED,
        people=[p1],
    )
    c2 = case_on(
        date(2026, 9, 7),
        lead=lead,
        closed_on=date(2026, 9, 30),
        outcome=Decision.Outcome.ADVICE_GIVEN,
        people=[p2],
    )
    c3 = case_on(date(2026, 9, 15), lead=lead, people=[p1])
    c4 = case_on(date(2026, 10, 1), lead=lead, people=[p3])
    old = case_on(
        date(2025, 6, 1),
        lead=lead,
        closed_on=date(2025, 7, 1),
        outcome=Decision.Outcome.NO_BREACH,
        people=[p3],
    )
    LadderStepFactory(case=c3, kind="information_gathering", status="completed")
    LadderStepFactory(case=c3, kind="meeting", status="in_progress")
    LadderStepFactory(case=c3, kind="warning_letter", status="withdrawn")
    LadderStepFactory(case=c1, kind="warning_letter", status="completed")
    reports = [
        report_on(
            date(2026, 9, 1),
            year1,
            [Category.ABUSIVE_COMMENTS, Category.ANGER],
            acknowledged_on=date(2026, 9, 2),
            case=c1,
            description="Pat swore at Ms Jones",
        ),
        report_on(
            date(2026, 9, 2), year1, [Category.ANGER], acknowledged_on=date(2026, 9, 7), case=c2
        ),
        report_on(
            date(2026, 9, 11),
            year2,
            [Category.THREATENING],
            acknowledged_on=date(2026, 9, 15),
            case=c3,
        ),
        report_on(date(2026, 9, 28), None, [Category.POLITICAL], group_other="Football club"),
        report_on(date(2026, 9, 30), year1, [Category.ABUSIVE_COMMENTS]),
        report_on(
            date(2026, 10, 5), year2, [Category.RESPECT], acknowledged_on=date(2026, 10, 5), case=c4
        ),
    ]
    return School(year1, year2, [p1, p2, p3], reports, [c1, c2, c3, c4, old])
