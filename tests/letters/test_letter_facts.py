"""A letter states the facts of the report or reports about its addressee, chosen on the
draft form; every fact it states is stored on the letter and can be corrected there."""

import re
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.html import escape

from brunswick.audit.models import AuditEvent
from letters.content import letter_context
from letters.models import Letter, LetterKind
from letters.services import letter_approve, letter_correct, letter_preview_pdf
from tests.conftest import sign_in
from tests.factories import LadderStepFactory, ReportFactory
from tests.letters.helpers import (
    date_fields,
    draft_data,
    template,
    two_groups_case,
    warning_letter,
)

pytestmark = pytest.mark.django_db

MEETING_BODY = (
    "Dear {{ parent_name }},\n\nPlease come in on {{ meeting_date }} at {{ meeting_time }}, "
    "with {{ attendees }}, about the {{ group }} group.\n\n{{ summary }}"
)


def new_url(case, person, kind="warning_letter") -> str:
    return f"/staff/cases/{case.id}/letters/new/?kind={kind}&person={person.id}"


def text_of(letter: Letter) -> str:
    context = letter_context(letter, timezone.localdate())
    return " ".join(re.sub(r"<[^>]+>", " ", f"{context['heading']} {context['body']}").split())


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return " ".join(result.stdout.split())


def checked_report_ids(page: str) -> set[int]:
    boxes = re.findall(r'<input[^>]*name="reports"[^>]*>', page)
    return {int(re.search(r'value="(\d+)"', box)[1]) for box in boxes if "checked" in box}


def test_the_draft_form_offers_every_report_and_ticks_the_one_about_the_parent(client, slt):
    case, person, first, second = two_groups_case(slt)
    sign_in(client, slt)

    page = client.get(new_url(case, person)).content.decode()
    for report in (first, second):
        assert report.reference in page
    assert "posted on 2 March 2026 in Year 2, by Casey M" in page
    assert escape("posted on 9 March 2026 in Year 5, by Jordan S (+44 7700 900111)") in page
    assert checked_report_ids(page) == {second.id}
    assert 'name="incident_group" value="Year 5"' in page  # Prefilled from that report.
    assert 'name="incident_on_0" value="9"' in page
    assert "meeting" not in page.lower()  # A warning letter has no meeting.


@pytest.mark.smoke
def test_the_letter_names_the_group_and_date_of_the_report_about_the_parent(client, slt, tmp_path):
    case, person, _first, second = two_groups_case(slt)
    sign_in(client, slt)

    client.post(new_url(case, person), draft_data(reports=[second.id], facts_from=str(second.id)))
    letter = Letter.objects.get()
    assert list(letter.reports.all()) == [second]
    assert (letter.incident_group, letter.incident_on) == ("Year 5", date(2026, 3, 9))
    assert "posted in the Year 5 WhatsApp group" in text_of(letter)
    assert "On 9 March 2026" in text_of(letter)
    pdf = pdf_text(letter_preview_pdf(letter=letter, acting_user=slt), tmp_path)
    assert "On 9 March 2026 a message was posted in the Year 5 WhatsApp group" in pdf
    assert "Year 2" not in pdf and "2 March 2026" not in pdf


@pytest.mark.smoke
def test_staff_correct_the_group_on_the_draft_and_the_letter_says_so(client, slt):
    case, person, _first, second = two_groups_case(slt)
    sign_in(client, slt)
    client.post(new_url(case, person), draft_data(reports=[second.id], facts_from=str(second.id)))
    letter = Letter.objects.get()

    response = client.post(
        f"/staff/letters/{letter.id}/edit/",
        draft_data(
            reports=[second.id],
            facts_from=str(second.id),
            incident_group="Year 5 parents",
            **date_fields("incident_on", date(2026, 3, 10)),
        ),
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert "On 10 March 2026 a message was posted in the Year 5 parents WhatsApp group" in (
        text_of(letter)
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_EDITED).get()
    assert event.extra["incident_on"] == ["2026-03-09", "2026-03-10"]
    assert event.extra["changed"] == ["incident_group"]  # Text is named, never copied.


def test_the_letter_page_lists_every_fact_it_states(client, slt):
    case, person, _first, second = two_groups_case(slt)
    sign_in(client, slt)
    client.post(new_url(case, person), draft_data(reports=[second.id], facts_from=str(second.id)))
    letter = Letter.objects.get()

    page = client.get(f"/staff/letters/{letter.id}/").content.decode()
    facts = re.findall(
        r'<dt class="govuk-summary-list__key">\s*(.*?)\s*</dt>\s*'
        r'<dd class="govuk-summary-list__value">\s*(.*?)\s*</dd>',
        page.split("What the letter states")[1].split("</dl>")[0],
        re.DOTALL,
    )
    assert [key for key, _value in facts] == [
        "About this report", "Date of the incident", "WhatsApp group"
    ]  # fmt: skip
    assert second.reference in facts[0][1]
    assert facts[1:] == [("Date of the incident", "9 March 2026"), ("WhatsApp group", "Year 5")]


def test_a_letter_about_no_report_of_several_is_not_saved(client, slt):
    case, person, _first, _second = two_groups_case(slt)
    sign_in(client, slt)

    response = client.post(new_url(case, person), draft_data(facts_from=""))
    assert response.status_code == 400
    assert "Select the report or reports this letter is about" in response.content.decode()
    assert not Letter.objects.exists()


def test_ticking_other_reports_fills_the_facts_in_again_and_keeps_what_was_typed(client, slt):
    case, person, first, second = two_groups_case(slt)
    sign_in(client, slt)

    response = client.post(
        new_url(case, person),
        draft_data(reports=[first.id], facts_from=str(second.id), summary="Kept as typed."),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Letter.objects.exists()  # Nothing saved until staff check the facts.
    assert "The facts were filled in again from the reports you chose" in page
    assert 'name="incident_group" value="Year 2"' in page
    assert 'name="incident_on_0" value="2"' in page
    assert "Kept as typed." in page
    assert checked_report_ids(page) == {first.id}
    assert f'name="facts_from" value="{first.id}"' in page


def test_a_letter_about_two_reports_names_both_groups_and_the_earlier_date(client, slt):
    case, person, first, second = two_groups_case(slt)
    sign_in(client, slt)

    page = client.post(
        new_url(case, person), draft_data(reports=[first.id, second.id], facts_from="")
    ).content.decode()
    assert 'name="incident_group" value="Year 2 and Year 5"' in page
    assert 'name="incident_on_0" value="2"' in page


def test_a_case_with_one_report_needs_no_choice(client, slt):
    letter, report = warning_letter(slt)
    sign_in(client, slt)

    page = client.get(new_url(letter.case, letter.person)).content.decode()
    assert 'name="reports"' not in page
    assert list(letter.reports.all()) == [report]
    assert letter.incident_on == report.occurred_on


def test_a_fact_the_letter_states_cannot_be_left_out(client, slt):
    case, person, _first, second = two_groups_case(slt)
    sign_in(client, slt)

    response = client.post(
        new_url(case, person),
        draft_data(
            reports=[second.id],
            facts_from=str(second.id),
            incident_group="",
            **date_fields("incident_on", None),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter the WhatsApp group" in page and "Enter the date of the incident" in page


def test_a_date_that_does_not_exist_is_refused_and_kept_as_typed(client, slt):
    case, person, _first, second = two_groups_case(slt)
    sign_in(client, slt)

    response = client.post(
        new_url(case, person),
        draft_data(
            reports=[second.id], facts_from=str(second.id), incident_on_0="31", incident_on_1="2"
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The date of the incident must be a real date" in page
    assert 'name="incident_on_0" value="31"' in page


def test_the_letter_states_what_it_stored_even_when_the_case_changes(slt):
    letter, report = warning_letter(slt)
    ReportFactory(case=letter.case, occurred_on=date(2020, 1, 1), posted_by="Someone else")
    report.occurred_on = date(2020, 1, 2)
    report.save()
    letter.person.pupils = "Changed since"
    letter.person.save()

    assert "2020" not in text_of(Letter.objects.get(id=letter.id))


def test_a_meeting_letter_states_the_meeting_from_its_step_in_local_time(client, slt):
    template(LetterKind.MEETING_INVITATION, "Meeting", MEETING_BODY)
    case, person, _first, second = two_groups_case(slt)
    LadderStepFactory(
        case=case,
        person=person,
        kind="meeting",
        meeting_at=datetime(2026, 6, 1, 9, 15, tzinfo=ZoneInfo("Europe/London")),
        attendees="the Head Teacher",
    )
    sign_in(client, slt)

    page = client.get(new_url(case, person, "meeting_invitation")).content.decode()
    assert 'name="meeting_time" value="09:15"' in page
    assert 'name="meeting_on_0" value="1"' in page
    assert "the Head Teacher</textarea>" in page
    client.post(
        new_url(case, person, "meeting_invitation"),
        draft_data(
            reports=[second.id],
            facts_from=str(second.id),
            meeting_time="9.30",
            attendees="the Head Teacher",
            **date_fields("meeting_on", date(2026, 6, 1)),
        ),
    )
    letter = Letter.objects.get()
    assert letter.step.kind == "meeting"  # The case's meeting step, found for the letter.
    assert "on 1 June 2026 at 09:30, with the Head Teacher" in text_of(letter)


def test_a_meeting_time_that_is_not_a_time_is_refused(client, slt):
    template(LetterKind.MEETING_INVITATION, "Meeting", MEETING_BODY)
    case, person, _first, second = two_groups_case(slt)
    sign_in(client, slt)

    response = client.post(
        new_url(case, person, "meeting_invitation"),
        draft_data(
            reports=[second.id],
            facts_from=str(second.id),
            meeting_time="half past nine",
            attendees="the Head Teacher",
            **date_fields("meeting_on", date(2026, 6, 1)),
        ),
    )
    assert response.status_code == 400
    assert "Enter the time of the meeting like 09:15" in response.content.decode()


def test_a_correction_states_the_same_facts_about_the_same_reports(slt, head_teacher):
    letter, report = warning_letter(slt)
    Letter.objects.filter(id=letter.id).update(incident_group="Corrected group")
    letter_approve(letter=letter, acting_user=head_teacher)
    letter.refresh_from_db()

    correction = letter_correct(letter=letter, acting_user=slt)
    assert list(correction.reports.all()) == [report]
    assert (correction.incident_group, correction.incident_on) == (
        "Corrected group",
        report.occurred_on,
    )
    assert "Corrected group WhatsApp group" in text_of(correction)
