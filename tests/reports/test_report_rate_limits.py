import pytest

from reports.models import Report, Screenshot
from tests.reports.helpers import report_form_data, screenshot_upload

pytestmark = pytest.mark.django_db


def test_submissions_from_one_address_are_limited_and_nothing_typed_is_lost(
    client, groups, settings
):
    settings.REPORT_RATE_PER_ADDRESS = "2/h"
    for _ in range(2):
        assert client.post("/report/", report_form_data(groups[0])).status_code == 302

    data = report_form_data(groups[0], description="The third one.")
    response = client.post("/report/", {**data, "screenshots": [screenshot_upload("new.png")]})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page
    assert "The third one." in page  # What was typed is on the page, ready to send later.
    assert Report.objects.count() == 2
    # An address that may not send keeps nothing on the server, not even its new file.
    assert "new.png" not in page
    assert not Screenshot.objects.filter(report__isnull=True).exists()


def test_submissions_from_everyone_together_are_limited(client, groups, settings):
    settings.REPORT_RATE_GLOBAL = "1/h"
    assert client.post("/report/", report_form_data(groups[0])).status_code == 302
    other_address = {"REMOTE_ADDR": "198.51.100.7"}
    assert client.post("/report/", report_form_data(groups[0]), **other_address).status_code == 429


def test_a_report_is_accepted_when_the_rate_limit_cache_is_down(client, groups, servers, settings):
    settings.REPORT_RATE_PER_ADDRESS = "1/h"
    servers.redis.halt()
    for _ in range(2):
        assert client.post("/report/", report_form_data(groups[0])).status_code == 302
    assert Report.objects.count() == 2
