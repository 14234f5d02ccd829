"""Letters for tests: a template of each kind, a letter on a case, a case with two reports,
and what staff post on the draft form."""

from datetime import date

from django.utils import timezone

from letters.models import LetterKind, LetterTemplate
from letters.services import Draft, letter_draft
from tests.factories import (
    CaseFactory,
    ClassGroupFactory,
    LadderStepFactory,
    PersonFactory,
    ReportFactory,
)

WARNING_BODY = (
    "Dear {{ parent_name }},\n\n"
    "On {{ incident_date }} a message was posted in the {{ group }} WhatsApp group.\n\n"
    "{{ summary }}\n\n"
    "This breaks the school's code of conduct for class WhatsApp groups. Please treat every "
    "member of our school community with respect."
)


def template(
    kind=LetterKind.WARNING_LETTER, heading="Warning letter", body=WARNING_BODY
) -> LetterTemplate:
    made, _ = LetterTemplate.objects.update_or_create(
        kind=kind, defaults={"heading": heading, "body": body}
    )
    return made


def warning_letter(
    slt,
    summary="You called a teacher names in the group.",
    address="1 Example Road\nLondon SE5 0AA",
    **draft,
):
    template()
    case = CaseFactory(lead=slt)
    report = ReportFactory(
        case=case, reporter_name="Priya Reporter", reporter_email="priya@example.org"
    )
    person = PersonFactory(
        full_name="Jordan Smith", postal_address=address, email="jordan@example.org"
    )
    case.people.add(person)
    step = LadderStepFactory(case=case, kind="warning_letter")
    fields = {
        "summary": summary,
        "addressee_name": person.full_name,
        "addressee_address": address,
        "addressee_email": person.email,
        "delivery": "post",
        **draft,
    }
    letter = letter_draft(
        case=case,
        kind=LetterKind.WARNING_LETTER,
        draft=Draft(**fields),
        acting_user=slt,
        step=step,
        person=person,
    )
    return letter, report


def two_groups_case(slt):
    """A case with two reports from two groups: the first about someone else, the second
    about Jordan Smith (who appears in the groups as "Jordan S"), and a warning letter step
    about Jordan, in progress. Returns (case, person, first report, second report)."""
    template()
    case = CaseFactory(lead=slt)
    first = ReportFactory(
        case=case,
        group=ClassGroupFactory(name="Year 2"),
        occurred_on=date(2026, 3, 2),
        posted_by="Casey M",
    )
    second = ReportFactory(
        case=case,
        group=ClassGroupFactory(name="Year 5"),
        occurred_on=date(2026, 3, 9),
        posted_by="Jordan S (+44 7700 900111)",
    )
    person = PersonFactory(
        full_name="Jordan Smith",
        group_names="Jordan S\n+44 7700 900111",
        postal_address="1 Example Road\nLondon SE5 0AA",
    )
    case.people.add(person)
    LadderStepFactory(case=case, person=person, kind="warning_letter")
    return case, person, first, second


def draft_data(**fields) -> dict:
    """What staff post on the draft form for a warning letter, with the facts it states."""
    data = {
        "addressee_name": "Jordan Smith",
        "addressee_address": "1 Example Road\nLondon SE5 0AA",
        "delivery": "post",
        "summary": "You called the class teacher names in the group.",
        "incident_group": "Year 5",
        **date_fields("incident_on", date(2026, 3, 9)),
    }
    return {**data, **fields}


def date_fields(name: str, day: date | None) -> dict:
    """A GOV.UK date input's three boxes."""
    parts = (day.day, day.month, day.year) if day else ("", "", "")
    return {f"{name}_{index}": str(part) for index, part in enumerate(parts)}


def broken_version(letter, body="{% include 'base.html' %}"):
    """Make the template version a letter was drafted from unrenderable, as a row written
    before today's checks (or straight to the database) might be."""
    version = letter.template_version
    version.body = body
    version.save()
    return version


def stored_template(body: str, kind=LetterKind.WARNING_LETTER) -> LetterTemplate:
    """A template whose saved wording, and newest version, is `body`, written without
    clean() as a row from before the checks (or straight to the database) might be."""
    made = template(kind)
    LetterTemplate.objects.filter(pk=made.pk).update(body=body)
    LetterTemplate.history.model.objects.create(
        id=made.pk, kind=made.kind, heading=made.heading, body=body,
        updated_at=made.updated_at, history_date=timezone.now(), history_type="~",
    )  # fmt: skip
    made.refresh_from_db()
    return made
