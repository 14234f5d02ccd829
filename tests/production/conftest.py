"""The production topology (tests/production/topology.py), booted once for these tests.

`make prodcheck` runs every test here; `make test` runs all but those marked `long`.
Everything goes through Caddy over HTTPS unless a test says otherwise, from loopback
addresses of its own (127.0.0.2, 127.0.0.3, ...) so that each "visitor" has its own
address, as on the internet.
"""

import re
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx
import pytest

from bench.seed import report_form_fields, small_png, totp_code
from tests.production import topology

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
_GROUP = re.compile(r'name="group"[^>]*value="(\d+)"|<option value="(\d+)"')


def pytest_configure(config):
    # A cancelled CI job sends SIGTERM: unwind as for Ctrl-C, so the topology's teardown
    # stops every server it started (each runs in a session of its own).
    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)


@dataclass
class StaffAccount:
    username: str
    password: str
    secret: str


def _say(config, line: str) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)


@pytest.fixture(scope="session")
def portal(request):
    steps: list = []
    running = topology.start(steps)
    _say(request.config, "production topology started:")
    for name, seconds in steps:
        _say(request.config, f"  {seconds:5.1f} s  {name}")
    groups_make(running)
    yield running
    running.remove()


def groups_make(portal: topology.Topology) -> None:
    """The school's groups: made in /admin/ on a real server; here, from a shell."""
    portal.manage(
        "shell", "-c",
        "from brunswick.school.models import ClassGroup\n"
        "for n, name in enumerate(['Year 3', 'Year 4']): "
        "ClassGroup.objects.get_or_create(name=name, defaults={'position': n})",
    )  # fmt: skip


def enrol(portal: topology.Topology, username: str, role: str) -> StaffAccount:
    """`manage.py enrol_staff`, as docs/deploy.md says, and what it prints."""
    output = portal.manage("enrol_staff", username, "--role", role).stdout
    password = re.search(r"password:\s+(\S+)", output).group(1)
    secret = re.search(r"TOTP secret:\s+(\S+)", output).group(1)
    return StaffAccount(username, password, secret)


# Loopback is all of 127.0.0.0/8: each visitor gets an address of its own.
_addresses = (f"127.0.{high}.{low}" for high in range(1, 255) for low in range(2, 255))
_addresses_lock = threading.Lock()  # Load's threads take addresses at once.


def visitor(portal: topology.Topology, address: str | None = None, **options) -> httpx.Client:
    """A browser-like client on its own loopback address, talking to Caddy over HTTPS."""
    if address is None:
        with _addresses_lock:
            address = next(_addresses)
    transport = httpx.HTTPTransport(local_address=address, verify=portal.tls(), retries=0)
    # A browser sends Origin with every POST; Django checks it over HTTPS.
    headers = {"Origin": portal.base_url, **options.pop("headers", {})}
    return httpx.Client(
        transport=transport, base_url=portal.base_url, timeout=options.pop("timeout", 30),
        follow_redirects=False, headers=headers, **options,
    )  # fmt: skip


def csrf_token(html: str) -> str:
    return _CSRF.search(html).group(1)


def form_fields(html: str) -> dict:
    return {
        "csrfmiddlewaretoken": csrf_token(html),
        "submission_key": _KEY.search(html).group(1),
    }


def report_send(client: httpx.Client, screenshots: int = 1, name: str = "Prodcheck Parent",
                png: bytes | None = None, email: str = "") -> httpx.Response:  # fmt: skip
    """A parent's whole report in one POST, as a browser sends the form. `email`: the
    parent's address (the acknowledgement goes to it); by default one of their own."""
    form = client.get("/report/")
    if form.status_code != 200:
        return form  # An error page (the database is down, say): no form to fill in.
    group = next(filter(None, _GROUP.search(form.text).groups()))
    data = {**form_fields(form.text), **report_form_fields(int(group), name)}
    data["reporter_email"] = email or f"parent-{uuid.uuid4().hex[:12]}@example.org"
    png = png or small_png()
    files = [("screenshots", (f"chat-{n}.png", png, "image/png")) for n in range(screenshots)]
    return client.post("/report/", data=data, files=files)


def staff_sign_in(client: httpx.Client, account: StaffAccount) -> httpx.Response:
    page = client.get("/staff/login/")
    return client.post(
        "/staff/login/",
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": account.username,
            "password": account.password,
            "otp_token": totp_code(account.secret),
        },
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, portal):
    """Chromium trusts Caddy's local certificate authority, and only it."""
    spki = portal.ca_spki_sha256()
    return {
        **browser_type_launch_args,
        "args": [
            *browser_type_launch_args["args"],
            f"--ignore-certificate-errors-spki-list={spki}",
        ],
    }


@dataclass
class Load:
    """Visitors sending reports (or opening pages) in the background, until stopped."""

    portal: topology.Topology
    action: str = "report"
    threads: int = 2
    results: list[tuple[float, int, str]] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # The address of each report made.
    _stop: threading.Event = field(default_factory=threading.Event)

    def _run(self) -> None:
        while not self._stop.is_set():
            with visitor(self.portal, timeout=60) as client:
                try:
                    if self.action == "report":
                        email = f"parent-{uuid.uuid4().hex[:12]}@example.org"
                        response = report_send(client, email=email)
                        if response.status_code == 302:
                            self.parents.append(email)
                    else:
                        response = client.get("/report/")
                    self.results.append((time.monotonic(), response.status_code, response.text))
                except httpx.HTTPError as error:
                    self.results.append((time.monotonic(), 0, repr(error)))

    def __enter__(self):
        self._workers = [threading.Thread(target=self._run) for _ in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for worker in self._workers:
            worker.join(90)

    def statuses(self) -> list[int]:
        return [status for _, status, _ in self.results]
