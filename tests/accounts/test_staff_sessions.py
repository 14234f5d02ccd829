"""Staff sessions end after 30 minutes idle or 12 hours in all; signing out clears them."""

import pytest
from django.contrib.sessions.models import Session

from brunswick.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from tests.conftest import sign_in
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "apple banana cherry damson elder"


def backdate(client, key: str, seconds: float) -> None:
    """Pretend `key` happened `seconds` earlier than it did."""
    session = client.session
    session[key] -= seconds
    session.save()


def signed_out_because(client, path: str = "/staff/") -> str:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next={path}"
    page = client.get(response["Location"]).content.decode()
    assert client.get(path).status_code == 302  # Stays signed out.
    return page


def test_a_staff_session_ends_after_30_minutes_idle(client, slt):
    sign_in(client, slt)
    assert client.get("/staff/").status_code == 200

    backdate(client, LAST_SEEN_AT, 30 * 60 + 1)
    page = signed_out_because(client)
    assert "You were signed out because you had not used the portal for 30 minutes" in page


def test_using_the_portal_keeps_the_session_going(client, slt):
    sign_in(client, slt)
    for _ in range(3):  # An hour and a half, a page every 29 minutes.
        backdate(client, LAST_SEEN_AT, 29 * 60)
        backdate(client, SIGNED_IN_AT, 29 * 60)
        assert client.get("/staff/").status_code == 200


def test_a_staff_session_ends_12_hours_after_signing_in_however_busy(client, slt):
    sign_in(client, slt)
    backdate(client, SIGNED_IN_AT, 12 * 60 * 60 + 1)  # Last seen just now.

    page = signed_out_because(client)
    assert "You were signed out because you had been signed in for 12 hours" in page


def test_the_limits_come_from_settings(client, slt, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 60
    sign_in(client, slt)
    backdate(client, LAST_SEEN_AT, 61)
    assert "had not used the portal for 1 minute." in signed_out_because(client)


def test_an_expired_session_on_the_sign_in_page_shows_the_form(client, slt):
    sign_in(client, slt)
    backdate(client, LAST_SEEN_AT, 30 * 60 + 1)
    response = client.get("/staff/login/")
    assert response["Location"] == "/staff/login/"
    assert "You were signed out because" in client.get("/staff/login/").content.decode()


def test_signing_out_clears_the_whole_session(client, slt):
    sign_in(client, slt)
    session = client.session
    session["something"] = "kept for this session"
    session.save()
    old_key = session.session_key

    response = client.post("/staff/logout/")
    assert response["Location"] == "/staff/login/"
    assert not Session.objects.filter(session_key=old_key).exists()
    assert "something" not in client.session
    assert client.get("/staff/").status_code == 302


def test_staff_session_limits_do_not_touch_a_parents_follow_up(client, settings):
    """Parents never sign in: their follow-up access has its own 30 minutes."""
    settings.STAFF_SESSION_IDLE_SECONDS = 0
    settings.STAFF_SESSION_MAX_SECONDS = 0
    report = ReportFactory()
    client.post("/follow-up/", {"reference": report.reference, "passphrase": PASSPHRASE})

    assert client.get("/follow-up/report/").status_code == 200
    assert SIGNED_IN_AT not in client.session
