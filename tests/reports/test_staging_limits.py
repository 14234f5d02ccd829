"""Screenshots kept before a form is sent cost the school disk: staging is limited per
address, for everyone, per form, in total, and by the disk's free space. Each refusal is
a message on the form, nothing is stored for it, and a report whose screenshots are
already kept still goes through."""

import pytest
from django.test import Client

from reports.models import Report, Screenshot
from tests.reports.helpers import report_form_data, screenshot_upload

pytestmark = pytest.mark.django_db

STAGING_LIMITED = "You have added a lot of screenshots in a short time"
NO_ROOM = "The screenshots could not be added now"


def add(client, data, *names):
    files = [screenshot_upload(name) for name in names]
    return client.post(
        "/report/", {**data, "add_screenshots": "1", "screenshots": files}, follow=True
    )


def staged(data) -> list[str]:
    return list(
        Screenshot.objects.staged_with(data["submission_key"]).values_list(
            "display_name", flat=True
        )
    )


def test_the_thirteenth_rapid_staging_request_is_refused_and_the_report_still_goes(client, groups):
    data = report_form_data(groups[0])
    for n in range(12):  # SCREENSHOT_STAGE_RATE_PER_ADDRESS: 12 in 15 minutes.
        other = report_form_data(groups[0])  # Each on its own form: no form's cap is hit.
        assert STAGING_LIMITED not in add(client, other, f"{n}.png").content.decode()
    page = add(client, data, "thirteenth.png").content.decode()
    assert STAGING_LIMITED in page
    assert staged(data) == []  # Nothing stored for the refused request.
    assert 'href="#id_screenshots"' in page  # In the error summary, linked to the input.

    kept = report_form_data(groups[0])
    Screenshot.objects.filter(display_name="0.png").update(staging_token=kept["submission_key"])
    assert client.post("/report/", kept).status_code == 302  # Sends are not staging.
    assert [s.display_name for s in Report.objects.get().screenshots.all()] == ["0.png"]


def test_the_limit_for_everyone_together_holds_across_addresses(groups, settings):
    settings.SCREENSHOT_STAGE_RATE_GLOBAL = "2/15m"
    for n in range(2):
        add(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), report_form_data(groups[0]), "a.png")
    data = report_form_data(groups[0])
    page = add(Client(REMOTE_ADDR="198.51.100.9"), data, "b.png").content.decode()
    assert STAGING_LIMITED in page and staged(data) == []


def test_an_address_blocked_from_sending_cannot_stage_either(client, groups, settings):
    settings.REPORT_RATE_PER_ADDRESS = "1/h"
    assert client.post("/report/", report_form_data(groups[0])).status_code == 302
    data = report_form_data(groups[0])
    page = add(Client(), data, "chat.png").content.decode()  # Same address, another browser.
    assert STAGING_LIMITED in page
    assert staged(data) == []


def test_no_new_screenshot_below_the_disk_floor_and_sends_still_succeed(
    client, groups, settings, private_media
):
    data = report_form_data(groups[0])
    add(client, data, "before.png")
    settings.DISK_FREE_FLOOR_BYTES = 10**18  # More than any disk has free.
    page = add(client, data, "after.png").content.decode()
    assert NO_ROOM in page and "add them from the follow-up page" in page
    assert staged(data) == ["before.png"]
    assert client.post("/report/", data).status_code == 302
    assert [s.display_name for s in Report.objects.get().screenshots.all()] == ["before.png"]


def test_one_form_and_all_unsent_forms_have_a_byte_cap(client, groups, settings):
    one = len(screenshot_upload().read())
    settings.STAGED_BYTES_PER_FORM = one * 2
    data = report_form_data(groups[0])
    add(client, data, "1.png", "2.png")
    assert NO_ROOM in add(client, data, "3.png").content.decode()
    assert staged(data) == ["1.png", "2.png"]

    settings.STAGED_BYTES_TOTAL = one * 3
    other = report_form_data(groups[0])
    page = add(client, other, "4.png", "5.png").content.decode()
    assert NO_ROOM in page
    assert staged(other) == ["4.png"]  # The first fitted; the second did not.


def test_staging_is_refused_when_the_cache_is_down_but_sends_go_through(client, groups, servers):
    servers.redis.halt()
    data = report_form_data(groups[0])
    assert STAGING_LIMITED in add(client, data, "chat.png").content.decode()
    assert staged(data) == []
    response = client.post("/report/", {**data, "screenshots": [screenshot_upload("sent.png")]})
    assert response.status_code == 302  # A send fails open: the school wants the report.
    assert Report.objects.get().screenshots.count() == 1
