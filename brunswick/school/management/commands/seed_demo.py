"""Demo data for a new install: school settings, groups, one account per staff role, and a
few reports. Safe to run again: it resets the demo passwords and prints them."""

import secrets
import uuid
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from brunswick.accounts.models import Role, User
from brunswick.accounts.services import staff_enrol
from brunswick.school.models import ClassGroup, ClosureDay, SchoolSettings, TermDate
from cases import ladder
from cases.models import Case
from cases.services import case_link_person, case_open, person_add
from reports.models import Category, Report
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
        return lines

    def _calendar(self, today: date) -> None:
        """This school year's and next school year's terms, and two closure days, so the
        staff inbox counts school days as it would at a real school."""
        current_year = today.year if today.month >= 8 else today.year - 1
        for year in (current_year, current_year + 1):
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
        report = Report.objects.filter(group__name="Year 3").first()
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
