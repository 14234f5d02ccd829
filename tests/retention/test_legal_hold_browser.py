"""The Head Teacher places a legal hold from a person's page and releases it from a case's,
in a real headless Chromium, with axe checking each page on the way."""

import pytest
from playwright.sync_api import expect

from brunswick.retention.models import LegalHold
from tests.browser.axe import assert_accessible
from tests.browser.test_staff_journey import sign_in
from tests.factories import CaseFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_teacher_holds_a_parent_and_later_releases_the_hold(
    page, live_server, slt, head_teacher
):
    person = PersonFactory(full_name="Jordan Smith", created_by=slt)
    case = CaseFactory(lead=slt, title="Posts about Ms Patel")
    case.people.add(person)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, head_teacher)

    page.goto(f"{live_server.url}/staff/people/{person.id}/")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()  # No reason given.
    assert_accessible(page)
    page.get_by_label("Why the records must be kept").fill("Solicitor's letter of claim")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.get_by_text("is on legal hold")).to_be_visible()
    expect(page.get_by_text("Solicitor's letter of claim")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/staff/cases/{case.id}/")
    expect(page.get_by_text("Kept by the legal hold on")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/staff/people/{person.id}/")
    page.get_by_label("Why the hold can be released").fill("Claim withdrawn")
    page.get_by_role("button", name="Release the legal hold").click()
    expect(page.get_by_text("The legal hold on Jordan Smith is released.")).to_be_visible()
    assert_accessible(page)
    assert not LegalHold.objects.active().exists()
