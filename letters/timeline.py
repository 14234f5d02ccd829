"""Letters on a case's timeline and on a person's chronology. Declared to cases at start-up
(`LETTERS`, added to `cases.selectors.TIMELINE_SOURCES` by letters.apps), because cases
may not import letters (docs/architecture.md, "Apps")."""

from datetime import datetime, time

from django.db.models import Prefetch
from django.utils import timezone

from cases.models import Case, Person
from cases.selectors import Event, TimelineSource

from .models import Letter


def letter_events(letter: Letter, case: Case | None = None) -> list[Event]:
    """A letter's life: drafted, approved, its PDF made (with its hash), printed, posted."""
    name = f"{letter.get_kind_display()} to {letter.addressee_name} (version {letter.version})"
    events = [Event(letter.drafted_at, f"Letter drafted: {name}", "", case)]
    if letter.approved_at:
        events.append(
            Event(letter.approved_at, f"Letter approved by {letter.approved_by}: {name}", "", case)
        )
    if letter.rendered_at:
        events.append(
            Event(
                letter.rendered_at, f"Letter PDF made: {name}", f"SHA-256 {letter.pdf_sha256}", case
            )
        )
    if letter.printed_at:
        events.append(Event(letter.printed_at, f"Letter printed: {name}", "", case))
    if letter.posted_on:
        posted = datetime.combine(
            letter.posted_on, time(12), tzinfo=timezone.get_current_timezone()
        )
        events.append(Event(posted, f"Letter posted: {name}", "", case))
    if letter.emailed_at:
        events.append(Event(letter.emailed_at, f"Letter e-mailed: {name}", "", case))
    return events


def _with_case() -> Prefetch:
    # In the order they were drafted: the case page lists them so.
    letters = Letter.objects.select_related("approved_by").order_by("drafted_at", "id")
    return Prefetch("letters", letters)


def _with_person(person: Person) -> Prefetch:
    # A person's chronology shows the letters to them, not those to others on their cases.
    return Prefetch("letters", Letter.objects.filter(person=person).select_related("approved_by"))


def _events(case: Case, tag: Case | None) -> list[Event]:
    return [event for letter in case.letters.all() for event in letter_events(letter, tag)]


LETTERS = TimelineSource(with_case=_with_case, with_person=_with_person, events=_events)
