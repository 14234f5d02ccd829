"""Demo data for a new install: school settings, groups, one account per staff role, a
few reports waiting for triage, and three terms of made-up history for the Insight
dashboard. Safe to run again: it resets the demo passwords and prints them."""

import random
import secrets
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from brunswick.access.services import staff_enrol
from brunswick.accounts.models import Role, User
from brunswick.school.models import ClassGroup, ClosureDay, SchoolSettings, TermDate
from cases import ladder
from cases.models import Case, Decision, LadderStep, Person
from cases.services import case_link_person, case_open, person_add
from reports.credentials import hash_passphrase, new_passphrase, new_reference
from reports.models import Category, ClosedReason, Report, ReportCategory
from reports.services import ReportDetails, report_submit

GROUPS = ["Nursery", "Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]
ACCOUNTS = [
    ("slt", "Sam", "Lead", Role.SLT),
    ("head", "Helen", "Head", Role.HEAD_TEACHER),
    ("office", "Olu", "Office", Role.OFFICE),
    ("admin", "Ada", "Admin", Role.ADMIN),
]
DEMO_REPORTS = [
    (
        "Year 3",
        [Category.ABUSIVE_COMMENTS, Category.ANGER],
        "Parent A",
        "A parent called the class teacher names and swore at other parents who disagreed.",
    ),
    (
        "Year 5",
        [Category.CHALLENGING_POLICIES],
        "+44 7700 900123",
        "Messages discussing a named child's behaviour, and saying the behaviour policy is a joke.",
    ),
    (
        "Reception",
        [Category.THREATENING],
        "",
        "A message saying a parent would 'sort out' a member of staff at pick-up.",
    ),
]


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _weekday_on_or_after(day: date) -> date:
    saturday_or_sunday = day.weekday() > 4
    return day + timedelta(days=7 - day.weekday()) if saturday_or_sunday else day


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _school_year(year: int) -> list[tuple[str, date, date]]:
    """Plausible English term dates for the school year starting in September of `year`."""
    return [
        (
            f"Autumn term {year}",
            _weekday_on_or_after(date(year, 9, 3)),
            _weekday_on_or_before(date(year, 12, 18)),
        ),
        (
            f"Spring term {year + 1}",
            _weekday_on_or_after(date(year + 1, 1, 5)),
            _weekday_on_or_before(date(year + 1, 3, 27)),
        ),
        (
            f"Summer term {year + 1}",
            _monday_on_or_after(date(year + 1, 4, 13)),
            _weekday_on_or_before(date(year + 1, 7, 22)),
        ),
    ]


class Command(BaseCommand):
    help = "Load demo data and print one account per staff role."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # Its accounts have passwords printed in the README: never on a real server.
            raise CommandError(
                "seed_demo is for a laptop: it makes staff accounts whose passwords are "
                "published. It does not run with DJANGO_ENV=production."
            )
        # Commit first, so the demo reports' e-mails print before the accounts do.
        with transaction.atomic():
            lines = self._seed()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Staff accounts (sign in at /staff/login/):")
        )
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            "For the code, use an authenticator app with the secret, or: oathtool --totp -b SECRET"
        )

    def _seed(self) -> list[str]:
        school = SchoolSettings.current()
        if not school.address:
            school.address = "Demo address\nLondon"
            school.phone = "020 0000 0000 (demo)"
            school.signatory_name = "Helen Head"
            school.save()
        for position, name in enumerate(GROUPS):
            ClassGroup.objects.get_or_create(name=name, defaults={"position": position})
        self._calendar(timezone.localdate())
        lines = [self._account(*account) for account in ACCOUNTS]
        if not Report.objects.exists():
            self._reports()
        if not Case.objects.exists():
            self._case()
        if not Case.objects.filter(title__endswith=HISTORY_MARK).exists():
            DemoHistory(timezone.localdate()).make()
        return lines

    def _calendar(self, today: date) -> None:
        """Last, this and next school year's terms, and two closure days, so the
        staff inbox counts school days as it would at a real school."""
        current_year = today.year if today.month >= 8 else today.year - 1
        for year in (current_year - 1, current_year, current_year + 1):
            for name, starts_on, ends_on in _school_year(year):
                TermDate.objects.get_or_create(
                    name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
                )
        closures = [
            (_monday_on_or_after(date(current_year, 11, 2)), "INSET day"),
            (_monday_on_or_after(date(current_year + 1, 5, 1)), "Early May bank holiday"),
        ]
        for closed_on, reason in closures:
            ClosureDay.objects.get_or_create(date=closed_on, defaults={"reason": reason})

    def _account(self, username, first, last, role) -> str:
        password = f"demo-{secrets.token_urlsafe(9)}"
        _, secret = staff_enrol(
            username=username,
            role=role,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
        )
        return (
            f"  {role.label:<24} username: {username:<7} password: {password}"
            f"  TOTP secret: {secret}"
        )

    def _case(self) -> None:
        """One case already under way, so a new user can draft a letter at once; the other
        demo reports wait in the inbox for triage."""
        slt = User.objects.get(username="slt")
        report = Report.objects.filter(group__name="Year 3", case__isnull=True).first()
        case = case_open(
            report=report,
            title="Swearing at the class teacher in the Year 3 group",
            lead=slt,
            acting_user=slt,
        )
        person = person_add(
            acting_user=slt,
            full_name="Jordan Smith (demo)",
            pupils="Alex Smith, Year 3",
            group_names="Parent A",
            postal_address="1 Demo Road\nLondon\nSE5 0AA",
            email="jordan@example.org",
        )
        case_link_person(case=case, version=case.version, person=person, acting_user=slt)
        step = ladder.step_propose(
            case=case,
            version=case.version + 1,
            acting_user=slt,
            proposal=ladder.StepProposal(
                kind="information_gathering",
                person_id=person.id,
                rationale="First response: hear from those involved and speak to the parent.",
            ),
        )
        ladder.step_complete(
            step=step,
            version=case.version + 2,
            acting_user=slt,
            minutes="",
            outcome="Spoke to the parent by phone. They did not accept it was a problem.",
        )

    def _reports(self) -> None:
        for days_ago, (group, categories, posted_by, description) in enumerate(
            DEMO_REPORTS, start=1
        ):
            report_submit(
                submission_key=uuid.uuid4(),
                details=ReportDetails(
                    group=ClassGroup.objects.get(name=group),
                    group_other="",
                    categories=[c.value for c in categories],
                    occurred_on=timezone.localdate() - timedelta(days=days_ago),
                    occurred_at_time=None,
                    posted_by=posted_by,
                    description=description,
                    reporter_name="Demo Parent",
                    reporter_relationship="parent",
                    reporter_email="",
                    reporter_phone="020 0000 0000",
                ),
            )


HISTORY_MARK = "(demo history)"
FIRST_NAMES = ["Morgan", "Casey", "Riley", "Jamie", "Taylor", "Avery", "Quinn", "Rowan", "Sasha"]
LAST_NAMES = ["Reed", "Lowe", "Patel", "Okafor", "Brooks", "Khan", "Murphy", "Ellis", "Novak"]
REPEATERS = 3  # The first people are linked to several cases: the dashboard's repeat list.
# Groups named more often in the made-up history, so the groups chart has a shape.
GROUP_WEIGHTS = {"Year 3": 6, "Year 5": 5, "Year 2": 3, "Year 6": 3, "Reception": 2}
CATEGORY_WEIGHTS = {
    Category.ABUSIVE_COMMENTS: 6, Category.ANGER: 5, Category.GRIEVANCES: 5,
    Category.CHALLENGING_POLICIES: 4, Category.RESPECT: 3, Category.DISREPUTE: 2,
    Category.POLITICAL: 2, Category.THREATENING: 2, Category.DEFAMATORY: 2,
    Category.PRIVATE_CONVERSATIONS: 1, Category.ABUSIVE_EMAILS: 1,
}  # fmt: skip
# The ladder's rungs a made-up case reaches, and the Head Teacher's decision if it closed.
CASE_ENDINGS = [
    (["information_gathering"], Decision.Outcome.ADVICE_GIVEN),
    (["information_gathering"], Decision.Outcome.NO_BREACH),
    (["information_gathering", "meeting"], Decision.Outcome.MEETING_HELD),
    (["information_gathering", "warning_letter"], Decision.Outcome.WARNING_ISSUED),
    (["information_gathering", "meeting", "warning_letter"], Decision.Outcome.WARNING_ISSUED),
    (["information_gathering", "authorities"], Decision.Outcome.AUTHORITIES_INFORMED),
    (["information_gathering", "legal_advice"], Decision.Outcome.LEGAL_ADVICE_SOUGHT),
    (["information_gathering", "moderator_removal"], Decision.Outcome.GROUP_REMOVAL),
    (
        ["information_gathering", "meeting", "warning_letter", "site_ban"],
        Decision.Outcome.SITE_BAN,
    ),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


class DemoHistory:
    """About 15 months of made-up reports, cases, steps and decisions, so the Insight
    dashboard has something to show. Made directly (not through the services): the history
    is invented, so it sends no e-mails and records no audit events, and its dates are set
    afterwards. Seeded randomness: every install gets the same history relative to today."""

    def __init__(self, today: date):
        self.today = today
        self.random = random.Random(2026)  # noqa: S311  (demo data, not secrets)
        self.slt = User.objects.get(username="slt")
        self.head = User.objects.get(username="head")
        self.groups = list(ClassGroup.objects.filter(name__in=GROUPS))
        self.passphrase_hash = hash_passphrase(new_passphrase())  # Nobody will follow these up.

    def make(self) -> None:
        names = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]
        self.random.shuffle(names)
        people = [self._person(name) for name in names[:REPEATERS]]
        for n in range(72):
            day = self._school_day(self.today - timedelta(days=self.random.randint(1, 450)))
            report = self._report(day)
            if day > self.today - timedelta(days=3) or self.random.random() < 0.2:
                self._triage_closed(report, day)
                continue
            repeat = n % 5 == 0
            person = people[n % REPEATERS] if repeat else self._person(names[REPEATERS + n])
            self._case(report, day, person)

    def _school_day(self, day: date) -> date:
        return _weekday_on_or_before(day) if day.weekday() > 4 else day

    def _person(self, name: str) -> Person:
        person = Person.objects.create(
            full_name=f"{name} (demo)",
            pupils="A child, Year 3",
            postal_address="1 Demo Road\nLondon\nSE5 0AA",
            created_by=self.slt,
        )
        Person.objects.filter(id=person.id).update(
            created_at=_at(self.today - timedelta(days=460), 9)
        )
        return person

    def _report(self, day: date) -> Report:
        names = list(GROUP_WEIGHTS) + [g.name for g in self.groups if g.name not in GROUP_WEIGHTS]
        weights = [GROUP_WEIGHTS.get(name, 1) for name in names]
        name = self.random.choices(names, weights)[0]
        report = Report.objects.create(
            reference=new_reference(),
            passphrase_hash=self.passphrase_hash,
            submission_key=uuid.uuid4(),
            group=next((g for g in self.groups if g.name == name), None),
            group_other="" if self.random.random() > 0.05 else "Year 4 football club",
            occurred_on=day,
            posted_by="A parent",
            description="Demo history: no real report.",
            reporter_name="Demo Parent",
            reporter_relationship="parent",
        )
        categories = set(
            self.random.choices(
                list(CATEGORY_WEIGHTS),
                list(CATEGORY_WEIGHTS.values()),
                k=self.random.choice([1, 1, 2]),
            )
        )
        ReportCategory.objects.bulk_create(
            ReportCategory(report=report, category=c) for c in categories
        )
        Report.objects.filter(id=report.id).update(submitted_at=_at(day, 19))
        return report

    def _acknowledged(self, day: date) -> date:
        return min(
            self.today,
            self._school_day(day + timedelta(days=self.random.choice([1, 1, 1, 2, 2, 3, 5]))),
        )

    def _triage_closed(self, report: Report, day: date) -> None:
        if day > self.today - timedelta(days=3):
            return  # Recent: still waiting for triage.
        Report.objects.filter(id=report.id).update(
            status=Report.Status.CLOSED,
            closed_reason=self.random.choice(ClosedReason.values),
            triaged_at=_at(self._acknowledged(day), 10),
            triaged_by=self.slt,
        )

    def _case(self, report: Report, day: date, person: Person) -> None:
        opened_on = self._acknowledged(day)
        case = Case.objects.create(
            title=f"{report.group_display} group {HISTORY_MARK}", lead=self.slt, opened_by=self.slt
        )
        case.people.add(person)
        Report.objects.filter(id=report.id).update(
            case=case,
            status=Report.Status.BEING_LOOKED_AT,
            triaged_at=_at(opened_on, 10),
            triaged_by=self.slt,
        )
        steps, outcome = self.random.choice(CASE_ENDINGS)
        age = (self.today - opened_on).days
        closes_after = self.random.choice([8, 12, 18, 25, 30, 45])
        closed = age > closes_after and self.random.random() < 0.85
        if not closed:
            steps = steps[: self.random.randint(0, len(steps))]
        for n, kind in enumerate(steps):
            self._step(
                case, kind, opened_on + timedelta(days=2 * n), done=closed or n < len(steps) - 1
            )
        closed_on = self._school_day(opened_on + timedelta(days=closes_after))
        Case.objects.filter(id=case.id).update(
            opened_at=_at(opened_on, 10),
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            closed_at=_at(closed_on, 15) if closed else None,
        )
        if closed:
            Report.objects.filter(id=report.id).update(status=Report.Status.CLOSED)
            Decision.objects.create(
                case=case,
                outcome=outcome,
                reasons="Demo history.",
                decided_on=closed_on,
                decided_by=self.head,
                ban_starts_on=closed_on if outcome == Decision.Outcome.SITE_BAN else None,
            )

    def _step(self, case: Case, kind: str, on: date, *, done: bool) -> None:
        waits = kind in ("authorities", "legal_advice", "warning_letter", "site_ban")
        status = "completed" if done else ("awaiting_approval" if waits else "in_progress")
        step = LadderStep.objects.create(
            case=case,
            kind=kind,
            status=status,
            proposed_by=self.slt,
            rationale="Demo history.",
            outcome="Demo history." if done else "",
            **(self._ban(on) if kind == "site_ban" else {}),
        )
        LadderStep.objects.filter(id=step.id).update(
            proposed_at=_at(min(on, self.today), 11),
            completed_at=_at(min(on + timedelta(days=1), self.today), 11) if done else None,
        )

    def _ban(self, on: date) -> dict:
        return {
            "ban_type": LadderStep.BanType.TEMPORARY,
            "ban_starts_on": on,
            "ban_ends_on": on + timedelta(days=28),
            "review_on": on + timedelta(days=21),
            "representations_invited_on": on - timedelta(days=10),
            "representations_deadline": on - timedelta(days=3),
            "representations": "",
            "representations_received": False,  # The parent did not respond.
        }
