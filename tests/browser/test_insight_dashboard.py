"""The Head Teacher's Insight dashboard in a real Chromium: the charts are styled by the
static stylesheet, the strict Content Security Policy refuses nothing, and axe finds no
WCAG 2.2 A/AA violation, with the figures shown and with a form error."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_staff_journey import sign_in
from tests.insight.helpers import september

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEPTEMBER = (
    "period=custom&starts_on_0=1&starts_on_1=9&starts_on_2=2026"
    "&ends_on_0=30&ends_on_1=9&ends_on_2=2026"
)


def test_the_head_teacher_reads_the_dashboard_with_no_csp_violation(
    page, live_server, head_teacher
):
    september(head_teacher)
    console, violations = [], []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => (window.__csp = window.__csp || []).push(e.violatedDirective))"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, head_teacher)
    page.get_by_role("link", name="Insight").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Insight")
    page.goto(f"{live_server.url}/staff/insight/?{SEPTEMBER}")

    chart = page.get_by_role("img", name="Groups with the most reports")
    expect(chart).to_be_visible()
    assert page.get_by_role("img").count() >= 7
    # Styled by static/css/insight.css: pygal's colours, and a pattern on stacked series.
    bar = page.locator("#chart-groups .series .rect").first
    assert bar.evaluate("e => getComputedStyle(e).fill") == "rgb(29, 112, 184)"
    stacked = page.locator("#chart-reports_received .series.color-1 .rect").first
    assert "bp-pattern-1" in stacked.evaluate("e => getComputedStyle(e).fill")
    # The Head Teacher sees who has more than one case.
    expect(page.get_by_role("rowheader", name="Pat Repeat")).to_be_visible()

    page.get_by_text("Figures for this chart").first.click()
    expect(page.get_by_role("rowheader", name="Week of 31 Aug 2026")).to_be_visible()
    assert_accessible(page)
    violations += page.evaluate("window.__csp || []")

    page.get_by_label("Day").first.fill("30")  # Starts after it ends.
    page.get_by_label("Day").nth(1).fill("29")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end date must be the same as or after the start date"
    )
    assert page.get_by_label("Day").first.input_value() == "30"
    assert_accessible(page)
    violations += page.evaluate("window.__csp || []")

    assert not violations, violations
    assert not [m for m in console if "Content Security Policy" in m or "error" in m], console
