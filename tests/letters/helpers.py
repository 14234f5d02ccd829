"""Letters for tests: a template of each kind, and a letter on a case."""

from letters.models import LetterKind, LetterTemplate
from letters.services import Draft, letter_draft
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory

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
