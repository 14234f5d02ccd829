"""The nightly purge: every record past the retention schedule, and not on legal hold,
becomes an id-only tombstone and loses its files.

The unit of work is a closed case (with its reports, their messages and screenshots, its
steps, decision, letters and released holds), a report closed at triage (with its messages
and screenshots), or a person (once their last case is purged; with their released holds,
subject access requests and erasure record). Each unit is one committed
transaction, then its files are deleted (see files.py for why in that order), so a run
stopped at any point is finished by running again.
"""

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, models, transaction
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from cases.models import Case, CaseReopening, Decision, Person
from reports.models import Message, Report, Screenshot

from .expiry import Cutoffs, expired_cases, expired_people, expired_reports
from .files import pending_files_delete, pending_files_queue
from .models import PurgeRun, RetentionSchedule
from .personal_data import PURGED_WITH_PERSON
from .tombstones import describe, tombstone

logger = logging.getLogger(__name__)

# Any fixed number, the same in every process: pg_try_advisory_lock's key.
LOCK_KEY = 7_426_001


class PurgeAlreadyRunning(Exception):
    pass


class Counts:
    """Records purged, per category and per year made: {"reports": {"2019": 3}}."""

    def __init__(self, data: dict[str, dict[str, int]] | None = None):
        self.data = {category: dict(years) for category, years in (data or {}).items()}

    def add(self, category: str, year: int, n: int = 1) -> None:
        if n:
            years = self.data.setdefault(category, {})
            years[str(year)] = years.get(str(year), 0) + n

    def merged(self, other: "Counts") -> "Counts":
        total = Counts(self.data)
        for category, years in other.data.items():
            for year, n in years.items():
                total.add(category, int(year), n)
        return total

    def totals(self) -> dict[str, int]:
        return {category: sum(years.values()) for category, years in sorted(self.data.items())}


@dataclass
class PurgeResult:
    today: date
    dry_run: bool
    run_id: int | None = None
    case_ids: list[int] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)  # Closed at triage.
    person_ids: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


def purge_expired(*, today: date, dry_run: bool) -> PurgeResult:
    """Purge what the retention schedule says has expired by `today`, except what a legal
    hold keeps. Each case, report or person is cleared in its own committed transaction,
    with its tombstones, its files queued for deletion, its counts added to the run and a
    PURGED audit event for it (ids and counts only); then its files are deleted. The run
    records one more PURGED event, with its totals, when it ends, or at the start of the
    next run if it was stopped. Raises PurgeAlreadyRunning if another run holds the lock.
    With `dry_run`, nothing is written: the result lists what would go."""
    cutoffs = Cutoffs.on(today, RetentionSchedule.in_force(timezone.now()))
    if dry_run:
        return _dry_run(today, cutoffs)
    with _purge_lock():
        pending_files_delete()  # What an interrupted run left.
        for stopped in PurgeRun.objects.filter(finished_at__isnull=True):
            _finish(stopped, interrupted=True)
        return _run(today, cutoffs)


@dataclass
class _Run:
    """The run being made. Its row is written with the first record it purges (in that
    record's transaction, beside its audit event), or when it ends if it purged nothing."""

    run_on: date
    row: PurgeRun | None = None

    def get_or_create(self, failures: list[str]) -> PurgeRun:
        return self.row or PurgeRun.objects.create(run_on=self.run_on, failures=list(failures))


def _run(today: date, cutoffs: Cutoffs) -> PurgeResult:
    run = _Run(today)
    result = PurgeResult(today=today, dry_run=False)
    for case_id in list(expired_cases(cutoffs).values_list("id", flat=True)):
        if _purge_unit(run, result, _purge_case, Case, case_id, cutoffs):
            result.case_ids.append(case_id)
    for report_id in list(expired_reports(cutoffs).values_list("id", flat=True)):
        if _purge_unit(run, result, _purge_report, Report, report_id, cutoffs):
            result.report_ids.append(report_id)
    # After the cases, so people whose last case just went are found.
    for person_id in list(expired_people(cutoffs).values_list("id", flat=True)):
        if _purge_unit(run, result, _purge_person, Person, person_id, cutoffs):
            result.person_ids.append(person_id)
    result.run_id = _finish(run.row, interrupted=False, run_on=today, failures=result.failed).id
    return result


UnitPurge = Callable[[int, Cutoffs], list[models.Model] | None]


def _purge_unit(
    run: _Run,
    result: PurgeResult,
    contents_if_expired: UnitPurge,
    model: type[models.Model],
    object_id: int,
    cutoffs: Cutoffs,
) -> bool:
    """One unit in one durable transaction, with its audit event, then its files. A unit
    that fails is logged and left as it was for the next run; the others go on."""
    try:
        with transaction.atomic(durable=True):
            objects = contents_if_expired(object_id, cutoffs)
            if objects is None:  # Held, reopened or purged since it was listed.
                return False
            counts, files = _count(objects)
            row, now = run.get_or_create(result.failed), timezone.now()
            for obj in objects:
                tombstone(obj, run=row, now=now)
            pending_files_queue(files)
            total = Counts(row.counts).merged(counts)
            PurgeRun.objects.filter(id=row.id).update(counts=total.data)
            audit_record(
                action=AuditEvent.Action.PURGED,
                obj=objects[0],
                actor_kind="system",
                run=row.id,
                counts=counts.totals(),
            )
    except Exception:
        label = f"{model._meta.label_lower}:{object_id}"
        logger.exception("Purging %s failed; the next run tries again", label)
        result.failed.append(label)
        if run.row is not None:
            PurgeRun.objects.filter(id=run.row.id).update(failures=result.failed)
        return False
    run.row, row.counts = row, total.data
    pending_files_delete(files)
    result.counts = result.counts.merged(counts)
    return True


def _count(objects: list[models.Model]) -> tuple[Counts, list[str]]:
    counts, files = Counts(), []
    for obj in objects:
        described = describe(obj)
        counts.add(described.category, described.year)
        counts.add("files", described.year, len(described.files))
        files.extend(described.files)
    return counts, files


def _purge_case(case_id: int, cutoffs: Cutoffs) -> list[models.Model] | None:
    case = Case.objects.select_for_update().get(id=case_id)
    # Holds on its people count too; lock them as legal_hold_place does.
    list(Person.objects.select_for_update(of=("self",)).filter(cases=case_id))
    if not expired_cases(cutoffs).filter(id=case_id).exists():
        return None
    return case_contents(case)


def _purge_report(report_id: int, cutoffs: Cutoffs) -> list[models.Model] | None:
    report = Report.objects.select_for_update().get(id=report_id)
    if not expired_reports(cutoffs).filter(id=report_id).exists():
        return None
    return [report, *_report_parts([report])]


def _purge_person(person_id: int, cutoffs: Cutoffs) -> list[models.Model] | None:
    person = Person.objects.select_for_update().get(id=person_id)
    if not expired_people(cutoffs).filter(id=person_id).exists():
        return None
    return person_contents(person)


def person_contents(person: Person) -> list[models.Model]:
    """Everything purged with a person: their register entry, the holds placed on them
    (all released, or they would not have expired), their subject access requests and the
    record that their data was erased (its person id stays, for reapply_erasures)."""
    return [
        person,
        *person.legal_holds.all(),
        *(record for records in PURGED_WITH_PERSON for record in records(person)),
    ]


def case_contents(case: Case) -> list[models.Model]:
    """Everything purged with a case. Its people are separate units: they may have other
    cases still kept."""
    reports = list(case.reports.all())
    return [
        case,
        *reports,
        *_report_parts(reports),
        *case.steps.all(),
        *Decision.objects.filter(case=case),
        *CaseReopening.objects.filter(case=case).order_by("id"),
        *case.letters.all(),
        *case.legal_holds.all(),  # All released, or the case would not have expired.
    ]


def _report_parts(reports: list[Report]) -> list[models.Model]:
    return [
        *Message.objects.filter(report__in=reports).order_by("id"),
        *Screenshot.objects.filter(report__in=reports).order_by("id"),
    ]


def _finish(
    run: PurgeRun | None,
    *,
    interrupted: bool,
    run_on: date | None = None,
    failures: Sequence[str] = (),
) -> PurgeRun:
    """Close the run (made now, for `run_on`, if it purged nothing) and record its event."""
    with transaction.atomic(durable=True):
        if run is None:
            run = PurgeRun.objects.create(run_on=run_on, failures=list(failures))
        run.refresh_from_db(fields=["counts", "failures"])
        run.finished_at, run.interrupted = timezone.now(), interrupted
        run.save(update_fields=["finished_at", "interrupted"])
        audit_record(
            action=AuditEvent.Action.PURGED,
            obj=run,
            actor_kind="system",
            run_on=run.run_on.isoformat(),
            counts=run.counts,
            failures=len(run.failures),
            interrupted=interrupted,
        )
    return run


def _dry_run(today: date, cutoffs: Cutoffs) -> PurgeResult:
    result = PurgeResult(today=today, dry_run=True)
    for case in expired_cases(cutoffs):
        result.case_ids.append(case.id)
        result.counts = result.counts.merged(_count(case_contents(case))[0])
    for report in expired_reports(cutoffs):
        result.report_ids.append(report.id)
        result.counts = result.counts.merged(_count([report, *_report_parts([report])])[0])
    for person in expired_people(cutoffs, going_case_ids=result.case_ids):
        result.person_ids.append(person.id)
        result.counts = result.counts.merged(_count(person_contents(person))[0])
    return result


@contextmanager
def _purge_lock() -> Iterator[None]:
    """One run at a time (the nightly task, and someone running the command). A session
    lock in PostgreSQL: a killed worker's connection closes and the lock goes with it, so a
    stopped run never blocks the next. On SQLite (the embedded default, with no beat) one
    writer at a time is all there is."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise PurgeAlreadyRunning
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
