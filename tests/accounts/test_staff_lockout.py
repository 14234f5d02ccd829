"""django-axes: five failures lock one username out from one address, for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.accounts.helpers import current_code, sign_in_form

pytestmark = pytest.mark.django_db

HOME = "198.51.100.7"  # Helen at school
ELSEWHERE = "203.0.113.9"  # someone guessing
WRONG = "not the password"


def fail(client, username, times, address=ELSEWHERE):
    return [sign_in_form(client, username, address=address, password=WRONG) for _ in range(times)]


def test_the_fifth_failure_locks_that_username_out_from_that_address(client, head_teacher):
    responses = fail(client, "helen", 5)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]

    right = sign_in_form(client, "helen", address=ELSEWHERE, code=current_code(head_teacher))
    assert right.status_code == 429  # Even the right password and code.
    assert client.get("/staff/").status_code == 302


def test_a_lockout_elsewhere_does_not_lock_helen_out_at_school(client, head_teacher):
    fail(client, "helen", 5, address=ELSEWHERE)

    at_school = Client()
    response = sign_in_form(at_school, "helen", address=HOME, code=current_code(head_teacher))
    assert response.status_code == 302
    assert at_school.get("/staff/").status_code == 200


def test_a_lockout_of_one_username_does_not_lock_others_at_that_address(client, head_teacher, slt):
    fail(client, "helen", 5, address=HOME)

    colleague = Client()
    response = sign_in_form(colleague, "alice", address=HOME, code=current_code(slt))
    assert response.status_code == 302
    assert colleague.get("/staff/").status_code == 200


def test_the_lockout_page_says_what_to_do(client, head_teacher):
    locked = fail(client, "helen", 5)[-1]

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "You have tried to sign in too many times" in page
    assert "Wait 15 minutes" in page
    assert "ask the Head Teacher or the portal admin" in page
    assert WRONG not in page


def test_a_successful_sign_in_resets_the_count(client, head_teacher):
    fail(client, "helen", 4)
    right = sign_in_form(client, "helen", address=ELSEWHERE, code=current_code(head_teacher))
    assert right["Location"] == "/staff/"
    assert not AccessAttempt.objects.filter(username="helen").exists()

    client.post("/staff/logout/")
    assert [r.status_code for r in fail(client, "helen", 4)] == [200] * 4  # Counting from 0.


def wait(minutes: float) -> None:
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save()


def test_after_15_minutes_helen_may_try_again(client, head_teacher):
    fail(client, "helen", 5)
    wait(15.1)

    response = sign_in_form(client, "helen", address=ELSEWHERE, code=current_code(head_teacher))
    assert response.status_code == 302


def test_trying_during_the_lockout_starts_the_15_minutes_again(client, head_teacher):
    fail(client, "helen", 5)
    wait(10)
    assert fail(client, "helen", 1)[0].status_code == 429
    wait(10)  # 20 minutes after the fifth failure, 10 after the last try.

    response = sign_in_form(client, "helen", address=ELSEWHERE, code=current_code(head_teacher))
    assert response.status_code == 429


def test_a_wrong_authenticator_code_counts_as_a_failure(client, head_teacher):
    """authenticate() accepts the right password, so django-axes would never hear of a
    wrong code; the form reports it."""
    wrong_code = sign_in_form(client, "helen", address=ELSEWHERE, code="000000")
    assert wrong_code.status_code == 200
    attempt = AccessAttempt.objects.get(username="helen", ip_address=ELSEWHERE)
    assert attempt.failures_since_start == 1
    assert "000000" not in attempt.post_data  # Codes are masked like passwords.

    responses = [sign_in_form(client, "helen", address=ELSEWHERE) for _ in range(4)]
    assert responses[-1].status_code == 429


def test_a_right_password_without_a_code_reads_like_a_wrong_password(client, head_teacher):
    right = sign_in_form(client, "helen", address=ELSEWHERE, code="")
    wrong = sign_in_form(client, "helen", address=ELSEWHERE, password=WRONG, code="")

    errors = {
        "__all__": ["Enter a correct username, password and authenticator code"],
        "otp_token": ["Enter the code from your authenticator app"],
    }
    assert right.context["form"].errors == errors
    assert wrong.context["form"].errors == errors
    assert AccessAttempt.objects.get(username="helen").failures_since_start == 2
