"""Security that every response shares, and the client's address behind a trusted proxy.

The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY);
Django's SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy. This module adds what neither does.
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Permissions-Policy, and no caching of any page.

    Nearly every page shows a case or a reporter's details, so no browser or proxy may
    keep a copy. Sits after WhiteNoise, which answers static files itself and keeps their
    long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, private"
        return response


def _networks(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry]


def _is_trusted(address: str, trusted) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_ip(request) -> str:
    """The address of whoever sent the request, for rate limits and lockouts.

    X-Forwarded-For is believed only when the request came from a proxy in
    settings.TRUSTED_PROXIES: then the right-most address that is not one of our proxies
    is the client (addresses to its left were written by the client and may be forged).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _networks(settings.TRUSTED_PROXIES)
    if not trusted or not _is_trusted(remote, trusted):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([part.strip() for part in forwarded.split(",")]):
        if not address:
            continue
        if not _is_trusted(address, trusted):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # Garbage from the client: count it against the proxy.
    return remote


class _PrefixedCookieStorage(CookieStorage):
    """Django's message cookie, named with settings.COOKIE_PREFIX like every other cookie."""

    @property
    def cookie_name(self) -> str:
        return f"{settings.COOKIE_PREFIX}messages"


class MessageStorage(FallbackStorage):
    """settings.MESSAGE_STORAGE: Django's default (a cookie, the session when too long),
    with the cookie's name prefixed. In the session alone, every page that shows a message
    would write the session again."""

    storage_classes = (_PrefixedCookieStorage, SessionStorage)
