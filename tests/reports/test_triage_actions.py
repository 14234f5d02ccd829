"""Triage on a report's staff page: open a case, add to a case, close with a reason, and
write to the reporter. Each is checked through to what the reporter then sees."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brunswick.audit.models import AuditEvent
from cases.models import Case
from reports.models import ClosedReason, Message, Report
from reports.services import report_add_information, report_close, screenshot_stage
from tests.conftest import sign_in
from tests.factories import ReportFactory
from tests.images import png_bytes
from tests.reports.triage_helpers import (
    attach_screenshot,
    in_a_case,
    reporter_page,
    screenshot_ids_in_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return ReportFactory()


@pytest.fixture
def staff(client, slt):
    return sign_in(client, slt)


def post(client, report: Report, action: str, data: dict):
    return client.post(f"/staff/reports/{report.reference}/{action}/", data)


def shown_twice(response, message: str) -> bool:
    """In the error summary and by the field, on a page that failed with 400."""
    html = response.content.decode()
    return response.status_code == 400 and "There is a problem" in html and html.count(message) == 2


def audited(action: str, actor, **where) -> bool:
    return AuditEvent.objects.filter(action=action, actor=actor, **where).exists()


# Opening a case.


def test_slt_opens_a_case_from_a_report(staff, slt, head_teacher, report):
    response = post(
        staff,
        report,
        "open-case",
        {"open_case-title": "Comments about Ms Smith", "open_case-lead": head_teacher.id},
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{case.id}/"
    assert (case.title, case.lead, case.opened_by) == ("Comments about Ms Smith", head_teacher, slt)
    report.refresh_from_db()
    assert (report.case, report.status, report.triaged_by) == (case, "being_looked_at", slt)
    assert audited("case_opened", slt, object_id=str(case.id), extra__report=report.id)
    assert "Being looked at" in reporter_page(report)


def test_the_case_lead_defaults_to_whoever_is_triaging(staff, slt, head_teacher, report, office):
    html = staff.get(f"/staff/reports/{report.reference}/").content.decode()
    select = re.search(r'<select name="open_case-lead".*?</select>', html, re.S).group(0)
    assert re.search(rf'<option value="{slt.id}" selected>', select)
    assert f'<option value="{head_teacher.id}">' in select
    assert f'value="{office.id}"' not in select  # Only SLT and the Head Teacher lead cases.


@pytest.mark.parametrize(
    ("title", "lead", "message"),
    [
        ("", "slt", "Enter a title for the case"),
        ("   ", "slt", "Enter a title for the case"),
        ("x" * 201, "slt", "The case title must be 200 characters or fewer"),
        ("A title", "", "Select who will lead the case"),
        ("A title", "office", "Select a case lead from the list"),
        ("A title", "999999", "Select a case lead from the list"),
        ("A title", "not-a-number", "Select a case lead from the list"),
    ],
)
def test_a_case_needs_a_title_and_a_lead_who_reads_reports(
    staff, request, report, title, lead, message
):
    lead_id = request.getfixturevalue(lead).id if lead in ("slt", "office") else lead
    response = post(
        staff, report, "open-case", {"open_case-title": title, "open_case-lead": lead_id}
    )
    assert shown_twice(response, message)
    assert not Case.objects.exists()
    report.refresh_from_db()
    assert report.status == "received"
    if title.strip() and len(title) <= 200:
        assert f'value="{title}"' in response.content.decode()  # What was typed stays.


# Adding to an existing case.


def test_slt_adds_a_report_to_an_open_case(staff, slt, report):
    case = in_a_case(ReportFactory(), slt, title="The same post")
    response = post(staff, report, "add-to-case", {"add_to_case-case": case.id})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{case.id}/"
    report.refresh_from_db()
    assert (report.case, report.status, report.triaged_by) == (case, "being_looked_at", slt)
    assert audited("report_added_to_case", slt, object_id=str(report.id), extra__case=case.id)
    assert "Being looked at" in reporter_page(report)


def test_only_open_cases_are_offered(staff, slt, report):
    open_case = in_a_case(ReportFactory(), slt, title="Still open")
    closed = in_a_case(ReportFactory(), slt, title="Finished")
    Case.objects.filter(id=closed.id).update(status=Case.Status.CLOSED)
    html = staff.get(f"/staff/reports/{report.reference}/").content.decode()
    assert f"{open_case.code}: Still open" in html
    assert "Finished" not in html


def test_with_no_open_cases_the_page_says_so(staff, report):
    html = staff.get(f"/staff/reports/{report.reference}/").content.decode()
    assert "There are no open cases to add this report to." in html
    assert 'name="add_to_case-case"' not in html


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("", "Select the case to add this report to"),
        ("999999", "Select an open case from the list"),
        ("closed", "Select an open case from the list"),
    ],
)
def test_a_report_joins_only_a_case_that_exists_and_is_open(staff, slt, report, case, message):
    if case == "closed":
        closed = in_a_case(ReportFactory(), slt)
        Case.objects.filter(id=closed.id).update(status=Case.Status.CLOSED)
        case = closed.id
    response = post(staff, report, "add-to-case", {"add_to_case-case": case})
    assert shown_twice(response, message)
    report.refresh_from_db()
    assert (report.case, report.status) == (None, "received")


# Closing with a reason.


def test_slt_closes_a_report_that_is_not_a_breach(staff, slt, report):
    response = post(staff, report, "close", {"close-reason": "not_a_breach", "close-message": ""})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    banner = staff.get("/staff/").content.decode()
    assert f"Report {report.reference} closed: not a breach of the code of conduct" in banner
    report.refresh_from_db()
    assert (report.status, report.closed_reason, report.triaged_by) == (
        "closed",
        "not_a_breach",
        slt,
    )
    assert audited("report_closed", slt, object_id=str(report.id), extra__reason="not_a_breach")
    assert not AuditEvent.objects.filter(action="message_to_reporter").exists()
    assert not report.messages.exists()
    page = reporter_page(report)
    assert "Closed" in page
    assert "The school has finished looking into your report" in page


def test_closing_as_outside_the_policy_tells_the_reporter_where_to_go(staff, slt, report):
    where = "This is about the school's homework policy: please use the complaints procedure."
    response = post(
        staff, report, "close", {"close-reason": "outside_scope", "close-message": where}
    )
    assert response.status_code == 302
    message = report.messages.get()
    assert (message.author, message.staff_author, message.body) == ("school", slt, where)
    assert audited("message_to_reporter", slt, object_id=str(report.id))
    page = reporter_page(report)
    assert where.replace("'", "&#x27;") in page
    assert "Closed" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"close-message": "Typed before choosing"}, "Select why you are closing the report"),
        ({"close-reason": "bored", "close-message": "Typed"}, "Select a reason from the list"),
        (
            {"close-reason": "outside_scope", "close-message": "   "},
            "Write a message telling the reporter where their concern belongs, "
            "as it is outside the policy&#x27;s scope",
        ),
    ],
)
def test_closing_needs_a_reason_and_for_outside_scope_a_message(staff, report, data, message):
    response = post(staff, report, "close", data)
    assert shown_twice(response, message)
    report.refresh_from_db()
    assert report.status == "received"
    html = response.content.decode()
    if data["close-message"].strip():
        assert f"{data['close-message']}</textarea>" in html  # What was typed stays.
    if data.get("close-reason") == "outside_scope":
        assert re.search(r'value="outside_scope"\s+checked', html)


def test_the_error_summary_links_to_the_first_reason(staff, report):
    html = post(staff, report, "close", {"close-message": ""}).content.decode()
    assert 'href="#id_close-reason_1"' in html
    assert 'id="id_close-reason_1"' in html


# A report is triaged once.


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("open-case", {"open_case-title": "Again", "open_case-lead": "{slt}"}),
        ("add-to-case", {"add_to_case-case": "{case}"}),
        ("close", {"close-reason": "duplicate", "close-message": "Kept after the refusal"}),
    ],
)
@pytest.mark.parametrize("first", ["in a case", "closed"])
def test_a_second_triage_of_the_same_report_is_refused(staff, slt, report, action, data, first):
    other_case = in_a_case(ReportFactory(), slt)
    if first == "in a case":
        in_a_case(report, slt)
    else:
        report_close(report=report, reason="not_a_breach", message="", acting_user=slt)
    before = Report.objects.values().get(id=report.id)
    data = {k: v.format(slt=slt.id, case=other_case.id) for k, v in data.items()}

    response = post(staff, report, action, data)
    assert shown_twice(response, "This report has already been triaged")
    assert Report.objects.values().get(id=report.id) == before
    assert Case.objects.count() == 2 if first == "in a case" else 1
    if action == "close":
        assert "Kept after the refusal</textarea>" in response.content.decode()


def test_a_forged_status_in_the_post_is_ignored(staff, slt, report):
    post(
        staff,
        report,
        "open-case",
        {
            "open_case-title": "A title",
            "open_case-lead": slt.id,
            "status": "closed",
            "open_case-status": "closed",
            "open_case-closed_reason": "duplicate",
        },
    )
    report.refresh_from_db()
    assert (report.status, report.closed_reason) == ("being_looked_at", "")


def test_triage_forms_are_offered_only_until_the_report_is_triaged(staff, slt, report):
    page = f"/staff/reports/{report.reference}/"
    assert "Triage this report" in staff.get(page).content.decode()
    in_a_case(report, slt)
    html = staff.get(page).content.decode()
    assert "Triage this report" not in html
    assert 'name="message-body"' in html  # Writing to the reporter goes on.


# Writing to the reporter.


def test_slt_writes_to_the_reporter(staff, slt, report):
    body = "Thank you. Could you tell us what time the message was posted?"
    response = post(staff, report, "message", {"message-body": body})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/reports/{report.reference}/"
    message = Message.objects.get()
    assert (message.author, message.staff_author, message.body) == ("school", slt, body)
    assert audited("message_to_reporter", slt, object_id=str(report.id))

    staff_page = staff.get(response["Location"]).content.decode()
    assert "Your message is on the reporter&#x27;s follow-up page" in staff_page
    assert body in staff_page
    assert f"School ({slt})" in staff_page
    assert body in reporter_page(report)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Enter a message to the reporter"),
        ("  \n ", "Enter a message to the reporter"),
        ("x" * 10_001, "The message must be 10,000 characters or fewer"),
    ],
)
def test_a_message_to_the_reporter_cannot_be_empty_or_huge(staff, report, body, message):
    response = post(staff, report, "message", {"message-body": body})
    assert shown_twice(response, message)
    assert not Message.objects.exists()


# The reporter's additions, with their screenshots, in order.


def reporter_adds(report: Report, body: str, screenshots: int):
    token = uuid.uuid4()
    for n in range(screenshots):
        screenshot_stage(token=token, data=png_bytes(colour=(n, 40, 40)), name=f"more-{n}.png")
    message = report_add_information(report=report, body=body, staging_token=token)
    return list(message.screenshots.order_by("id"))


def test_screenshots_sent_with_a_message_are_shown_with_it(staff, slt, report):
    with_report = attach_screenshot(report)
    first_batch = reporter_adds(report, "First addition from the reporter.", screenshots=2)
    post(staff, report, "message", {"message-body": "A reply from the school."})
    second_batch = reporter_adds(report, "Second addition from the reporter.", screenshots=1)

    html = staff.get(f"/staff/reports/{report.reference}/").content.decode()
    everything = [with_report, *first_batch, *second_batch]
    assert screenshot_ids_in_order(html, everything) == [s.id for s in everything]
    order = [
        html.find(f"/staff/screenshots/{with_report.id}/thumbnail/"),
        html.find("First addition from the reporter."),
        html.find(f"/staff/screenshots/{first_batch[1].id}/thumbnail/"),
        html.find("A reply from the school."),
        html.find("Second addition from the reporter."),
        html.find(f"/staff/screenshots/{second_batch[0].id}/thumbnail/"),
    ]
    assert order == sorted(order)
    assert "Screenshot 4," in html


def count_queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_report_page_makes_the_same_queries_for_1_or_6_messages(staff, slt, report):
    page = f"/staff/reports/{report.reference}/"
    reporter_adds(report, "One.", screenshots=1)
    post(staff, report, "message", {"message-body": "Reply."})
    few = count_queries(staff, page)
    for n in range(2):
        reporter_adds(report, f"More {n}.", screenshots=2)
        post(staff, report, "message", {"message-body": f"Reply {n}."})
    assert count_queries(staff, page) == few


# Who may triage.

ACTIONS = [
    ("open-case", {"open_case-title": "A title", "open_case-lead": "1"}),
    ("add-to-case", {"add_to_case-case": "1"}),
    ("close", {"close-reason": "not_a_breach", "close-message": ""}),
    ("message", {"message-body": "Hello"}),
]


@pytest.mark.parametrize(("action", "data"), ACTIONS)
@pytest.mark.parametrize("role_fixture", ["office", "admin_user"])
def test_office_and_admin_cannot_triage(client, request, report, role_fixture, action, data):
    sign_in(client, request.getfixturevalue(role_fixture))
    assert post(client, report, action, data).status_code == 403
    assert Report.objects.values().get(id=report.id)["status"] == "received"
    assert not (Case.objects.exists() or Message.objects.exists())


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_anonymous_visitors_are_sent_to_sign_in(client, report, action, data):
    response = post(client, report, action, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
    assert not (Case.objects.exists() or Message.objects.exists())


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_an_unknown_reference_is_a_404(staff, action, data):
    response = staff.post(f"/staff/reports/BP-2222-2222/{action}/", data)
    assert response.status_code == 404


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_the_actions_take_only_a_post(staff, report, action, data):
    assert staff.get(f"/staff/reports/{report.reference}/{action}/").status_code == 405


def test_a_closed_reason_label_is_the_one_the_form_offers(staff, report):
    html = staff.get(f"/staff/reports/{report.reference}/").content.decode()
    for reason in ClosedReason:
        assert reason.label.replace("'", "&#x27;") in html
