"""One report per intention: Back, reload, replay and four parallel sends of one form make
one report, never a 500 or "Too many attempts"; the passphrase is never at rest in plain
form, and a later visitor on the same browser learns nothing about the report.

The parallel sends go through the live server's threads, on PostgreSQL and (smoke) on the
embedded SQLite file, so the database's own locking decides the race."""

import threading

import pytest
import requests
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.utils import timezone

from reports.models import Message, Report, Screenshot
from tests.factories import ReportFactory
from tests.images import png_bytes
from tests.reports.helpers import report_form_data
from tests.reports.test_follow_up import PASSPHRASE

pytestmark = [pytest.mark.smoke, pytest.mark.django_db(transaction=True)]


def _browser(live_server) -> tuple[requests.Session, str]:
    """A browser that has opened the form: its cookies, and the form's key."""
    browser = requests.Session()
    page = browser.get(f"{live_server.url}/report/").text
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    return browser, key


def _post(browser, live_server, data, files=None):
    headers = {"Referer": f"{live_server.url}/report/"}
    token = browser.cookies.get("csrftoken")
    return browser.post(
        f"{live_server.url}/report/",
        data={**data, "csrfmiddlewaretoken": token},
        files=files,
        headers=headers,
        allow_redirects=False,
    )


def test_four_parallel_sends_of_one_form_make_one_report(live_server, groups, settings):
    settings.REPORT_RATE_PER_ADDRESS = "2/h"
    browser, key = _browser(live_server)
    data = report_form_data(groups[0], submission_key=key)
    answers, start = [], threading.Barrier(4)

    def send():
        start.wait()
        files = [("screenshots", ("chat.png", png_bytes(), "image/png"))]
        answers.append(_post(browser, live_server, data, files))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [302] * 4
    assert {a.headers["Location"] for a in answers} == {"/report/sent/"}
    report = Report.objects.get()
    assert report.screenshots.count() == 1  # Each request carried the file: kept once.
    assert not Screenshot.objects.filter(report__isnull=True).exists()
    sent = browser.get(f"{live_server.url}/report/sent/").text
    assert report.reference in sent and 'data-testid="passphrase"' in sent

    # Only the report made counted: a second, different report is still let through.
    other = report_form_data(groups[1], description="Another post, another day.")
    fresh, fresh_key = _browser(live_server)
    response = _post(fresh, live_server, {**other, "submission_key": fresh_key})
    assert response.status_code == 302
    assert Report.objects.count() == 2


def test_back_then_send_says_it_was_sent_and_makes_no_second_report(client, groups):
    client.get("/report/")
    data = report_form_data(groups[0])
    assert client.post("/report/", data).status_code == 302
    reference = Report.objects.get().reference

    back = client.get("/report/")  # The Back button, or a reload of the form.
    page = back.content.decode()
    assert "You have already sent this report" in page and reference in page
    assert 'name="submission_key"' not in page  # No form to send again.
    assert client.post("/report/", data).status_code == 302  # The old form, replayed.
    assert Report.objects.count() == 1

    client.post("/report/another/")  # "Start a new, different report".
    assert 'name="submission_key"' in client.get("/report/").content.decode()


def test_the_passphrase_shows_once_and_the_page_then_says_so(client, groups):
    client.get("/report/")
    client.post("/report/", report_form_data(groups[0]))
    first = client.get("/report/sent/").content.decode()
    assert 'data-testid="passphrase"' in first
    again = client.get("/report/sent/").content.decode()
    assert Report.objects.get().reference in again
    assert 'data-testid="passphrase"' not in again and "shown only once" in again


def test_a_later_visitor_on_the_same_browser_learns_nothing(client, groups, settings):
    client.get("/report/")
    client.post("/report/", report_form_data(groups[0]))
    reference = Report.objects.get().reference
    settings.REPORT_SENT_REMEMBERED_SECONDS = 0  # The time has passed.
    for url in ("/report/sent/", "/report/"):
        page = client.get(url).content.decode()
        assert reference not in page
    assert "no longer shown" in client.get("/report/sent/").content.decode()


def _everything_stored() -> str:
    """Every text in every table, and every session decoded."""
    texts = []
    for model in apps.get_models():
        fields = [
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(model._meta.db_table)
                columns = ", ".join(connection.ops.quote_name(c) for c in fields)
                cursor.execute(f"SELECT {columns} FROM {table}")
                texts += [str(value) for row in cursor.fetchall() for value in row]
    texts += [str(SessionStore().decode(s.session_data)) for s in Session.objects.all()]
    return "\n".join(texts)


def test_a_send_whose_confirmation_never_loads_leaves_no_passphrase_at_rest(client, groups):
    client.get("/report/")
    assert client.post("/report/", report_form_data(groups[0])).status_code == 302
    stored = _everything_stored()  # The connection dropped: the page was never loaded.

    passphrase = client.get("/report/sent/").content.decode()
    passphrase = passphrase.split('data-testid="passphrase">')[1].split("<")[0]
    assert len(passphrase.split()) == 5
    assert passphrase not in stored
    reference = Report.objects.get().reference
    assert reference in stored  # The report's own row; never a session's (below).
    sessions = [str(SessionStore().decode(s.session_data)) for s in Session.objects.all()]
    assert not any(reference in s or "BP-" in s for s in sessions)


def test_a_visitors_session_lasts_only_as_long_as_what_it_holds(client, settings):
    client.get("/report/")
    [session] = Session.objects.all()
    lasts = (session.expire_date - timezone.now()).total_seconds()
    assert lasts <= settings.REPORT_DRAFT_SECONDS


def test_parallel_sends_of_one_follow_up_form_add_one_message(live_server):
    report = ReportFactory()
    browser = requests.Session()
    browser.get(f"{live_server.url}/follow-up/")
    answer = browser.post(
        f"{live_server.url}/follow-up/",
        data={
            "reference": report.reference,
            "passphrase": PASSPHRASE,
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken"),
        },
        headers={"Referer": f"{live_server.url}/follow-up/"},
    )
    page = answer.text
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    data = {
        "submission_key": key,
        "body": "It happened again.",
        "csrfmiddlewaretoken": browser.cookies.get("csrftoken"),
    }
    answers, start = [], threading.Barrier(4)

    def send():
        start.wait()
        answers.append(
            browser.post(
                f"{live_server.url}/follow-up/report/",
                data=data,
                files=[("screenshots", ("more.png", png_bytes(), "image/png"))],
                headers={"Referer": f"{live_server.url}/follow-up/report/"},
                allow_redirects=False,
            )
        )

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [302] * 4
    [message] = Message.objects.filter(report=report)
    assert message.body == "It happened again." and message.screenshots.count() == 1
    assert not Screenshot.objects.filter(report__isnull=True).exists()
