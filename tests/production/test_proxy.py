"""What the deployment promises, measured through Caddy as a browser receives it."""

import http.client
import re
import socket
import ssl
import threading
import time

import httpx
import pytest

from tests.production.conftest import csrf_token, form_fields, report_send, visitor

# The first test here also waits for the topology to boot (about 30 s, more on a busy
# machine), and the drill and the restarts wait for e-mails: more than the suite's 120 s.
pytestmark = pytest.mark.timeout(300)

# Words that must never reach a visitor: stack traces, framework and server names.
LEAKS = re.compile(
    r"Traceback|File \"/|django\.|Django|gunicorn|Caddy/|Werkzeug|psycopg|OperationalError"
    r"|Exception Value|DisallowedHost|\b\d+\.\d+\.\d+\b",
)


def assert_no_leak(response: httpx.Response) -> None:
    assert not LEAKS.search(response.text), LEAKS.search(response.text).group(0)
    assert "Server" not in response.headers or not re.search(r"\d", response.headers["Server"])


def test_plain_http_is_sent_to_https(portal):
    response = httpx.get(f"http://localhost:{portal.ports.http}/report/")
    assert response.status_code == 308
    assert response.headers["Location"].startswith("https://localhost")


@pytest.mark.parametrize("path", ["/", "/report/", "/follow-up/", "/staff/login/", "/privacy/"])
def test_each_page_arrives_with_the_security_headers(portal, path):
    with visitor(portal) as client:
        response = client.get(path)
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                      "form-action 'self'", "base-uri 'self'"):  # fmt: skip
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert {"no-store", "private"} <= set(headers["Cache-Control"].replace(" ", "").split(","))
    assert "Server" not in headers  # Neither Caddy's name nor gunicorn's.
    assert_no_leak(response)


def test_static_files_come_compressed_and_cached_through_the_proxy(portal):
    with visitor(portal) as client:
        page = client.get("/").text
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        response = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip", (stylesheet, response.headers)
    assert "max-age=315360000" in response.headers["Cache-Control"]  # Hashed: kept for years.


def test_every_cookie_is_secure_host_only_and_named_so(portal):
    with visitor(portal) as client:
        response = client.get("/report/")
    cookies = response.headers.get_list("Set-Cookie")
    assert len(cookies) >= 3  # The session, the CSRF token and the browser's own key.
    for cookie in cookies:
        name, attributes = cookie.split("=", 1)[0], cookie.lower()
        assert name.startswith("__Host-"), cookie
        assert "; secure" in attributes and "; httponly" in attributes, cookie
        assert "; path=/" in attributes and "domain=" not in attributes, cookie


def _follow_up(client: httpx.Client, reference: str, forged: str | None = None) -> int:
    page = client.get("/follow-up/")
    data = {
        "csrfmiddlewaretoken": csrf_token(page.text),
        "reference": reference,
        "passphrase": "wrong words for this report",
    }  # fmt: skip
    headers = {"X-Forwarded-For": forged} if forged else {}
    return client.post("/follow-up/", data=data, headers=headers).status_code


def test_the_portal_counts_each_visitor_by_their_own_address_and_ignores_a_forged_one(portal):
    """Wrong passphrases are limited per address (and reference): behind the proxy the
    address must be the visitor's, not the proxy's, and not what the visitor claims."""
    reference = "BP-ABCD-EFGH"
    with visitor(portal) as stranger:
        # Five wrong tries, each claiming to come from somewhere else.
        codes = [_follow_up(stranger, reference, forged=f"198.51.100.{n}") for n in range(5)]
        assert codes == [400] * 5
        assert _follow_up(stranger, reference, forged="203.0.113.77") == 429
    with visitor(portal) as parent:  # Another address: not locked out by the stranger.
        assert _follow_up(parent, reference) == 400


def test_an_upload_over_the_proxy_limit_never_reaches_gunicorn(portal):
    posts_before = portal.log("web").read_text().count('"POST /report/')
    with visitor(portal) as client:
        fields = form_fields(client.get("/report/").text)
        body = b"\0" * (121 * 1024 * 1024)
        try:
            response = client.post(
                "/report/", data=fields, files=[("screenshots", ("huge.png", body, "image/png"))]
            )
            status = response.status_code
        except httpx.RemoteProtocolError:  # Caddy may close before the whole body is sent.
            status = 413
    assert status == 413
    time.sleep(0.5)
    assert portal.log("web").read_text().count('"POST /report/') == posts_before


def test_a_screenshot_over_the_portals_own_limit_gets_its_message(portal):
    with visitor(portal) as client:
        response = report_send(client, png=b"\x89PNG\r\n\x1a\n" + b"\0" * (11 * 1024 * 1024))
    assert response.status_code == 400
    assert "“chat-0.png” is larger than 10 MB." in response.text


def _slow_upload(portal, stop: threading.Event) -> None:
    """A phone on a bad connection: a real form's headers (its cookie and origin, so the
    portal must read the body to check the token), then one byte a second."""
    with visitor(portal) as client:
        client.get("/follow-up/")
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    context = ssl.create_default_context(cafile=str(portal.ca_certificate))
    with socket.create_connection(("127.0.0.1", portal.ports.https)) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:  # fmt: skip
        tls.sendall(
            f"POST /follow-up/ HTTP/1.1\r\nHost: localhost\r\nOrigin: {portal.base_url}\r\n"
            f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 100000\r\n\r\n".encode()
        )
        while not stop.wait(1):
            try:
                tls.sendall(b"a")
            except OSError:
                return


def test_slow_clients_do_not_hold_the_web_workers(portal):
    stop = threading.Event()
    # More slow uploads than gunicorn has workers (3, the Dockerfile's CMD).
    threads = [threading.Thread(target=_slow_upload, args=(portal, stop)) for _ in range(6)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        started = time.monotonic()
        with visitor(portal) as client:
            assert client.get("/report/").status_code == 200
            assert client.get("/").status_code == 200
        # Held workers would make this wait for gunicorn's 60 s timeout; 15 s leaves room
        # for a busy machine.
        assert time.monotonic() - started < 15
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)


@pytest.mark.long
def test_a_client_sending_its_headers_one_byte_a_second_is_cut_off(portal):
    context = ssl.create_default_context(cafile=str(portal.ca_certificate))
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", portal.ports.https)) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:  # fmt: skip
        tls.settimeout(30)
        try:
            for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 40:
                tls.sendall(bytes([byte]))
                time.sleep(1)
            answer = tls.recv(100)
        except OSError:
            answer = b""
    assert time.monotonic() - started < 20  # Caddy's read_header timeout is 10 s.
    assert not answer.startswith(b"HTTP/1.1 200")


def test_a_host_that_is_not_the_portals_is_refused_at_the_proxy(portal):
    with visitor(portal) as client:
        response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 421
    assert response.content == b""
    # Nor does Caddy have a certificate for any other name.
    context = ssl.create_default_context(cafile=str(portal.ca_certificate))
    with socket.create_connection(("127.0.0.1", portal.ports.https)) as raw, \
            pytest.raises(ssl.SSLError):  # fmt: skip
        context.wrap_socket(raw, server_hostname="evil.example")


def test_a_host_that_is_not_the_portals_is_refused_by_django_too(portal):
    """Past the proxy (someone on the server's own network), Django still refuses it."""
    response = httpx.get(f"{portal.web_url}/report/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Sorry" in response.text or "problem" in response.text
    assert_no_leak(response)


def test_ten_thousand_headers_are_refused_at_the_proxy(portal):
    context = ssl.create_default_context(cafile=str(portal.ca_certificate))
    connection = http.client.HTTPSConnection("localhost", portal.ports.https, context=context)
    connection.putrequest("GET", "/")
    for n in range(10_000):
        connection.putheader(f"X-Header-{n}", "x")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 431
    body = response.read().decode()
    assert "Traceback" not in body and not re.search(r"\d+\.\d+", body)


def test_ten_thousand_form_fields_get_the_portals_own_error_page(portal):
    with visitor(portal) as client:
        fields = form_fields(client.get("/report/").text)
        data = {**fields, **{f"field{n}": "x" for n in range(10_000)}}
        response = client.post("/report/", data=data)
    assert response.status_code == 400
    assert "Brunswick Park" in response.text
    assert_no_leak(response)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/no-such-page/", 404), ("/staff/cases/1/", 302), ("/report/sent/", 200)],
)
def test_error_and_refusal_pages_show_no_internals(portal, path, status):
    with visitor(portal) as client:
        response = client.get(path)
    assert response.status_code == status
    assert_no_leak(response)


def test_a_post_without_its_form_token_gets_the_portals_page(portal):
    with visitor(portal) as client:
        response = client.post("/report/", data={"description": "x"})
    assert response.status_code == 403
    assert "Brunswick Park" in response.text
    assert_no_leak(response)


def test_the_proxy_speaks_http_1_1_only(portal):
    """Debian's Caddy 2.6 has Go 1.19's HTTP/2 flaws: HTTP/2 is never offered."""
    context = ssl.create_default_context(cafile=str(portal.ca_certificate))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", portal.ports.https)) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:  # fmt: skip
        assert tls.selected_alpn_protocol() == "http/1.1"
    with visitor(portal) as client:
        assert "Alt-Svc" not in client.get("/").headers  # No HTTP/3 either.


def test_an_upload_without_a_declared_length_never_reaches_gunicorn(portal):
    posts_before = portal.log("web").read_text().count('"POST /report/')

    def chunks():
        for _ in range(4):
            yield b"x" * 1024

    with visitor(portal) as client:
        response = client.post(
            "/report/", content=chunks(), headers={"Content-Type": "application/octet-stream"}
        )
    assert response.status_code == 411
    assert_no_leak(response)
    time.sleep(0.5)
    assert portal.log("web").read_text().count('"POST /report/') == posts_before
