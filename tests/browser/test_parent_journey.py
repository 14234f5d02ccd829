"""A parent on a 360 px phone reports a concern with two screenshots and later reads its status,
in a real headless Chromium, with axe checking every page."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import Report
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.report_form import report_form_fill
from tests.factories import ClassGroupFactory
from tests.images import jpeg_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_reports_a_concern_and_follows_it_up(phone, live_server, tmp_path):
    ClassGroupFactory(name="Year 4")
    first, second = tmp_path / "chat-1.png", tmp_path / "chat-2.jpg"
    first.write_bytes(png_bytes())
    second.write_bytes(jpeg_bytes())
    page = phone

    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report a concern about a class WhatsApp group"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what happened")
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()  # Empty: every error is explained.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Describe what was posted")
    assert_accessible(page)

    report_form_fill(page, "Year 4", [first, second])
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    assert_accessible(page)
    reference = page.get_by_test_id("reference").inner_text()
    passphrase = page.get_by_test_id("passphrase").inner_text()
    assert re.fullmatch(r"BP-\w{4}-\w{4}", reference)
    assert Report.objects.get(reference=reference).screenshots.count() == 2

    page.get_by_role("link", name="use your reference and passphrase").click()
    assert_accessible(page)
    page.get_by_label("Report reference").fill(reference.lower())
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Received")
    assert_accessible(page)
    page.get_by_label("Add more information").fill("It happened again this morning.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("added your information")
    expect(page.get_by_text("It happened again this morning.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
