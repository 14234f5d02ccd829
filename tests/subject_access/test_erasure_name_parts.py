"""Erasing a person removes the forms people write their names and address in ("Avery B.",
"Mrs Brooks", "Avery's", "12 Acacia Avenue, SE5 9ZZ") from the records of their own cases,
but never a word that is also someone else's there: erasure changes the only record."""

import pytest
from django.forms.models import model_to_dict

from brunswick.subject_access.erasure import erasure_apply
from cases.models import Case
from reports.models import Message, Report
from tests.factories import CaseFactory, PersonFactory, ReportFactory

from .scene import DESCRIPTION, POSTED_BY, the_testers_scene

pytestmark = pytest.mark.django_db

AVERYS = ("Avery", "Brooks", "Acacia", "9ZZ", "900444", "Riley")


@pytest.fixture
def scene(slt, head_teacher):
    return the_testers_scene(slt, head_teacher, status=Case.Status.CLOSED)


def erase_avery(scene, head_teacher) -> Report:
    erasure_apply(person=scene.avery, reason="Her written request.", acting_user=head_teacher)
    return Report.objects.get(id=scene.report.id)


def history_text(model, ids) -> str:
    rows = model.history.filter(id__in=ids)
    return " ".join(str(value) for row in rows for value in model_to_dict(row).values())


def test_her_names_and_address_go_in_every_form_and_jordans_and_the_reporters_stay(
    scene, head_teacher
):
    report = erase_avery(scene, head_teacher)

    assert report.posted_by == "[erased] and Jordan Smith"
    assert report.description == (
        "[erased] also said she would keep posting until the class listened. "
        "[erased]'s number is [erased] and she lives at [erased], [erased]. "
        "Priya here, my mobile is 07700 900222 if you need me."
    )
    messages = [m.body for m in report.messages.order_by("id")]
    assert messages == [
        "[erased] was in tears at the gate this morning.",  # Her child.
        "Thank you, Ms Shah. We are looking at this.",
    ]
    message_ids = list(report.messages.values_list("id", flat=True))
    for text in (history_text(Report, [report.id]), history_text(Message, message_ids)):
        for value in AVERYS:
            assert value not in text, value
    assert (report.reporter_name, report.reporter_phone) == ("Priya Shah", "07700 900222")


def test_a_surname_another_parent_on_the_case_shares_stays_but_her_full_name_goes(
    scene, slt, head_teacher
):
    sam = PersonFactory(full_name="Sam Brooks", pupils="Riley Brooks, Year 3", created_by=slt)
    scene.case.people.add(sam)
    Report.objects.filter(id=scene.report.id).update(
        description=f"Avery Brooks and Sam Brooks posted it. {DESCRIPTION}"
    )

    report = erase_avery(scene, head_teacher)

    assert report.description.startswith(
        "[erased] and Sam Brooks posted it. Mrs Brooks also said"  # Sam's surname too.
    )
    assert "[erased]'s number is [erased] and she lives at [erased], [erased]." in (
        report.description
    )
    # Riley is Sam's child as much as hers.
    assert report.messages.order_by("id").first().body.startswith("Riley was in tears")


def test_a_first_name_a_member_of_staff_shares_stays_but_its_other_forms_go(scene, head_teacher):
    head_teacher.first_name = "Avery"
    head_teacher.save()

    report = erase_avery(scene, head_teacher)

    assert report.posted_by == "[erased] and Jordan Smith"  # "Avery B." is hers alone.
    assert report.description.startswith("[erased] also said")
    assert "Avery's number is [erased]" in report.description


def test_on_another_case_only_what_is_on_the_register_goes(scene, slt, head_teacher):
    elsewhere = ReportFactory(
        case=CaseFactory(lead=slt, status=Case.Status.CLOSED),
        posted_by="Avery Brooks",
        description=f"Avery said it again. {POSTED_BY} were both there.",
    )

    erase_avery(scene, head_teacher)

    elsewhere.refresh_from_db()
    assert elsewhere.posted_by == "[erased]"
    # Another Avery, for all anyone knows: only her full name goes.
    assert (
        elsewhere.description == "Avery said it again. Avery B. and Jordan Smith were both there."
    )
