"""Letters made before facts were stored on them keep their text: the data migration fills
in what the letter used to read from the case when it was shown."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from letters.content import FACTS, letter_context
from letters.models import Letter, LetterKind
from letters.services import Draft, letter_draft
from tests.factories import LadderStepFactory
from tests.letters.helpers import template, two_groups_case

FILL = "0004_fill_letter_facts"
BEFORE = "0003_letter_facts"
MEETING_BODY = (
    "Dear {{ parent_name }} ({{ pupil_class }}),\n\n"
    "On {{ incident_date }}, in the {{ group }} group. Come on {{ meeting_date }} at "
    "{{ meeting_time }} with {{ attendees }}.\n\n{{ summary }}"
)


def migrate(target: str) -> None:
    MigrationExecutor(connection).migrate([("letters", target)])


def text_of(letter: Letter) -> str:
    context = letter_context(letter, date(2026, 6, 1))
    return " ".join(re.sub(r"<[^>]+>", " ", str(context["body"])).split())


def as_before_facts_were_stored(letter: Letter) -> None:
    blank = {name: None if name.endswith("_on") or "deadline" in name else "" for name in FACTS}
    Letter.objects.filter(id=letter.id).update(**blank)
    letter.reports.clear()


@pytest.fixture
def old_letter(transactional_db, slt):
    """A meeting letter on a case with two reports, as a row from before this change."""
    template(LetterKind.MEETING_INVITATION, "Meeting", MEETING_BODY)
    case, person, first, _second = two_groups_case(slt)
    person.pupils = "Sam Smith, Year 3\nAlex Smith, Year 1"
    person.save()
    step = LadderStepFactory(
        case=case,
        person=person,
        kind="meeting",
        meeting_at=datetime(2026, 6, 8, 9, 15, tzinfo=ZoneInfo("Europe/London")),
        attendees="the Head Teacher",
    )
    draft = Draft(
        summary="Please come in.", addressee_name="Jordan Smith", addressee_address="1 Road",
        addressee_email="", delivery="post",
    )  # fmt: skip
    letter = letter_draft(
        case=case, kind=LetterKind.MEETING_INVITATION, draft=draft, acting_user=slt,
        step=step, person=person,
    )  # fmt: skip
    as_before_facts_were_stored(letter)
    yield letter, first
    migrate(FILL)


@pytest.mark.smoke
def test_an_old_letter_gets_the_facts_it_used_to_show(old_letter):
    letter, first = old_letter
    migrate(BEFORE)
    migrate(FILL)

    letter = Letter.objects.get(id=letter.id)
    assert list(letter.reports.all()) == [first]  # The case's earliest report, as before.
    assert text_of(letter) == (
        "Dear Jordan Smith (Sam Smith, Year 3, Alex Smith, Year 1), "
        "On 2 March 2026, in the Year 2 group. "
        # As it was shown before: the meeting's stored (UTC) time.
        "Come on 8 June 2026 at 08:15 with the Head Teacher. "
        "Please come in."
    )
