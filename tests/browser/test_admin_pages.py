"""The admin pages the Admin role works from pass axe (WCAG 2.2 A/AA), and the admin's
grant of a reading role reaches the Head Teacher, who confirms it in the portal."""

import pytest
from playwright.sync_api import expect

from brunswick.accounts.models import User
from brunswick.accounts.roles import roles_ensure
from brunswick.retention.models import RetentionSchedule
from brunswick.school.models import ClassGroup, SchoolSettings, TermDate
from tests.browser.axe import WCAG_22_AA, _axe, assert_accessible
from tests.browser.test_staff_journey import sign_in
from tests.factories import ClassGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _admin_pages(office) -> list[str]:
    settings = SchoolSettings.current()
    schedule = RetentionSchedule.current()
    group = ClassGroup.objects.first()
    term = TermDate.objects.create(
        name="Autumn term 2026", starts_on="2026-09-03", ends_on="2026-12-18"
    )
    return [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{office.pk}/change/",
        f"/admin/accounts/user/{office.pk}/password/",
        "/admin/accounts/user/add/",
        f"/admin/school/schoolsettings/{settings.pk}/change/",
        "/admin/school/classgroup/",
        f"/admin/school/classgroup/{group.pk}/change/",
        "/admin/school/termdate/",
        f"/admin/school/termdate/{term.pk}/change/",
        "/admin/school/closureday/add/",
        f"/admin/retention/retentionschedule/{schedule.pk}/change/",
        "/admin/retention/purgerun/",
        "/admin/letters/lettertemplate/",
        "/admin/outbox/outboxmessage/",
    ]


def test_the_admin_role_s_pages_pass_axe(page, live_server, admin_user, office):
    roles_ensure()
    for name in ("Year 1", "Year 2"):
        ClassGroupFactory(name=name)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, admin_user)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    problems = []
    for path in _admin_pages(office):
        page.goto(f"{live_server.url}{path}")
        assert page.title(), path
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        if results.violations_count:
            problems.append(f"{path}\n{results.generate_report()}")
    assert not problems, "\n\n".join(problems)


def test_the_admin_asks_for_slt_and_the_head_teacher_confirms_it(
    page, live_server, admin_user, head_teacher, office, browser
):
    roles_ensure()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/admin/accounts/user/{office.pk}/change/")
    page.get_by_label("Senior Leadership Team").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("waiting for the Head Teacher to confirm it")).to_be_visible()
    assert not User.objects.get(pk=office.pk).can_read_reports()

    head = browser.new_context().new_page()
    head.set_viewport_size({"width": 1280, "height": 900})
    sign_in(head, live_server, head_teacher)
    head.get_by_role("link", name="Staff access").click()
    assert_accessible(head)
    head.get_by_role("button", name=f"Confirm Senior Leadership Team for {office}").click()
    expect(head.get_by_text("confirmed: it takes effect now")).to_be_visible()
    assert User.objects.get(pk=office.pk).can_read_reports()
    head.get_by_role("link", name="audit log's access changes").click()
    expect(head.get_by_role("cell", name="Role confirmed by the Head Teacher")).to_be_visible()
    assert_accessible(head)
