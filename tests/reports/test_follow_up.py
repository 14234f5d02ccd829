import re
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from brunswick.audit.models import AuditEvent
from reports.credentials import hash_passphrase, passphrase_matches
from reports.models import Message, Report
from tests.factories import ReportFactory
from tests.images import png_bytes

pytestmark = pytest.mark.django_db

PASSPHRASE = "apple banana cherry damson elder"
PRODUCTION_ITERATIONS = 100_000  # brunswick.settings.PASSPHRASE_HASH_ITERATIONS' default


def sign_in(client, reference, passphrase=PASSPHRASE):
    return client.post("/follow-up/", {"reference": reference, "passphrase": passphrase})


@pytest.mark.smoke
def test_a_parent_opens_their_report_with_reference_and_passphrase(client):
    report = ReportFactory(description="The post about Ms Smith.")
    response = sign_in(client, report.reference)
    assert response.status_code == 302
    assert response["Location"] == "/follow-up/report/"
    assert PASSPHRASE.split()[0] not in response["Location"]

    page = client.get("/follow-up/report/").content.decode()
    assert report.reference in page
    assert "Received" in page
    assert "The post about Ms Smith." in page


def test_the_reference_can_be_typed_loosely(client):
    report = ReportFactory()
    loose = report.reference.lower().replace("-", " ")
    assert sign_in(client, loose, "  Apple-Banana cherry  DAMSON elder ").status_code == 302


def test_a_wrong_reference_and_a_wrong_passphrase_get_the_same_answer(client):
    report = ReportFactory()
    wrong_reference = sign_in(client, "BP-2222-2222")
    wrong_passphrase = sign_in(client, report.reference, "apple banana cherry damson fig")

    assert wrong_reference.status_code == wrong_passphrase.status_code == 400

    def page(response, reference):
        html = response.content.decode().replace(reference, "REFERENCE")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert page(wrong_reference, "BP-2222-2222") == page(wrong_passphrase, report.reference)
    assert "do not match a report" in wrong_reference.content.decode()
    assert AuditEvent.objects.filter(action="report_follow_up_failed").count() == 2


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def test_a_wrong_reference_costs_the_same_slow_hash_as_a_wrong_passphrase(client, settings):
    # With the production hasher, an unknown reference must not answer faster: both paths
    # run one full PBKDF2 hash, which takes far longer than everything else here.
    settings.PASSPHRASE_HASH_ITERATIONS = PRODUCTION_ITERATIONS
    report = ReportFactory(passphrase_hash=hash_passphrase(PASSPHRASE))
    one_hash = min(_timed(hash_passphrase, "one hash for scale") for _ in range(3))

    for reference in ("BP-2222-2222", report.reference):
        started = time.perf_counter()
        sign_in(client, reference, "wrong words entirely here now")
        # A busy machine only makes a request slower, never faster than its one hash.
        assert time.perf_counter() - started > 0.5 * one_hash


def test_a_passphrase_is_kept_as_a_pbkdf2_hash_with_the_configured_rounds(settings):
    settings.PASSPHRASE_HASH_ITERATIONS = PRODUCTION_ITERATIONS
    encoded = hash_passphrase(PASSPHRASE)
    assert encoded.startswith("pbkdf2_sha256$100000$") and PASSPHRASE not in encoded
    assert passphrase_matches("Apple-Banana cherry  damson elder", encoded)  # As typed.
    assert not passphrase_matches("apple banana cherry damson fig", encoded)


def test_reports_hashed_before_the_rounds_changed_can_still_be_followed_up(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    hasher = PBKDF2PasswordHasher()
    old = hasher.encode(PASSPHRASE, hasher.salt(), iterations=1_000_000)  # Django 5.2's own
    report = ReportFactory(passphrase_hash=old)
    assert sign_in(client, report.reference).status_code == 302


def test_the_passphrase_is_never_shown_back(client):
    report = ReportFactory()
    page = sign_in(client, report.reference, "apple banana cherry damson fig").content.decode()
    assert "damson fig" not in page


def test_wrong_passphrases_for_a_reference_are_limited_from_that_address(client, settings):
    settings.FOLLOW_UP_FAILURES_PER_ADDRESS_AND_REFERENCE = "3/15m"
    report = ReportFactory()
    for _ in range(3):
        assert sign_in(client, report.reference, "wrong").status_code == 400
    limited = sign_in(client, report.reference)  # From this address, even the right one waits.
    assert limited.status_code == 429
    assert "too many attempts" in limited.content.decode().lower()


@pytest.mark.parametrize("wrong", [5, 50])
def test_a_stranger_who_knows_a_reference_cannot_keep_its_parent_out(wrong):
    report = ReportFactory()
    stranger = Client(REMOTE_ADDR="203.0.113.66")
    answers = {sign_in(stranger, report.reference, "wrong guess").status_code for _ in range(wrong)}
    assert answers <= {400, 429} and 400 in answers
    parent = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(parent, report.reference).status_code == 302
    assert report.reference in parent.get("/follow-up/report/").content.decode()


def test_a_right_passphrase_does_not_count_against_the_address_and_reference(client, settings):
    settings.FOLLOW_UP_FAILURES_PER_ADDRESS_AND_REFERENCE = "2/15m"
    report = ReportFactory()
    for _ in range(4):  # A parent who signs in again and again is never locked out.
        assert sign_in(client, report.reference).status_code == 302


def test_sign_in_is_rate_limited_per_address(client, settings):
    settings.FOLLOW_UP_RATE_PER_ADDRESS = "2/15m"
    for n in range(2):
        sign_in(client, f"BP-2222-222{n + 2}")
    assert sign_in(client, "BP-3333-3333").status_code == 429


def test_the_status_page_needs_a_sign_in(client):
    response = client.get("/follow-up/report/")
    assert response.status_code == 302
    assert response["Location"] == "/follow-up/"


def test_the_follow_up_session_expires(client, settings):
    settings.FOLLOW_UP_SESSION_SECONDS = -1
    sign_in(client, ReportFactory().reference)
    assert client.get("/follow-up/report/").status_code == 302


def test_signing_out_ends_access(client):
    sign_in(client, ReportFactory().reference)
    client.post("/follow-up/sign-out/")
    assert client.get("/follow-up/report/").status_code == 302


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Report.Status.RECEIVED, "will read it soon"),
        (Report.Status.BEING_LOOKED_AT, "looking into your concern"),
        (Report.Status.CLOSED, "we do not share what action the school took about another parent"),
    ],
)
def test_the_status_is_told_in_words_a_parent_understands(client, status, words):
    report = ReportFactory(status=status)
    sign_in(client, report.reference)
    assert words in client.get("/follow-up/report/").content.decode()


def test_the_parent_reads_messages_from_the_school(client):
    report = ReportFactory()
    Message.objects.create(
        report=report, author=Message.Author.SCHOOL, body="Could you tell us the time?"
    )
    sign_in(client, report.reference)
    page = client.get("/follow-up/report/").content.decode()
    assert "Could you tell us the time?" in page
    assert "The school" in page


@pytest.mark.smoke
def test_the_parent_adds_information_and_a_screenshot(client):
    report = ReportFactory()
    sign_in(client, report.reference)
    form_page = client.get("/follow-up/report/").content.decode()
    key = form_page.split('name="submission_key" value="')[1].split('"')[0]
    upload = SimpleUploadedFile("later.png", png_bytes(), "image/png")

    response = client.post(
        "/follow-up/report/",
        {"submission_key": key, "body": "It happened again.", "screenshots": [upload]},
    )
    assert response.status_code == 302
    message = report.messages.get()
    assert message.author == Message.Author.REPORTER
    assert message.body == "It happened again."
    assert [s.display_name for s in message.screenshots.all()] == ["later.png"]
    assert report.screenshots.count() == 1
    assert "It happened again." in client.get("/follow-up/report/").content.decode()


def test_adding_nothing_gets_a_clear_message(client):
    report = ReportFactory()
    sign_in(client, report.reference)
    response = client.post("/follow-up/report/", {"body": ""})
    assert response.status_code == 400
    assert "Enter the information you want to add" in response.content.decode()
