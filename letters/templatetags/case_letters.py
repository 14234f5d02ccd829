"""For the case page's section on letters (templates/letters/includes/case_letters.html),
which the cases app's page includes: a tag, so that cases needs nothing from letters in
Python (docs/architecture.md, "Apps")."""

from django import template

from letters.models import LetterKind

register = template.Library()


@register.simple_tag
def parent_letter_kinds() -> list[LetterKind]:
    """The letters staff may write to a parent from the case page. A note to a reporter is
    written from the link beside their report instead."""
    return [kind for kind in LetterKind if kind != LetterKind.REPORTER_NOTE]
