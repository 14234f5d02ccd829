import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.urls import include, path
from django_ratelimit.exceptions import Ratelimited

from brunswick import errors, urls
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_a_server_error_shows_no_traceback_or_detail(client, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "SECRET-INTERNAL-DETAIL" not in page
    assert "Traceback" not in page


def test_an_unknown_page_is_a_plain_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def reference_on(response) -> str:
    return re.search(r'id="error-reference">([0-9a-f]+)<', response.content.decode()).group(1)


def test_a_server_error_shows_the_request_reference(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Reference:" in response.content.decode()
    assert reference_on(response) == response["X-Request-ID"]


def test_the_500_page_renders_even_if_the_template_cannot(client, settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    def broken_template(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(errors.loader, "get_template", broken_template)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert f"Reference: {response['X-Request-ID']}" in response.content.decode()


def test_a_404_shows_the_request_reference(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert reference_on(response) == response["X-Request-ID"]


def test_a_403_shows_the_request_reference(client, office):
    response = sign_in(client, office).get("/staff/cases/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
    assert reference_on(response) == response["X-Request-ID"]


def test_a_400_shows_the_request_reference(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/bad/")
    assert response.status_code == 400
    assert reference_on(response) == response["X-Request-ID"]


def test_a_rate_limit_gets_the_429_page(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/limited/")
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()
    assert reference_on(response) == response["X-Request-ID"]


# This module is also the URLconf of the tests above, with the project's error handlers.
@login_not_required
def broken(request):
    raise RuntimeError("SECRET-INTERNAL-DETAIL")


@login_not_required
def bad(request):
    raise SuspiciousOperation("SECRET-INTERNAL-DETAIL")


@login_not_required
def limited(request):
    raise Ratelimited()


@login_not_required
def locked(request):
    raise OperationalError("database is locked")


urlpatterns = [
    path("broken/", broken),
    path("locked/", locked),
    path("bad/", bad),
    path("limited/", limited),
    path("", include("brunswick.urls")),
]
handler400, handler403, handler404, handler500 = (
    urls.handler400,
    urls.handler403,
    urls.handler404,
    urls.handler500,
)


@pytest.mark.smoke
def test_a_write_that_waited_too_long_for_the_database_says_try_again(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/locked/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, the portal is busy" in page and "yours was not saved" in page
    assert "database is locked" not in page
