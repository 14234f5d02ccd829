"""What was written about a case as a whole (its title, the final decision's reasons, a step
recorded for the whole case) goes into a parent's pack only when the case is about them
alone; on a case about several parents its facts are there and its words are withheld and
listed, for the Head Teacher to review (UK GDPR Article 15(4))."""

import pytest

from brunswick.subject_access.pack import pack_gather
from brunswick.subject_access.pack_rows import ABOUT_THE_CASE, Withheld
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory

from .conftest import decide, pack_pdf_text, request_for

pytestmark = pytest.mark.django_db

WITHHELD = "[withheld: about the case as a whole]"
REASONS = "Both parents traded insults; Jordan's posts were the worse."
STEP_TEXT = "Spoke to everyone in the Year 3 group about the posts."
TITLE = "Year 3 group argument"


def case_wide_records(case, head_teacher) -> None:
    decide(case, head_teacher, REASONS)
    LadderStepFactory(
        case=case, person=None, status="completed", rationale=STEP_TEXT, notes="Group reminded."
    )


@pytest.mark.smoke
def test_a_case_about_two_parents_withholds_its_case_wide_text_and_lists_it(
    client, head_teacher, world, tmp_path
):
    world.case.title = TITLE
    world.case.save()
    case_wide_records(world.case, head_teacher)

    text = pack_pdf_text(client, head_teacher, world.request, tmp_path)

    for words in (REASONS, STEP_TEXT, "Group reminded.", TITLE):
        assert words not in text, words
    assert "Outcome Warning issued" in text  # The facts stay.
    assert "About This case as a whole" in text
    assert "Gather information from those involved and speak to the parent" in text
    assert "Jordan Smith has posted abuse twice" in text  # The step about Jordan is theirs.
    cases = text.split("Appendix: what was replaced or left out")[0]
    assert cases.count(WITHHELD) == 1 + 4  # The introduction says what it means.
    appendix = text.split("Left out")[-1]
    code = world.case.code
    for where, what in (
        (code, "Title"),
        (f"{code}, final decision", "Reasons"),
        (f"{code}, step “Gather information", "Why this step"),
    ):
        assert where in appendix and f"{what} About the case as a whole" in appendix, where

    pack = pack_gather(world.request)
    assert Withheld(f"{code}, final decision", "reasons", ABOUT_THE_CASE) in pack.withheld
    step_items = [item for item in pack.withheld if "step" in item.where]
    assert {item.what for item in step_items} == {"why this step", "notes"}


def test_a_case_about_them_alone_includes_its_case_wide_text(client, head_teacher, slt, tmp_path):
    person = PersonFactory(full_name="Jordan Smith")
    case = CaseFactory(lead=slt, title=TITLE)
    case.people.add(person)
    ReportFactory(case=case, description="Jordan Smith swore at a teacher in the group.")
    case_wide_records(case, head_teacher)
    request = request_for(person, head_teacher)

    text = pack_pdf_text(client, head_teacher, request, tmp_path)

    for words in (REASONS, STEP_TEXT, "Group reminded.", TITLE, "Jordan Smith swore"):
        assert words in text, words
    assert WITHHELD not in text
    assert "This case is also about other people" not in text
    assert pack_gather(request).withheld == []
