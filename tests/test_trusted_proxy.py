"""The client's address, for rate limits and lockouts, behind a trusted proxy or none."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from brunswick.security import client_ip
from reports.ratelimits import over_limit

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/follow-up/", **extra)


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_addresses_the_client_wrote_itself_are_not_believed(settings):
    # The proxy appends the address it saw; anything to its left came from the client.
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = request_from(PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.7")
    assert client_ip(request) == "198.51.100.1"


def test_garbage_in_the_forwarded_header_counts_against_the_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(PROXY, "not-an-address")) == PROXY
    assert client_ip(request_from(PROXY, "")) == PROXY


def test_a_spoofed_forwarded_header_does_not_escape_the_rate_limit(settings):
    settings.TRUSTED_PROXIES = []
    for n in range(2):
        request = request_from("203.0.113.9", f"198.51.100.{n}")
        assert not over_limit(request, group="test-spoof", rate="2/m")
    assert over_limit(request_from("203.0.113.9", "198.51.100.99"), group="test-spoof", rate="2/m")


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert not over_limit(request_from(PROXY, "198.51.100.1"), group="test-proxy", rate="1/m")
    assert not over_limit(request_from(PROXY, "198.51.100.2"), group="test-proxy", rate="1/m")
    assert over_limit(request_from(PROXY, "198.51.100.1"), group="test-proxy", rate="1/m")


def test_axes_counts_the_same_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert get_client_ip_address(request_from(PROXY, "198.51.100.1")) == "198.51.100.1"
    assert get_client_ip_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
