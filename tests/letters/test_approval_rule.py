"""Who approves a letter follows the ladder's one rule (cases.ladder): ban letters need the
Head Teacher, warning letters too unless the school lets SLT send them."""

import pytest

from brunswick.school.models import SchoolSettings
from cases.ladder import needs_head_teacher_approval
from letters.models import Letter, LetterKind
from letters.services import may_approve, needs_head_teacher

pytestmark = pytest.mark.django_db

ALWAYS = [
    LetterKind.REPRESENTATIONS_INVITATION,
    LetterKind.SITE_BAN_TEMPORARY,
    LetterKind.SITE_BAN_FULL,
    LetterKind.BAN_REVIEW_OUTCOME,
]
NEVER = [LetterKind.MEETING_INVITATION, LetterKind.CASE_OUTCOME, LetterKind.REPORTER_NOTE]


def slt_may_send_warning_letters(allowed: bool) -> None:
    SchoolSettings.objects.update_or_create(
        id=1, defaults={"slt_may_send_warning_letters": allowed}
    )


@pytest.mark.parametrize("allowed", [False, True])
@pytest.mark.parametrize("kind", ALWAYS)
def test_ban_letters_always_need_the_head_teacher(kind, allowed):
    slt_may_send_warning_letters(allowed)
    assert needs_head_teacher(Letter(kind=kind))


@pytest.mark.parametrize("kind", NEVER)
def test_other_letters_do_not(kind):
    assert not needs_head_teacher(Letter(kind=kind))


@pytest.mark.parametrize("allowed", [False, True])
def test_a_warning_letter_follows_the_ladder_s_rule_for_a_warning_letter(allowed, slt):
    slt_may_send_warning_letters(allowed)
    letter = Letter(kind=LetterKind.WARNING_LETTER)

    assert needs_head_teacher(letter) == needs_head_teacher_approval("warning_letter")
    assert needs_head_teacher(letter) is not allowed
    assert may_approve(slt, letter) is allowed
