"""Reads that staff pages share. Each `get_*_for_user` finds only what the user may see,
and raises 404 otherwise, so existence is not revealed."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q
from django.http import Http404

from reports.models import Report

from .models import Case, CaseReopening, Decision, LadderStep, Person


@dataclass(frozen=True)
class Event:
    """One line of a case's timeline or a person's chronology."""

    at: datetime
    title: str
    detail: str = ""
    case: Case | None = None


@dataclass(frozen=True)
class TimelineSource:
    """Rows that an app above this one keeps about a case (letters), declared by that app
    so that cases shows them without importing it (docs/architecture.md, "Apps").
    `with_case` prefetches them with a case, `with_person` with a person's chronology (only
    theirs), and `events` makes a case's prefetched rows into lines of its timeline."""

    with_case: Callable[[], Prefetch]
    with_person: Callable[[Person], Prefetch]
    events: Callable[[Case, Case | None], list[Event]]


# Filled at start-up by the apps above (letters.apps.LettersConfig.ready).
TIMELINE_SOURCES: list[TimelineSource] = []


STEP_PEOPLE = ("proposed_by", "decided_by", "withdrawn_by", "person")


def _reopenings() -> Prefetch:
    return Prefetch(
        "reopenings",
        CaseReopening.objects.select_related("reopened_by").order_by("reopened_at", "id"),
    )


def _may_read_cases(user) -> None:
    if not user.can_read_reports():
        raise Http404


def get_case_for_user(user, case_id: int) -> Case:
    _may_read_cases(user)
    steps = LadderStep.objects.select_related(*STEP_PEOPLE).order_by("proposed_at", "id")
    reports = (
        Report.objects.select_related("group")
        .prefetch_related("categories")
        .order_by("submitted_at")
    )
    case = (
        Case.objects.select_related("lead", "opened_by", "decision__decided_by")
        .prefetch_related(
            Prefetch("steps", steps),
            Prefetch("reports", reports),
            Prefetch("people", Person.objects.order_by("full_name")),
            _reopenings(),
            *(source.with_case() for source in TIMELINE_SOURCES),
        )
        .filter(id=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def get_step_for_user(user, case_id: int, step_id: int) -> LadderStep:
    _may_read_cases(user)
    step = (
        LadderStep.objects.select_related("case", *STEP_PEOPLE)
        .filter(id=step_id, case_id=case_id)
        .first()
    )
    if step is None:
        raise Http404
    return step


def get_person_for_user(user, person_id: int) -> Person:
    _may_read_cases(user)
    person = Person.objects.filter(id=person_id).first()
    if person is None:
        raise Http404
    return person


def case_decision(case: Case) -> Decision | None:
    try:
        return case.decision
    except Decision.DoesNotExist:
        return None


def step_events(step: LadderStep, case: Case | None = None) -> list[Event]:
    events = [Event(step.proposed_at, f"Proposed: {step.get_kind_display()}", step.rationale, case)]
    if step.decided_at:
        verdict = "Approved" if step.status != LadderStep.Status.NOT_APPROVED else "Not approved"
        events.append(
            Event(
                step.decided_at,
                f"{verdict} by the Head Teacher: {step.get_kind_display()}",
                step.decision_note,
                case,
            )
        )
    if step.completed_at:
        events.append(
            Event(step.completed_at, f"Completed: {step.get_kind_display()}", step.outcome, case)
        )
    if step.withdrawn_at:
        events.append(
            Event(
                step.withdrawn_at,
                f"Withdrawn: {step.get_kind_display()}",
                step.withdrawn_reason,
                case,
            )
        )
    return events


def case_events(case: Case, with_case: bool = False) -> list[Event]:
    """Everything that happened on a case, in date order, from prefetched rows."""
    tag = case if with_case else None
    events = [Event(case.opened_at, "Case opened", case.title, tag)]
    for report in case.reports.all():
        events.append(
            Event(
                report.submitted_at,
                f"Report {report.reference} received",
                report.group_display,
                tag,
            )
        )
    for step in case.steps.all():
        events.extend(step_events(step, tag))
    for source in TIMELINE_SOURCES:
        events.extend(source.events(case, tag))
    if decision := case_decision(case):
        events.append(
            Event(
                decision.recorded_at,
                f"Final decision: {decision.get_outcome_display()}",
                decision.reasons,
                tag,
            )
        )
    # A case closed and reopened: each reopening keeps the closing it undid.
    for reopening in case.reopenings.all():
        events.append(Event(reopening.closed_at, "Case closed", "", tag))
        events.append(
            Event(
                reopening.reopened_at,
                f"Case reopened by {reopening.reopened_by}",
                reopening.reason,
                tag,
            )
        )
    if case.closed_at:
        events.append(Event(case.closed_at, "Case closed", "", tag))
    return sorted(events, key=lambda event: event.at)


def person_chronology(person: Person) -> tuple[list[Case], list[Event]]:
    """Every report, action and decision across every case about this person, so
    proportionality can be judged against their history."""
    steps = LadderStep.objects.filter(Q(person=person) | Q(person__isnull=True)).select_related(
        *STEP_PEOPLE
    )
    cases = (
        person.cases.select_related("lead", "decision")
        .prefetch_related(
            Prefetch("steps", steps.order_by("proposed_at")),
            Prefetch("reports", Report.objects.select_related("group")),
            *(source.with_person(person) for source in TIMELINE_SOURCES),
            _reopenings(),
        )
        .order_by("opened_at")
    )
    cases = list(cases)
    events = sorted(
        (e for case in cases for e in case_events(case, with_case=True)), key=lambda e: e.at
    )
    return cases, events
