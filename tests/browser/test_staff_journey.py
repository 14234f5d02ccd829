"""SLT triages a report into a case and works it to a warning letter; the Head Teacher
approves it, records the final decision and reads the parent's chronology. In a real
headless Chromium, with axe checking every staff page on the way."""

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from cases.models import Case, Decision, LadderStep
from reports.models import Report
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    device = user.totpdevice_set.get()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.goto(f"{live_server.url}/staff/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_a_report_becomes_a_case_that_the_head_teacher_decides(
    page, live_server, slt, head_teacher
):
    report = ReportFactory(description="He swore at Ms Smith in the Year 3 group.")
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, slt)
    expect(page.get_by_role("link", name=report.reference)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_text("He swore at Ms Smith")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Case title").fill("Swearing at the Year 3 teacher")
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Swearing at the Year 3 teacher")
    assert_accessible(page)
    case = Case.objects.get()
    assert Report.objects.get(id=report.id).status == Report.Status.BEING_LOOKED_AT

    page.get_by_role("link", name="Add someone new to the register").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Jordan Smith")
    page.get_by_label("Children and classes").fill("Alex Smith, Year 3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Jordan Smith")).to_be_visible()

    page.get_by_label("1. Gather information from those involved and speak to the parent").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Why this step is proportionate").fill(
        "First response: hear from those involved."
    )
    page.get_by_role("button", name="Add this step").click()
    page.get_by_role("link", name="Record the outcome").click()
    assert_accessible(page)
    page.get_by_label("Outcome").fill("Spoke to the parent; they did not accept it was a problem.")
    page.get_by_role("button", name="Save").click()

    page.get_by_label("3. Send a warning letter to the parent").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("above the next step on the ladder")).to_be_visible()
    page.get_by_role("button", name="Propose this step").click()  # No reasons yet: refused.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why this step is proportionate"
    )
    assert_accessible(page)
    page.get_by_label("Why this step is proportionate").fill(
        "Repeated abuse of a teacher after being spoken to."
    )
    page.get_by_label("Why earlier steps are being skipped").fill("The parent refused a meeting.")
    page.get_by_role("button", name="Propose this step").click()
    expect(page.get_by_text("Awaiting the Head Teacher's approval")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, head_teacher)
    page.get_by_role("link", name="Approvals").click()
    assert_accessible(page)
    page.get_by_role("link", name="Send a warning letter to the parent").click()
    page.get_by_label("Yes, approve it").check()
    page.get_by_role("button", name="Save").click()
    assert LadderStep.objects.get(kind="warning_letter").status == LadderStep.Status.IN_PROGRESS

    page.get_by_role("link", name="Record the final decision").click()
    assert_accessible(page)
    page.get_by_label("Warning issued").check()
    page.get_by_label("Reasons for the decision").fill(
        "A warning is proportionate to a first breach."
    )
    now = timezone.localdate()
    decided_on = page.get_by_role("group", name="Date of the decision")
    decided_on.get_by_label("Day").fill(str(now.day))
    decided_on.get_by_label("Month").fill(str(now.month))
    decided_on.get_by_label("Year", exact=True).fill(str(now.year))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The final decision is recorded.")).to_be_visible()
    assert Decision.objects.get(case=case).decided_by == head_teacher

    page.get_by_role("link", name="Jordan Smith").click()
    expect(page.get_by_role("heading", level=2, name="Chronology")).to_be_visible()
    expect(page.get_by_text("Final decision: Warning issued")).to_be_visible()
    assert_accessible(page)
