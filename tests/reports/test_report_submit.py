import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.school.models import SchoolSettings
from reports.credentials import passphrase_matches
from reports.models import Report, Screenshot
from tests.images import png_bytes
from tests.reports.helpers import report_form_data, screenshot_upload

# Real commits: notifications are published after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def submit(client, data, files=()):
    payload = dict(data)
    if files:
        payload["screenshots"] = list(files)
    # "Add these screenshots" and "Remove" redirect back to the form: follow, as a browser.
    adding_or_removing = {"add_screenshots", "remove_screenshot"} & set(payload)
    return client.post("/report/", payload, follow=bool(adding_or_removing))


@pytest.mark.smoke
def test_the_start_page_says_who_sees_reports_and_what_it_is_not_for(client):
    page = client.get("/").content.decode()
    assert "Senior Leadership Team and the Head Teacher" in page
    assert "call 999" in page
    assert "Designated Safeguarding Lead" in page


@pytest.mark.smoke
def test_a_parent_submits_a_report_with_two_screenshots(client, groups, slt, head_teacher):
    first, second = png_bytes(colour=(1, 2, 3)), png_bytes(colour=(4, 5, 6))
    data = report_form_data(groups[0])
    response = submit(
        client, data, [screenshot_upload("a.png", first), screenshot_upload("b.png", second)]
    )

    assert response.status_code == 302
    assert response["Location"] == "/report/sent/"
    report = Report.objects.get()
    assert report.group == groups[0]
    assert sorted(report.categories.values_list("category", flat=True)) == [
        "abusive_comments",
        "anger",
    ]
    assert report.posted_by == "Dad of Sam"
    screenshots = list(report.screenshots.order_by("id"))
    assert [s.original_sha256 for s in screenshots] == [
        hashlib.sha256(first).hexdigest(),
        hashlib.sha256(second).hexdigest(),
    ]
    for screenshot in screenshots:
        original = Path(settings.PRIVATE_MEDIA_ROOT) / screenshot.original.name
        assert original.read_bytes() in (first, second)
        assert "a.png" not in screenshot.original.name and "b.png" not in screenshot.original.name
    assert (
        AuditEvent.objects.filter(action="report_submitted", object_id=str(report.id)).count() == 1
    )


@pytest.mark.smoke
def test_the_parent_sees_the_reference_and_the_passphrase_once(client, groups):
    submit(client, report_form_data(groups[0]))
    report = Report.objects.get()

    page = client.get("/report/sent/").content.decode()
    assert report.reference in page
    assert re.fullmatch(r"BP-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", report.reference)
    passphrase = re.search(r'data-testid="passphrase">([a-z ]+)<', page).group(1)
    assert len(passphrase.split()) == 5
    assert passphrase_matches(passphrase, report.passphrase_hash)
    assert passphrase not in report.passphrase_hash

    again = client.get("/report/sent/").content.decode()
    assert report.reference in again
    assert passphrase not in again
    assert "shown only once" in again


def test_slt_and_the_head_teacher_are_emailed_with_no_content(
    client, groups, slt, head_teacher, office
):
    data = report_form_data(groups[0])
    submit(client, data, [screenshot_upload("holiday-evidence.png")])
    report = Report.objects.get()

    staff_mail = [m for m in mail.outbox if m.to != ["priya@example.org"]]
    assert sorted(m.to[0] for m in staff_mail) == sorted([head_teacher.email, slt.email])
    for message in staff_mail:
        text = message.subject + message.body
        assert "/staff/" in text
        for content in (
            report.reference,
            "Ms Smith",
            "Priya",
            "Dad of Sam",
            "holiday-evidence",
            groups[0].name,
            "Abusive",
        ):
            assert content not in text
    assert OutboxMessage.objects.pending().count() == 0


def test_the_reporter_is_sent_the_reference_and_never_the_passphrase(client, groups):
    submit(client, report_form_data(groups[0]))
    report = Report.objects.get()
    page = client.get("/report/sent/").content.decode()
    passphrase = re.search(r'data-testid="passphrase">([a-z ]+)<', page).group(1)

    [acknowledgement] = [m for m in mail.outbox if m.to == ["priya@example.org"]]
    assert report.reference in acknowledgement.body
    assert passphrase not in acknowledgement.body
    assert "Ms Smith" not in acknowledgement.body


def test_no_acknowledgement_is_sent_without_an_email_address(client, groups):
    submit(client, report_form_data(groups[0], reporter_email="", reporter_phone="07700 900000"))
    assert Report.objects.count() == 1
    assert all(m.to != ["priya@example.org"] for m in mail.outbox)


@pytest.mark.smoke
def test_every_field_error_is_shown_and_nothing_typed_is_lost(client, groups):
    data = report_form_data(groups[0], description="", categories=[], occurred_on_0="")
    response = submit(client, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    for message in (
        "Describe what was posted",
        "Select at least one thing you saw",
        "The date it was posted must include a day",
    ):
        assert page.count(message) >= 2, message  # In the summary and next to the field.
    assert 'value="Dad of Sam"' in page
    assert 'value="priya@example.org"' in page
    assert data["submission_key"] in page
    assert Report.objects.count() == 0


def test_a_date_in_the_future_is_refused(client, groups):
    response = submit(client, report_form_data(groups[0], occurred_on_2="2099"))
    assert "must be today or in the past" in response.content.decode()
    assert Report.objects.count() == 0


def test_an_unlisted_group_needs_its_name(client, groups):
    response = submit(client, report_form_data(groups[0], group="other", group_other=""))
    assert "Enter the name of the group" in response.content.decode()

    submit(client, report_form_data(groups[0], group="other", group_other="Year 4 football mums"))
    report = Report.objects.get()
    assert report.group is None
    assert report.group_display == "Other: Year 4 football mums"


def test_reporter_details_are_required_by_default(client, groups):
    data = report_form_data(groups[0], reporter_name="", reporter_email="", reporter_phone="")
    page = submit(client, data).content.decode()
    assert "Enter your name" in page
    assert "Enter an email address or a phone number" in page
    assert Report.objects.count() == 0


def test_the_school_can_allow_anonymous_reports(client, groups):
    SchoolSettings.objects.update_or_create(id=1, defaults={"allow_anonymous_reports": True})
    data = report_form_data(
        groups[0], reporter_name="", reporter_email="", reporter_phone="", reporter_relationship=""
    )
    assert submit(client, data).status_code == 302
    assert Report.objects.get().is_anonymous


def test_a_forged_group_is_refused(client, groups):
    response = submit(client, report_form_data(groups[0], group="999999"))
    assert response.status_code == 400
    assert "Select the WhatsApp group it was posted in" in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.smoke
def test_accepted_screenshots_are_kept_across_a_failed_submit(client, groups):
    data = report_form_data(groups[0], description="")
    page = submit(client, data, [screenshot_upload("first.png")]).content.decode()
    assert "first.png" in page  # Listed back, so the parent knows it is kept.

    data["description"] = "Now with a description."
    assert submit(client, data).status_code == 302
    report = Report.objects.get()
    assert report.screenshots.count() == 1


def test_a_parent_can_remove_a_screenshot_before_sending(client, groups):
    data = report_form_data(groups[0])
    submit(
        client,
        {**data, "add_screenshots": "1"},
        [screenshot_upload("keep.png"), screenshot_upload("drop.png")],
    )
    drop = Screenshot.objects.get(display_name="drop.png")
    page = submit(client, {**data, "remove_screenshot": str(drop.id)}).content.decode()
    assert "drop.png" not in page
    assert "keep.png" in page
    assert "There is a problem" not in page

    submit(client, data)
    assert [s.display_name for s in Report.objects.get().screenshots.all()] == ["keep.png"]


def test_a_refused_screenshot_gets_its_own_message_and_nothing_is_stored(
    client, groups, private_media
):
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    data = report_form_data(groups[0])
    response = submit(
        client, data, [screenshot_upload("evil.jpg", html), screenshot_upload("ok.png")]
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "evil.jpg" in page and "is not a picture we can accept" in page
    assert Report.objects.count() == 0
    assert [s.display_name for s in Screenshot.objects.all()] == ["ok.png"]
    stored = [p for p in private_media.rglob("*") if p.is_file()]
    assert len(stored) == 3  # ok.png's original, working copy and thumbnail only.


def test_eleven_files_are_refused_and_none_stored(client, groups):
    files = [screenshot_upload(f"{n}.png") for n in range(11)]
    page = submit(client, report_form_data(groups[0]), files).content.decode()
    assert "You can send up to 10 screenshots" in page
    assert Screenshot.objects.count() == 0
    assert Report.objects.count() == 0


def test_a_file_one_byte_over_the_limit_is_refused(client, groups, settings):
    settings.SCREENSHOT_MAX_BYTES = 10 * 1024 * 1024
    big = png_bytes() + b"\0" * (10 * 1024 * 1024 + 1 - len(png_bytes()))
    page = submit(
        client, report_form_data(groups[0]), [screenshot_upload("big.png", big)]
    ).content.decode()
    assert "larger than 10 MB" in page
    assert Screenshot.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "shown_as"),
    [
        ("../../etc/x.png", "x.png"),
        ("bad\x07name.png", "badname.png"),
        ("gnp.\u202eexe.png", "gnp.exe.png"),
    ],
)
def test_a_dangerous_file_name_never_reaches_the_disk_or_the_page(
    client, groups, private_media, name, shown_as
):
    # Django strips path parts and unprintable characters before our checks (which refuse
    # any that remain); the stored file is named by the server alone.
    data = report_form_data(groups[0], add_screenshots="1")
    page = submit(client, data, [screenshot_upload(name)]).content.decode()
    assert shown_as in page
    assert "\u202e" not in page and "\x07" not in page and "../" not in page
    [screenshot] = Screenshot.objects.all()
    assert screenshot.display_name == shown_as
    assert all(p.name.isascii() and shown_as not in p.name for p in private_media.rglob("*"))


@pytest.mark.smoke
def test_a_double_click_creates_one_report(client, groups, slt):
    data = report_form_data(groups[0])
    first = submit(client, data, [screenshot_upload()])
    second = submit(client, data, [screenshot_upload()])
    assert first["Location"] == second["Location"] == "/report/sent/"
    assert Report.objects.count() == 1
    assert Screenshot.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == [slt.email]]) == 1
    assert 'data-testid="passphrase"' in client.get("/report/sent/").content.decode()


def test_a_forged_submission_key_still_makes_one_new_report(client, groups):
    assert (
        submit(client, report_form_data(groups[0], submission_key="not-a-uuid")).status_code == 302
    )
    assert Report.objects.count() == 1


def test_two_simultaneous_submits_of_one_form_make_one_report(groups, slt):
    # On PostgreSQL both requests really race: the unique submission key decides.
    data = report_form_data(groups[0])
    barrier = Barrier(2)

    def post():
        try:
            barrier.wait()
            return Client().post("/report/", data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda _: post(), range(2)))

    assert statuses == [302, 302]
    assert Report.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == [slt.email]]) == 1
