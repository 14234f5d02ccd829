"""A parent's report with screenshots and a staff sign-in with TOTP, in headless Chromium,
through Caddy over HTTPS, against gunicorn, the worker, PostgreSQL and Redis."""

import re

import pytest
from playwright.sync_api import expect

from bench.seed import totp_code
from tests.browser.report_form import report_form_fill
from tests.images import jpeg_bytes, png_bytes
from tests.production.conftest import enrol

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_a_parent_reports_with_screenshots_and_slt_signs_in_to_read_it(portal, browser, tmp_path):
    first, second = tmp_path / "chat-1.png", tmp_path / "chat-2.jpg"
    first.write_bytes(png_bytes())
    second.write_bytes(jpeg_bytes())
    mail_before = len(portal.mail.messages)

    parent = browser.new_context(viewport={"width": 360, "height": 740})
    page = parent.new_page()
    problems = _watch_console(page)
    page.goto(portal.base_url)
    page.get_by_role("button", name="Start now").click()
    report_form_fill(page, "Year 3", [first, second])
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    reference = page.get_by_test_id("reference").inner_text()
    passphrase = page.get_by_test_id("passphrase").inner_text()
    assert re.fullmatch(r"BP-\w{4}-\w{4}", reference)
    cookies = parent.cookies()
    assert cookies and all(c["name"].startswith("__Host-") and c["secure"] for c in cookies)

    page.get_by_role("link", name="use your reference and passphrase").click()
    page.get_by_label("Report reference").fill(reference)
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    assert problems == []  # No CSP violation, no script error, as the browser saw it.
    parent.close()

    # The worker sent the parent's acknowledgement through the real mail server.
    messages = portal.mail.wait_for(mail_before + 1)
    assert "We have received your report" in [str(m["Subject"]) for m in messages[mail_before:]]

    account = enrol(portal, "sam-slt", "slt")
    staff = browser.new_context(viewport={"width": 1280, "height": 800})
    page = staff.new_page()
    problems = _watch_console(page)
    page.goto(f"{portal.base_url}/staff/login/")
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password").fill(account.password)
    page.get_by_label("Code from your authenticator app").fill(totp_code(account.secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    thumbnails = page.locator("img[src*='screenshot'], img[src*='thumbnail']")
    expect(thumbnails).to_have_count(2)
    for index in range(2):
        expect(thumbnails.nth(index)).to_have_js_property("complete", True)
        assert thumbnails.nth(index).evaluate("image => image.naturalWidth") > 0
    assert all(c["name"].startswith("__Host-") and c["secure"] for c in staff.cookies())
    assert problems == []
    staff.close()
