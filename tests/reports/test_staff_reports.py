import hashlib
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp

from brunswick.audit.models import AuditEvent
from reports.services import screenshot_stage
from tests.conftest import sign_in
from tests.factories import PASSWORD, ReportFactory
from tests.images import png_bytes

pytestmark = pytest.mark.django_db


def attach_screenshot(report, colour=(9, 9, 9)):
    token = uuid.uuid4()
    screenshot = screenshot_stage(token=token, data=png_bytes(colour=colour), name="chat.png")
    screenshot.report, screenshot.staging_token = report, None
    screenshot.save()
    return screenshot


def current_code(user) -> str:
    device = user.totpdevice_set.get()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.smoke
def test_staff_sign_in_with_password_and_authenticator_code(client, slt):
    response = client.post(
        "/staff/login/", {"username": "alice", "password": PASSWORD, "otp_token": current_code(slt)}
    )
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_staff_sign_in_refuses_a_wrong_code(client, slt):
    wrong = client.post(
        "/staff/login/", {"username": "alice", "password": PASSWORD, "otp_token": "000000"}
    )
    assert "Enter a correct username, password and authenticator code" in wrong.content.decode()
    assert client.get("/staff/").status_code == 302


def test_staff_sign_in_needs_a_code(client, slt):
    response = client.post("/staff/login/", {"username": "alice", "password": PASSWORD})
    assert "Enter the code from your authenticator app" in response.content.decode()


def test_a_password_alone_does_not_open_staff_pages(client, slt):
    client.force_login(slt)  # Signed in, but not verified with a second factor.
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/reports/BP-2222-2222/", "/staff/screenshots/1/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("role_fixture", ["office", "admin_user"])
def test_office_and_admin_never_see_report_content(client, request, role_fixture):
    report = ReportFactory(description="Secret words about a child.")
    screenshot = attach_screenshot(report)
    sign_in(client, request.getfixturevalue(role_fixture))

    home = client.get("/staff/")
    assert home.status_code == 200
    assert report.reference not in home.content.decode()
    assert client.get(f"/staff/reports/{report.reference}/").status_code == 403
    assert client.get(f"/staff/screenshots/{screenshot.id}/").status_code == 403


def test_slt_reads_a_report_with_its_reporter_and_screenshot_hashes(client, slt):
    report = ReportFactory(reporter_name="Priya Patel", description="Words about Ms Smith.")
    screenshot = attach_screenshot(report)
    sign_in(client, slt)

    page = client.get(f"/staff/reports/{report.reference}/").content.decode()
    assert "Priya Patel" in page
    assert "Words about Ms Smith." in page
    assert screenshot.working_sha256 in page
    assert AuditEvent.objects.filter(
        action="report_viewed", actor=slt, object_id=str(report.id)
    ).exists()


def test_an_unknown_reference_is_a_404(client, head_teacher):
    sign_in(client, head_teacher)
    assert client.get("/staff/reports/BP-2222-2222/").status_code == 404


def test_screenshots_are_served_as_clean_working_copies(client, slt, private_media):
    report = ReportFactory()
    screenshot = attach_screenshot(report)
    sign_in(client, slt)

    response = client.get(f"/staff/screenshots/{screenshot.id}/")
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == f'inline; filename="{screenshot.id}-screenshot.png"'
    assert hashlib.sha256(body).hexdigest() == screenshot.working_sha256
    assert b"51.47N" in (private_media / screenshot.original.name).read_bytes()
    assert b"51.47N" not in body  # Metadata removed from what staff see.
    assert (
        AuditEvent.objects.filter(action="screenshot_viewed", object_id=str(screenshot.id)).count()
        == 1
    )

    thumbnail = client.get(f"/staff/screenshots/{screenshot.id}/thumbnail/")
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(action="screenshot_viewed").count() == 1  # Not per thumbnail.


def test_a_staged_screenshot_is_not_served(client, slt):
    staged = screenshot_stage(token=uuid.uuid4(), data=png_bytes(), name="draft.png")
    sign_in(client, slt)
    assert client.get(f"/staff/screenshots/{staged.id}/").status_code == 404


def count_queries(client, path) -> int:
    client.get(path)  # Warm up: the first request after sign-in checks the device.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_report_list_makes_the_same_queries_for_5_or_200_reports(client, slt):
    sign_in(client, slt)
    ReportFactory.create_batch(5)
    few = count_queries(client, "/staff/")
    ReportFactory.create_batch(195)
    assert count_queries(client, "/staff/") == few
    assert few <= 12  # With the filters' groups, the school's settings and calendar.


def test_a_report_page_makes_the_same_queries_for_1_or_10_screenshots(client, slt):
    sign_in(client, slt)
    report = ReportFactory()
    attach_screenshot(report)
    few = count_queries(client, f"/staff/reports/{report.reference}/")
    for n in range(9):
        attach_screenshot(report, colour=(n, n, n))
    assert count_queries(client, f"/staff/reports/{report.reference}/") == few
    assert few <= 20  # Also the case leads, open cases, and the "report viewed" audit append.
