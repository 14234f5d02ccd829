"""An SLT member triages in a real headless Chromium, with axe checking each page: the
inbox, a bad filter, a report with the reporter's additions, a refused close, and the close
that works. Then the same kind of work with JavaScript switched off."""

import re
import uuid

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from brunswick.school.models import ClosureDay, TermDate
from reports.models import Report
from reports.services import report_add_information, screenshot_stage
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, ReportFactory
from tests.images import png_bytes
from tests.reports.triage_helpers import attach_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def authenticator_code(user) -> str:
    device = user.totpdevice_set.get()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("input[name=otp_token]").fill(authenticator_code(user))
    page.get_by_role("button", name="Sign in").click()


def a_report_with_additions() -> Report:
    report = ReportFactory(description="He swore at the class teacher.")
    attach_screenshot(report)
    token = uuid.uuid4()
    screenshot_stage(token=token, data=png_bytes(colour=(1, 2, 3)), name="more.png")
    report_add_information(report=report, body="It happened again today.", staging_token=token)
    return report


def test_slt_triages_a_report_in_the_browser(page, live_server, slt):
    TermDate.objects.create(name="This year", starts_on="2020-09-01", ends_on="2040-07-20")
    ClosureDay.objects.create(date="2026-11-02", reason="INSET day")
    report = a_report_with_additions()
    ReportFactory(description="Another one.")
    sign_in(page, live_server, slt)

    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_text("0 of 2 school days").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search").fill("swore at the CLASS")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.goto(f"{live_server.url}/staff/?age=yesterday")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select when it was received from the list"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Clear filters").click()

    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.reference)
    expect(page.locator(".govuk-inset-text")).to_contain_text("It happened again today.")
    expect(page.locator(".govuk-inset-text img")).to_have_count(1)
    assert_accessible(page)

    page.get_by_label("Outside the policy's scope").check()
    page.get_by_role("button", name="Close report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Write a message telling the reporter where")
    assert_accessible(page)
    summary.get_by_role("link").click()
    page.get_by_label("Message to the reporter (optional)").fill(
        "This is about school dinners: please write to the school office."
    )
    page.get_by_role("button", name="Close report").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        re.compile(f"Report {report.reference} closed: outside the policy")
    )
    expect(page.get_by_role("link", name=report.reference)).to_have_count(0)
    assert_accessible(page)
    assert Report.objects.get(id=report.id).status == Report.Status.CLOSED


def test_triage_works_with_javascript_switched_off(browser, live_server, slt, head_teacher):
    report = ReportFactory()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, slt)
    page.get_by_label("Only reports in cases I lead").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No reports match these filters.")).to_be_visible()
    page.get_by_role("link", name="Clear filters").click()

    page.get_by_role("link", name=report.reference).click()
    page.get_by_role("button", name="Open case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the case")
    page.get_by_label("Case title").fill("Swearing in the Year 2 group")
    page.get_by_label("Case lead").select_option(label=str(head_teacher))
    page.get_by_role("button", name="Open case").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Swearing in the Year 2 group")
    report.refresh_from_db()
    assert (report.status, report.case.lead) == (Report.Status.BEING_LOOKED_AT, head_teacher)
    context.close()
