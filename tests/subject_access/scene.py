"""The tester's scene: a report on a case about Jordan Smith and Avery Brooks, reported by
Priya Shah, written the way people write: Avery as "Avery B.", "Mrs Brooks" and
"Avery's", her address from the register without the town, the reporter's first name
alone ("Priya here")."""

from dataclasses import dataclass

from django.utils import timezone

from brunswick.subject_access.models import SubjectAccessRequest
from cases.models import Case, Person
from reports.models import Message, Report
from tests.factories import CaseFactory, PersonFactory, ReportFactory

from .conftest import request_for

JORDANS_ADDRESS = "1 Example Road\nLondon SE5 0AA"
AVERYS_ADDRESS = "12 Acacia Avenue, London SE5 9ZZ"
POSTED_BY = "Avery B. and Jordan Smith"
DESCRIPTION = (
    "Mrs Brooks also said she would keep posting until the class listened. "
    "Avery's number is 07700 900444 and she lives at 12 Acacia Avenue, SE5 9ZZ. "
    "Priya here, my mobile is 07700 900222 if you need me."
)
REPORTERS_MESSAGE = "Riley was in tears at the gate this morning."
SCHOOLS_MESSAGE = "Thank you, Ms Shah. We are looking at this."
# Nothing of these may reach Jordan's pack, in any form.
SECRETS = ("Avery", "Brooks", "Acacia", "SE5 9ZZ", "Priya", "Shah", "Riley", "900444", "900222")


@dataclass
class Scene:
    jordan: Person
    avery: Person
    case: Case
    report: Report
    request: SubjectAccessRequest


def _named(user, first_name: str, last_name: str) -> None:
    """Staff named for the test (the factory's random names could be anyone's)."""
    user.first_name, user.last_name = first_name, last_name
    user.save()


def the_testers_scene(slt, head_teacher, *, status: str = Case.Status.OPEN) -> Scene:
    _named(slt, "Alice", "Okafor")
    _named(head_teacher, "Helen", "Ward")
    jordan = PersonFactory(
        created_by=slt,
        full_name="Jordan Smith",
        pupils="Sam Smith, Year 3",
        group_names="Jordan S",
        postal_address=JORDANS_ADDRESS,
        email="jordan@example.org",
    )
    avery = PersonFactory(
        created_by=slt,
        full_name="Avery Brooks",
        pupils="Riley Brooks, Year 3",
        group_names="+44 7700 900444",
        postal_address=AVERYS_ADDRESS,
        email="avery@example.org",
    )
    closed_at = timezone.now() if status == Case.Status.CLOSED else None
    case = CaseFactory(lead=slt, status=status, closed_at=closed_at)
    case.people.add(jordan, avery)
    report = ReportFactory(
        case=case,
        reporter_name="Priya Shah",
        reporter_email="priya@example.org",
        reporter_phone="07700 900222",
        posted_by=POSTED_BY,
        description=DESCRIPTION,
    )
    Message.objects.create(report=report, author="reporter", body=REPORTERS_MESSAGE)
    Message.objects.create(report=report, author="school", body=SCHOOLS_MESSAGE)
    return Scene(jordan, avery, case, report, request_for(jordan, head_teacher))
