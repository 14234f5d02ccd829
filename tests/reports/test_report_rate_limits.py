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
    response = client.post("/report/", {**data, "screenshots": [screenshot_upload("kept.png")]})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page
    assert "The third one." in page and "kept.png" in page
    assert Report.objects.count() == 2
    assert Screenshot.objects.filter(report__isnull=True).count() == 1  # Kept for the retry.


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
