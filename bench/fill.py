"""Fill a throwaway database with a realistic volume of data, quickly.

Bulk inserts (and COPY for the audit log) rather than the services: the services would
take hours at this volume. So django-simple-history keeps no versions of these rows and
no e-mails are queued; everything a page reads is there and consistent (each report's
screenshots have files, each closed case a decision, each letter its template version).

Dates are spread as if the nightly purge had been running all along: closed cases over
six years and a month, reports closed at triage over thirteen months. The purge then has
about a month's backlog to clear, as after a missed month of nights.
"""

import contextlib
import hashlib
import json
import os
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from brunswick.accounts.models import Role, User
from brunswick.audit.models import GENESIS, AuditEvent
from brunswick.school.models import ClassGroup, SchoolSettings, TermDate
from cases.models import Case, Decision, LadderStep, Person
from letters.models import Letter, LetterTemplate
from reports.credentials import WORD_LIST, hash_passphrase, new_reference
from reports.models import Category, Report, ReportCategory, Screenshot

from .seed import BENCH_PASSPHRASE, StaffAccount, small_jpeg, small_png

GROUPS = ["Nursery", "Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]
BATCH = 5000
SEARCHED_NAME = "Fairweather"
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Volume:
    cases: int
    reports: int
    screenshots: int
    steps: int
    letters: int
    people: int
    audit_events: int

    @classmethod
    def scaled(cls, scale: float) -> "Volume":
        def n(default: int, floor: int) -> int:
            return max(floor, round(default * scale))

        return cls(
            cases=n(10_000, 30),
            reports=n(30_000, 60),
            screenshots=n(60_000, 60),
            steps=n(40_000, 60),
            letters=n(15_000, 30),
            people=n(3_000, 25),
            audit_events=n(500_000, 1_000),
        )


@dataclass(frozen=True)
class Landmarks:
    """The rows the bench opens by id: a big case, a busy person, a report to follow up."""

    big_case_id: int
    busy_person_id: int
    report_reference: str
    passphrase: str
    search_term: str


@contextlib.contextmanager
def historic_dates() -> Iterator[None]:
    """Let the fill set created-at dates: auto_now(_add) would stamp every row with now."""
    fields = [
        f
        for model in (Case, Report, Person, LadderStep, Letter, Screenshot, Decision)
        for f in model._meta.fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Filler:
    def __init__(self, volume: Volume, seed: int = 7):
        self.volume = volume
        self.random = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
        self.now = datetime.now(UTC).replace(microsecond=0)

    def ago(self, span: timedelta, at_least: timedelta = timedelta(days=1)) -> datetime:
        return self.now - at_least - self.random.random() * (span - at_least)

    def run(self, accounts: list[StaffAccount]) -> Landmarks:
        """Fill the database; `accounts` (bench.seed.staff_accounts) lead the cases."""
        self.accounts = accounts
        self._school()
        with historic_dates(), transaction.atomic():
            self.people = self._people()
            self.cases = self._cases()
            self._link_people()
            self._decisions()
            self.reports = self._reports()
            self._categories_and_screenshots()
            self.steps = self._steps()
            self._letters()
        self._audit_events()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # As autovacuum would soon after a load this size.
        return self._landmarks()

    # --- the school and its staff --------------------------------------------------------
    def _school(self) -> None:
        school = SchoolSettings.current()
        school.address, school.phone = "1 Bench Road\nLondon\nSE5 0AA", "020 0000 0000"
        school.signatory_name = "Helen Head"
        school.save()
        for position, name in enumerate(GROUPS):
            ClassGroup.objects.get_or_create(name=name, defaults={"position": position})
        self.groups = list(ClassGroup.objects.all())
        # Three terms a school year over the whole filled span (six years and a month of
        # cases) and the next year, so the Insight dashboard's "this term", "last term"
        # and targets in school days have terms to count.
        year = self.now.year if self.now.month >= 8 else self.now.year - 1
        for start in range(year - 7, year + 2):
            for name, starts_on, ends_on in _terms(start):
                TermDate.objects.get_or_create(
                    name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
                )
        self.leads = list(User.objects.with_role(Role.SLT, Role.HEAD_TEACHER))
        self.head = User.objects.with_role(Role.HEAD_TEACHER).first()

    # --- people and cases -----------------------------------------------------------------
    def _people(self) -> list[Person]:
        rows = [
            Person(
                full_name=f"Parent {i:05d} Example",
                pupils=f"Child {i:05d}, {self.random.choice(GROUPS)}",
                group_names=f"+44 7700 9{i:05d}",
                postal_address=f"{i} Example Road\nLondon\nSE5 0AA",
                email=f"parent{i}@example.org",
                created_at=self.ago(6 * YEAR),
                created_by=self.random.choice(self.leads),
            )
            for i in range(self.volume.people)
        ]
        people = Person.objects.bulk_create(rows, batch_size=BATCH)
        # A tenth never linked to a case, added within the last thirteen months.
        for person in people[-len(people) // 10 :]:
            person.created_at = self.ago(YEAR + timedelta(days=30))
        Person.objects.bulk_update(people[-len(people) // 10 :], ["created_at"], batch_size=BATCH)
        return people

    def _cases(self) -> list[Case]:
        rows = []
        for i in range(self.volume.cases):
            opened = self.ago(6 * YEAR + timedelta(days=60), at_least=timedelta(days=2))
            closed = i % 10 < 7 and i > 0  # Case 0 (the big one) stays open.
            lead = self.random.choice(self.leads)
            rows.append(
                Case(
                    title=f"Posts in the {self.random.choice(GROUPS)} group ({i})",
                    status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                    lead=lead,
                    opened_by=lead,
                    opened_at=opened,
                    closed_at=min(opened + timedelta(days=40), self.now) if closed else None,
                )
            )
        return Case.objects.bulk_create(rows, batch_size=BATCH)

    def _link_people(self) -> None:
        through = Case.people.through
        linked = self.people[: -len(self.people) // 10] or self.people
        self.case_person = {c.id: self.random.choice(linked) for c in self.cases}
        busy = linked[0]
        for case in self.cases[1:21]:  # The busy person: twenty cases.
            self.case_person[case.id] = busy
        rows = [through(case_id=c, person_id=p.id) for c, p in self.case_person.items()]
        through.objects.bulk_create(rows, batch_size=BATCH)
        self.busy_person = busy

    def _decisions(self) -> None:
        rows = [
            Decision(
                case=case,
                outcome=Decision.Outcome.ADVICE_GIVEN,
                reasons="Spoke to the parent, who accepted the code of conduct.",
                decided_on=case.closed_at.date(),
                decided_by=self.head,
                recorded_at=case.closed_at,
            )
            for case in self.cases
            if case.status == Case.Status.CLOSED
        ]
        Decision.objects.bulk_create(rows, batch_size=BATCH)

    # --- reports and their evidence --------------------------------------------------------
    def _reports(self) -> list[Report]:
        passphrase_hash = hash_passphrase(BENCH_PASSPHRASE)  # One hash: it is slow on purpose.
        self.vocabulary = WORD_LIST.read_text().split()
        references: set[str] = set()
        while len(references) < self.volume.reports:
            references.add(new_reference())
        rows = [
            self._report(reference, passphrase_hash, i)
            for i, reference in enumerate(sorted(references))
        ]
        return Report.objects.bulk_create(rows, batch_size=BATCH)

    def _report(self, reference: str, passphrase_hash: str, i: int) -> Report:
        # The big case gets ten reports; two thirds of the rest belong to a case.
        in_case = i < 10 or i % 3 != 0
        case = self.cases[0] if i < 10 else self.random.choice(self.cases) if in_case else None
        if case is not None:
            submitted = case.opened_at - timedelta(hours=2)
            closed = case.status == Case.Status.CLOSED
            status = Report.Status.CLOSED if closed else Report.Status.BEING_LOOKED_AT
            triaged = case.opened_at
        elif i % 30 == 3:  # Waiting in the inbox.
            submitted, status, triaged = self.ago(timedelta(days=60)), Report.Status.RECEIVED, None
        else:  # Closed at triage.
            triaged = self.ago(YEAR + timedelta(days=30))
            submitted, status = triaged - timedelta(days=1), Report.Status.CLOSED
        return Report(
            reference=reference,
            passphrase_hash=passphrase_hash,
            submission_key=uuid.uuid4(),
            status=status,
            group=self.random.choice(self.groups),
            occurred_on=(submitted - timedelta(days=1)).date(),
            posted_by=f"Dad of pupil {i % 997}",
            description=self._description(i),
            reporter_name=f"Reporter {i}",
            reporter_relationship="parent",
            reporter_email=f"reporter{i}@example.org",
            case=case,
            closed_reason="not_a_breach" if status == Report.Status.CLOSED and not case else "",
            triaged_at=triaged,
            triaged_by=self.random.choice(self.leads) if triaged else None,
            submitted_at=submitted,
            updated_at=triaged or submitted,
        )

    def _description(self, i: int) -> str:
        # Forty words from a 7,776-word list, and in one report in 200 the surname that
        # the bench searches for: staff search the inbox for a name or a reference, which
        # matches a few reports, not half of them.
        words = " ".join(self.random.choices(self.vocabulary, k=40))
        named = f" Mr {SEARCHED_NAME} was named." if i % 200 == 0 else ""
        return f"Report {i}: a parent posted about the class: {words}.{named}"

    def _categories_and_screenshots(self) -> None:
        codes = [c.value for c in Category]
        categories = [
            ReportCategory(report=r, category=code)
            for r in self.reports
            for code in self.random.sample(codes, 1 + r.id % 2)
        ]
        ReportCategory.objects.bulk_create(categories, batch_size=BATCH)
        files = _EvidenceFiles(Path(settings.PRIVATE_MEDIA_ROOT))
        per_report = max(1, self.volume.screenshots // len(self.reports))
        rows = [
            files.screenshot(report, n)
            for report in self.reports
            for n in range(per_report)
            if len(self.reports) * n + 1 <= self.volume.screenshots
        ]
        Screenshot.objects.bulk_create(rows, batch_size=BATCH)

    # --- the ladder and letters ----------------------------------------------------------
    def _steps(self) -> list[LadderStep]:
        kinds = [LadderStep.Kind.INFORMATION_GATHERING, LadderStep.Kind.MEETING]
        big = [self._step(self.cases[0], self.random.choice(kinds)) for _ in range(30)]
        others = self.cases[1:]
        rest = [
            self._step(self.random.choice(others), self.random.choice(kinds))
            for _ in range(max(0, self.volume.steps - 30))
        ]
        steps = big + rest
        # One open step of each kind per case (one_open_step_of_each_kind_per_case): the
        # others of a kind are done.
        seen = set()
        for step in steps:
            if step.status == LadderStep.Status.IN_PROGRESS:
                if (step.case_id, step.kind) in seen:
                    step.status, step.outcome = LadderStep.Status.COMPLETED, "Spoke to the parent."
                    step.completed_at = step.proposed_at
                seen.add((step.case_id, step.kind))
        return LadderStep.objects.bulk_create(steps, batch_size=BATCH)

    def _step(self, case: Case, kind: str) -> LadderStep:
        done = case.status == Case.Status.CLOSED
        return LadderStep(
            case=case,
            person=self.case_person[case.id],
            kind=kind,
            status=LadderStep.Status.COMPLETED if done else LadderStep.Status.IN_PROGRESS,
            proposed_by=case.lead,
            proposed_at=case.opened_at + timedelta(days=1),
            rationale="Hear from those involved and speak to the parent.",
            outcome="Spoke to the parent." if done else "",
            completed_at=case.closed_at if done else None,
        )

    def _letters(self) -> None:
        template = LetterTemplate.objects.get(kind="warning_letter")
        version = template.history.latest()
        steps_by_case = {s.case_id: s for s in self.steps}
        rows = []
        for i in range(self.volume.letters):
            case = self.cases[0] if i < 3 else self.random.choice(self.cases)
            waiting = i % 250 == 0  # About sixty in the office's print queue.
            rows.append(self._letter(case, steps_by_case.get(case.id), template, version, waiting))
        Letter.objects.bulk_create(rows, batch_size=BATCH)

    def _letter(self, case, step, template, version, waiting: bool) -> Letter:
        person = self.case_person[case.id]
        approved = case.opened_at + timedelta(days=3)
        return Letter(
            case=case,
            step=step,
            person=person,
            kind="warning_letter",
            template=template,
            template_version=version,
            status=Letter.Status.READY if waiting else Letter.Status.POSTED,
            addressee_name=person.full_name,
            addressee_address=person.postal_address,
            summary="Posts in the class group that broke the code of conduct.",
            drafted_by=case.lead,
            drafted_at=case.opened_at + timedelta(days=2),
            approved_by=self.head,
            approved_at=approved,
            letter_date=approved.date(),
            posted_on=None if waiting else approved.date(),
        )

    # --- the audit log -------------------------------------------------------------------
    def _audit_events(self) -> None:
        """COPY half a million events that form one valid hash chain."""
        columns = [
            "at", "action", "actor_id", "actor_kind", "actor_role", "object_type",
            "object_id", "extra", "request_id", "previous_hash", "hash",
        ]  # fmt: skip
        sql = f"COPY {AuditEvent._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cursor:
            previous = _chain_tail()
            with cursor.cursor.copy(sql) as copy:
                for e in self._events(previous):
                    copy.write_row((
                        e.at, e.action, e.actor_id, e.actor_kind, e.actor_role, e.object_type,
                        e.object_id, json.dumps(e.extra), e.request_id, e.previous_hash, e.hash,
                    ))  # fmt: skip

    def _events(self, previous: str) -> Iterator[AuditEvent]:
        objects = self._audit_objects()
        total = self.volume.audit_events
        start = self.now - 6 * YEAR
        step = (self.now - timedelta(hours=1) - start) / total
        for i in range(total):
            actor = self.leads[i % len(self.leads)]
            action, object_type, object_id = objects[i % len(objects)]
            event = AuditEvent(
                at=start + step * i,
                action=action,
                actor_id=actor.id,
                actor_kind="staff",
                actor_role="slt",
                object_type=object_type,
                object_id=str(object_id),
                extra={},
                request_id=uuid.UUID(int=self.random.getrandbits(128)).hex,
                previous_hash=previous,
            )
            event.hash = event.compute_hash()
            previous = event.hash
            yield event

    def _audit_objects(self) -> list[tuple[str, str, int]]:
        """A shuffled mix of looks at cases, reports and people; the landmarks often."""
        case_ids = [c.id for c in self.cases]
        mix = [(AuditEvent.Action.CASE_VIEWED, "cases.case", i) for i in case_ids]
        mix += [(AuditEvent.Action.REPORT_VIEWED, "reports.report", r.id) for r in self.reports]
        mix += [(AuditEvent.Action.PERSON_VIEWED, "cases.person", p.id) for p in self.people]
        mix += [(AuditEvent.Action.CASE_VIEWED, "cases.case", case_ids[0])] * 100
        mix += [(AuditEvent.Action.PERSON_VIEWED, "cases.person", self.busy_person.id)] * 100
        self.random.shuffle(mix)
        return mix

    def _landmarks(self) -> Landmarks:
        waiting = Report.objects.filter(status=Report.Status.RECEIVED).order_by("id").first()
        report = waiting or self.reports[0]
        return Landmarks(
            big_case_id=self.cases[0].id,
            busy_person_id=self.busy_person.id,
            report_reference=report.reference,
            passphrase=BENCH_PASSPHRASE,
            search_term=SEARCHED_NAME.lower(),
        )


def _terms(start: int) -> list[tuple[str, date, date]]:
    """The school year starting in September of `start`: autumn, spring and summer."""
    return [
        (f"Autumn term {start}", date(start, 9, 3), date(start, 12, 19)),
        (f"Spring term {start + 1}", date(start + 1, 1, 5), date(start + 1, 3, 27)),
        (f"Summer term {start + 1}", date(start + 1, 4, 13), date(start + 1, 7, 22)),
    ]


def _chain_tail() -> str:
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS


class _EvidenceFiles:
    """One small real picture on disk, hard-linked under each screenshot's own names, so
    60,000 screenshots cost seconds; deleting one (the purge) leaves the others."""

    # ext4 allows 65,000 links to one file: start a fresh copy well before that.
    LINKS_PER_COPY = 20_000

    def __init__(self, root: Path):
        self.root = root
        for folder in ("originals", "working", "thumbnails"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        self.png, self.jpeg = small_png(), small_jpeg()
        self.sha256 = hashlib.sha256(self.png).hexdigest()
        self.links = 0

    def _sources(self) -> tuple[Path, Path]:
        copy = self.links // self.LINKS_PER_COPY
        png, jpeg = self.root / f"bench-source-{copy}.png", self.root / f"bench-source-{copy}.jpg"
        if not png.exists():
            png.write_bytes(self.png)
            jpeg.write_bytes(self.jpeg)
        self.links += 1
        return png, jpeg

    def screenshot(self, report: Report, n: int) -> Screenshot:
        stem = uuid.uuid4().hex
        names = [f"originals/{stem}", f"working/{stem}.png", f"thumbnails/{stem}.jpg"]
        png, jpeg = self._sources()
        for name, source in zip(names, (png, png, jpeg), strict=True):
            os.link(source, self.root / name)
        return Screenshot(
            report=report,
            display_name=f"screenshot-{n + 1}.png",
            source_format="PNG",
            original=names[0],
            original_sha256=self.sha256,
            working=names[1],
            working_sha256=self.sha256,
            working_content_type="image/png",
            thumbnail=names[2],
            width=64,
            height=48,
            size_bytes=len(self.png),
            uploaded_at=report.submitted_at,
        )


def describe(volume: Volume) -> str:
    return json.dumps(volume.__dict__)
