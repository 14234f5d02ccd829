"""Every page carries the security headers; nothing on a page needs 'unsafe-inline'."""

import re
from pathlib import Path

import crispy_forms_gds
import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.conftest import sign_in
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/report/", "/follow-up/", "/staff/login/"]
STAFF_PAGES = ["/staff/", "/staff/cases/", "/staff/people/"]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def assert_secure_headers(response):
    assert response.status_code == 200, response.request["PATH_INFO"]
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self'")
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def assert_scripts_are_files(response):
    """Scripts come from our own files; any inline one would need the page's nonce."""
    page = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts
    assert all("src=" in tag for tag in scripts), scripts
    assert not INLINE.search(page)


@pytest.mark.smoke
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    assert_secure_headers(response)
    assert_scripts_are_files(response)


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_carry_the_security_headers(client, slt, url):
    response = sign_in(client, slt).get(url)
    assert_secure_headers(response)
    assert_scripts_are_files(response)


def test_a_parents_follow_up_page_is_never_cached(client, groups):
    report = ReportFactory()
    signed_in = client.post(
        "/follow-up/",
        {"reference": report.reference, "passphrase": "apple banana cherry damson elder"},
    )
    assert signed_in.status_code == 302
    response = client.get(signed_in["Location"])
    assert_secure_headers(response)
    assert_scripts_are_files(response)


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", directives(response)["script-src"]).group(1)


def test_a_page_that_uses_the_nonce_gets_it_in_the_policy():
    # A template writes <script nonce="{{ request.csp_nonce }}">; each request has its own.
    def page(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = CSPMiddleware(page)
    first = middleware(RequestFactory().get("/"))
    second = middleware(RequestFactory().get("/"))
    assert f'nonce="{nonce_of(first)}"' in first.content.decode()
    assert directives(first)["script-src"] == f"'self' 'nonce-{nonce_of(first)}'"
    assert nonce_of(first) != nonce_of(second)


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_static_files_keep_their_caching():
    response = Client().get("/static/js/portal.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Permissions-Policy" not in response


def template_files():
    """The templates a browser may be sent: ours and the GOV.UK form templates.

    Not those under pdf/: WeasyPrint renders them on the server, with no CSP involved.
    """
    roots = [Path(django_settings.BASE_DIR) / "templates"]
    roots += [Path(crispy_forms_gds.__file__).parent / "templates"]
    for root in roots:
        yield from (path for path in root.rglob("*.html") if "pdf" not in path.parts)


def test_no_template_has_an_inline_script_style_or_handler():
    offenders = [
        str(path)
        for path in template_files()
        if INLINE.search(path.read_text()) or "<style" in path.read_text()
    ]
    assert not offenders
