"""Timing pages over real HTTP (httpx): sequentially, then with several concurrent clients.

Each page is a `Probe`: a role's signed-in cookies and a function that makes one request
and returns the response. Forms that need a fresh CSRF token and idempotency key fetch
the form first, untimed; only the request under test is timed.
"""

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from .middleware import QUERIES_HEADER, SERVER_MS_HEADER
from .report import percentile
from .seed import StaffAccount, totp_code

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')

Request = Callable[[httpx.Client, object], httpx.Response]
Prepare = Callable[[httpx.Client], object]


def _nothing(client: httpx.Client) -> None:
    return None


@dataclass
class Probe:
    """`prepare` runs untimed before each request (fetching a form for its CSRF token and
    idempotency key); `request` is what is timed."""

    name: str
    request: Request
    cookies: httpx.Cookies | None = None
    prepare: Prepare = _nothing
    expect: int = 200
    sequential: int = 40
    concurrent: int = 160  # In all, shared between the clients.


@dataclass
class Timing:
    name: str
    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    queries: int = 0
    sequential_rps: float = 0.0
    concurrent_rps: float = 0.0
    concurrent_p95_ms: float = 0.0
    errors: int = 0

    def summary(self) -> dict:
        return {
            "page": self.name,
            "p50_ms": percentile(self.client_ms, 0.5),
            "p95_ms": percentile(self.client_ms, 0.95),
            "max_ms": max(self.client_ms, default=float("nan")),
            "server_p95_ms": percentile(self.server_ms, 0.95),
            "sequential_rps": self.sequential_rps,
            "concurrent_rps": self.concurrent_rps,
            "concurrent_p95_ms": self.concurrent_p95_ms,
            "queries": self.queries,
            "errors": self.errors,
        }


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    return match.group(1) if match else ""


def submission_key(html: str) -> str:
    match = _KEY.search(html)
    return match.group(1) if match else ""


def sign_in(base_url: str, account: StaffAccount) -> httpx.Cookies:
    """Sign in over HTTP with the password and a TOTP code from the seeded secret."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        form = client.get("/staff/login/")
        response = client.post(
            "/staff/login/",
            data={
                "csrfmiddlewaretoken": csrf_token(form.text),
                "username": account.username,
                "password": account.password,
                "otp_token": totp_code(account.secret),
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"{account.username} could not sign in: {response.status_code}")
        return client.cookies


def _timed(probe: Probe, client: httpx.Client, timing: Timing) -> float:
    prepared = probe.prepare(client)
    started = time.perf_counter()
    response = probe.request(client, prepared)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != probe.expect:
        timing.errors += 1
    server = response.headers.get(SERVER_MS_HEADER)
    if server:
        timing.server_ms.append(float(server))
    timing.queries = int(response.headers.get(QUERIES_HEADER, timing.queries))
    return elapsed


def _client(base_url: str, probe: Probe) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=120, follow_redirects=False)
    if probe.cookies is not None:
        client.cookies.update(probe.cookies)
    return client


def measure(base_url: str, probe: Probe, clients: int, warm_up: int = 3) -> Timing:
    """Warm up, time `probe.sequential` requests one after another, then `probe.concurrent`
    requests from `clients` clients at once (throughput over the wall-clock time)."""
    timing = Timing(probe.name)
    with _client(base_url, probe) as client:
        for _ in range(warm_up):
            probe.request(client, probe.prepare(client))
        started = time.perf_counter()
        for _ in range(probe.sequential):
            timing.client_ms.append(_timed(probe, client, timing))
        timing.sequential_rps = probe.sequential / (time.perf_counter() - started)
    _concurrently(base_url, probe, clients, timing)
    return timing


def _concurrently(base_url: str, probe: Probe, clients: int, timing: Timing) -> None:
    each = max(1, probe.concurrent // clients)
    scratch = Timing(probe.name)  # Server times under load are not the sequential figures.

    def one_client(_: int) -> list[float]:
        with _client(base_url, probe) as client:
            return [_timed(probe, client, scratch) for _ in range(each)]

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [ms for batch in pool.map(one_client, range(clients)) for ms in batch]
    wall = time.perf_counter() - started
    timing.concurrent_rps = len(latencies) / wall
    timing.concurrent_p95_ms = percentile(latencies, 0.95)
    timing.errors += scratch.errors
