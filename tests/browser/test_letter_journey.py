"""SLT drafts a warning letter on a case, the Head Teacher approves it, and the office
prints it and marks it posted; the PDF reads like a real letter. Headless Chromium, with
axe on every page."""

import subprocess

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from letters.models import Letter
from tests.browser.axe import assert_accessible
from tests.browser.test_staff_journey import sign_in
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory
from tests.letters.helpers import template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_warning_letter_is_drafted_approved_printed_and_posted(
    page, live_server, slt, head_teacher, office
):
    template()
    case = CaseFactory(lead=slt, title="Swearing at the Year 3 teacher")
    ReportFactory(case=case, reporter_name="Priya Reporter", reporter_email="priya@example.org")
    person = PersonFactory(
        full_name="Jordan Smith", postal_address="1 Example Road\nLondon\nSE5 0AA"
    )
    case.people.add(person)
    LadderStepFactory(case=case, kind="warning_letter")
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, slt)
    page.goto(f"{live_server.url}/staff/cases/{case.id}/")
    page.get_by_label("Write a letter to a parent").select_option("warning_letter")
    page.get_by_role("button", name="Draft the letter").click()
    expect(page.get_by_label("Postal address")).to_have_value("1 Example Road\nLondon\nSE5 0AA")
    assert_accessible(page)
    page.get_by_label("What happened, for this letter").fill(
        "You called the class teacher names in the group."
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("You called the class teacher names in the group.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send to the Head Teacher for approval").click()
    expect(page.get_by_text("Waiting for the Head Teacher's approval").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, head_teacher)
    page.get_by_role("link", name="Approvals").click()
    page.get_by_role("link", name="Warning letter to Jordan Smith").click()
    page.get_by_role("button", name="Approve this letter").click()
    expect(page.get_by_text("Ready to print").first).to_be_visible()
    letter = Letter.objects.get()
    assert letter.approved_by == head_teacher
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, office)
    page.get_by_role("link", name="Go to the print queue").click()
    expect(page.get_by_text("Jordan Smith").first).to_be_visible()
    assert page.get_by_text("You called the class teacher names").count() == 0  # Never the content.
    assert_accessible(page)
    pdf_link = page.get_by_role("link", name="Open PDF").first.get_attribute("href")
    assert page.request.get(f"{live_server.url}{pdf_link}").body()[:4] == b"%PDF"
    page.get_by_role("button", name="Mark printed").click()
    page.get_by_role("button", name="Mark posted").click()
    assert Letter.objects.get().status == Letter.Status.POSTED

    text = subprocess.run(
        ["pdftotext", "-layout", default_storage.path(letter.pdf.name), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Jordan Smith" in text and "SE5 0AA" in text
    assert "Priya" not in text and "priya@example.org" not in text
