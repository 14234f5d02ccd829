"""A case about one parent, with a template for every letter that carries out a step, and
ban steps in any state: for the tests of which step each letter needs (letters.steps)."""

from dataclasses import dataclass
from datetime import date

from cases.models import Case, LadderStep, Person
from letters.models import LetterKind
from letters.services import Draft
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory
from tests.letters.helpers import template

BAN_BODY = (
    "Dear {{ parent_name }},\n\nYou may not come onto the school site from {{ ban_start }} "
    "to {{ ban_end }}. The ban will be reviewed on {{ review_date }}.\n\n{{ summary }}"
)
REPRESENTATIONS_BODY = (
    "Dear {{ parent_name }},\n\nThe school is thinking of banning you from the site from "
    "{{ ban_start }}. Tell us what you think by {{ representations_deadline }}.\n\n{{ summary }}"
)
MEETING_BODY = "Dear {{ parent_name }},\n\nPlease come to a meeting.\n\n{{ summary }}"
BODIES = {
    LetterKind.WARNING_LETTER: "Dear {{ parent_name }},\n\n{{ summary }}",
    LetterKind.MEETING_INVITATION: MEETING_BODY,
    LetterKind.REPRESENTATIONS_INVITATION: REPRESENTATIONS_BODY,
    LetterKind.SITE_BAN_TEMPORARY: BAN_BODY,
    LetterKind.SITE_BAN_FULL: BAN_BODY,
    LetterKind.BAN_REVIEW_OUTCOME: BAN_BODY,
}
BAN_DATES = {
    "ban_starts_on": date(2026, 5, 11),
    "ban_ends_on": date(2026, 7, 17),
    "review_on": date(2026, 6, 15),
    "representations_invited_on": date(2026, 4, 20),
    "representations_deadline": date(2026, 5, 4),
}


@dataclass
class Scene:
    case: Case
    person: Person


def scene(slt) -> Scene:
    """A case about Jordan Smith, with one report about them and every template."""
    for kind, body in BODIES.items():
        template(kind, LetterKind(kind).label, body)
    case = CaseFactory(lead=slt)
    ReportFactory(case=case, posted_by="Jordan Smith")
    person = PersonFactory(full_name="Jordan Smith", postal_address="1 Example Road")
    case.people.add(person)
    return Scene(case, person)


def ban(case, person, status="in_progress", ban_type="full", **fields) -> LadderStep:
    """A site ban step about this parent, with its dates."""
    return LadderStepFactory(
        case=case,
        person=person,
        kind="site_ban",
        status=status,
        ban_type=ban_type,
        **{**BAN_DATES, **fields},
    )


def step(case, person, kind, status="in_progress") -> LadderStep:
    return LadderStepFactory(case=case, person=person, kind=kind, status=status)


def draft(**facts) -> Draft:
    return Draft(
        summary="You shouted at the class teacher at the gate.",
        addressee_name="Jordan Smith",
        addressee_address="1 Example Road",
        addressee_email="",
        delivery="post",
        facts=facts,
    )
