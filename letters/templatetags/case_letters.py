"""For the case page's section on letters (templates/letters/includes/case_letters.html),
which the cases app's page includes: a tag, so that cases needs nothing from letters in
Python (docs/architecture.md, "Apps")."""

from dataclasses import dataclass

from django import template

from letters.models import LetterKind
from letters.steps import LETTER_STEPS, usable_steps

register = template.Library()


@dataclass(frozen=True)
class LetterChoices:
    offered: list[LetterKind]
    # Each letter not offered, with why: its label and the refusal of letters.steps.
    not_offered: list[tuple[str, str]]


@register.simple_tag
def parent_letter_choices(case) -> LetterChoices:
    """The letters staff may write to a parent from the case page: those that carry out no
    step, and those whose step (letters.steps) is on the case for at least one of its
    parents, in the right state; the others with why not. From the case's prefetched steps
    and people. A note to a reporter is written from the link beside their report
    instead."""
    people = list(case.people.all())
    ids = [person.id for person in people]
    steps = list(case.steps.all())
    offered, not_offered = [], []
    for kind in LetterKind:
        if kind == LetterKind.REPORTER_NOTE:
            continue
        if kind not in LETTER_STEPS or any(
            usable_steps(kind, steps, person, ids) for person in people
        ):
            offered.append(kind)
        else:
            not_offered.append((kind.label, LETTER_STEPS[kind].refusal))
    return LetterChoices(offered, not_offered)
