"""The parent's form at its edges, on a 360 px phone in a real headless Chromium, with axe
on every page: every error summary link focuses its input, Back after sending says the
report was sent, screenshots are added and removed by keyboard without losing the place,
and "Name of the group" appears only under "Other".

The server-side walk (tests/test_error_summary_links.py) checks every link of every form
of every page goes to an input; this clicks the links of every kind of input a summary
can go to (radios, checkboxes, each date box, text, textarea, file, the staff sign-in) and
checks where GOV.UK Frontend puts the focus."""

import pytest
from playwright.sync_api import expect

from reports.models import Report
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.factories import ClassGroupFactory, ReportFactory
from tests.images import png_bytes
from tests.reports.test_follow_up import PASSPHRASE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _every_summary_link_focuses_its_input(page) -> list[str]:
    links = page.locator(".govuk-error-summary__list a")
    count = links.count()
    assert count, "no links in the error summary"
    focused = []
    for n in range(count):
        link = links.nth(n)
        target = link.get_attribute("href").lstrip("#")
        link.click()
        active = page.evaluate("document.activeElement && document.activeElement.id")
        assert active == target, f"{link.inner_text()!r} focused {active!r}, not {target!r}"
        kind = page.evaluate(
            "document.activeElement.tagName + ':' + (document.activeElement.type || '')"
        )
        focused.append(kind.lower())
    return focused


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_every_error_summary_link_focuses_its_input(phone, live_server, tmp_path):
    ClassGroupFactory(name="Year 4")
    page = phone
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("button", name="Send report").click()  # Every field empty.
    kinds = set(_every_summary_link_focuses_its_input(page))
    assert {"input:radio", "input:checkbox", "input:text", "textarea:textarea"} <= kinds
    assert_accessible(page)
    _fits_the_phone(page)

    # Every field wrong: a date with a 2-digit year, a forged file, an address and a
    # number nobody can use, a text over its limit.
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"not a picture")
    page.get_by_label("Other or not listed").check()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year", exact=True).fill("26")
    page.get_by_label("What time was it posted? (optional)").fill("25:99")
    page.get_by_label("Who posted it? (optional)").fill("x" * 201)
    page.get_by_label("Screenshots (optional)").set_input_files([bad])
    page.get_by_label("Email address").fill("a@localhost")
    page.get_by_label("Phone number").fill("abc")
    page.get_by_role("button", name="Send report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("must include a year with 4 numbers")
    expect(summary).to_contain_text("Enter a phone number, like 01632 960 001")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(summary).to_contain_text("must be 200 characters or fewer")
    expect(summary).to_contain_text("Enter the name of the group")
    kinds = set(_every_summary_link_focuses_its_input(page))
    assert {"input:file", "input:tel", "input:email"} <= kinds
    assert page.get_by_label("Who posted it? (optional)").input_value() == "x" * 201  # Not cut.
    assert_accessible(page)

    report = ReportFactory()
    page.goto(f"{live_server.url}/follow-up/")
    page.get_by_role("button", name="Continue").click()
    _every_summary_link_focuses_its_input(page)
    page.get_by_label("Report reference").fill(report.reference)
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send", exact=True).click()
    _every_summary_link_focuses_its_input(page)
    assert_accessible(page)

    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_role("button", name="Sign in").click()
    _every_summary_link_focuses_its_input(page)


def test_back_after_sending_says_it_was_sent(phone, live_server):
    ClassGroupFactory(name="Year 4")
    page = phone
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("Year 4").check()
    page.get_by_label("Anger, swearing or offensive language").check()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Describe what was posted").fill("Swearing at the class teacher.")
    page.get_by_label("Your name").fill("Priya Patel")
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("Email address").fill("priya@example.org")
    page.get_by_label("I have read how my report will be kept confidential").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    reference = page.get_by_test_id("reference").inner_text()
    _fits_the_phone(page)

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already sent this report")
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    assert_accessible(page)
    _fits_the_phone(page)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already sent this report")
    assert Report.objects.count() == 1

    page.goto(f"{live_server.url}/report/sent/")  # The confirmation again: no passphrase.
    expect(page.get_by_test_id("shown-once")).to_be_visible()
    expect(page.get_by_test_id("passphrase")).to_have_count(0)
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("button", name="Start a new, different report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what happened")


def test_screenshots_are_added_and_removed_by_keyboard_without_losing_the_place(
    phone, live_server, tmp_path
):
    ClassGroupFactory(name="Year 4")
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    first.write_bytes(png_bytes())
    second.write_bytes(png_bytes(colour=(9, 9, 9)))
    page = phone
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("Describe what was posted").fill("Typed before adding.")
    page.get_by_label("Screenshots (optional)").set_input_files([first, second])
    page.get_by_role("button", name="Add these screenshots").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("second.png", exact=True)).to_be_visible()
    assert page.url.endswith("#screenshots")
    assert page.evaluate("document.activeElement.id") == "screenshots"
    expect(page.get_by_label("Describe what was posted")).to_have_value("Typed before adding.")
    assert "There is a problem" not in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Remove screenshot 1, first.png").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("first.png", exact=True)).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == "screenshots"

    answer = page.go_back()  # Back: a page the browser can GET again, never a resend.
    assert answer is None or answer.request.method == "GET"
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what happened")
    expect(page.get_by_label("Describe what was posted")).to_have_value("Typed before adding.")
    expect(page.get_by_text("second.png", exact=True)).to_be_visible()  # As it is now.
    _fits_the_phone(page)


def test_the_name_of_the_group_shows_only_under_other(phone, live_server):
    ClassGroupFactory(name="Year 4")
    page = phone
    page.goto(f"{live_server.url}/report/")
    name = page.get_by_label("Name of the group")
    expect(name).to_be_hidden()
    page.get_by_label("Other or not listed").check()
    expect(name).to_be_visible()
    page.get_by_label("Year 4").check()
    expect(name).to_be_hidden()
    assert_accessible(page)


def test_the_privacy_notice_reads_well_on_a_phone(phone, live_server):
    page = phone
    page.goto(live_server.url)
    page.get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    assert_accessible(page)
    _fits_the_phone(page)
