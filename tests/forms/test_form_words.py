"""What a page says about input it cannot take, typed or crafted: GOV.UK words that name the
field and say what to do, never Django's ("Enter a valid email address.", "Select a valid
choice. maybe is not one of the available choices.", "Ensure this value has at most ...",
"Null characters are not allowed.") and never an empty "There is a problem"."""

from datetime import time

import pytest
from django.utils import timezone

from brunswick.forms import STALE_PAGE
from cases.models import Decision, LadderStep, Person
from reports.models import Report
from tests.cases.helpers import TODAY, case_opened, date_fields, decide, version
from tests.conftest import sign_in
from tests.factories import ClassGroupFactory, LadderStepFactory, PersonFactory
from tests.forms.helpers import summary, text
from tests.reports.helpers import report_form_data

pytestmark = pytest.mark.django_db

DJANGO_WORDS = (
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Null characters are not allowed",
    "Enter a whole number",
)


def assert_no_django_words(response) -> None:
    for words in DJANGO_WORDS:
        assert words not in text(response), words


@pytest.mark.smoke
def test_an_email_address_that_is_not_one_is_refused_on_the_register(client, slt):
    sign_in(client, slt)
    response = client.post("/staff/people/new/", {"full_name": "Jordan Smith", "email": "abc"})

    assert response.status_code == 400
    message = "Enter an email address in the correct format, like name@example.com"
    assert ("id_email", message) in summary(response)
    assert 'value="abc"' in response.content.decode()
    assert not Person.objects.exists()
    assert_no_django_words(response)


def test_a_crafted_answer_to_the_approval_question_is_refused_by_name(client, head_teacher):
    case = case_opened(10, lead=head_teacher)
    step = LadderStepFactory(
        case=case, kind=LadderStep.Kind.AUTHORITIES, status=LadderStep.Status.AWAITING_APPROVAL
    )
    sign_in(client, head_teacher)
    response = client.post(
        f"/staff/cases/{case.id}/steps/{step.id}/approval/",
        {"version": version(case), "approve": "maybe"},
    )

    assert response.status_code == 400
    assert "Select whether you approve this step" in text(response)
    assert_no_django_words(response)
    step.refresh_from_db()
    assert step.status == LadderStep.Status.AWAITING_APPROVAL


def test_a_crafted_outcome_and_over_long_reasons_are_refused_by_name(client, head_teacher):
    case = case_opened(10, lead=head_teacher)
    sign_in(client, head_teacher)
    response = decide(client, case, outcome="maybe", reasons="x" * 20_000)

    assert response.status_code == 400
    lines = [message for _anchor, message in summary(response)]
    assert "Select the outcome" in lines
    assert "Reasons for the decision must be 10,000 characters or fewer" in lines
    assert_no_django_words(response)
    assert not Decision.objects.exists()


def test_an_over_long_description_and_a_null_character_are_refused_on_the_report(client):
    group = ClassGroupFactory(name="Year 3")
    data = report_form_data(group, description="x" * 20_000, posted_by="Dad\x00of Sam")
    response = client.post("/report/", data)

    assert response.status_code == 400
    lines = [message for _anchor, message in summary(response)]
    assert "The description of what was posted must be 10,000 characters or fewer" in lines
    assert "The name or phone number of who posted it must not include hidden characters" in lines
    assert_no_django_words(response)
    assert not Report.objects.exists()


@pytest.mark.smoke
@pytest.mark.parametrize("sent", [{}, {"version": "abc"}], ids=["missing", "not a number"])
def test_a_page_without_its_version_says_to_reload_it(client, head_teacher, sent):
    case = case_opened(10, lead=head_teacher)
    sign_in(client, head_teacher)
    data = {
        "outcome": "advice_given",
        "reasons": "Advice is proportionate.",
        **date_fields("decided_on", TODAY),
        **sent,
    }
    response = client.post(f"/staff/cases/{case.id}/decision/", data)

    assert response.status_code == 400
    assert [message for _anchor, message in summary(response)] == [STALE_PAGE]
    assert not Decision.objects.exists()
    assert "Advice is proportionate.</textarea>" in response.content.decode()  # Kept.


def test_a_step_page_without_its_version_says_to_reload_it(client, slt):
    case = case_opened(10, lead=slt)
    sign_in(client, slt)
    response = client.post(
        f"/staff/cases/{case.id}/steps/new/?kind=information_gathering",
        {"kind": "information_gathering", "rationale": "Speak to them.", "version": ""},
    )

    assert response.status_code == 400
    assert STALE_PAGE in [message for _anchor, message in summary(response)]
    assert not LadderStep.objects.exists()


def test_a_meeting_step_takes_its_date_and_time_in_gov_uk_boxes(client, slt):
    case = case_opened(10, lead=slt)
    sign_in(client, slt)
    url = f"/staff/cases/{case.id}/steps/new/?kind=meeting"
    data = {
        "version": version(case),
        "kind": "meeting",
        "rationale": "Meet them.",
        "skip_reason": "They asked to meet.",
    }

    refused = client.post(url, {**data, **date_fields("meeting_at", TODAY)})
    assert ("id_meeting_time", "Enter the time of the meeting, like 15:30") in summary(refused)

    client.post(url, {**data, **date_fields("meeting_at", TODAY), "meeting_time": "15:30"})
    meeting_at = timezone.localtime(LadderStep.objects.get().meeting_at)
    assert (meeting_at.date(), meeting_at.time()) == (TODAY, time(15, 30))


def test_the_erasure_form_lists_what_is_missing_in_the_error_summary(client, head_teacher):
    person = PersonFactory()
    sign_in(client, head_teacher)
    response = client.post(f"/staff/people/{person.id}/erase/", {"reason": ""})

    assert response.status_code == 400
    assert summary(response) == [
        ("id_reason", "Enter why the data is being erased"),
        ("id_confirm", "Confirm that you understand this cannot be undone"),
    ]
