"""The load test's simulated people, run by locust in its own process (bench.loadtest).

Parents: start page, report form, one POST with three ~3 MB screenshots (CSRF token and
idempotency key from the form, as a browser sends them), the confirmation page; then a
pause, and the next parent. Staff: sign in with password and TOTP, then browse the triage
inbox (plain, filtered, searched), cases, reports and, for the office, the print queue.

bench.loadtest passes accounts, ids and file paths in BENCH_LOADTEST_CONFIG; every request
is written to the results file at the end, with the server's own time for it.
"""

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

from bench.middleware import QUERIES_HEADER, SERVER_MS_HEADER
from bench.seed import report_form_fields, totp_code

CONFIG = json.loads(Path(os.environ["BENCH_LOADTEST_CONFIG"]).read_text())
SCREENSHOT = Path(CONFIG["screenshot"]).read_bytes()
STAFF = list(CONFIG["staff"])
RECORDS: list[dict] = []
ACCEPTED: list[str] = []

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def _field(pattern: re.Pattern, html: str) -> str:
    match = pattern.search(html)
    return match.group(1) if match else ""


@events.request.add_listener
def _record(name, response_time, response, exception, **kwargs):
    headers = getattr(response, "headers", {}) or {}
    server_ms = headers.get(SERVER_MS_HEADER)
    RECORDS.append(
        {
            "name": name,
            "client_ms": response_time,
            "server_ms": float(server_ms) if server_ms else None,
            "queries": int(headers.get(QUERIES_HEADER, 0) or 0),
            "failed": exception is not None,
            "error": repr(exception)[:200] if exception else "",
        }
    )


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    results = {"records": RECORDS, "accepted": ACCEPTED}
    Path(CONFIG["results"]).write_text(json.dumps(results))


def _expect(response, status: int, location: str | None = None) -> None:
    if response.status_code != status:
        response.failure(f"HTTP {response.status_code}, expected {status}")
    elif location and not response.headers.get("Location", "").endswith(location):
        response.failure(f"redirected to {response.headers.get('Location')}")
    else:
        response.success()


class Parent(HttpUser):
    fixed_count = CONFIG["parents"]
    # Filling in the form and choosing the screenshots takes a parent a while.
    wait_time = between(5, 15)

    @task
    def report(self) -> None:
        self.client.cookies.clear()  # Each round is a new parent on a new browser.
        self.client.get("/", name="start page")
        form = self.client.get("/report/", name="report form")
        key = _field(_KEY, form.text)
        files = [("screenshots", (f"chat-{n}.png", SCREENSHOT, "image/png")) for n in range(3)]
        with self.client.post(
            "/report/",
            data=self._report_data(form.text, key),
            files=files,
            name="submit report (3 x 3 MB)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _expect(response, 302, "/report/sent/")
            if response.status_code == 302:
                ACCEPTED.append(key)
        with self.client.get("/report/sent/", name="report sent", catch_response=True) as sent:
            _expect(sent, 200)

    def _report_data(self, html: str, key: str) -> dict:
        group_id = random.choice(CONFIG["group_ids"])  # noqa: S311
        return {
            "csrfmiddlewaretoken": _field(_CSRF, html),
            "submission_key": key,
            **report_form_fields(group_id, "Load Test Parent"),
        }


class Staff(HttpUser):
    fixed_count = CONFIG["staff_users"]
    wait_time = between(1, 3)

    def on_start(self) -> None:
        # One account per simulated person: a TOTP code is accepted once per account.
        self.account = STAFF.pop()
        page = self.client.get("/staff/login/", name="staff sign-in form")
        data = {
            "csrfmiddlewaretoken": _field(_CSRF, page.text),
            "username": self.account["username"],
            "password": self.account["password"],
            "otp_token": totp_code(self.account["secret"]),
        }
        with self.client.post(
            "/staff/login/", data, name="staff sign-in", allow_redirects=False, catch_response=True
        ) as response:
            _expect(response, 302)

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            _expect(r, 200)

    @task(4)
    def inbox(self) -> None:
        if self.account["role"] == "office":
            self._page("/office/letters/", "office print queue")
            return
        self._page("/staff/", "triage inbox")
        self._page("/staff/?status=all&category=anger", "triage inbox, filtered")

    @task(2)
    def search(self) -> None:
        if self.account["role"] != "office":
            self._page("/staff/?q=useless&status=all", "triage inbox, search")

    @task(3)
    def case(self) -> None:
        if self.account["role"] != "office":
            self._page("/staff/cases/", "case list")
            self._page(f"/staff/cases/{random.choice(CONFIG['case_ids'])}/", "case page")  # noqa: S311

    @task(3)
    def report_page(self) -> None:
        if self.account["role"] != "office":
            reference = random.choice(CONFIG["report_references"])  # noqa: S311
            self._page(f"/staff/reports/{reference}/", "report page")
