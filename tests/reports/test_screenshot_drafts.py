""" "Add these screenshots" and "Remove" are not sends: each redirects back to the form's
screenshots (so Back and reload never resend it), with what was typed kept, sealed in the
session with a key only the browser holds."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from reports.models import Message, Screenshot
from tests.factories import ReportFactory
from tests.reports.helpers import report_form_data, screenshot_upload
from tests.reports.test_follow_up import sign_in

pytestmark = pytest.mark.django_db


def test_adding_screenshots_redirects_back_to_them_with_everything_kept(client, groups):
    data = report_form_data(groups[0], description="Typed before adding.")
    response = client.post(
        "/report/", {**data, "add_screenshots": "1", "screenshots": [screenshot_upload("a.png")]}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/report/?draft=") and location.endswith("#screenshots")

    for _ in range(2):  # A reload, or Back then Forward: a GET, never a resend.
        page = client.get(location.split("#")[0]).content.decode()
        assert "Typed before adding." in page and "a.png" in page
        assert 'id="screenshots" tabindex="-1"' in page
        assert "There is a problem" not in page
    assert Screenshot.objects.count() == 1

    sessions = [str(SessionStore().decode(s.session_data)) for s in Session.objects.all()]
    assert not any("Typed before adding." in s for s in sessions)  # Sealed at rest.


def test_a_refused_file_is_explained_after_the_redirect(client, groups):
    data = report_form_data(groups[0])
    bad = screenshot_upload("notes.png", b"not a picture at all")
    page = client.post(
        "/report/", {**data, "add_screenshots": "1", "screenshots": [bad]}, follow=True
    ).content.decode()
    assert "There is a problem" in page and "notes.png" in page
    assert not Screenshot.objects.exists()


def test_a_refused_file_is_the_only_message_after_adding(client, groups):
    data = report_form_data(groups[0], occurred_on_0="", occurred_on_1="", occurred_on_2="")
    bad = screenshot_upload("notes.png", b"not a picture at all")
    page = client.post(
        "/report/", {**data, "add_screenshots": "1", "screenshots": [bad]}, follow=True
    ).content.decode()
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert "notes.png" in summary
    assert "date it was posted" not in summary  # Not a send: the empty date is not wrong yet.
    boxes = page.split("When was it posted?")[1].split("What time was it posted?")[0]
    assert "govuk-input--error" not in boxes


def test_a_draft_opens_only_in_the_browser_that_made_it(client, groups):
    data = report_form_data(groups[0], description="Only mine.")
    response = client.post("/report/", {**data, "add_screenshots": "1"})
    other = client.__class__()
    page = other.get(response["Location"].split("#")[0]).content.decode()
    assert "Only mine." not in page


def test_a_parent_can_add_only_a_screenshot_on_the_follow_up_page(client):
    report = ReportFactory()
    sign_in(client, report.reference)
    page = client.get("/follow-up/report/").content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    answer = client.post(
        "/follow-up/report/",
        {"submission_key": key, "body": "", "screenshots": [screenshot_upload("more.png")]},
    )
    assert answer.status_code == 302
    message = Message.objects.get(report=report)
    assert message.body == "" and message.screenshots.count() == 1


def test_the_follow_up_page_still_asks_for_something(client):
    report = ReportFactory()
    sign_in(client, report.reference)
    page = client.post("/follow-up/report/", {"body": "  "}).content.decode()
    assert "Enter the information you want to add, or add a screenshot" in page
    assert not Message.objects.filter(report=report).exists()


def test_adding_a_screenshot_on_the_follow_up_page_redirects_back_to_it(client):
    report = ReportFactory()
    sign_in(client, report.reference)
    response = client.post(
        "/follow-up/report/",
        {"body": "Half written", "add_screenshots": "1", "screenshots": [screenshot_upload()]},
    )
    assert response["Location"].startswith("/follow-up/report/?draft=")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Half written" in page and "chat.png" in page


def test_the_parents_pages_make_a_fixed_handful_of_queries(
    client, groups, django_assert_max_num_queries
):
    data = report_form_data(groups[0])
    files = [screenshot_upload(f"{n}.png") for n in range(3)]
    location = client.post("/report/", {**data, "add_screenshots": "1", "screenshots": files})[
        "Location"
    ].split("#")[0]
    with django_assert_max_num_queries(5):  # Session, school, groups, the staged screenshots.
        assert "2.png" in client.get(location).content.decode()

    report = ReportFactory()
    sign_in(client, report.reference)
    for n in range(3):
        key = f"00000000-0000-0000-0000-00000000000{n}"
        client.post(
            "/follow-up/report/",
            {"submission_key": key, "body": f"More {n}", "screenshots": [screenshot_upload()]},
        )
    with django_assert_max_num_queries(8):  # However many messages and screenshots.
        assert "More 2" in client.get("/follow-up/report/").content.decode()


def test_the_same_file_added_twice_is_kept_once(client, groups):
    data = report_form_data(groups[0])
    for _ in range(2):  # Chosen again, or "Add these screenshots" clicked twice.
        client.post(
            "/report/",
            {**data, "add_screenshots": "1", "screenshots": [screenshot_upload("same.png")]},
        )
    assert Screenshot.objects.staged_with(data["submission_key"]).count() == 1
